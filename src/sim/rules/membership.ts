// Membership: heartbeats, who hears whom, and the corosync rings formed from that (docs/sim.md,
// "Membership"). The ring each node holds (`NodeRuntime.members`, `ringId`) is the one source of
// truth: `pvecm status`, `pvecm nodes`, `corosync-quorumtool`, the node view and the vote count all
// read it; `ClusterState.partitions` is only its powered part.
import { nextRandom } from '../rng.js';
import { byNodeid, corosyncRuns, emit, inNodelist, linkKey, partitionKey, sortByNodeid, type Ctx } from '../kernel.js';
import type { ClusterState, Ms, NodeName, NodeRuntime, Timing } from '../types.js';
import { carrier } from './networks.js';
import { mergeCfs } from './pmxcfs.js';

export { corosyncRuns };

/** A clean leave (shutdown, reboot, corosync stopped): the peers stop hearing the node at once. */
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
    // corosync only talks to the nodes of its nodelist (two clusters on one network stay apart).
    if (!inNodelist(a, b.name) || !inNodelist(peer, from)) continue;
    // The knet link that carries it (rules/networks.ts): none when the pair is cut or no link of
    // corosync.conf works between them (address, network, port, saturation).
    if (carrier(s, from, b.name) === null) continue;
    const link = s.links[linkKey(from, b.name)]!;
    if (link.loss > 0 && nextRandom(s) < link.loss) continue;
    // A heartbeat delayed past the token timeout is as good as lost (the token would time out).
    if (link.latencyMs >= s.config.timing.tokenMs) continue;
    const arrival = s.now + link.latencyMs;
    const prev = peer.heard[from];
    if (prev === undefined || arrival > prev) {
      peer.heard[from] = arrival;
      // A heartbeat after silence starts a new stretch of hearing (what a merge waits on).
      if (prev === undefined || arrival - prev > s.config.timing.deadAfterMs) startHearing(peer, from, arrival);
    }
  }
}

function startHearing(n: NodeRuntime, peer: NodeName, at: number): void {
  (n.heardSince ??= {})[peer] = at;
}

export function hears(s: ClusterState, a: NodeName, b: NodeName): boolean {
  const t = s.nodes[a]!.heard[b];
  return t !== undefined && s.now - t <= s.config.timing.deadAfterMs;
}

/** Two powered nodes each hear the other within the timeout (a one-way cut breaks the pair). */
const connected = (s: ClusterState, a: NodeName, b: NodeName): boolean => hears(s, a, b) && hears(s, b, a);

/** Since when a and b have heard each other without a gap (the later of the two directions). */
function connectedSince(s: ClusterState, a: NodeName, b: NodeName): number {
  return Math.max(s.nodes[a]!.heardSince?.[b] ?? 0, s.nodes[b]!.heardSince?.[a] ?? 0);
}

/**
 * The corosync membership (ring) of the powered partition p: what its members hold, a member that
 * died abruptly and has not timed out yet included. Every tool and view reads this.
 */
export function membershipOf(s: ClusterState, p: NodeName[]): NodeName[] {
  const view = s.nodes[p[0]!]!.members;
  return view.length > 0 ? view : p;
}

interface Ring {
  /** powered members */
  live: NodeName[];
  /** the membership its members hold (dying members included) */
  view: NodeName[];
  /** an intact ring kept as it is (nothing to announce) */
  kept?: boolean;
  /** a node holding no ring yet (just booted, corosync restarted): it starts one of its own */
  fresh?: boolean;
}

/** The rings in force: powered nodes grouped by the ring they hold. A node just booted or whose
 * corosync restarted holds none yet and starts alone. */
function currentRings(s: ClusterState, up: NodeName[]): Ring[] {
  // A ring id is given to every member of a ring at once and never reused, and a node holding
  // a ring is always in it: the id alone groups the nodes.
  const byId = new Map<number, Ring>();
  const rings: Ring[] = [];
  for (const name of up) {
    const n = s.nodes[name]!;
    if (n.members.length === 0) {
      rings.push({ live: [name], view: [name], fresh: true });
      continue;
    }
    const r = byId.get(n.ringId);
    if (r) r.live.push(name);
    else {
      const ring = { live: [name], view: n.members };
      byId.set(n.ringId, ring);
      rings.push(ring);
    }
  }
  return rings;
}

