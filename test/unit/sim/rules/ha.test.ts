import { describe, expect, it } from 'vitest';
import { runCommand, lrmActive } from '../../../../src/sim/index';
import { Harness, haVm, mkConfig } from '../harness';

describe('rules/ha: the LRM watchdog', () => {
  it('an isolated node whose only HA service is `ignored` keeps its watchdog disarmed (LRM idle)', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1')] }));
    h.advance(5000);
    const out = h.input({ type: 'command', at: h.now, node: 'pve1', line: 'ha-manager set vm:100 --state ignored' });
    expect(out.command?.exitCode).toBe(0);
    expect(lrmActive(h.s, h.s.nodes.pve1!.cfs, 'pve1')).toBe(false);
    const status = runCommand({ s: h.s, events: [] }, 'pve1', 'ha-manager status').output;
    expect(status).toMatch(/lrm pve1 \(idle/);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.advance(h.s.config.timing.deadAfterMs + h.s.config.timing.watchdogMs + 10_000);
    expect(h.quorate('pve1')).toBe(false);
    expect(h.of('watchdog-armed', (e) => e.node === 'pve1')).toEqual([]);
    expect(h.of('self-fenced', (e) => e.node === 'pve1')).toEqual([]);
    expect(h.s.nodes.pve1!.power).toBe('on');
  });

  it('a started HA service arms the watchdog of its isolated node, which self-fences', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1')] }));
    h.advance(5000);
    expect(lrmActive(h.s, h.s.nodes.pve1!.cfs, 'pve1')).toBe(true);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => h.of('self-fenced', (e) => e.node === 'pve1').length > 0);
    expect(h.first('watchdog-armed', (e) => e.node === 'pve1')).toBeDefined();
  });
});
