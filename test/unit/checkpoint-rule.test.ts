import { describe, expect, it } from 'vitest';
import { dueCheckpoint } from '../../src/rooms/checkpoint';
import { SCENARIOS } from '../../src/sim/scenarios';

// Which scenario checkpoint the clock opens: healthy-cluster ones always, failure ones only with
// the scenario's timeline playing (docs/protocol.md, "Checkpoints").
describe('dueCheckpoint', () => {
  for (const s of SCENARIOS)
    it(`${s.id}: the first checkpoint opens with or without the timeline; the later ones only with it`, () => {
      const [first, ...rest] = s.checkpoints;
      const firstFault = Math.min(...s.timeline.map((f) => f.atMs));
      expect(first!.atMs).toBeLessThan(firstFault);
      expect(dueCheckpoint(s.checkpoints, s.timeline, false, first!.atMs, [])?.id).toBe(first!.id);
      expect(dueCheckpoint(s.checkpoints, s.timeline, true, first!.atMs - 1, [])).toBeUndefined();
      for (const cp of rest) {
        expect(dueCheckpoint(s.checkpoints, s.timeline, false, cp.atMs + 1000, [first!.id])).toBeUndefined();
        expect(dueCheckpoint(s.checkpoints, s.timeline, true, cp.atMs, [first!.id])?.id).toBe(cp.id);
      }
    });
});
