// The engine against the numbers of /work/shared/DOMAIN.md (course timing unless said otherwise).
import { describe, expect, it } from 'vitest';
import { cfsCommit, createCluster, partitionInfo, partitionOf, step, timingFor, type Ctx } from '../../src/sim/index';
import { expectedChangeError, partitionQuorum, quorumFor } from '../../src/sim/quorum';
import { SCENARIOS, buildClusterConfig, getScenario, validateClusterConfig } from '../../src/sim/scenarios';
import { checkObjectives } from '../../src/sim/objectives';
import type { ClusterState, SimEvent } from '../../src/sim/types';
import { Harness, haVm, mkConfig } from './sim/harness';

const T = timingFor('course', 3);
/** Time for a silent node to leave the membership: dead after 10 s, seen on the next tick. */
const DETECT = T.deadAfterMs + T.tickMs;

describe('votequorum arithmetic', () => {
  it('quorum is 2,2,3,3,4,4 for E = 2..7', () => {
    expect([2, 3, 4, 5, 6, 7].map((e) => quorumFor(e, 0))).toEqual([2, 2, 3, 3, 4, 4]);
    expect([2, 3, 4, 5, 6, 7].map((e) => quorumFor(e, e))).toEqual([2, 2, 3, 3, 4, 4]);
  });

  it('quorum follows T when the votes present exceed E', () => {
    expect(quorumFor(3, 7)).toBe(4);
  });

  it('two_node gives quorum 1 only with exactly two nodes', () => {
    const base = { total: 1, expected: 2, twoNode: true, waitForAllPending: false, autoTieBreaker: false, hasLowestNodeid: false };
    expect(partitionQuorum({ ...base, nodeCount: 2 })).toMatchObject({ quorum: 1, quorate: true });
    expect(partitionQuorum({ ...base, nodeCount: 3 })).toMatchObject({ quorum: 2, quorate: false });
  });

  it('pvecm expected is refused below the votes present, or when it would break a quorate partition', () => {
    expect(expectedChangeError(1, 2, true)).toMatch(/CS_ERR_INVALID_PARAM/);
    expect(expectedChangeError(2, 3, false)).toMatch(/CS_ERR_INVALID_PARAM/);
    expect(expectedChangeError(7, 3, true)).toMatch(/CS_ERR_INVALID_PARAM/); // quorum 4 > 3 votes
    expect(expectedChangeError(0, 0, false)).toMatch(/Invalid/);
    expect(expectedChangeError(1, 1, false)).toBeNull(); // the isolated node's classic `-e 1`
    expect(expectedChangeError(3, 3, true)).toBeNull();
    expect(expectedChangeError(4, 3, true)).toBeNull(); // quorum 3 ≤ 3
  });
});

describe('membership and quorum', () => {
  it('a 3-node cluster starts as one quorate membership', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    expect(h.s.partitions).toEqual([['pve1', 'pve2', 'pve3']]);
    expect(['pve1', 'pve2', 'pve3'].every((n) => h.quorate(n))).toBe(true);
    h.advance(30_000);
    expect(h.events).toEqual([]);
  });

  it('a 2|2 split without QDevice leaves nobody quorate', () => {
    const h = new Harness(mkConfig({ nodes: 4 }));
    h.advance(5000);
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] });
    h.advance(DETECT);
    expect(h.s.partitions).toEqual([['pve1', 'pve2'], ['pve3', 'pve4']]);
    expect(['pve1', 'pve2', 'pve3', 'pve4'].some((n) => h.quorate(n))).toBe(false);
    expect(h.first('quorum-lost', (e) => e.node === 'pve1')).toMatchObject({ votes: 2, quorum: 3 });
  });

  it('a silent node leaves the membership after the 10 s timeout, not before', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.advance(20_000);
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.advance(T.deadAfterMs);
    // Not timed out yet: the survivors still count pve3 and its vote.
    expect(h.first('node-dead')).toBeUndefined();
    expect(h.s.nodes.pve1!.members).toEqual(['pve1', 'pve2', 'pve3']);
    expect(partitionInfo(h.s, partitionOf(h.s, 'pve1')!)).toMatchObject({ total: 3 });
    h.advance(T.tickMs);
    expect(h.first('node-dead')).toMatchObject({ node: 'pve3', by: ['pve1', 'pve2'], at: 20_000 + DETECT });
    expect(h.s.partitions).toEqual([['pve1', 'pve2']]);
    expect(h.quorate('pve1') && h.quorate('pve2')).toBe(true);
  });

  it('a dead node not yet timed out is never counted on both sides of a split', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.advance(5000);
    h.fault({ kind: 'link', a: 'pve1', b: 'pve2', cut: true });
    h.advance(8000);
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.advance(3000); // the 1–2 cut times out while pve3 is still "fresh"
    expect(h.s.partitions).toEqual([['pve1'], ['pve2']]);
    expect(h.s.nodes.pve1!.members).toEqual(['pve1']);
    expect(h.quorate('pve1') || h.quorate('pve2')).toBe(false);
  });

  it('a node with 2 votes in a 3-node cluster (E=4): {1}|{2,3} leaves nobody quorate', () => {
    const h = new Harness(mkConfig({ nodes: [{ votes: 2 }, {}, {}] }));
    expect(partitionInfo(h.s, h.s.partitions[0]!)).toMatchObject({ total: 4, expected: 4, quorum: 3, quorate: true });
    h.fault({ kind: 'partition', groups: [['pve1'], ['pve2', 'pve3']] });
    h.advance(DETECT);
    expect(h.s.partitions).toHaveLength(2);
    expect(['pve1', 'pve2', 'pve3'].some((n) => h.quorate(n))).toBe(false);
  });

  it('a one-way cut breaks the pair (the token cannot go round)', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.fault({ kind: 'link', a: 'pve1', b: 'pve2', cut: true, oneWay: true });
    h.advance(DETECT);
    // Nodes join in nodeid order the first membership they fully hear: {1,3} then {2}.
    expect(h.s.partitions).toEqual([['pve1', 'pve3'], ['pve2']]);
    expect(h.quorate('pve1') && h.quorate('pve3') && !h.quorate('pve2')).toBe(true);
  });

  it('clock skew above 10 s emits clock-skew and changes nothing in quorum', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.advance(10_000);
    h.fault({ kind: 'clock-skew', node: 'pve2', skewMs: 5000 });
    expect(h.first('clock-skew')).toBeUndefined();
    h.fault({ kind: 'clock-skew', node: 'pve2', skewMs: 15_000 });
    h.advance(60_000);
    expect(h.of('clock-skew')).toEqual([expect.objectContaining({ node: 'pve2', skewMs: 15_000 })]);
    for (const t of ['quorum-lost', 'membership-changed', 'node-dead'] as const) expect(h.of(t)).toEqual([]);
    expect(['pve1', 'pve2', 'pve3'].every((n) => h.quorate(n))).toBe(true);
    h.fault({ kind: 'clock-skew', node: 'pve2', skewMs: -2000 });
    expect(h.of('clock-synced')).toEqual([expect.objectContaining({ node: 'pve2' })]);
  });
});

