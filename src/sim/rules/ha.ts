// HA: the LRM watchdog and the CRM of each quorate partition — node states, fencing, recovery,
// migrations, maintenance (docs/sim.md, "HA").
import { clone, crmMaster, emit, partitionOf, type Ctx } from '../kernel.js';
import { cfsCommit } from './pmxcfs.js';
import type { CfsDb, ClusterState, HaService, NodeName, Timing } from '../types.js';
import { failbackTarget, placement } from './ha-groups.js';
import { openFenceVote } from './fence-votes.js';
import { powerDown, startVm, stopAllVms, stopVm } from './power.js';

const FENCE_STATES = new Set(['started', 'migrate', 'relocate', 'fence']);

/**
 * The LRM of `name` is active (its watchdog armed, `ha-manager status` says `active`) when a
 * service it owns is started or moving, or an HA guest runs on it — services set to `ignored` do
 * not count: HA no longer manages them. One definition for the watchdog and the shell.
 */
export function lrmActive(s: ClusterState, db: CfsDb, name: NodeName): boolean {
  return Object.values(db.ha).some(
    (x) =>
      x.requested !== 'ignored' &&
      ((x.node === name && (x.state === 'started' || x.state === 'migrate' || x.state === 'relocate')) ||
        !!s.vms[String(x.vmid)]?.runningOn.includes(name)),
  );
}

export function updateWatchdogs(c: Ctx): void {
  const s = c.s;
  for (const n of Object.values(s.nodes)) {
    if (n.power !== 'on') {
      n.watchdogAt = null;
      continue;
    }
    if (n.quorate) {
      if (n.watchdogAt !== null) {
        n.watchdogAt = null;
        emit(c, { type: 'watchdog-disarmed', node: n.name });
      }
      continue;
    }
    // Only an LRM that was active while quorate holds the watchdog; a node that boots alone
    // never gets the lock, so it never arms it.
    if (n.watchdogAt === null && n.lostQuorumAt !== null && lrmActive(s, n.cfs, n.name)) {
      n.watchdogAt = Math.max(s.now, (n.lostQuorumAt ?? s.now) + s.config.timing.watchdogMs);
      emit(c, { type: 'watchdog-armed', node: n.name, resetAt: n.watchdogAt });
    }
    if (n.watchdogAt !== null && n.watchdogAt <= s.now) {
      const vms = stopAllVms(c, n.name, 'self-fence');
      emit(c, { type: 'self-fenced', node: n.name, vms });
      powerDown(c, n, 'booting', 'watchdog reset');
    }
  }
}

/**
 * The CRM of a quorate partition acts only once one of its members has held quorum for fenceLockMs.
 * A partition that gains quorum from nothing (say the QDevice vote moves to it) may hold a stale
 * /etc/pve in which services still sit on nodes that another partition has since fenced and
 * recovered; the holders of those copies have lost quorum and self-fence within watchdogMs, so
 * waiting fenceLockMs (> watchdogMs) keeps a VM from running twice. Real HA gets the same effect
 * from its manager and agent locks in /etc/pve, which only expire ~120 s after their last renewal.
 */
export function crmReady(s: ClusterState, p: NodeName[]): boolean {
  return p.some((m) => {
    const since = s.nodes[m]!.quorateSince;
    return since !== null && s.now - since >= s.config.timing.fenceLockMs;
  });
}

/** Where a service may go in partition `p`, best first (see ha-groups.ts). */
export function eligibleTargets(s: ClusterState, db: CfsDb, p: NodeName[], vmid: number, exclude?: NodeName): NodeName[] {
  return placement(s, db, p, vmid, exclude).targets;
}

/** How long a lost node stays `unknown` before it is marked `fence` (timing.ts). */
export const fenceDelay = (t: Timing): number => t.fenceDelayMs ?? t.watchdogMs;

/**
 * The CRM of one quorate partition. Its decisions live in the partition's /etc/pve copy
 * (manager_status), so two quorate partitions would each act on their own copy: split-brain.
 */
