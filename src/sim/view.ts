// What each seat sees: a node (a student's screen), the QDevice seat, the teacher (ground truth),
// and which events and vote prompts reach each seat. Pure; the room only sends what this says.
import { partitionOf, serviceId } from './kernel.js';
import { SKEW_DANGER_MS } from './rules/clock.js';
import { configuredVotes, partitionInfo } from './rules/votequorum.js';
import { qnetdReachableAt } from './rules/qdevice.js';
import type { SimEvent } from './events.js';
import type { ClusterState, NodeName, ScheduledFault, VoteMode } from './types.js';

export interface NodeView {
  node: NodeName;
  power: string;
  bootInMs: number | null;
  members: NodeName[]; // its membership (itself included), empty when not running
  peers: { name: NodeName; heard: boolean; lastHeardAgoMs: number | null }[];
  quorate: boolean;
  /** the node has a corosync.conf (false: a standalone node of a build lab, no votequorum at all) */
  inCluster: boolean;
  votes: number;
  expected: number;
  quorum: number;
  qdevice: { present: boolean; reachable: boolean; votesHere: boolean } | null;
  cfsWritable: boolean;
  cfsVersion: number;
  watchdogInMs: number | null;
  skewMs: number;
  skewDanger: boolean;
  vms: { vmid: number; name: string; status: 'running' | 'stopped' | 'io-error'; ha: string | null }[];
  ha: { sid: string; node: NodeName; state: string }[];
  votesOpen: { voteId: number; target: NodeName; deadline: number; quorum: number; voted: boolean | null }[];
  /** the node's networks (absent: one flat network): its address on each, and its port there up or down */
  networks?: { id: string; vlan: number | null; subnet: string; roles: string[]; addr: string | null; up: boolean }[];
  now: number;
}

export function nodeView(s: ClusterState, node: NodeName): NodeView {
  const n = s.nodes[node]!;
  const p = n.power === 'on' ? partitionOf(s, node) : null;
  const info = p ? partitionInfo(s, p) : null;
  const peers = s.config.nodes
    .filter((x) => x.name !== node)
    .map((x) => {
      const t = n.heard[x.name];
      const ago = t === undefined ? null : Math.max(0, s.now - t);
      return { name: x.name, heard: ago !== null && ago <= s.config.timing.deadAfterMs && n.power === 'on', lastHeardAgoMs: ago };
    });
  const vms = Object.values(n.cfs.vms)
    .filter((vm) => vm.node === node)
    .sort((a, b) => a.vmid - b.vmid)
    .map((vm) => {
      const rt = s.vms[String(vm.vmid)];
      const running = !!rt?.runningOn.includes(node);
      const svc = n.cfs.ha[serviceId(vm.vmid)];
      return {
        vmid: vm.vmid,
        name: vm.name,
        status: (running ? (rt!.ioError ? 'io-error' : 'running') : 'stopped') as 'running' | 'stopped' | 'io-error',
        ha: svc ? svc.state : null,
      };
    });
  return {
    node,
    power: n.power,
    bootInMs: n.power === 'booting' && n.bootUntil !== undefined ? Math.max(0, n.bootUntil - s.now) : null,
    // The node's ring: a member that died abruptly stays in it until the timeout, as in corosync.
    members: info ? [...info.ring] : [],
    peers,
    // A standalone node runs no votequorum: not quorate, though its /etc/pve is writable (local mode).
    quorate: n.power === 'on' && n.quorate && n.cfs.nodelist !== null,
    inCluster: n.cfs.nodelist !== null,
    votes: info?.total ?? 0,
    expected: info?.expected ?? n.expected,
    quorum: info?.quorum ?? Math.floor(configuredVotes(s) / 2) + 1,
    qdevice: s.qdevice
      ? {
          present: !!n.cfs.qdevice?.configured,
          reachable: qnetdReachableAt(s, n.cfs.qdevice?.ip ?? s.config.qdevice?.ip ?? '', node),
          votesHere: !!info && info.qdeviceVote > 0,
        }
      : null,
    cfsWritable: n.power === 'on' && n.quorate,
    cfsVersion: n.cfs.version,
    watchdogInMs: n.watchdogAt !== null ? Math.max(0, n.watchdogAt - s.now) : null,
    skewMs: n.skewMs,
    skewDanger: Math.abs(n.skewMs) > SKEW_DANGER_MS,
    vms,
    ha: Object.values(n.cfs.ha)
      .sort((a, b) => a.vmid - b.vmid)
      .map((x) => ({ sid: x.sid, node: x.node, state: x.state })),
    votesOpen: s.votes
      .filter((v) => v.status === 'open' && v.partition.includes(node))
      .map((v) => ({ voteId: v.id, target: v.target, deadline: v.deadline, quorum: v.quorum, voted: v.ballots[node] ?? null })),
    ...(s.config.networks
      ? { networks: s.config.networks.map((x) => ({ id: x.id, vlan: x.vlan ?? null, subnet: x.subnet, roles: [...x.roles], addr: x.addrs[node] ?? null, up: !s.nets?.[x.id]?.down.includes(node) })) }
      : {}),
    now: s.now,
  };
}