describe('votequorum options', () => {
  it('two_node: a split leaves both sides quorate and opens a two-quorate split-brain incident', () => {
    const h = new Harness(mkConfig({ nodes: 2, options: { two_node: true } }));
    h.advance(5000);
    h.fault({ kind: 'link', a: 'pve1', b: 'pve2', cut: true });
    h.advance(DETECT);
    expect(h.s.partitions).toEqual([['pve1'], ['pve2']]);
    expect(h.quorate('pve1') && h.quorate('pve2')).toBe(true);
    expect(h.first('split-brain-started')).toMatchObject({ kind: 'two-quorate' });
    expect(h.s.incidents.filter((i) => i.endedAt === null).map((i) => i.kind)).toEqual(['two-quorate']);
    h.fault({ kind: 'heal' });
    h.advance(2000);
    expect(h.first('split-brain-ended')).toMatchObject({ kind: 'two-quorate' });
  });

  it('two_node: one node killed leaves the survivor quorate', () => {
    const h = new Harness(mkConfig({ nodes: 2, options: { two_node: true } }));
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.advance(DETECT + 10_000);
    expect(h.quorate('pve1')).toBe(true);
    expect(h.of('split-brain-started')).toEqual([]);
  });

  it('two_node cold start: a node alone is not quorate until it has seen its peer (wait_for_all)', () => {
    const h = new Harness(mkConfig({ nodes: 2, options: { two_node: true } }));
    h.fault({ kind: 'power', node: 'pve1', action: 'off' });
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.advance(5000);
    h.fault({ kind: 'power', node: 'pve1', action: 'on' });
    h.advance(T.bootMs + 30_000);
    expect(h.s.nodes.pve1!.power).toBe('on');
    expect(h.quorate('pve1')).toBe(false);
    h.fault({ kind: 'power', node: 'pve2', action: 'on' });
    h.until(() => h.quorate('pve1') && h.quorate('pve2'), T.bootMs + 5000);
    // …and once seen, losing the peer keeps quorum (two_node).
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.advance(DETECT);
    expect(h.quorate('pve1')).toBe(true);
  });

  it('wait_for_all cold start: two of three nodes stay inquorate until all three were seen', () => {
    const run = (wfa: boolean) => {
      const h = new Harness(mkConfig({ nodes: 3, options: { wait_for_all: wfa } }));
      for (const n of ['pve1', 'pve2', 'pve3']) h.fault({ kind: 'power', node: n, action: 'off' });
      h.advance(5000);
      h.fault({ kind: 'power', node: 'pve1', action: 'on' });
      h.fault({ kind: 'power', node: 'pve2', action: 'on' });
      h.advance(T.bootMs + 10_000);
      return h;
    };
    const control = run(false);
    expect(control.s.partitions).toEqual([['pve1', 'pve2']]);
    expect(control.quorate('pve1')).toBe(true);
    const h = run(true);
    expect(h.s.partitions).toEqual([['pve1', 'pve2']]);
    expect(h.quorate('pve1') || h.quorate('pve2')).toBe(false);
    h.fault({ kind: 'power', node: 'pve3', action: 'on' });
    h.until(() => ['pve1', 'pve2', 'pve3'].every((n) => h.quorate(n)), T.bootMs + 5000);
  });

  it('wait_for_all re-arms: after a 1|2|3 split, {1,2} merging stays inquorate until all are back', () => {
    const h = new Harness(mkConfig({ nodes: 3, options: { wait_for_all: true } }));
    h.fault({ kind: 'partition', groups: [['pve1'], ['pve2'], ['pve3']] });
    h.advance(DETECT);
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3']] });
    h.advance(5000);
    expect(h.s.partitions).toEqual([['pve1', 'pve2'], ['pve3']]);
    expect(h.quorate('pve1')).toBe(false);
    h.fault({ kind: 'heal' });
    h.advance(2000);
    expect(h.quorate('pve1') && h.quorate('pve3')).toBe(true);
  });

  it('auto_tie_breaker: {1,2}|{3,4} leaves {1,2} quorate; with 1 and 2 killed, {3,4} is not', () => {
    const h = new Harness(mkConfig({ nodes: 4, options: { auto_tie_breaker: true } }));
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] });
    h.advance(DETECT);
    expect([h.quorate('pve1'), h.quorate('pve2'), h.quorate('pve3'), h.quorate('pve4')]).toEqual([true, true, false, false]);

    const k = new Harness(mkConfig({ nodes: 4, options: { auto_tie_breaker: true } }));
    k.fault({ kind: 'power', node: 'pve1', action: 'off' });
    k.fault({ kind: 'power', node: 'pve2', action: 'off' });
    k.advance(DETECT);
    expect(k.s.partitions).toEqual([['pve3', 'pve4']]);
    expect(k.quorate('pve3') || k.quorate('pve4')).toBe(false);
  });

  it('expected votes never go down by themselves', () => {
    const h = new Harness(mkConfig({ nodes: 5 }));
    h.fault({ kind: 'power', node: 'pve4', action: 'off' });
    h.fault({ kind: 'power', node: 'pve5', action: 'off' });
    h.advance(DETECT + 60_000);
    expect(partitionInfo(h.s, partitionOf(h.s, 'pve1')!)).toMatchObject({ total: 3, expected: 5, quorum: 3, quorate: true });
  });

  it('last_man_standing steps E down one node at a time after the window', () => {
    const h = new Harness(mkConfig({ nodes: 5, options: { last_man_standing: true } }));
    h.fault({ kind: 'power', node: 'pve5', action: 'off' });
    h.advance(DETECT);
    h.advance(T.lmsWindowMs);
    expect(h.s.nodes.pve1!.expected).toBe(4);
    expect(h.of('expected-changed').every((e) => e.reason === 'lms')).toBe(true);
  });
});

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