export function runHaManager(c: Ctx, p: NodeName[]): void {
  const s = c.s;
  const t = s.config.timing;
  const master = crmMaster(p);
  const db0 = s.nodes[master]!.cfs;
  if (Object.keys(db0.ha).length === 0) return;
  const changes: string[] = [];
  const db = clone(db0);
  // Node states.
  let owned: Map<NodeName, HaService[]> | undefined; // requested-started services per node, built once if needed
  for (const cfgNode of s.config.nodes) {
    const name = cfgNode.name;
    const hn = (db.haNodes[name] ??= { state: 'online', since: s.now });
    // A member that died abruptly stays online for the CRM until the membership drops it.
    const inP = p.includes(name) || s.nodes[master]!.members.includes(name);
    if (inP) {
      const want = db.maintenance.includes(name) ? 'maintenance' : 'online';
      if (hn.state !== want) {
        db.haNodes[name] = { state: want, since: s.now };
        changes.push(`node ${name} ${want}`);
        // A node that came back before it was fenced takes its services back.
        for (const svc of Object.values(db.ha))
          if (svc.node === name && svc.state === 'fence') setSvc(c, db, svc, 'started', name, changes);
      }
      continue;
    }
    if (hn.state === 'online' || hn.state === 'maintenance') {
      // Lost: `unknown` first; its services stay where they are until the fence delay is over.
      db.haNodes[name] = { state: 'unknown', since: s.now, lostAt: s.now };
      changes.push(`node ${name} unknown`);
    }
    const lost = db.haNodes[name]!;
    // Human vote mode: the vote is the fencing decision, asked as soon as the node is lost.
    const delay = s.config.voteMode === 'human' ? 0 : fenceDelay(t);
    if (lost.state === 'unknown' && lost.lostAt !== undefined && s.now - lost.lostAt >= delay) {
      owned ??= servicesByNode(db);
      const mine = owned.get(name) ?? [];
      if (lost.released) {
        // A clean stop (shutdown_policy): its LRM released its lock, nothing to fence.
        db.haNodes[name] = { state: 'unknown', since: lost.since, lostAt: lost.lostAt };
        changes.push(`node ${name} released`);
        for (const svc of mine) if (svc.state === 'stopped' || FENCE_STATES.has(svc.state)) setSvc(c, db, svc, 'recovery', name, changes);
      } else if (mine.some((x) => FENCE_STATES.has(x.state))) {
        // Frozen services (clean reboot) wait for their node; anything else active must be fenced.
        db.haNodes[name] = { state: 'fence', since: s.now, lostAt: lost.lostAt };
        changes.push(`node ${name} fence`);
        emit(c, { type: 'node-fence', node: name, by: [...p] });
        for (const svc of mine) if (FENCE_STATES.has(svc.state)) setSvc(c, db, svc, 'fence', name, changes);
        if (s.config.voteMode === 'human') openFenceVote(c, name);
      }
    }
    if (db.haNodes[name]!.state === 'fence') {
      const lostAt = db.haNodes[name]!.lostAt ?? s.now;
      const lockHeld = s.now - lostAt >= t.fenceLockMs;
      const approved =
        s.config.voteMode === 'auto' || s.votes.some((v) => v.target === name && v.status === 'passed' && v.partition.some((m) => p.includes(m)));
      if ((s.config.voteMode === 'auto' && lockHeld) || (s.config.voteMode === 'human' && approved)) {
        // Human mode: the vote is the fencing decision itself, so the node is really power-cycled.
        // Auto mode relies on the lost node's watchdog having reset it (watchdog < lock delay).
        const target = s.nodes[name]!;
        if (s.config.voteMode === 'human' && target.power === 'on') {
          stopAllVms(c, name, 'fenced');
          powerDown(c, target, 'booting', 'fenced by the cluster');
        }
        db.haNodes[name] = { state: 'unknown', since: s.now };
        emit(c, { type: 'fenced', node: name, by: [...p] });
        changes.push(`fenced ${name}`);
        for (const svc of Object.values(db.ha)) if (svc.node === name && svc.state === 'fence') setSvc(c, db, svc, 'recovery', name, changes);
      }
    }
  }
  // Services.
  for (const svc of Object.values(db.ha)) {
    const vmRun = s.vms[String(svc.vmid)];
    if (!vmRun) continue;
    if (svc.state === 'recovery') {
      const place = placement(s, db, p, svc.vmid);
      if (place.targets.length) {
        const to = place.targets[0]!;
        const from = svc.node;
        svc.node = to;
        const conf = db.vms[String(svc.vmid)];
        if (conf) conf.node = to;
        setSvc(c, db, svc, 'started', to, changes);
        startVm(c, svc.vmid, to, 'ha recovery');
        emit(c, { type: 'recovered', sid: svc.sid, vmid: svc.vmid, from, to, why: place.why });
      } else if (!svc.stuckReported) {
        svc.stuckReported = true;
        const conf = db.vms[String(svc.vmid)];
        emit(c, {
          type: 'recovery-stuck',
          sid: svc.sid,
          vmid: svc.vmid,
          reason:
            conf?.storage === 'local'
              ? 'local storage'
              : !s.storageUp
                ? 'shared storage down'
                : place.restrictedEmpty
                  ? 'no online member of restricted group ' + svc.group
                  : 'no online node',
        });
        changes.push(`stuck ${svc.sid}`);
      }
      continue;
    }
    if (svc.state === 'migrate' || svc.state === 'relocate') {
      if (svc.until !== undefined && svc.until <= s.now && svc.target) {
        const from = svc.node;
        const to = svc.target;
        if (p.includes(to) && s.nodes[to]!.power === 'on') {
          // A guest that was running moves with its process; a stopped one only moves its config.
          const wasRunning = vmRun.runningOn.length > 0;
          for (const n of [...vmRun.runningOn]) if (n !== to) stopVm(c, svc.vmid, n, svc.state);
          if (wasRunning && svc.requested === 'started') startVm(c, svc.vmid, to, svc.state);
          svc.node = to;
          const conf = db.vms[String(svc.vmid)];
          if (conf) conf.node = to;
          emit(c, { type: 'migrated', vmid: svc.vmid, from, to, online: svc.state === 'migrate' });
        }
        delete svc.target;
        delete svc.until;
        setSvc(c, db, svc, svc.requested === 'started' ? 'started' : 'stopped', svc.node, changes);
      }
      continue;
    }
    if (!p.includes(svc.node)) continue; // fence flow above handles services of lost nodes
    // Maintenance: move services off a node in maintenance, bring them back when it ends.
    if (db.maintenance.includes(svc.node) && svc.state === 'started' && svc.requested === 'started') {
      const targets = eligibleTargets(s, db, p, svc.vmid, svc.node);
      if (targets.length) {
        svc.maintenanceFrom = svc.node;
        svc.target = targets[0]!;
        svc.until = s.now + t.migrateMs;
        setSvc(c, db, svc, 'migrate', svc.node, changes);
        continue;
      }
    }
    if (
      svc.maintenanceFrom &&
      !db.maintenance.includes(svc.maintenanceFrom) &&
      p.includes(svc.maintenanceFrom) &&
      svc.state === 'started'
    ) {
      svc.target = svc.maintenanceFrom;
      delete svc.maintenanceFrom;
      svc.until = s.now + t.migrateMs;
      setSvc(c, db, svc, 'migrate', svc.node, changes);
      continue;
    }
    // HA group failback: a higher-priority member is online (nofailback off): migrate there.
    const back = svc.group && svc.state === 'started' && svc.requested === 'started' ? failbackTarget(s, db, p, svc.vmid, svc.node) : null;
    if (back) {
      svc.target = back;
      svc.until = s.now + t.migrateMs;
      setSvc(c, db, svc, vmRun.runningOn.length ? 'migrate' : 'relocate', svc.node, changes);
      continue;
    }
    if (svc.requested === 'started') {
      if (svc.state === 'stopped' || svc.state === 'request_stop' || svc.state === 'freeze' || svc.state === 'error') {
        if (s.nodes[svc.node]!.power === 'on') setSvc(c, db, svc, 'started', svc.node, changes);
      }
      if (svc.state === 'started' && s.nodes[svc.node]!.power === 'on' && !vmRun.runningOn.includes(svc.node)) {
        startVm(c, svc.vmid, svc.node, 'ha start');
      }
    } else if (svc.requested === 'stopped' || svc.requested === 'disabled') {
      if (vmRun.runningOn.includes(svc.node)) stopVm(c, svc.vmid, svc.node, 'ha stop');
      if (svc.state !== 'stopped') setSvc(c, db, svc, 'stopped', svc.node, changes);
    }
    // A copy still running elsewhere in this partition after a merge: the owner keeps it.
    for (const n of [...vmRun.runningOn])
      if (n !== svc.node && p.includes(n) && !vmRun.migrating) stopVm(c, svc.vmid, n, 'split-brain cleanup');
  }
  if (changes.length) {
    db.version += 1;
    // One copy shared by the partition (copy-on-write: CfsDb, src/sim/types.ts).
    for (const m of p) s.nodes[m]!.cfs = db;
  }
}

