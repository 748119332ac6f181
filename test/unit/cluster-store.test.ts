// The room's state layout (src/rooms/cluster-store.ts): split into parts and joined back to the
// same state (nodes, links and heard times in their order, so a reloaded room replays identically), every part far
// below 128 KiB at 64 nodes, and a tick changes the core and node chunks only.
import { describe, expect, it } from 'vitest';
import { createCluster, step } from '../../src/sim/index';
import { SCENARIOS, buildClusterConfig, getScenario } from '../../src/sim/scenarios';
import { joinState, MAX_VALUE_BYTES, splitState } from '../../src/rooms/cluster-store';
import type { ClusterState } from '../../src/sim/types';

function played(id: string, ms: number): ClusterState {
  const sc = getScenario(id)!;
  const s = createCluster(buildClusterConfig(sc, { timing: 'course', voteMode: 'auto' }), id);
  step(s, { type: 'schedule', at: 0, faults: sc.timeline });
  for (let t = 1000; t <= ms; t += 1000) step(s, { type: 'tick', at: t });
  return s;
}

describe('cluster state parts', () => {
  it('joins back to the same state, in the engine’s iteration orders, for every preset and the whole class', { timeout: 60_000 }, () => {
    for (const id of [...SCENARIOS.map((s) => s.id), 'whole-class-64', 'whole-class-64-qdevice']) {
      const s = played(id, 90_000);
      const back = joinState(splitState(s))!;
      expect(back).toEqual(s);
      // The orders the engine iterates in (nodes, links, heard) come back as they were.
      expect(Object.keys(back.nodes)).toEqual(Object.keys(s.nodes));
      expect(Object.keys(back.links)).toEqual(Object.keys(s.links));
      for (const n of Object.keys(s.nodes)) expect(Object.keys(back.nodes[n]!.heard)).toEqual(Object.keys(s.nodes[n]!.heard));
      expect(splitState(back)).toEqual(splitState(s));
    }
  });

  it('keeps every part of a 64-node state far below 128 KiB, in a few rows', { timeout: 60_000 }, () => {
    const s = played('whole-class-64-qdevice', 90_000);
    const parts = splitState(s);
    expect(parts.size).toBe(1 + 4 + 8 + 4);
    for (const [, v] of parts) expect(new TextEncoder().encode(v).length).toBeLessThan(MAX_VALUE_BYTES / 2);
    expect(splitState(played('three-node-power-loss', 10_000)).size).toBe(4);
  });

  it('a steady tick changes the core and the node chunks, not /etc/pve nor the links', { timeout: 60_000 }, () => {
    const s = played('whole-class-64', 30_000);
    const before = splitState(s);
    step(s, { type: 'tick', at: s.now + 1000 });
    const changed = [...splitState(s)].filter(([k, v]) => before.get(k) !== v).map(([k]) => k);
    expect(changed.sort()).toEqual(['core', 'nodes:0', 'nodes:1', 'nodes:2', 'nodes:3']);
  });
});