describe('HA: fencing and recovery', () => {
  it('power off → fence → recovered exactly fenceLockMs after the fence', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(102, 'pve3')] }));
    h.advance(60_000);
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    expect(h.runningOn(102)).toEqual([]);
    h.until(() => h.runningOn(102).length > 0, 120_000);
    const fence = h.first('node-fence')!;
    const rec = h.first('recovered')!;
    expect(fence).toMatchObject({ node: 'pve3', by: ['pve1', 'pve2'], at: 60_000 + DETECT });
    expect(h.first('fenced')).toMatchObject({ node: 'pve3', at: fence.at + T.fenceLockMs });
    expect(rec).toMatchObject({ vmid: 102, from: 'pve3', to: 'pve2', at: fence.at + T.fenceLockMs });
    expect(h.s.nodes.pve1!.cfs.ha['vm:102']).toMatchObject({ state: 'started', node: 'pve2' });
    expect(h.s.nodes.pve1!.cfs.vms['102']!.node).toBe('pve2');
  });

  it('real timing: the lock is held about 2 min after the failure', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(102, 'pve3')], timing: 'real' }));
    const rt = h.s.config.timing;
    expect(rt).toMatchObject({ tokenMs: 3650, watchdogMs: 60_000, fenceLockMs: 120_000 });
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.until(() => h.runningOn(102).length > 0, 200_000);
    const rec = h.first('recovered')!;
    expect(rec.at - h.first('node-fence')!.at).toBe(120_000);
  });

  it('the recovery target is the online node with the fewest HA services, ties by name', () => {
    const vms = [haVm(100, 'pve1'), haVm(101, 'pve1'), haVm(102, 'pve2'), haVm(103, 'pve3'), haVm(104, 'pve4'), haVm(105, 'pve4')];
    const h = new Harness(mkConfig({ nodes: 4, vms }));
    h.fault({ kind: 'power', node: 'pve4', action: 'off' });
    h.until(() => h.of('recovered').length === 2, 120_000);
    // pve1 has 2, pve2 and pve3 have 1: 104 → pve2 (name), then pve2 has 2 and 105 → pve3.
    expect(h.of('recovered').map((e) => [e.vmid, e.to])).toEqual([
      [104, 'pve2'],
      [105, 'pve3'],
    ]);
  });

  it('a stopped service does not count toward a node’s load', () => {
    const vms = [haVm(100, 'pve1', { running: false }), haVm(101, 'pve1', { running: false }), haVm(102, 'pve2'), haVm(103, 'pve3')];
    const h = new Harness(mkConfig({ nodes: 3, vms }));
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.until(() => h.of('recovered').length === 1, 120_000);
    expect(h.first('recovered')!.to).toBe('pve1');
  });

  it('local-storage HA guests are not recovered elsewhere; non-HA guests are never moved', () => {
    const vms = [
      haVm(100, 'pve1'),
      haVm(102, 'pve3', { storage: 'local' }),
      haVm(110, 'pve3', { ha: false }),
      haVm(111, 'pve3', { ha: false, storage: 'local' }),
    ];
    const h = new Harness(mkConfig({ nodes: 3, vms }));
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.advance(DETECT + T.fenceLockMs + 30_000);
    expect(h.of('recovery-stuck')).toEqual([expect.objectContaining({ sid: 'vm:102', vmid: 102, reason: 'local storage' })]);
    expect(h.of('recovered')).toEqual([]);
    expect(h.of('vm-started')).toEqual([]);
    expect(h.s.nodes.pve1!.cfs.ha['vm:102']!.state).toBe('recovery');
    // Its node comes back: the only node holding its disk takes it again.
    h.fault({ kind: 'power', node: 'pve3', action: 'on' });
    h.until(() => h.runningOn(102).length > 0, T.bootMs + 5000);
    expect(h.runningOn(102)).toEqual(['pve3']);
    expect(h.runningOn(110)).toEqual([]); // non-HA: nobody starts it (no onboot in the sim)
  });

  it('shared storage down: recovery waits, then happens once storage is back', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(102, 'pve3')] }));
    h.fault({ kind: 'storage', up: false });
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.advance(DETECT + T.fenceLockMs + 5000);
    expect(h.first('recovery-stuck')).toMatchObject({ vmid: 102, reason: 'shared storage down' });
    h.fault({ kind: 'storage', up: true });
    h.advance(1000);
    expect(h.runningOn(102)).toHaveLength(1);
  });

  it('an isolated node self-fences after watchdogMs, before the others recover its VMs', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(103, 'pve3'), haVm(113, 'pve3', { ha: false })] }));
    h.advance(30_000);
    h.fault({ kind: 'isolate', node: 'pve3' });
    h.until(() => h.of('recovered').length === 1, 120_000);
    const lost = h.first('quorum-lost', (e) => e.node === 'pve3')!;
    const armed = h.first('watchdog-armed')!;
    const fenced = h.first('self-fenced')!;
    expect(armed).toMatchObject({ node: 'pve3', resetAt: lost.at + T.watchdogMs });
    expect(fenced).toMatchObject({ node: 'pve3', at: lost.at + T.watchdogMs });
    expect(fenced.vms.sort()).toEqual([103, 113]); // the reset kills every guest of the node
    expect(h.first('recovered')!.at).toBeGreaterThan(fenced.at);
    expect(h.of('split-brain-started')).toEqual([]);
    expect(h.s.nodes.pve3!.power).toBe('booting');
    h.advance(T.bootMs + 2000);
    // Back up but still isolated: alone and inquorate, it never arms the watchdog again.
    expect(h.s.nodes.pve3!.power).toBe('on');
    h.advance(60_000);
    expect(h.of('self-fenced')).toHaveLength(1);
  });

  it('an isolated node without HA services does not self-fence', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(113, 'pve3', { ha: false })] }));
    h.fault({ kind: 'isolate', node: 'pve3' });
    h.advance(120_000);
    expect(h.of('self-fenced')).toEqual([]);
    expect(h.runningOn(113)).toEqual(['pve3']);
  });

  it('reboot: services are frozen and restart on the same node', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(101, 'pve2')] }));
    h.advance(10_000);
    h.fault({ kind: 'power', node: 'pve2', action: 'reboot' });
    expect(h.first('service-state', (e) => e.sid === 'vm:101')).toMatchObject({ state: 'freeze', node: 'pve2' });
    expect(h.runningOn(101)).toEqual([]);
    h.until(() => h.runningOn(101).length > 0, 60_000);
    expect(h.runningOn(101)).toEqual(['pve2']);
    expect(h.of('recovered')).toEqual([]);
    expect(h.of('node-fence')).toEqual([]);
    expect(h.s.nodes.pve1!.cfs.ha['vm:101']).toMatchObject({ state: 'started', node: 'pve2' });
  });

  it('shutdown: services are recovered elsewhere right away (no fence needed)', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(101, 'pve2')] }));
    h.advance(10_000);
    h.fault({ kind: 'power', node: 'pve2', action: 'shutdown' });
    h.advance(1000);
    expect(h.first('recovered')).toMatchObject({ vmid: 101, from: 'pve2', to: 'pve3', at: 10_000 });
    expect(h.of('node-fence')).toEqual([]);
    expect(h.s.nodes.pve2!.power).toBe('off');
  });

  it('a partition that gains quorum with a stale /etc/pve waits fenceLockMs before acting (no VM twice)', () => {
    const h = new Harness(mkConfig({ nodes: 4, qdevice: 'ffsplit', vms: [haVm(103, 'pve3')] }));
    h.advance(5000);
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] });
    h.until(() => h.runningOn(103).join() === 'pve1', 120_000); // {1,2} had the tie, pve3 self-fenced
    h.until(() => h.s.nodes.pve3!.power === 'on', 60_000); // pve3 is back in {3,4}, with a stale copy
    expect(h.s.nodes.pve3!.cfs.ha['vm:103']).toMatchObject({ node: 'pve3', state: 'started' });
    h.fault({ kind: 'power', node: 'pve2', action: 'reset' });
    const t = h.now;
    // {3,4} now reach qnetd with more nodes than {1}: the vote moves, pve1 loses quorum.
    expect(h.s.qdevice!.votedFor).toBe('pve3,pve4');
    expect(h.quorate('pve3') && !h.quorate('pve1')).toBe(true);
    h.advance(T.fenceLockMs - 1000);
    expect(h.of('self-fenced', (e) => e.node === 'pve1')).toHaveLength(1); // pve1 reset first…
    expect(h.runningOn(103)).toEqual([]);
    h.advance(1000);
    expect(h.now).toBe(t + T.fenceLockMs);
    expect(h.runningOn(103)).toEqual(['pve3']); // …then {3,4} acts on its copy
    expect(h.of('split-brain-started')).toEqual([]);
  });

  it('a node back before the lock was taken keeps its services', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(103, 'pve3')] }));
    h.fault({ kind: 'link', a: 'pve3', b: 'pve1', cut: true });
    h.fault({ kind: 'link', a: 'pve3', b: 'pve2', cut: true });
    h.advance(DETECT);
    expect(h.first('node-fence')).toMatchObject({ node: 'pve3' });
    h.fault({ kind: 'heal' });
    h.advance(2000);
    expect(h.s.nodes.pve1!.cfs.ha['vm:103']).toMatchObject({ state: 'started', node: 'pve3' });
    h.advance(T.fenceLockMs + 10_000);
    expect(h.of('recovered')).toEqual([]);
    expect(h.runningOn(103)).toEqual(['pve3']);
  });
});