function servicesByNode(db: CfsDb): Map<NodeName, HaService[]> {
  const m = new Map<NodeName, HaService[]>();
  for (const x of Object.values(db.ha)) if (x.requested === 'started') (m.get(x.node) ?? m.set(x.node, []).get(x.node)!).push(x);
  return m;
}

function setSvc(c: Ctx, _db: CfsDb, svc: HaService, state: HaService['state'], node: NodeName, changes: string[]): void {
  if (svc.state === state && svc.node === node) return;
  svc.state = state;
  svc.node = node;
  svc.since = c.s.now;
  if (state !== 'recovery') delete svc.stuckReported;
  changes.push(`${svc.sid} ${state}`);
  emit(c, { type: 'service-state', sid: svc.sid, state, node });
}

/**
 * A clean stop of `node` (shutdown or reboot) as its LRM handles it, under datacenter.cfg
 * shutdown_policy: `freeze` keeps the services on the node until it returns; `failover` stops them
 * and releases the node's lock, so the CRM recovers them once the fence delay is over (no fencing,
 * no lock wait); `migrate` live-migrates them away first and brings them back when the node returns
 * (like maintenance mode); `conditional` (default) freezes on reboot and fails over on shutdown.
 * Only a quorate node can write this to /etc/pve; otherwise the stop is like a power cut.
 */
