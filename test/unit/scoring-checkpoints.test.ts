import { describe, expect, it } from 'vitest';
import { decisionsOf, gradeStudent, teamContext } from '../../src/scoring/index';
import { RULES } from '../../src/scoring/weights';
import type { CheckpointResult } from '../../src/sim/events';
import type { SimEvent } from '../../src/sim/types';
import { play } from './scoring-play';

// Checkpoint answers in the competence part: each student is graded on the questions asked to the
// node they held when the checkpoint closed (src/rooms/checkpoint.ts logs them per node).
const yes = { kind: 'choice' as const, value: 'yes' };
const no = { kind: 'choice' as const, value: 'no' };
const r = (question: CheckpointResult['question'], right: CheckpointResult['right'], answer: CheckpointResult['answer'], ok: boolean): CheckpointResult => ({ question, right, answer, ok });

function withCheckpoint(results: Record<string, CheckpointResult[]>) {
  const p = play({ scenario: 'three-node-isolation', held: ['pve1', 'pve2'], endMs: 30_000 });
  const closed = { type: 'checkpoint-closed', checkpoint: 'before', reason: 'teacher', results, seq: ++p.h.s.seq, at: 20_000 } as SimEvent;
  p.input.events = [...p.input.events, closed];
  const ctx = teamContext(p.input);
  return { ctx, grade: (seat: string) => gradeStudent(seat, ctx, null) };
}

describe('checkpoint answers in competence', () => {
  it('scores each student on their own node’s questions, and an answer counts as acting', () => {
    const { ctx, grade } = withCheckpoint({
      pve1: [r('quorate', yes, yes, true), r('votes-present', { kind: 'number', value: 3 }, { kind: 'number', value: 3 }, true)],
      pve2: [r('quorate', yes, no, false), r('votes-present', { kind: 'number', value: 3 }, null, false)],
      pve3: [r('quorate', yes, yes, true), r('votes-present', { kind: 'number', value: 3 }, { kind: 'number', value: 3 }, true)], // autopilot: nobody's
    });
    const a = grade('seat-pve1');
    const b = grade('seat-pve2');
    const la = a.lines.find((l) => l.kind === 'checkpoint')!;
    const lb = b.lines.find((l) => l.kind === 'checkpoint')!;
    expect(la.text.en).toBe('Checkpoint "before": 2/2 right answer(s)');
    expect(lb.text.en).toBe('Checkpoint "before": 0/2 right answer(s)');
    expect(la.points).toBeGreaterThan(0);
    expect(lb.points).toBe(0);
    expect(a.grade.parts.competence).toBeGreaterThan(b.grade.parts.competence);
    // pve2 answered one question: it acted (not "idle"), and its two questions weigh in its maximum.
    expect(b.lines.some((l) => l.kind === 'idle')).toBe(false);
    expect(b.grade.parts.competence).toBe(0);
    // Each question asked weighs checkpointAnswer in the maximum, next to objectives and decisions.
    const d = decisionsOf(ctx, 'seat-pve1');
    const max = ctx.objectivePoints.max + (d.votes.length + d.qdevice.length) * RULES.competence.decision + 2 * RULES.competence.checkpointAnswer;
    expect(la.points).toBeCloseTo((2 * RULES.competence.checkpointAnswer * 100) / max, 1);
  });

  it('a student who only left unanswered questions is idle, and the checkpoint is nobody else’s', () => {
    const { grade } = withCheckpoint({ pve2: [r('quorate', yes, null, false)] });
    expect(grade('seat-pve2').lines.some((l) => l.kind === 'idle')).toBe(true);
    expect(grade('seat-pve1').lines.some((l) => l.kind === 'checkpoint')).toBe(false);
  });
});