describe('pmxcfs', () => {
  it('merge after a two_node split: the highest version wins and the other side’s writes are reported lost', () => {
    const h = new Harness(mkConfig({ nodes: 2, options: { two_node: true } }));
    h.advance(5000);
    h.fault({ kind: 'link', a: 'pve1', b: 'pve2', cut: true });
    h.advance(DETECT);
    expect(h.quorate('pve1') && h.quorate('pve2')).toBe(true);
    const c: Ctx = { s: h.s, events: [] };
    const addVm = (vmid: number, on: string) => (db: ClusterState['nodes'][string]['cfs']) => {
      db.vms[String(vmid)] = { vmid, name: `vm${vmid}`, node: on, memoryMb: 512, diskGb: 4, storage: 'shared' };
    };
    expect(cfsCommit(c, 'pve1', 'nodes/pve1/qemu-server/200.conf', 'create VM 200', addVm(200, 'pve1'))).toBe(true);
    expect(cfsCommit(c, 'pve1', 'nodes/pve1/qemu-server/201.conf', 'create VM 201', addVm(201, 'pve1'))).toBe(true);
    expect(cfsCommit(c, 'pve2', 'nodes/pve2/qemu-server/300.conf', 'create VM 300', addVm(300, 'pve2'))).toBe(true);
    h.events.push(...c.events);
    // Each side sees only its own writes.
    expect(Object.keys(h.s.nodes.pve2!.cfs.vms)).toEqual(['300']);
    expect(h.first('split-brain-started', (e) => e.kind === 'cfs-diverged')).toBeDefined();
    const v1 = h.s.nodes.pve1!.cfs.version;
    expect(v1).toBeGreaterThan(h.s.nodes.pve2!.cfs.version);
    h.fault({ kind: 'heal' });
    h.advance(2000);
    const merge = h.first('pmxcfs-merge')!;
    expect(merge).toMatchObject({ winner: ['pve1'], version: v1 });
    expect(merge.lost).toEqual([expect.objectContaining({ node: 'pve2', path: 'nodes/pve2/qemu-server/300.conf', what: 'create VM 300' })]);
    for (const n of ['pve1', 'pve2']) expect(Object.keys(h.s.nodes[n]!.cfs.vms).sort()).toEqual(['200', '201']);
    expect(h.first('split-brain-ended', (e) => e.kind === 'cfs-diverged')).toBeDefined();
    expect(h.s.incidents.every((i) => i.endedAt !== null)).toBe(true);
  });

  it('an inquorate node cannot write /etc/pve', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.fault({ kind: 'isolate', node: 'pve3' });
    h.advance(DETECT);
    const c: Ctx = { s: h.s, events: [] };
    expect(cfsCommit(c, 'pve3', 'storage.cfg', 'edit', () => {})).toBe(false);
    expect(c.events).toEqual([expect.objectContaining({ type: 'pmxcfs-refused', node: 'pve3', path: 'storage.cfg' })]);
  });
});

