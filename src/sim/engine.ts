// The cluster engine: state + input → state + events. Pure and deterministic: time comes in with
// each input, randomness from the seeded RNG inside the state. `step` mutates the state it is
// given (a Durable Object keeps one state in memory); `reduce` is the copying variant.
import { nextRandom, seedFrom } from './rng.js';
import { partitionQuorum, quorumFor } from './quorum.js';
import type {
  CfsDb,
  ClusterConfig,
  ClusterState,
  Fault,
  FenceVote,
  HaService,
  Incident,
  Ms,
  NodeName,
  NodeRuntime,
  SimEvent,
  SimEventBody,
  SimInput,
  StepResult,
  Timing,
  TimingProfileName,
} from './types.js';
import { runCommand } from './commands.js';

export const CFS_LOG_LIMIT = 50;

/** Timing profiles. `course` follows the course notes (1 s heartbeat, dead after 10 s) with
 * compressed fencing; `real` follows DOMAIN.md (token 3 s + 650 ms per node above 2, membership
 * after ≈ 2.2 × token, watchdog 60 s, lock ≈ 120 s). */
export function timingFor(profile: TimingProfileName, nodeCount: number): Timing {
  if (profile === 'real') {
    const token = 3000 + Math.max(0, nodeCount - 2) * 650;
    return {
      profile,
      heartbeatMs: 1000,
      deadAfterMs: Math.round(token * 2.2),
      tokenMs: token,
      watchdogMs: 60_000,
      fenceLockMs: 120_000,
      bootMs: 60_000,
      migrateMs: 10_000,
      lmsWindowMs: 10_000,
      voteDeadlineMs: 60_000,
      tickMs: 1000,
    };
  }
  return {
    profile,
    heartbeatMs: 1000,
    deadAfterMs: 10_000,
    tokenMs: 3000,
    watchdogMs: 20_000,
    fenceLockMs: 30_000,
    bootMs: 15_000,
    migrateMs: 5000,
    lmsWindowMs: 10_000,
    voteDeadlineMs: 30_000,
    tickMs: 1000,
  };
}

// ---------------------------------------------------------------- context

export interface Ctx {
  s: ClusterState;
  events: SimEvent[];
}

