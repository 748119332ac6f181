// Reads a team's stored event log back into what grading needs: an approximate final ClusterState
// (for teamScore and the objectives), each node's presence in a membership over time, the votes
// with their right answer, and the commands that forced expected votes. Pure.
//
// Heartbeats and inputs are not stored (docs/protocol.md, "Storage"), so the session cannot be
// re-run; the state is rebuilt from the events that record each change instead.
import { applyWorldFault, createCluster, linkDeaf } from '../sim/index';
import { buildClusterConfig } from '../sim/scenarios';
import type { ClusterState, CorosyncLink, Fault, Incident, NodeName, Scenario, SimEvent, TimingProfileName, VoteMode } from '../sim/types';

export type PresenceState = 'in' | 'absent' | 'excused';

export interface PresenceFigures {
  inMembershipMs: number;
  absentMs: number;
  excusedMs: number;
  /** the event that left the node unheard, the first time it was counted absent */
  firstAbsentSeq: number | null;
}

export interface CastVote {
  seq: number;
  at: number;
  node: NodeName;
  voteId: number;
  target: NodeName;
  yes: boolean;
  quorate: boolean;
}

export interface ForcedExpected {
  seq: number;
  at: number;
  node: NodeName;
  line: string;
  expected: number;
  /** the node's partition held quorum when the command ran */
  quorate: boolean;
}

export interface QdeviceChoice {
  seq: number;
  at: number;
  partition: NodeName[];
  algorithmChoice: NodeName[];
  right: boolean;
}

export interface LogFold {
  final: ClusterState;
  presence: Record<NodeName, PresenceFigures>;
  votes: CastVote[];
  forcedExpected: ForcedExpected[];
  qdeviceChoices: QdeviceChoice[];
  incidents: (Incident & { startSeq: number; endSeq: number | null })[];
}

/** The state a lab's cluster starts from (the room builds it the same way; the seed plays no part
 * before the first tick). */
export function initialState(scenario: Scenario, timing: TimingProfileName, voteMode: VoteMode): ClusterState {
  return createCluster(buildClusterConfig(scenario, { timing, voteMode, autoNodes: [] }), 'report');
}

const key = (p: NodeName[]) => [...p].sort().join(',');

/**
 * Folds the events (sorted by seq) over `initial` up to `endMs`. Fields rebuilt: power, quorum,
 * memberships, expected votes, VM processes and I/O errors, clock warnings, QDevice configuration
 * (a setup is taken to reach every node), fence votes, incidents and corosync.conf's knet links (a
 * write reaches its partition, a merge spreads the winner's; `corosync-link-at-end` reads them). Not
 * rebuilt: the rest of /etc/pve and HA manager states, which no score reads from the final state.
 */