describe('human vote mode', () => {
  const humanCluster = (n: number, vms = [haVm(100, 'pve1')]) => {
    const h = new Harness(mkConfig({ nodes: n, vms, voteMode: 'human', autoNodes: [] }));
    for (const x of h.s.config.nodes) h.manual.add(x.name);
    return h;
  };

  it('a silent node opens a vote; yes votes ≥ quorum pass it and recovery follows', () => {
    const h = humanCluster(3, [haVm(100, 'pve1'), haVm(103, 'pve3')]);
    h.advance(20_000);
    h.manual.delete('pve3'); // the student's laptop lid closes
    h.until(() => h.of('vote-opened').length > 0, 30_000);
    const opened = h.first('vote-opened')!;
    expect(opened).toMatchObject({ target: 'pve3', partition: ['pve1', 'pve2'], quorum: 2 });
    expect(h.s.nodes.pve3!.power).toBe('on'); // still running, only silent
    // No recovery without the vote, even long after the lock delay.
    h.advance(5000);
    expect(h.input({ type: 'vote', at: h.now, node: 'pve1', voteId: opened.voteId, yes: true }).error).toBeUndefined();
    expect(h.first('vote-closed')).toBeUndefined(); // 1 yes < quorum 2
    expect(h.input({ type: 'vote', at: h.now, node: 'pve3', voteId: opened.voteId, yes: true }).error?.code).toBe('not_voter');
    expect(h.input({ type: 'vote', at: h.now, node: 'pve1', voteId: opened.voteId, yes: true }).error?.code).toBe('already_voted');
    h.input({ type: 'vote', at: h.now, node: 'pve2', voteId: opened.voteId, yes: true });
    expect(h.first('vote-closed')).toMatchObject({ status: 'passed', yes: 2, quorum: 2 });
    h.advance(1000);
    expect(h.first('fenced')).toMatchObject({ node: 'pve3' });
    expect(h.first('recovered')).toMatchObject({ vmid: 103, from: 'pve3' });
    // The vote is the fencing decision: the silent node is power-cycled, so the VM never runs twice.
    expect(h.s.nodes.pve3!.power).toBe('booting');
    expect(h.runningOn(103)).toHaveLength(1);
  });

  it('without enough yes votes nothing is recovered', () => {
    const h = humanCluster(3, [haVm(103, 'pve3')]);
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.manual.delete('pve3');
    h.until(() => h.of('vote-opened').length > 0, 30_000);
    const id = h.first('vote-opened')!.voteId;
    h.input({ type: 'vote', at: h.now, node: 'pve1', voteId: id, yes: true });
    h.input({ type: 'vote', at: h.now, node: 'pve2', voteId: id, yes: false });
    expect(h.first('vote-closed')).toMatchObject({ status: 'rejected', yes: 1 });
    h.advance(T.fenceLockMs + 5000);
    expect(h.of('recovered')).toEqual([]);
    // A failed vote is asked again while the node is still to be fenced.
    expect(h.of('vote-opened').length).toBeGreaterThan(1);
  });

  it('votes in an inquorate partition never pass', () => {
    const h = humanCluster(5, [haVm(104, 'pve4')]);
    h.advance(5000);
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2', 'pve3'], ['pve4'], ['pve5']] });
    h.until(() => h.of('vote-opened').length >= 2, 30_000);
    const minority = h.first('vote-opened', (e) => e.partition.join() === 'pve5')!;
    const majority = h.first('vote-opened', (e) => e.partition.join() === 'pve1,pve2,pve3')!;
    expect(minority).toBeDefined();
    h.input({ type: 'vote', at: h.now, node: 'pve5', voteId: minority.voteId, yes: true });
    h.advance(5000);
    expect(h.of('vote-closed', (e) => e.voteId === minority.voteId).map((e) => e.status)).not.toContain('passed');
    expect(h.of('recovered')).toEqual([]);
    for (const n of ['pve1', 'pve2', 'pve3']) h.input({ type: 'vote', at: h.now, node: n, voteId: majority.voteId, yes: true });
    expect(h.first('vote-closed', (e) => e.voteId === majority.voteId)).toMatchObject({ status: 'passed' });
    h.advance(1000);
    expect(h.first('recovered')).toMatchObject({ vmid: 104, from: 'pve4' });
    expect(h.s.votes.filter((v) => v.partition.join() === 'pve5').every((v) => v.status !== 'passed')).toBe(true);
  });

  it('autopilot seats vote like votequorum (yes when quorate)', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(103, 'pve3')], voteMode: 'human' }));
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.advance(DETECT + 1000);
    expect(h.first('vote-closed')).toMatchObject({ status: 'passed', yes: 2 });
    expect(h.first('recovered')).toMatchObject({ vmid: 103 });
  });
});

describe('inputs', () => {
  it('refuses unknown nodes and votes that are not open', () => {
    const s = createCluster(mkConfig({ nodes: 3 }), 'x');
    expect(step(s, { type: 'heartbeat', at: 1000, node: 'pve9' }).error?.code).toBe('unknown_node');
    expect(step(s, { type: 'command', at: 1000, node: 'pve9', line: 'pvecm status' }).error?.code).toBe('unknown_node');
    expect(step(s, { type: 'vote', at: 1000, node: 'pve1', voteId: 42, yes: true }).error?.code).toBe('vote_closed');
    expect(step(s, { type: 'qdevice-choice', at: 1000, node: 'pve1' }).error?.code).toBe('no_qdevice');
  });

  it('time never goes backwards', () => {
    const s = createCluster(mkConfig({ nodes: 3 }), 'x');
    step(s, { type: 'tick', at: 5000 });
    step(s, { type: 'tick', at: 3000 });
    expect(s.now).toBe(5000);
  });
});

// ---------------------------------------------------------------- scenarios and objectives

/** Runs a scenario for `ms` with its timeline applied right after each tick (like the room does),
 * and the given terminal commands [atMs, node, line] typed by the students. */
function runScenario(
  id: string,
  ms: number,
  opts: Parameters<typeof buildClusterConfig>[1] = { timing: 'course', voteMode: 'auto' },
  commands: [number, string, string][] = [],
) {
  const sc = getScenario(id)!;
  const s = createCluster(buildClusterConfig(sc, opts), id);
  const events: SimEvent[] = [];
  const outputs: { line: string; exitCode: number; output: string }[] = [];
  let next = 0;
  let nextCmd = 0;
  for (let t = s.config.timing.tickMs; t <= ms; t += s.config.timing.tickMs) {
    events.push(...step(s, { type: 'tick', at: t }).events);
    while (next < sc.timeline.length && sc.timeline[next]!.atMs <= s.now)
      events.push(...step(s, { type: 'fault', at: s.now, fault: sc.timeline[next++]!.fault, by: 'timeline' }).events);
    while (nextCmd < commands.length && commands[nextCmd]![0] <= s.now) {
      const [, node, line] = commands[nextCmd++]!;
      const r = step(s, { type: 'command', at: s.now, node, line });
      events.push(...r.events);
      outputs.push({ line, exitCode: r.command?.exitCode ?? -1, output: r.command?.output ?? '' });
    }
  }
  return { sc, s, events, outputs };
}

