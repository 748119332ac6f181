// Guests: the actions `qm` asks for on a VM that is not HA-managed — create, destroy, start,
// migrate — each one config write in /etc/pve (refused without quorum) plus what it does to the
// running process (docs/sim.md, "Guests"). HA-managed guests go through rules/ha-config.ts.
import { serviceId, type Ctx } from '../kernel.js';
import type { CfsVm, ClusterState, NodeName, VmRuntime } from '../types.js';
import { cfsCommit } from './pmxcfs.js';
import { startVm } from './power.js';

const confPath = (node: NodeName, vmid: number) => `nodes/${node}/qemu-server/${vmid}.conf`;

/** The runtime of a guest as the shell reads it: a guest never started has no entry yet. */
export function guestRuntime(s: ClusterState, vmid: number): Readonly<VmRuntime> {
  return s.vms[String(vmid)] ?? { vmid, runningOn: [], ioError: false };
}

function ensureRuntime(s: ClusterState, vmid: number): VmRuntime {
  return (s.vms[String(vmid)] ??= { vmid, runningOn: [], ioError: false });
}

/** `qm create`: a new config file on `node`, copied to the partition. False when refused. */
export function createGuest(c: Ctx, node: NodeName, conf: CfsVm, what: string): boolean {
  const ok = cfsCommit(c, node, confPath(node, conf.vmid), what, (db) => {
    db.vms[String(conf.vmid)] = { ...conf };
  });
  if (!ok) return false;
  const rt = ensureRuntime(c.s, conf.vmid);
  // A new disk has never seen an I/O error (a stale runtime of a destroyed guest may have).
  if (!rt.runningOn.length) rt.ioError = false;
  return true;
}

/** `qm destroy`: the config and its HA entry go; a stopped guest's runtime goes with them. */
export function destroyGuest(c: Ctx, node: NodeName, vmid: number, what: string): boolean {
  const sid = serviceId(vmid);
  const ok = cfsCommit(c, node, confPath(node, vmid), what, (db) => {
    delete db.vms[String(vmid)];
    delete db.ha[sid];
  });
  if (!ok) return false;
  const rt = c.s.vms[String(vmid)];
  if (rt && rt.runningOn.length === 0 && !rt.migrating) delete c.s.vms[String(vmid)];
  return true;
}

/** `qm start` of a local guest (the shell has checked quorum, lock and storage). */
export function startGuest(c: Ctx, vmid: number, node: NodeName, reason: string): boolean {
  ensureRuntime(c.s, vmid);
  return startVm(c, vmid, node, reason);
}

/**
 * `qm migrate`: the config moves to `target` at once; a running guest keeps running on the source
 * until the memory copy ends (`migrateMs`, finished by rules/ha.ts finishMigrations).
 * False when refused.
 */
export function migrateGuest(c: Ctx, node: NodeName, vmid: number, target: NodeName, what: string): boolean {
  const ok = cfsCommit(c, node, confPath(node, vmid), what, (db) => {
    const x = db.vms[String(vmid)];
    if (x) x.node = target;
  });
  if (!ok) return false;
  const rt = c.s.vms[String(vmid)];
  if (rt?.runningOn.includes(node)) rt.migrating = { to: target, until: c.s.now + c.s.config.timing.migrateMs };
  return true;
}
