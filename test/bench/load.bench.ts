// Load benchmark: the whole app on a real `wrangler dev` (workerd) on loopback, N simulated
// students that ping every second like the node page, one teacher socket per team like the
// dashboard, a fault every few seconds, then a reconnect storm. The same client then runs against
// a bare hibernating Durable Object (test/bench/bare/) on the same runtime: the ratio is what the
// app costs above the platform. Bounded in time and count; talks to 127.0.0.1 only.
//
//   npm run bench:load -- [--students 30] [--team-size 3|5] [--duration 30] [--fault-every 5] [--warmup 3]
//                         [--whole-class 64] [--no-bare] [--storms 3] [--relay-baseline]
//
// --relay-baseline also runs the bare object with its sockets through the Worker's relay
// (src/api/relay.ts, which the app needs: docs/performance.md, "The Worker's socket relay").
import { startDevServer } from '../support/dev-server';
import { startBareServer } from './load-bare-server';
import { busiestThread, sampleGroup, sampleThreads } from './proc-sample';

const KEY = 'bench-teacher-key';

function flag(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : dflt;
}
const WHOLE_CLASS = flag('whole-class', 0);
const STUDENTS = flag('students', WHOLE_CLASS || 30);
const TEAM_SIZE = flag('team-size', 3);
const DURATION_S = flag('duration', 30);
const FAULT_EVERY_S = flag('fault-every', 5);
/** Seconds between the last socket opening and the measured window (clusters whose students were
 * still connecting are in motion until they settle). */
const WARMUP_S = flag('warmup', 3);
if (WHOLE_CLASS && STUDENTS > WHOLE_CLASS) throw new Error(`--students ${STUDENTS} is more than the ${WHOLE_CLASS} nodes of --whole-class`);
const WITH_BARE = !process.argv.includes('--no-bare');
const WITH_RELAY_BASELINE = WITH_BARE && process.argv.includes('--relay-baseline');
/** Reconnect storms in a row (one storm is a single, noisy figure): the median is compared. */
const STORMS = Math.max(1, flag('storms', 3));

const SCENARIO_BY_SIZE: Record<number, string> = { 2: 'two-node-no-qdevice', 3: 'three-node-isolation', 4: 'four-node-split-no-qdevice', 5: 'five-node-split-3-2' };

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]! : NaN);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ clients

interface Client {
  url: string;
  team: number;
  node: string | null; // null: a teacher socket
  ws: WebSocket | null;
  /** the last seat view received (students of the app) */
  view?: any;
  /** a reconnecting node page's resume point (src/rooms/backlog.ts): its team, its last event */
  resume?: { team: number; seq: number };
  /** resolvers waiting for a frame that satisfies a predicate */
  waiters: { pred: (m: any) => boolean; done: (at: number) => void }[];
}

/** Frames counted over the measured window: server → client (free on Cloudflare) and client →
 * server (billed as requests at 20:1, auto-responded pings included). */
const frames = { in: 0, out: 0, counting: false };

function connect(c: Client): Promise<void> {
  return new Promise((resolve, reject) => {
    // Like the node page: a reconnection asks only for the events it has not seen.
    const ws = new WebSocket(c.resume ? `${c.url}&resume=${c.resume.team}.${c.resume.seq}` : c.url);
    c.ws = ws;
    const timer = setTimeout(() => reject(new Error(`no welcome within 20 s on ${c.url}`)), 20_000);
    ws.addEventListener('message', (e) => {
      const at = performance.now();
      if (frames.counting) frames.in++;
      let m: any;
      try {
        m = JSON.parse(String(e.data));
      } catch {
        return;
      }
      // Students are welcomed; a teacher socket opens with the lab status, then a snapshot.
      if (m.type === 'view') c.view = m.view;
      if (m.type === 'welcome' && m.seat) c.resume = { team: m.seat.team, seq: Math.max(c.resume?.seq ?? 0, ...(m.backlog?.journal ?? []).map((e: any) => e.seq)) };
      if (m.type === 'event' && c.resume) c.resume.seq = Math.max(c.resume.seq, m.event.seq);
      if (m.type === 'welcome' || m.type === 'status') {
        clearTimeout(timer);
        resolve();
      }
      c.waiters = c.waiters.filter((w) => {
        if (!w.pred(m)) return true;
        w.done(at);
        return false;
      });
    });
    ws.addEventListener('error', () => reject(new Error('socket error')), { once: true });
    ws.addEventListener('close', () => clearTimeout(timer), { once: true });
  });
}

