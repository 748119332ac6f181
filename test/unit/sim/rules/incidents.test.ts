// rules/incidents: the split-brain checkers name their cause and their end.
import { describe, expect, it } from 'vitest';
import { Harness, haVm, mkConfig } from '../harness';

describe('rules/incidents', () => {
  it('two quorate partitions after a forced `pvecm expected`: the cause names the command; healing ends it', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1')] }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => !h.quorate('pve1'));
    h.input({ type: 'command', at: h.now, node: 'pve1', line: 'pvecm expected 1' });
    const started = h.first('split-brain-started', (e) => e.kind === 'two-quorate')!;
    expect(started.cause).toContain('pvecm expected 1 on pve1');
    h.fault({ kind: 'heal' });
    h.until(() => h.of('split-brain-ended', (e) => e.incident === started.incident).length > 0);
  });

  it('two_node split with an HA guest: each half keeps quorum and the guest ends up running twice', () => {
    const h = new Harness(mkConfig({ nodes: 2, vms: [haVm(100, 'pve1')], options: { two_node: true } }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve2' });
    h.until(() => h.of('split-brain-started', (e) => e.kind === 'vm-twice').length > 0);
    expect(h.first('split-brain-started', (e) => e.kind === 'two-quorate')?.cause).toContain('two_node');
    expect(h.first('split-brain-started', (e) => e.kind === 'vm-twice')?.cause).toContain('VM 100 running on');
    expect(h.runningOn(100).sort()).toEqual(['pve1', 'pve2']);
  });
});
