// D1 side of the projector (src/api/projector.ts): its mode per lab, and each team's last closed
// checkpoint (for the reveal).
import { and, desc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { events, projector, type ProjectorMode } from './schema';

export async function projectorMode(d1: D1Database, labId: string): Promise<ProjectorMode> {
  const row = await drizzle(d1).select().from(projector).where(eq(projector.labId, labId)).get();
  return row?.mode ?? 'lobby';
}

export async function setProjectorMode(d1: D1Database, labId: string, mode: ProjectorMode): Promise<void> {
  await drizzle(d1)
    .insert(projector)
    .values({ labId, mode, updatedAt: Date.now() })
    .onConflictDoUpdate({ target: projector.labId, set: { mode, updatedAt: Date.now() } });
}

/** The last `checkpoint-closed` event of a team, as flushed to D1 (the room flushes every 10 s). */
export async function lastClosedCheckpoint(d1: D1Database, labId: string, teamId: string): Promise<string | null> {
  const row = await drizzle(d1)
    .select({ dataJson: events.dataJson })
    .from(events)
    .where(and(eq(events.labId, labId), eq(events.teamId, teamId), eq(events.type, 'checkpoint-closed')))
    .orderBy(desc(events.seq))
    .limit(1)
    .get();
  return row?.dataJson ?? null;
}
