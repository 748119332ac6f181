// systemctl: status, restart, start, stop, is-active of the lab's units.
import { crmMaster, nodeid } from '../kernel.js';
import { lrmActive } from '../rules/ha.js';
import { startChrony, stopChrony } from '../rules/clock.js';
import { clusterUnit } from '../rules/power.js';
import { qdeviceDaemonUp } from '../rules/qdevice.js';
import { LAB_EPOCH_MS, agoText, journalTime, nodeClock, systemdTime, wallClock } from '../format.js';
import { hint, myPartition, type Res, res, type Sh } from './common.js';

// ---------------------------------------------------------------- systemctl

export const UNITS: Record<string, { unit: string; desc: string; pid: number; exe: string }> = {
  corosync: { unit: 'corosync', desc: 'Corosync Cluster Engine', pid: 1042, exe: '/usr/sbin/corosync -f' },
  'pve-cluster': { unit: 'pve-cluster', desc: 'The Proxmox VE cluster filesystem', pid: 981, exe: '/usr/bin/pmxcfs' },
  'pve-ha-lrm': { unit: 'pve-ha-lrm', desc: 'PVE Local HA Resource Manager Daemon', pid: 1311, exe: 'pve-ha-lrm' },
  'pve-ha-crm': { unit: 'pve-ha-crm', desc: 'PVE Cluster HA Resource Manager Daemon', pid: 1302, exe: 'pve-ha-crm' },
  chrony: { unit: 'chrony', desc: 'chrony, an NTP client/server', pid: 874, exe: '/usr/sbin/chronyd -F 1' },
  'corosync-qdevice': { unit: 'corosync-qdevice', desc: 'Corosync Qdevice daemon', pid: 1077, exe: '/usr/sbin/corosync-qdevice -f' },
};

export function unitName(raw: string): string {
  const u = raw.replace(/\.service$/, '');
  return u === 'chronyd' ? 'chrony' : u;
}

export function unitActive(sh: Sh, u: string): boolean {
  if (u === 'chrony') return sh.n.chronyRunning;
  if (u === 'corosync') return !sh.n.corosyncStopped;
  if (u === 'corosync-qdevice') return qdeviceDaemonUp(sh.s, sh.node);
  return true;
}

/** The job of systemd that fails when corosync-qdevice starts without a QDevice in corosync.conf. */
const qdeviceJobFailed = () =>
  'Job for corosync-qdevice.service failed because the control process exited with error code.\n' +
  'See "systemctl status corosync-qdevice.service" and "journalctl -xeu corosync-qdevice.service" for details.\n' +
  hint('no QDevice is configured: pvecm qdevice setup <IP> first', "aucun QDevice n'est configuré : d'abord pvecm qdevice setup <IP>");

export function systemctl(sh: Sh, args: string[]): Res {
  const verb = args[0];
  const units = args.slice(1).filter((a) => !a.startsWith('-'));
  if (!verb) return res('systemctl: a verb is required (status, restart, start, stop, is-active)', 1);
  if (!['status', 'restart', 'start', 'stop', 'reload', 'is-active'].includes(verb)) return res(`Unknown command verb ${verb}.`, 1);
  if (units.length === 0) {
    if (verb === 'status') return res('● ' + sh.node + '\n    State: running\n    Units: 412 loaded (incl. loaded aliases)\n     Jobs: 0 queued\n   Failed: 0 units');
    return res(`Too few arguments.`, 1);
  }
  const outs: string[] = [];
  let code = 0;
  for (const raw of units) {
    const u = unitName(raw);
    const info = UNITS[u];
    if (!info) {
      outs.push(verb === 'status' ? `Unit ${raw.replace(/\.service$/, '')}.service could not be found.` : `Failed to ${verb} ${raw}.service: Unit ${raw.replace(/\.service$/, '')}.service not found.`);
      code = verb === 'status' ? 4 : 5;
      continue;
    }
    if (verb === 'status') {
      const active = unitActive(sh, u);
      outs.push(unitStatus(sh, u, active));
      if (!active) code = 3;
    } else if (verb === 'is-active') {
      const active = unitActive(sh, u);
      outs.push(active ? 'active' : 'inactive');
      if (!active) code = 3;
    } else if (u === 'chrony') {
      if (verb === 'stop') stopChrony(sh.n);
      else startChrony(sh.c, sh.n);
    } else if (u === 'corosync' || u === 'corosync-qdevice') {
      if (!clusterUnit(sh.c, sh.n, u, verb as 'start' | 'stop' | 'restart' | 'reload')) {
        outs.push(qdeviceJobFailed());
        code = 1;
      }
    } else if (verb === 'stop') {
      outs.push(
        `stopping ${info.unit}.service is not simulated in this lab\n` +
          hint('chrony, corosync and corosync-qdevice can be stopped', 'chrony, corosync et corosync-qdevice peuvent être arrêtés'),
      );
      code = 1;
    }
  }
  return res(outs.join('\n\n'), code);
}