describe('scenarios', () => {
  it('has at least 8 presets with unique ids and bilingual texts', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
    for (const sc of SCENARIOS) {
      for (const t of [sc.title, sc.description]) expect(t.fr.length > 0 && t.en.length > 0 && t.fr !== t.en).toBe(true);
      expect(sc.goals.fr.length).toBe(sc.goals.en.length);
      expect(sc.goals.fr.length).toBeGreaterThan(0);
      expect(sc.concepts.length).toBeGreaterThan(0);
      for (const f of sc.timeline) expect(f.note.fr && f.note.en).toBeTruthy();
      expect(sc.timeline.map((f) => f.atMs)).toEqual([...sc.timeline.map((f) => f.atMs)].sort((a, b) => a - b));
      expect(new Set(sc.objectives.map((o) => o.id)).size).toBe(sc.objectives.length);
      expect(sc.objectives.every((o) => o.points > 0 && o.title.fr && o.title.en)).toBe(true);
      expect(getScenario(sc.id)).toBe(sc);
    }
    expect(getScenario('nope')).toBeUndefined();
  });

  it('objectives and timeline only name nodes and VMs of their cluster', () => {
    for (const sc of SCENARIOS) {
      const nodes = new Set(sc.cluster.nodes.map((n) => n.name));
      const vmids = new Set(sc.cluster.vms.map((v) => v.vmid));
      for (const o of sc.objectives) {
        const c = o.check as Record<string, unknown>;
        const m = (c.match ?? {}) as Record<string, unknown>;
        for (const v of [c.vmid, m.vmid]) if (v !== undefined) expect(vmids.has(v as number), `${sc.id}/${o.id}`).toBe(true);
        for (const n of [c.from, m.node]) if (n !== undefined) expect(nodes.has(n as string), `${sc.id}/${o.id}`).toBe(true);
      }
      for (const { fault: f } of sc.timeline) {
        const named = 'node' in f ? [f.node] : 'a' in f ? [f.a, f.b] : 'groups' in f ? f.groups.flat() : [];
        for (const n of named) expect(nodes.has(n), `${sc.id} timeline ${n}`).toBe(true);
      }
      if (sc.qdeviceSeat) expect(sc.cluster.qdevice).toBeDefined();
    }
  });

  it('every preset builds a valid config in every mode and runs 5 minutes of its timeline', () => {
    for (const sc of SCENARIOS) {
      for (const timing of ['course', 'real'] as const)
        for (const voteMode of ['auto', 'human'] as const) {
          const cfg = buildClusterConfig(sc, { timing, voteMode });
          expect(validateClusterConfig(cfg), sc.id).toEqual([]);
          expect(cfg.timing.profile).toBe(timing);
          expect(cfg.autoNodes).toEqual(sc.cluster.nodes.map((n) => n.name));
        }
      const { s, events } = runScenario(sc.id, 300_000);
      expect(s.now).toBe(300_000);
      expect(events.filter((e) => e.type === 'fault-applied').length).toBe(sc.timeline.filter((f) => f.atMs <= 300_000).length);
      expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    }
  });

  it('buildClusterConfig keeps autoNodes in config order, rejects unknown nodes, copies the preset', () => {
    const sc = getScenario('three-node-power-loss')!;
    expect(buildClusterConfig(sc, { timing: 'course', voteMode: 'human', autoNodes: ['pve3', 'pve1'] }).autoNodes).toEqual(['pve1', 'pve3']);
    expect(() => buildClusterConfig(sc, { timing: 'course', voteMode: 'auto', autoNodes: ['pve9'] })).toThrow(/pve9/);
    const cfg = buildClusterConfig(sc, { timing: 'real', voteMode: 'auto' });
    cfg.nodes[0]!.votes = 9;
    expect(sc.cluster.nodes[0]!.votes).toBe(1);
    expect(cfg.timing).toEqual(timingFor('real', 3));
  });

  it('validateClusterConfig reports duplicates and dangling references', () => {
    const cfg = mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(100, 'pve7'), haVm(42, 'pve2')] });
    cfg.nodes[1]!.nodeid = 1;
    cfg.autoNodes = ['pve1', 'ghost'];
    expect(validateClusterConfig(cfg)).toEqual(
      expect.arrayContaining([
        'duplicate nodeid 1',
        'duplicate VMID 100',
        'VM 100: unknown node pve7',
        'VM 42: VMIDs start at 100',
        'autoNodes: unknown node ghost',
      ]),
    );
  });
});

describe('scenario behaviour without any student action', () => {
  const met = (id: string, ms: number) => {
    const { sc, s, events } = runScenario(id, ms);
    return { res: Object.fromEntries(checkObjectives(sc, events, s).map((r) => [r.id, r])), s, events };
  };

  it('3 nodes, power loss: pve3’s HA VMs are recovered on the two least loaded nodes', () => {
    const { res, events } = met('three-node-power-loss', 360_000);
    const rec = events.filter((e): e is Extract<SimEvent, { type: 'recovered' }> => e.type === 'recovered');
    expect(rec.map((e) => [e.vmid, e.to])).toEqual([
      [102, 'pve1'],
      [103, 'pve2'],
    ]);
    expect(res['recovered-102']).toMatchObject({ met: true, points: 20, maxPoints: 20, evidenceSeq: rec[0]!.seq });
    expect(res['no-split-brain']!.met).toBe(true);
    expect(res['all-quorate-at-end']!.met).toBe(true);
    expect(res['running-110']!.met).toBe(false); // build01 waits for someone to start it
    expect(res['ha-status']).toMatchObject({ met: false, points: 0 });
  });

  it('3 nodes, isolation: pve2 self-fences before its VMs restart elsewhere', () => {
    const { res, events } = met('three-node-isolation', 300_000);
    const sf = events.find((e) => e.type === 'self-fenced')!;
    const rec = events.find((e) => e.type === 'recovered')!;
    expect(sf.at).toBeLessThan(rec.at);
    for (const id of ['no-forced-expected', 'no-split-brain', 'recovered-101', 'running-101', 'running-102', 'all-quorate-at-end'])
      expect(res[id]!.met, id).toBe(true);
  });

  it('2 nodes without QDevice: both lose quorum and reset, nothing restarts until the heal', () => {
    const { res, events } = met('two-node-no-qdevice', 230_000);
    expect(events.filter((e) => e.type === 'self-fenced').map((e) => (e as { node: string }).node).sort()).toEqual(['pve1', 'pve2']);
    expect(events.some((e) => e.type === 'recovered')).toBe(false);
    expect(res['running-100']!.met).toBe(false);
    const after = met('two-node-no-qdevice', 300_000).res;
    expect(after['running-100']!.met && after['all-quorate-at-end']!.met && after['no-split-brain']!.met).toBe(true);
  });

  it('2 nodes + QDevice not set up: pve1 resets when pve2 fails (the setup objective matters)', () => {
    const { res } = met('two-node-qdevice', 300_000);
    expect(res['qdevice-setup']!.met).toBe(false);
    expect(res['pve1-never-reset']!.met).toBe(false);
    expect(res['qdevice-at-end']!.met).toBe(false);
  });

  it('4 nodes 2|2 with QDevice: first {pve1,pve2} wins, then only {pve3,pve4} reaches qnetd and wins', () => {
    const { res, events } = met('four-node-split-qdevice', 420_000);
    const votes = events.filter((e): e is Extract<SimEvent, { type: 'qdevice-vote' }> => e.type === 'qdevice-vote');
    expect(votes.map((v) => v.partition?.join() ?? null)).toEqual(
      expect.arrayContaining(['pve1,pve2', 'pve3,pve4', 'pve1,pve2,pve3,pve4']),
    );
    for (const o of SCENARIOS.find((x) => x.id === 'four-node-split-qdevice')!.objectives) expect(res[o.id]!.met, o.id).toBe(true);
  });

  it('5 nodes 3|2: files01 (local) is stuck, then runs again on pve5 after the heal', () => {
    const { res } = met('five-node-split-3-2', 300_000);
    for (const id of ['no-split-brain', 'recovered-103', 'recovered-104', 'files01-stuck', 'running-105', 'all-quorate-at-end'])
      expect(res[id]!.met, id).toBe(true);
  });

  it('maintenance ignored: the reboot stops db01 and web02 (frozen, back on pve2 later)', () => {
    const { res, events } = met('planned-maintenance', 360_000);
    expect(res['db01-moved']!.met).toBe(false);
    expect(events.some((e) => e.type === 'vm-stopped' && e.vmid === 101 && e.reason === 'reboot')).toBe(true);
    expect(res['all-quorate-at-end']!.met).toBe(true);
  });

  it('clock skew: never loses quorum; skew left unfixed fails the objectives', () => {
    const { res, s } = met('clock-skew', 300_000);
    expect(res['quorum-kept']!.met).toBe(true);
    expect(res['skew-fixed-at-end']!.met).toBe(false);
    for (const n of Object.values(s.nodes)) n.skewMs = 0;
    expect(checkObjectives(getScenario('clock-skew')!, [], s).find((r) => r.id === 'skew-fixed-at-end')!.met).toBe(true);
  });
});

