import { describe, expect, it } from 'vitest';
import { dueCheckpoint } from '../../src/rooms/checkpoint';
import { SCENARIOS } from '../../src/sim/scenarios';

// Which scenario checkpoint the clock opens: each at its time while the scenario's timeline plays,
// none when the teacher drives by hand (docs/protocol.md, "Checkpoints").
describe('dueCheckpoint', () => {
  for (const s of SCENARIOS)
    it(`${s.id}: in order at their times with the timeline, never without it`, () => {
      const done: string[] = [];
      for (const cp of s.checkpoints) {
        expect(dueCheckpoint(s.checkpoints, true, cp.atMs - 1, done)?.id).not.toBe(cp.id);
        expect(dueCheckpoint(s.checkpoints, true, cp.atMs, done)?.id).toBe(cp.id);
        expect(dueCheckpoint(s.checkpoints, false, cp.atMs + 60_000, done)).toBeUndefined();
        done.push(cp.id);
      }
      expect(dueCheckpoint(s.checkpoints, true, 10_000_000, done)).toBeUndefined();
    });
});
