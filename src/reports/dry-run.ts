// A scenario played headless before class: every node on autopilot, nobody typing, the timeline
// applied at its times (the same run as the grading baseline, src/scoring/baseline.ts). The teacher
// sees what the scenario does on its own: the key moments, what is left at the end, the harm, and
// which objectives autopilot already meets (an objective met by nobody doing anything gives free
// points; one that needs a command is expected to stay unmet here). Pure.
import { runBaseline } from '../scoring/baseline';
import { outcomeFigures } from '../scoring/outcome';
import { checkObjectives } from '../sim/objectives';
import type { I18nText, Scenario, SimEvent, TimingProfileName, VoteMode } from '../sim/types';
import { describeEvent } from '../protocol/wording';
import { TIMELINE_TYPES } from './wording';

/** Time after the last scheduled fault or checkpoint that the run goes on (recoveries, reboots). */
export const DRY_RUN_TAIL_MS = 120_000;
/** A dry run stops after this much sim time (about a second of CPU; a class lasts less). */
export const DRY_RUN_MAX_MS = 3_600_000;
/** Key moments listed at most (the counts cover the rest). */
export const DRY_RUN_MOMENTS = 80;

export interface DryRunResult {
  scenarioId: string;
  endMs: number;
  timing: TimingProfileName;
  voteMode: VoteMode;
  /** 0..1: time-weighted share of HA VMs running on exactly one node */
  availability: number;
  /** each kind of harm once, with when it first happened */
  harms: { kind: string; at: number; text: I18nText }[];
  objectives: { id: string; title: I18nText; points: number; met: boolean; evidence?: { at: number; text: I18nText } }[];
  pointsMet: number;
  pointsMax: number;
  /** the events of the team timeline, in order */
  moments: { at: number; type: string; text: I18nText }[];
  /** how many events of each type */
  counts: Record<string, number>;
  final: { nodes: { name: string; power: string; quorate: boolean }[]; vms: { vmid: number; name: string; runningOn: string[] }[] };
}

export function dryRunEnd(s: Scenario): number {
  const last = Math.max(0, ...s.timeline.map((t) => t.atMs), ...s.checkpoints.map((c) => c.atMs));
  return Math.min(last + DRY_RUN_TAIL_MS, DRY_RUN_MAX_MS);
}

export function dryRun(s: Scenario, opts: { timing: TimingProfileName; voteMode: VoteMode; endMs?: number }): DryRunResult {
  const endMs = opts.endMs ?? dryRunEnd(s);
  const faults = s.timeline.map((t) => ({ at: t.atMs, fault: t.fault, by: 'timeline' }));
  const { events, final } = runBaseline({ scenario: s, timing: opts.timing, voteMode: opts.voteMode, seed: `dry-run:${s.id}`, faults, endMs });
  const bySeq = new Map<number, SimEvent>(events.map((e) => [e.seq, e]));
  const figures = outcomeFigures(events, final.config, endMs);
  const results = checkObjectives(s, events, final);
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return {
    scenarioId: s.id,
    endMs,
    timing: opts.timing,
    voteMode: opts.voteMode,
    availability: Math.round(figures.availability * 1000) / 1000,
    harms: Object.entries(figures.harms).map(([kind, e]) => ({ kind, at: e!.at, text: describeEvent(e!) })),
    objectives: s.objectives.map((o, i) => {
      const r = results[i]!;
      const ev = r.evidenceSeq !== undefined ? bySeq.get(r.evidenceSeq) : undefined;
      return { id: o.id, title: o.title, points: o.points, met: r.met, ...(ev ? { evidence: { at: ev.at, text: describeEvent(ev) } } : {}) };
    }),
    pointsMet: results.reduce((n, r) => n + r.points, 0),
    pointsMax: results.reduce((n, r) => n + r.maxPoints, 0),
    moments: events
      .filter((e) => TIMELINE_TYPES.has(e.type))
      .slice(0, DRY_RUN_MOMENTS)
      .map((e) => ({ at: e.at, type: e.type, text: describeEvent(e) })),
    counts,
    final: {
      nodes: Object.values(final.nodes).map((n) => ({ name: n.name, power: n.power, quorate: n.quorate })),
      vms: final.config.vms.map((v) => ({ vmid: v.vmid, name: v.name, runningOn: final.vms[String(v.vmid)]?.runningOn ?? [] })),
    },
  };
}
