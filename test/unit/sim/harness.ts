// Small driver around the engine for tests: builds configs, ticks time, sends the heartbeats of
// "human" nodes, applies faults and keeps every event.
import { createCluster, step, timingFor } from '../../../src/sim/index';
import type {
  ClusterConfig,
  ClusterState,
  Fault,
  NodeConfig,
  NodeName,
  QdeviceAlgorithm,
  SimEvent,
  SimEventBody,
  SimInput,
  StepResult,
  VmConfig,
  VoteMode,
  TotemConfig,
  VotequorumOptions,
} from '../../../src/sim/types';

export interface ConfigOpts {
  /** node count, or per-node overrides (index i is pve{i+1}) */
  nodes: number | Partial<NodeConfig>[];
  qdevice?: QdeviceAlgorithm | { algorithm: QdeviceAlgorithm; configured?: boolean };
  vms?: VmConfig[];
  options?: Partial<VotequorumOptions>;
  voteMode?: VoteMode;
  /** default: every node */
  autoNodes?: NodeName[];
  timing?: 'course' | 'real';
  totem?: TotemConfig;
  coldStart?: boolean;
}

export function mkConfig(o: ConfigOpts): ClusterConfig {
  const specs = typeof o.nodes === 'number' ? Array.from({ length: o.nodes }, () => ({})) : o.nodes;
  const nodes: NodeConfig[] = specs.map((sp, i) => ({
    name: `pve${i + 1}`,
    nodeid: i + 1,
    votes: 1,
    ip: `10.0.10.${11 + i}`,
    ...sp,
  }));
  const q = typeof o.qdevice === 'string' ? { algorithm: o.qdevice } : o.qdevice;
  return {
    clusterName: 'test',
    nodes,
    ...(q ? { qdevice: { algorithm: q.algorithm, ip: '10.0.10.50', configured: q.configured ?? true, installed: true } } : {}),
    vms: o.vms ?? [],
    timing: timingFor(o.timing ?? 'course', nodes.length, { totem: o.totem, options: o.options }),
    voteMode: o.voteMode ?? 'auto',
    // wait_for_all left out unless given: votequorum's default (on exactly with two_node).
    options: { two_node: false, auto_tie_breaker: false, last_man_standing: false, ...o.options },
    autoNodes: o.autoNodes ?? nodes.map((n) => n.name),
    ...(o.totem ? { totem: o.totem } : {}),
    ...(o.coldStart ? { coldStart: true } : {}),
  };
}

export const haVm = (vmid: number, node: NodeName, extra: Partial<VmConfig> = {}): VmConfig => ({
  vmid,
  name: `vm${vmid}`,
  node,
  memoryMb: 1024,
  diskGb: 10,
  storage: 'shared',
  ha: true,
  running: true,
  ...extra,
});

type Body<T extends SimEventBody['type']> = Extract<SimEvent, { type: T }>;

export class Harness {
  s: ClusterState;
  events: SimEvent[] = [];
  /** nodes whose heartbeats the test sends before every tick (human seats that are awake) */
  manual = new Set<NodeName>();

  constructor(config: ClusterConfig, seed: string | number = 1) {
    this.s = createCluster(config, seed);
  }

  get now(): number {
    return this.s.now;
  }

  input(i: SimInput): StepResult {
    const r = step(this.s, i);
    this.events.push(...r.events);
    return r;
  }

  fault(f: Fault): StepResult {
    return this.input({ type: 'fault', at: this.s.now, fault: f });
  }

  /** Advance by `ms` in ticks of tickMs, heartbeating the manual nodes first at each instant. */
  advance(ms: number): void {
    const end = this.s.now + ms;
    const dt = this.s.config.timing.tickMs;
    while (this.s.now + dt <= end) {
      const at = this.s.now + dt;
      for (const n of this.manual) this.input({ type: 'heartbeat', at, node: n });
      this.input({ type: 'tick', at });
    }
  }

  /** Advance until `pred` holds (checked after every tick); returns the time, or throws. */
  until(pred: () => boolean, maxMs = 600_000): number {
    const end = this.s.now + maxMs;
    while (!pred()) {
      if (this.s.now >= end) throw new Error(`condition not met within ${maxMs} ms (t=${this.s.now})`);
      this.advance(this.s.config.timing.tickMs);
    }
    return this.s.now;
  }

  of<T extends SimEventBody['type']>(type: T, pred?: (e: Body<T>) => boolean): Body<T>[] {
    return this.events.filter((e): e is Body<T> => e.type === type && (!pred || pred(e as Body<T>)));
  }

  first<T extends SimEventBody['type']>(type: T, pred?: (e: Body<T>) => boolean): Body<T> | undefined {
    return this.of(type, pred)[0];
  }

  quorate(n: NodeName): boolean {
    return this.s.nodes[n]!.power === 'on' && this.s.nodes[n]!.quorate;
  }

  runningOn(vmid: number): NodeName[] {
    return this.s.vms[String(vmid)]!.runningOn;
  }
}
