// What autopilot alone does: the engine run headless on the same scenario, options and timeline
// (every fault the team's log shows applied, scenario or teacher, at the same sim time), with every
// seat on autopilot and nobody typing. The engine is deterministic, so this is the "idle team" a
// team is measured against: outcome points only for what the team added or avoided.
import { buildClusterConfig, createCluster, step, type ClusterState, type Fault, type Scenario, type SimEvent, type TimingProfileName, type VoteMode } from './sim';

export interface BaselineInput {
  scenario: Scenario;
  timing: TimingProfileName;
  voteMode: VoteMode;
  /** the room's seed (`<labId>:<team>`): link loss draws the same numbers */
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
  const s = createCluster(buildClusterConfig(b.scenario, { timing: b.timing, voteMode: b.voteMode }), b.seed);
  const events: SimEvent[] = [];
  const tickMs = s.config.timing.tickMs;
  let next = 0;
  // The room ticks, then applies what is due at the new time (scheduled and teacher faults alike).
  while (s.now < b.endMs) {
    events.push(...step(s, { type: 'tick', at: Math.min(b.endMs, s.now + tickMs) }).events);
    while (next < b.faults.length && b.faults[next]!.at <= s.now) {
      const f = b.faults[next++]!;
      events.push(...step(s, { type: 'fault', at: s.now, fault: f.fault, ...(f.by ? { by: f.by } : {}) }).events);
    }
  }
  return { events, final: s };
}