/** A view without its clock, for "did anything change?" comparisons. */
export function viewKey(v: NodeView): string {
  const { now: _now, peers, bootInMs, watchdogInMs, ...rest } = v;
  return JSON.stringify({
    ...rest,
    peers: peers.map((p) => [p.name, p.heard]),
    // countdowns change every tick; whole seconds are what a screen needs
    bootInS: bootInMs === null ? null : Math.ceil(bootInMs / 1000),
    watchdogInS: watchdogInMs === null ? null : Math.ceil(watchdogInMs / 1000),
  });
}

export interface TeacherSnapshot {
  now: number;
  partitions: { members: NodeName[]; quorate: boolean; votes: number; expected: number; quorum: number; qdevice: boolean }[];
  nodes: {
    name: NodeName;
    nodeid: number;
    power: string;
    quorate: boolean;
    auto: boolean;
    skewMs: number;
    watchdogInMs: number | null;
    cfsVersion: number;
    expectedOverride: string | null;
  }[];
  links: { a: NodeName; b: NodeName; cut: boolean; loss: number; latencyMs: number }[];
  qdevice: { present: boolean; hostUp: boolean; votedFor: string | null; algorithmChoice: string | null; reach: Record<string, boolean> } | null;
  storageUp: boolean;
  vms: { vmid: number; name: string; runningOn: NodeName[]; ha: string | null; owner: NodeName | null }[];
  incidents: { id: number; kind: string; cause: string; startedAt: number; endedAt: number | null }[];
  votes: { id: number; target: NodeName; status: string; partition: NodeName[]; yes: number; quorum: number; deadline: number }[];
  /** the cluster's networks and their faults now (absent: one flat network) */
  networks?: { id: string; vlan: number | null; subnet: string; roles: string[]; addrs: Record<NodeName, string>; down: NodeName[]; saturated: boolean }[];
}

export function teacherSnapshot(s: ClusterState): TeacherSnapshot {
  const links: TeacherSnapshot['links'] = [];
  for (const [key, l] of Object.entries(s.links)) {
    const [a, b] = key.split('>') as [string, string];
    if (l.cut || l.loss > 0 || l.latencyMs > 0) links.push({ a, b, cut: l.cut, loss: l.loss, latencyMs: l.latencyMs });
  }
  // Ground truth for VM ownership: the copy of /etc/pve of the best-connected quorate side.
  const authority = s.partitions.find((p) => s.nodes[p[0]!]!.quorate)?.[0] ?? s.config.nodes[0]!.name;
  const db = s.nodes[authority]!.cfs;
  return {
    now: s.now,
    partitions: s.partitions.map((p) => {
      const i = partitionInfo(s, p);
      return { members: [...p], quorate: i.quorate, votes: i.total, expected: i.expected, quorum: i.quorum, qdevice: i.qdeviceVote > 0 };
    }),
    nodes: s.config.nodes.map((c) => {
      const n = s.nodes[c.name]!;
      return {
        name: c.name,
        nodeid: c.nodeid,
        power: n.power,
        quorate: n.quorate,
        auto: s.config.autoNodes.includes(c.name),
        skewMs: n.skewMs,
        watchdogInMs: n.watchdogAt !== null ? Math.max(0, n.watchdogAt - s.now) : null,
        cfsVersion: n.cfs.version,
        expectedOverride: n.expectedOverride,
      };
    }),
    links,
    qdevice: s.qdevice
      ? { present: s.qdevice.present, hostUp: s.qdevice.hostUp, votedFor: s.qdevice.votedFor, algorithmChoice: s.qdevice.algorithmChoice, reach: { ...s.qdevice.reach } }
      : null,
    storageUp: s.storageUp,
    vms: Object.values(s.vms).map((vm) => ({
      vmid: vm.vmid,
      name: db.vms[String(vm.vmid)]?.name ?? `vm${vm.vmid}`,
      runningOn: [...vm.runningOn],
      ha: db.ha[serviceId(vm.vmid)]?.state ?? null,
      owner: db.vms[String(vm.vmid)]?.node ?? null,
    })),
    incidents: s.incidents.map((i) => ({ id: i.id, kind: i.kind, cause: i.cause, startedAt: i.startedAt, endedAt: i.endedAt })),
    votes: s.votes.slice(-20).map((v) => ({
      id: v.id,
      target: v.target,
      status: v.status,
      partition: v.partition,
      yes: Object.values(v.ballots).filter(Boolean).length,
      quorum: v.quorum,
      deadline: v.deadline,
    })),
    ...(s.config.networks
      ? { networks: s.config.networks.map((x) => ({ id: x.id, vlan: x.vlan ?? null, subnet: x.subnet, roles: [...x.roles], addrs: { ...x.addrs }, down: [...(s.nets?.[x.id]?.down ?? [])], saturated: !!s.nets?.[x.id]?.saturated })) }
      : {}),
  };
}

