// A checkpoint in a room: opened (by the scenario's clock or by the teacher), answered seat by
// seat, closed with per-seat results. Platform-free: ClusterObject keeps the state in its meta (so
// it survives eviction), sends the frames and logs the events. The questions and right answers
// come from src/sim/checkpoints.ts; whether an answer is right, from its `isRight`.
import { isRight, questionsForAll, type Answer, type SeatQuestion } from '../sim/checkpoints';
import type { CheckpointDef, ClusterState, I18nText, NodeName, QuestionId } from '../sim/types';
import type { CheckpointResult } from '../sim/events';

/** How long a checkpoint stays open at most (wall ms), when not every seat answers. */
export const CHECKPOINT_LIMIT_MS = 180_000;

export interface OpenCheckpoint {
  id: string;
  title: I18nText;
  pause: boolean;
  /** wall ms: closed automatically then */
  deadline: number;
  /** the students' nodes asked, with their questions and right answers (never sent before the close) */
  questions: Record<NodeName, SeatQuestion[]>;
  answers: Record<NodeName, Partial<Record<QuestionId, Answer>>>;
}

/** A question as a student sees it while the checkpoint is open: no right answer, no why. */
export type AskedQuestion = Omit<SeatQuestion, 'right' | 'why' | 'tolerance'>;
/** A question after the close: right answer, why, the seat's answer and whether it was right. */
export type AnsweredQuestion = SeatQuestion & { answer: Answer | null; ok: boolean };

export function openCheckpoint(sim: ClusterState, def: CheckpointDef, nodes: NodeName[], nowWall: number): OpenCheckpoint {
  return {
    id: def.id,
    title: def.title,
    pause: def.pause,
    deadline: nowWall + CHECKPOINT_LIMIT_MS,
    questions: questionsForAll(sim, nodes, def.questions),
    answers: Object.fromEntries(nodes.map((n) => [n, {}])),
  };
}

/** The scenario checkpoint the clock opens now, if any. The rule (docs/protocol.md, the `POST checkpoint` route):
 * the clock opens a checkpoint only when the scenario's timeline plays — its times are set around
 * the timeline's faults ("the failure is detected"), and a checkpoint pauses the whole class. With
 * the timeline off the teacher drives: they inject the faults, so they open the checkpoints (the
 * dashboard lists them in order) when the moment has come. In a drill none opens by the clock
 * either (ClusterObject): each team's fault comes at its own time. */
export function dueCheckpoint(defs: readonly CheckpointDef[], timelinePlays: boolean, now: number, done: readonly string[]): CheckpointDef | undefined {
  return timelinePlays ? defs.find((d) => d.atMs <= now && !done.includes(d.id)) : undefined;
}

export function asked(cp: OpenCheckpoint, node: NodeName): AskedQuestion[] {
  return (cp.questions[node] ?? []).map(({ right: _r, why: _w, tolerance: _t, ...q }) => q);
}

/** Why an answer is refused (null: stored). The right answer is never hinted at. */
export function answerRefused(cp: OpenCheckpoint | null | undefined, node: NodeName, checkpoint: string, question: QuestionId, a: Answer): { code: string; message: string } | null {
  if (!cp || cp.id !== checkpoint) return { code: 'no_checkpoint', message: `checkpoint "${checkpoint.slice(0, 40)}" is not open` };
  const q = cp.questions[node]?.find((x) => x.id === question);
  if (!q) return { code: 'bad_answer', message: `no question "${question}" for ${node} in this checkpoint` };
  if (q.kind !== a.kind) return { code: 'bad_answer', message: `question "${question}" takes a ${q.kind} answer` };
  if (a.kind === 'choice' && !q.choices?.some((c) => c.value === a.value)) return { code: 'bad_answer', message: `"${a.value.slice(0, 40)}" is not one of the choices` };
  if (a.kind === 'nodes' && a.value.some((n) => !q.nodes?.includes(n))) return { code: 'bad_answer', message: 'pick nodes of this cluster' };
  return null;
}

export function allAnswered(cp: OpenCheckpoint): boolean {
  const nodes = Object.keys(cp.questions);
  return nodes.length > 0 && nodes.every((n) => cp.questions[n]!.every((q) => cp.answers[n]?.[q.id] !== undefined));
}

/** Expected and given answers (the teacher's counts). */
export function counts(cp: OpenCheckpoint): { answered: number; expected: number } {
  let answered = 0;
  let expected = 0;
  for (const [n, qs] of Object.entries(cp.questions)) {
    expected += qs.length;
    answered += qs.filter((q) => cp.answers[n]?.[q.id] !== undefined).length;
  }
  return { answered, expected };
}

/** One seat's results. */
export function resultsOf(cp: OpenCheckpoint, node: NodeName): AnsweredQuestion[] {
  return (cp.questions[node] ?? []).map((q) => {
    const answer = cp.answers[node]?.[q.id] ?? null;
    return { ...q, answer, ok: isRight(q, answer ?? undefined) };
  });
}

/** Every seat's results, as the log keeps them (no texts: the question ids say what was asked). */
export function logResults(cp: OpenCheckpoint): Record<NodeName, CheckpointResult[]> {
  return Object.fromEntries(
    Object.keys(cp.questions).map((n) => [
      n,
      resultsOf(cp, n).map((r) => ({ question: r.id, right: r.right, answer: r.answer, ok: r.ok, text: r.text, rightText: answerWords(r, r.right), answerText: r.answer && answerWords(r, r.answer), why: r.why })),
    ]),
  );
}

/** An answer in words: a choice's label, a number, the nodes picked (or "none"). */
export function answerWords(q: SeatQuestion, a: Answer): I18nText {
  if (a.kind === 'choice') return q.choices?.find((c) => c.value === a.value)?.label ?? { fr: a.value, en: a.value };
  if (a.kind === 'number') return { fr: String(a.value), en: String(a.value) };
  return a.value.length ? { fr: a.value.join(', '), en: a.value.join(', ') } : { fr: 'aucun', en: 'none' };
}
