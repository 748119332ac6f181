// ClusterObject's storage (its Durable Object SQLite): the sim state split into parts, the room's
// meta, the append-only event log, the terminal rings, and the multiplexed alarm's deadlines.
//
// Why parts: a 64-node state is ~0.7–2 MiB of JSON, over what one row (and one write) should
// carry. The state is stored as one `core` row (config, VMs, incidents, votes, timeline …) plus
// the nodes in chunks (src/rooms/state-parts.ts). Each save serialises only the parts that may
// have changed (PartTexts) and writes only those whose text did change: a tick rewrites `core` and
// the node chunks (heard times), not /etc/pve nor the links. Chunks keep a 5-node team at 4 rows
// (2 written per tick) and a 64-node cluster's values far below 128 KiB (docs/performance.md,
// "Storage").
import type { ClusterState, SimEvent } from '../sim/types';
import type { TerminalEntry } from '../protocol/messages';
import type { ClusterMeta, Deadline } from './cluster-types';
import { joinState, PartTexts, splitState, type Parts } from './state-parts';
import { flushInputs } from './input-log';
import { flushEvents } from '../db/queries';

/** No stored value may come near the platform's limits; tests check this bound. */
export const MAX_VALUE_BYTES = 128 * 1024;

/** Every this many saves, every part is serialised and compared (a safety net should a rule edit
 * an /etc/pve copy in place: what PartTexts trusts to be unchanged is then written all the same,
 * and the error logged). About once a minute at one tick per second. */
export const FULL_CHECK_EVERY = 60;

const NON_ASCII = /[^\u0000-\u007f]/;

