// A small lab driver for the shell tests: a cluster, a clock, faults and typed commands.
import { createCluster, step, timingFor } from '../../../../src/sim/index';
import { LAB_EPOCH_MS, ctime } from '../../../../src/sim/format';
import type { ClusterConfig, ClusterState, CommandResult, Fault, SimEvent, VmConfig, VotequorumOptions } from '../../../../src/sim/types';
// ---------------------------------------------------------------- a small lab driver

export interface LabOpts {
  nodes?: number;
  qdevice?: { configured: boolean; installed?: boolean; ip?: string; vm?: { ip: string; node: string; vmid: number } };
  vms?: VmConfig[];
  options?: Partial<VotequorumOptions>;
  timing?: 'course' | 'real';
  /** every node starts outside any cluster (the build-the-cluster lab) */
  standalone?: boolean;
  /** /etc/hosts maps these nodes' names to a wrong IP */
  hostsIp?: Record<string, string>;
}

export const vm = (vmid: number, name: string, node: string, extra: Partial<VmConfig> = {}): VmConfig => ({
  vmid,
  name,
  node,
  memoryMb: 2048,
  diskGb: 32,
  storage: 'shared',
  ha: true,
  running: true,
  ...extra,
});

export function config(o: LabOpts = {}): ClusterConfig {
  const count = o.nodes ?? 3;
  const nodes = Array.from({ length: count }, (_, i) => {
    const name = `pve${i + 1}`;
    const wrong = o.hostsIp?.[name];
    return { name, nodeid: i + 1, votes: 1, ip: `10.0.10.${11 + i}`, ...(wrong ? { hostsIp: wrong } : {}) };
  });
  return {
    clusterName: 'salle-b',
    nodes,
    ...(o.qdevice
      ? { qdevice: { algorithm: 'ffsplit' as const, ip: o.qdevice.ip ?? '10.0.10.20', configured: o.qdevice.configured, installed: o.qdevice.installed ?? true, ...(o.qdevice.vm ? { vm: o.qdevice.vm } : {}) } }
      : {}),
    vms: o.vms ?? [vm(100, 'web01', 'pve1'), vm(101, 'db01', 'pve2', { ha: false, storage: 'local', memoryMb: 1024, diskGb: 16 })],
    timing: timingFor(o.timing ?? 'course', count),
    voteMode: 'auto',
    options: { two_node: false, auto_tie_breaker: false, last_man_standing: false, ...o.options },
    autoNodes: nodes.map((n) => n.name),
    ...(o.standalone ? { standalone: true } : {}),
  };
}

export class Lab {
  s: ClusterState;
  t = 0;
  events: SimEvent[] = [];
  constructor(o: LabOpts = {}) {
    this.s = createCluster(config(o), 'cmd-tests');
    this.run(3000);
  }
  run(ms: number): void {
    const end = this.t + ms;
    while (this.t < end) {
      this.t += 1000;
      this.events.push(...step(this.s, { type: 'tick', at: this.t }).events);
    }
  }
  fault(f: Fault): void {
    this.events.push(...step(this.s, { type: 'fault', at: this.t, fault: f }).events);
  }
  cmd(node: string, line: string): CommandResult & { events: SimEvent[] } {
    const r = step(this.s, { type: 'command', at: this.t, node, line });
    this.events.push(...r.events);
    return { ...r.command!, events: r.events };
  }
  out(node: string, line: string): string {
    return this.cmd(node, line).output;
  }
  lines(node: string, line: string): string[] {
    return this.out(node, line).split('\n');
  }
}

export const clock = (lab: Lab, skew = 0) => ctime(LAB_EPOCH_MS + lab.t + skew);

// ---------------------------------------------------------------- pvecm
