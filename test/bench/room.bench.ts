// Room benchmark: a real `wrangler dev` (workerd) on loopback, real WebSockets from this process.
// Measures the CPU the runtime spends on heartbeats sent as auto-responded pings (they never wake
// the Durable Object) versus heartbeat frames (each one runs webSocketMessage), and the round trip
// of a terminal command. Bounded in time and count; talks to 127.0.0.1 only.
import { readFileSync, readdirSync } from 'node:fs';
import { startDevServer } from '../support/dev-server';

const TEAMS = Number(process.env.BENCH_TEAMS ?? 8);
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 8000);
// Frames per socket per second: above a browser's 1/s to get a measurable load, under the
// per-socket rate limit (10/s) so nothing is refused.
const RATE = Number(process.env.BENCH_RATE ?? 8);
const KEY = 'bench-teacher-key';

/** CPU milliseconds (user + system) of every workerd process, read from /proc. */
function workerdCpuMs(): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('workerd')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / tick;
    } catch {
      /* process went away */
    }
  }
  return total;
}

async function json(base: string, path: string, init: { method?: string; body?: unknown; bearer?: string } = {}) {
  const r = await fetch(base + path, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: { 'content-type': 'application/json', ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  return (await r.json()) as any;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.addEventListener('open', () => resolve(ws), { once: true });
    ws.addEventListener('error', () => reject(new Error('socket error')), { once: true });
  });
}

async function phase(sockets: WebSocket[], frame: string | null): Promise<{ cpu: number; sent: number }> {
  const before = workerdCpuMs();
  const end = Date.now() + PHASE_MS;
  let sent = 0;
  while (Date.now() < end) {
    if (frame) for (const ws of sockets) ws.send(frame), sent++;
    await new Promise((r) => setTimeout(r, 1000 / RATE));
  }
  return { cpu: workerdCpuMs() - before, sent };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

const server = await startDevServer(KEY);
try {
  const lab = await json(server.base, '/api/labs', { body: { scenario: 'three-node-isolation', teams: TEAMS, timeline: false }, bearer: KEY });
  const sockets: WebSocket[] = [];
  for (let t = 1; t <= TEAMS; t++)
    for (let i = 0; i < 3; i++) {
      const j = await json(server.base, `/api/labs/${lab.code}/join`, { body: { name: `s${t}-${i}`, team: t } });
      sockets.push(await open(`${server.base.replace('http', 'ws')}/ws/labs/${lab.code}/student?token=${j.token}`));
    }
  await json(server.base, `/api/labs/${lab.code}/teacher/start`, { body: {}, bearer: lab.teacherSecret });
  const idle = await phase(sockets, null);
  const pings = await phase(sockets, '{"type":"ping"}');
  const frames = await phase(sockets, '{"type":"heartbeat"}');

  // Command round trips on one socket while the others ping.
  const ws = sockets[0]!;
  const rtts: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    const got = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer to a command within 5 s')), 5000);
      const on = (e: MessageEvent) => {
        const m = JSON.parse(String(e.data));
        if (m.type === 'output' && m.id === i) {
          ws.removeEventListener('message', on);
          clearTimeout(timer);
          resolve();
        }
      };
      ws.addEventListener('message', on);
    });
    ws.send(JSON.stringify({ type: 'command', line: 'pvecm status', id: i }));
    await got;
    rtts.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 120)); // stay under the per-socket rate limit
  }
  for (const s of sockets) s.close();

  const n = sockets.length;
  const perFrame = (p: { cpu: number; sent: number }) => (((p.cpu - idle.cpu) * 1000) / p.sent).toFixed(0);
  console.log(`Quorum Lab room bench — wrangler dev (local workerd), ${TEAMS} teams × 3 students = ${n} sockets, ${PHASE_MS / 1000} s per phase, ${RATE} frames/s per socket`);
  console.log('phase                         frames   workerd CPU ms   extra µs CPU per frame vs idle');
  console.log('----------------------------  ------   --------------   ------------------------------');
  console.log(`idle (lab running, ticking)   ${'0'.padStart(6)}   ${idle.cpu.toFixed(0).padStart(14)}   ${'-'.padStart(30)}`);
  console.log(`heartbeat as ping (auto-resp) ${String(pings.sent).padStart(6)}   ${pings.cpu.toFixed(0).padStart(14)}   ${perFrame(pings).padStart(30)}`);
  console.log(`heartbeat as frame (wakes DO) ${String(frames.sent).padStart(6)}   ${frames.cpu.toFixed(0).padStart(14)}   ${perFrame(frames).padStart(30)}`);
  console.log(`command round trip (pvecm status): p50 ${pct(rtts, 0.5).toFixed(1)} ms, p95 ${pct(rtts, 0.95).toFixed(1)} ms, max ${Math.max(...rtts).toFixed(1)} ms`);
  console.log('(CPU is read from /proc for every workerd process; /proc ticks are 10 ms, so small differences are noise.)');
} finally {
  await server.stop();
}
