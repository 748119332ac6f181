// Membership: heartbeats, who hears whom, and the corosync rings formed from that (docs/sim.md,
// "Membership").
import { nextRandom } from '../rng.js';
import { byNodeid, emit, linkKey, partitionKey, type Ctx } from '../kernel.js';
import type { ClusterState, NodeName, NodeRuntime } from '../types.js';
import { mergeCfs } from './pmxcfs.js';

/** corosync runs on n: powered on and not stopped by `systemctl stop corosync`. Only such nodes
 * send and hear heartbeats and belong to a membership. */
export const corosyncRuns = (n: NodeRuntime): boolean => n.power === 'on' && !n.corosyncStopped;

/** A clean leave (corosync stopped, clean reboot or shutdown): the node says goodbye, so its peers
 * drop it at once instead of waiting for the token to time out. */
export function leaveCleanly(s: ClusterState, name: NodeName): void {
  for (const peer of Object.values(s.nodes)) delete peer.heard[name];
}

export function sendHeartbeat(s: ClusterState, from: NodeName): void {
  const a = s.nodes[from];
  if (!a || !corosyncRuns(a)) return;
  a.lastSent = s.now;
  for (const b of s.config.nodes) {
    if (b.name === from) continue;
    const peer = s.nodes[b.name]!;
    if (!corosyncRuns(peer)) continue;
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

export function hears(s: ClusterState, a: NodeName, b: NodeName): boolean {
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
    .filter((n) => corosyncRuns(s.nodes[n.name]!))
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

/** A member not heard for two heartbeat periods: `heartbeat-lost`, once, long before it is
 * declared dead. What a student sees coming in the seconds before the membership changes. */
export function noticeMissingHeartbeats(c: Ctx): void {
  const s = c.s;
  const late = 2 * s.config.timing.heartbeatMs;
  for (const n of Object.values(s.nodes)) {
    if (!corosyncRuns(n)) {
      if (n.missing?.length) n.missing = [];
      continue;
    }
    const missing = n.members.filter((p) => p !== n.name && !(s.now - (n.heard[p] ?? -Infinity) <= late));
    for (const p of missing) if (!n.missing?.includes(p)) emit(c, { type: 'heartbeat-lost', node: n.name, peer: p });
    n.missing = missing;
  }
}

export function updateMembership(c: Ctx): void {
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
  // Nodes that are not powered, or whose corosync is stopped, hold no membership.
  for (const n of Object.values(s.nodes)) if (!corosyncRuns(n)) n.members = [];
}
