// Engine throughput: `npm run bench`. Prints heartbeat inputs per second, µs per tick with every
// node heartbeating (the autopilot path and the path of a room whose seats all send heartbeats),
// and the size of the JSON state a Durable Object persists. Figures only: nothing is asserted.
import { createCluster, step, timingFor } from '../../src/sim/index';
import type { ClusterConfig, ClusterState, VmConfig } from '../../src/sim/types';
import { ticksToCover } from '../../src/sim/deadline';
import { buildClusterConfig, getScenario, SCENARIOS } from '../../src/sim/scenarios';
import { MAX_STEADY_TICKS } from '../../src/rooms/cluster-types';

function config(nodes: number, manual: boolean): ClusterConfig {
  const names = Array.from({ length: nodes }, (_, i) => `pve${i + 1}`);
  // Two HA guests per node on shared storage and one local non-HA guest every other node.
  const vms: VmConfig[] = [];
  names.forEach((node, i) => {
    for (let k = 0; k < 2; k++)
      vms.push({ vmid: 100 + vms.length, name: `web${i}-${k}`, node, memoryMb: 2048, diskGb: 32, storage: 'shared', ha: true, running: true });
    if (i % 2 === 0)
      vms.push({ vmid: 100 + vms.length, name: `dev${i}`, node, memoryMb: 1024, diskGb: 16, storage: 'local', ha: false, running: true });
  });
  return {
    clusterName: 'bench',
    nodes: names.map((name, i) => ({ name, nodeid: i + 1, votes: 1, ip: `10.0.${10 + (i >> 8)}.${(i % 250) + 11}` })),
    vms,
    timing: timingFor('course', nodes),
    voteMode: 'auto',
    options: { two_node: false, wait_for_all: false, auto_tie_breaker: false, last_man_standing: false },
    autoNodes: manual ? [] : names,
  };
}

const now = () => performance.now();

/** Runs `fn` repeatedly for about `ms` of wall time (after a warm-up); returns calls per second. */
function rate(fn: () => void, ms = 1500): { perSec: number; usEach: number } {
  for (let i = 0; i < 50; i++) fn();
  let n = 0;
  const t0 = now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 20; i++) fn();
    n += 20;
    t = now();
  }
  const secs = (t - t0) / 1000;
  return { perSec: n / secs, usEach: (secs * 1e6) / n };
}

interface Row {
  nodes: number;
  hbPerSec: number;
  tickAutoUs: number;
  tickManualUs: number;
  tickSplitUs: number;
  stateKb: number;
  stateSplitKb: number;
}

function measure(nodes: number): Row {
  const tickMs = 1000;
  const names = Array.from({ length: nodes }, (_, i) => `pve${i + 1}`);

  // Heartbeat inputs alone (what every socket frame or auto-response costs the engine).
  const hb = createCluster(config(nodes, true), 'bench');
  let k = 0;
  const hbRate = rate(() => {
    step(hb, { type: 'heartbeat', at: hb.now, node: names[k++ % nodes]! });
  });

  // Ticks of an autopilot cluster: the engine sends every node's heartbeat, then recomputes.
  const auto = createCluster(config(nodes, false), 'bench');
  const tickAuto = rate(() => {
    step(auto, { type: 'tick', at: auto.now + tickMs });
  });

  // A room whose seats are all held: one heartbeat input per node, then the tick.
  const manual = createCluster(config(nodes, true), 'bench');
  const tickManual = rate(() => {
    const at = manual.now + tickMs;
    for (const n of names) step(manual, { type: 'heartbeat', at, node: n });
    step(manual, { type: 'tick', at });
  });

  // The same autopilot cluster split in two halves, after the split has settled (fencing, recovery).
  const split = createCluster(config(nodes, false), 'bench');
  step(split, { type: 'fault', at: 0, fault: { kind: 'partition', groups: [names.slice(0, Math.ceil(nodes / 2) + 1), names.slice(Math.ceil(nodes / 2) + 1)] } });
  for (let i = 0; i < 120; i++) step(split, { type: 'tick', at: split.now + tickMs });
  const tickSplit = rate(() => {
    step(split, { type: 'tick', at: split.now + tickMs });
  });

  const size = (s: ClusterState) => Buffer.byteLength(JSON.stringify(s)) / 1024;
  return {
    nodes,
    hbPerSec: hbRate.perSec,
    tickAutoUs: tickAuto.usEach,
    tickManualUs: tickManual.usEach,
    tickSplitUs: tickSplit.usEach,
    stateKb: size(auto),
    stateSplitKb: size(split),
  };
}

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rows = [5, 64].map(measure);
const table = [
  ['nodes', 'heartbeats/s', 'µs/tick (auto)', 'µs/tick (seats)', 'µs/tick (split)', 'state KiB', 'state KiB (split)'],
  ...rows.map((r) => [
    String(r.nodes),
    fmt(r.hbPerSec),
    fmt(r.tickAutoUs, 1),
    fmt(r.tickManualUs, 1),
    fmt(r.tickSplitUs, 1),
    fmt(r.stateKb, 1),
    fmt(r.stateSplitKb, 1),
  ]),
];
const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
console.log(`Quorum Lab engine bench — node ${process.version}, course timing, 1 s ticks`);
console.log('"auto": the engine heartbeats for every node; "seats": one heartbeat input per node then the tick;');
console.log('"split": two partitions after fencing and recovery settled. State = JSON.stringify(ClusterState).');
for (const [i, row] of table.entries()) {
  console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}

// Tick alarms per team-hour: one hour of each preset with its timeline, every node heartbeating,
// each tick covering as many sim ticks as the room's planner allows (ticksToCover, the room's own
// rule; it adds single ticks for pulse mode and open checkpoints, left out here).
function alarmsPerHour(id: string): number {
  const sc = getScenario(id)!;
  const s = createCluster(buildClusterConfig(sc, { timing: 'course', voteMode: 'auto' }), 'bench');
  step(s, { type: 'schedule', at: 0, faults: sc.timeline });
  let alarms = 0;
  while (s.now < 3_600_000) {
    step(s, { type: 'tick', at: s.now + ticksToCover(s, MAX_STEADY_TICKS) * s.config.timing.tickMs });
    alarms++;
  }
  return alarms;
}
const perPreset = SCENARIOS.map((sc) => alarmsPerHour(sc.id));
console.log('');
console.log(`Tick alarms per team-hour (1 h of play, timeline on, every node heartbeating; 3,600 when ticking every second):`);
console.log(`  presets ${Math.min(...perPreset)}–${Math.max(...perPreset)} (mean ${fmt(perPreset.reduce((a, b) => a + b, 0) / perPreset.length)}) · whole-class-30 ${alarmsPerHour('whole-class-30')} · whole-class-64 ${alarmsPerHour('whole-class-64')}`);
