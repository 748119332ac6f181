// Networks and knet links: which corosync link carries a heartbeat between two nodes, knet's
// passive link_mode failover, and what a saturated or cut network does to corosync (docs/sim.md,
// "Networks"). A cluster without `networks` is one flat network with link0 on NodeConfig.ip, and
// behaves exactly as before links existed.
import { corosyncRuns, emit, linkKey, type Ctx } from '../kernel.js';
import type { ClusterState, CorosyncLink, NetworkConfig, NodeName, NodeRuntime } from '../types.js';

/** knet_link_priority when corosync.conf gives none. */
export const DEFAULT_LINK_PRIORITY = 1;

/** The knet links of a node's corosync.conf: its /etc/pve copy's, else the scenario's, else link0
 * on each node's address. */
export function linksOf(s: ClusterState, n: NodeRuntime): CorosyncLink[] {
  return n.cfs.links ?? s.config.corosyncLinks ?? [{ linknumber: 0, addrs: Object.fromEntries(s.config.nodes.map((x) => [x.name, x.ip])) }];
}

/** `m`'s address on each link of n's corosync.conf, by link number (corosync names a member by
 * these: `r(0) ip(…)`, the membership's address column). Without links for m: NodeConfig.ip. */
export function ringAddrs(s: ClusterState, n: NodeRuntime, m: NodeName): string[] {
  const addrs = [...linksOf(s, n)].sort((a, b) => a.linknumber - b.linknumber).flatMap((l) => (l.addrs[m] !== undefined ? [l.addrs[m]!] : []));
  const ip = s.config.nodes.find((x) => x.name === m)?.ip;
  return addrs.length ? addrs : ip !== undefined ? [ip] : [];
}

/** corosync.conf's links with `node` added where it has no address, as `pvecm add` writes them:
 * its address on the network of the link's other members, else (no networks) its IP on the lowest
 * link — the tool's fallback when no `--linkN` is given. */
export function linksWithNode(s: ClusterState, links: CorosyncLink[], node: NodeName): CorosyncLink[] {
  const ip = s.config.nodes.find((x) => x.name === node)?.ip;
  const lowest = Math.min(...links.map((l) => l.linknumber));
  return links.map((l) => {
    if (l.addrs[node] !== undefined) return l;
    const member = Object.entries(l.addrs)[0];
    const net = member ? networkOfAddr(s, member[0], member[1]) : null;
    const addr = net ? net.addrs[node] : l.linknumber === lowest ? ip : undefined;
    return addr === undefined ? l : { ...l, addrs: { ...l.addrs, [node]: addr } };
  });
}

export const linkPriority = (l: CorosyncLink): number => l.priority ?? DEFAULT_LINK_PRIORITY;

/** The network on which `node` holds `addr` (null: none of its networks; no networks in the
 * scenario: null too, and everything is one flat network). */
export function networkOfAddr(s: ClusterState, node: NodeName, addr: string): NetworkConfig | null {
  return s.config.networks?.find((net) => net.addrs[node] === addr) ?? null;
}

/** A node's own addresses: one per network it is on, or NodeConfig.ip without networks. */
export function nodeAddrs(s: ClusterState, node: NodeName): string[] {
  if (s.config.networks) return s.config.networks.flatMap((net) => (net.addrs[node] !== undefined ? [net.addrs[node]!] : []));
  const ip = s.config.nodes.find((x) => x.name === node)?.ip;
  return ip === undefined ? [] : [ip];
}

/** Whether `addr` lies in `subnet` ("10.0.10.0/24"). */
export function inSubnet(addr: string, subnet: string): boolean {
  const [base, bits] = subnet.split('/');
  const a = ipv4(addr);
  const b = ipv4(base ?? '');
  const n = Number(bits);
  if (a === null || b === null || !Number.isInteger(n) || n < 0 || n > 32) return false;
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

function ipv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) >>> 0;
}

/** Why a knet link between a and b does not work ('up' when it does). The pairwise link fault
 * (`s.links`) is not part of it: it stops every link between the pair (see `carrier`). */
export type KnetLinkState = 'up' | 'no-address' | 'other-network' | 'port-down' | 'saturated';

