// When can the engine next change something? The room ticks every second while something is in
// motion; when the cluster is steady it may sleep longer (docs/sim.md, "When to tick").
//
// `nextDeadline(s)` names the next sim time a tick must run at, assuming heartbeats keep flowing
// as they do now (every node that sends keeps sending, every link that delivers keeps delivering):
//  - `s.now + tickMs` while anything is in motion (a watchdog, a vote, a migration, an HA
//    transition, a membership not settled, a lossy or slow link, last_man_standing counting …):
//    the rules that settle those read the clock every tick;
//  - else the earliest of the next scheduled fault's time, the tick at which a ring mate not
//    heard within the last tick would be missing (the room credits a browser that went quiet
//    during a jump at an earlier tick: its silence must then be noticed on time) and the tick at
//    which a quorate node's HA manager becomes ready (quorum held for fenceLockMs), a booting
//    node is up, or the HA manager acts on a lost node by the clock, or null (steady: only an
//    input can change anything).
// The exact relation (property-tested in test/unit/sim/deadline.test.ts): from a steady state, one
// tick at any time T with T − now ≤ steadyHorizonMs, before the deadline, gives the same state
// and the same (no) events as ticking every tickMs up to T, when every node heartbeats (autopilot,
// or the room stepping the students' heartbeats at T). Longer than the horizon, a heard time
// would age past the timeout and a ring would break: heartbeats force a tick at least that often.
// The horizon is the timeout less one tick (9 s in the course profile); the property test also
// draws jumps up to 20 ticks: one tick past the timeout already differs.
import { corosyncRuns, missingAfterMs } from './rules/membership.js';
import { carrier } from './rules/networks.js';
import { fenceDelay } from './rules/ha.js';
import type { ClusterState, CrmServiceState, Ms, Timing } from './types.js';

/** HA service states that stay as they are until an input changes something. */
const RESTING: ReadonlySet<CrmServiceState> = new Set(['started', 'stopped', 'freeze', 'error']);

/** How far a steady cluster may jump in one tick: the membership timeout less one tick, in whole
 * ticks (a heard time set at the last tick must still be fresh at the next one). */
export function steadyHorizonMs(t: Timing): Ms {
  return Math.max(t.tickMs, Math.floor((t.deadAfterMs - t.tickMs) / t.tickMs) * t.tickMs);
}

/** Why the cluster is in motion (the first reason found), or null when it is steady. */
export function inMotion(s: ClusterState): string | null {
  const t = s.config.timing;
  for (const l of Object.values(s.links)) if (l.loss > 0 || l.latencyMs > 0) return 'lossy or slow link';
  if (s.votes.some((v) => v.status === 'open')) return 'fence vote open';
  for (const vm of Object.values(s.vms)) if (vm.migrating) return 'migration';
  for (const n of Object.values(s.nodes)) {
    if (n.power === 'booting' && n.bootUntil === undefined) return 'boot';
    if (n.watchdogAt !== null) return 'watchdog armed';
    if (n.missing?.length) return 'heartbeats missing';
    if (s.config.options.last_man_standing && n.lmsSince !== null) return 'last_man_standing window';
    if (n.quorate && n.quorateSince === null) return 'quorate since unknown';
    for (const svc of Object.values(n.cfs.ha)) if (!RESTING.has(svc.state) || svc.until !== undefined) return 'HA transition';
    // A lost HA node waits for clock deadlines (haLostAt) in auto mode; a fence vote is a person.
    for (const hn of Object.values(n.cfs.haNodes))
      if ((hn.state === 'unknown' || hn.state === 'fence') && (hn.lostAt === undefined || s.config.voteMode === 'human')) return 'HA node lost';
  }
  // Membership settled: every running node holds a ring of running nodes that all hear each other,
  // and no two rings could merge (a pair across rings that hears both ways).
  const running = s.config.nodes.map((c) => c.name).filter((n) => corosyncRuns(s.nodes[n]!));
  const delivers = (a: string, b: string) => carrier(s, a, b) !== null;
  for (const a of running) {
    const ring = s.nodes[a]!.members;
    if (!ring.includes(a)) return 'ring forming';
    for (const b of running) {
      if (a === b) continue;
      const both = delivers(a, b) && delivers(b, a);
      if (ring.includes(b) !== both) return 'membership changing';
    }
    for (const m of ring) if (!running.includes(m)) return 'member dying';
  }
  return null;
}

