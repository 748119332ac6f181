// The kernel every rule shares: the step context, `emit`, lookups and derived keys. Each derived
// name (node id order, service id, link key, CRM master, partition key) is defined here once.
import type { CfsDb, ClusterState, HaService, NodeName, NodeRuntime, SimEvent, SimEventBody } from './types.js';

export interface Ctx {
  s: ClusterState;
  events: SimEvent[];
}

export function emit(c: Ctx, body: SimEventBody): void {
  const ev = { ...body, seq: ++c.s.seq, at: c.s.now } as SimEvent;
  c.events.push(ev);
}

/** Deep copy through JSON: the state is plain JSON by design. */
export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A partition (or membership) as one string: its members in order, comma-joined. */
export const partitionKey = (members: NodeName[]): string => members.join(',');

export function nodeConfig(s: ClusterState, name: NodeName) {
  return s.config.nodes.find((n) => n.name === name);
}

/** A node's corosync nodeid; an unknown name sorts after every real node. */
export const nodeid = (s: ClusterState, name: NodeName): number => nodeConfig(s, name)?.nodeid ?? 1e9;
export const byNodeid = (s: ClusterState) => (a: NodeName, b: NodeName) => nodeid(s, a) - nodeid(s, b);
export const sortByNodeid = (s: ClusterState, names: NodeName[]): NodeName[] => [...names].sort(byNodeid(s));

/** Key of the directed link a→b in `ClusterState.links`. */
export const linkKey = (a: NodeName, b: NodeName): string => `${a}>${b}`;

/** The HA resource id of a guest, as ha-manager names it: `vm:100`. */
export const serviceId = (vmid: number): string => `vm:${vmid}`;

/** The HA service of a guest in one /etc/pve copy, if the guest is HA-managed. */
export const haService = (db: CfsDb, vmid: number): HaService | null => db.ha[serviceId(vmid)] ?? null;

/** The node whose CRM is master in a partition: the first name in sort order. */
export const crmMaster = (p: NodeName[]): NodeName => [...p].sort()[0]!;

/** The nodes of a node's corosync.conf nodelist, or null when it has none (standalone). */
export function nodelistOf(s: ClusterState, n: NodeRuntime): NodeName[] | null {
  const l = n.cfs.nodelist;
  if (l === null) return null;
  return l ?? s.config.nodes.map((x) => x.name);
}

/** corosync.conf's cluster_name as the node's /etc/pve has it. */
export const clusterNameOf = (s: ClusterState, n: NodeRuntime): string => n.cfs.clusterName ?? s.config.clusterName;

/** corosync.conf's config_version in this /etc/pve copy. */
export const configVersionOf = (db: CfsDb): number => db.configVersion ?? 1;

/** Whether `peer` is in the node's nodelist (corosync talks to those nodes only). */
export function inNodelist(n: NodeRuntime, peer: NodeName): boolean {
  const l = n.cfs.nodelist;
  return l === undefined || (l !== null && l.includes(peer));
}

/** corosync runs on the node: powered, in a cluster (a corosync.conf), and not stopped by
 * `systemctl stop corosync`. */
export const corosyncRuns = (n: NodeRuntime): boolean => n.power === 'on' && !n.corosyncStopped && n.cfs.nodelist !== null;

export function partitionOf(s: ClusterState, node: NodeName): NodeName[] | null {
  return s.partitions.find((p) => p.includes(node)) ?? null;
}
