// D1 access to the scenarios teachers write (table custom_scenarios), always within one owner.
import { and, desc, eq } from 'drizzle-orm';
import { db } from './queries';
import { customScenarios, type CustomScenarioRow } from './schema';

/** A teacher keeps this many scenarios at most. */
export const MAX_CUSTOM_SCENARIOS = 100;

export async function listCustomScenarios(d1: D1Database, ownerHash: string): Promise<Omit<CustomScenarioRow, 'ownerHash'>[]> {
  return db(d1)
    .select({ id: customScenarios.id, scenarioId: customScenarios.scenarioId, title: customScenarios.title, source: customScenarios.source, createdAt: customScenarios.createdAt, updatedAt: customScenarios.updatedAt })
    .from(customScenarios)
    .where(eq(customScenarios.ownerHash, ownerHash))
    .orderBy(desc(customScenarios.updatedAt))
    .limit(MAX_CUSTOM_SCENARIOS);
}

export async function countCustomScenarios(d1: D1Database, ownerHash: string): Promise<number> {
  return (await listCustomScenarios(d1, ownerHash)).length;
}

export async function getCustomScenario(d1: D1Database, ownerHash: string, id: string): Promise<CustomScenarioRow | null> {
  const rows = await db(d1).select().from(customScenarios).where(and(eq(customScenarios.id, id), eq(customScenarios.ownerHash, ownerHash))).limit(1);
  return rows[0] ?? null;
}

export async function insertCustomScenario(d1: D1Database, row: CustomScenarioRow): Promise<void> {
  await db(d1).insert(customScenarios).values(row);
}

/** false when no scenario of this owner has that id */
export async function updateCustomScenario(d1: D1Database, ownerHash: string, id: string, patch: Pick<CustomScenarioRow, 'scenarioId' | 'title' | 'source' | 'updatedAt'>): Promise<boolean> {
  const r = await db(d1).update(customScenarios).set(patch).where(and(eq(customScenarios.id, id), eq(customScenarios.ownerHash, ownerHash))).returning({ id: customScenarios.id });
  return r.length > 0;
}

export async function deleteCustomScenario(d1: D1Database, ownerHash: string, id: string): Promise<boolean> {
  const r = await db(d1).delete(customScenarios).where(and(eq(customScenarios.id, id), eq(customScenarios.ownerHash, ownerHash))).returning({ id: customScenarios.id });
  return r.length > 0;
}