export class ClusterStore {
  /** the text last written for each sim part and kv key: a save writes only what differs */
  private written = new Map<string, string>();
  /** what a save wrote, for the tests and the bench (bytes of the largest value, rows written) */
  readonly stats = { rows: 0, maxBytes: 0, lastSimKeys: [] as string[], lastSimBytes: 0 };
  /** serialises only the parts that may have changed (src/rooms/state-parts.ts) */
  private parts = new PartTexts();
  private saves = 0;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS sim_parts (k TEXT PRIMARY KEY, v TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, type TEXT NOT NULL, node TEXT, data TEXT NOT NULL)`);
  }

  // ------------------------------------------------------------ kv rows

  get<T>(k: string): T | undefined {
    const v = this.sql.exec<{ v: string }>(`SELECT v FROM kv WHERE k = ?`, k).toArray()[0]?.v;
    if (v !== undefined) this.written.set(`kv:${k}`, v);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  /** Writes a kv row unless it holds this very text already. */
  put(k: string, value: unknown): void {
    const v = JSON.stringify(value);
    if (this.written.get(`kv:${k}`) === v) return;
    this.written.set(`kv:${k}`, v);
    this.count(v);
    this.sql.exec(`INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`, k, v);
  }

  private count(v: string): void {
    this.stats.rows++;
    // The UTF-8 length is what the platform counts: the text's length when it is ASCII (JSON of
    // the state nearly always is) or too short to near the bound even at 3 bytes per character.
    const bytes = v.length < MAX_VALUE_BYTES / 4 || !NON_ASCII.test(v) ? v.length : new TextEncoder().encode(v).length;
    if (bytes > this.stats.maxBytes) this.stats.maxBytes = bytes;
  }

  // ------------------------------------------------------------ meta (holders apart: they change every tick)

  loadMeta(): ClusterMeta | null {
    const meta = this.get<ClusterMeta>('meta');
    if (!meta) return null;
    const holders = this.get<ClusterMeta['holders']>('holders');
    if (holders) meta.holders = holders;
    return meta;
  }

  /** Two rows, each written only when its text changed: the meta (seldom) and the seat holders'
   * presence counts (on every tick a seat is held: an eviction loses none of them; the row is
   * small and goes out in the tick's own transaction). */
  saveMeta(meta: ClusterMeta): void {
    const { holders = {}, ...rest } = meta;
    this.put('meta', rest);
    this.put('holders', holders);
  }

  // ------------------------------------------------------------ sim state, by parts

  loadSim(): ClusterState | null {
    const parts: Parts = new Map();
    for (const r of this.sql.exec<{ k: string; v: string }>(`SELECT k, v FROM sim_parts`)) parts.set(r.k, r.v);
    for (const [k, v] of parts) this.written.set(`sim:${k}`, v);
    this.parts = new PartTexts();
    if (parts.size) return joinState(parts);
    // A room stored before the parts: one JSON row, moved to parts on its next save.
    const legacy = this.get<ClusterState>('sim');
    if (legacy) this.sql.exec(`DELETE FROM kv WHERE k = 'sim'`);
    return legacy ?? null;
  }

  /** Writes the parts of the state that changed; returns how many rows were written. */
  saveSim(s: ClusterState): number {
    let n = 0;
    this.stats.lastSimKeys = [];
    this.stats.lastSimBytes = 0;
    const write = (k: string, v: string) => {
      if (this.written.get(`sim:${k}`) === v) return;
      this.stats.lastSimKeys.push(k);
      this.stats.lastSimBytes += v.length;
      this.written.set(`sim:${k}`, v);
      this.count(v);
      this.sql.exec(`INSERT INTO sim_parts (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`, k, v);
      n++;
    };
    for (const [k, v] of this.parts.changed(s)) write(k, v);
    if (++this.saves % FULL_CHECK_EVERY === 0) {
      for (const [k, v] of splitState(s)) {
        if (this.written.get(`sim:${k}`) === v) continue;
        console.error(`ClusterStore.saveSim: part ${k} changed unseen (an /etc/pve copy edited in place?); written now`);
        this.parts = new PartTexts();
        write(k, v);
      }
    }
    return n;
  }

  // ------------------------------------------------------------ event log

  appendEvents(events: SimEvent[]): void {
    for (const e of events) {
      const node = 'node' in e && typeof e.node === 'string' ? e.node : null;
      const data = JSON.stringify(e);
      this.count(data);
      this.sql.exec(`INSERT OR IGNORE INTO events (seq, at, type, node, data) VALUES (?, ?, ?, ?, ?)`, e.seq, e.at, e.type, node, data);
    }
  }

  /** Copies the log entries after `meta.flushedSeq`, then the input log, to D1 in idempotent
   * batches (the primary key makes re-sends no-ops); `meta.flushedSeq` follows. */
  async flushToD1(d1: D1Database, meta: ClusterMeta): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = this.readEvents(meta.flushedSeq, 500);
      if (batch.length === 0) break;
      await flushEvents(d1, meta.labId, meta.teamId, batch);
      meta.flushedSeq = batch.at(-1)!.seq;
      this.saveMeta(meta);
      total += batch.length;
    }
    await flushInputs(this.sql, d1, meta.labId, meta.teamId);
    return total;
  }

  readEvents(afterSeq = 0, limit = 100_000): SimEvent[] {
    return this.sql
      .exec<{ data: string }>(`SELECT data FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, afterSeq, limit)
      .toArray()
      .map((r) => JSON.parse(r.data) as SimEvent);
  }

  // ------------------------------------------------------------ terminal rings (per seat)

  terminal(seatId: string): TerminalEntry[] {
    return this.get<TerminalEntry[]>(`term:${seatId}`) ?? [];
  }

  // ------------------------------------------------------------ deadlines

  /** The deadlines as stored: a `tick` is stored as 0 ("due whenever the alarm fires"), so the row
   * is written when a deadline appears or goes, not on every tick (the alarm itself is durable). */
  loadDeadlines(): Partial<Record<Deadline, number>> {
    return this.get<Partial<Record<Deadline, number>>>('deadlines') ?? {};
  }

  saveDeadlines(d: Partial<Record<Deadline, number>>): void {
    this.put('deadlines', d.tick === undefined ? d : { ...d, tick: 0 });
  }
}
