// A team's grade: outcome against the baseline, competence (objectives autopilot does not meet,
// met inside their windows; decisions judged against the configured cluster; one capped penalty
// per cause), participation (the mean of its students'). Pure: from the stored log alone.
import { faultsOf, runBaselines, type Baseline, type BaselineInput } from './baseline';
import { gradeDiagnosis } from './diagnosis';
import { judge, type Cause, type Judgement, type JudgedVote, type QdeviceDecision } from './decisions';
import { checkWindowed, type ObjectiveOutcome } from './objectives';
import { gradeOutcome, outcomeFigures } from './outcome';
import { holderAt, seatIntervals, type RosterSeat, type SeatInterval } from './seats';
import type { SeatLogEvent } from '../rooms/seat-log';
import type { ClusterState, I18nText, Scenario, SimEvent, TimingProfileName, VoteMode } from './sim';
import type { Grade, GradeLine } from './types';
import { PARTS, RULES, clamp, round1, type Part, type Weights } from './weights';
import { causeText, consequenceText, decisionLine, EXPLAIN } from './words';

export interface TeamInput {
  scenario: Scenario;
  timing: TimingProfileName;
  voteMode: VoteMode;
  seed: string;
  /** the engine's events, sorted by seq */
  events: SimEvent[];
  /** the room's seat events (seat-taken, seat-left, presence) */
  seatLog: SeatLogEvent[];
  /** the final state (rebuilt from the log) */
  final: ClusterState;
  endMs: number;
  roster: RosterSeat[];
  weights: Weights;
}

export interface ObjectiveGrade extends ObjectiveOutcome {
  /** autopilot alone meets it: outcome, not competence */
  byAutopilot: boolean;
}

/** What a student's grade needs from their team. */
export interface TeamContext {
  input: TeamInput;
  intervals: SeatInterval[];
  judgement: Judgement;
  outcome: { score: number; lines: GradeLine[] };
  objectives: ObjectiveGrade[];
  /** earned and max objective points autopilot does not get for free */
  objectivePoints: { earned: number; max: number };
  /** the baseline's HA availability (0..1) and the team's */
  availability: { team: number; baseline: number };
}

export interface TeamGrade {
  grade: Grade;
  lines: GradeLine[];
  context: TeamContext;
}

/** The weighted mean of the parts, less the penalties, in 0–100 and 0–20. */
export function combine(parts: Record<Part, number>, weights: Weights, penalty = 0): Grade {
  const total = PARTS.reduce((a, p) => a + weights[p], 0) || 1;
  const p = round1(clamp(penalty, 0, RULES.competence.penaltiesMax));
  const percent = round1(clamp(PARTS.reduce((a, x) => a + parts[x] * weights[x], 0) / total - p, 0, 100));
  return {
    percent,
    outOf20: round1(percent / 5),
    parts: { outcome: round1(parts.outcome), competence: round1(parts.competence), participation: round1(parts.participation) },
    weights: { ...weights },
    penalty: p,
  };
}

/** What the baseline of a team replays: its scenario, options and the faults of its log. */
export const baselineInput = (input: TeamInput): BaselineInput => ({
  scenario: input.scenario,
  timing: input.timing,
  voteMode: input.voteMode,
  seed: input.seed,
  faults: faultsOf(input.events),
  endMs: input.endMs,
});

/** Team contexts of a lab, their baselines run together. */
export function teamContexts(inputs: TeamInput[]): TeamContext[] {
  const bases = runBaselines(inputs.map(baselineInput));
  return inputs.map((input, i) => teamContext(input, bases[i]));
}

export function teamContext(input: TeamInput, baseline?: Baseline): TeamContext {
  const { scenario, events, final, endMs } = input;
  const base = baseline ?? runBaselines([baselineInput(input)])[0]!;
  const mine = outcomeFigures(events, final.config, endMs);
  const theirs = outcomeFigures(base.events, base.final.config, endMs);
  // An incident drill replaces the scenario's story with one drawn fault: its objectives (written
  // for the scenario's own failure) are not graded; the diagnosis is.
  const drill = events.some((e) => e.type === 'drill-drawn');
  const objectives = (drill ? [] : scenario.objectives).map((o): ObjectiveGrade => {
    const r = checkWindowed(o, events, final, endMs);
    return { ...r, byAutopilot: checkWindowed(o, base.events, base.final, endMs).met };
  });
  const counted = objectives.filter((o) => !o.byAutopilot);
  return {
    input,
    intervals: seatIntervals(input.seatLog, endMs, input.roster),
    judgement: judge(final.config, events),
    outcome: gradeOutcome(mine, theirs),
    objectives,
    objectivePoints: { earned: counted.filter((o) => o.met).reduce((a, o) => a + o.objective.points, 0), max: counted.reduce((a, o) => a + o.objective.points, 0) },
    availability: { team: mine.availability, baseline: theirs.availability },
  };
}

