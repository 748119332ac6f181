// The room's state layout (src/rooms/state-parts.ts): split into parts and joined back to the
// same state (nodes, links and heard times in their order, so a reloaded room replays identically), every part far
// below 128 KiB at 64 nodes, and a tick changes the core and node chunks only. The incremental
// serialiser (PartTexts) gives exactly the parts a full split gives, serialising only what moved.
import { describe, expect, it } from 'vitest';
import { createCluster, step } from '../../src/sim/index';
import { SCENARIOS, buildClusterConfig, getScenario } from '../../src/sim/scenarios';
import { MAX_VALUE_BYTES } from '../../src/rooms/cluster-store';
import { joinState, PartTexts, splitState } from '../../src/rooms/state-parts';
import type { ClusterState, SimInput } from '../../src/sim/types';

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

  it('the incremental serialiser always agrees with a full split, and leaves out what did not move', { timeout: 60_000 }, () => {
    const sc = getScenario('whole-class-64')!;
    const s = createCluster(buildClusterConfig(sc, { timing: 'course', voteMode: 'auto' }), 'parts');
    const names = s.config.nodes.map((n) => n.name);
    const texts = new PartTexts();
    const stored = new Map(texts.changed(s));
    expect(stored).toEqual(splitState(s));
    const inputs: SimInput[] = [
      { type: 'fault', at: 0, fault: { kind: 'link-quality', a: 'pve3', b: 'pve40', loss: 0.2, latencyMs: 30 } },
      { type: 'fault', at: 0, fault: { kind: 'partition', groups: [names.slice(0, 40), names.slice(40)] } },
      { type: 'command', at: 0, node: 'pve1', line: 'touch /etc/pve/notes.txt' },
      { type: 'fault', at: 0, fault: { kind: 'power', node: 'pve9', action: 'off' } },
      { type: 'fault', at: 0, fault: { kind: 'heal' } },
      { type: 'fault', at: 0, fault: { kind: 'power', node: 'pve9', action: 'on' } },
      { type: 'command', at: 0, node: 'pve50', line: 'ha-manager crm-command node-maintenance enable pve51' },
    ];
    const moved = new Set<string>();
    for (let t = 1; t <= 90; t++) {
      const input = inputs[t % 12 === 0 ? t / 12 - 1 : -1];
      if (input) step(s, { ...input, at: s.now } as SimInput);
      step(s, { type: 'tick', at: t * 1000 });
      const changed = texts.changed(s);
      for (const [k, v] of changed) {
        if (stored.get(k) !== v) moved.add(k.split(':')[0]!);
        stored.set(k, v);
      }
      expect(stored).toEqual(splitState(s));
      // Links move on a fault only: a tick without one serialises none.
      if (!input) expect([...changed.keys()].filter((k) => k.startsWith('links:'))).toEqual([]);
    }
    expect([...moved].sort()).toEqual(['cfs', 'core', 'links', 'nodes']);
  });

  it('a steady tick serialises the core and the node chunks only', { timeout: 60_000 }, () => {
    const s = played('whole-class-64', 30_000);
    const texts = new PartTexts();
    texts.changed(s);
    step(s, { type: 'tick', at: s.now + 1000 });
    expect([...texts.changed(s).keys()].sort()).toEqual(['core', 'nodes:0', 'nodes:1', 'nodes:2', 'nodes:3']);
    // A new /etc/pve copy on one node (copy-on-write): its chunk only.
    s.nodes['pve40']!.cfs = { ...s.nodes['pve40']!.cfs, version: s.nodes['pve40']!.cfs.version + 1 };
    expect([...texts.changed(s).keys()].filter((k) => k.startsWith('cfs:'))).toEqual(['cfs:4']);
    // A link edited in place (faults do): the chunk of the links leaving its source only.
    s.links['pve20>pve3']!.loss = 0.5;
    expect([...texts.changed(s).keys()].filter((k) => !k.startsWith('nodes:') && k !== 'core')).toEqual(['links:1']);
  });
});
