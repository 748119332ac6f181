// Power: nodes booting and going down, guests starting and stopping (docs/sim.md, "Power").
import { emit, type Ctx } from '../kernel.js';
import type { NodeName, NodeRuntime } from '../types.js';
import { leaveCleanly } from './membership.js';
import { qdeviceDaemonUp, startQdeviceDaemon, stopQdeviceDaemon } from './qdevice.js';
import { cleanLeave, configuredVotes, restartCorosync, setQuorate, waitForAllArms } from './votequorum.js';

export function bootDone(c: Ctx, n: NodeRuntime): void {
  const s = c.s;
  n.power = 'on';
  delete n.bootUntil;
  n.heard = {};
  n.lastSent = null;
  n.expected = configuredVotes(s, n);
  n.expectedOverride = null;
  // votequorum starts afresh: wait_for_all (explicit, or implied by two_node) must be met again.
  n.wfaDone = !waitForAllArms(s);
  n.quorate = false;
  n.quorateSince = null;
  n.lostQuorumAt = null;
  n.watchdogAt = null;
  n.members = [];
  // corosync and corosync-qdevice are enabled services: a boot starts them whatever ran before.
  delete n.corosyncStopped;
  delete n.qdeviceStopped;
  emit(c, { type: 'node-power', node: n.name, power: 'on', reason: 'booted' });
}

/**
 * `systemctl stop corosync`: a clean leave. The peers drop the node at once (within the next
 * pass, like a clean shutdown), the node itself is in no membership and loses quorum, so its
 * /etc/pve turns read-only and an active HA LRM arms its watchdog like on any inquorate node.
 * False when corosync was not running.
 */
export function stopCorosync(c: Ctx, n: NodeRuntime): boolean {
  if (n.power !== 'on' || n.corosyncStopped) return false;
  // A clean leave: votequorum recounts the survivors (allow_downscale), then the peers stop hearing it.
  cleanLeave(c, n.name);
  n.corosyncStopped = true;
  leaveCleanly(c.s, n.name);
  n.heard = {};
  return true;
}

/** `systemctl start corosync` (or `restart` of a stopped one): votequorum starts afresh from
 * corosync.conf and the node rejoins once it hears its peers again (membership rules). False when
 * corosync was already running. */
export function startCorosync(c: Ctx, n: NodeRuntime): boolean {
  if (n.power !== 'on' || !n.corosyncStopped) return false;
  delete n.corosyncStopped;
  restartCorosync(c.s, n);
  return true;
}

/**
 * `systemctl start|stop|restart|reload` of corosync or corosync-qdevice. The qdevice unit has
 * `Requires=corosync.service`: stopping corosync stops it, starting it starts corosync; starting or
 * restarting corosync alone leaves it as it was. False when corosync-qdevice cannot start: no QDevice
 * in this node's corosync.conf (the systemd job fails).
 */
export function clusterUnit(c: Ctx, n: NodeRuntime, unit: 'corosync' | 'corosync-qdevice', verb: 'start' | 'stop' | 'restart' | 'reload'): boolean {
  if (unit === 'corosync') {
    if (verb === 'stop') {
      if (qdeviceDaemonUp(c.s, n.name)) stopQdeviceDaemon(c.s, n);
      stopCorosync(c, n);
    } else if (verb === 'start') startCorosync(c, n);
    else if (verb === 'restart' && !startCorosync(c, n)) restartCorosync(c.s, n);
    return true;
  }
  if (verb === 'stop') {
    stopQdeviceDaemon(c.s, n);
    return true;
  }
  if (verb === 'reload') return true;
  if (!n.cfs.qdevice?.configured) return false;
  startCorosync(c, n);
  startQdeviceDaemon(n);
  return true;
}

export function stopAllVms(c: Ctx, node: NodeName, reason: string): number[] {
  const stopped: number[] = [];
  for (const vm of Object.values(c.s.vms)) {
    if (vm.runningOn.includes(node)) {
      vm.runningOn = vm.runningOn.filter((x) => x !== node);
      if (vm.migrating) delete vm.migrating;
      stopped.push(vm.vmid);
      emit(c, { type: 'vm-stopped', vmid: vm.vmid, node, reason });
    }
  }
  return stopped;
}

export function powerDown(c: Ctx, n: NodeRuntime, to: 'off' | 'booting', reason: string): void {
  const s = c.s;
  n.power = to;
  n.bootUntil = to === 'booting' ? s.now + s.config.timing.bootMs : undefined;
  if (to === 'off') delete n.bootUntil;
  n.watchdogAt = null;
  n.members = [];
  n.heard = {};
  if (n.quorate) setQuorate(c, n, false, null);
  emit(c, { type: 'node-power', node: n.name, power: to, reason });
}


export function startVm(c: Ctx, vmid: number, node: NodeName, reason: string): boolean {
  const vm = c.s.vms[String(vmid)];
  if (!vm) return false;
  const conf = c.s.nodes[node]!.cfs.vms[String(vmid)];
  if (conf?.storage === 'shared' && !c.s.storageUp) return false;
  if (!vm.runningOn.includes(node)) {
    vm.runningOn.push(node);
    emit(c, { type: 'vm-started', vmid, node, reason });
  }
  return true;
}

export function stopVm(c: Ctx, vmid: number, node: NodeName, reason: string): void {
  const vm = c.s.vms[String(vmid)];
  if (!vm || !vm.runningOn.includes(node)) return;
  vm.runningOn = vm.runningOn.filter((x) => x !== node);
  if (vm.migrating) delete vm.migrating;
  emit(c, { type: 'vm-stopped', vmid, node, reason });
}
