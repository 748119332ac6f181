// The projector: a read-only screen for the room on its own device and link (docs/protocol.md,
// "Projector"). The teacher gets its link and switches its mode with the lab secret; the projector
// reads with its own key, derived one way from the stored secret hash, which opens nothing else —
// every teacher route still wants the secret. Mounted under /api in src/index.ts.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Env } from '../env';
import { apiError } from '../protocol/http';
import { PROJECTOR_MODES, type ProjectorFrame, type ProjectorMode, type ProjectorTeam } from '../protocol/projector';
import { labSeats, labTeams } from '../db/queries';
import { lastClosedCheckpoint, projectorMode, setProjectorMode } from '../db/projector';
import type { Lab } from '../db/schema';
import type { SimEvent } from '../sim/types';
import { authorize } from './reports';
import { failure, findLab, isRefusal, refusalResponse, tooMany } from './guard';
import { sameHash, sha256Hex } from './crypto';

type C = Context<{ Bindings: Env }>;
export const projectorApi = new Hono<{ Bindings: Env }>();
const NO_STORE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

/** The projector key: one-way from the secret's stored hash (knowing it gives no teacher power). */
export async function projectorKey(lab: Lab): Promise<string> {
  return (await sha256Hex(`quorum-lab projector ${lab.code} ${lab.teacherSecretHash}`)).slice(0, 32);
}

projectorApi.get('/labs/:code/projector/link', async (c) => {
  const a = await authorize(c);
  if (a instanceof Response) return a;
  const key = await projectorKey(a.lab);
  return c.json({ key, path: `/projector.html?code=${a.lab.code}#key=${key}`, mode: await projectorMode(c.env.DB, a.lab.id) }, 200, NO_STORE);
});

const modeBody = z.object({ mode: z.enum(PROJECTOR_MODES) }).strict();
projectorApi.post('/labs/:code/projector/mode', async (c) => {
  const a = await authorize(c);
  if (a instanceof Response) return a;
  const body = modeBody.safeParse(await c.req.json().catch(() => null));
  if (!body.success) return c.json(apiError('bad_request', `mode: one of ${PROJECTOR_MODES.join(', ')}`), 400);
  await setProjectorMode(c.env.DB, a.lab.id, body.data.mode);
  return c.json({ mode: body.data.mode }, 200, NO_STORE);
});

projectorApi.get('/labs/:code/projector', async (c) => {
  const lab = await findLab(c, c.req.param('code') ?? '', 'teacher');
  if (isRefusal(lab)) return refusalResponse(c, lab);
  const m = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
  if (!m || !sameHash(m[1]!.trim(), await projectorKey(lab))) {
    const wait = await failure(c, 'teacher');
    return wait ? tooMany(c, wait) : c.json(apiError('unauthorized', 'projector key missing or wrong'), 401);
  }
  return c.json(await frame(c, lab), 200, NO_STORE);
});

async function frame(c: C, lab: Lab): Promise<ProjectorFrame> {
  const mode: ProjectorMode = await projectorMode(c.env.DB, lab.id);
  const teams = await labTeams(c.env.DB, lab.id);
  const seats = mode === 'lobby' ? await labSeats(c.env.DB, lab.id) : [];
  const out: ProjectorTeam[] = await Promise.all(
    [...teams]
      .sort((a, b) => a.idx - b.idx)
      .map(async (t): Promise<ProjectorTeam> => {
        const students = seats.filter((s) => s.teamId === t.id && !s.kicked).sort((a, b) => a.joinedAt - b.joinedAt).map((s) => s.studentName);
        let snapshot: ProjectorTeam['snapshot'] = null;
        let checkpoint: ProjectorTeam['checkpoint'] = null;
        if (mode === 'live' || mode === 'question') {
          try {
            const snap = await c.env.CLUSTER.getByName(`${lab.code}:${t.idx}`).getSnapshot();
            const { votes: _v, upcoming, presence: _p, score: _s, checkpoint: cp, team: _t, status: _st, ...rest } = snap;
            snapshot = { ...rest, next: upcoming[0] ?? null };
            if (cp) checkpoint = { id: cp.id, title: cp.title, answered: cp.answered, expected: cp.expected };
          } catch (err) {
            console.error('projector: room unreachable', t.id, err);
          }
        }
        let reveal: ProjectorTeam['reveal'] = null;
        if (mode === 'question' && !checkpoint) {
          const raw = await lastClosedCheckpoint(c.env.DB, lab.id, t.id);
          const e = raw ? (JSON.parse(raw) as Extract<SimEvent, { type: 'checkpoint-closed' }>) : null;
          if (e) {
            const all = Object.values(e.results).flat();
            reveal = { id: e.checkpoint, right: all.filter((r) => r.ok).length, asked: all.length };
          }
        }
        return { index: t.idx, students, snapshot, checkpoint, reveal };
      }),
  );
  const board = mode === 'podium' ? await c.env.LAB.getByName(lab.code).leaderboard() : [];
  return { mode, lab: { code: lab.code, title: lab.title, status: lab.status }, teams: out, board };
}
