// HTTP API (Hono). Validates at the edge, then calls the rooms. Errors: { error: { code, message } }.
import { Hono, type Context } from 'hono';
import { z, type ZodType } from 'zod';
import type { Env } from '../env';
import { getCookie, setCookie } from 'hono/cookie';
import { allowBody, apiError, checkpointBody, createLabBody, faultBody, joinBody, kickBody, moveBody, settingsBody } from '../protocol/http';
import { SCENARIOS, getScenario, scenarioOfLab, scenarioTitleOfLab } from '../sim/scenarios';
import { drillCluster, drillRefused } from '../sim/drills';
import { insertLab, listLabs } from '../db/queries';
import { derivedTeacherSecret, joinCode, randomToken, sameHash, sha256Hex } from './crypto';
import { relaySocket } from './relay';
import { askLab, studentSocket } from './student-socket';
import { customScenarioFor, scenarioInfo, scenarioRoutes } from './scenarios';
import { teacherSecretOk, blockedFor, failure, findLab, isRefusal, lookup, refusalResponse, SOCKET_LAB_MAX_AGE_MS, tooMany } from './guard';
import type { Lab } from '../db/schema';
import type { LabError, LabMeta } from '../rooms/lab';
import type { Attachment } from '../rooms/cluster';

type C = Context<{ Bindings: Env }>;
const MAX_BODY_BYTES = 16 * 1024;

export const api = new Hono<{ Bindings: Env }>();

