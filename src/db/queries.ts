// D1 access through drizzle. Batches respect D1's limit of 100 bound parameters per statement.
import { drizzle } from 'drizzle-orm/d1';
import { and, desc, eq, gt } from 'drizzle-orm';
import { events, labs, scores, seats, teams, type NewLab, type NewSeat, type NewTeam } from './schema';
import type { SimEvent } from '../sim/types';

export const db = (d1: D1Database) => drizzle(d1);

const EVENT_COLUMNS = 7;
const ROWS_PER_STATEMENT = Math.floor(100 / EVENT_COLUMNS);

/** Idempotent: rows already flushed are ignored thanks to the (lab, team, seq) primary key. */
export async function flushEvents(d1: D1Database, labId: string, teamId: string, batch: SimEvent[]): Promise<void> {
  if (batch.length === 0) return;
  const d = db(d1);
  const rows = batch.map((e) => ({
    labId,
    teamId,
    seq: e.seq,
    atMs: e.at,
    type: e.type,
    node: 'node' in e && typeof e.node === 'string' ? e.node : null,
    dataJson: JSON.stringify(e),
  }));
  const statements = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
    statements.push(d.insert(events).values(rows.slice(i, i + ROWS_PER_STATEMENT)).onConflictDoNothing());
  await d.batch(statements as [typeof statements[number], ...typeof statements]);
}

export async function insertLab(d1: D1Database, lab: NewLab, teamRows: NewTeam[]): Promise<void> {
  const d = db(d1);
  await d.batch([d.insert(labs).values(lab), ...teamRows.map((t) => d.insert(teams).values(t).onConflictDoNothing())]);
}

export async function insertTeam(d1: D1Database, team: NewTeam): Promise<void> {
  await db(d1).insert(teams).values(team).onConflictDoNothing();
}

export async function insertSeat(d1: D1Database, seat: NewSeat): Promise<void> {
  await db(d1).insert(seats).values(seat).onConflictDoNothing();
}

export async function updateSeat(d1: D1Database, id: string, patch: Partial<NewSeat>): Promise<void> {
  await db(d1).update(seats).set(patch).where(eq(seats.id, id));
}

export async function setLabStatus(d1: D1Database, labId: string, status: 'lobby' | 'running' | 'paused' | 'ended', at: number): Promise<void> {
  const patch: Partial<NewLab> = { status };
  if (status === 'running') patch.startedAt = at;
  if (status === 'ended') patch.endedAt = at;
  await db(d1).update(labs).set(patch).where(eq(labs.id, labId));
}

/** Merges `patch` into a lab's options_json (the report reads its weights and options there). */
export async function updateLabOptions(d1: D1Database, labId: string, patch: Record<string, unknown>): Promise<void> {
  const row = (await db(d1).select({ optionsJson: labs.optionsJson }).from(labs).where(eq(labs.id, labId)).limit(1))[0];
  if (!row) return;
  let o: Record<string, unknown> = {};
  try {
    o = JSON.parse(row.optionsJson) as Record<string, unknown>;
  } catch {
    /* start afresh */
  }
  await db(d1).update(labs).set({ optionsJson: JSON.stringify({ ...o, ...patch }) }).where(eq(labs.id, labId));
}

export async function listLabs(d1: D1Database, limit = 100) {
  return db(d1).select().from(labs).orderBy(desc(labs.createdAt)).limit(limit);
}

export async function labTeams(d1: D1Database, labId: string) {
  return db(d1).select().from(teams).where(eq(teams.labId, labId)).orderBy(teams.idx);
}

export async function teamEvents(d1: D1Database, labId: string, teamId: string) {
  return db(d1).select().from(events).where(and(eq(events.labId, labId), eq(events.teamId, teamId))).orderBy(events.seq);
}

export async function saveScores(d1: D1Database, labId: string, rows: { teamId: string; seatId: string | null; kind: string; points: number; detail: unknown }[]) {
  const d = db(d1);
  await d.batch([
    d.delete(scores).where(eq(scores.labId, labId)),
    ...rows.map((r) => d.insert(scores).values({ labId, teamId: r.teamId, seatId: r.seatId, kind: r.kind, points: r.points, detailJson: JSON.stringify(r.detail) })),
  ]);
}

// ------------------------------------------------------------ reports (read-only)

export async function labByCode(d1: D1Database, code: string) {
  return (await db(d1).select().from(labs).where(eq(labs.code, code)).limit(1))[0] ?? null;
}

export async function labSeats(d1: D1Database, labId: string) {
  return db(d1).select().from(seats).where(eq(seats.labId, labId)).orderBy(seats.joinedAt);
}

export async function labScores(d1: D1Database, labId: string) {
  return db(d1).select().from(scores).where(eq(scores.labId, labId));
}

/** One page of a team's flushed log, oldest first, after `afterSeq`. */
export async function teamEventsPage(d1: D1Database, labId: string, teamId: string, afterSeq: number, limit: number) {
  return db(d1)
    .select()
    .from(events)
    .where(and(eq(events.labId, labId), eq(events.teamId, teamId), gt(events.seq, afterSeq)))
    .orderBy(events.seq)
    .limit(limit);
}