// ---------------------------------------------------------------- seats

/** A student's seat: a node, or the QDevice host (protocol SeatInfo has these two fields). */
export interface Seat {
  role: 'node' | 'qdevice';
  node: NodeName;
}

/** What the QDevice seat sees: the partitions, where its vote goes, and whether it chooses. */
export interface QdeviceSeatView {
  qdevice: TeacherSnapshot['qdevice'];
  partitions: { members: NodeName[]; qdevice: boolean; quorate: boolean }[];
  humanChoice: NodeName | null;
  algorithmChoice: NodeName[] | null;
  /** human vote mode with autopilot off: the seat decides where the vote goes */
  choosing: boolean;
  algorithm: 'ffsplit' | 'lms' | null;
  now: number;
  voteMode: VoteMode;
}

export function qdeviceSeatView(s: ClusterState, opts: { hideAnswers?: boolean } = {}): QdeviceSeatView {
  const snap = teacherSnapshot(s);
  const q = s.qdevice;
  return {
    qdevice: snap.qdevice,
    partitions: snap.partitions.map((p) => ({ members: p.members, qdevice: p.qdevice, quorate: p.quorate })),
    humanChoice: q?.humanChoice ?? null,
    algorithmChoice: q?.algorithmChoice && !opts.hideAnswers ? q.algorithmChoice.split(',') : null,
    choosing: s.config.voteMode === 'human' && !!q && !q.auto,
    algorithm: s.config.qdevice?.algorithm ?? null,
    now: s.now,
    voteMode: s.config.voteMode,
  };
}

/** The view a seat gets in `view` frames, and its key without the clock (send only on change). */
/** What a seat is shown. `hideAnswers` (a graded lab): nothing the seat is graded against. */
export function seatView(s: ClusterState, seat: Seat, opts: { hideAnswers?: boolean } = {}): { view: NodeView | QdeviceSeatView; key: string } {
  if (seat.role === 'node' && s.nodes[seat.node]) {
    const view = nodeView(s, seat.node);
    return { view, key: viewKey(view) };
  }
  const view = qdeviceSeatView(s, opts);
  return { view, key: JSON.stringify({ ...view, now: 0 }) };
}

/** The next scheduled faults (the teacher's "coming up" list). */
export function upcomingFaults(s: ClusterState, count: number): ScheduledFault[] {
  const tl = s.timeline;
  return tl ? tl.faults.slice(tl.next, tl.next + count).map((f) => ({ atMs: f.atMs, fault: f.fault, note: f.note })) : [];
}

/** A fence-vote prompt, as the `prompt` frame carries it. */
export interface VotePrompt {
  voteId: number;
  target: NodeName;
  deadline: number;
  quorum: number;
  partition: NodeName[];
}

/** Prompts that these events open for a seat: the voters are the members of the asking partition. */
export function promptsFor(events: SimEvent[], seat: Seat): VotePrompt[] {
  if (seat.role !== 'node') return [];
  const out: VotePrompt[] = [];
  for (const e of events)
    if (e.type === 'vote-opened' && e.partition.includes(seat.node))
      out.push({ voteId: e.voteId, target: e.target, deadline: e.deadline, quorum: e.quorum, partition: e.partition });
  return out;
}