describe('checkObjectives', () => {
  const sc = getScenario('planned-maintenance')!;
  const s = createCluster(buildClusterConfig(sc, { timing: 'course', voteMode: 'auto' }), 1);
  let seq = 0;
  const ev = (body: Record<string, unknown>): SimEvent => ({ seq: ++seq, at: seq * 1000, ...body }) as SimEvent;

  it('migrated-before-event: a migration counts only before the first such event', () => {
    seq = 0;
    const events = [
      ev({ type: 'maintenance', node: 'pve2', enabled: true }),
      ev({ type: 'migrated', vmid: 101, from: 'pve2', to: 'pve1', online: true }),
      ev({ type: 'node-power', node: 'pve2', power: 'booting', reason: 'reboot' }),
      ev({ type: 'migrated', vmid: 102, from: 'pve2', to: 'pve3', online: true }),
    ];
    const r = Object.fromEntries(checkObjectives(sc, events, s).map((x) => [x.id, x]));
    expect(r['maintenance-on']).toMatchObject({ met: true, evidenceSeq: 1 });
    expect(r['db01-moved']).toMatchObject({ met: true, evidenceSeq: 2, points: 20 });
    expect(r['web02-moved']).toMatchObject({ met: false, points: 0, maxPoints: 20 });
    expect(r['web02-moved']!.evidenceSeq).toBeUndefined();
    expect(r['maintenance-off']!.met).toBe(false);
  });

  it('no-split-brain and no-event point at the offending event', () => {
    seq = 0;
    const events = [
      ev({ type: 'expected-changed', node: 'pve1', expected: 1, reason: 'merge' }),
      ev({ type: 'expected-changed', node: 'pve1', expected: 1, reason: 'command' }),
      ev({ type: 'split-brain-started', incident: 1, kind: 'two-quorate', cause: 'x' }),
    ];
    const iso = getScenario('three-node-isolation')!;
    const r = Object.fromEntries(checkObjectives(iso, events, s).map((x) => [x.id, x]));
    expect(r['no-forced-expected']).toMatchObject({ met: false, evidenceSeq: 2 });
    expect(r['no-split-brain']).toMatchObject({ met: false, evidenceSeq: 3 });
  });

  it('command lines match with whitespace collapsed, and only when the command succeeded', () => {
    seq = 0;
    const iso = getScenario('three-node-isolation')!;
    const check = (events: SimEvent[]) => checkObjectives(iso, events, s).find((x) => x.id === 'pve2-status')!.met;
    expect(check([ev({ type: 'command', node: 'pve2', line: '  pvecm   status ', ok: true })])).toBe(true);
    expect(check([ev({ type: 'command', node: 'pve1', line: 'pvecm status', ok: true })])).toBe(false);
    expect(check([ev({ type: 'command', node: 'pve2', line: 'pvecm status', ok: false })])).toBe(false);
  });

  it('final-state checks: a VM running twice is not "running", qdevice and quorum at the end', () => {
    const copy = JSON.parse(JSON.stringify(s)) as ClusterState;
    const res = () => Object.fromEntries(checkObjectives(sc, [], copy).map((x) => [x.id, x.met]));
    expect(res()['all-quorate-at-end']).toBe(true);
    copy.nodes.pve3!.quorate = false;
    expect(res()['all-quorate-at-end']).toBe(false);
    const five = getScenario('five-node-split-3-2')!;
    const s5 = createCluster(buildClusterConfig(five, { timing: 'course', voteMode: 'auto' }), 1);
    const running105 = () => checkObjectives(five, [], s5).find((x) => x.id === 'running-105')!.met;
    expect(running105()).toBe(true);
    s5.vms['105']!.runningOn.push('pve1');
    expect(running105()).toBe(false);
    const q = getScenario('four-node-split-qdevice')!;
    const sq = createCluster(buildClusterConfig(q, { timing: 'course', voteMode: 'auto' }), 1);
    const qd = getScenario('two-node-qdevice')!;
    const sqd = createCluster(buildClusterConfig(qd, { timing: 'course', voteMode: 'auto' }), 1);
    const qdCheck = { id: 'q', points: 1, title: { fr: 'q', en: 'q' }, check: { kind: 'qdevice-configured-at-end' as const } };
    expect(checkObjectives({ ...q, objectives: [qdCheck] }, [], sq)[0]!.met).toBe(true);
    expect(checkObjectives({ ...qd, objectives: [qdCheck] }, [], sqd)[0]!.met).toBe(false);
  });
});

