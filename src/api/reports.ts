// Report routes: graded reports (HTML, JSON, CSV), one student's page, and the replay feed, built
// from the stored session (D1) plus the tail the room has not flushed yet. Teacher secret as
// `Authorization: Bearer …`, or `?secret=` so a report opens as a link in a browser tab
// (docs/protocol.md, "Reports"). Mounted under /api in src/index.ts.
import { Hono, type Context } from 'hono';
import type { Env } from '../env';
import { apiError } from '../protocol/http';
import { labScores, labSeats, labTeams, teamEventsPage } from '../db/queries';
import { teamInputsPage } from '../db/inputs';
import type { Lab } from '../db/schema';
import type { I18nText } from '../sim/types';
import { failure, findLab, isRefusal, refusalResponse, teacherSecretOk, tooMany } from './guard';
import { buildReplay, buildReport, renderCsv, type Dialect, renderLabHtml, renderStudentHtml, ReportError, type EventRowIn, type LabReport, type Lang, type ReportInput } from '../reports';

type C = Context<{ Bindings: Env }>;

export const reports = new Hono<{ Bindings: Env }>();

const PAGE_ROWS = 2000;
/** Beyond this a team's log is cut (a report has to fit a Worker's memory and CPU time). */
const MAX_EVENTS_PER_TEAM = 100_000;

interface Authorized {
  lab: Lab;
  /** the secret came in the URL: links in the HTML page carry it on */
  secretInQuery: string | null;
}

export async function authorize(c: C): Promise<Authorized | Response> {
  // D1 only, and rate-limited like every teacher door (src/api/guard.ts).
  const lab = await findLab(c, c.req.param('code') ?? '', 'teacher');
  if (isRefusal(lab)) return refusalResponse(c, lab);
  const m = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
  const fromHeader = m ? m[1]!.trim() : null;
  const fromQuery = c.req.query('secret') ?? null;
  const secret = fromHeader ?? fromQuery;
  if (!(await teacherSecretOk(c.env, lab, secret))) {
    const wait = await failure(c, 'teacher');
    return wait ? tooMany(c, wait) : c.json(apiError('unauthorized', 'teacher secret missing or wrong'), 401);
  }
  return { lab, secretInQuery: fromHeader ? null : fromQuery };
}

/** Rows of every team: D1 first, then whatever the room logged after the last flushed seq (all of
 * a running lab's last seconds, or a final flush that failed). The room also gives its sim clock. */
async function loadInput(c: C, lab: Lab): Promise<ReportInput> {
  const [teams, seats, storedScores] = await Promise.all([labTeams(c.env.DB, lab.id), labSeats(c.env.DB, lab.id), labScores(c.env.DB, lab.id)]);
  const events: EventRowIn[] = [];
  const clocks: Record<string, number> = {};
  const notes: I18nText[] = [];
  for (const team of teams) {
    let after = 0;
    let count = 0;
    for (;;) {
      const page = await teamEventsPage(c.env.DB, lab.id, team.id, after, PAGE_ROWS);
      events.push(...page);
      count += page.length;
      if (page.length > 0) after = page.at(-1)!.seq;
      if (page.length < PAGE_ROWS || count >= MAX_EVENTS_PER_TEAM) break;
    }
    try {
      const room = c.env.CLUSTER.getByName(`${lab.code}:${team.idx}`);
      if (count < MAX_EVENTS_PER_TEAM) {
        const tail = await room.getEvents(after, MAX_EVENTS_PER_TEAM - count);
        for (const e of tail) {
          const node = 'node' in e && typeof e.node === 'string' ? e.node : null;
          events.push({ teamId: team.id, seq: e.seq, atMs: e.at, type: e.type, node, dataJson: JSON.stringify(e) });
        }
        count += tail.length;
      }
      clocks[team.id] = (await room.getSnapshot()).now;
    } catch (err) {
      console.error('reports.loadInput: room unreachable, D1 only', team.id, err);
      notes.push({
        fr: `Équipe ${team.idx} : la salle n’a pas répondu ; seuls les événements déjà copiés dans D1 sont utilisés.`,
        en: `Team ${team.idx}: the room did not answer; only the events already copied to D1 are used.`,
      });
    }
    if (count >= MAX_EVENTS_PER_TEAM)
      notes.push({ fr: `Équipe ${team.idx} : journal tronqué à ${MAX_EVENTS_PER_TEAM} événements.`, en: `Team ${team.idx}: log cut at ${MAX_EVENTS_PER_TEAM} events.` });
  }
  return { lab, teams, seats, events, storedScores, clocks, notes, generatedAt: Date.now() };
}