/** Votes still waiting for this seat's ballot (sent again when a socket joins). */
export function openPrompts(s: ClusterState, seat: Seat): VotePrompt[] {
  if (seat.role !== 'node') return [];
  return s.votes
    .filter((v) => v.status === 'open' && v.partition.includes(seat.node) && v.ballots[seat.node] === undefined)
    .map((v) => ({ voteId: v.id, target: v.target, deadline: v.deadline, quorum: v.quorum, partition: v.partition }));
}

/**
 * Whether a seat's socket receives an event: only what its node would know (teachers see all).
 * Decisions taken by another partition (a node declared dead, fenced, its services recovered)
 * are not known on an isolated node; it sees its own ring lose the others instead.
 */
/** `me` forced its expected votes and that opened the split-brain still open (src/sim/shell/corosync.ts). */
function openedSplitBrain(s: ClusterState, me: NodeName): boolean {
  const cause = s.nodes[me]?.expectedOverride;
  return !!cause && cause.includes(` on ${me} at `) && s.incidents.some((i) => i.kind === 'two-quorate' && i.endedAt === null && i.cause === cause);
}

export function seesEvent(s: ClusterState, e: SimEvent, seat: Seat): boolean {
  const me = seat.node;
  if (seat.role === 'qdevice') return e.type === 'qdevice-vote' || e.type === 'membership-changed' || e.type === 'qdevice-configured';
  const withMe = (n: NodeName) => n === me || !!partitionOf(s, me)?.includes(n);
  switch (e.type) {
    case 'command':
      return false; // the sender gets its output frame
    case 'membership-changed':
      return e.members.includes(me);
    case 'node-dead':
    case 'node-fence':
    case 'fenced':
      return e.by.includes(me);
    case 'recovered':
      return e.to === me || (e.from === me && withMe(e.to));
    case 'migrated':
      return e.from === me || e.to === me;
    case 'vote-opened':
      return false; // the voters get a `prompt` frame instead
    case 'vote-closed':
      return !!s.votes.find((v) => v.id === e.voteId)?.partition.includes(me);
    case 'qdevice-vote':
      return !!e.partition?.includes(me) || !!e.algorithmChoice?.includes(me);
    case 'pmxcfs-merge':
      return e.winner.includes(me) || e.lost.some((w) => w.node === me);
    case 'split-brain-started':
      // Ground truth, except for the node whose forced expected vote opened it: its student is
      // told at once (the cause names the command, the node and the time: src/sim/shell/corosync.ts).
      // Its consequences (a VM now running twice, /etc/pve written on both sides: writes lost at the
      // merge) reach that seat too, while the split-brain it opened is still open.
      if (e.kind === 'two-quorate') return s.nodes[me]?.expectedOverride === e.cause && e.cause.includes(` on ${me} at `);
      return openedSplitBrain(s, me);
    case 'split-brain-ended':
    case 'fault-applied':
      return false; // ground truth: the teacher's
    case 'seat-taken':
    case 'seat-left':
    case 'presence':
      return false; // room bookkeeping for grades
    case 'checkpoint-opened':
    case 'checkpoint-closed':
      return false; // students get `checkpoint` and `checkpoint-results` frames instead
    case 'diagnosis':
    case 'drill-drawn':
      return false; // the student gets a `diagnosis` frame; the drawn fault is the teacher's secret
    case 'heartbeat-lost':
    case 'quorum-lost':
    case 'quorum-regained':
    case 'expected-changed':
    case 'vote-cast':
    case 'watchdog-armed':
    case 'watchdog-disarmed':
    case 'self-fenced':
    case 'recovery-stuck':
    case 'vm-started':
    case 'vm-stopped':
    case 'service-state':
    case 'maintenance':
    case 'pmxcfs-write':
    case 'pmxcfs-refused':
    case 'clock-skew':
    case 'clock-synced':
    case 'node-power':
    case 'qdevice-configured':
    case 'backup-created':
    case 'vm-restored':
    case 'cluster-created':
    case 'package-installed':
      return 'node' in e && e.node === me;
    case 'node-joined':
      return e.node === me || withMe(e.via);
    case 'node-removed':
      return e.node === me || withMe(e.by);
    default: {
      const _exhaustive: never = e;
      return _exhaustive;
    }
  }
}
