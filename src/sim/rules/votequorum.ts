// votequorum: expected votes, quorum of each partition, wait_for_all, last_man_standing
// (docs/sim.md, "votequorum"). The arithmetic itself is in ../quorum.ts.
import { emit, nodeConfig, nodelistOf, partitionKey, partitionOf, type Ctx } from '../kernel.js';
import { lowestNodeidName, partitionQuorum, twoNodeInForce, type QuorumRule } from '../quorum.js';
import type { ClusterState, NodeName, NodeRuntime } from '../types.js';
import { corosyncRuns, membershipOf } from './membership.js';
import { qdeviceVotes } from './qdevice.js';

/** Votes of every node of the nodelist plus the QDevice's: what corosync.conf makes E at start
 * (`n`: whose corosync.conf; without it, every configured node). */
export function configuredVotes(s: ClusterState, n?: NodeRuntime): number {
  return nodelistVotes(s, n) + qdeviceVotes(s, n);
}

/** Votes of the nodes of a node's nodelist (every configured node without one). */
export function nodelistVotes(s: ClusterState, n?: NodeRuntime): number {
  const list = n ? nodelistOf(s, n) : null;
  if (!list) return s.config.nodes.reduce((a, x) => a + x.votes, 0);
  return list.reduce((a, m) => a + (nodeConfig(s, m)?.votes ?? 0), 0);
}

/** How many nodes a node's corosync.conf lists (every configured node without one). */
export const nodelistSize = (s: ClusterState, n?: NodeRuntime): number => (n && nodelistOf(s, n)?.length) || s.config.nodes.length;

// ---------------------------------------------------------------- creation

export interface PartitionInfo {
  members: NodeName[];
  /** the corosync membership these votes come from: the members plus any member that died
   * abruptly and has not timed out yet (what the tools list and count) */
  ring: NodeName[];
  nodeVotes: number;
  qdeviceVote: number;
  total: number;
  expected: number;
  quorum: number;
  quorate: boolean;
  /** which votequorum rule decided (carried by quorum-lost / quorum-regained) */
  rule: QuorumRule;
}

/** two_node in force in this cluster now (a QDevice turns it off). */
export const twoNodeActive = (s: ClusterState, n?: NodeRuntime): boolean =>
  twoNodeInForce(s.config.options.two_node, nodelistSize(s, n), !!s.qdevice?.present);

export function partitionInfo(s: ClusterState, p: NodeName[]): PartitionInfo {
  const ring = membershipOf(s, p);
  const nodeVotes = ring.reduce((a, m) => a + (nodeConfig(s, m)?.votes ?? 0), 0);
  const qdeviceVote = s.qdevice && s.qdevice.votedFor === partitionKey(p) ? qdeviceVotes(s) : 0;
  const total = nodeVotes + qdeviceVote;
  const expected = Math.max(total, ...p.map((m) => s.nodes[m]!.expected));
  const lowestName = lowestNodeidName(s.config.nodes);
  const pq = partitionQuorum({
    total,
    expected,
    nodeCount: nodelistSize(s, s.nodes[p[0]!]),
    twoNode: twoNodeActive(s, s.nodes[p[0]!]),
    waitForAllPending: p.some((m) => !s.nodes[m]!.wfaDone),
    autoTieBreaker: s.config.options.auto_tie_breaker,
    hasLowestNodeid: lowestName !== undefined && p.includes(lowestName),
  });
  let rule = pq.rule;
  if (rule === 'votes') {
    if (pq.quorate && qdeviceVote > 0 && nodeVotes < pq.quorum) rule = 'qdevice_vote';
    else if (p.some((m) => s.nodes[m]!.expectedOverride !== null)) rule = 'expected_override';
  }
  return { members: p, ring: [...ring], nodeVotes, qdeviceVote, total, expected, quorum: pq.quorum, quorate: pq.quorate, rule };
}

export function updateQuorum(c: Ctx): void {
  const s = c.s;
  for (const p of s.partitions) {
    if (p.length === nodelistSize(s, s.nodes[p[0]!])) for (const m of p) s.nodes[m]!.wfaDone = true;
    let info = partitionInfo(s, p);
    // Expected votes never go down by themselves; they rise when the votes present exceed them.
    for (const m of p) if (s.nodes[m]!.expected < info.expected) s.nodes[m]!.expected = info.expected;
    const lowered = lastManStanding(c, p, info);
    if (lowered) info = partitionInfo(s, p);
    for (const m of p) setQuorate(c, s.nodes[m]!, info.quorate, info);
  }
  // A node outside every membership (powered down, corosync stopped) has no quorum. A powered
  // standalone node (no corosync.conf) runs pmxcfs in local mode, which counts as quorate.
  for (const n of Object.values(s.nodes)) {
    if (n.power === 'on' && n.cfs.nodelist === null) {
      if (!n.quorate) {
        n.quorate = true;
        n.quorateSince = s.now;
        n.lostQuorumAt = null;
      }
    } else if (!corosyncRuns(n) && n.quorate) setQuorate(c, n, false, null);
  }
}

/**
 * last_man_standing: once the membership has been stable for the window, a quorate partition with
 * fewer votes than E sets E to the votes present, in one step (two nodes lost in one window: 5 → 3).
 * Never below 2 unless auto_tie_breaker is on too, which lets the last node alone be quorate (1/1).
 * The window restarts at every membership change (updateMembership clears lmsSince).
 */
