// Test helpers for whole labs over real sockets inside workerd.
import { env, exports } from 'cloudflare:workers';
import { runDurableObjectAlarm } from 'cloudflare:test';
import type { ClusterMeta } from '../../src/rooms/cluster';
import type { ClusterState } from '../../src/sim/types';

export const BASE = 'https://quorum-lab.test';
export const TEACHER_KEY = 'test-teacher-key';

/** A client address for the rate limits (CF-Connecting-IP): a fresh one unless a test picks one. */
export const randomIp = () => `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

export async function call(
  path: string,
  init: RequestInit & { json?: unknown; bearer?: string; ip?: string } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers = new Headers(init.headers);
  headers.set('cf-connecting-ip', init.ip ?? randomIp());
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  if (init.bearer) headers.set('authorization', `Bearer ${init.bearer}`);
  const res = await exports.default.fetch(`${BASE}${path}`, {
    method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
    headers,
    body: init.json !== undefined ? (typeof init.json === 'string' ? init.json : JSON.stringify(init.json)) : init.body,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers };
}

export interface Lab {
  code: string;
  secret: string;
  labId: string;
}

export async function createLab(options: Record<string, unknown>): Promise<Lab> {
  const r = await call('/api/labs', { json: options, bearer: TEACHER_KEY });
  if (r.status !== 201) throw new Error(`create lab: ${r.status} ${JSON.stringify(r.body)}`);
  return { code: r.body.code, secret: r.body.teacherSecret, labId: r.body.labId };
}

export async function teacher(lab: Lab, action: string, json?: unknown) {
  return call(`/api/labs/${lab.code}/teacher/${action}`, { method: 'POST', json: json ?? {}, bearer: lab.secret });
}

export class Client {
  messages: any[] = [];
  closed: { code: number; reason: string } | null = null;
  /** wall ms of the last heartbeat frame `ticks` sent for this client */
  lastHeartbeat = 0;
  constructor(public ws: WebSocket) {
    ws.addEventListener('message', (e) => {
      try {
        this.messages.push(JSON.parse(e.data as string));
      } catch {
        this.messages.push(e.data);
      }
    });
    ws.addEventListener('close', (e) => {
      this.closed = { code: e.code, reason: e.reason };
    });
  }
  send(msg: unknown) {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }
  of(type: string) {
    return this.messages.filter((m) => m?.type === type);
  }
  last(type: string) {
    return this.of(type).at(-1);
  }
  async waitFor(pred: (m: any) => boolean, what = 'message', tries = 300): Promise<any> {
    for (let i = 0; i < tries; i++) {
      const m = this.messages.find(pred);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages.slice(-5))}`);
  }
  async waitClosed(): Promise<{ code: number; reason: string }> {
    for (let i = 0; i < 300; i++) {
      if (this.closed) return this.closed;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('socket did not close');
  }
  close() {
    try {
      this.ws.close(1000, 'bye');
    } catch {
      /* closed */
    }
  }
}

export async function openSocket(path: string, ip = randomIp()): Promise<Client> {
  const res = await exports.default.fetch(`${BASE}${path}`, { headers: { Upgrade: 'websocket', 'cf-connecting-ip': ip } });
  const ws = res.webSocket;
  if (!ws) throw new Error(`no websocket: ${res.status} ${await res.text()}`);
  const c = new Client(ws);
  ws.accept();
  return c;
}

export async function join(lab: Lab, name: string, team?: number, ip?: string) {
  const r = await call(`/api/labs/${lab.code}/join`, { json: team ? { name, team } : { name }, ip });
  if (r.status !== 201) throw new Error(`join: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { seat: { seatId: string; node: string; team: number; role: string; name: string }; token: string; rejoinCode: string };
}

export const clusterStub = (lab: Lab, team = 1) => env.CLUSTER.getByName(`${lab.code}:${team}`);

/** Advances the team's cluster by n sim ticks; live students send a heartbeat before each. The
 * alarm is multiplexed (coalesced teacher snapshots share it), so alarms run until the clock moves. */
export async function ticks(lab: Lab, n: number, pingers: Client[] = [], team = 1) {
  for (let i = 0; i < n; i++) {
    // A heartbeat frame per client at most every 110 ms, like a page (the room allows 10 frames/s;
    // a node stays heard for PING_FRESH_MS of wall time, far longer than a run of fast ticks).
    for (const p of pingers)
      if (!p.closed && Date.now() - p.lastHeartbeat >= 110) {
        p.send({ type: 'heartbeat' });
        p.lastHeartbeat = Date.now();
      }
    // let the frames land before the alarm runs
    await new Promise((r) => setTimeout(r, 2));
    const before = (await simState(lab, team)).sim!.now;
    for (let k = 0, idle = 0; ; k++) {
      if (k > 5) throw new Error('the sim clock does not advance');
      // An alarm already due may be running by itself (a slow test): then none is scheduled for a
      // moment. Wait for it rather than fail at once.
      if (!(await runDurableObjectAlarm(clusterStub(lab, team)))) {
        if (++idle > 50) throw new Error('no alarm scheduled');
        await new Promise((r) => setTimeout(r, 20));
        k--;
      }
      if ((await simState(lab, team)).sim!.now > before) break;
    }
  }
}

export async function simState(lab: Lab, team = 1): Promise<{ meta: ClusterMeta | null; sim: ClusterState | null; deadlines: Record<string, number> }> {
  return JSON.parse(await clusterStub(lab, team).debugState());
}
