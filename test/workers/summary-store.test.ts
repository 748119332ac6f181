// The LabObject's copy of the teams' summaries (src/rooms/summaries.ts), in a real Durable Object's
// SQLite: served from memory at once, written together once per PERSIST_EVERY_MS, read back whole
// after an eviction.
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { PERSIST_EVERY_MS, SummaryStore } from '../../src/rooms/summaries';
import { summarize, type TeamSummary } from '../../src/protocol/summary';
import { buildClusterConfig, getScenario } from '../../src/sim/scenarios';
import { createCluster, teacherSnapshot } from '../../src/sim/index';

function summaryOf(team: number, score: number, now = 1000): TeamSummary {
  const sim = createCluster(buildClusterConfig(getScenario('three-node-isolation')!, { timing: 'course', voteMode: 'auto' }), `summary-${team}`);
  const s = summarize({ team, status: 'running', ...teacherSnapshot(sim), upcoming: [], presence: {}, score: { total: score, availability: 1 } as never, checkpoint: null });
  return { ...s, now, score };
}

describe('SummaryStore', () => {
  it('serves a summary at once and writes a burst of them together, once, when its timer fires', async () => {
    const stub = env.LAB.getByName(`summary-store-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_lab, state) => {
      const sql = state.storage.sql;
      const timers: { fn: () => void; ms: number }[] = [];
      const later = (fn: () => void, ms: number) => (timers.push({ fn, ms }), setTimeout(() => {}, 0));
      const store = new SummaryStore(sql, later);
      store.migrate();
      const stored = () => sql.exec<{ team: number; v: number; data: string }>(`SELECT team, v, data FROM summaries ORDER BY team`).toArray();

      // A storm: three teams push, team 1 twice.
      expect(store.put(summaryOf(1, 10))).toBe(true);
      expect(store.put(summaryOf(2, 20))).toBe(true);
      expect(store.put(summaryOf(1, 11, 2000))).toBe(true);
      expect(store.put(summaryOf(3, 30))).toBe(true);
      // Served from memory at once (the grid's next poll sees all three, team 1's newest)...
      expect(store.since(0, 3).teams.map((s) => [s.team, s.score])).toEqual([[1, 11], [2, 20], [3, 30]]);
      // ...nothing written yet, and a single timer for the lot.
      expect(stored()).toEqual([]);
      expect(timers.map((t) => t.ms)).toEqual([PERSIST_EVERY_MS]);

      timers[0]!.fn();
      const rows = stored();
      expect(rows.map((r) => [r.team, (JSON.parse(r.data) as TeamSummary).score])).toEqual([[1, 11], [2, 20], [3, 30]]);

      // After an eviction: the same summaries and versions, so `after=<version>` polls stay right.
      const fresh = new SummaryStore(sql, later);
      fresh.migrate();
      expect(fresh.since(0, 3)).toEqual(store.since(0, 3));
      expect(fresh.since(store.since(0, 3).version, 3).teams).toEqual([]);

      // An unchanged or older summary is not a change: nothing to write, no timer.
      expect(store.put(summaryOf(2, 20))).toBe(false);
      expect(store.put(summaryOf(1, 99, 1500))).toBe(false);
      expect(timers).toHaveLength(1);
      // The next change arms a new timer; an explicit persist writes it at once and clears it.
      expect(store.put(summaryOf(2, 21, 3000))).toBe(true);
      expect(timers).toHaveLength(2);
      store.persist();
      expect(stored().find((r) => r.team === 2)!.v).toBe(store.since(0, 3).version);
    });
  });
});