async function body<T>(c: C, schema: ZodType<T>): Promise<{ ok: true; data: T } | { ok: false; res: Response }> {
  const len = Number(c.req.header('content-length') ?? '0');
  if (len > MAX_BODY_BYTES) return { ok: false, res: c.json(apiError('too_big', 'request body too large'), 413) };
  let raw: unknown;
  try {
    const text = await c.req.text();
    if (text.length > MAX_BODY_BYTES) return { ok: false, res: c.json(apiError('too_big', 'request body too large'), 413) };
    raw = text ? JSON.parse(text) : {};
  } catch {
    return { ok: false, res: c.json(apiError('bad_json', 'the body is not valid JSON'), 400) };
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    // A refused name gets its own code: the join page shows the rule in the reader's language.
    const nameIssue = r.error.issues.find((i) => i.path[0] === 'name');
    if (nameIssue) return { ok: false, res: c.json(apiError('bad_name', nameIssue.message), 400) };
    return { ok: false, res: c.json(apiError('bad_request', r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')), 400) };
  }
  return { ok: true, data: r.data };
}

function bearer(c: C): string | null {
  const h = c.req.header('authorization') ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1]!.trim() : null;
}

async function isInstructor(c: C): Promise<boolean> {
  const key = bearer(c);
  if (!key || !c.env.TEACHER_KEY) return false;
  return sameHash(await sha256Hex(key), await sha256Hex(c.env.TEACHER_KEY));
}

/** null when the instructor key is right; else 401, or 429 once this client failed too often. */
async function instructorRefusal(c: C): Promise<Response | null> {
  const blocked = blockedFor(c, 'instructor');
  if (blocked) return tooMany(c, blocked);
  if (await isInstructor(c)) return null;
  const wait = await failure(c, 'instructor');
  return wait ? tooMany(c, wait) : c.json(apiError('unauthorized', 'the instructor key is missing or wrong'), 401);
}

/** The lab of a public route (lookup, join, seat check): one lookup counted for this client, then
 * the code checked in D1, so an unknown code never reaches a Durable Object. */
async function publicLab(c: C): Promise<Lab | Response> {
  const blocked = blockedFor(c, 'code');
  if (blocked) return tooMany(c, blocked);
  const wait = await lookup(c);
  if (wait) return tooMany(c, wait);
  const l = await findLab(c, c.req.param('code') ?? '');
  return isRefusal(l) ? refusalResponse(c, l) : l;
}

/** Is this the lab's teacher secret? Checked against D1's copy of its hash. */
/** A random id per browser (HttpOnly cookie): a kicked student's browser stays known. */
const CLIENT_COOKIE = 'quorum_client';
async function clientIdHash(c: C): Promise<string> {
  let id = getCookie(c, CLIENT_COOKIE);
  if (!id || !/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
    id = randomToken(16);
    setCookie(c, CLIENT_COOKIE, id, {
      path: '/api/labs',
      httpOnly: true,
      sameSite: 'Strict',
      secure: new URL(c.req.url).protocol === 'https:',
      maxAge: 30 * 86_400,
    });
  }
  return sha256Hex(id);
}

const lab = (c: C, code: string) => c.env.LAB.getByName(code);

function labErr(c: C, r: LabError) {
  return c.json(apiError(r.error.code, r.error.message), r.error.status as 400);
}
const isErr = (r: unknown): r is LabError => !!r && typeof r === 'object' && 'error' in r;

// ------------------------------------------------------------ public

api.get('/scenarios', (c) => c.json({ scenarios: SCENARIOS.map(scenarioInfo) }));
// A teacher's own scenarios: check, dry-run, keep (src/api/scenarios.ts; instructor key only).
api.route('/scenarios', scenarioRoutes(instructorRefusal));

api.post('/labs', async (c) => {
  const refused = await instructorRefusal(c);
  if (refused) return refused;
  const b = await body(c, createLabBody);
  if (!b.ok) return b.res;
  const opts = b.data;
  // A preset, else one of this teacher's scenarios, frozen into the lab (LabMeta.scenario, D1).
  const custom = getScenario(opts.scenario) ? null : await customScenarioFor(c, opts.scenario);
  const scenario = getScenario(opts.scenario) ?? custom;
  if (!scenario) return c.json(apiError('unknown_scenario', `no scenario "${opts.scenario}"`), 400);
  const drillNo = opts.drill ? drillRefused(opts.drill, drillCluster(scenario)) : null;
  if (drillNo) return c.json(apiError('bad_drill', drillNo), 400);
  const seatsPerTeam = scenario.cluster.nodes.length + (scenario.qdeviceSeat ? 1 : 0);
  const teamSize = Math.min(opts.teamSize ?? seatsPerTeam, seatsPerTeam);
  const fixedTeams = opts.teams ?? (opts.teamSize ? null : 1);
  const teamCount = fixedTeams ?? 1;
  const labId = crypto.randomUUID();
  const secret = randomToken(24); // 192 bits
  const createdAt = Date.now();
  const title = opts.title || scenario.title.fr;
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = joinCode();
    const meta: LabMeta = {
      labId,
      code,
      title,
      scenarioId: scenario.id,
      status: 'lobby',
      settings: { scenarioId: scenario.id, voteMode: opts.voteMode, heartbeatMode: opts.heartbeatMode, timing: opts.timing, timeScale: opts.timeScale, timeline: opts.timeline, graded: opts.graded, askStudentId: opts.askStudentId, ...(opts.diagnosis || opts.drill ? { diagnosis: true } : {}), ...(opts.drill ? { drill: opts.drill } : {}), ...(opts.weights ? { weights: opts.weights } : {}) },
      fixedTeams,
      teamSize,
      teamCount,
      locked: false,
      teacherSecretHash: await sha256Hex(secret),
      createdAt,
      ...(custom ? { scenario: custom } : {}),
    };
    try {
      await insertLab(
        c.env.DB,
        { id: labId, code, scenarioId: scenario.id, title, status: 'lobby', optionsJson: JSON.stringify(opts), teacherSecretHash: meta.teacherSecretHash, scenarioJson: custom ? JSON.stringify(custom) : null, createdAt },
        Array.from({ length: teamCount }, (_, i) => ({ id: `${labId}-t${i + 1}`, labId, name: `Équipe ${i + 1}`, idx: i + 1 })),
      );
    } catch (err) {
      if (String(err).includes('UNIQUE')) continue; // code collision: draw another
      throw err;
    }
    await lab(c, code).create(meta);
    const origin = publicOrigin(c);
    return c.json(
      {
        labId,
        code,
        joinUrl: `${origin}/join.html?code=${code}`,
        teacherUrl: `${origin}/teacher.html?code=${code}#secret=${secret}`,
        teacherSecret: secret,
        teams: teamCount,
        settings: meta.settings,
      },
      201,
    );
  }
  return c.json(apiError('code_exhausted', 'could not draw a free join code'), 503);
});

api.get('/labs', async (c) => {
  const refused = await instructorRefusal(c);
  if (refused) return refused;
  const rows = await listLabs(c.env.DB);
  return c.json({
    labs: rows.map((r) => ({ code: r.code, title: r.title, scenario: r.scenarioId, scenarioTitle: scenarioTitleOfLab(r), status: r.status, createdAt: r.createdAt, startedAt: r.startedAt, endedAt: r.endedAt })),
  });
});

/** Where students reach this server: PUBLIC_ORIGIN (`npm start -- --lan` sets the LAN address), else
 * the request's own origin. Join links and QR codes use it. */
const publicOrigin = (c: C) => c.env.PUBLIC_ORIGIN || new URL(c.req.url).origin;

api.get('/config', (c) => c.json({ publicOrigin: c.env.PUBLIC_ORIGIN || null }));

/** The instructor key opens any lab's dashboard: it gets the lab secret it derives (old links keep working). */
api.get('/labs/:code/teacher-link', async (c) => {
  const refused = await instructorRefusal(c);
  if (refused) return refused;
  // D1 first: an unknown code never reaches a Durable Object.
  const l = await findLab(c, c.req.param('code') ?? '');
  if (isRefusal(l)) return refusalResponse(c, l);
  const code = l.code;
  const secret = await derivedTeacherSecret(c.env.TEACHER_KEY, code);
  return c.json({ code, teacherSecret: secret, teacherUrl: `${publicOrigin(c)}/teacher.html?code=${code}#secret=${secret}` });
});

api.get('/labs/:code', async (c) => {
  const l = await publicLab(c);
  if (l instanceof Response) return l;
  const info = await lab(c, l.code).info();
  if (!info) return c.json(apiError('not_found', 'no such lab'), 404);
  return c.json(info);
});

/** The catalogue entry of this lab's scenario: a preset, or the teacher's own frozen into the lab
 * (the student brief and the dashboard read it when the public catalogue does not list it). */
api.get('/labs/:code/scenario', async (c) => {
  const l = await publicLab(c);
  if (l instanceof Response) return l;
  const s = scenarioOfLab(l);
  return s ? c.json({ scenario: scenarioInfo(s) }) : c.json(apiError('unknown_scenario', 'this lab’s scenario cannot be read'), 404);
});

/** Join, or take a seat back with its rejoin code. The browser's previous token for this lab
 * (Bearer) and its client cookie let a kick hold: see LabObject.join. */
api.post('/labs/:code/join', async (c) => {
  const l = await publicLab(c);
  if (l instanceof Response) return l;
  const b = await body(c, joinBody);
  if (!b.ok) return b.res;
  const prior = bearer(c);
  const r = await lab(c, l.code).join({
    name: b.data.name,
    team: b.data.team,
    rejoinCode: b.data.rejoinCode,
    studentId: b.data.studentId,
    clientHash: await clientIdHash(c),
    priorTokenHash: prior && prior.length <= 200 ? await sha256Hex(prior) : undefined,
  });
  if (isErr(r)) {
    // A wrong rejoin code is a guess like a wrong join code.
    if (r.error.code === 'bad_rejoin_code') {
      const wait = await failure(c, 'code');
      if (wait) return tooMany(c, wait);
    }
    return labErr(c, r);
  }
  return c.json({ ...r, wsUrl: `/ws/labs/${l.code}/student` }, 201);
});

/** A student checks their token (reconnects after a reload). */
api.get('/labs/:code/me', async (c) => {
  const l = await publicLab(c);
  if (l instanceof Response) return l;
  const token = bearer(c);
  const me = token ? await lab(c, l.code).resolveToken(token) : null;
  if (!me) return c.json(apiError('unauthorized', 'unknown or revoked seat token'), 401);
  return c.json(me);
});

// ------------------------------------------------------------ teacher (bearer = the lab's secret)

const teacher = new Hono<{ Bindings: Env; Variables: { code: string } }>();
teacher.use('*', async (c, next) => {
  const l = await findLab(c, c.req.param('code') ?? '', 'teacher');
  if (isRefusal(l)) return refusalResponse(c, l);
  if (!(await teacherSecretOk(c.env, l, bearer(c as unknown as C)))) {
    const wait = await failure(c, 'teacher');
    return wait ? tooMany(c, wait) : c.json(apiError('unauthorized', 'teacher secret missing or wrong'), 401);
  }
  c.set('code', l.code);
  await next();
});
type TeacherC = Context<{ Bindings: Env; Variables: { code: string } }>;
type LabStub = ReturnType<Env['LAB']['getByName']>;

/** One teacher POST route: validate the body with `schema`, then let the lab act on it. */
function teacherPost<T>(path: string, schema: ZodType<T>, act: (lab: LabStub, data: T) => Promise<unknown>) {
  teacher.post(path, async (c: TeacherC) => {
    const b = await body(c as unknown as C, schema);
    if (!b.ok) return b.res;
    const r = await act(c.env.LAB.getByName(c.get('code')), b.data);
    return isErr(r) ? labErr(c as unknown as C, r) : c.json(r as object);
  });
}
const emptyBody = z.object({}).strict();
for (const action of ['start', 'pause', 'resume', 'end', 'lock', 'unlock'] as const) teacherPost(`/${action}`, emptyBody, (l) => l.control(action));
teacherPost('/heal', emptyBody, (l) => l.fault({ kind: 'heal' }));
teacherPost('/faults', faultBody, (l, d) => l.fault(d.fault, d.team));
teacherPost('/checkpoint', checkpointBody, (l, d) => l.checkpoint(d.action, d.id));
teacherPost('/kick', kickBody, (l, d) => l.kick(d.seatId));
teacherPost('/allow', allowBody, (l, d) => l.allowBack(d.seatId));
teacherPost('/move', moveBody, (l, d) => l.move(d.seatId, d.team));
teacherPost('/settings', settingsBody, (l, d) => l.settings(d));
teacher.get('/roster', async (c) => c.json({ seats: await c.env.LAB.getByName(c.get('code')).roster() }));
teacher.get('/leaderboard', async (c) => c.json({ teams: await c.env.LAB.getByName(c.get('code')).leaderboard() }));
teacher.get('/summaries', async (c) => {
  const after = Number(c.req.query('after') ?? '0');
  if (!Number.isInteger(after) || after < 0) return c.json(apiError('bad_request', 'after must be a version number'), 400);
  return c.json(await c.env.LAB.getByName(c.get('code')).teamSummaries(after));
});
teacher.get('/teams/:team/snapshot', async (c) => {
  const team = Number(c.req.param('team'));
  const meta = await c.env.LAB.getByName(c.get('code')).getMeta();
  if (!meta || !Number.isInteger(team) || team < 1 || team > meta.teamCount) return c.json(apiError('bad_team', 'no such team'), 404);
  return c.json(await c.env.CLUSTER.getByName(`${meta.code}:${team}`).getSnapshot());
});
teacher.get('/teams/:team/events', async (c) => {
  const team = Number(c.req.param('team'));
  const after = Number(c.req.query('after') ?? '0');
  const meta = await c.env.LAB.getByName(c.get('code')).getMeta();
  if (!meta || !Number.isInteger(team) || team < 1 || team > meta.teamCount) return c.json(apiError('bad_team', 'no such team'), 404);
  if (!Number.isInteger(after) || after < 0) return c.json(apiError('bad_request', 'after must be a sequence number'), 400);
  return c.json({ events: await c.env.CLUSTER.getByName(`${meta.code}:${team}`).getEvents(after, 1000) });
});
api.route('/labs/:code/teacher', teacher);

// ------------------------------------------------------------ WebSockets

/** Refuses a WebSocket with a close frame the browser can read (an HTTP 401 hides the reason). */
function refuseSocket(code: number, reason: string): Response {
  const pair = new WebSocketPair();
  pair[1].accept();
  pair[1].close(code, reason);
  return new Response(null, { status: 101, webSocket: pair[0] });
}

export const ws = new Hono<{ Bindings: Env }>();

/** A socket refused before it reached a room: unknown lab (1008) or too many attempts (1013). */
function refuseLabSocket(r: { refused: 'not_found' | 'rate_limited'; wait: number }): Response {
  return r.refused === 'rate_limited' ? refuseSocket(1013, `too many attempts, retry in ${r.wait} s`) : refuseSocket(1008, 'no such lab');
}

ws.get('/labs/:code/student', async (c) => {
  const upgrade = c.req.header('upgrade')?.toLowerCase() === 'websocket';
  const l = await findLab(c, c.req.param('code'), 'code', SOCKET_LAB_MAX_AGE_MS);
  if (isRefusal(l)) return upgrade ? refuseLabSocket(l) : refusalResponse(c, l);
  const token = c.req.query('token') ?? '';
  if (!upgrade) {
    const me = token ? await askLab(c, l, token) : null;
    return c.json(apiError(me ? 'upgrade_required' : 'unauthorized', me ? 'WebSocket only' : 'unknown or revoked seat token'), me ? 426 : 401);
  }
  return (token ? await studentSocket(c, l, token) : null) ?? refuseSocket(1008, 'invalid or revoked token');
});

ws.get('/labs/:code/teacher', async (c) => {
  const upgrade = c.req.header('upgrade')?.toLowerCase() === 'websocket';
  const l = await findLab(c, c.req.param('code'), 'teacher');
  if (isRefusal(l)) return upgrade ? refuseLabSocket(l) : refusalResponse(c, l);
  // Browsers cannot set headers on a WebSocket: the secret comes in the query string.
  const ok = await teacherSecretOk(c.env, l, c.req.query('secret') ?? null);
  if (!ok) {
    const wait = await failure(c, 'teacher');
    if (wait) return upgrade ? refuseLabSocket({ refused: 'rate_limited', wait }) : tooMany(c, wait);
  }
  if (!upgrade) return c.json(apiError(ok ? 'upgrade_required' : 'unauthorized', ok ? 'WebSocket only' : 'teacher secret missing or wrong'), ok ? 426 : 401);
  if (!ok) return refuseSocket(1008, 'teacher secret missing or wrong');
  const team = Number(c.req.query('team') ?? '1');
  const meta = await lab(c, l.code).getMeta();
  if (!meta || !Number.isInteger(team) || team < 1 || team > meta.teamCount) return refuseSocket(1008, 'no such team');
  const headers = new Headers(c.req.raw.headers);
  headers.set('X-Quorum-Attachment', encodeURIComponent(JSON.stringify({ v: 1, role: 'teacher' } satisfies Attachment)));
  return relaySocket(await c.env.CLUSTER.getByName(`${l.code}:${team}`).fetch(new Request(c.req.raw.url, { headers })));
});
