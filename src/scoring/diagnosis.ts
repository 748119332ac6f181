// Grading a diagnosis (diagnosis mode, incident drills): what the student named — cause, nodes,
// rule — against the faults the log shows applied before they submitted. Pure, from the log alone.
// Four marks of one point each: the family, the exact cause, the nodes (as a set), the rule (any
// rule the fault's truth accepts). The best-matching fault counts; a diagnosis before any fault
// earns nothing. The points per mark are in weights.ts.
import { CAUSES, type Diagnosis } from '../protocol/diagnosis';
import { faultTruth, type FaultTruth } from '../sim/drills';
import type { SimEvent } from './sim';

export interface DiagnosisMarks {
  family: boolean;
  cause: boolean;
  nodes: boolean;
  rule: boolean;
}

export interface GradedDiagnosis {
  /** marks out of 4 */
  right: number;
  marks: DiagnosisMarks;
  /** the fault it was graded against (null: no fault had been applied yet) */
  truth: FaultTruth | null;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

export function marksAgainst(d: Diagnosis, t: FaultTruth): DiagnosisMarks {
  const named = CAUSES[d.cause];
  return { family: named?.family === t.family, cause: d.cause === t.cause, nodes: sameSet(d.nodes, t.nodes), rule: t.rules.includes(d.rule) };
}

const count = (m: DiagnosisMarks) => Number(m.family) + Number(m.cause) + Number(m.nodes) + Number(m.rule);

/** The faults applied before `beforeSeq`, as truths (repairs left out), oldest first. */
export function truthsBefore(events: readonly SimEvent[], beforeSeq: number): FaultTruth[] {
  const out: FaultTruth[] = [];
  for (const e of events) if (e.seq < beforeSeq && e.type === 'fault-applied') {
    const t = faultTruth(e.fault);
    if (t) out.push(t);
  }
  return out;
}

/** Grades `d`, submitted at log position `seq`, against the faults applied before it. */
export function gradeDiagnosis(d: Diagnosis, events: readonly SimEvent[], seq: number): GradedDiagnosis {
  let best: GradedDiagnosis = { right: 0, marks: { family: false, cause: false, nodes: false, rule: false }, truth: null };
  for (const t of truthsBefore(events, seq)) {
    const marks = marksAgainst(d, t);
    const right = count(marks);
    // Ties go to the latest fault: the one the student most likely looked at.
    if (best.truth === null || right >= best.right) best = { right, marks, truth: t };
  }
  return best;
}
