// A student's own result once the lab has ended (the node page's end screen) and their own report
// page. Authorised by the seat token (the bearer header for JSON; the `t` query for the HTML page,
// which a plain link opens: never cached, never sent on as a Referer). Before the end, 409: the
// right answers must not leak while the lab runs.
import { Hono, type Context } from 'hono';
import type { Env } from '../env';
import { apiError } from '../protocol/http';
import type { Lab } from '../db/schema';
import { renderStudentHtml } from '../reports';
import { studentResult } from '../reports/student-result';
import { failure, findLab, isRefusal, refusalResponse, tooMany } from './guard';
import { htmlResponse, NO_STORE, report } from './reports';

type C = Context<{ Bindings: Env }>;

export const studentResults = new Hono<{ Bindings: Env }>();

/** The lab and the seat behind a token, or the refusal to send. */
async function seatOf(c: C, token: string | null): Promise<{ lab: Lab; seatId: string } | Response> {
  const l = await findLab(c, c.req.param('code') ?? '');
  if (isRefusal(l)) return refusalResponse(c, l);
  const me = token && token.length <= 200 ? await c.env.LAB.getByName(l.code).resolveToken(token) : null;
  if (!me) {
    const wait = await failure(c, 'code');
    return wait ? tooMany(c, wait) : c.json(apiError('unauthorized', 'unknown or revoked seat token'), 401);
  }
  if (l.status !== 'ended') return c.json(apiError('not_ended', 'results are shown once the lab has ended'), 409);
  return { lab: l, seatId: me.seat.seatId };
}

const bearer = (c: C) => /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim() ?? null;

studentResults.get('/labs/:code/me/result', async (c) => {
  const s = await seatOf(c, bearer(c));
  if (s instanceof Response) return s;
  const r = await report(c, s.lab);
  if (r instanceof Response) return r;
  const result = studentResult(r, s.seatId);
  if (!result) return c.json(apiError('no_seat', 'this seat held no node in this lab'), 404);
  return c.json(result, 200, NO_STORE);
});

studentResults.get('/labs/:code/me/report', async (c) => {
  const s = await seatOf(c, c.req.query('t') ?? null);
  if (s instanceof Response) return s;
  const r = await report(c, s.lab);
  if (r instanceof Response) return r;
  const page = renderStudentHtml(r, s.seatId, { lang: c.req.query('lang') === 'en' ? 'en' : 'fr', linkQuery: { t: c.req.query('t') ?? '' }, own: true });
  if (page === null) return c.json(apiError('no_seat', 'this seat held no node in this lab'), 404);
  return await htmlResponse(page);
});
