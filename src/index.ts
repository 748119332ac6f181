import { Hono } from 'hono';
import type { Env } from './env';
import { api, ws } from './api/routes';
import { reports } from './api/reports';
import { studentResults } from './api/student-result';
import { projectorApi } from './api/projector';

export { LabObject } from './rooms/lab';
export { ClusterObject } from './rooms/cluster';

const app = new Hono<{ Bindings: Env }>();

// Security headers on every answer of the Worker (API, reports); static pages get the same from
// web/_headers. A route may set a stricter CSP of its own (reports allow their <style> by hash).
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};
app.use('*', async (c, next) => {
  await next();
  if (c.res.status === 101) return; // a WebSocket upgrade carries no page
  let res = c.res;
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) {
    if (res.headers.has(k)) continue;
    try {
      res.headers.set(k, v);
    } catch {
      // Immutable headers (a response from another object): copy once, then set.
      res = new Response(res.body, res);
      res.headers.set(k, v);
    }
  }
  c.res = res;
});

app.get('/api/health', (c) => c.json({ ok: true }));
app.route('/api', api);
app.route('/api', reports); // graded reports and replay (src/api/reports.ts)
app.route('/api', studentResults); // a student's own result after the end (src/api/student-result.ts)
app.route('/api', projectorApi); // the projector's link, mode and frame (src/api/projector.ts)
app.route('/ws', ws);

// One error shape for every API answer: { error: { code, message } }.
app.notFound((c) => c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404));
app.onError((err, c) => {
  console.error('worker: unhandled error', err);
  return c.json({ error: { code: 'internal', message: 'Internal error' } }, 500);
});

export default app;