export function emit(c: Ctx, body: SimEventBody): void {
  const ev = { ...body, seq: ++c.s.seq, at: c.s.now } as SimEvent;
  c.events.push(ev);
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
export const partitionKey = (members: NodeName[]): string => members.join(',');

export function nodeConfig(s: ClusterState, name: NodeName) {
  return s.config.nodes.find((n) => n.name === name);
}
const nodeid = (s: ClusterState, name: NodeName): number => nodeConfig(s, name)?.nodeid ?? 1e9;
const byNodeid = (s: ClusterState) => (a: NodeName, b: NodeName) => nodeid(s, a) - nodeid(s, b);
const linkKey = (a: NodeName, b: NodeName) => `${a}>${b}`;

export function partitionOf(s: ClusterState, node: NodeName): NodeName[] | null {
  return s.partitions.find((p) => p.includes(node)) ?? null;
}

export function qdeviceVotes(s: ClusterState): number {
  const q = s.config.qdevice;
  if (!q || !s.qdevice?.present) return 0;
  return q.algorithm === 'lms' ? Math.max(1, s.config.nodes.length - 1) : 1;
}

export function configuredVotes(s: ClusterState): number {
  return s.config.nodes.reduce((a, n) => a + n.votes, 0) + qdeviceVotes(s);
}

// ---------------------------------------------------------------- creation

function initialCfs(config: ClusterConfig): CfsDb {
  const db: CfsDb = {
    version: 1,
    vms: {},
    ha: {},
    haNodes: {},
    maintenance: [],
    qdevice: config.qdevice?.configured
      ? { configured: true, ip: config.qdevice.ip, algorithm: config.qdevice.algorithm }
      : null,
    log: [],
  };
  for (const n of config.nodes) db.haNodes[n.name] = { state: 'online', since: 0 };
  for (const vm of config.vms) {
    db.vms[String(vm.vmid)] = {
      vmid: vm.vmid,
      name: vm.name,
      node: vm.node,
      memoryMb: vm.memoryMb,
      diskGb: vm.diskGb,
      storage: vm.storage,
    };
    if (vm.ha) {
      const sid = `vm:${vm.vmid}`;
      db.ha[sid] = {
        sid,
        vmid: vm.vmid,
        requested: vm.running ? 'started' : 'stopped',
        state: vm.running ? 'started' : 'stopped',
        node: vm.node,
        since: 0,
      };
    }
  }
  return db;
}

export function createCluster(config: ClusterConfig, seed: string | number): ClusterState {
  const names = config.nodes.map((n) => n.name);
  const s: ClusterState = {
    v: 1,
    config: clone(config),
    now: 0,
    rng: seedFrom(seed),
    seq: 0,
    ringSeq: 1,
    nodes: {},
    links: {},
    partitions: [],
    qdevice: config.qdevice
      ? {
          present: config.qdevice.configured,
          hostUp: true,
          reach: Object.fromEntries(names.map((n) => [n, true])),
          votedFor: null,
          humanChoice: null,
          algorithmChoice: null,
          auto: true,
        }
      : null,
    storageUp: true,
    vms: {},
    incidents: [],
    votes: [],
    writeCounter: 0,
  };
  const cfs = initialCfs(config);
  const expected = configuredVotes(s);
  for (const n of config.nodes) {
    s.nodes[n.name] = {
      name: n.name,
      power: 'on',
      skewMs: 0,
      skewWarned: false,
      heard: Object.fromEntries(names.filter((p) => p !== n.name).map((p) => [p, 0])),
      lastSent: null,
      expected,
      wfaDone: true,
      quorate: false,
      quorateSince: null,
      lostQuorumAt: null,
      watchdogAt: null,
      cfs: clone(cfs),
      members: [],
      ringId: 1,
      expectedOverride: null,
      chronyRunning: true,
      lmsSince: null,
    };
  }
  for (const a of names)
    for (const b of names) if (a !== b) s.links[linkKey(a, b)] = { cut: false, loss: 0, latencyMs: 0 };
  for (const vm of config.vms)
    s.vms[String(vm.vmid)] = { vmid: vm.vmid, runningOn: vm.running ? [vm.node] : [], ioError: false };
  // Form the initial membership silently: the cluster was running before the lab began.
  const c: Ctx = { s, events: [] };
  recompute(c);
  s.seq = 0;
  // …and has held quorum long enough for its HA manager to be established (see crmReady).
  for (const n of Object.values(s.nodes)) if (n.quorate) n.quorateSince = -config.timing.fenceLockMs;
  return s;
}

// ---------------------------------------------------------------- step

export function step(s: ClusterState, input: SimInput): StepResult {
  const c: Ctx = { s, events: [] };
  if (input.at > s.now) s.now = input.at;
  switch (input.type) {
    case 'tick':
      tick(c);
      return { events: c.events };
    case 'heartbeat': {
      const n = s.nodes[input.node];
      if (!n) return { events: [], error: { code: 'unknown_node', message: `unknown node ${input.node}` } };
      sendHeartbeat(s, input.node);
      return { events: [] };
    }
    case 'fault':
      applyFault(c, input.fault, input.by);
      return { events: c.events };
    case 'command': {
      if (!s.nodes[input.node])
        return { events: [], error: { code: 'unknown_node', message: `unknown node ${input.node}` } };
      const result = runCommand(c, input.node, input.line);
      emit(c, { type: 'command', node: input.node, line: input.line.slice(0, 200), ok: result.exitCode === 0 });
      // A command may change membership-relevant state (expected votes, HA requests): settle now.
      recompute(c);
      return { events: c.events, command: result };
    }
    case 'vote':
      return castVote(c, input.node, input.voteId, input.yes);
    case 'qdevice-choice': {
      if (!s.qdevice) return { events: [], error: { code: 'no_qdevice', message: 'this cluster has no QDevice' } };
      if (input.node !== null && !s.nodes[input.node])
        return { events: [], error: { code: 'unknown_node', message: `unknown node ${input.node}` } };
      s.qdevice.humanChoice = input.node;
      recompute(c);
      return { events: c.events };
    }
    case 'set-auto': {
      if (input.node === 'qdevice') {
        if (s.qdevice) s.qdevice.auto = input.auto;
        return { events: [] };
      }
      if (!s.nodes[input.node])
        return { events: [], error: { code: 'unknown_node', message: `unknown node ${input.node}` } };
      const set = new Set(s.config.autoNodes);
      if (input.auto) set.add(input.node);
      else set.delete(input.node);
      s.config.autoNodes = s.config.nodes.map((n) => n.name).filter((n) => set.has(n));
      return { events: [] };
    }
  }
}

/** Copying variant of `step` for callers that want the old state kept. */
export function reduce(s: ClusterState, input: SimInput): { state: ClusterState } & StepResult {
  const state = clone(s);
  return { state, ...step(state, input) };
}

// ---------------------------------------------------------------- heartbeats

export function sendHeartbeat(s: ClusterState, from: NodeName): void {
  const a = s.nodes[from];
  if (!a || a.power !== 'on') return;
  a.lastSent = s.now;
  for (const b of s.config.nodes) {
    if (b.name === from) continue;
    const peer = s.nodes[b.name]!;
    if (peer.power !== 'on') continue;
    const link = s.links[linkKey(from, b.name)]!;
    if (link.cut) continue;
    if (link.loss > 0 && nextRandom(s) < link.loss) continue;
    // A heartbeat delayed past the token timeout is as good as lost (the token would time out).
    if (link.latencyMs >= s.config.timing.tokenMs) continue;
    const arrival = s.now + link.latencyMs;
    const prev = peer.heard[from];
    if (prev === undefined || arrival > prev) peer.heard[from] = arrival;
  }
}

function hears(s: ClusterState, a: NodeName, b: NodeName): boolean {
  const t = s.nodes[a]!.heard[b];
  return t !== undefined && s.now - t <= s.config.timing.deadAfterMs;
}

/**
 * The corosync membership of the powered partition p. Until the token times out, the survivors of
 * an abrupt death (power loss, reset) keep their ring — the dead node and its vote included ("dead
 * after 10 s", course). A clean stop is seen at once because it removes itself from the peers' heard
 * entries. Any other change forms a new ring from the responsive nodes only, so a dead node can
 * linger in one membership at most and its vote is never counted twice.
 */
export function membershipOf(s: ClusterState, p: NodeName[]): NodeName[] {
  const view = s.nodes[p[0]!]!.members;
  if (view.length <= p.length) return p;
  const key = partitionKey(view);
  if (!p.every((m) => view.includes(m) && partitionKey(s.nodes[m]!.members) === key)) return p;
  const gone = view.filter((x) => !p.includes(x));
  return gone.every((x) => s.nodes[x]!.power !== 'on' && p.every((m) => hears(s, m, x))) ? view : p;
}

/**
 * Memberships from the heard matrix. Two powered nodes are connected when each hears the other
 * within the timeout (a one-way cut breaks the pair, like a token that cannot go round).
 * Corosync only forms fully connected memberships; for a non-transitive cut (1–3 down, 1–2 and
 * 2–3 up) real corosync picks either {1,2} or {2,3}. The simulator's documented rule: nodes are
 * taken in nodeid order and join the first membership whose every member they are connected to.
 */
export function computePartitions(s: ClusterState): NodeName[][] {
  const up = s.config.nodes
    .filter((n) => s.nodes[n.name]!.power === 'on')
    .sort((x, y) => x.nodeid - y.nodeid)
    .map((n) => n.name);
  const groups: NodeName[][] = [];
  for (const n of up) {
    const g = groups.find((members) => members.every((m) => hears(s, n, m) && hears(s, m, n)));
    if (g) g.push(n);
    else groups.push([n]);
  }
  return groups;
}

// ---------------------------------------------------------------- tick

function tick(c: Ctx): void {
  const s = c.s;
  for (const n of Object.values(s.nodes)) {
    if (n.power === 'booting' && n.bootUntil !== undefined && n.bootUntil <= s.now) bootDone(c, n);
  }
  for (const name of s.config.autoNodes) {
    const n = s.nodes[name];
    if (n && n.power === 'on' && (n.lastSent === null || s.now - n.lastSent >= s.config.timing.heartbeatMs))
      sendHeartbeat(s, name);
  }
  noticeMissingHeartbeats(c);
  recompute(c);
}

/** A member not heard for two heartbeat periods: `heartbeat-lost`, once, long before it is
 * declared dead. What a student sees coming in the seconds before the membership changes. */
function noticeMissingHeartbeats(c: Ctx): void {
  const s = c.s;
  const late = 2 * s.config.timing.heartbeatMs;
  for (const n of Object.values(s.nodes)) {
    if (n.power !== 'on') {
      if (n.missing?.length) n.missing = [];
      continue;
    }
    const missing = n.members.filter((p) => p !== n.name && !(s.now - (n.heard[p] ?? -Infinity) <= late));
    for (const p of missing) if (!n.missing?.includes(p)) emit(c, { type: 'heartbeat-lost', node: n.name, peer: p });
    n.missing = missing;
  }
}

function bootDone(c: Ctx, n: NodeRuntime): void {
  const s = c.s;
  n.power = 'on';
  delete n.bootUntil;
  n.heard = {};
  n.lastSent = null;
  n.expected = configuredVotes(s);
  n.expectedOverride = null;
  // votequorum starts afresh: wait_for_all (explicit, or implied by two_node) must be met again.
  n.wfaDone = !(s.config.options.wait_for_all || s.config.options.two_node);
  n.quorate = false;
  n.quorateSince = null;
  n.lostQuorumAt = null;
  n.watchdogAt = null;
  n.members = [];
  emit(c, { type: 'node-power', node: n.name, power: 'on', reason: 'booted' });
}

/** Everything that follows from the current heard matrix and time: membership, quorum, HA, votes. */
export function recompute(c: Ctx): void {
  const s = c.s;
  updateMembership(c);
  updateQdeviceVote(c);
  updateQuorum(c);
  updateWatchdogs(c);
  for (const p of s.partitions) if (p.every((m) => s.nodes[m]!.quorate) && crmReady(s, p)) runHaManager(c, p);
  finishMigrations(c);
  updateVotes(c);
  updateIncidents(c);
  // A node reset during this pass (watchdog, fencing vote) leaves its partition within the same
  // input: the state after a step never lists a powered-down node as a member. Terminates: each
  // extra pass follows at least one more node going down.
  if (s.partitions.some((p) => p.some((m) => s.nodes[m]!.power !== 'on'))) recompute(c);
}

/**
 * The CRM of a quorate partition acts only once one of its members has held quorum for fenceLockMs.
 * A partition that gains quorum from nothing (say the QDevice vote moves to it) may hold a stale
 * /etc/pve in which services still sit on nodes that another partition has since fenced and
 * recovered; the holders of those copies have lost quorum and self-fence within watchdogMs, so
 * waiting fenceLockMs (> watchdogMs) keeps a VM from running twice. Real HA gets the same effect
 * from its manager and agent locks in /etc/pve, which only expire ~120 s after their last renewal.
 */
function crmReady(s: ClusterState, p: NodeName[]): boolean {
  return p.some((m) => {
    const since = s.nodes[m]!.quorateSince;
    return since !== null && s.now - since >= s.config.timing.fenceLockMs;
  });
}

function updateMembership(c: Ctx): void {
  const s = c.s;
  const next = computePartitions(s);
  for (const p of next) {
    // A new ring forms when the membership (dying members included) differs from the members' view.
    const eff = membershipOf(s, p);
    const key = partitionKey(eff);
    if (p.every((m) => partitionKey(s.nodes[m]!.members) === key)) continue;
    const ringId = ++s.ringSeq;
    const lost = new Set<NodeName>();
    for (const m of p) for (const old of s.nodes[m]!.members) if (!eff.includes(old)) lost.add(old);
    for (const dead of [...lost].sort(byNodeid(s))) {
      emit(c, { type: 'node-dead', node: dead, by: p.filter((m) => s.nodes[m]!.members.includes(dead)) });
    }
    // Highest expected among the members wins (votequorum), and /etc/pve merges.
    const expected = Math.max(...p.map((m) => s.nodes[m]!.expected));
    for (const m of p) {
      const n = s.nodes[m]!;
      if (n.expected !== expected && n.members.length > 0) {
        emit(c, { type: 'expected-changed', node: m, expected, reason: 'merge' });
      }
      n.expected = expected;
      // A `pvecm expected` override lasts while no other node joins its partition.
      if (n.members.length === 0 || p.some((x) => !n.members.includes(x))) n.expectedOverride = null;
      n.members = [...eff];
      n.ringId = ringId;
      n.lmsSince = null;
    }
    mergeCfs(c, p);
    emit(c, { type: 'membership-changed', members: [...eff], ringId });
  }
  s.partitions = next;
  // Nodes that are not powered hold no membership.
  for (const n of Object.values(s.nodes)) if (n.power !== 'on') n.members = [];
}

function mergeCfs(c: Ctx, p: NodeName[]): void {
  const s = c.s;
  if (p.length < 2) return;
  let winner = p[0]!;
  for (const m of p) {
    const v = s.nodes[m]!.cfs.version;
    const w = s.nodes[winner]!.cfs.version;
    if (v > w || (v === w && nodeid(s, m) < nodeid(s, winner))) winner = m;
  }
  const wdb = s.nodes[winner]!.cfs;
  const wids = new Set(wdb.log.map((e) => e.id));
  const lost: typeof wdb.log = [];
  // Compared by content: two sides whose HA managers made as many changes have equal versions and
  // no new log entry, yet different manager states.
  const wjson = JSON.stringify(wdb);
  const same = (db: CfsDb) => db === wdb || JSON.stringify(db) === wjson;
  let changed = false;
  for (const m of p) {
    const db = s.nodes[m]!.cfs;
    if (db === wdb) continue;
    if (!same(db)) changed = true;
    for (const e of db.log) if (!wids.has(e.id) && !lost.some((x) => x.id === e.id)) lost.push(e);
  }
  if (!changed && lost.length === 0) return;
  // The winning side: members whose copy already matched the winner before the copy below.
  const winners = p.filter((m) => same(s.nodes[m]!.cfs));
  for (const m of p) if (m !== winner) s.nodes[m]!.cfs = clone(wdb);
  emit(c, {
    type: 'pmxcfs-merge',
    winner: winners,
    version: wdb.version,
    lost,
  });
}

function updateQdeviceVote(c: Ctx): void {
  const s = c.s;
  const q = s.qdevice;
  if (!q) return;
  // corosync-qdevice runs on nodes whose /etc/pve says a QDevice is configured.
  q.present = s.config.nodes.some((n) => s.nodes[n.name]!.cfs.qdevice?.configured);
  const algo = s.config.qdevice!.algorithm;
  let choice: NodeName[] | null = null;
  if (q.present && q.hostUp) {
    const nodeCount = s.config.nodes.length;
    // qnetd sees the membership corosync reports, a member that is dying but not yet timed out included.
    const size = (p: NodeName[]) => membershipOf(s, p).length;
    const candidates = s.partitions.filter(
      (p) =>
        p.some((m) => q.reach[m] && s.nodes[m]!.cfs.qdevice?.configured) &&
        (algo === 'lms' || size(p) * 2 >= nodeCount),
    );
    const reachCount = (p: NodeName[]) => p.filter((m) => q.reach[m]).length;
    const wasQuorate = (p: NodeName[]) => (p.some((m) => s.nodes[m]!.quorate) ? 1 : 0);
    const lowest = (p: NodeName[]) => Math.min(...p.map((m) => nodeid(s, m)));
    candidates.sort(
      (a, b) =>
        size(b) - size(a) ||
        reachCount(b) - reachCount(a) ||
        wasQuorate(b) - wasQuorate(a) ||
        lowest(a) - lowest(b),
    );
    choice = candidates[0] ?? null;
    const algoKey = choice ? partitionKey(choice) : null;
    let voted: string | null = algoKey;
    if (s.config.voteMode === 'human' && !q.auto) {
      const hp = q.humanChoice ? partitionOf(s, q.humanChoice) : null;
      voted = hp && hp.some((m) => q.reach[m]) ? partitionKey(hp) : null;
    }
    if (voted !== q.votedFor || algoKey !== q.algorithmChoice) {
      const votedP = voted ? s.partitions.find((p) => partitionKey(p) === voted)! : null;
      q.votedFor = voted;
      q.algorithmChoice = algoKey;
      emit(c, { type: 'qdevice-vote', partition: votedP ? [...votedP] : null, algorithmChoice: choice ? [...choice] : null });
    }
    return;
  }
  if (q.votedFor !== null) {
    q.votedFor = null;
    q.algorithmChoice = null;
    emit(c, { type: 'qdevice-vote', partition: null, algorithmChoice: null });
  }
}

export interface PartitionInfo {
  members: NodeName[];
  nodeVotes: number;
  qdeviceVote: number;
  total: number;
  expected: number;
  quorum: number;
  quorate: boolean;
}

export function partitionInfo(s: ClusterState, p: NodeName[]): PartitionInfo {
  const nodeVotes = membershipOf(s, p).reduce((a, m) => a + (nodeConfig(s, m)?.votes ?? 0), 0);
  const qdeviceVote = s.qdevice && s.qdevice.votedFor === partitionKey(p) ? qdeviceVotes(s) : 0;
  const total = nodeVotes + qdeviceVote;
  const expected = Math.max(total, ...p.map((m) => s.nodes[m]!.expected));
  const lowestName = [...s.config.nodes].sort((a, b) => a.nodeid - b.nodeid)[0]!.name;
  const pq = partitionQuorum({
    total,
    expected,
    nodeCount: s.config.nodes.length,
    twoNode: s.config.options.two_node && !s.qdevice?.present,
    waitForAllPending: p.some((m) => !s.nodes[m]!.wfaDone),
    autoTieBreaker: s.config.options.auto_tie_breaker,
    hasLowestNodeid: p.includes(lowestName),
  });
  return { members: p, nodeVotes, qdeviceVote, total, expected, quorum: pq.quorum, quorate: pq.quorate };
}

function updateQuorum(c: Ctx): void {
  const s = c.s;
  const all = s.config.nodes.length;
  for (const p of s.partitions) {
    if (p.length === all) for (const m of p) s.nodes[m]!.wfaDone = true;
    let info = partitionInfo(s, p);
    // Expected votes never go down by themselves; they rise when the votes present exceed them.
    for (const m of p) if (s.nodes[m]!.expected < info.expected) s.nodes[m]!.expected = info.expected;
    // last_man_standing: after the window, a quorate partition lowers E by one node at a time.
    if (s.config.options.last_man_standing && info.quorate && info.total < info.expected) {
      const first = s.nodes[p[0]!]!;
      if (first.lmsSince === null) for (const m of p) s.nodes[m]!.lmsSince = s.now;
      else if (s.now - first.lmsSince >= s.config.timing.lmsWindowMs && info.expected > 2) {
        for (const m of p) {
          s.nodes[m]!.expected = info.expected - 1;
          s.nodes[m]!.lmsSince = s.now;
          emit(c, { type: 'expected-changed', node: m, expected: info.expected - 1, reason: 'lms' });
        }
        info = partitionInfo(s, p);
      }
    }
    for (const m of p) setQuorate(c, s.nodes[m]!, info.quorate, info);
  }
  for (const n of Object.values(s.nodes)) if (n.power !== 'on' && n.quorate) setQuorate(c, n, false, null);
}

function setQuorate(c: Ctx, n: NodeRuntime, quorate: boolean, info: PartitionInfo | null): void {
  if (n.quorate === quorate) return;
  const s = c.s;
  n.quorate = quorate;
  if (quorate) {
    n.quorateSince = s.now;
    n.lostQuorumAt = null;
    if (info) emit(c, { type: 'quorum-regained', node: n.name, votes: info.total, quorum: info.quorum });
  } else {
    n.lostQuorumAt = s.now;
    n.quorateSince = null;
    // wait_for_all re-arms whenever a node loses quorum (seen on corosync 3.1.7).
    if (s.config.options.wait_for_all || s.config.options.two_node) n.wfaDone = false;
    if (n.power === 'on')
      emit(c, { type: 'quorum-lost', node: n.name, votes: info?.total ?? 0, quorum: info?.quorum ?? 0 });
  }
}

// ---------------------------------------------------------------- HA

const FENCE_STATES = new Set(['started', 'migrate', 'relocate', 'fence']);

function isHaVm(db: CfsDb, vmid: number): boolean {
  return !!db.ha[`vm:${vmid}`];
}

/** The LRM is active (its watchdog armed) when it runs or owns HA services. */
function lrmActive(s: ClusterState, n: NodeRuntime): boolean {
  if (Object.values(s.vms).some((vm) => vm.runningOn.includes(n.name) && isHaVm(n.cfs, vm.vmid))) return true;
  return Object.values(n.cfs.ha).some((svc) => svc.node === n.name && svc.state === 'started' && svc.requested === 'started');
}

function updateWatchdogs(c: Ctx): void {
  const s = c.s;
  for (const n of Object.values(s.nodes)) {
    if (n.power !== 'on') {
      n.watchdogAt = null;
      continue;
    }
    if (n.quorate) {
      if (n.watchdogAt !== null) {
        n.watchdogAt = null;
        emit(c, { type: 'watchdog-disarmed', node: n.name });
      }
      continue;
    }
    // Only an LRM that was active while quorate holds the watchdog; a node that boots alone
    // never gets the lock, so it never arms it.
    if (n.watchdogAt === null && n.lostQuorumAt !== null && lrmActive(s, n)) {
      n.watchdogAt = Math.max(s.now, (n.lostQuorumAt ?? s.now) + s.config.timing.watchdogMs);
      emit(c, { type: 'watchdog-armed', node: n.name, resetAt: n.watchdogAt });
    }
    if (n.watchdogAt !== null && n.watchdogAt <= s.now) {
      const vms = stopAllVms(c, n.name, 'self-fence');
      emit(c, { type: 'self-fenced', node: n.name, vms });
      powerDown(c, n, 'booting', 'watchdog reset');
    }
  }
}

function stopAllVms(c: Ctx, node: NodeName, reason: string): number[] {
  const stopped: number[] = [];
  for (const vm of Object.values(c.s.vms)) {
    if (vm.runningOn.includes(node)) {
      vm.runningOn = vm.runningOn.filter((x) => x !== node);
      if (vm.migrating) delete vm.migrating;
      stopped.push(vm.vmid);
      emit(c, { type: 'vm-stopped', vmid: vm.vmid, node, reason });
    }
  }
  return stopped;
}

function powerDown(c: Ctx, n: NodeRuntime, to: 'off' | 'booting', reason: string): void {
  const s = c.s;
  n.power = to;
  n.bootUntil = to === 'booting' ? s.now + s.config.timing.bootMs : undefined;
  if (to === 'off') delete n.bootUntil;
  n.watchdogAt = null;
  n.members = [];
  n.heard = {};
  if (n.quorate) setQuorate(c, n, false, null);
  emit(c, { type: 'node-power', node: n.name, power: to, reason });
}

/** Write to /etc/pve from a quorate partition: one new version, copied to every member. */
export function cfsCommit(c: Ctx, node: NodeName, path: string, what: string, mutate: (db: CfsDb) => void): boolean {
  const s = c.s;
  const n = s.nodes[node]!;
  if (!n.quorate) {
    emit(c, { type: 'pmxcfs-refused', node, path, what });
    return false;
  }
  const p = partitionOf(s, node) ?? [node];
  const db = clone(n.cfs);
  mutate(db);
  db.version += 1;
  const entry = { id: `${node}:${++s.writeCounter}`, at: s.now, node, path, what };
  db.log.push(entry);
  if (db.log.length > CFS_LOG_LIMIT) db.log.splice(0, db.log.length - CFS_LOG_LIMIT);
  for (const m of p) s.nodes[m]!.cfs = m === p[0] ? db : clone(db);
  emit(c, { type: 'pmxcfs-write', node, path, what, version: db.version });
  checkCfsDivergence(c, p);
  return true;
}

function checkCfsDivergence(c: Ctx, p: NodeName[]): void {
  const s = c.s;
  if (s.incidents.some((i) => i.kind === 'cfs-diverged' && i.endedAt === null)) return;
  const mine = s.nodes[p[0]!]!.cfs;
  const mineIds = new Set(mine.log.map((e) => e.id));
  for (const other of Object.values(s.nodes)) {
    if (p.includes(other.name) || other.power === 'off') continue;
    const theirs = other.cfs.log.filter((e) => !mineIds.has(e.id));
    const theirIds = new Set(other.cfs.log.map((e) => e.id));
    const ours = mine.log.filter((e) => !theirIds.has(e.id));
    if (theirs.length && ours.length) {
      const last = ours.at(-1)!;
      openIncident(c, 'cfs-diverged', `/etc/pve written on both sides: ${last.what} on ${last.node} at t=${fmtT(last.at)} while ${theirs.at(-1)!.node} wrote ${theirs.at(-1)!.what}`, {
        sides: [p, other.members],
      });
      return;
    }
  }
}

/** Services are counted per node to pick a recovery target (fewest first, ties by name). */
function serviceCount(db: CfsDb, node: NodeName): number {
  return Object.values(db.ha).filter((x) => x.node === node && x.state !== 'stopped' && x.requested !== 'disabled').length;
}

export function eligibleTargets(s: ClusterState, db: CfsDb, p: NodeName[], vmid: number, exclude?: NodeName): NodeName[] {
  const vm = db.vms[String(vmid)];
  if (!vm) return [];
  // A guest on local storage can only run where its disk is: a recovery waits for that node.
  if (vm.storage === 'local')
    return vm.node !== exclude && p.includes(vm.node) && s.nodes[vm.node]?.power === 'on' && !db.maintenance.includes(vm.node)
      ? [vm.node]
      : [];
  if (!s.storageUp) return [];
  return p
    .filter((m) => m !== exclude && s.nodes[m]!.power === 'on' && !db.maintenance.includes(m))
    .sort((a, b) => serviceCount(db, a) - serviceCount(db, b) || (a < b ? -1 : a > b ? 1 : 0));
}

function startVm(c: Ctx, vmid: number, node: NodeName, reason: string): boolean {
  const vm = c.s.vms[String(vmid)];
  if (!vm) return false;
  const conf = c.s.nodes[node]!.cfs.vms[String(vmid)];
  if (conf?.storage === 'shared' && !c.s.storageUp) return false;
  if (!vm.runningOn.includes(node)) {
    vm.runningOn.push(node);
    emit(c, { type: 'vm-started', vmid, node, reason });
  }
  return true;
}

export function stopVm(c: Ctx, vmid: number, node: NodeName, reason: string): void {
  const vm = c.s.vms[String(vmid)];
  if (!vm || !vm.runningOn.includes(node)) return;
  vm.runningOn = vm.runningOn.filter((x) => x !== node);
  if (vm.migrating) delete vm.migrating;
  emit(c, { type: 'vm-stopped', vmid, node, reason });
}

/**
 * The CRM of one quorate partition. Its decisions live in the partition's /etc/pve copy
 * (manager_status), so two quorate partitions would each act on their own copy: split-brain.
 */
function runHaManager(c: Ctx, p: NodeName[]): void {
  const s = c.s;
  const t = s.config.timing;
  const master = [...p].sort()[0]!;
  const db0 = s.nodes[master]!.cfs;
  if (Object.keys(db0.ha).length === 0) return;
  const changes: string[] = [];
  const db = clone(db0);
  // Node states.
  for (const cfgNode of s.config.nodes) {
    const name = cfgNode.name;
    const hn = (db.haNodes[name] ??= { state: 'online', since: s.now });
    // A member that died abruptly stays online for the CRM until the membership drops it.
    const inP = p.includes(name) || s.nodes[master]!.members.includes(name);
    if (inP) {
      const want = db.maintenance.includes(name) ? 'maintenance' : 'online';
      if (hn.state !== want) {
        db.haNodes[name] = { state: want, since: s.now };
        changes.push(`node ${name} ${want}`);
        // A node that came back before it was fenced takes its services back.
        for (const svc of Object.values(db.ha))
          if (svc.node === name && svc.state === 'fence') setSvc(c, db, svc, 'started', name, changes);
      }
      continue;
    }
    if (hn.state === 'online' || hn.state === 'maintenance') {
      // Frozen services (clean reboot) wait for their node; anything else active must be fenced.
      const owns = Object.values(db.ha).some((x) => x.node === name && FENCE_STATES.has(x.state) && x.requested === 'started');
      db.haNodes[name] = { state: owns ? 'fence' : 'unknown', since: s.now, lostAt: s.now };
      changes.push(`node ${name} ${owns ? 'fence' : 'unknown'}`);
      if (owns) {
        emit(c, { type: 'node-fence', node: name, by: [...p] });
        for (const svc of Object.values(db.ha))
          if (svc.node === name && FENCE_STATES.has(svc.state) && svc.requested === 'started')
            setSvc(c, db, svc, 'fence', name, changes);
        if (s.config.voteMode === 'human') openFenceVote(c, name);
      }
    }
    if (db.haNodes[name]!.state === 'fence') {
      const lostAt = db.haNodes[name]!.lostAt ?? s.now;
      const lockHeld = s.now - lostAt >= t.fenceLockMs;
      const approved =
        s.config.voteMode === 'auto' || s.votes.some((v) => v.target === name && v.status === 'passed' && v.partition.some((m) => p.includes(m)));
      if ((s.config.voteMode === 'auto' && lockHeld) || (s.config.voteMode === 'human' && approved)) {
        // Human mode: the vote is the fencing decision itself, so the node is really power-cycled.
        // Auto mode relies on the lost node's watchdog having reset it (watchdog < lock delay).
        const target = s.nodes[name]!;
        if (s.config.voteMode === 'human' && target.power === 'on') {
          stopAllVms(c, name, 'fenced');
          powerDown(c, target, 'booting', 'fenced by the cluster');
        }
        db.haNodes[name] = { state: 'unknown', since: s.now };
        emit(c, { type: 'fenced', node: name, by: [...p] });
        changes.push(`fenced ${name}`);
        for (const svc of Object.values(db.ha)) if (svc.node === name && svc.state === 'fence') setSvc(c, db, svc, 'recovery', name, changes);
      }
    }
  }
  // Services.
  for (const svc of Object.values(db.ha)) {
    const vmRun = s.vms[String(svc.vmid)];
    if (!vmRun) continue;
    if (svc.state === 'recovery') {
      const targets = eligibleTargets(s, db, p, svc.vmid);
      if (targets.length) {
        const to = targets[0]!;
        const from = svc.node;
        svc.node = to;
        const conf = db.vms[String(svc.vmid)];
        if (conf) conf.node = to;
        setSvc(c, db, svc, 'started', to, changes);
        startVm(c, svc.vmid, to, 'ha recovery');
        emit(c, { type: 'recovered', sid: svc.sid, vmid: svc.vmid, from, to });
      } else if (!svc.stuckReported) {
        svc.stuckReported = true;
        const conf = db.vms[String(svc.vmid)];
        emit(c, {
          type: 'recovery-stuck',
          sid: svc.sid,
          vmid: svc.vmid,
          reason: conf?.storage === 'local' ? 'local storage' : !s.storageUp ? 'shared storage down' : 'no online node',
        });
        changes.push(`stuck ${svc.sid}`);
      }
      continue;
    }
    if (svc.state === 'migrate' || svc.state === 'relocate') {
      if (svc.until !== undefined && svc.until <= s.now && svc.target) {
        const from = svc.node;
        const to = svc.target;
        if (p.includes(to) && s.nodes[to]!.power === 'on') {
          // A guest that was running moves with its process; a stopped one only moves its config.
          const wasRunning = vmRun.runningOn.length > 0;
          for (const n of [...vmRun.runningOn]) if (n !== to) stopVm(c, svc.vmid, n, svc.state);
          if (wasRunning && svc.requested === 'started') startVm(c, svc.vmid, to, svc.state);
          svc.node = to;
          const conf = db.vms[String(svc.vmid)];
          if (conf) conf.node = to;
          emit(c, { type: 'migrated', vmid: svc.vmid, from, to, online: svc.state === 'migrate' });
        }
        delete svc.target;
        delete svc.until;
        setSvc(c, db, svc, svc.requested === 'started' ? 'started' : 'stopped', svc.node, changes);
      }
      continue;
    }
    if (!p.includes(svc.node)) continue; // fence flow above handles services of lost nodes
    // Maintenance: move services off a node in maintenance, bring them back when it ends.
    if (db.maintenance.includes(svc.node) && svc.state === 'started' && svc.requested === 'started') {
      const targets = eligibleTargets(s, db, p, svc.vmid, svc.node);
      if (targets.length) {
        svc.maintenanceFrom = svc.node;
        svc.target = targets[0]!;
        svc.until = s.now + t.migrateMs;
        setSvc(c, db, svc, 'migrate', svc.node, changes);
        continue;
      }
    }
    if (
      svc.maintenanceFrom &&
      !db.maintenance.includes(svc.maintenanceFrom) &&
      p.includes(svc.maintenanceFrom) &&
      svc.state === 'started'
    ) {
      svc.target = svc.maintenanceFrom;
      delete svc.maintenanceFrom;
      svc.until = s.now + t.migrateMs;
      setSvc(c, db, svc, 'migrate', svc.node, changes);
      continue;
    }
    if (svc.requested === 'started') {
      if (svc.state === 'stopped' || svc.state === 'request_stop' || svc.state === 'freeze' || svc.state === 'error') {
        if (s.nodes[svc.node]!.power === 'on') setSvc(c, db, svc, 'started', svc.node, changes);
      }
      if (svc.state === 'started' && s.nodes[svc.node]!.power === 'on' && !vmRun.runningOn.includes(svc.node)) {
        startVm(c, svc.vmid, svc.node, 'ha start');
      }
    } else if (svc.requested === 'stopped' || svc.requested === 'disabled') {
      if (vmRun.runningOn.includes(svc.node)) stopVm(c, svc.vmid, svc.node, 'ha stop');
      if (svc.state !== 'stopped') setSvc(c, db, svc, 'stopped', svc.node, changes);
    }
    // A copy still running elsewhere in this partition after a merge: the owner keeps it.
    for (const n of [...vmRun.runningOn])
      if (n !== svc.node && p.includes(n) && !vmRun.migrating) stopVm(c, svc.vmid, n, 'split-brain cleanup');
  }
  if (changes.length) {
    db.version += 1;
    for (const m of p) s.nodes[m]!.cfs = clone(db);
  }
}

function setSvc(c: Ctx, _db: CfsDb, svc: HaService, state: HaService['state'], node: NodeName, changes: string[]): void {
  if (svc.state === state && svc.node === node) return;
  svc.state = state;
  svc.node = node;
  svc.since = c.s.now;
  if (state !== 'recovery') delete svc.stuckReported;
  changes.push(`${svc.sid} ${state}`);
  emit(c, { type: 'service-state', sid: svc.sid, state, node });
}

/** Online migrations of guests that are not HA-managed. */
function finishMigrations(c: Ctx): void {
  const s = c.s;
  for (const vm of Object.values(s.vms)) {
    const m = vm.migrating;
    if (!m || m.until > s.now) continue;
    const from = vm.runningOn[0];
    delete vm.migrating;
    if (!from || s.nodes[m.to]!.power !== 'on') continue;
    vm.runningOn = [m.to];
    emit(c, { type: 'migrated', vmid: vm.vmid, from, to: m.to, online: true });
  }
}

// ---------------------------------------------------------------- human votes

function openFenceVote(c: Ctx, target: NodeName): void {
  const s = c.s;
  let nextId = s.votes.reduce((a, v) => Math.max(a, v.id), 0);
  for (const p of s.partitions) {
    if (p.includes(target)) continue;
    if (s.votes.some((v) => v.target === target && v.status === 'open' && partitionKey(v.partition) === partitionKey(p))) continue;
    const info = partitionInfo(s, p);
    const vote: FenceVote = {
      id: ++nextId,
      target,
      partition: [...p],
      openedAt: s.now,
      deadline: s.now + s.config.timing.voteDeadlineMs,
      ballots: {},
      status: 'open',
      quorum: info.quorum,
      quorate: info.quorate,
    };
    s.votes.push(vote);
    emit(c, { type: 'vote-opened', voteId: vote.id, target, partition: [...p], deadline: vote.deadline, quorum: vote.quorum });
  }
}

function castVote(c: Ctx, node: NodeName, voteId: number, yes: boolean): StepResult {
  const s = c.s;
  const v = s.votes.find((x) => x.id === voteId);
  if (!v || v.status !== 'open') return { events: [], error: { code: 'vote_closed', message: 'this vote is not open' } };
  if (!v.partition.includes(node)) return { events: [], error: { code: 'not_voter', message: 'your node is not in this vote' } };
  if (v.ballots[node] !== undefined) return { events: [], error: { code: 'already_voted', message: 'you already voted' } };
  v.ballots[node] = yes;
  emit(c, { type: 'vote-cast', voteId, node, yes });
  recompute(c);
  return { events: c.events };
}

function updateVotes(c: Ctx): void {
  const s = c.s;
  for (const v of s.votes) {
    if (v.status !== 'open') continue;
    // Autopilot seats vote as votequorum would: yes when their partition is quorate.
    for (const m of v.partition) {
      if (v.ballots[m] === undefined && s.config.autoNodes.includes(m) && s.nodes[m]!.power === 'on') {
        v.ballots[m] = s.nodes[m]!.quorate;
        emit(c, { type: 'vote-cast', voteId: v.id, node: m, yes: v.ballots[m]! });
      }
    }
    const current = partitionOf(s, v.partition[0]!);
    const nodeYes = Object.entries(v.ballots)
      .filter(([, y]) => y)
      .reduce((a, [m]) => a + (nodeConfig(s, m)?.votes ?? 0), 0);
    // The QDevice's vote is part of this partition's quorum while it is cast here: it backs the
    // partition's decision once a node has said yes (otherwise {pve1}+QDevice could never act).
    const qdYes = nodeYes > 0 && current && s.qdevice?.votedFor === partitionKey(current) ? qdeviceVotes(s) : 0;
    const yesVotes = nodeYes + qdYes;
    const stillQuorate = !!current && v.partition.every((m) => current.includes(m)) && s.nodes[v.partition[0]!]!.quorate;
    const targetBack = v.partition.some((m) => partitionOf(s, m)?.includes(v.target));
    let status: FenceVote['status'] | null = null;
    if (targetBack) status = 'cancelled';
    else if (stillQuorate && yesVotes >= v.quorum) status = 'passed';
    else if (s.now >= v.deadline) status = 'expired';
    else if (Object.keys(v.ballots).length >= v.partition.length && !(stillQuorate && yesVotes >= v.quorum)) status = 'rejected';
    if (!status) continue;
    v.status = status;
    emit(c, { type: 'vote-closed', voteId: v.id, target: v.target, status, yes: yesVotes, quorum: v.quorum });
  }
  // A failed vote is asked again while the node is still to be fenced.
  for (const p of s.partitions) {
    if (!p.every((m) => s.nodes[m]!.quorate)) continue;
    const db = s.nodes[p[0]!]!.cfs;
    for (const [name, hn] of Object.entries(db.haNodes)) {
      if (hn.state !== 'fence' || s.config.voteMode !== 'human') continue;
      const relevant = s.votes.filter((v) => v.target === name && partitionKey(v.partition) === partitionKey(p));
      if (!relevant.some((v) => v.status === 'open' || v.status === 'passed')) openFenceVote(c, name);
    }
  }
}

// ---------------------------------------------------------------- incidents

function fmtT(ms: Ms): string {
  return `${Math.round(ms / 1000)} s`;
}

function openIncident(c: Ctx, kind: Incident['kind'], cause: string, detail: Record<string, unknown>): void {
  const s = c.s;
  const id = s.incidents.reduce((a, i) => Math.max(a, i.id), 0) + 1;
  s.incidents.push({ id, kind, cause, startedAt: s.now, endedAt: null, detail });
  emit(c, { type: 'split-brain-started', incident: id, kind, cause });
}

function closeIncident(c: Ctx, inc: Incident): void {
  inc.endedAt = c.s.now;
  emit(c, { type: 'split-brain-ended', incident: inc.id, kind: inc.kind, durationMs: c.s.now - inc.startedAt });
}

function updateIncidents(c: Ctx): void {
  const s = c.s;
  const quorate = s.partitions.filter((p) => s.nodes[p[0]!]!.quorate);
  const openTwo = s.incidents.find((i) => i.kind === 'two-quorate' && i.endedAt === null);
  if (quorate.length >= 2 && !openTwo) {
    const override = quorate.map((p) => s.nodes[p[0]!]!.expectedOverride).find((x) => !!x);
    const cause = override
      ? override
      : s.config.options.two_node
        ? `two_node: both halves keep quorum after the split at t=${fmtT(s.now)}`
        : s.config.options.last_man_standing
          ? `last_man_standing lowered expected votes, then the halves met others at t=${fmtT(s.now)}`
          : s.qdevice && s.config.voteMode === 'human' && !s.qdevice.auto
            ? `QDevice vote given by hand at t=${fmtT(s.now)}`
            : `two partitions quorate at t=${fmtT(s.now)}`;
    openIncident(c, 'two-quorate', cause, { partitions: quorate.map((p) => [...p]) });
  } else if (quorate.length < 2 && openTwo) closeIncident(c, openTwo);

  for (const vm of Object.values(s.vms)) {
    const open = s.incidents.find((i) => i.kind === 'vm-twice' && i.endedAt === null && i.detail.vmid === vm.vmid);
    if (vm.runningOn.length >= 2 && !vm.migrating && !open) {
      openIncident(c, 'vm-twice', `VM ${vm.vmid} running on ${vm.runningOn.join(' and ')} at t=${fmtT(s.now)}`, {
        vmid: vm.vmid,
        nodes: [...vm.runningOn],
      });
    } else if (vm.runningOn.length < 2 && open) closeIncident(c, open);
  }

  const openCfs = s.incidents.find((i) => i.kind === 'cfs-diverged' && i.endedAt === null);
  if (openCfs) {
    const live = Object.values(s.nodes).filter((n) => n.power !== 'off');
    const head = (n: NodeRuntime) => `${n.cfs.version}:${n.cfs.log.at(-1)?.id ?? ''}`;
    if (live.every((n) => head(n) === head(live[0]!))) closeIncident(c, openCfs);
  }
}

// ---------------------------------------------------------------- faults

function applyFault(c: Ctx, f: Fault, by?: string): void {
  const s = c.s;
  const known = (n: NodeName) => !!s.nodes[n];
  const setLink = (a: NodeName, b: NodeName, patch: Partial<(typeof s.links)[string]>) => {
    const l = s.links[linkKey(a, b)];
    if (l) Object.assign(l, patch);
  };
  switch (f.kind) {
    case 'power': {
      if (!known(f.node)) return;
      const n = s.nodes[f.node]!;
      if (f.action === 'on') {
        if (n.power === 'off') {
          n.power = 'booting';
          n.bootUntil = s.now + s.config.timing.bootMs;
          emit(c, { type: 'node-power', node: n.name, power: 'booting', reason: 'power on' });
        }
      } else if (n.power !== 'off') {
        if (f.action === 'reboot' || f.action === 'shutdown') {
          // Clean stop: corosync leaves at once (peers see it within a second), services are
          // frozen for a reboot and handed over for a shutdown.
          const p = partitionOf(s, n.name);
          for (const peer of Object.values(s.nodes)) delete peer.heard[n.name];
          if (p && n.quorate) {
            cfsCommit(c, n.name, 'ha/manager_status', `${f.action} of ${n.name}`, (db) => {
              for (const svc of Object.values(db.ha)) {
                if (svc.node !== n.name || svc.requested !== 'started') continue;
                if (f.action === 'reboot') {
                  svc.state = 'freeze';
                } else {
                  svc.state = 'recovery';
                }
                svc.since = s.now;
                emit(c, { type: 'service-state', sid: svc.sid, state: svc.state, node: svc.node });
              }
              if (f.action === 'shutdown') db.haNodes[n.name] = { state: 'unknown', since: s.now };
            });
          }
          stopAllVms(c, n.name, f.action);
        } else {
          stopAllVms(c, n.name, f.action === 'reset' ? 'reset' : 'power loss');
        }
        powerDown(c, n, f.action === 'off' || f.action === 'shutdown' ? 'off' : 'booting', f.action);
      }
      break;
    }
    case 'link':
      if (!known(f.a) || !known(f.b)) return;
      setLink(f.a, f.b, { cut: f.cut });
      if (!f.oneWay) setLink(f.b, f.a, { cut: f.cut });
      break;
    case 'partition': {
      const groupOf = new Map<NodeName, number>();
      f.groups.forEach((g, i) => g.forEach((n) => groupOf.set(n, i)));
      for (const a of s.config.nodes)
        for (const b of s.config.nodes) {
          if (a.name === b.name) continue;
          const ga = groupOf.get(a.name) ?? -1;
          const gb = groupOf.get(b.name) ?? -1;
          setLink(a.name, b.name, { cut: ga !== gb });
        }
      break;
    }
    case 'isolate':
      if (!known(f.node)) return;
      for (const o of s.config.nodes)
        if (o.name !== f.node) {
          setLink(f.node, o.name, { cut: true });
          setLink(o.name, f.node, { cut: true });
        }
      if (s.qdevice) s.qdevice.reach[f.node] = false;
      break;
    case 'heal':
      for (const l of Object.values(s.links)) Object.assign(l, { cut: false, loss: 0, latencyMs: 0 });
      if (s.qdevice) for (const n of Object.keys(s.qdevice.reach)) s.qdevice.reach[n] = true;
      break;
    case 'link-quality':
      if (!known(f.a) || !known(f.b)) return;
      for (const [x, y] of [[f.a, f.b], [f.b, f.a]] as const)
        setLink(x, y, { loss: Math.min(1, Math.max(0, f.loss)), latencyMs: Math.max(0, f.latencyMs) });
      break;
    case 'clock-skew': {
      if (!known(f.node)) return;
      const n = s.nodes[f.node]!;
      n.skewMs = f.skewMs;
      updateSkew(c, n);
      break;
    }
    case 'qdevice-host':
      if (s.qdevice) s.qdevice.hostUp = f.up;
      break;
    case 'qdevice-reach':
      if (s.qdevice && known(f.node)) s.qdevice.reach[f.node] = f.reachable;
      break;
    case 'storage':
      s.storageUp = f.up;
      for (const vm of Object.values(s.vms)) {
        const owner = vm.runningOn[0];
        const conf = owner ? s.nodes[owner]!.cfs.vms[String(vm.vmid)] : undefined;
        vm.ioError = !f.up && conf?.storage === 'shared' && vm.runningOn.length > 0;
      }
      break;
  }
  emit(c, { type: 'fault-applied', fault: f, ...(by ? { by } : {}) });
  recompute(c);
}

/** The course's danger rule: more than 10 s of skew is a warning and an event, not a quorum change. */
export const SKEW_DANGER_MS = 10_000;
export function updateSkew(c: Ctx, n: NodeRuntime): void {
  const bad = Math.abs(n.skewMs) > SKEW_DANGER_MS;
  if (bad && !n.skewWarned) {
    n.skewWarned = true;
    emit(c, { type: 'clock-skew', node: n.name, skewMs: n.skewMs });
  } else if (!bad && n.skewWarned) {
    n.skewWarned = false;
    emit(c, { type: 'clock-synced', node: n.name });
  }
}
