// What reports add for the teaching loop (issue 8): the checkpoint answers (per team, per
// student: question, right answer, the student's, why) and the diagnoses (what was named, the
// marks, the fault it was graded against), plus a drill's drawn fault. Pure: from the log and the
// grading (src/scoring decides what is right and whose).
import { CAUSES, RULES, type Diagnosis, type DrillFamily } from '../protocol/diagnosis';
import { decisionsOf, holderAt, type TeamContext } from '../scoring';
import type { DiagnosisMarks } from '../scoring/diagnosis';
import type { CheckpointResult } from '../sim/events';
import { faultTruth } from '../sim/drills';
import type { Fault, I18nText, NodeName, Scenario, SimEvent } from '../sim/types';
import { diagnosisWords } from '../protocol/wording';

/** One node's answers to one closed checkpoint. */
export interface CheckpointAnswers {
  checkpoint: string;
  title: I18nText;
  seq: number;
  at: number;
  node: NodeName;
  /** the student who held the node when it closed (null: autopilot or nobody) */
  seatId: string | null;
  right: number;
  results: CheckpointResult[];
}

export interface DiagnosisReport {
  seq: number;
  at: number;
  node: NodeName;
  seatId: string;
  diagnosis: Diagnosis;
  text: I18nText;
  right: number;
  marks: DiagnosisMarks;
  /** the fault it was graded against, in words (null: no fault before it) */
  truth: I18nText | null;
}

export interface DrillReport {
  family: DrillFamily;
  atMs: number;
  fault: Fault;
  /** the fault in words, as a right diagnosis would name it */
  truth: I18nText;
}

/** Every node's answers of every closed checkpoint, in log order. */
export function checkpointAnswers(ctx: TeamContext, scenario: Scenario): CheckpointAnswers[] {
  const out: CheckpointAnswers[] = [];
  for (const e of ctx.input.events) {
    if (e.type !== 'checkpoint-closed') continue;
    const title = scenario.checkpoints.find((c) => c.id === e.checkpoint)?.title ?? { fr: e.checkpoint, en: e.checkpoint };
    for (const [node, results] of Object.entries(e.results))
      out.push({ checkpoint: e.checkpoint, title, seq: e.seq, at: e.at, node, seatId: holderAt(ctx.intervals, node, e.seq), right: results.filter((r) => r.ok).length, results });
  }
  return out;
}

/** The diagnoses of a team (seatId null) or of one student, graded. */
export function diagnosisReports(ctx: TeamContext, seatId: string | null): DiagnosisReport[] {
  return decisionsOf(ctx, seatId).diagnoses.map((g) => {
    const diagnosis: Diagnosis = g.diagnosis;
    return {
      seq: g.seq,
      at: g.at,
      node: g.node,
      seatId: g.seatId,
      diagnosis,
      text: diagnosisWords(diagnosis),
      right: g.right,
      marks: g.marks,
      truth: g.truth ? diagnosisWords({ cause: g.truth.cause, nodes: g.truth.nodes, rule: g.truth.rules[0]! }) : null,
    };
  });
}

/** The team's drill, when the lab was one. */
export function drillReport(events: readonly SimEvent[]): DrillReport | null {
  const d = events.find((e): e is Extract<SimEvent, { type: 'drill-drawn' }> => e.type === 'drill-drawn');
  if (!d) return null;
  const truth = faultWords(d.fault);
  return { family: d.family, atMs: d.atMs, fault: d.fault, truth };
}

function faultWords(f: Extract<SimEvent, { type: 'drill-drawn' }>['fault']): I18nText {
  const t = faultTruth(f);
  if (!t) return { fr: '—', en: '—' };
  const c = CAUSES[t.cause];
  const r = RULES[t.rules[0]!];
  const nodes = t.nodes.join(', ');
  return { fr: `${c.fr}${nodes ? ` (${nodes})` : ''} — ${r.fr}`, en: `${c.en}${nodes ? ` (${nodes})` : ''} — ${r.en}` };
}
