// Team score from the event log (pure). Every line links to the event that caused it, so a report
// can explain the grade. Weights are the defaults of DESIGN.md's scoring sketch.
import type { ClusterState, Scenario, SimEvent } from '../sim/types';
import { checkObjectives } from '../sim/objectives';

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
  const haVms = sim.config.vms.filter((v) => v.ha);
  if (haVms.length === 0 || sim.now <= 0) return 1;
  let sum = 0;
  for (const vm of haVms) {
    const running = new Set<string>(vm.running ? [vm.node] : []);
    let last = 0;
    let up = 0;
    for (const e of events) {
      if ((e.type !== 'vm-started' && e.type !== 'vm-stopped') || e.vmid !== vm.vmid) continue;
      if (running.size === 1) up += e.at - last;
      last = e.at;
      if (e.type === 'vm-started') running.add(e.node);
      else running.delete(e.node);
    }
    if (running.size === 1) up += sim.now - last;
    sum += up / sim.now;
  }
  return sum / haVms.length;
}

/** `scenario` adds its objectives (checked against the log so far: a live estimate until the end). */
export function teamScore(events: SimEvent[], sim: ClusterState, scenario?: Scenario): TeamScore {
  const lines: ScoreLine[] = [];
  if (scenario) {
    const results = checkObjectives(scenario, events, sim);
    for (const o of scenario.objectives) {
      const r = results.find((x) => x.id === o.id)!;
      if (!r.met) continue;
      lines.push({ kind: 'objective', points: r.points, reason: o.title.en, ...(r.evidenceSeq !== undefined ? { seq: r.evidenceSeq } : {}) });
    }
  }
  const avail = availability(events, sim);
  lines.push({ kind: 'availability', points: Math.round(avail * WEIGHTS.availability * 10) / 10, reason: `HA VMs available ${(avail * 100).toFixed(1)} % of the time`, concept: 'ha' });
  for (const e of events) {
    if (e.type === 'split-brain-started')
      lines.push({ kind: 'safety', points: WEIGHTS.splitBrain, reason: `split-brain: ${e.cause}`, seq: e.seq, concept: 'split-brain' });
    if (e.type === 'expected-changed' && e.reason === 'command')
      lines.push({ kind: 'safety', points: WEIGHTS.expectedInMinority / 3, reason: `expected votes forced to ${e.expected} on ${e.node}`, seq: e.seq, concept: 'quorum' });
  }
  for (const n of Object.values(sim.nodes))
    if (n.skewWarned) lines.push({ kind: 'safety', points: WEIGHTS.skewLeft, reason: `clock of ${n.name} still off by ${Math.round(n.skewMs / 1000)} s`, concept: 'ntp' });
  for (const e of events) {
    if (e.type !== 'vote-cast') continue;
    const vote = sim.votes.find((v) => v.id === e.voteId);
    if (!vote) continue;
    // The right answer: yes when the voter's partition held quorum (it may act), no otherwise.
    const right = e.yes === vote.quorate;
    lines.push({ kind: 'decision', points: right ? WEIGHTS.correctVote : WEIGHTS.wrongVote, reason: `${e.node} voted ${e.yes ? 'yes' : 'no'} on fencing ${vote.target}`, seq: e.seq, concept: 'quorum' });
  }
  const total = Math.round(lines.reduce((a, l) => a + l.points, 0) * 10) / 10;
  return { total, availability: avail, lines };
}
