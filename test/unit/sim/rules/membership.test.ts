// rules/membership: rings, detection, heartbeat-lost.
import { describe, expect, it } from 'vitest';
import { partitionInfo, partitionOf, timingFor } from '../../../../src/sim/index';
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