export function cleanStop(c: Ctx, node: NodeName, action: 'reboot' | 'shutdown'): void {
  const s = c.s;
  const n = s.nodes[node]!;
  const p = partitionOf(s, node);
  if (!p || !n.quorate) return;
  const policy = n.cfs.shutdownPolicy ?? 'conditional';
  const mode = policy === 'conditional' ? (action === 'reboot' ? 'freeze' : 'failover') : policy;
  const others = p.filter((m) => m !== node);
  cfsCommit(c, node, 'ha/manager_status', `${action} of ${node} (shutdown_policy ${policy})`, (db) => {
    let released = false;
    for (const svc of Object.values(db.ha)) {
      if (svc.node !== node || svc.requested !== 'started') continue;
      const vmRun = s.vms[String(svc.vmid)];
      const to = mode === 'migrate' && svc.state === 'started' && vmRun ? placement(s, db, others, svc.vmid).targets[0] : undefined;
      if (to && vmRun) {
        // The node waits for its guests to move before it goes down (the move is instant here).
        stopVm(c, svc.vmid, node, 'migrate');
        startVm(c, svc.vmid, to, 'migrate');
        svc.node = to;
        svc.maintenanceFrom = node;
        const conf = db.vms[String(svc.vmid)];
        if (conf) conf.node = to;
        emit(c, { type: 'migrated', vmid: svc.vmid, from: node, to, online: true });
        continue;
      }
      svc.state = mode === 'failover' ? 'stopped' : 'freeze';
      svc.since = s.now;
      released ||= mode === 'failover';
      emit(c, { type: 'service-state', sid: svc.sid, state: svc.state, node: svc.node });
    }
    if (released) db.haNodes[node] = { state: 'unknown', since: s.now, lostAt: s.now, released: true };
  });
}

/** Online migrations of guests that are not HA-managed. */
export function finishMigrations(c: Ctx): void {
  const s = c.s;
  for (const vm of Object.values(s.vms)) {
    const m = vm.migrating;
    if (!m || m.until > s.now) continue;
    const from = vm.runningOn[0];
    delete vm.migrating;
    if (!from || s.nodes[m.to]!.power !== 'on') continue;
    vm.runningOn = [m.to];
    emit(c, { type: 'migrated', vmid: vm.vmid, from, to: m.to, online: true });
  }
}

