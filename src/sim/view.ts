// What each seat sees: a node (a student's screen), the QDevice seat, the teacher (ground truth),
// and in diagnosis mode a node seat without verdicts. Which events and vote prompts reach a seat:
// seat-events.ts. Pure; the room only sends what these say.
import { partitionOf, serviceId } from './kernel.js';
import { SKEW_DANGER_MS } from './rules/clock.js';
import { configuredVotes, partitionInfo } from './rules/votequorum.js';
import { qnetdReachableAt } from './rules/qdevice.js';
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
  /** the fence votes this node is asked, with the partition that asks */
  votesOpen: { voteId: number; target: NodeName; deadline: number; quorum: number; voted: boolean | null; partition: NodeName[] }[];
  /** the node's networks (absent: one flat network): its address on each, and its port there up or down */
  networks?: { id: string; vlan: number | null; subnet: string; roles: string[]; addr: string | null; up: boolean }[];
  now: number;
}

/** A booting node's time left to boot (null when it is not booting). */
const bootInMs = (s: ClusterState, node: NodeName): number | null => {
  const n = s.nodes[node]!;
  return n.power === 'booting' && n.bootUntil !== undefined ? Math.max(0, n.bootUntil - s.now) : null;
};

/** The fence votes open in a partition holding `node`. */
const votesOpen = (s: ClusterState, node: NodeName): NodeView['votesOpen'] =>
  s.votes
    .filter((v) => v.status === 'open' && v.partition.includes(node))
    .map((v) => ({ voteId: v.id, target: v.target, deadline: v.deadline, quorum: v.quorum, voted: v.ballots[node] ?? null, partition: [...v.partition] }));

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
    bootInMs: bootInMs(s, node),
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
    votesOpen: votesOpen(s, node),
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
  // Only faulty links are listed: 4,032 links at 64 nodes, their keys split only when shown.
  for (const key in s.links) {
    const l = s.links[key]!;
    if (!l.cut && !(l.loss > 0) && !(l.latencyMs > 0)) continue;
    const [a, b] = key.split('>') as [string, string];
    links.push({ a, b, cut: l.cut, loss: l.loss, latencyMs: l.latencyMs });
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
  /** `quorate` is absent in diagnosis mode */
  partitions: { members: NodeName[]; qdevice: boolean; quorate?: boolean }[];
  humanChoice: NodeName | null;
  algorithmChoice: NodeName[] | null;
  /** human vote mode with autopilot off: the seat decides where the vote goes */
  choosing: boolean;
  algorithm: 'ffsplit' | 'lms' | null;
  now: number;
  voteMode: VoteMode;
}

export function qdeviceSeatView(s: ClusterState, opts: SeatOptions = {}): QdeviceSeatView {
  const snap = teacherSnapshot(s);
  const q = s.qdevice;
  return {
    qdevice: snap.qdevice,
    // qnetd knows its clients' partitions and where its vote goes, not whether a partition is
    // quorate: in diagnosis mode that verdict is left out.
    partitions: snap.partitions.map((p) => ({ members: p.members, qdevice: p.qdevice, ...(opts.diagnosis ? {} : { quorate: p.quorate }) })),
    humanChoice: q?.humanChoice ?? null,
    algorithmChoice: q?.algorithmChoice && !opts.hideAnswers ? q.algorithmChoice.split(',') : null,
    choosing: s.config.voteMode === 'human' && !!q && !q.auto,
    algorithm: s.config.qdevice?.algorithm ?? null,
    now: s.now,
    voteMode: s.config.voteMode,
  };
}

/** How a lab shows things to its seats. `hideAnswers` (a graded lab): nothing the seat is graded
 * against. `diagnosis` (diagnosis mode, drills): no computed verdict, the terminal is the instrument. */
export interface SeatOptions {
  hideAnswers?: boolean;
  diagnosis?: boolean;
}

/**
 * A node's seat in diagnosis mode: what its student may know without a command. No verdict
 * (quorate, votes, membership, peers heard, /etc/pve state, watchdog, clock, VM and HA states):
 * the terminal finds those. Kept: its power, the cluster's node names (the diagnosis card's
 * choices), the VMs the scenario placed on it (the brief's role) and the fence votes it is asked.
 */
export interface DiagnosisNodeView extends Pick<NodeView, 'node' | 'power' | 'bootInMs' | 'votesOpen' | 'now'> {
  diagnosis: true;
  peers: { name: NodeName }[];
  vms: { vmid: number; name: string; ha: boolean }[];
}

export function diagnosisNodeView(s: ClusterState, node: NodeName): DiagnosisNodeView {
  return {
    diagnosis: true,
    node,
    power: s.nodes[node]!.power,
    bootInMs: bootInMs(s, node),
    peers: s.config.nodes.filter((x) => x.name !== node).map((x) => ({ name: x.name })),
    vms: s.config.vms.filter((vm) => vm.node === node).map((vm) => ({ vmid: vm.vmid, name: vm.name, ha: vm.ha })),
    votesOpen: votesOpen(s, node),
    now: s.now,
  };
}

/** The view a seat gets in `view` frames, and its key without the clock (send only on change). */
export function seatView(s: ClusterState, seat: Seat, opts: SeatOptions = {}): { view: NodeView | DiagnosisNodeView | QdeviceSeatView; key: string } {
  if (seat.role === 'node' && s.nodes[seat.node] && opts.diagnosis) {
    const view = diagnosisNodeView(s, seat.node);
    return { view, key: JSON.stringify({ ...view, now: 0, bootInMs: view.bootInMs === null ? null : Math.ceil(view.bootInMs / 1000) }) };
  }
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
