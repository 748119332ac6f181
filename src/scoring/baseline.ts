// What autopilot alone does: the engine run headless on the same scenario, options and timeline
// (every fault the team's log shows applied, scenario or teacher, at the same sim time), with every
// seat on autopilot and nobody typing. The engine is deterministic, so this is the "idle team" a
// team is measured against: outcome points only for what the team added or avoided.
import { buildClusterConfig, createCluster, step, type ClusterState, type Fault, type Scenario, type SimEvent, type TimingProfileName, type VoteMode } from './sim';

export interface BaselineInput {
  scenario: Scenario;
  timing: TimingProfileName;
  voteMode: VoteMode;
  /** the engine's seed; reports use the lab's id for every team so teams share one run */
  seed: string;
  faults: { at: number; fault: Fault; by?: string }[];
  endMs: number;
}

export interface Baseline {
  events: SimEvent[];
  final: ClusterState;
}

/** Faults of a team's log, in order: the timeline the baseline replays. */
export function faultsOf(events: SimEvent[]): BaselineInput['faults'] {
  return events.flatMap((e) => (e.type === 'fault-applied' ? [{ at: e.at, fault: e.fault, ...(e.by ? { by: e.by } : {}) }] : []));
}

export function runBaseline(b: BaselineInput): Baseline {
  return runBaselines([b])[0]!;
}

/**
 * Several baselines at once: inputs that differ only by their end share one run (teams of a lab
 * play the same timeline; an hour of engine time costs about a second of CPU), stopped and copied
 * at each end.
 */
export function runBaselines(inputs: BaselineInput[]): Baseline[] {
  const out: Baseline[] = new Array(inputs.length);
  const groups = new Map<string, number[]>();
  inputs.forEach((b, i) => {
    const k = JSON.stringify([b.scenario.id, b.timing, b.voteMode, b.seed, b.faults]);
    groups.set(k, [...(groups.get(k) ?? []), i]);
  });
  for (const idx of groups.values()) {
    const first = inputs[idx[0]!]!;
    const s = createCluster(buildClusterConfig(first.scenario, { timing: first.timing, voteMode: first.voteMode }), first.seed);
    const events: SimEvent[] = [];
    const tickMs = s.config.timing.tickMs;
    let next = 0;
    for (const i of [...idx].sort((x, y) => inputs[x]!.endMs - inputs[y]!.endMs)) {
      const endMs = inputs[i]!.endMs;
      // The room ticks, then applies what is due at the new time (scheduled and teacher faults alike).
      while (s.now < endMs) {
        events.push(...step(s, { type: 'tick', at: Math.min(endMs, s.now + tickMs) }).events);
        while (next < first.faults.length && first.faults[next]!.at <= s.now) {
          const f = first.faults[next++]!;
          events.push(...step(s, { type: 'fault', at: s.now, fault: f.fault, ...(f.by ? { by: f.by } : {}) }).events);
        }
      }
      out[i] = { events: events.slice(), final: JSON.parse(JSON.stringify(s)) as ClusterState };
    }
  }
  return out;
}
