// A student's end screen (issue 8): their own grade parts and lines, their checkpoint answers with
// the why, their diagnoses, what went well and what was missed, and their team's rank. Pure: a
// view of the built report (src/reports/build.ts) for one seat, so it says exactly what the
// teacher's report says.
import type { Grade } from '../scoring';
import type { I18nText } from '../sim/types';
import type { CheckpointAnswers, DiagnosisReport, DrillReport } from './teach';
import type { LabReport, ReportLine } from './types';

export interface StudentResult {
  name: string;
  team: number;
  node: string;
  role: 'node' | 'qdevice';
  grade: Grade;
  teamGrade: Grade;
  lines: ReportLine[];
  checkpoints: CheckpointAnswers[];
  diagnoses: DiagnosisReport[];
  wentWell: I18nText[];
  missed: I18nText[];
  /** 1 = best team; ties share a rank */
  rank: { rank: number; of: number };
  drill: DrillReport | null;
}

const t = (fr: string, en: string): I18nText => ({ fr, en });

export function studentResult(r: LabReport, seatId: string): StudentResult | null {
  const s = r.students.find((x) => x.seatId === seatId);
  const team = s && r.teams.find((x) => x.id === s.teamId);
  if (!s || !team) return null;
  const wentWell: I18nText[] = [];
  const missed: I18nText[] = [];
  for (const l of s.lines) {
    if (l.kind === 'penalty') missed.push(l.text);
    // What the student did well: competence points, and an availability better than autopilot's.
    else if (l.points > 0 && (l.part === 'competence' || l.kind === 'availability')) wentWell.push(l.text);
    // (A wrong checkpoint answer is listed below, question by question.)
    else if (l.kind === 'decision' || l.kind === 'idle' || (l.kind === 'diagnosis' && l.points === 0)) missed.push(l.text);
  }
  for (const o of team.objectives) if (!o.met && !o.byAutopilot) missed.push(t(`Objectif manqué : ${o.title.fr}`, `Objective missed: ${o.title.en}`));
  for (const c of s.checkpoints)
    for (const q of c.results)
      if (!q.ok && q.text) missed.push(t(`${q.text.fr} — bonne réponse : ${q.rightText?.fr ?? '?'}`, `${q.text.en} — right answer: ${q.rightText?.en ?? '?'}`));
  const better = r.teams.filter((x) => x.grade.percent > team.grade.percent).length;
  return {
    name: s.name,
    team: s.team,
    node: s.node,
    role: s.role,
    grade: s.grade,
    teamGrade: team.grade,
    lines: s.lines,
    checkpoints: s.checkpoints,
    diagnoses: s.diagnoses,
    wentWell,
    missed,
    rank: { rank: better + 1, of: r.teams.length },
    drill: team.drill,
  };
}