export function foldLog(initial: ClusterState, events: SimEvent[], endMs: number, opts: { humanVotes: boolean }): LogFold {
  const s = JSON.parse(JSON.stringify(initial)) as ClusterState;
  const names = s.config.nodes.map((n) => n.name);
  const ring: Record<NodeName, NodeName[]> = {};
  for (const n of names) ring[n] = [...s.nodes[n]!.members];
  // Links that lose every heartbeat, by the engine's own fault rule replayed on `s.links`.
  const broken = (a: NodeName, b: NodeName) => linkDeaf(s, a, b);
  const presence: Record<NodeName, PresenceFigures> = {};
  for (const n of names) presence[n] = { inMembershipMs: 0, absentMs: 0, excusedMs: 0, firstAbsentSeq: null };
  const out: LogFold = { final: s, presence, votes: [], forcedExpected: [], qdeviceChoices: [], incidents: [] };
  const voteQuorate = new Map<number, boolean>();
  let pendingExpected: { node: NodeName; expected: number }[] = [];
  let last = 0;
  const becameAbsent: Record<NodeName, number> = {};
  let mergedLinks: CorosyncLink[] | undefined;
  const setLinks = (m: NodeName, links: CorosyncLink[]) => {
    if (s.nodes[m]) s.nodes[m]!.cfs = { ...s.nodes[m]!.cfs, links };
  };

  const classify = (x: NodeName): PresenceState => {
    if (s.nodes[x]!.power !== 'on') return 'excused';
    if (ring[x]!.length >= 2 && ring[x]!.includes(x)) return 'in';
    const reachable = names.filter((y) => y !== x && s.nodes[y]!.power === 'on' && !broken(x, y) && !broken(y, x));
    if (reachable.length === 0) return 'excused';
    // Peers that could hear it formed a membership without it: its heartbeats stopped. When every
    // reachable peer is alone too, the log cannot tell whose heartbeats stopped.
    return reachable.some((y) => ring[y]!.length >= 2 && !ring[y]!.includes(x)) ? 'absent' : 'excused';
  };
  // A node back from being off or cut off needs a moment to rejoin a ring; it gets the same grace
  // a node that goes silent gets before its peers drop it (deadAfterMs).
  const grace = s.config.timing.deadAfterMs;
  const graceUntil: Record<NodeName, number> = {};
  const advance = (t: number) => {
    if (t <= last) return;
    for (const n of names) {
      const c = classify(n);
      const p = presence[n]!;
      if (c === 'in') p.inMembershipMs += t - last;
      else if (c === 'excused') p.excusedMs += t - last;
      else {
        const excused = Math.max(0, Math.min(t, graceUntil[n] ?? 0) - last);
        p.excusedMs += excused;
        p.absentMs += t - last - excused;
        if (t - last - excused > 0 && p.firstAbsentSeq === null) p.firstAbsentSeq = becameAbsent[n] ?? null;
      }
    }
    last = t;
  };
  // Power and clock faults are followed by their own node-power / clock-skew events.
  const applyFault = (f: Fault) => {
    if (f.kind !== 'power' && f.kind !== 'clock-skew') applyWorldFault(s, f);
  };

  for (const e of events) {
    advance(Math.min(e.at, endMs));
    const before = new Map(names.map((n) => [n, classify(n)]));
    const node = 'node' in e && typeof e.node === 'string' ? s.nodes[e.node] : undefined;
    if (e.type !== 'expected-changed' && e.type !== 'command') pendingExpected = [];
    switch (e.type) {
      case 'membership-changed':
        for (const m of e.members) {
          if (!ring[m]) continue;
          ring[m] = [...e.members];
          s.nodes[m]!.members = [...e.members];
          s.nodes[m]!.ringId = e.ringId;
          if (mergedLinks) setLinks(m, mergedLinks);
        }
        mergedLinks = undefined;
        break;
      case 'node-power':
        if (!node) break;
        node.power = e.power;
        if (e.power !== 'on') {
          ring[node.name] = [];
          node.members = [];
          node.quorate = false;
        }
        break;
      case 'quorum-lost':
        if (node) node.quorate = false;
        break;
      case 'quorum-regained':
        if (node) node.quorate = true;
        break;
      case 'expected-changed':
        if (node) node.expected = e.expected;
        if (e.reason === 'command') pendingExpected.push({ node: e.node, expected: e.expected });
        break;
      case 'command':
        // `pvecm expected` emits its expected-changed events just before its own command event,
        // and the quorum they bring follows it: the node's quorum here is the one it ran under.
        if (e.ok && pendingExpected.length > 0 && node)
          out.forcedExpected.push({ seq: e.seq, at: e.at, node: e.node, line: e.line, expected: pendingExpected[0]!.expected, quorate: node.quorate });
        pendingExpected = [];
        break;
      case 'vm-started': {
        const vm = s.vms[String(e.vmid)];
        if (vm && !vm.runningOn.includes(e.node)) vm.runningOn.push(e.node);
        break;
      }
      case 'vm-stopped': {
        const vm = s.vms[String(e.vmid)];
        if (vm) vm.runningOn = vm.runningOn.filter((n) => n !== e.node);
        if (vm && vm.runningOn.length === 0) vm.ioError = false;
        break;
      }
      case 'migrated': {
        // Online migrations of non-HA guests move the process with this event only.
        const vm = s.vms[String(e.vmid)];
        if (vm && vm.runningOn.includes(e.from)) vm.runningOn = [...new Set(vm.runningOn.map((n) => (n === e.from ? e.to : n)))];
        break;
      }
      case 'fault-applied':
        applyFault(e.fault);
        break;
      case 'vm-restored': {
        // The restored disk is as good as the archive (rules/backup.ts).
        const vm = (s.vms[String(e.vmid)] ??= { vmid: e.vmid, runningOn: [], ioError: false });
        if (e.corrupt) vm.corrupt = true;
        else delete vm.corrupt;
        break;
      }
      case 'clock-skew':
        if (node) {
          node.skewWarned = true;
          node.skewMs = e.skewMs;
        }
        break;
      case 'clock-synced':
        if (node) {
          node.skewWarned = false;
          node.skewMs = 0;
        }
        break;
      case 'qdevice-configured': {
        const q = s.config.qdevice;
        for (const n of names) s.nodes[n]!.cfs.qdevice = e.enabled && q ? { configured: true, ip: e.ip ?? q.ip, algorithm: q.algorithm } : null;
        if (s.qdevice) s.qdevice.present = e.enabled;
        break;
      }
      case 'qdevice-vote':
        if (s.qdevice) s.qdevice.votedFor = e.partition ? key(e.partition) : null;
        if (opts.humanVotes && e.partition && e.algorithmChoice)
          out.qdeviceChoices.push({ seq: e.seq, at: e.at, partition: e.partition, algorithmChoice: e.algorithmChoice, right: key(e.partition) === key(e.algorithmChoice) });
        break;
      case 'vote-opened': {
        // The engine opens a vote after settling quorum in the same pass: the members' quorum
        // as folded so far is the vote's `quorate` flag.
        const quorate = e.partition.every((m) => s.nodes[m]?.quorate === true);
        voteQuorate.set(e.voteId, quorate);
        s.votes.push({ id: e.voteId, target: e.target, partition: [...e.partition], openedAt: e.at, deadline: e.deadline, ballots: {}, status: 'open', quorum: e.quorum, quorate });
        break;
      }
      case 'vote-cast': {
        const v = s.votes.find((x) => x.id === e.voteId);
        if (v) v.ballots[e.node] = e.yes;
        out.votes.push({ seq: e.seq, at: e.at, node: e.node, voteId: e.voteId, target: v?.target ?? '?', yes: e.yes, quorate: voteQuorate.get(e.voteId) ?? false });
        break;
      }
      case 'vote-closed': {
        const v = s.votes.find((x) => x.id === e.voteId);
        if (v) v.status = e.status;
        break;
      }
      case 'split-brain-started':
        s.incidents.push({ id: e.incident, kind: e.kind, cause: e.cause, startedAt: e.at, endedAt: null, detail: {} });
        out.incidents.push({ id: e.incident, kind: e.kind, cause: e.cause, startedAt: e.at, endedAt: null, detail: {}, startSeq: e.seq, endSeq: null });
        break;
      case 'split-brain-ended': {
        const i = s.incidents.find((x) => x.id === e.incident);
        if (i) i.endedAt = e.at;
        const r = out.incidents.find((x) => x.id === e.incident);
        if (r) {
          r.endedAt = e.at;
          r.endSeq = e.seq;
        }
        break;
      }
      case 'pmxcfs-write':
        if (e.links && node) for (const m of ring[node.name]!.includes(node.name) ? ring[node.name]! : [node.name]) setLinks(m, e.links);
        break;
      case 'pmxcfs-merge': {
        // Emitted just before the membership-changed of the merged ring, which spreads them.
        mergedLinks = e.winner[0] ? s.nodes[e.winner[0]]?.cfs.links : undefined;
        break;
      }
      // Events that change nothing the report rebuilds.
      case 'heartbeat-lost': case 'node-dead': case 'watchdog-armed': case 'watchdog-disarmed':
      case 'self-fenced': case 'node-fence': case 'fenced': case 'recovered': case 'recovery-stuck':
      case 'service-state': case 'maintenance': case 'pmxcfs-refused': case 'seat-taken': case 'seat-left': case 'presence': case 'checkpoint-opened':
      case 'checkpoint-closed': case 'cluster-created': case 'node-joined': case 'node-removed':
      case 'package-installed': case 'backup-created': case 'diagnosis': case 'drill-drawn': case 'knet-link':
        break;
      default: {
        const _exhaustive: never = e;
        void _exhaustive;
      }
    }
    for (const n of names) {
      const now = classify(n);
      if (before.get(n) === 'excused' && now !== 'excused') graceUntil[n] = e.at + grace;
      if (before.get(n) !== 'absent' && now === 'absent') becameAbsent[n] = e.seq;
    }
    s.seq = Math.max(s.seq, e.seq);
  }
  advance(endMs);
  s.now = Math.max(endMs, last);
  return out;
}
