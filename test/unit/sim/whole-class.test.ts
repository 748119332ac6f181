// The generated whole-class scenario: ids, refusals, a valid config at every size, and the cut at
// 1 min played on the engine (the larger half, or the QDevice's half, keeps quorum; all merge).
import { describe, expect, it } from 'vitest';
import { createCluster, step } from '../../../src/sim/index';
import { buildClusterConfig, getScenario } from '../../../src/sim/scenarios';
import { checkScenario } from '../../../src/sim/scenario-schema';
import { wholeClassFromId, wholeClassId, wholeClassRefusal, wholeClassScenario } from '../../../src/sim/whole-class';
import type { ClusterState, SimEvent } from '../../../src/sim/types';

function play(id: string, untilMs: number, at: number[] = []): { s: ClusterState; events: SimEvent[]; seen: Map<number, ClusterState> } {
  const sc = getScenario(id)!;
  const s = createCluster(buildClusterConfig(sc, { timing: 'course', voteMode: 'auto' }), id);
  step(s, { type: 'schedule', at: 0, faults: sc.timeline });
  const events: SimEvent[] = [];
  const seen = new Map<number, ClusterState>();
  for (let t = 1000; t <= untilMs; t += 1000) {
    events.push(...step(s, { type: 'tick', at: t }).events);
    if (at.includes(t)) seen.set(t, JSON.parse(JSON.stringify(s)) as ClusterState);
  }
  return { s, events, seen };
}

describe('whole-class scenario', () => {
  it('names itself by its parameters, and getScenario resolves the name', () => {
    expect(wholeClassId(64)).toBe('whole-class-64');
    expect(wholeClassId(30, { qdevice: true })).toBe('whole-class-30-qdevice');
    expect(getScenario('whole-class-64')!.cluster.nodes).toHaveLength(64);
    expect(getScenario('whole-class-30-qdevice')!.qdeviceSeat).toBe(true);
    expect(wholeClassFromId('whole-class-64')).toBe(wholeClassFromId('whole-class-64')); // built once
  });

  it('refuses sizes out of 2..64 and a QDevice with an odd node count, in French and English', () => {
    for (const id of ['whole-class-1', 'whole-class-65', 'whole-class-99', 'whole-class-7-qdevice', 'whole-class-', 'whole-class-08x']) expect(getScenario(id)).toBeUndefined();
    expect(wholeClassRefusal(65)).toMatch(/nœuds .* nodes/);
    expect(wholeClassRefusal(7, { qdevice: true })).toMatch(/pair .* even/);
    expect(() => wholeClassScenario(1)).toThrow();
  });

  it('gives a valid config at every size, with unique IPs that do not take the QDevice address', { timeout: 60_000 }, () => {
    for (let n = 2; n <= 64; n++)
      for (const qdevice of n % 2 ? [false] : [false, true]) {
        const sc = wholeClassScenario(n, { qdevice });
        expect(checkScenario(sc)).toMatchObject({ ok: true });
        expect(sc.cluster.nodes.map((x) => x.name)).toEqual(Array.from({ length: n }, (_, i) => `pve${i + 1}`));
      }
  });

  it('64 nodes: the larger half keeps quorum after the cut, the smaller loses it, all merge after the heal', { timeout: 60_000 }, () => {
    const { s, events, seen } = play('whole-class-64', 200_000, [90_000]);
    const cut = seen.get(90_000)!;
    expect(cut.partitions.map((p) => p.length).sort()).toEqual([31, 33]);
    expect(cut.nodes.pve1!.quorate).toBe(true);
    expect(cut.nodes.pve64!.quorate).toBe(false);
    expect(events.some((e) => e.type === 'split-brain-started')).toBe(false);
    expect(s.partitions).toHaveLength(1);
    expect(Object.values(s.nodes).every((n) => n.quorate)).toBe(true);
  });

  it('64 nodes + QDevice: two equal halves, exactly one holds quorum (the QDevice vote)', { timeout: 60_000 }, () => {
    const { seen } = play('whole-class-64-qdevice', 90_000, [90_000]);
    const cut = seen.get(90_000)!;
    expect(cut.partitions.map((p) => p.length)).toEqual([32, 32]);
    expect(cut.partitions.filter((p) => cut.nodes[p[0]!]!.quorate)).toHaveLength(1);
    expect(cut.qdevice!.votedFor).not.toBeNull();
  });
});
