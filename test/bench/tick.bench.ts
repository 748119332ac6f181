// The room's per-tick path without the runtime: `npm run bench` (after the engine bench).
// One tick of a ClusterObject whose seats are all held, as src/rooms/cluster-room.ts runs it:
// a heartbeat input per seat and the tick (engine), the save of the changed state parts and of the
// input log (ClusterStore over a stand-in for SQLite that runs nothing: the rows and bytes it
// writes are printed, SQLite's own work is not timed), every seat's view and its change key, and the
// teacher snapshot with its change key. Figures are CPU time of this process (process.cpuUsage,
// user + system), best of several rounds: the machine is shared, wall time means little.
import { createCluster, seatView, teacherSnapshot } from '../../src/sim/index';
import { buildClusterConfig, getScenario } from '../../src/sim/scenarios';
import { saveInputs, step } from '../../src/rooms/input-log';
import { ClusterStore } from '../../src/rooms/cluster-store';
import type { ClusterState } from '../../src/sim/types';

/** A stand-in for the Durable Object's SqlStorage: runs nothing, keeps nothing (ClusterStore
 * counts the rows and bytes it writes). */
function nullSql(): SqlStorage {
  const empty = { toArray: () => [], one: () => ({}), [Symbol.iterator]: function* () {} };
  return { exec: () => empty } as unknown as SqlStorage;
}

type Phase = 'engine' | 'store' | 'views' | 'teacher';

interface Room {
  s: ClusterState;
  sql: SqlStorage;
  store: ClusterStore;
  names: string[];
  lastView: Map<string, string>;
  lastTeacher: string;
}

function room(scenarioId: string): Room {
  const sc = getScenario(scenarioId)!;
  const config = buildClusterConfig(sc, { timing: 'course', voteMode: 'auto' });
  const s = createCluster(config, scenarioId);
  const names = config.nodes.map((n) => n.name);
  // Every seat held by a student: no autopilot, one heartbeat input per node per tick.
  for (const node of names) step(s, { type: 'set-auto', at: 0, node, auto: false });
  const sql = nullSql();
  return { s, sql, store: new ClusterStore(sql), names, lastView: new Map(), lastTeacher: '' };
}

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** One tick of the room, `fault`: a node reboots first (the load bench's fault). */
function tick(r: Room, t: Record<Phase, number>, fault: boolean): void {
  const { s } = r;
  let t0 = cpuUs();
  const at = s.now + s.config.timing.tickMs;
  if (fault) {
    const node = r.names[(s.now / 1000) % r.names.length]!;
    step(s, { type: 'fault', at: s.now, fault: { kind: 'power', node, action: 'reboot' } });
  }
  for (const node of r.names) if (s.nodes[node]!.power === 'on') step(s, { type: 'heartbeat', at: s.now, node });
  step(s, { type: 'tick', at });
  let t1 = cpuUs();
  t.engine += t1 - t0;
  t0 = t1;
  r.store.saveSim(s);
  saveInputs(r.sql, s);
  t1 = cpuUs();
  t.store += t1 - t0;
  t0 = t1;
  for (const node of r.names) {
    const { key } = seatView(s, { role: 'node', node });
    if (r.lastView.get(node) !== key) r.lastView.set(node, key);
  }
  t1 = cpuUs();
  t.views += t1 - t0;
  t0 = t1;
  const snap = teacherSnapshot(s);
  const key = JSON.stringify({ ...snap, now: 0 });
  if (key !== r.lastTeacher) r.lastTeacher = key;
  t.teacher += cpuUs() - t0;
}

interface Result {
  perTick: Record<Phase, number>;
  rows: number;
  bytes: number;
}

/** Best of `rounds` rounds of `ticks` ticks each, per phase, in µs per tick. */
function measure(scenarioId: string, opts: { ticks: number; rounds: number; faultEvery: number }): Result {
  const r = room(scenarioId);
  const zero = (): Record<Phase, number> => ({ engine: 0, store: 0, views: 0, teacher: 0 });
  // Warm up (JIT, and the cluster settles after the seats were taken).
  for (let i = 0; i < 10 * opts.ticks; i++) tick(r, zero(), opts.faultEvery > 0 && i % opts.faultEvery === 0);
  const best = { engine: Infinity, store: Infinity, views: Infinity, teacher: Infinity } as Record<Phase, number>;
  let rows = 0;
  let bytes = 0;
  let n = 0;
  for (let round = 0; round < opts.rounds; round++) {
    const t = zero();
    for (let i = 0; i < opts.ticks; i++, n++) {
      const before = r.store.stats.rows;
      tick(r, t, opts.faultEvery > 0 && n % opts.faultEvery === 0);
      rows += r.store.stats.rows - before;
      bytes += r.store.stats.lastSimBytes;
    }
    for (const p of Object.keys(t) as Phase[]) best[p] = Math.min(best[p], t[p] / opts.ticks);
  }
  return { perTick: best, rows: rows / n, bytes: bytes / n };
}

const fmt = (us: number) => (us / 1000).toFixed(2);
const cases: { label: string; id: string; faultEvery: number; ticks: number }[] = [
  { label: '5 nodes, steady', id: 'five-node-split-3-2', faultEvery: 0, ticks: 200 },
  { label: '5 nodes, reboot every 5 ticks', id: 'five-node-split-3-2', faultEvery: 5, ticks: 200 },
  { label: '64 nodes, steady', id: 'whole-class-64', faultEvery: 0, ticks: 20 },
  { label: '64 nodes, reboot every 5 ticks', id: 'whole-class-64', faultEvery: 5, ticks: 20 },
];
console.log(`Quorum Lab room tick bench — node ${process.version}; every seat held; CPU ms per tick, best of 5 rounds`);
console.log('"store": the changed state parts and the input log (SQLite itself not timed); rows and bytes: sim parts written per tick.');
const head = ['case', 'engine', 'store', 'views', 'teacher', 'total', 'rows/tick', 'KiB/tick'];
const lines = [head];
for (const c of cases) {
  const m = measure(c.id, { ticks: c.ticks, rounds: 5, faultEvery: c.faultEvery });
  const p = m.perTick;
  lines.push([c.label, fmt(p.engine), fmt(p.store), fmt(p.views), fmt(p.teacher), fmt(p.engine + p.store + p.views + p.teacher), m.rows.toFixed(1), (m.bytes / 1024).toFixed(1)]);
}
const widths = head.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
for (const [i, l] of lines.entries()) {
  console.log(l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
