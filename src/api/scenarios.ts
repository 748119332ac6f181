// Teachers' own scenarios (docs/scenarios.md): check a file, dry-run it headless, keep it in D1 per
// instructor key, and the one lookup that lab creation uses. Every route but the catalogue entry
// builder needs the instructor key: a student (join code, seat token, lab secret) reaches none.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Env } from '../env';
import { apiError } from '../protocol/http';
import type { ScenarioSummary } from '../protocol/lobby';
import { sha256Hex } from './crypto';
import { formatScenarioJson, parseScenarioText, MAX_SCENARIO_CHARS, type ScenarioError } from '../sim/scenario-text';
import { getScenario } from '../sim/scenarios';
import { dryRun } from '../reports/dry-run';
import type { Scenario } from '../sim/types';
import {
  countCustomScenarios,
  deleteCustomScenario,
  getCustomScenario,
  insertCustomScenario,
  listCustomScenarios,
  MAX_CUSTOM_SCENARIOS,
  updateCustomScenario,
} from '../db/custom-scenarios';

type C = Context<{ Bindings: Env }>;
/** A scenario of MAX_SCENARIO_CHARS characters, each up to 3 bytes in UTF-8 and escaped in JSON. */
const MAX_BODY_BYTES = 4 * MAX_SCENARIO_CHARS;
const CUSTOM_ID = /^custom-[0-9a-f]{16}$/;

/** What the catalogue shows of a scenario (GET /api/scenarios, the dashboard, the student brief). */
export function scenarioInfo(s: Scenario): ScenarioSummary {
  return {
    id: s.id,
    title: s.title,
    description: s.description,
    goals: s.goals,
    concepts: s.concepts,
    nodes: s.cluster.nodes.length,
    nodeNames: s.cluster.nodes.map((n) => n.name),
    qdevice: !!s.cluster.qdevice,
    qdeviceSeat: s.qdeviceSeat,
    objectives: s.objectives.map((o) => ({ id: o.id, title: o.title, points: o.points })),
    checkpoints: s.checkpoints.map((c) => ({ id: c.id, title: c.title, atMs: c.atMs })),
    ...(s.cluster.networks?.length ? { networks: s.cluster.networks.map((n) => ({ id: n.id, vlan: n.vlan ?? null, roles: [...n.roles], addrs: { ...n.addrs } })) } : {}),
  };
}

/** Whose scenarios: the hash of the Bearer key (already checked by the caller). */
export async function ownerOf(c: C): Promise<string> {
  const m = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
  return sha256Hex(m ? m[1]!.trim() : '');
}

/** The scenario a lab is created with when its id is a custom one: checked again (the schema may
 * have grown stricter since it was saved) and renamed to its custom id, so no preset is shadowed.
 * null when it is not this teacher's or no longer valid. */
export async function customScenarioFor(c: C, id: string): Promise<Scenario | null> {
  if (!CUSTOM_ID.test(id)) return null;
  const row = await getCustomScenario(c.env.DB, await ownerOf(c), id);
  if (!row) return null;
  const r = parseScenarioText(row.source);
  return r.ok ? { ...r.scenario, id: row.id } : null;
}

const textBody = z.strictObject({ text: z.string() });
const dryRunBody = z.strictObject({
  text: z.string().optional(),
  /** a saved scenario (custom-…) instead of a text */
  id: z.string().max(64).optional(),
  timing: z.enum(['course', 'real']).default('course'),
  voteMode: z.enum(['auto', 'human']).default('auto'),
});