/** A ring holds while every live member still hears every other member within the timeout; a
 * member missing from it must be powered off (dying, not yet timed out), not back on its own. */
function intact(s: ClusterState, r: Ring): boolean {
  if (r.live.length !== r.view.length)
    for (const x of r.view) if (!r.live.includes(x) && corosyncRuns(s.nodes[x]!)) return false;
  const oldest = s.now - s.config.timing.deadAfterMs;
  for (const m of r.live) {
    const heard = s.nodes[m]!.heard;
    for (const x of r.view) {
      if (x === m) continue;
      const at = heard[x];
      if (at === undefined || at < oldest) return false;
    }
  }
  return true;
}

/** Fully connected groups of `nodes` (in nodeid order): each joins the first group whose every
 * member it is connected to — the documented rule for non-transitive cuts. */
function connectedGroups(s: ClusterState, nodes: NodeName[]): NodeName[][] {
  const groups: NodeName[][] = [];
  for (const n of nodes) {
    const g = groups.find((members) => members.every((m) => connected(s, n, m)));
    if (g) g.push(n);
    else groups.push([n]);
  }
  return groups;
}

/** Two groups merge once every cross pair has heard each other for one token time, counted from
 * when the link came back: the first heartbeat after it arrives up to one heartbeat period late. */
function canMerge(s: ClusterState, a: NodeName[], b: NodeName[]): boolean {
  const t = s.config.timing;
  const since = s.now - Math.max(0, t.tokenMs - t.heartbeatMs);
  for (const x of a) for (const y of b) if (!connected(s, x, y) || connectedSince(s, x, y) > since) return false;
  return true;
}

/**
 * The rings after this instant, each with the membership its members will hold. A ring stays as
 * it is until one of its links times out (a dead member stays listed and counted until then);
 * then its live members re-form among themselves. Separate rings merge only after one token time
 * of full connection, so a node moves from one group to another only once its old links have
 * timed out, and a heal merges about one token time later.
 */
function computeRings(s: ClusterState): Ring[] {
  const up = sortByNodeid(
    s,
    s.config.nodes.filter((n) => corosyncRuns(s.nodes[n.name]!)).map((n) => n.name),
  );
  const out: Ring[] = [];
  for (const r of currentRings(s, up)) {
    if (r.fresh) out.push({ live: r.live, view: r.view });
    else if (intact(s, r)) out.push({ live: r.live, view: r.view, kept: true });
    else for (const g of connectedGroups(s, r.live)) out.push({ live: g, view: g });
  }
  out.sort((a, b) => byNodeid(s)(a.live[0]!, b.live[0]!));
  for (let merged = true; merged; ) {
    merged = false;
    outer: for (let i = 0; i < out.length; i++)
      for (let j = i + 1; j < out.length; j++)
        if (canMerge(s, out[i]!.live, out[j]!.live)) {
          const live = sortByNodeid(s, [...out[i]!.live, ...out[j]!.live]);
          out[i] = { live, view: live };
          // (a merged ring is never `kept`: its members hold older rings)
          out.splice(j, 1);
          merged = true;
          break outer;
        }
  }
  return out;
}

// ---------------------------------------------------------------- tick

/** How long a ring mate may go unheard before it is missing (two heartbeat periods). */
export const missingAfterMs = (t: Timing): Ms => 2 * t.heartbeatMs;

/** A member not heard for two heartbeat periods: `heartbeat-lost`, once, long before it is
 * declared dead. What a student sees coming in the seconds before the membership changes. */
export function noticeMissingHeartbeats(c: Ctx): void {
  const s = c.s;
  const late = missingAfterMs(s.config.timing);
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
  const rings = computeRings(s);
  for (const { live: p, view: eff, kept } of rings) {
    // A new ring forms when the membership differs from what its members hold.
    if (kept) continue;
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
  s.partitions = rings.map((r) => r.live);
  // Nodes that are not powered, or whose corosync is stopped, hold no membership.
  for (const n of Object.values(s.nodes)) if (!corosyncRuns(n)) n.members = [];
}
