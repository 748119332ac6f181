// pmxcfs: each node's copy of /etc/pve, quorate writes, merges when partitions meet, and the
// divergence checker (docs/sim.md, "pmxcfs").
import { clone, emit, inNodelist, nodeid, partitionOf, serviceId, type Ctx } from '../kernel.js';
import type { CfsDb, ClusterConfig, CorosyncLink, NodeName } from '../types.js';
import { fmtT, openIncident } from './incidents.js';

/** Entries of the /etc/pve write log kept per copy. */
export const CFS_LOG_LIMIT = 50;

export function initialCfs(config: ClusterConfig): CfsDb {
  const db: CfsDb = {
    version: 1,
    vms: {},
    ha: {},
    haNodes: {},
    maintenance: [],
    qdevice: config.qdevice?.configured
      ? { configured: true, ip: config.qdevice.vm?.ip ?? config.qdevice.ip, algorithm: config.qdevice.algorithm }
      : null,
    log: [],
    ...(config.shutdownPolicy ? { shutdownPolicy: config.shutdownPolicy } : {}),
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
      const sid = serviceId(vm.vmid);
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

export function mergeCfs(c: Ctx, p: NodeName[]): void {
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
  // The members share the winner's copy (copy-on-write: CfsDb, src/sim/types.ts).
  for (const m of p) s.nodes[m]!.cfs = wdb;
  emit(c, {
    type: 'pmxcfs-merge',
    winner: winners,
    version: wdb.version,
    lost,
  });
}

/** Write to /etc/pve from a quorate partition: one new version, copied to every member. */
export function cfsCommit(c: Ctx, node: NodeName, path: string, what: string, mutate: (db: CfsDb) => void, detail: (db: CfsDb) => { links?: CorosyncLink[] } = () => ({})): boolean {
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
  for (const m of p) s.nodes[m]!.cfs = db; // one copy shared by the partition (copy-on-write)
  emit(c, { type: 'pmxcfs-write', node, path, what, version: db.version, ...detail(db) });
  checkCfsDivergence(c, p);
  return true;
}

/** A write pmxcfs refuses: the node has no quorum, /etc/pve is read-only. */
export function cfsRefuse(c: Ctx, node: NodeName, path: string, what: string): void {
  emit(c, { type: 'pmxcfs-refused', node, path, what });
}

/**
 * A write whose content the lab does not model (`touch`, `tee`, a `>` redirection into
 * /etc/pve): pmxcfs still makes one new version, so it shows when partitions diverge and merge.
 * Refused without quorum, like any write. False when refused.
 */
export function cfsTouch(c: Ctx, node: NodeName, path: string, what: string): boolean {
  return cfsCommit(c, node, path, what, () => {});
}

function checkCfsDivergence(c: Ctx, p: NodeName[]): void {
  const s = c.s;
  if (s.incidents.some((i) => i.kind === 'cfs-diverged' && i.endedAt === null)) return;
  const first = s.nodes[p[0]!]!;
  const mine = first.cfs;
  // A standalone node's /etc/pve (local mode) is its own: no other copy to diverge from.
  if (mine.nodelist === null) return;
  const mineIds = new Set(mine.log.map((e) => e.id));
  for (const other of Object.values(s.nodes)) {
    if (p.includes(other.name) || other.power === 'off') continue;
    if (other.cfs.nodelist === null || !inNodelist(first, other.name)) continue;
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

