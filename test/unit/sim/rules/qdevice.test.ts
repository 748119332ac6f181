// rules/qdevice: the QDevice vote.
import { describe, expect, it } from 'vitest';
import { partitionInfo, timingFor } from '../../../../src/sim/index';
import { Harness, haVm, mkConfig } from '../harness';

const T = timingFor('course', 3);
/** Time for a silent node to leave the membership: dead after 10 s, seen on the next tick. */
const DETECT = T.deadAfterMs + T.tickMs;

describe('QDevice', () => {
  const split = [['pve1', 'pve2'], ['pve3', 'pve4']];

  it('ffsplit: equal halves that both reach qnetd → the half with the lowest nodeid wins', () => {
    const h = new Harness(mkConfig({ nodes: 4, qdevice: 'ffsplit' }));
    expect(partitionInfo(h.s, h.s.partitions[0]!)).toMatchObject({ total: 5, expected: 5, quorum: 3 });
    h.fault({ kind: 'partition', groups: [['pve3', 'pve4'], ['pve1', 'pve2']] });
    h.advance(DETECT);
    expect([h.quorate('pve1'), h.quorate('pve2'), h.quorate('pve3'), h.quorate('pve4')]).toEqual([true, true, false, false]);
    expect(h.s.qdevice!.votedFor).toBe('pve1,pve2');
  });

  it('ffsplit: the tie goes by nodeid, not by name', () => {
    const h = new Harness(mkConfig({ nodes: [{ nodeid: 3 }, { nodeid: 4 }, { nodeid: 1 }, { nodeid: 2 }], qdevice: 'ffsplit' }));
    h.fault({ kind: 'partition', groups: split });
    h.advance(DETECT);
    expect([h.quorate('pve1'), h.quorate('pve2'), h.quorate('pve3'), h.quorate('pve4')]).toEqual([false, false, true, true]);
  });

  it('ffsplit: if only one half reaches qnetd, that half wins whatever its ids', () => {
    const h = new Harness(mkConfig({ nodes: 4, qdevice: 'ffsplit' }));
    h.fault({ kind: 'qdevice-reach', node: 'pve1', reachable: false });
    h.fault({ kind: 'qdevice-reach', node: 'pve2', reachable: false });
    h.advance(3000);
    expect(h.quorate('pve1')).toBe(true); // the whole cluster still reaches it through pve3/pve4
    h.fault({ kind: 'partition', groups: split });
    h.advance(DETECT);
    expect([h.quorate('pve1'), h.quorate('pve2'), h.quorate('pve3'), h.quorate('pve4')]).toEqual([false, false, true, true]);
  });

  it('ffsplit: the larger partition always wins', () => {
    const h = new Harness(mkConfig({ nodes: 4, qdevice: 'ffsplit' }));
    h.fault({ kind: 'partition', groups: [['pve1'], ['pve2', 'pve3', 'pve4']] });
    h.advance(DETECT);
    expect(h.s.qdevice!.votedFor).toBe('pve2,pve3,pve4');
    expect(h.quorate('pve1')).toBe(false);
    expect(partitionInfo(h.s, ['pve2', 'pve3', 'pve4'])).toMatchObject({ total: 4, quorate: true });
  });

  it('2 nodes + QDevice: one node fails, the survivor keeps quorum 2/3', () => {
    const h = new Harness(mkConfig({ nodes: 2, qdevice: 'ffsplit', vms: [haVm(100, 'pve1'), haVm(101, 'pve2')] }));
    h.advance(5000);
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.advance(DETECT + T.fenceLockMs + 1000);
    expect(h.quorate('pve1')).toBe(true);
    expect(partitionInfo(h.s, ['pve1'])).toMatchObject({ total: 2, expected: 3, quorum: 2 });
    expect(h.runningOn(101)).toEqual(['pve1']);
  });

  it('qnetd down: a 2-node cluster stays quorate 2/3 until a node fails', () => {
    const h = new Harness(mkConfig({ nodes: 2, qdevice: 'ffsplit' }));
    h.fault({ kind: 'qdevice-host', up: false });
    h.advance(30_000);
    expect(h.s.qdevice!.votedFor).toBeNull();
    expect(h.quorate('pve1') && h.quorate('pve2')).toBe(true);
    expect(partitionInfo(h.s, h.s.partitions[0]!)).toMatchObject({ total: 2, expected: 3, quorum: 2 });
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.advance(DETECT);
    expect(h.quorate('pve1')).toBe(false);
  });

  it('lms: the partition that reaches qnetd gets N−1 votes', () => {
    const h = new Harness(mkConfig({ nodes: 4, qdevice: 'lms' }));
    expect(partitionInfo(h.s, h.s.partitions[0]!)).toMatchObject({ total: 7, expected: 7, quorum: 4 });
    h.fault({ kind: 'partition', groups: [['pve1'], ['pve2', 'pve3', 'pve4']] });
    h.fault({ kind: 'qdevice-reach', node: 'pve2', reachable: false });
    h.fault({ kind: 'qdevice-reach', node: 'pve3', reachable: false });
    h.fault({ kind: 'qdevice-reach', node: 'pve4', reachable: false });
    h.advance(DETECT);
    expect(h.quorate('pve1')).toBe(true); // 1 + 3 = 4 ≥ 4
    expect(h.quorate('pve2')).toBe(false);
  });

  it('human vote mode: the QDevice seat’s choice decides, the algorithm’s choice is recorded', () => {
    const h = new Harness(mkConfig({ nodes: 4, qdevice: 'ffsplit', voteMode: 'human' }));
    h.input({ type: 'set-auto', at: 1000, node: 'qdevice', auto: false });
    h.input({ type: 'qdevice-choice', at: 1000, node: 'pve3' });
    h.advance(3000);
    h.fault({ kind: 'partition', groups: split });
    h.advance(DETECT);
    const last = h.of('qdevice-vote').at(-1)!;
    expect(last.partition).toEqual(['pve3', 'pve4']);
    expect(last.algorithmChoice).toEqual(['pve1', 'pve2']);
    expect(h.s.qdevice).toMatchObject({ votedFor: 'pve3,pve4', algorithmChoice: 'pve1,pve2' });
    expect([h.quorate('pve1'), h.quorate('pve3')]).toEqual([false, true]);
  });
});
