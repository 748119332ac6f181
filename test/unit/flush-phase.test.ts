// The phase of a room's D1 flush (src/rooms/cluster-types.ts `firstFlushInMs`): the teams of a lab
// started together flush at spread times, each always at the same one.
import { describe, expect, it } from 'vitest';
import { FLUSH_EVERY_MS, firstFlushInMs } from '../../src/rooms/cluster-types';

describe('firstFlushInMs', () => {
  const lab = '3f2a9c1e-8b4d-4e6f-9a1b-2c3d4e5f6a7b';
  const teams = Array.from({ length: 100 }, (_, i) => `${lab}-t${i + 1}`);

  it('is within half a period of the usual one, and the same for the same team', () => {
    for (const t of teams) {
      const ms = firstFlushInMs(t);
      expect(ms).toBeGreaterThanOrEqual(FLUSH_EVERY_MS / 2);
      expect(ms).toBeLessThanOrEqual((FLUSH_EVERY_MS * 3) / 2);
      expect(firstFlushInMs(t)).toBe(ms);
    }
  });

  it('spreads the 100 teams of a lab over the period: no second holds a tenth of them', () => {
    const perSecond = new Map<number, number>();
    for (const t of teams) {
      const s = Math.floor(firstFlushInMs(t) / 1000);
      perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
    }
    expect(perSecond.size).toBeGreaterThan(40);
    expect(Math.max(...perSecond.values())).toBeLessThan(10);
  });
});