describe('scenarios played well (with the terminal commands of the course)', () => {
  const plays: Record<string, [number, string, string][]> = {
    'three-node-power-loss': [
      [80_000, 'pve1', 'ha-manager status'],
      [300_000, 'pve3', 'qm start 110'],
    ],
    'three-node-isolation': [[75_000, 'pve2', 'pvecm status']],
    'two-node-no-qdevice': [[75_000, 'pve1', 'pvecm status']],
    'two-node-qdevice': [[30_000, 'pve1', 'pvecm qdevice setup 10.0.10.50']],
    'four-node-split-no-qdevice': [[75_000, 'pve3', 'pvecm status']],
    'four-node-split-qdevice': [],
    'five-node-split-3-2': [[120_000, 'pve1', 'ha-manager status']],
    'planned-maintenance': [
      [60_000, 'pve1', 'ha-manager crm-command node-maintenance enable pve2'],
      [400_000, 'pve1', 'ha-manager crm-command node-maintenance disable pve2'],
    ],
    'clock-skew': [
      [90_000, 'pve3', 'systemctl restart chrony'],
      [200_000, 'pve1', 'systemctl restart chrony'],
    ],
  };

  it('covers every preset', () => {
    expect(Object.keys(plays).sort()).toEqual(SCENARIOS.map((s) => s.id).sort());
  });

  for (const [id, commands] of Object.entries(plays))
    it(`${id}: every objective is met`, () => {
      const { sc, s, events, outputs } = runScenario(id, 600_000, { timing: 'course', voteMode: 'auto' }, commands);
      for (const o of outputs) expect(o.exitCode, `${o.line}\n${o.output}`).toBe(0);
      const res = checkObjectives(sc, events, s);
      expect(res.filter((r) => !r.met).map((r) => r.id)).toEqual([]);
      expect(res.reduce((a, r) => a + r.points, 0)).toBe(sc.objectives.reduce((a, o) => a + o.points, 0));
    });

  it('2 nodes without QDevice: `pvecm expected 1` on both sides is the split-brain of the course', () => {
    const { sc, s, events } = runScenario('two-node-no-qdevice', 300_000, { timing: 'course', voteMode: 'auto' }, [
      [120_000, 'pve1', 'pvecm expected 1'],
      [120_000, 'pve2', 'pvecm expected 1'],
    ]);
    const kinds = events.filter((e): e is Extract<SimEvent, { type: 'split-brain-started' }> => e.type === 'split-brain-started').map((e) => e.kind);
    expect(kinds).toContain('two-quorate');
    expect(kinds).toContain('vm-twice');
    const res = Object.fromEntries(checkObjectives(sc, events, s).map((r) => [r.id, r.met]));
    expect(res['no-split-brain']).toBe(false);
    expect(res['no-forced-expected']).toBe(false);
  });

  it('planned maintenance done too late: the reboot freezes the VMs', () => {
    const { sc, s, events } = runScenario('planned-maintenance', 400_000, { timing: 'course', voteMode: 'auto' }, [
      [330_000, 'pve1', 'ha-manager crm-command node-maintenance enable pve2'],
    ]);
    const res = Object.fromEntries(checkObjectives(sc, events, s).map((r) => [r.id, r.met]));
    expect(res['maintenance-on']).toBe(true);
    expect(res['db01-moved']).toBe(false);
    expect(res['web02-moved']).toBe(false);
  });
});

describe('HA migration of a stopped service', () => {
  it('moves only the config: a stopped guest does not start on the target', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1', { running: false })] }));
    h.advance(2000);
    expect(h.runningOn(100)).toEqual([]);
    // Put the service in migrate by hand, as the CRM does for `ha-manager migrate` (engine path).
    const c = { s: h.s, events: h.events };
    cfsCommit(c, 'pve1', 'ha/manager_status', 'migrate vm:100', (db) => {
      const svc = db.ha['vm:100']!;
      svc.state = 'migrate';
      svc.target = 'pve2';
      svc.until = h.now + h.s.config.timing.migrateMs;
    });
    h.advance(h.s.config.timing.migrateMs + 1000);
    expect(h.s.nodes.pve1!.cfs.vms['100']!.node).toBe('pve2');
    expect(h.s.nodes.pve1!.cfs.ha['vm:100']!.state).toBe('stopped');
    expect(h.runningOn(100)).toEqual([]);
    expect(h.of('vm-started', (e) => e.vmid === 100)).toEqual([]);
  });
});

describe('human fencing vote with a QDevice', () => {
  it('{pve1}+QDevice can fence pve2: the QDevice vote backs the yes of pve1', () => {
    const h = new Harness(mkConfig({ nodes: 2, qdevice: 'ffsplit', voteMode: 'human', autoNodes: [], vms: [haVm(100, 'pve2')] }));
    h.manual.add('pve1').add('pve2');
    h.advance(3000);
    h.manual.delete('pve2');
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    const opened = h.until(() => h.of('vote-opened').length > 0);
    const vote = h.first('vote-opened')!;
    expect(vote.partition).toEqual(['pve1']);
    expect(vote.quorum).toBe(2);
    expect(h.s.votes[0]!.quorate).toBe(true);
    expect(opened).toBeGreaterThan(0);
    const r = h.input({ type: 'vote', at: h.now, node: 'pve1', voteId: vote.voteId, yes: true });
    expect(r.error).toBeUndefined();
    h.advance(1000);
    expect(h.first('vote-closed')).toMatchObject({ status: 'passed', yes: 2, quorum: 2 });
    h.until(() => h.runningOn(100).includes('pve1'), 10_000);
  });

  it('a no from pve1 rejects it (the QDevice does not vote yes alone)', () => {
    const h = new Harness(mkConfig({ nodes: 2, qdevice: 'ffsplit', voteMode: 'human', autoNodes: [], vms: [haVm(100, 'pve2')] }));
    h.manual.add('pve1').add('pve2');
    h.advance(3000);
    h.manual.delete('pve2');
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.until(() => h.of('vote-opened').length > 0);
    const vote = h.first('vote-opened')!;
    h.input({ type: 'vote', at: h.now, node: 'pve1', voteId: vote.voteId, yes: false });
    h.advance(1000);
    expect(h.first('vote-closed')).toMatchObject({ status: 'rejected', yes: 0 });
    expect(h.runningOn(100)).toEqual([]);
  });
});

describe('heartbeat-lost', () => {
  it('is emitted once per silent member after two heartbeat periods, before the node is declared dead', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.advance(4000);
    const lost = h.of('heartbeat-lost');
    expect(lost.map((e) => `${e.node}<${e.peer}`).sort()).toEqual(['pve1<pve2', 'pve1<pve3', 'pve2<pve1', 'pve3<pve1']);
    expect(h.of('node-dead')).toEqual([]);
    h.advance(10_000);
    expect(h.of('heartbeat-lost').length).toBe(4);
    expect(h.of('node-dead').length).toBeGreaterThan(0);
    expect(Math.max(...lost.map((e) => e.at))).toBeLessThan(h.first('node-dead')!.at);
  });
});
