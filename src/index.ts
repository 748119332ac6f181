import { Hono } from 'hono';
import type { Env } from './env';
import { api, ws } from './api/routes';
import { reports } from './api/reports';

export { LabObject } from './rooms/lab';
export { ClusterObject } from './rooms/cluster';

const app = new Hono<{ Bindings: Env }>();

app.get('/api/health', (c) => c.json({ ok: true }));
app.route('/api', api);
app.route('/api', reports); // graded reports and replay (src/api/reports.ts)
app.route('/ws', ws);

// One error shape for every API answer: { error: { code, message } }.
app.notFound((c) => c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404));
app.onError((err, c) => {
  console.error('worker: unhandled error', err);
  return c.json({ error: { code: 'internal', message: 'Internal error' } }, 500);
});

export default app;
