// A student's grade, over the intervals they held a seat: outcome of the team(s) they sat in
// (weighted by time held), competence from the team's objectives plus their own decisions and
// penalties, participation from their own presence and relevant commands.
import { isRelevant, commandKey } from './notions';
import { presenceOf } from './seats';
import { combine, decisionsOf, gradeCompetence, type TeamContext } from './team';
import type { Grade, GradeLine } from './types';
import { RULES, clamp, round1 } from './weights';
import { EXPLAIN } from './words';

export interface StudentGrade {
  grade: Grade;
  lines: GradeLine[];
  /** ms the seat was held, per team index */
  heldMs: number;
  participation: number;
  presence: { heard: number; ticks: number } | null;
  relevantCommands: string[];
}

/** `fallbackPresence`: 0..1 from memberships, for logs without presence samples. */
export function gradeStudent(seatId: string, ctx: TeamContext, fallbackPresence: number | null): StudentGrade {
  const R = RULES.participation;
  const heldMs = ctx.intervals.filter((i) => i.seatId === seatId).reduce((a, i) => a + (i.to - i.from), 0);
  const d = decisionsOf(ctx, seatId);
  const comp = gradeCompetence(ctx, d);
  const samples = presenceOf(ctx.input.seatLog, seatId);
  const presence = samples ? (samples.ticks > 0 ? samples.heard / samples.ticks : 0) : (fallbackPresence ?? 0);
  const causeSeqs = new Set(d.causes.map((c) => c.seq));
  const relevant = [...new Set(d.commands.filter((c) => c.ok && !causeSeqs.has(c.seq) && isRelevant(c.line, ctx.input.scenario.concepts)).map((c) => commandKey(c.line)))];
  const presencePts = round1(R.presence * presence);
  const commandPts = round1(R.commands * Math.min(1, relevant.length / R.commandsFull));
  const t = (fr: string, en: string) => ({ fr, en });
  const pct = round1(presence * 100);
  const lines: GradeLine[] = [
    ...ctx.outcome.lines,
    ...comp.lines,
    {
      part: 'participation',
      kind: 'presence',
      points: presencePts,
      text: samples
        ? t(`Heartbeats reçus ${pct} % du temps de présence sur la place (${samples.heard}/${samples.ticks} ticks)`, `Heartbeats received ${pct} % of the time on the seat (${samples.heard}/${samples.ticks} ticks)`)
        : t(`Présence dans la membership : ${pct} %`, `Presence in the membership: ${pct} %`),
      explain: samples ? EXPLAIN.presence : EXPLAIN.presenceMembership,
      concept: 'heartbeat',
    },
    {
      part: 'participation',
      kind: 'commands',
      points: commandPts,
      text: t(
        `Commandes utiles : ${relevant.length ? relevant.join(', ') : 'aucune'} (${Math.min(relevant.length, R.commandsFull)}/${R.commandsFull})`,
        `Relevant commands: ${relevant.length ? relevant.join(', ') : 'none'} (${Math.min(relevant.length, R.commandsFull)}/${R.commandsFull})`,
      ),
      explain: EXPLAIN.commands,
    },
  ];
  const participation = round1(clamp(presencePts + commandPts, 0, 100));
  const grade = combine({ outcome: ctx.outcome.score, competence: comp.score, participation }, ctx.input.weights, comp.penalty);
  return { grade, lines, heldMs, participation, presence: samples, relevantCommands: relevant };
}

/** A moved student sat in several teams: each part weighted by the time held in each. */
export function mergeStudentGrades(parts: StudentGrade[]): StudentGrade {
  if (parts.length === 1) return parts[0]!;
  const total = parts.reduce((a, p) => a + p.heldMs, 0) || 1;
  const avg = (f: (g: StudentGrade) => number) => parts.reduce((a, p) => a + f(p) * p.heldMs, 0) / total;
  const grade = combine(
    { outcome: avg((g) => g.grade.parts.outcome), competence: avg((g) => g.grade.parts.competence), participation: avg((g) => g.grade.parts.participation) },
    parts[0]!.grade.weights,
    parts.reduce((a, p) => a + p.grade.penalty, 0),
  );
  return {
    grade,
    lines: parts.flatMap((p) => p.lines),
    heldMs: total,
    participation: round1(avg((g) => g.participation)),
    presence: parts.every((p) => p.presence === null) ? null : { heard: parts.reduce((a, p) => a + (p.presence?.heard ?? 0), 0), ticks: parts.reduce((a, p) => a + (p.presence?.ticks ?? 0), 0) },
    relevantCommands: [...new Set(parts.flatMap((p) => p.relevantCommands))],
  };
}
