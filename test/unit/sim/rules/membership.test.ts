// rules/membership: rings, detection, heartbeat-lost.
import { describe, expect, it } from 'vitest';
import { nodeView, partitionInfo, partitionOf, runCommand, timingFor } from '../../../../src/sim/index';
import type { Fault, TimingProfileName } from '../../../../src/sim/types';
import { Harness, mkConfig } from '../harness';

const T = timingFor('course', 3);
/** Time for a silent node to leave the membership: dead after 10 s, seen on the next tick. */
const DETECT = T.deadAfterMs + T.tickMs;

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

// ---------------------------------------------------------------- one membership everywhere

/** What a node's tools and view say about its membership, parsed from the real layouts. */
function membershipSeenBy(h: Harness, node: string) {
  const run = (line: string) => runCommand({ s: h.s, events: [] }, node, line).output.split('\n');
  const rowsAfter = (lines: string[]) => {
    const i = lines.indexOf('Membership information');
    return lines.slice(i + 3).filter((l) => l.trim() !== '');
  };
  const st = run('pvecm status');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`).exec(st.find((l) => l.startsWith(`${name}:`)) ?? '')?.[1]);
  const rows = rowsAfter(st);
  const nodeRows = rows.filter((r) => !/\bQdevice$/.test(r) && !/^0x00000000/.test(r.trim()));
  const rowVotes = rows.reduce((a, r) => a + Number(r.trim().split(/\s+/)[1]), 0);
  return {
    nodes: field('Nodes'),
    totalVotes: field('Total votes'),
    rows: nodeRows.length,
    rowVotes,
    pvecmNodes: rowsAfter(run('pvecm nodes')).length,
    quorumtoolList: rowsAfter(run('corosync-quorumtool -l')).filter((r) => !/Qdevice$/.test(r)).length,
    viewMembers: nodeView(h.s, node).members.length,
  };
}

/** Nodes == rows listed (pvecm status, pvecm nodes, corosync-quorumtool -l) == view.members, and
 * Total votes == the sum of the listed votes, on every powered node. */
function expectOneMembership(h: Harness): void {
  for (const node of Object.keys(h.s.nodes)) {
    if (h.s.nodes[node]!.power !== 'on') continue;
    const m = membershipSeenBy(h, node);
    const at = `${node} at t=${h.now}`;
    expect(m.rows, at).toBe(m.nodes);
    expect(m.pvecmNodes, at).toBe(m.nodes);
    expect(m.quorumtoolList, at).toBe(m.nodes);
    expect(m.viewMembers, at).toBe(m.nodes);
    expect(m.totalVotes, at).toBe(m.rowVotes);
  }
}

describe('the detection window: one membership everywhere', () => {
  const cases: { name: string; fault: Fault }[] = [
    { name: 'a kill (power off)', fault: { kind: 'power', node: 'pve3', action: 'off' } },
    { name: 'a cut (isolation)', fault: { kind: 'isolate', node: 'pve3' } },
  ];
  for (const profile of ['course', 'real'] as TimingProfileName[])
    for (const { name, fault } of cases)
      it(`${name}, ${profile} profile: the silent node stays listed and counted until the token times out, then everything changes together`, () => {
        const h = new Harness(mkConfig({ nodes: 3, timing: profile }));
        const t = h.s.config.timing;
        h.advance(5000);
        expectOneMembership(h);
        h.fault(fault);
        const at = h.now;
        let changedAt: number | null = null;
        while (h.now < at + t.deadAfterMs + 10_000) {
          h.advance(t.tickMs);
          expectOneMembership(h);
          const seen = membershipSeenBy(h, 'pve1');
          if (changedAt === null && seen.nodes === 2) changedAt = h.now;
          if (changedAt === null) expect(seen).toMatchObject({ nodes: 3, totalVotes: 3, viewMembers: 3 });
          else expect(seen).toMatchObject({ nodes: 2, totalVotes: 2, viewMembers: 2 });
        }
        // The new membership forms when the token times out (dead after, seen on the next tick).
        expect(changedAt).toBe(at + Math.ceil((t.deadAfterMs + 1) / t.tickMs) * t.tickMs);
        if (fault.kind === 'isolate') expect(membershipSeenBy(h, 'pve3')).toMatchObject({ nodes: 1, totalVotes: 1 });
      });
});

// ---------------------------------------------------------------- merges and moves

describe('merges take one token time', () => {
  for (const profile of ['course', 'real'] as TimingProfileName[])
    it(`${profile} profile: a healed split is not merged on the next tick, and merged within one token time (+ one tick)`, () => {
      const h = new Harness(mkConfig({ nodes: 3, timing: profile }));
      const t = h.s.config.timing;
      h.advance(5000);
      h.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3']] });
      h.advance(t.deadAfterMs + t.tickMs);
      expect(h.s.partitions).toEqual([['pve1', 'pve2'], ['pve3']]);
      h.advance(500);
      h.fault({ kind: 'heal' });
      const healedAt = h.now;
      h.advance(t.tickMs);
      expect(h.s.partitions).toEqual([['pve1', 'pve2'], ['pve3']]);
      const mergedAt = h.until(() => h.s.partitions.length === 1, 60_000);
      expect(mergedAt - healedAt).toBeGreaterThanOrEqual(t.tokenMs - t.heartbeatMs);
      expect(mergedAt - healedAt).toBeLessThanOrEqual(t.tokenMs + t.tickMs);
      expect(h.s.nodes.pve3!.members).toEqual(['pve1', 'pve2', 'pve3']);
      expect(h.quorate('pve3')).toBe(true);
    });

  it('a node moves from one group to another only once its old links have timed out', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.advance(5000);
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3']] });
    h.advance(DETECT);
    expect(h.s.partitions).toEqual([['pve1', 'pve2'], ['pve3']]);
    h.fault({ kind: 'partition', groups: [['pve1'], ['pve2', 'pve3']] });
    const at = h.now;
    // pve2 now hears pve3, but its ring with pve1 holds until the 1–2 link times out.
    h.advance(T.deadAfterMs);
    expect(h.s.partitions).toEqual([['pve1', 'pve2'], ['pve3']]);
    expect(h.s.nodes.pve2!.members).toEqual(['pve1', 'pve2']);
    const movedAt = h.until(() => partitionOf(h.s, 'pve2')!.includes('pve3'), 30_000);
    expect(movedAt).toBeGreaterThan(at + T.deadAfterMs);
    expect(movedAt).toBeLessThanOrEqual(at + T.deadAfterMs + T.tokenMs + T.tickMs);
    expect(h.s.partitions).toEqual([['pve1'], ['pve2', 'pve3']]);
    expect(h.quorate('pve2') && h.quorate('pve3') && !h.quorate('pve1')).toBe(true);
    expect(h.of('membership-changed', (e) => e.members.join() === 'pve2,pve3')).toHaveLength(1);
  });

  it('the other way round: pve2 leaves {2,3} for pve1 only after the 2–3 link times out', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.fault({ kind: 'partition', groups: [['pve1'], ['pve2', 'pve3']] });
    h.advance(DETECT);
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3']] });
    h.advance(T.deadAfterMs - T.tickMs);
    expect(h.s.partitions).toEqual([['pve1'], ['pve2', 'pve3']]);
    h.advance(T.tokenMs + 2 * T.tickMs);
    expect(h.s.partitions).toEqual([['pve1', 'pve2'], ['pve3']]);
  });

  it('a node restarted by a reset starts alone and merges one token time after it is heard', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.fault({ kind: 'power', node: 'pve3', action: 'reset' });
    h.until(() => h.s.nodes.pve3!.power === 'on', 60_000);
    const bootedAt = h.now;
    expect(h.s.nodes.pve3!.members).toEqual(['pve3']);
    const mergedAt = h.until(() => h.s.partitions.length === 1, 30_000);
    expect(mergedAt - bootedAt).toBeGreaterThanOrEqual(T.tokenMs - T.heartbeatMs);
    expect(mergedAt - bootedAt).toBeLessThanOrEqual(T.tokenMs + T.tickMs);
  });
});
