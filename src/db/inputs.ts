// D1 side of the engine's input log (src/rooms/input-log.ts): batched idempotent inserts, and
// pages for a replay (src/api/replay.ts).
import { and, eq, gt } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { inputs } from './schema';

/** D1 binds at most 100 parameters per statement: 5 columns a row. */
const ROWS_PER_STATEMENT = 19;

export async function insertInputs(d1: D1Database, labId: string, teamId: string, rows: { seq: number; at: number; row: unknown }[]): Promise<void> {
  if (!rows.length) return;
  const d = drizzle(d1);
  const values = rows.map((r) => ({ labId, teamId, seq: r.seq, atMs: r.at, dataJson: JSON.stringify(r.row) }));
  const statements = [];
  for (let i = 0; i < values.length; i += ROWS_PER_STATEMENT) statements.push(d.insert(inputs).values(values.slice(i, i + ROWS_PER_STATEMENT)).onConflictDoNothing());
  await d.batch(statements as [(typeof statements)[number], ...typeof statements]);
}

export async function teamInputsPage(d1: D1Database, labId: string, teamId: string, afterSeq: number, limit: number) {
  return drizzle(d1)
    .select()
    .from(inputs)
    .where(and(eq(inputs.labId, labId), eq(inputs.teamId, teamId), gt(inputs.seq, afterSeq)))
    .orderBy(inputs.seq)
    .limit(limit);
}
