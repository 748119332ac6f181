// Building the cluster: standalone nodes, `pvecm create`, `pvecm add`, `pvecm delnode`, and the
// packages a QDevice needs (docs/sim.md, "Building the cluster"). corosync.conf's nodelist lives in
// each node's /etc/pve copy (`CfsDb.nodelist`): null on a standalone node, which runs pmxcfs in
// local mode and no corosync.
import { byNodeid, clone, emit, nodelistOf, partitionOf, type Ctx } from '../kernel.js';
import type { CfsDb, ClusterState, NodeName } from '../types.js';
import { commitCorosyncConf } from './corosync-conf.js';
import { linksOf, linksWithNode } from './networks.js';
import { stopCorosync } from './power.js';
import { configuredVotes, restartCorosync } from './votequorum.js';

/** Packages `apt install` knows here, and where each belongs. */
export const PACKAGES = { qdevice: 'corosync-qdevice', qnetd: 'corosync-qnetd' } as const;

/** A standalone node's /etc/pve: no corosync.conf, its own guests only, no QDevice. */
export function standaloneCfs(db: CfsDb, node: NodeName): CfsDb {
  const own = clone(db);
  own.nodelist = null;
  own.qdevice = null;
  own.vms = Object.fromEntries(Object.entries(own.vms).filter(([, vm]) => vm.node === node));
  own.ha = Object.fromEntries(Object.entries(own.ha).filter(([, svc]) => svc.node === node));
  own.haNodes = { [node]: { state: 'online', since: 0 } };
  return own;
}

/** The node is in a cluster: its /etc/pve has a corosync.conf. */
export const inCluster = (s: ClusterState, node: NodeName): boolean => s.nodes[node]?.cfs.nodelist !== null;

/** The node's guests (configs in its own directory of /etc/pve). */
export const guestsOn = (s: ClusterState, node: NodeName): number[] =>
  Object.values(s.nodes[node]!.cfs.vms)
    .filter((vm) => vm.node === node)
    .map((vm) => vm.vmid)
    .sort((a, b) => a - b);

/** `pvecm create NAME`: corosync.conf with this node alone, then corosync starts (a one-node
 * cluster, quorate with 1 of 1). False when /etc/pve refused the write. */
export function formCluster(c: Ctx, node: NodeName, name: string): boolean {
  const s = c.s;
  const ok = commitCorosyncConf(c, node, `pvecm create ${name}`, (db) => {
    db.nodelist = [node];
    db.clusterName = name;
  }, 1);
  if (!ok) return false;
  restartCorosync(s, s.nodes[node]!);
  emit(c, { type: 'cluster-created', node, name });
  return true;
}

/**
 * `pvecm add TARGET` run on `node`: the cluster (through TARGET, which needs quorum) adds the node
 * to corosync.conf; the joining node's /etc/pve is replaced by the cluster's (why it must hold no
 * guests), its corosync starts, and every member reloads the config (expected votes from the new
 * nodelist). False when the cluster side refused the write.
 */
export function joinCluster(c: Ctx, node: NodeName, target: NodeName): boolean {
  const s = c.s;
  const t = s.nodes[target]!;
  const list = nodelistOf(s, t) ?? [];
  const ok = commitCorosyncConf(c, target, `pvecm add (${node})`, (db) => {
    db.nodelist = [...list.filter((m) => m !== node), node].sort(byNodeid(s));
    db.haNodes[node] = { state: 'online', since: s.now };
    // Links written in corosync.conf (an edit, the scenario's): the joiner gets its addresses.
    if (db.links || s.config.corosyncLinks) db.links = linksWithNode(s, linksOf(s, t), node);
  });
  if (!ok) return false;
  const n = s.nodes[node]!;
  n.cfs = clone(t.cfs);
  delete n.corosyncStopped;
  restartCorosync(s, n);
  reloadExpected(s, partitionOf(s, target) ?? [target]);
  emit(c, { type: 'node-joined', node, via: target });
  return true;
}

/** `pvecm delnode TARGET` run on `by`: TARGET leaves corosync.conf; a target still running is
 * killed (corosync-cfgtool -k) and the members reload the config. False when refused. */
export function removeNode(c: Ctx, by: NodeName, target: NodeName): boolean {
  const s = c.s;
  const list = nodelistOf(s, s.nodes[by]!) ?? [];
  const ok = commitCorosyncConf(c, by, `pvecm delnode ${target}`, (db) => {
    db.nodelist = list.filter((m) => m !== target);
    delete db.haNodes[target];
    db.maintenance = db.maintenance.filter((m) => m !== target);
  });
  if (!ok) return false;
  const t = s.nodes[target];
  if (t && t.power === 'on') stopCorosync(c, t);
  reloadExpected(s, (partitionOf(s, by) ?? [by]).filter((m) => m !== target));
  emit(c, { type: 'node-removed', node: target, by });
  return true;
}

/** Members reload corosync.conf: expected votes follow the nodelist (a `pvecm expected` made
 * in the partition stays in force until the next membership change). */
function reloadExpected(s: ClusterState, members: NodeName[]): void {
  for (const m of members) {
    const r = s.nodes[m]!;
    if (r.expectedOverride === null) r.expected = configuredVotes(s, r);
  }
}

/** A line written to the node's /etc/hosts (`IP NAME…`): when it names the node, its own name now
 * resolves to that IP (what `pvecm add` checks). False when the line does not name the node. */
export function writeHostsLine(s: ClusterState, node: NodeName, words: string[]): boolean {
  const [ip, ...names] = words;
  const n = s.nodes[node];
  if (!n || ip === undefined || !names.some((x) => x === node || x.startsWith(`${node}.`))) return false;
  if (ip === s.config.nodes.find((x) => x.name === node)?.ip) delete n.hostsIp;
  else n.hostsIp = ip;
  return true;
}

/** corosync-qnetd is installed on the QDevice host. */
export const qnetdInstalled = (s: ClusterState): boolean => s.qdevice?.qnetdInstalled ?? !!s.config.qdevice?.installed;

/** `apt install PKG` on a node (corosync-qdevice) or on the QDevice host (corosync-qnetd). False
 * when it was installed already. */
export function installPackage(c: Ctx, where: NodeName, pkg: (typeof PACKAGES)[keyof typeof PACKAGES]): boolean {
  const s = c.s;
  if (pkg === PACKAGES.qnetd) {
    if (!s.qdevice || qnetdInstalled(s)) return false;
    s.qdevice.qnetdInstalled = true;
  } else {
    const n = s.nodes[where];
    if (!n || n.qdevicePkg !== false) return false;
    delete n.qdevicePkg;
  }
  emit(c, { type: 'package-installed', node: where, pkg });
  return true;
}
