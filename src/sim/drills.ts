// Incident drills (issue 13, item 5) and the truth a diagnosis is graded against. Pure: the
// teacher picks a family, each team draws one concrete fault from it with a seeded RNG (the lab's
// seed shuffles the family's faults once, team n takes the n-th: neighbours get different
// faults), and every applied fault says which cause, which nodes and which course rules it is.
import { CAUSES, type CauseId, type DrillFamily, type RuleId } from '../protocol/diagnosis.js';
import { nextRandom, seedFrom } from './rng.js';
import type { Fault, Ms, NodeName, Scenario, ScheduledFault } from './types.js';

export { DRILL_FAMILIES, type DrillFamily } from '../protocol/diagnosis.js';

/** What a fault is, as a diagnosis names it: its cause, the nodes it hits, the rules that explain it. */
export interface FaultTruth {
  family: DrillFamily;
  cause: CauseId;
  nodes: NodeName[];
  /** every rule a right diagnosis may name (the first is the course's main one) */
  rules: RuleId[];
}

const truth = (cause: CauseId, nodes: NodeName[], rules: RuleId[]): FaultTruth => ({ family: CAUSES[cause].family, cause, nodes: [...nodes].sort(), rules });

/** The truth of an applied fault; null for a repair (heal, power on, a service back up). */
export function faultTruth(f: Fault): FaultTruth | null {
  switch (f.kind) {
    case 'isolate':
      return truth('node-isolated', [f.node], ['majority', 'token']);
    case 'partition': {
      // The smallest group is the one that loses: the nodes a diagnosis names.
      const small = [...f.groups].sort((a, b) => a.length - b.length)[0] ?? [];
      return truth('node-isolated', small, ['majority', 'token']);
    }
    case 'link':
      return f.cut ? truth('link-cut', [f.a, f.b], ['token', 'majority']) : null;
    case 'link-quality':
      return f.loss > 0 || f.latencyMs > 0 ? truth('link-degraded', [f.a, f.b], ['token']) : null;
    case 'power':
      switch (f.action) {
        case 'on':
          return null;
        case 'off':
          return truth('power-loss', [f.node], ['fencing', 'majority']);
        case 'reset':
          return truth('hard-reset', [f.node], ['fencing', 'majority']);
        case 'shutdown':
          return truth('admin-shutdown', [f.node], ['majority', 'fencing']);
        case 'reboot':
          return truth('admin-reboot', [f.node], ['majority', 'fencing']);
        default: {
          const _: never = f.action;
          return _;
        }
      }
    case 'clock-skew':
      return f.skewMs !== 0 ? truth('clock-skew', [f.node], ['clock']) : null;
    case 'qdevice-host':
      return f.up ? null : truth('qnetd-down', [], ['qdevice']);
    case 'qdevice-reach':
      return f.reachable ? null : truth('qdevice-unreachable', [f.node], ['qdevice']);
    case 'storage':
      return f.up ? null : truth('storage-down', [], ['storage']);
    case 'heal':
      return null;
    // A damaged guest disk is the "not a backup" lab's fault, not a drill cause: nothing to diagnose.
    case 'disk-corrupt':
      return null;
    case 'net-port':
      return f.up ? null : truth('link-cut', [f.node], ['token', 'majority']);
    case 'net-saturate':
      return f.on ? truth('link-degraded', [], ['token']) : null;
    default: {
      const _: never = f;
      return _;
    }
  }
}

/** What a drill may break in a cluster. */
export interface DrillCluster {
  nodes: NodeName[];
  qdevice: boolean;
  sharedStorage: boolean;
}

/** Why a family cannot be drilled on this cluster (null: it can). */
export function drillRefused(family: DrillFamily, c: DrillCluster): string | null {
  if (family === 'qdevice' && !c.qdevice) return 'this scenario has no QDevice: pick another drill family';
  if (family === 'storage' && !c.sharedStorage) return 'this scenario has no shared storage: pick another drill family';
  if (c.nodes.length < 2) return 'a drill needs at least two nodes';
  return null;
}

/** Every concrete fault of a family on this cluster, in a fixed order. */
export function familyFaults(family: DrillFamily, c: DrillCluster): Fault[] {
  const ns = c.nodes;
  const pairs = ns.flatMap((a, i) => ns.slice(i + 1).map((b) => [a, b] as const));
  switch (family) {
    case 'network':
      return [
        ...ns.map((node): Fault => ({ kind: 'isolate', node })),
        ...pairs.map(([a, b]): Fault => ({ kind: 'link', a, b, cut: true })),
        ...pairs.map(([a, b]): Fault => ({ kind: 'link-quality', a, b, loss: 0.9, latencyMs: 400 })),
      ];
    case 'power':
      return ns.flatMap((node): Fault[] => [
        { kind: 'power', node, action: 'off' },
        { kind: 'power', node, action: 'reset' },
      ]);
    case 'qdevice':
      return [{ kind: 'qdevice-host', up: false }, ...ns.map((node): Fault => ({ kind: 'qdevice-reach', node, reachable: false }))];
    case 'time':
      return ns.flatMap((node): Fault[] => [
        { kind: 'clock-skew', node, skewMs: 90_000 },
        { kind: 'clock-skew', node, skewMs: -45_000 },
      ]);
    case 'storage':
      return [{ kind: 'storage', up: false }];
    case 'human':
      return ns.flatMap((node): Fault[] => [
        { kind: 'power', node, action: 'shutdown' },
        { kind: 'power', node, action: 'reboot' },
      ]);
    default: {
      const _: never = family;
      return _;
    }
  }
}

/** When a drill's fault fires (sim time): after the team has looked at a healthy cluster. */
export const DRILL_WINDOW: { from: Ms; to: Ms } = { from: 30_000, to: 60_000 };

export interface DrawnDrill {
  family: DrillFamily;
  fault: Fault;
  atMs: Ms;
  truth: FaultTruth;
}

/** Team `team` (1-based) of the lab seeded `labSeed` draws its fault. Deterministic; teams get
 * different faults while the family has enough of them. */
export function drawDrill(family: DrillFamily, c: DrillCluster, labSeed: string, team: number): DrawnDrill {
  const faults = familyFaults(family, c);
  const rng = { rng: seedFrom(`drill:${family}:${labSeed}`) };
  // Fisher–Yates with the lab's seed: one order for the whole lab.
  for (let i = faults.length - 1; i > 0; i--) {
    const j = Math.floor(nextRandom(rng) * (i + 1));
    [faults[i], faults[j]] = [faults[j]!, faults[i]!];
  }
  const fault = faults[(team - 1) % faults.length]!;
  const own = { rng: seedFrom(`drill-at:${labSeed}:${team}`) };
  const atMs = Math.round((DRILL_WINDOW.from + nextRandom(own) * (DRILL_WINDOW.to - DRILL_WINDOW.from)) / 1000) * 1000;
  return { family, fault, atMs, truth: faultTruth(fault)! };
}

/** The drill as a timeline entry; its note stays vague (the teacher's dashboard shows the fault). */
export function drillTimeline(d: DrawnDrill): ScheduledFault[] {
  return [{ atMs: d.atMs, fault: d.fault, note: { fr: 'Exercice d’incident', en: 'Incident drill' } }];
}

/** What a scenario's cluster offers a drill. */
export function drillCluster(s: Pick<Scenario, 'cluster'>): DrillCluster {
  return { nodes: s.cluster.nodes.map((n) => n.name), qdevice: !!s.cluster.qdevice, sharedStorage: s.cluster.vms.some((v) => v.storage === 'shared') };
}
