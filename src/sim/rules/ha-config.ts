// The HA configuration that `ha-manager` (and `qm` on an HA guest) writes: resources.cfg,
// groups.cfg and the CRM commands (migrate, relocate, node maintenance). Every write takes the
// HA domain lock, i.e. needs quorum like cfs_lock_domain('ha'); the CRM (rules/ha.ts) then acts on
// what was written (docs/sim.md, "HA configuration").
import { emit, type Ctx } from '../kernel.js';
import type { HaGroup, HaRequestedState, HaService, NodeName } from '../types.js';
import { cfsCommit, cfsRefuse } from './pmxcfs.js';

export const HA_RESOURCES = 'ha/resources.cfg';
export const HA_GROUPS = 'ha/groups.cfg';
export const HA_CRM_COMMANDS = 'ha/crm_commands';

/** The resource options besides the state (`--group`, `--max_restart`, `--max_relocate`). */
export type HaResourceKey = 'group' | 'maxRestart' | 'maxRelocate';
export interface HaResourceChange {
  requested?: HaRequestedState;
  patch?: Partial<Pick<HaService, HaResourceKey>>;
  dels?: HaResourceKey[];
}

/** The HA lock refused (no quorum): recorded as a refused write, nothing changes. */
export const haLockRefused = (c: Ctx, node: NodeName, path: string, what: string): void => cfsRefuse(c, node, path, what);

/** `ha-manager add`: a new resource, in the state its guest is in now. */
export function haAddResource(c: Ctx, node: NodeName, vmid: number, sid: string, requested: HaRequestedState, patch: HaResourceChange['patch'], what: string): boolean {
  const s = c.s;
  return cfsCommit(c, node, HA_RESOURCES, what, (db) => {
    const owner = db.vms[String(vmid)]!.node;
    const running = !!s.vms[String(vmid)]?.runningOn.includes(owner);
    db.ha[sid] = { sid, vmid, requested, state: running ? 'started' : 'stopped', node: owner, since: s.now, ...patch };
  });
}

/** `ha-manager remove`: the guest stays where it is, unmanaged. */
export function haRemoveResource(c: Ctx, node: NodeName, sid: string, what: string): boolean {
  return cfsCommit(c, node, HA_RESOURCES, what, (db) => {
    delete db.ha[sid];
  });
}

/** `ha-manager set` (and `qm start|stop|shutdown` of an HA guest): a new requested state and options. */
export function haUpdateResource(c: Ctx, node: NodeName, sid: string, change: HaResourceChange, what: string): boolean {
  return cfsCommit(c, node, HA_RESOURCES, what, (db) => {
    const x = db.ha[sid];
    if (!x) return;
    if (change.requested) x.requested = change.requested;
    if (change.patch) Object.assign(x, change.patch);
    for (const d of change.dels ?? []) delete x[d];
  });
}

/**
 * `ha-manager migrate|relocate` (and `qm migrate` of an HA guest): a running service enters
 * `migrate`/`relocate` until the copy ends (finished by the CRM); a stopped one only has its
 * configuration moved.
 */
export function haMoveService(c: Ctx, node: NodeName, sid: string, target: NodeName, kind: 'migrate' | 'relocate', running: boolean, what: string): boolean {
  const s = c.s;
  const from = s.nodes[node]!.cfs.ha[sid]?.node;
  const ok = cfsCommit(c, node, HA_CRM_COMMANDS, what, (db) => {
    const x = db.ha[sid];
    if (!x) return;
    x.since = s.now;
    if (running) {
      x.target = target;
      x.until = s.now + s.config.timing.migrateMs;
      x.state = kind;
    } else {
      x.node = target;
      const vm = db.vms[String(x.vmid)];
      if (vm) vm.node = target;
    }
  });
  if (ok && running && from) emit(c, { type: 'service-state', sid, state: kind, node: from });
  return ok;
}

/** `ha-manager crm-command node-maintenance enable|disable`: the LRM of `target` drains or returns. */
export function haSetMaintenance(c: Ctx, node: NodeName, target: NodeName, enable: boolean, what: string): boolean {
  const ok = cfsCommit(c, node, HA_CRM_COMMANDS, what, (db) => {
    db.maintenance = enable ? [...db.maintenance.filter((x) => x !== target), target] : db.maintenance.filter((x) => x !== target);
  });
  if (ok) emit(c, { type: 'maintenance', node: target, enabled: enable });
  return ok;
}

/** `ha-manager groupadd|groupset`: the group as it is to be stored (whole). */
export function haPutGroup(c: Ctx, node: NodeName, name: string, group: HaGroup, what: string): boolean {
  return cfsCommit(c, node, HA_GROUPS, what, (db) => {
    db.groups = { ...db.groups, [name]: group };
  });
}

/** `ha-manager groupremove`. */
export function haRemoveGroup(c: Ctx, node: NodeName, name: string, what: string): boolean {
  return cfsCommit(c, node, HA_GROUPS, what, (db) => {
    if (!db.groups) return;
    const { [name]: _gone, ...rest } = db.groups;
    db.groups = rest;
  });
}