/** Decisions and causes that belong to `seatId` (or to any student when null), graded once. */
export function decisionsOf(ctx: TeamContext, seatId: string | null) {
  const held = (node: string, seq: number) => {
    const h = holderAt(ctx.intervals, node, seq);
    return h !== null && (seatId === null || h === seatId);
  };
  const humanQd = ctx.input.voteMode === 'human';
  return {
    votes: ctx.judgement.votes.filter((v) => !v.repeat && held(v.node, v.seq)),
    repeats: ctx.judgement.votes.filter((v) => v.repeat && held(v.node, v.seq)),
    qdevice: humanQd ? ctx.judgement.qdevice.filter((q) => !q.repeat && held('qdevice', q.seq)) : [],
    causes: ctx.judgement.causes.filter((c) => held(c.node, c.seq)),
    commands: ctx.input.events.filter((e): e is Extract<SimEvent, { type: 'command' }> => e.type === 'command' && held(e.node, e.seq)),
    checkpoints: checkpointAnswers(ctx, held),
    diagnoses: ctx.input.events
      .filter((e): e is Extract<SimEvent, { type: 'diagnosis' }> => e.type === 'diagnosis' && (seatId === null || e.seatId === seatId))
      .map((e) => ({ seq: e.seq, at: e.at, node: e.node, seatId: e.seatId, diagnosis: { cause: e.cause, nodes: e.nodes, rule: e.rule }, ...gradeDiagnosis(e, ctx.input.events, e.seq) })),
  };
}

/** The checkpoint questions asked to the nodes `held` by the student when the checkpoint closed. */
function checkpointAnswers(ctx: TeamContext, held: (node: string, seq: number) => boolean) {
  const out: { checkpoint: string; seq: number; at: number; asked: number; answered: number; right: number }[] = [];
  for (const e of ctx.input.events) {
    if (e.type !== 'checkpoint-closed') continue;
    for (const [node, rs] of Object.entries(e.results))
      if (held(node, e.seq)) out.push({ checkpoint: e.checkpoint, seq: e.seq, at: e.at, asked: rs.length, answered: rs.filter((r) => r.answer !== null).length, right: rs.filter((r) => r.ok).length });
  }
  return out;
}

/** Competence: objectives (team) + own decisions + own checkpoint answers; 0 for whoever did nothing. Penalties (one per
 * cause) are listed here and deducted from the whole grade. */