export function unitStatus(sh: Sh, u: string, active: boolean): string {
  const { s, n, node } = sh;
  const info = UNITS[u]!;
  const clock = nodeClock(s, node);
  const since = LAB_EPOCH_MS - 3_600_000 + n.skewMs;
  const lines = [
    `● ${info.unit}.service - ${info.desc}`,
    `     Loaded: loaded (/lib/systemd/system/${info.unit}.service; enabled; preset: enabled)`,
    active
      ? `     Active: active (running) since ${systemdTime(since)} UTC; ${agoText(clock - since)}`
      : `     Active: inactive (dead)`,
  ];
  if (active) {
    lines.push(`   Main PID: ${info.pid} (${info.exe.split(' ')[0]!.split('/').pop()})`);
    lines.push(`     CGroup: /system.slice/${info.unit}.service`);
    lines.push(`             └─${info.pid} ${info.exe}`);
  }
  const log: [number, string][] = [];
  const j = (simMs: number | null, text: string) => log.push([simMs ?? s.now, text]);
  const { p } = myPartition(sh);
  const ids = p.map((m) => nodeid(s, m)).join(' ');
  if (u === 'corosync' && !active) {
    j(n.lostQuorumAt, `systemd[1]: Stopping corosync.service - ${info.desc}...`);
    j(n.lostQuorumAt, `corosync[${info.pid}]:   [MAIN  ] Corosync Cluster Engine exiting normally`);
    j(n.lostQuorumAt, `systemd[1]: Stopped corosync.service - ${info.desc}.`);
  } else if (u === 'corosync') {
    j(n.quorate ? n.quorateSince : n.lostQuorumAt, `corosync[${info.pid}]:   [QUORUM] Members[${p.length}]: ${ids}`);
    j(
      n.quorate ? n.quorateSince : n.lostQuorumAt,
      n.quorate
        ? `corosync[${info.pid}]:   [QUORUM] This node is within the primary component and will provide service.`
        : `corosync[${info.pid}]:   [QUORUM] This node is within the non-primary component and will NOT provide service.`,
    );
  } else if (u === 'pve-cluster') {
    j(n.quorate ? n.quorateSince : n.lostQuorumAt, `pmxcfs[${info.pid}]: [status] notice: ${n.quorate ? 'node has quorum' : 'node lost quorum'}`);
  } else if (u === 'pve-ha-lrm') {
    const activeLrm = lrmActive(s, n.cfs, node);
    if (!n.quorate && n.watchdogAt !== null) {
      j(n.lostQuorumAt, `pve-ha-lrm[${info.pid}]: lost lock 'ha_agent_${node}_lock - cfs lock update failed - Permission denied`);
      j(n.lostQuorumAt, `pve-ha-lrm[${info.pid}]: status change active => lost_agent_lock`);
      lines.push(`     Status: "watchdog running: node resets in ${Math.max(0, Math.ceil((n.watchdogAt - s.now) / 1000))} s"`);
    } else if (n.cfs.maintenance.includes(node)) {
      j(null, `pve-ha-lrm[${info.pid}]: status change active => maintenance`);
    } else j(n.quorateSince, `pve-ha-lrm[${info.pid}]: status change wait_for_agent_lock => ${activeLrm ? 'active' : 'idle'}`);
  } else if (u === 'pve-ha-crm') {
    const master = n.quorate && crmMaster(p) === node;
    j(n.quorate ? n.quorateSince : n.lostQuorumAt, `pve-ha-crm[${info.pid}]: status change ${n.quorate ? `wait_for_quorum => ${master ? 'master' : 'slave'}` : 'slave => wait_for_quorum'}`);
  } else if (u === 'chrony') {
    if (!active) j(null, `chronyd[${info.pid}]: chronyd exiting`);
    else if (Math.abs(n.skewMs) > 1000)
      j(null, `chronyd[${info.pid}]: System clock wrong by ${(-n.skewMs / 1000).toFixed(6)} seconds, adjustment started`);
    else j(null, `chronyd[${info.pid}]: Selected source 10.0.10.1`);
  }
  if (log.length) {
    lines.push('');
    for (const [t, text] of log) lines.push(`${journalTime(wallClock(t, n.skewMs))} ${node} ${text}`);
  }
  return lines.join('\n');
}