/** One link of a's corosync.conf, towards b: both nodes need an address on it (b's config must
 * list the link with the same addresses: corosync talks to what both ends configured), the two
 * addresses on one network, both ports on that network up, and the network not saturated (bulk
 * traffic delays corosync's packets past the token, and knet's pings with them). */
export function knetLinkState(s: ClusterState, a: NodeName, b: NodeName, link: CorosyncLink): KnetLinkState {
  const aa = link.addrs[a];
  const ba = link.addrs[b];
  if (aa === undefined || ba === undefined) return 'no-address';
  const peer = s.nodes[b];
  const theirs = peer ? linksOf(s, peer).find((l) => l.linknumber === link.linknumber) : undefined;
  if (!theirs || theirs.addrs[a] !== aa || theirs.addrs[b] !== ba) return 'no-address';
  if (!s.config.networks) return 'up';
  const na = networkOfAddr(s, a, aa);
  const nb = networkOfAddr(s, b, ba);
  if (!na || !nb || na.id !== nb.id) return 'other-network';
  const rt = s.nets?.[na.id];
  if (rt?.down.includes(a) || rt?.down.includes(b)) return 'port-down';
  if (rt?.saturated) return 'saturated';
  return 'up';
}

/** The links of a's corosync.conf that work towards b, best first: knet's passive link_mode
 * sends on the highest knet_link_priority (ties: the lowest linknumber). */
export function workingLinks(s: ClusterState, a: NodeName, b: NodeName): CorosyncLink[] {
  const n = s.nodes[a];
  if (!n) return [];
  return linksOf(s, n)
    .filter((l) => knetLinkState(s, a, b, l) === 'up')
    .sort((x, y) => linkPriority(y) - linkPriority(x) || x.linknumber - y.linknumber);
}

/** Whether knet sees `link` between a and b connected: it works and the pair is not cut either
 * way (knet's pings go both ways). What `corosync-cfgtool` and the knet events show. */
export function linkConnected(s: ClusterState, a: NodeName, b: NodeName, link: CorosyncLink): boolean {
  if (s.links[linkKey(a, b)]?.cut || s.links[linkKey(b, a)]?.cut) return false;
  return knetLinkState(s, a, b, link) === 'up';
}

/** The knet link that carries corosync traffic from a to b now, or null when none does (no
 * working link, or the pair's link is cut). The one rule behind `sendHeartbeat` and the
 * deadline's "delivers". */
export function carrier(s: ClusterState, a: NodeName, b: NodeName): number | null {
  if (s.links[linkKey(a, b)]?.cut) return null;
  // The flat world of clusters without networks or links: link0, as always.
  if (!s.config.networks && !s.config.corosyncLinks && !s.nodes[a]?.cfs.links && !s.nodes[b]?.cfs.links) return 0;
  return workingLinks(s, a, b)[0]?.linknumber ?? null;
}

/** What knet tells about a node's links to each peer (`[KNET  ] link: host: 2 link: 0 is down`,
 * `host: host: 2 (passive) best link: 1 (pri: 20)`): one `knet-link` event when the working links
 * or the best link change. Only for scenarios with networks; the state lives in `NodeRuntime.knet`
 * and is set silently when the cluster is created. */
export function updateKnet(c: Ctx): void {
  const s = c.s;
  if (!s.config.networks) return;
  for (const n of Object.values(s.nodes)) {
    if (!corosyncRuns(n)) continue;
    const known = (n.knet ??= {});
    for (const peer of s.config.nodes) {
      if (peer.name === n.name) continue;
      const linked = linksOf(s, n).some((l) => l.addrs[peer.name] !== undefined);
      if (!linked) continue;
      const working = workingLinks(s, n.name, peer.name).filter((l) => linkConnected(s, n.name, peer.name, l));
      const up = working.map((l) => l.linknumber).sort((x, y) => x - y);
      const best = working[0] ?? null;
      const was = known[peer.name];
      if (was && sameList(was.up, up) && was.best === (best?.linknumber ?? null)) continue;
      known[peer.name] = { up, best: best?.linknumber ?? null };
      if (!was) continue;
      emit(c, {
        type: 'knet-link',
        node: n.name,
        peer: peer.name,
        down: was.up.filter((l) => !up.includes(l)),
        up: up.filter((l) => !was.up.includes(l)),
        best: best?.linknumber ?? null,
        priority: best ? linkPriority(best) : null,
      });
    }
  }
}

const sameList = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