export function gradeCompetence(ctx: TeamContext, d: ReturnType<typeof decisionsOf>): { score: number; lines: GradeLine[]; penalty: number } {
  const R = RULES.competence;
  const acted = d.commands.length + d.votes.length + d.repeats.length + d.qdevice.length + d.checkpoints.reduce((a, c) => a + c.answered, 0) + d.diagnoses.length > 0;
  if (!acted)
    return { score: 0, penalty: 0, lines: [{ part: 'competence', kind: 'idle', points: 0, text: t('Aucune action (commande, vote) : pas de point de compétence', 'No action (command, vote): no competence points'), explain: EXPLAIN.idle }] };
  const decisions: (JudgedVote | QdeviceDecision)[] = [...d.votes, ...d.qdevice];
  const max = ctx.objectivePoints.max + decisions.length * R.decision + d.checkpoints.reduce((a, c) => a + c.asked, 0) * R.checkpointAnswer + d.diagnoses.length * 4 * R.diagnosisMark;
  const scale = max > 0 ? 100 / max : 0;
  const lines: GradeLine[] = [];
  let earned = 0;
  for (const o of ctx.objectives)
    if (o.met && !o.byAutopilot) {
      earned += o.objective.points;
      lines.push({
        part: 'competence',
        kind: 'objective',
        points: round1(o.objective.points * scale),
        text: t(`Objectif atteint : ${o.objective.title.fr}`, `Objective met: ${o.objective.title.en}`),
        explain: o.window ? EXPLAIN.objectiveWindow : EXPLAIN.objective,
        ...(o.evidenceSeq !== null ? { seq: o.evidenceSeq, at: ctx.input.events.find((e) => e.seq === o.evidenceSeq)?.at ?? 0 } : {}),
      });
    }
  for (const v of decisions) {
    if (v.right) earned += R.decision;
    lines.push(decisionLine(v, v.right ? round1(R.decision * scale) : 0));
  }
  for (const c of d.checkpoints) {
    earned += c.right * R.checkpointAnswer;
    lines.push({
      part: 'competence',
      kind: 'checkpoint',
      points: round1(c.right * R.checkpointAnswer * scale),
      text: t(`Point d’étape « ${c.checkpoint} » : ${c.right}/${c.asked} bonne(s) réponse(s)`, `Checkpoint "${c.checkpoint}": ${c.right}/${c.asked} right answer(s)`),
      explain: EXPLAIN.checkpoint,
      seq: c.seq,
      at: c.at,
    });
  }
  for (const g of d.diagnoses) {
    earned += g.right * R.diagnosisMark;
    const m = g.marks;
    const mark = (ok: boolean, fr: string, en: string) => ({ fr: `${ok ? '✓' : '✗'} ${fr}`, en: `${ok ? '✓' : '✗'} ${en}` });
    const parts = [mark(m.family, 'famille', 'family'), mark(m.cause, 'cause', 'cause'), mark(m.nodes, 'nœuds', 'nodes'), mark(m.rule, 'règle', 'rule')];
    lines.push({
      part: 'competence',
      kind: 'diagnosis',
      points: round1(g.right * R.diagnosisMark * scale),
      text: g.truth
        ? t(`Diagnostic de ${g.node} : ${g.right}/4 (${parts.map((p) => p.fr).join(', ')})`, `Diagnosis from ${g.node}: ${g.right}/4 (${parts.map((p) => p.en).join(', ')})`)
        : t(`Diagnostic de ${g.node} envoyé avant toute panne : 0/4`, `Diagnosis from ${g.node} sent before any fault: 0/4`),
      explain: EXPLAIN.diagnosis,
      seq: g.seq,
      at: g.at,
    });
  }
  const penalties = d.causes.map(penaltyLine);
  lines.push(...penalties);
  return { score: round1(clamp(earned * scale, 0, 100)), lines, penalty: -penalties.reduce((a, l) => a + l.points, 0) };
}

function penaltyLine(c: Cause): GradeLine {
  const R = RULES.competence;
  return {
    part: 'competence',
    kind: 'penalty',
    points: -Math.min(R.penalty[c.kind], R.penaltyCap),
    text: causeText(c),
    explain: c.kind === 'forced-expected' ? EXPLAIN.forcedExpected : EXPLAIN.qdeviceMinority,
    concept: c.kind === 'forced-expected' ? 'expected-votes' : 'qdevice',
    seq: c.seq,
    at: c.at,
    consequences: c.consequences.map((e) => ({ text: consequenceText(e), seq: e.seq, at: e.at })),
  };
}

const t = (fr: string, en: string): I18nText => ({ fr, en });

/** The team's grade; `participation` is its students' participation scores (empty: nobody came). */
export function gradeTeam(ctx: TeamContext, participation: number[]): TeamGrade {
  const comp = gradeCompetence(ctx, decisionsOf(ctx, null));
  const part = participation.length ? round1(participation.reduce((a, x) => a + x, 0) / participation.length) : 0;
  const partLine: GradeLine = {
    part: 'participation',
    kind: 'presence',
    points: part,
    text: participation.length
      ? t(`Moyenne de la participation des ${participation.length} élève(s)`, `Mean participation of the ${participation.length} student(s)`)
      : t('Aucun élève n’a tenu de place', 'No student held a seat'),
    explain: EXPLAIN.teamParticipation,
  };
  const grade = combine({ outcome: ctx.outcome.score, competence: comp.score, participation: part }, ctx.input.weights, comp.penalty);
  return { grade, lines: [...ctx.outcome.lines, ...comp.lines, partLine], context: ctx };
}