/** The next sim time a tick must run at (see the header), or null when steady with nothing planned. */
export function nextDeadline(s: ClusterState): Ms | null {
  if (inMotion(s)) return s.now + s.config.timing.tickMs;
  const tl = s.timeline;
  const fault = tl && tl.next < tl.faults.length ? tl.faults[tl.next]!.atMs : Infinity;
  const next = Math.min(fault, silenceNoticedAt(s), crmReadyAt(s), bootDoneAt(s), haLostAt(s));
  return next === Infinity ? null : Math.max(next, s.now + s.config.timing.tickMs);
}

/** The first tick (after now) whose time is at or after `at`: where a rule that waits for `at`
 * (`now >= at`) acts. */
function firstTickFrom(s: ClusterState, at: Ms): Ms {
  const tick = s.config.timing.tickMs;
  return s.now + Math.max(1, Math.ceil((at - s.now) / tick)) * tick;
}

/** The first tick at which the HA manager (rules/ha.ts `runHaManager`, auto vote mode) acts on a
 * lost node by the clock: its fence delay over (`unknown` → fenced, released or left waiting) or
 * the lock of a node to fence expired (Infinity: none). Read on every node's /etc/pve copy. */
function haLostAt(s: ClusterState): Ms {
  const t = s.config.timing;
  let first = Infinity;
  for (const n of Object.values(s.nodes))
    for (const hn of Object.values(n.cfs.haNodes)) {
      if (hn.lostAt === undefined) continue;
      const at = hn.state === 'unknown' ? hn.lostAt + fenceDelay(t) : hn.state === 'fence' ? hn.lostAt + t.fenceLockMs : Infinity;
      if (at > s.now) first = Math.min(first, firstTickFrom(s, at));
    }
  return first;
}

/** The first tick at which a booting node is up (engine.ts `bootDone`) (Infinity: none booting).
 * A booting node runs no corosync and sends nothing: until then its boot reads no clock but its
 * own end (pages count the time left down themselves). */
function bootDoneAt(s: ClusterState): Ms {
  let first = Infinity;
  for (const n of Object.values(s.nodes)) if (n.power === 'booting' && n.bootUntil !== undefined) first = Math.min(first, firstTickFrom(s, n.bootUntil));
  return first;
}

/** The first tick at which a node that holds quorum has held it for fenceLockMs, from when its
 * partition's HA manager may act (rules/ha.ts `crmReady`) (Infinity: none waiting). Until then
 * nothing in a steady cluster reads the clock. */
function crmReadyAt(s: ClusterState): Ms {
  const t = s.config.timing;
  let first = Infinity;
  for (const n of Object.values(s.nodes)) {
    if (!n.quorate || n.quorateSince === null || s.now - n.quorateSince >= t.fenceLockMs) continue;
    first = Math.min(first, firstTickFrom(s, n.quorateSince + t.fenceLockMs));
  }
  return first;
}

/** The first tick at which a ring mate last heard before the previous tick would be missing
 * (Infinity: none). Heard at the previous tick is sending: the room steps a student's heartbeats
 * at the tick before the one it runs, autopilot nodes at the tick itself. */
function silenceNoticedAt(s: ClusterState): Ms {
  const t = s.config.timing;
  const late = missingAfterMs(t);
  let first = Infinity;
  for (const n of Object.values(s.nodes)) {
    if (!corosyncRuns(n)) continue;
    for (const p of n.members) {
      const h = n.heard[p];
      if (p === n.name || h === undefined || h >= s.now - t.tickMs) continue;
      first = Math.min(first, s.now + (Math.floor((h + late - s.now) / t.tickMs) + 1) * t.tickMs);
    }
  }
  return first;
}

/** How many sim ticks the next tick may cover (at most `max`): 1 while anything is in motion, else
 * up to the steady horizon and the next deadline. The room adds its own reasons for single ticks
 * (pulse mode, an open checkpoint: src/rooms/cluster-room.ts). */
export function ticksToCover(s: ClusterState, max: number): number {
  const t = s.config.timing;
  const deadline = nextDeadline(s);
  const upTo = Math.min(max, steadyHorizonMs(t) / t.tickMs, deadline === null ? Infinity : Math.floor((deadline - s.now) / t.tickMs));
  return Math.max(1, upTo);
}