function lastManStanding(c: Ctx, p: NodeName[], info: PartitionInfo): boolean {
  const s = c.s;
  const floor = s.config.options.auto_tie_breaker ? 1 : 2;
  const target = Math.max(info.total, floor);
  if (!s.config.options.last_man_standing || !info.quorate || target >= info.expected) return false;
  const first = s.nodes[p[0]!]!;
  if (first.lmsSince === null) {
    for (const m of p) s.nodes[m]!.lmsSince = s.now;
    return false;
  }
  if (s.now - first.lmsSince < s.config.timing.lmsWindowMs) return false;
  for (const m of p) {
    s.nodes[m]!.expected = target;
    s.nodes[m]!.lmsSince = s.now;
    emit(c, { type: 'expected-changed', node: m, expected: target, reason: 'lms' });
  }
  return true;
}

export function setQuorate(c: Ctx, n: NodeRuntime, quorate: boolean, info: PartitionInfo | null): void {
  if (n.quorate === quorate) return;
  const s = c.s;
  n.quorate = quorate;
  if (quorate) {
    n.quorateSince = s.now;
    n.lostQuorumAt = null;
    if (info)
      emit(c, { type: 'quorum-regained', node: n.name, votes: info.total, quorum: info.quorum, rule: info.rule, expected: info.expected });
  } else {
    n.lostQuorumAt = s.now;
    n.quorateSince = null;
    // wait_for_all re-arms whenever a node loses quorum (seen on corosync 3.1.7).
    if (waitForAllArms(s)) n.wfaDone = false;
    if (n.power === 'on')
      emit(c, {
        type: 'quorum-lost',
        node: n.name,
        votes: info?.total ?? 0,
        quorum: info?.quorum ?? 0,
        rule: info?.rule ?? 'votes',
        expected: info?.expected ?? n.expected,
      });
  }
}

/** wait_for_all is in force (its own setting; when absent, on exactly with two_node): it re-arms whenever a node
 * loses quorum, boots, or restarts corosync, and holds until the whole cluster has been seen. */
export function waitForAllArms(s: ClusterState): boolean {
  return s.config.options.wait_for_all ?? s.config.options.two_node;
}

/**
 * `systemctl restart corosync` on node n: corosync leaves and rejoins, so the node forgets every
 * peer until it hears them again (next heartbeat), and votequorum starts afresh from
 * corosync.conf — a `pvecm expected` made on this node is undone (on rejoin the partition takes
 * the highest expected value again).
 */
export function restartCorosync(s: ClusterState, n: NodeRuntime): void {
  n.heard = {};
  n.members = [];
  n.expected = configuredVotes(s, n);
  n.expectedOverride = null;
  if (waitForAllArms(s)) n.wfaDone = false;
}

/**
 * allow_downscale (votequorum(5)): when `node` leaves cleanly (shutdown, reboot, corosync stopped),
 * the rest of its partition recalculates expected votes down to the votes still present instead of
 * keeping them. votequorum(5) calls the feature incomplete and floors it at quorum.expected_votes,
 * which Proxmox does not write: the simulator takes the votes present (docs/sim.md, "votequorum").
 */
export function cleanLeave(c: Ctx, node: NodeName): void {
  const s = c.s;
  if (!s.config.options.allow_downscale) return;
  const rest = (partitionOf(s, node) ?? []).filter((m) => m !== node);
  if (rest.length === 0) return;
  const votes = rest.reduce((a, m) => a + (nodeConfig(s, m)?.votes ?? 0), 0);
  for (const m of rest) {
    const r = s.nodes[m]!;
    if (r.expected <= votes) continue;
    r.expected = votes;
    emit(c, { type: 'expected-changed', node: m, expected: votes, reason: 'downscale' });
  }
}

/** `pvecm expected N` / `corosync-quorumtool -e N` once allowed: votequorum applies the new value
 * to every member of the partition at once; `override` (the incident cause) is set when N is below
 * the configured votes. */
export function forceExpected(c: Ctx, p: NodeName[], want: number, override: string | null): void {
  for (const m of p) {
    const r = c.s.nodes[m]!;
    r.expected = want;
    r.expectedOverride = override;
    emit(c, { type: 'expected-changed', node: m, expected: want, reason: 'command' });
  }
}

/** corosync.conf reloaded without the QDevice: expected votes come back down to the nodes' votes
 * (an override in force stays). */
export function reloadExpectedWithoutQdevice(s: ClusterState, p: NodeName[]): void {
  for (const m of p) {
    const nodeVotes = nodelistVotes(s, s.nodes[m]);
    const r = s.nodes[m]!;
    if (r.expectedOverride === null && r.expected > nodeVotes) r.expected = nodeVotes;
  }
}

/**
 * `corosync-quorumtool -v N [-n id]` once votequorum accepted it: the node's votes change for the
 * whole cluster. Simplification: the simulator keeps one votes value per node, so the new value
 * also shows in corosync.conf (real votequorum keeps it at runtime only, until corosync restarts).
 */
export function setNodeVotes(c: Ctx, name: NodeName, votes: number): void {
  const cfg = nodeConfig(c.s, name);
  if (cfg) cfg.votes = votes;
}