function waitFor(c: Client, pred: (m: any) => boolean, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(NaN), timeoutMs);
    c.waiters.push({ pred, done: (at) => (clearTimeout(t), resolve(at)) });
  });
}

/** A room under test: the app or the bare baseline. */
interface Target {
  name: string;
  pgid: number;
  students: Client[];
  teachers: Client[];
  joinMs: number[];
  /** A change the seats of `team` must be shown: the frames that show it to a seat (null: the change
   * is nothing this seat is shown, so it is not timed), and how to cause it. */
  fault(team: number, round: number): { student: (c: Client) => ((m: any) => boolean) | null; teacher: (m: any) => boolean; fire(): Promise<void> };
  simClock?(): Promise<number>;
  stop(): Promise<void>;
}

async function post(url: string, body: unknown, bearer?: string): Promise<any> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
  const j = (await r.json().catch(() => ({}))) as any;
  if (!r.ok) throw new Error(`${url}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}

async function appTarget(): Promise<Target> {
  const server = await startDevServer(KEY);
  const wsBase = server.base.replace('http', 'ws');
  const teamSize = WHOLE_CLASS || TEAM_SIZE;
  const scenario = WHOLE_CLASS ? `whole-class-${WHOLE_CLASS}` : SCENARIO_BY_SIZE[TEAM_SIZE];
  if (!scenario) throw new Error(`--team-size must be one of ${Object.keys(SCENARIO_BY_SIZE).join(', ')}`);
  const teamsWanted = WHOLE_CLASS ? 1 : Math.ceil(STUDENTS / teamSize);
  // One lab if the server accepts that many teams, else as many labs as needed.
  const labs: { code: string; secret: string; teams: number }[] = [];
  let left = teamsWanted;
  let perLab = teamsWanted;
  while (left > 0) {
    const n = Math.min(left, perLab);
    const body = { scenario, teams: n, timeline: false };
    try {
      const lab = await post(`${server.base}/api/labs`, body, KEY);
      labs.push({ code: lab.code, secret: lab.teacherSecret, teams: n });
      left -= n;
    } catch (err) {
      if (perLab > 1 && String(err).includes('400')) {
        perLab = Math.max(1, Math.floor(perLab / 2));
        continue;
      }
      throw err;
    }
  }
  const students: Client[] = [];
  const teachers: Client[] = [];
  const joinMs: number[] = [];
  const teamLab: { code: string; secret: string; team: number }[] = [];
  for (const lab of labs) for (let t = 1; t <= lab.teams; t++) teamLab.push({ code: lab.code, secret: lab.secret, team: t });
  let k = 0;
  for (let gi = 0; gi < teamLab.length && k < STUDENTS; gi++) {
    const g = teamLab[gi]!;
    for (let i = 0; i < teamSize && k < STUDENTS; i++, k++) {
      const t0 = performance.now();
      const j = await post(`${server.base}/api/labs/${g.code}/join`, { name: `s${k}`, team: g.team });
      joinMs.push(performance.now() - t0);
      students.push({ url: `${wsBase}/ws/labs/${g.code}/student?token=${j.token}`, team: gi, node: j.seat?.node ?? null, ws: null, waiters: [] });
    }
    teachers.push({ url: `${wsBase}/ws/labs/${g.code}/teacher?secret=${g.secret}&team=${g.team}`, team: gi, node: null, ws: null, waiters: [] });
  }
  for (const lab of labs) await post(`${server.base}/api/labs/${lab.code}/teacher/start`, {}, lab.secret);
  const nodesOf = (team: number) => students.filter((s) => s.team === team && s.node?.startsWith('pve')).map((s) => s.node!);
  return {
    name: 'app',
    pgid: server.process.pid!,
    students,
    teachers,
    joinMs,
    fault(team, round) {
      const g = teamLab[team]!;
      const nodes = nodesOf(team);
      const target = nodes[round % Math.max(1, nodes.length)] ?? 'pve1';
      return {
        // A clean reboot: the node's own view changes at once, its peers see it leave at once.
        fire: () => post(`${server.base}/api/labs/${g.code}/teacher/faults`, { team: g.team, fault: { kind: 'power', node: target, action: 'reboot' } }, g.secret),
        // Timed: the target and the seats that count it as a member. A node still booting from an
        // earlier reboot (the 64-node run reboots one every 5 s) does not see it leave.
        student: (c) =>
          c.node === target ? (m) => m.type === 'view' && m.view?.power !== 'on'
          : (c.view?.members ?? []).includes(target) ? (m) => m.type === 'view' && !(m.view?.members ?? []).includes(target)
          : null,
        teacher: (m) => m.type === 'snapshot' && (m.snapshot?.nodes ?? []).some((n: any) => n.name === target && n.power !== 'on'),
      };
    },
    async simClock() {
      const g = teamLab[0]!;
      const r = await fetch(`${server.base}/api/labs/${g.code}/teacher/teams/${g.team}/snapshot`, { headers: { authorization: `Bearer ${g.secret}` } });
      return ((await r.json()) as any).now as number;
    },
    stop: () => server.stop(),
  };
}

async function bareTarget(route: 'ws' | 'relay'): Promise<Target> {
  const server = await startBareServer();
  const wsBase = server.base.replace('http', 'ws');
  const teams = Math.ceil(STUDENTS / (WHOLE_CLASS || TEAM_SIZE));
  const students: Client[] = [];
  const teachers: Client[] = [];
  for (let k = 0; k < STUDENTS; k++) {
    const team = Math.floor(k / (WHOLE_CLASS || TEAM_SIZE));
    students.push({ url: `${wsBase}/${route}/room-${team}`, team, node: `n${k}`, ws: null, waiters: [] });
  }
  for (let t = 0; t < teams; t++) teachers.push({ url: `${wsBase}/${route}/room-${t}`, team: t, node: null, ws: null, waiters: [] });
  return {
    name: route === 'ws' ? 'bare' : 'bare+relay',
    pgid: server.process.pid!,
    students,
    teachers,
    joinMs: [],
    fault(team) {
      return {
        fire: async () => void (await fetch(`${server.base}/broadcast/room-${team}`, { method: 'POST' })),
        student: () => (m) => m.type === 'view',
        teacher: (m) => m.type === 'view',
      };
    },
    stop: () => server.stop(),
  };
}

// ------------------------------------------------------------------ one run

interface Result {
  name: string;
  students: number;
  teams: number;
  joinP50: number;
  joinP95: number;
  connectS: number;
  student: number[];
  teacher: number[];
  cpuPerStudentMin: number;
  rssMb: number;
  stormS: number;
  storms: number[];
  /** CPU time over wall time during the storms (1.0 = one core busy): workerd, this client */
  stormServerBusy: number;
  stormClientBusy: number;
  /** the busiest workerd thread's share of the storms' wall time (1.0: never idle) */
  stormThreadBusy: number;
  /** each reconnection's time to its welcome, over the storms (they go 100 at a time) */
  stormConnectMs: number[];
  clockRatio: number | null;
  closes: number;
  /** frames per student-minute: received by the clients (server → client), sent by them */
  framesIn: number;
  framesOut: number;
}

async function run(target: Target): Promise<Result> {
  const all = [...target.students, ...target.teachers];
  let closes = 0;
  const t0 = performance.now();
  for (let i = 0; i < all.length; i += 50) await Promise.all(all.slice(i, i + 50).map(connect));
  const connectS = (performance.now() - t0) / 1000;
  for (const c of all) c.ws!.addEventListener('close', () => closes++);
  // Ping like the page: every second, spread over the second.
  let pinging = true;
  const pinger = (async () => {
    while (pinging) {
      const start = performance.now();
      for (const c of target.students)
        if (c.ws?.readyState === WebSocket.OPEN) {
          c.ws.send('{"type":"ping"}');
          if (frames.counting) frames.out++;
        }
      await sleep(Math.max(0, 1000 - (performance.now() - start)));
    }
  })();
  await sleep(WARMUP_S * 1000); // warm up: first views, first ticks
  const teams = target.teachers.length;
  const studentLat: number[] = [];
  const teacherLat: number[] = [];
  const before = sampleGroup(target.pgid);
  frames.in = frames.out = 0;
  frames.counting = true;
  const simBefore = target.simClock ? await target.simClock() : 0;
  const wall0 = performance.now();
  let round = 0;
  const end = wall0 + DURATION_S * 1000;
  while (performance.now() < end) {
    const team = round % teams;
    const seats = target.students.filter((s) => s.team === team);
    const teacher = target.teachers[team]!;
    const f = target.fault(team, Math.floor(round / teams));
    const waits = seats.flatMap((s) => {
      const pred = f.student(s);
      return pred ? [waitFor(s, pred)] : [];
    });
    const tWait = waitFor(teacher, f.teacher);
    const sent = performance.now();
    await f.fire();
    for (const at of await Promise.all(waits)) if (!Number.isNaN(at)) studentLat.push(at - sent);
    const ta = await tWait;
    if (!Number.isNaN(ta)) teacherLat.push(ta - sent);
    round++;
    await sleep(Math.max(0, sent + FAULT_EVERY_S * 1000 - performance.now()));
  }
  const wallMs = performance.now() - wall0;
  const after = sampleGroup(target.pgid);
  frames.counting = false;
  const perStudentMin = (n: number) => n / target.students.length / (wallMs / 60_000);
  const simAfter = target.simClock ? await target.simClock() : 0;
  const unexpectedCloses = closes; // the storms' own closes are expected
  // Reconnect storms: every student socket drops at once and comes back; the room settles between two.
  const storms: number[] = [];
  // Who is busy during a storm: the server's processes and this client (which shares the machine).
  const stormConnectMs: number[] = [];
  const stormBusy = { wallMs: 0, serverMs: 0, threadMs: 0, clientMs: 0 };
  for (let k = 0; k < STORMS; k++) {
    if (k > 0) await sleep(3000);
    for (const c of target.students) c.ws!.close();
    await sleep(500);
    const s0 = performance.now();
    const server0 = sampleGroup(target.pgid).cpuMs;
    const threads0 = sampleThreads(target.pgid);
    const client0 = process.cpuUsage();
    for (let i = 0; i < target.students.length; i += 100)
      await Promise.all(
        target.students.slice(i, i + 100).map(async (c) => {
          const t = performance.now();
          await connect(c);
          stormConnectMs.push(performance.now() - t);
        }),
      );
    const client = process.cpuUsage(client0);
    stormBusy.clientMs += (client.user + client.system) / 1000;
    stormBusy.serverMs += sampleGroup(target.pgid).cpuMs - server0;
    stormBusy.threadMs += busiestThread(threads0, sampleThreads(target.pgid));
    stormBusy.wallMs += performance.now() - s0;
    storms.push((performance.now() - s0) / 1000);
  }
  const stormS = pct(storms, 0.5);
  pinging = false;
  await pinger;
  for (const c of all) c.ws?.close();
  const cpu = after.cpuMs - before.cpuMs;
  return {
    name: target.name,
    students: target.students.length,
    teams,
    joinP50: pct(target.joinMs, 0.5),
    joinP95: pct(target.joinMs, 0.95),
    connectS,
    student: studentLat,
    teacher: teacherLat,
    cpuPerStudentMin: cpu / target.students.length / (wallMs / 60_000),
    rssMb: after.rssMb,
    stormS,
    stormServerBusy: stormBusy.serverMs / stormBusy.wallMs,
    stormClientBusy: stormBusy.clientMs / stormBusy.wallMs,
    stormThreadBusy: stormBusy.threadMs / stormBusy.wallMs,
    stormConnectMs,
    clockRatio: target.simClock ? (simAfter - simBefore) / wallMs : null,
    storms,
    closes: unexpectedCloses,
    framesIn: perStudentMin(frames.in),
    framesOut: perStudentMin(frames.out),
  };
}

const f1 = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(1));
function print(r: Result): void {
  const lat = (xs: number[]) => `p50 ${f1(pct(xs, 0.5))} · p95 ${f1(pct(xs, 0.95))} · p99 ${f1(pct(xs, 0.99))} · max ${f1(Math.max(...xs))} ms (${xs.length})`;
  console.log(`[${r.name}] ${r.students} students in ${r.teams} teams`);
  if (r.joinP50 === r.joinP50) console.log(`  join (HTTP)           p50 ${f1(r.joinP50)} ms · p95 ${f1(r.joinP95)} ms`);
  console.log(`  all sockets open      ${r.connectS.toFixed(2)} s`);
  console.log(`  fault → student view  ${lat(r.student)}`);
  console.log(`  fault → teacher       ${lat(r.teacher)}`);
  console.log(`  CPU per student-min   ${r.cpuPerStudentMin.toFixed(1)} ms (workerd, /proc, 10 ms ticks)`);
  console.log(`  workerd RSS           ${r.rssMb.toFixed(0)} MiB`);
  console.log(`  reconnect storm       ${r.stormS.toFixed(2)} s until every student was welcomed again (median of ${r.storms.map((x) => x.toFixed(2)).join(' · ')})`);
  console.log(`  during the storms     workerd ${r.stormServerBusy.toFixed(2)} cores busy (its busiest thread ${r.stormThreadBusy.toFixed(2)}) · this client ${r.stormClientBusy.toFixed(2)} cores`);
  console.log(`  one reconnection      ${lat(r.stormConnectMs)}`);
  if (r.clockRatio !== null) console.log(`  sim clock / wall      ${r.clockRatio.toFixed(3)}`);
  console.log(`  unexpected closes     ${r.closes}`);
  console.log(`  frames / student-min  ${r.framesIn.toFixed(1)} to the clients · ${r.framesOut.toFixed(1)} from them (pings)`);
}

const load = (await import('node:os')).loadavg();
console.log(
  `Quorum Lab load bench — ${STUDENTS} students, ${WHOLE_CLASS ? `one whole-class cluster of ${WHOLE_CLASS}` : `teams of ${TEAM_SIZE}`}, ${DURATION_S} s, a fault every ${FAULT_EVERY_S} s; ` +
    `load average before ${load.map((x) => x.toFixed(2)).join(' ')}, ${(await import('node:os')).cpus().length} cores`,
);
const results: Result[] = [];
const targets = [appTarget, ...(WITH_BARE ? [() => bareTarget('ws')] : []), ...(WITH_RELAY_BASELINE ? [() => bareTarget('relay')] : [])];
for (const make of targets) {
  const target = await make();
  try {
    const r = await run(target);
    results.push(r);
    print(r);
  } finally {
    await target.stop();
  }
}
const [app, ...baselines] = results as [Result, ...Result[]];
for (const base of baselines)
  console.log(`[ratio app / ${base.name}] CPU ${(app.cpuPerStudentMin / base.cpuPerStudentMin).toFixed(2)}× · storm ${(app.stormS / base.stormS).toFixed(2)}× · student p99 ${(pct(app.student, 0.99) / pct(base.student, 0.99)).toFixed(2)}×`);
