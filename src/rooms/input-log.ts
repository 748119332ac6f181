// The engine's input log of a ClusterObject: what a replay needs to rebuild the room's state with
// the same rules (createCluster + step, src/reports/rerun.ts), not a second implementation.
// The room imports `step` from here instead of src/sim: each input is recorded in memory, then
// written to SQLite when the room saves its state (`saveInputs`, called from saveState), so the
// log and the stored state always agree — a heartbeat lost with an evicted object is lost from both.
// Compact: heartbeats are not rows of their own; they ride on the next row, in order (their order
// matters: a lossy link draws from the seeded RNG for each one). One row per tick, one per other
// input. Each row also carries the event sequence number before its input: the room numbers its
// own events (seats, presence, checkpoints) in the same sequence (src/rooms/seat-log.ts).
import { step as simStep } from '../sim/index';
import type { ClusterConfig, ClusterState, NodeName, SimInput, StepResult } from '../sim/types';
import type { InputLogRow } from '../reports/rerun';
export type { InputLogRow };
import { insertInputs } from '../db/inputs';

interface Pending {
  rows: InputLogRow[];
  hb: NodeName[];
  /** the state's clock when the pending heartbeats were applied */
  hbNow: number;
  hbSeq: number;
  /** the state's sequence number after the last step: more at save time means the room numbered
   * events of its own since, and a row {seq, now} records it */
  afterStepSeq: number;
}

const pendingOf = new WeakMap<ClusterState, Pending>();

function pending(s: ClusterState): Pending {
  let p = pendingOf.get(s);
  // A state just loaded (or created): the first save writes where it stands (a harmless
  // repeat when nothing moved), so room events numbered right after a wake-up are not lost.
  if (!p) pendingOf.set(s, (p = { rows: [], hb: [], hbNow: s.now, hbSeq: s.seq, afterStepSeq: -1 }));
  return p;
}

/** The engine's `step`, logged. */
export function step(s: ClusterState, input: SimInput): StepResult {
  const p = pending(s);
  if (input.type === 'heartbeat' && input.at <= s.now) {
    if (p.hb.length === 0) {
      p.hbNow = s.now;
      p.hbSeq = s.seq;
    }
    p.hb.push(input.node);
  } else {
    p.rows.push({ seq: s.seq, now: s.now, ...(p.hb.length ? { hb: p.hb } : {}), input: structuredClone(input) });
    p.hb = [];
  }
  const r = simStep(s, input);
  p.afterStepSeq = s.seq;
  return r;
}

/** Before a save: heartbeats still in memory become a row of their own (the state being saved
 * includes them), and room events numbered since the last step a row {seq, now}. */
function closePending(s: ClusterState, p: Pending): void {
  if (p.hb.length) p.rows.push({ seq: p.hbSeq, now: p.hbNow, hb: p.hb });
  p.hb = [];
  if (s.seq !== p.afterStepSeq) {
    const last = p.rows.at(-1);
    if (last && 'seq' in last) last.after = s.seq;
    else p.rows.push({ seq: s.seq, now: s.now });
  }
  p.afterStepSeq = s.seq;
}

const ready = new WeakSet<SqlStorage>();
/** per object: the number of the next input row (saveInputs) */
const nextSeq = new WeakMap<SqlStorage, number>();
/** The table (once per object: a room created before the log existed gets it on its next save). */
function table(sql: SqlStorage): SqlStorage {
  if (!ready.has(sql)) {
    sql.exec(`CREATE TABLE IF NOT EXISTS inputs (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, data TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS inputs_flushed (k INTEGER PRIMARY KEY, seq INTEGER NOT NULL)`);
    ready.add(sql);
  }
  return sql;
}

/** The first row: the config and seed the room created its cluster with. */
export function startInputLog(sql: SqlStorage, config: ClusterConfig, seed: string): void {
  table(sql).exec(`INSERT OR IGNORE INTO inputs (seq, at, data) VALUES (0, 0, ?)`, JSON.stringify({ create: { config, seed } } satisfies InputLogRow));
}

/** Writes what was recorded since the last save (call it with the state it describes). */
export function saveInputs(sql: SqlStorage, s: ClusterState): void {
  const p = pending(s);
  closePending(s, p);
  if (!p.rows.length) return;
  table(sql);
  // The next row number, read once per object (this module is the table's only writer).
  let next = nextSeq.get(sql) ?? (sql.exec<{ n: number | null }>(`SELECT MAX(seq) AS n FROM inputs`).toArray()[0]?.n ?? 0) + 1;
  for (const r of p.rows) sql.exec(`INSERT INTO inputs (seq, at, data) VALUES (?, ?, ?)`, next++, 'now' in r ? r.now : 0, JSON.stringify(r));
  nextSeq.set(sql, next);
  p.rows = [];
}

/** Rows after `afterSeq`, oldest first. */
export function readInputs(sql: SqlStorage, afterSeq = -1, limit = 100_000): { seq: number; at: number; row: InputLogRow }[] {
  return table(sql)
    .exec<{ seq: number; at: number; data: string }>(`SELECT seq, at, data FROM inputs WHERE seq > ? ORDER BY seq LIMIT ?`, afterSeq, limit)
    .toArray()
    .map((r) => ({ seq: r.seq, at: r.at, row: JSON.parse(r.data) as InputLogRow }));
}

/** Copies rows not yet in D1, in idempotent batches (the primary key makes a re-send a no-op). */
export async function flushInputs(sql: SqlStorage, d1: D1Database, labId: string, teamId: string): Promise<number> {
  let total = 0;
  for (;;) {
    const done = table(sql).exec<{ seq: number }>(`SELECT seq FROM inputs_flushed WHERE k = 0`).toArray()[0]?.seq ?? -1;
    const batch = readInputs(sql, done, 200);
    if (!batch.length) return total;
    await insertInputs(d1, labId, teamId, batch);
    sql.exec(`INSERT INTO inputs_flushed (k, seq) VALUES (0, ?) ON CONFLICT(k) DO UPDATE SET seq = excluded.seq`, batch.at(-1)!.seq);
    total += batch.length;
  }
}