export async function report(c: C, lab: Lab): Promise<LabReport | Response> {
  try {
    return buildReport(await loadInput(c, lab));
  } catch (err) {
    if (err instanceof ReportError) return c.json(apiError(err.code, err.message), 409);
    throw err;
  }
}

const lang = (c: C): Lang => (c.req.query('lang') === 'en' ? 'en' : 'fr');
/** `?dialect=fr` (semicolon, decimal comma) or `en` (comma, decimal point); else the report's language. */
const dialect = (c: C): Dialect => {
  const d = c.req.query('dialect');
  return d === 'fr' || d === 'en' ? d : lang(c);
};

// The secret may sit in the URL: never cache, never send it on as a Referer. The page has no
// script and loads nothing, which the CSP states; its one <style> block is allowed by its hash
// (no 'unsafe-inline').
export async function htmlResponse(body: string): Promise<Response> {
  const css = /<style>([\s\S]*?)<\/style>/.exec(body)?.[1] ?? '';
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(css));
  const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
  return new Response(body, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'content-security-policy': `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    },
  });
}

export const NO_STORE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

reports.get('/labs/:code/report', async (c) => {
  const a = await authorize(c);
  if (a instanceof Response) return a;
  const r = await report(c, a.lab);
  if (r instanceof Response) return r;
  return await htmlResponse(renderLabHtml(r, { lang: lang(c), linkQuery: a.secretInQuery ? { secret: a.secretInQuery } : {} }));
});

reports.get('/labs/:code/report.json', async (c) => {
  const a = await authorize(c);
  if (a instanceof Response) return a;
  const r = await report(c, a.lab);
  if (r instanceof Response) return r;
  return c.json(r, 200, NO_STORE);
});

reports.get('/labs/:code/report.csv', async (c) => {
  const a = await authorize(c);
  if (a instanceof Response) return a;
  const r = await report(c, a.lab);
  if (r instanceof Response) return r;
  const d = dialect(c);
  return new Response(renderCsv(r, d), {
    headers: {
      ...NO_STORE,
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="quorum-lab-${r.lab.code}-${d}.csv"`,
      'x-content-type-options': 'nosniff',
    },
  });
});

reports.get('/labs/:code/report/students/:seatId', async (c) => {
  const a = await authorize(c);
  if (a instanceof Response) return a;
  const seatId = c.req.param('seatId');
  if (seatId.length > 64) return c.json(apiError('no_seat', 'no such seat'), 404);
  const r = await report(c, a.lab);
  if (r instanceof Response) return r;
  const page = renderStudentHtml(r, seatId, { lang: lang(c), linkQuery: a.secretInQuery ? { secret: a.secretInQuery } : {} });
  if (page === null) return c.json(apiError('no_seat', 'no such seat'), 404);
  return await htmlResponse(page);
});

reports.get('/labs/:code/replay', async (c) => {
  const a = await authorize(c);
  if (a instanceof Response) return a;
  const input = await loadInput(c, a.lab);
  return c.json(buildReplay(input.lab, input.teams, input.seats, input.events), 200, NO_STORE);
});

/** A team's engine input log (D1, then the room's unflushed tail) for the replay page, which re-runs
 * it with the engine's own rules (src/reports/rerun.ts). */
reports.get('/labs/:code/teams/:team/inputs', async (c) => {
  const a = await authorize(c);
  if (a instanceof Response) return a;
  const idx = Number(c.req.param('team'));
  const team = (await labTeams(c.env.DB, a.lab.id)).find((t) => t.idx === idx);
  if (!team) return c.json(apiError('no_team', 'no such team'), 404);
  const rows: unknown[] = [];
  let after = -1;
  for (;;) {
    const page = await teamInputsPage(c.env.DB, a.lab.id, team.id, after, PAGE_ROWS);
    for (const r of page) rows.push(JSON.parse(r.dataJson));
    if (page.length) after = page.at(-1)!.seq;
    if (page.length < PAGE_ROWS || rows.length >= MAX_EVENTS_PER_TEAM) break;
  }
  try {
    const tail = await c.env.CLUSTER.getByName(`${a.lab.code}:${team.idx}`).getInputs(after, MAX_EVENTS_PER_TEAM);
    for (const r of tail) rows.push(r.row);
  } catch (err) {
    console.error('reports.inputs: room unreachable, D1 only', team.id, err);
  }
  return c.json({ team: idx, rows }, 200, NO_STORE);
});