async function readBody<T>(c: C, schema: z.ZodType<T>): Promise<{ ok: true; data: T } | { ok: false; res: Response }> {
  const tooBig = () => ({ ok: false as const, res: c.json(apiError('too_big', `a scenario is at most ${MAX_SCENARIO_CHARS} characters`), 413) });
  if (Number(c.req.header('content-length') ?? '0') > MAX_BODY_BYTES) return tooBig();
  const raw = await c.req.text();
  if (raw.length > MAX_BODY_BYTES) return tooBig();
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, res: c.json(apiError('bad_json', 'the body is not valid JSON'), 400) };
  }
  const r = schema.safeParse(json);
  if (!r.success) return { ok: false, res: c.json(apiError('bad_request', r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')), 400) };
  return { ok: true, data: r.data };
}

/** 400 with the file's errors (line, column, path, FR/EN message). */
const refused = (c: C, errors: ScenarioError[]) =>
  c.json({ ...apiError('bad_scenario', `the scenario has ${errors.length} error(s) / le scénario contient ${errors.length} erreur(s)`), errors }, 400);

/** The routes under /api/scenarios that need the instructor key (`guard` answers 401/429 otherwise). */
export function scenarioRoutes(guard: (c: C) => Promise<Response | null>) {
  const r = new Hono<{ Bindings: Env }>();
  const only = (h: (c: C) => Promise<Response>) => async (c: C) => (await guard(c)) ?? h(c);

  // Check a text: its errors, or what the catalogue would show of it.
  r.post('/check', only(async (c) => {
    const b = await readBody(c, textBody);
    if (!b.ok) return b.res;
    const p = parseScenarioText(b.data.text);
    return p.ok ? c.json({ ok: true, scenario: scenarioInfo(p.scenario) }) : c.json({ ok: false, errors: p.errors });
  }));

  // Play a text or a saved scenario headless on autopilot: outcome, key moments, objectives.
  r.post('/dry-run', only(async (c) => {
    const b = await readBody(c, dryRunBody);
    if (!b.ok) return b.res;
    let text = b.data.text;
    if (text === undefined && b.data.id !== undefined) {
      const row = CUSTOM_ID.test(b.data.id) ? await getCustomScenario(c.env.DB, await ownerOf(c), b.data.id) : null;
      if (!row) return c.json(apiError('not_found', 'no such scenario'), 404);
      text = row.source;
    }
    if (text === undefined) return c.json(apiError('bad_request', 'give a text or an id'), 400);
    const p = parseScenarioText(text);
    if (!p.ok) return refused(c, p.errors);
    return c.json({ ok: true, result: dryRun(p.scenario, { timing: b.data.timing, voteMode: b.data.voteMode }) });
  }));

  // The list, each with its catalogue entry (absent when the file no longer passes the checks).
  // A preset as tidy text: the usual starting point of a teacher's own scenario.
  r.get('/preset/:id', only(async (c) => {
    const s = getScenario(c.req.param('id') ?? '');
    return s ? c.json({ id: s.id, source: formatScenarioJson(s) }) : c.json(apiError('not_found', 'no such preset'), 404);
  }));

  r.get('/custom', only(async (c) => {
    const rows = await listCustomScenarios(c.env.DB, await ownerOf(c));
    const out = rows.map(({ source, ...row }) => {
      const p = parseScenarioText(source);
      return { ...row, ...(p.ok ? { scenario: scenarioInfo({ ...p.scenario, id: row.id }) } : {}) };
    });
    return c.json({ scenarios: out });
  }));

  r.post('/custom', only(async (c) => {
    const b = await readBody(c, textBody);
    if (!b.ok) return b.res;
    const p = parseScenarioText(b.data.text);
    if (!p.ok) return refused(c, p.errors);
    const owner = await ownerOf(c);
    if ((await countCustomScenarios(c.env.DB, owner)) >= MAX_CUSTOM_SCENARIOS)
      return c.json(apiError('too_many', `at most ${MAX_CUSTOM_SCENARIOS} scenarios; delete one first`), 409);
    const now = Date.now();
    const id = `custom-${hex16()}`;
    await insertCustomScenario(c.env.DB, { id, ownerHash: owner, scenarioId: p.scenario.id, title: p.scenario.title.fr, source: b.data.text, createdAt: now, updatedAt: now });
    return c.json({ id, scenario: scenarioInfo({ ...p.scenario, id }) }, 201);
  }));

  r.get('/custom/:id', only(async (c) => {
    const row = await getCustomScenario(c.env.DB, await ownerOf(c), (c.req.param('id') ?? ''));
    if (!row) return c.json(apiError('not_found', 'no such scenario'), 404);
    return c.json({ id: row.id, scenarioId: row.scenarioId, title: row.title, source: row.source, createdAt: row.createdAt, updatedAt: row.updatedAt });
  }));

  r.put('/custom/:id', only(async (c) => {
    const b = await readBody(c, textBody);
    if (!b.ok) return b.res;
    const p = parseScenarioText(b.data.text);
    if (!p.ok) return refused(c, p.errors);
    const id = (c.req.param('id') ?? '');
    const ok = await updateCustomScenario(c.env.DB, await ownerOf(c), id, { scenarioId: p.scenario.id, title: p.scenario.title.fr, source: b.data.text, updatedAt: Date.now() });
    if (!ok) return c.json(apiError('not_found', 'no such scenario'), 404);
    return c.json({ id, scenario: scenarioInfo({ ...p.scenario, id }) });
  }));

  r.delete('/custom/:id', only(async (c) => {
    const ok = await deleteCustomScenario(c.env.DB, await ownerOf(c), (c.req.param('id') ?? ''));
    return ok ? c.json({ ok: true }) : c.json(apiError('not_found', 'no such scenario'), 404);
  }));
  return r;
}

function hex16(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
}
