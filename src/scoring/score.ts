// The live leaderboard of the teacher dashboard: points a room can recompute on every snapshot from
// its exact state (no baseline run). Not a grade — grades are in team.ts / student.ts — but it
// uses the same right answers (decisions.ts) and the same availability (outcome.ts): one penalty per
// cause, a split-brain counted once per kind, votes judged against the configured cluster and
// graded once.
import type { ClusterState, Scenario, SimEvent } from './sim';
import { checkObjective } from './sim';
import { judge } from './decisions';
import { availability as haAvailability } from './outcome';

export interface ScoreLine {
  kind: 'availability' | 'safety' | 'decision' | 'objective';
  points: number;
  reason: string;
  seq?: number;
  concept?: string;
}

export interface TeamScore {
  total: number;
  availability: number; // 0..1, time-weighted over HA VMs that should run
  lines: ScoreLine[];
}

export const WEIGHTS = { availability: 50, splitBrain: -20, expectedInMinority: -15, skewLeft: -5, correctVote: 2, wrongVote: -2 };

/** Fraction of time each HA VM ran on exactly one node (running twice counts as down). */
export function availability(events: SimEvent[], sim: ClusterState): number {
  return haAvailability(events, sim.config, sim.now);
}

/** A scenario objective met so far (live estimate until the end): its id, points and evidence. */
export interface ObjectiveMet {
  id: string;
  points: number;
  reason: string;
  /** the evidence event and its sim time (none for objectives judged on the state, e.g. "at the end") */
  seq?: number;
  at?: number;
}

/** The scenario's objectives met by the log so far: the leaderboard's objective lines, and the
 * node page's checklist (the same check, once). */
export function objectivesMet(events: SimEvent[], sim: ClusterState, scenario: Scenario): ObjectiveMet[] {
  const met: ObjectiveMet[] = [];
  for (const o of scenario.objectives) {
    const r = checkObjective(o, events, sim);
    if (!r.met) continue;
    const at = r.evidenceSeq === undefined ? undefined : events.find((e) => e.seq === r.evidenceSeq)?.at;
    met.push({ id: o.id, points: r.points, reason: o.title.en, ...(r.evidenceSeq !== undefined ? { seq: r.evidenceSeq } : {}), ...(at !== undefined ? { at } : {}) });
  }
  return met;
}

/** `scenario` adds its objectives (checked against the log so far: a live estimate until the end). */
export function teamScore(events: SimEvent[], sim: ClusterState, scenario?: Scenario, met = scenario ? objectivesMet(events, sim, scenario) : []): TeamScore {
  const lines: ScoreLine[] = met.map((m) => ({ kind: 'objective', points: m.points, reason: m.reason, ...(m.seq !== undefined ? { seq: m.seq } : {}) }));
  const avail = availability(events, sim);
  lines.push({ kind: 'availability', points: Math.round(avail * WEIGHTS.availability * 10) / 10, reason: `HA VMs available ${(avail * 100).toFixed(1)} % of the time`, concept: 'ha' });
  const kinds = new Set<string>();
  for (const e of events)
    if (e.type === 'split-brain-started' && !kinds.has(e.kind)) {
      kinds.add(e.kind);
      lines.push({ kind: 'safety', points: WEIGHTS.splitBrain, reason: `split-brain: ${e.cause}`, seq: e.seq, concept: 'split-brain' });
    }
  const j = judge(sim.config, events);
  for (const c of j.causes)
    if (c.kind === 'forced-expected') lines.push({ kind: 'safety', points: WEIGHTS.expectedInMinority, reason: `${c.line} on ${c.node} in a minority`, seq: c.seq, concept: 'expected-votes' });
  for (const n of Object.values(sim.nodes))
    if (n.skewWarned) lines.push({ kind: 'safety', points: WEIGHTS.skewLeft, reason: `clock of ${n.name} still off by ${Math.round(n.skewMs / 1000)} s`, concept: 'ntp' });
  // Ballots of every node, autopilot included (the room does not tell them apart here); graded once.
  for (const v of j.votes)
    if (!v.repeat)
      lines.push({ kind: 'decision', points: v.right ? WEIGHTS.correctVote : WEIGHTS.wrongVote, reason: `${v.node} voted ${v.yes ? 'yes' : 'no'} on fencing ${v.target}`, seq: v.seq, concept: 'quorum' });
  const total = Math.round(lines.reduce((a, l) => a + l.points, 0) * 10) / 10;
  return { total, availability: avail, lines };
}
