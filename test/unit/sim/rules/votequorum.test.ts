import { describe, expect, it } from 'vitest';
import { partitionInfo, partitionOf } from '../../../../src/sim/index';
import { Harness, haVm, mkConfig } from '../harness';

describe('rules/votequorum: quorum events say which rule decided', () => {
  it('plain votes: an isolated node of three loses quorum with 1 vote of 2 needed, E = 3', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => !h.quorate('pve1'));
    const lost = h.first('quorum-lost', (e) => e.node === 'pve1')!;
    expect(lost).toMatchObject({ votes: 1, quorum: 2, rule: 'votes', expected: 3 });
  });

  it('auto_tie_breaker: the exact half holding the lowest nodeid stays quorate', () => {
    const h = new Harness(mkConfig({ nodes: 4, options: { auto_tie_breaker: true } }));
    h.advance(3000);
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] });
    h.until(() => !h.quorate('pve3'));
    expect(partitionInfo(h.s, partitionOf(h.s, 'pve1')!)).toMatchObject({ quorate: true, rule: 'auto_tie_breaker' });
    expect(h.first('quorum-lost', (e) => e.node === 'pve3')).toMatchObject({ rule: 'votes', votes: 2, quorum: 3 });
  });

  it('qdevice_vote: one node of two plus the QDevice vote is quorate only thanks to that vote', () => {
    const h = new Harness(mkConfig({ nodes: 2, qdevice: 'ffsplit' }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve2' });
    h.until(() => !h.quorate('pve2'));
    expect(partitionInfo(h.s, partitionOf(h.s, 'pve1')!)).toMatchObject({ quorate: true, rule: 'qdevice_vote' });
  });

  it('expected_override: `pvecm expected 1` on an isolated node names the override', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => !h.quorate('pve1'));
    h.input({ type: 'command', at: h.now, node: 'pve1', line: 'pvecm expected 1' });
    expect(h.first('quorum-regained', (e) => e.node === 'pve1')).toMatchObject({ rule: 'expected_override', expected: 1 });
  });

  it('wait_for_all: a booted node of a two_node cluster waits to see its peer', () => {
    const h = new Harness(mkConfig({ nodes: 2, options: { two_node: true } }));
    h.advance(3000);
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.fault({ kind: 'power', node: 'pve1', action: 'reboot' });
    h.until(() => h.s.nodes.pve1!.power === 'on');
    h.advance(3000);
    expect(partitionInfo(h.s, partitionOf(h.s, 'pve1')!)).toMatchObject({ quorate: false, rule: 'wait_for_all' });
  });
});

describe('rules/ha: recoveries say why that node', () => {
  it('the target has the fewest services, ties by name, and the candidates are listed', () => {
    const h = new Harness(mkConfig({ nodes: 4, vms: [haVm(100, 'pve1'), haVm(101, 'pve2')] }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => h.of('recovered').length > 0);
    const r = h.first('recovered')!;
    expect(r.to).toBe('pve3');
    expect(r.why).toEqual({
      rule: 'fewest-services',
      candidates: [
        { node: 'pve3', services: 0 },
        { node: 'pve4', services: 0 },
        { node: 'pve2', services: 1 },
      ],
    });
  });
});
