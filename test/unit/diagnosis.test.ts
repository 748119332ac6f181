import { describe, expect, it } from 'vitest';
import { gradeDiagnosis, marksAgainst } from '../../src/scoring/diagnosis';
import { gradeStudent, teamContext } from '../../src/scoring/index';
import { RULES } from '../../src/scoring/weights';
import { faultTruth } from '../../src/sim/drills';
import type { Fault, SimEvent } from '../../src/sim/types';
import { play } from './scoring-play';

// Diagnoses are graded against the faults the log shows applied before them: family, cause,
// nodes, rule — one mark each.
const applied = (seq: number, fault: Fault): SimEvent => ({ type: 'fault-applied', fault, by: 'timeline', seq, at: seq * 1000 });

describe('diagnosis grading', () => {
  const isolate = applied(5, { kind: 'isolate', node: 'pve2' });

  it('four marks for the exact cause, nodes and a rule the fault accepts', () => {
    const g = gradeDiagnosis({ cause: 'node-isolated', nodes: ['pve2'], rule: 'majority' }, [isolate], 10);
    expect(g.right).toBe(4);
    expect(g.truth?.cause).toBe('node-isolated');
  });

  it('the family without the cause, the wrong nodes, a rule that does not explain it', () => {
    const g = gradeDiagnosis({ cause: 'link-cut', nodes: ['pve1', 'pve2'], rule: 'storage' }, [isolate], 10);
    expect(g.marks).toEqual({ family: true, cause: false, nodes: false, rule: false });
    expect(g.right).toBe(1);
  });

  it('nodes are a set (order does not matter), and a diagnosis before any fault earns nothing', () => {
    const cut = applied(3, { kind: 'link', a: 'pve3', b: 'pve1', cut: true });
    expect(gradeDiagnosis({ cause: 'link-cut', nodes: ['pve3', 'pve1'], rule: 'token' }, [cut], 9).right).toBe(4);
    expect(gradeDiagnosis({ cause: 'link-cut', nodes: ['pve1', 'pve3'], rule: 'token' }, [cut], 2)).toMatchObject({ right: 0, truth: null });
  });

  it('repairs are not faults; the best-matching fault before the diagnosis counts', () => {
    const events = [applied(1, { kind: 'storage', up: false }), applied(2, { kind: 'storage', up: true }), applied(3, { kind: 'clock-skew', node: 'pve1', skewMs: 90_000 }), applied(20, { kind: 'power', node: 'pve3', action: 'off' })];
    expect(gradeDiagnosis({ cause: 'storage-down', nodes: [], rule: 'storage' }, events, 10).right).toBe(4);
    expect(gradeDiagnosis({ cause: 'clock-skew', nodes: ['pve1'], rule: 'clock' }, events, 10).right).toBe(4);
    // The power loss came after: not the fault it is graded against.
    expect(gradeDiagnosis({ cause: 'power-loss', nodes: ['pve3'], rule: 'fencing' }, events, 10).marks.cause).toBe(false);
  });

  it('human error is told apart from a power fault by its cause, not its family', () => {
    const t = faultTruth({ kind: 'power', node: 'pve1', action: 'shutdown' })!;
    expect(t.family).toBe('human');
    expect(marksAgainst({ cause: 'power-loss', nodes: ['pve1'], rule: 'majority' }, t)).toEqual({ family: false, cause: false, nodes: true, rule: true });
  });
});

describe('diagnoses in competence', () => {
  it('each student is graded on their own diagnosis; it counts as acting', () => {
    const p = play({ scenario: 'three-node-isolation', held: ['pve1', 'pve2'], endMs: 90_000 });
    const fault = p.input.events.find((e) => e.type === 'fault-applied')!;
    const truth = faultTruth((fault as Extract<SimEvent, { type: 'fault-applied' }>).fault)!;
    const mk = (node: string, right: boolean): SimEvent =>
      ({ type: 'diagnosis', node, seatId: `seat-${node}`, cause: right ? truth.cause : 'storage-down', nodes: right ? truth.nodes : [], rule: right ? truth.rules[0]! : 'clock', seq: ++p.h.s.seq, at: 80_000 }) as SimEvent;
    p.input.events = [...p.input.events, mk('pve1', true), mk('pve2', false)];
    const ctx = teamContext(p.input);
    const a = gradeStudent('seat-pve1', ctx, null);
    const b = gradeStudent('seat-pve2', ctx, null);
    const la = a.lines.find((l) => l.kind === 'diagnosis')!;
    const lb = b.lines.find((l) => l.kind === 'diagnosis')!;
    expect(la.text.en).toMatch(/^Diagnosis from pve1: 4\/4/);
    expect(lb.text.en).toMatch(/^Diagnosis from pve2: 0\/4/);
    expect(la.points).toBeGreaterThan(0);
    expect(lb.points).toBe(0);
    expect(a.grade.parts.competence).toBeGreaterThan(b.grade.parts.competence);
    expect(b.lines.some((l) => l.kind === 'idle')).toBe(false);
    // One diagnosis weighs four marks in the maximum.
    expect(RULES.competence.diagnosisMark * 4).toBe(20);
  });
});

describe('a drill in the grade', () => {
  it('grades no scenario objective (they are written for the scenario’s own failure), only what the team did', () => {
    const p = play({ scenario: 'three-node-isolation', held: ['pve1'], endMs: 30_000 });
    expect(teamContext(p.input).objectives.length).toBeGreaterThan(0);
    const drawn = { type: 'drill-drawn', family: 'power', fault: { kind: 'power', node: 'pve2', action: 'off' }, atMs: 40_000, seq: ++p.h.s.seq, at: 0 } as SimEvent;
    p.input.events = [drawn, ...p.input.events];
    const ctx = teamContext(p.input);
    expect(ctx.objectives).toEqual([]);
    expect(ctx.objectivePoints).toEqual({ earned: 0, max: 0 });
  });
});
