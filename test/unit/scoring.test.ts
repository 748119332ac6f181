import { describe, expect, it } from 'vitest';
import {
  combine,
  commandNotion,
  DEFAULT_WEIGHTS,
  gradeStudent,
  gradeTeam,
  holderAt,
  isRelevant,
  judge,
  runBaseline,
  runBaselines,
  presenceOf,
  reallyQuorate,
  seatIntervals,
  teamContext,
  weightsFrom,
  type TeamInput,
} from '../../src/scoring';
import { SCENARIOS, buildClusterConfig, getScenario } from '../../src/sim/scenarios';
import type { SimEvent, SimEventBody } from '../../src/sim/types';
import { answerVotes, play } from './scoring-play';

const ALL = ['pve1', 'pve2', 'pve3'];

function grade(input: TeamInput) {
  const ctx = teamContext(input);
  const students = input.roster.map((s) => gradeStudent(s.id, ctx, null));
  return { team: gradeTeam(ctx, students.map((s) => s.participation)), students, ctx };
}

/** Three teams of the isolation scenario (pve2 cut off at 60 s, back at 180 s), human votes. */
const idle = () => play({ scenario: 'three-node-isolation', voteMode: 'human', endMs: 240_000 });
const correct = () =>
  play({
    scenario: 'three-node-isolation',
    voteMode: 'human',
    held: ALL,
    endMs: 240_000,
    act: (h) => {
      if (h.now === 65_000) {
        h.input({ type: 'command', at: h.now, node: 'pve2', line: 'pvecm status' });
        h.input({ type: 'command', at: h.now, node: 'pve1', line: 'ha-manager status' });
        h.input({ type: 'command', at: h.now, node: 'pve3', line: 'pvecm status' });
      }
      answerVotes(h, ALL, true);
    },
  });
const harmful = () =>
  play({
    scenario: 'three-node-isolation',
    voteMode: 'human',
    held: ALL,
    endMs: 240_000,
    act: (h) => {
      if (h.now === 80_000) h.input({ type: 'command', at: h.now, node: 'pve2', line: 'pvecm expected 1' });
      answerVotes(h, ALL, false);
    },
  });

describe('rubric', () => {
  it('ranks a correct team above an idle one, and the idle one above a harmful one; bounds hold', { timeout: 60_000 }, () => {
    const [i, c, x] = [grade(idle().input), grade(correct().input), grade(harmful().input)];
    expect(c.team.grade.percent).toBeGreaterThan(i.team.grade.percent);
    expect(i.team.grade.percent).toBeGreaterThan(x.team.grade.percent);
    expect(i.team.grade.percent).toBeLessThanOrEqual(40);
    for (const g of [i, c, x].flatMap((r) => [r.team.grade, ...r.students.map((s) => s.grade)])) {
      expect(g.outOf20).toBeGreaterThanOrEqual(0);
      expect(g.outOf20).toBeLessThanOrEqual(20);
      for (const p of Object.values(g.parts)) expect(p >= 0 && p <= 100).toBe(true);
    }
    // The correct team's observation from pve2 was made inside its window.
    expect(c.ctx.objectives.find((o) => o.objective.id === 'pve2-status')).toMatchObject({ met: true, byAutopilot: false });
  });

  it('gives an idle team the baseline outcome and no competence, on every preset', { timeout: 60_000 }, () => {
    for (const sc of SCENARIOS) {
      const p = play({ scenario: sc.id, endMs: Math.max(...sc.timeline.map((f) => f.atMs), 0) + 60_000 });
      const g = grade(p.input);
      expect(g.team.grade.parts, sc.id).toEqual({ outcome: 50, competence: 0, participation: 0 });
      expect(g.team.grade.penalty, sc.id).toBe(0);
      expect(g.team.grade.percent, sc.id).toBe(20);
    }
  });

  it('charges one capped penalty per cause and lists its consequences under it', { timeout: 60_000 }, () => {
    const x = grade(harmful().input);
    const penalties = x.team.lines.filter((l) => l.kind === 'penalty');
    expect(penalties).toHaveLength(1);
    expect(penalties[0]!.points).toBe(-15);
    expect(x.team.grade.penalty).toBe(15);
    const kinds = penalties[0]!.consequences!.map((c) => c.text.en);
    expect(kinds.some((k) => k.startsWith('Split-brain (two quorate partitions): pvecm expected 1 on pve2'))).toBe(true);
    expect(kinds.some((k) => k.startsWith('Split-brain (VM running twice)'))).toBe(true);
    // Outcome harms: once per kind, whatever the number of VMs that ran twice.
    expect(x.team.lines.filter((l) => l.kind === 'harm').map((l) => l.points)).toEqual([-25, -25]);
    // Only the student of pve2 carries the penalty.
    const withPenalty = x.students.filter((s) => s.lines.some((l) => l.kind === 'penalty'));
    expect(withPenalty).toHaveLength(1);
  });

  it('combines parts with the teacher’s weights; invalid weights fall back to the defaults', () => {
    expect(combine({ outcome: 50, competence: 100, participation: 0 }, { outcome: 1, competence: 1, participation: 0 })).toMatchObject({ percent: 75, outOf20: 15 });
    // Penalties come off the weighted mean, capped in total, and the grade never goes below 0.
    expect(combine({ outcome: 50, competence: 100, participation: 0 }, { outcome: 1, competence: 1, participation: 0 }, 15)).toMatchObject({ percent: 60, outOf20: 12, penalty: 15 });
    expect(combine({ outcome: 10, competence: 0, participation: 0 }, DEFAULT_WEIGHTS, 100)).toMatchObject({ percent: 0, outOf20: 0, penalty: 30 });
    expect(weightsFrom({ weights: { outcome: 10, competence: 80, participation: 10 } })).toEqual({ outcome: 10, competence: 80, participation: 10 });
    expect(weightsFrom({ weights: { outcome: 0, competence: 0, participation: 0 } })).toEqual(DEFAULT_WEIGHTS);
    expect(weightsFrom({ weights: { outcome: 'x' } })).toEqual(DEFAULT_WEIGHTS);
    expect(weightsFrom(null)).toEqual(DEFAULT_WEIGHTS);
  });
});

describe('baseline', () => {
  it('teams on the same timeline share one run, stopped at each end, same as separate runs', { timeout: 60_000 }, () => {
    const sc = getScenario('three-node-power-loss')!;
    const faults = sc.timeline.map((f) => ({ at: f.atMs, fault: f.fault, by: 'timeline' }));
    const input = (endMs: number) => ({ scenario: sc, timing: 'course' as const, voteMode: 'auto' as const, seed: 'lab', faults, endMs });
    const [a, b] = runBaselines([input(300_000), input(120_000)]);
    for (const [shared, endMs] of [[a!, 300_000], [b!, 120_000]] as const) {
      const alone = runBaseline(input(endMs));
      expect(shared.final.now).toBe(endMs);
      expect(shared.events).toEqual(alone.events);
      expect(shared.final).toEqual(alone.final);
    }
  });
});

describe('right answers from the configured cluster', () => {
  const config = buildClusterConfig(getScenario('three-node-isolation')!, { timing: 'course', voteMode: 'human' });
  const log = (bodies: SimEventBody[]): SimEvent[] => bodies.map((b, i) => ({ ...b, seq: i + 1, at: (i + 1) * 1000 }) as SimEvent);

  it('a minority is never quorate, whatever pvecm expected forced', () => {
    expect(reallyQuorate(config, ['pve1'], { present: false, choice: null })).toBe(false);
    expect(reallyQuorate(config, ['pve2', 'pve3'], { present: false, choice: null })).toBe(true);
    const j = judge(config, log([
      { type: 'membership-changed', members: ['pve1'], ringId: 2 },
      { type: 'membership-changed', members: ['pve2', 'pve3'], ringId: 3 },
      { type: 'expected-changed', node: 'pve1', expected: 1, reason: 'command' },
      { type: 'command', node: 'pve1', line: 'pvecm expected 1', ok: true },
      { type: 'quorum-regained', node: 'pve1', votes: 1, quorum: 1 },
      { type: 'vote-opened', voteId: 1, target: 'pve2', partition: ['pve1'], deadline: 60_000, quorum: 1 },
      { type: 'vote-cast', voteId: 1, node: 'pve1', yes: true },
    ]));
    expect(j.causes.map((c) => [c.kind, c.node])).toEqual([['forced-expected', 'pve1']]);
    expect(j.votes[0]).toMatchObject({ realQuorate: false, right: false });
  });

  it('pvecm expected in the real majority is no cause', () => {
    const j = judge(config, log([
      { type: 'expected-changed', node: 'pve1', expected: 3, reason: 'command' },
      { type: 'command', node: 'pve1', line: 'pvecm expected 3', ok: true },
    ]));
    expect(j.causes).toEqual([]);
  });

  it('grades a re-asked vote once', () => {
    const j = judge(config, log([
      { type: 'membership-changed', members: ['pve1', 'pve3'], ringId: 2 },
      { type: 'vote-opened', voteId: 1, target: 'pve2', partition: ['pve1', 'pve3'], deadline: 60_000, quorum: 2 },
      { type: 'vote-cast', voteId: 1, node: 'pve1', yes: true },
      { type: 'vote-closed', voteId: 1, target: 'pve2', status: 'expired', yes: 1, quorum: 2 },
      { type: 'vote-opened', voteId: 2, target: 'pve2', partition: ['pve1', 'pve3'], deadline: 90_000, quorum: 2 },
      { type: 'vote-cast', voteId: 2, node: 'pve1', yes: true },
    ]));
    expect(j.votes.map((v) => [v.voteId, v.right, v.repeat])).toEqual([
      [1, true, false],
      [2, true, true],
    ]);
  });
});

describe('observations inside their window', () => {
  const observe = (at: number) =>
    play({
      scenario: 'three-node-isolation',
      held: ['pve2'],
      endMs: 240_000,
      act: (h) => {
        if (h.now === at) h.input({ type: 'command', at: h.now, node: 'pve2', line: 'pvecm status' });
      },
    });
  const met = (at: number) => grade(observe(at).input).ctx.objectives.find((o) => o.objective.id === 'pve2-status')!.met;

  it('counts only after the event it observes and before the situation ends', { timeout: 60_000 }, () => {
    expect(met(30_000)).toBe(false); // before the isolation at 60 s
    expect(met(70_000)).toBe(true);
    expect(met(200_000)).toBe(false); // after the network came back at 180 s
  });
});

describe('participation', () => {
  it('counts only commands of the scenario’s notions', () => {
    expect(commandNotion('help')).toBeNull();
    expect(commandNotion('hostname')).toBeNull();
    expect(commandNotion('ls')).toBeNull();
    expect(commandNotion('pvecm status')).toBe('quorum');
    expect(commandNotion('pvecm expected 1')).toBe('expected-votes');
    expect(commandNotion('qm migrate 100 pve2')).toBe('live-migration');
    expect(commandNotion('chronyc makestep')).toBe('ntp');
    const concepts = getScenario('three-node-isolation')!.concepts;
    expect(isRelevant('pvecm status', concepts)).toBe(true);
    expect(isRelevant('chronyc tracking', concepts)).toBe(false);
  });

  it('five irrelevant commands earn nothing; relevant ones earn up to the cap', () => {
    const p = play({
      scenario: 'three-node-isolation',
      held: ['pve1'],
      endMs: 30_000,
      act: (h) => {
        if (h.now === 10_000) for (const line of ['help', 'hostname', 'ls', 'whoami', 'uptime']) h.input({ type: 'command', at: h.now, node: 'pve1', line });
      },
    });
    const st = grade(p.input).students[0]!;
    expect(st.relevantCommands).toEqual([]);
    expect(st.lines.find((l) => l.kind === 'commands')!.points).toBe(0);
  });

  it('a pulse-mode student who never pulses has no presence', () => {
    const p = play({ scenario: 'three-node-isolation', held: ['pve1'], endMs: 60_000, heard: () => false });
    const st = grade(p.input).students[0]!;
    expect(st.presence).toEqual({ heard: 0, ticks: 60 });
    expect(st.lines.find((l) => l.kind === 'presence')!.points).toBe(0);
    expect(st.grade.parts.participation).toBe(0);
  });

  it('follows seat intervals: events belong to whoever held the seat', () => {
    const log = [
      { type: 'seat-taken' as const, node: 'pve1', seatId: 'a', seq: 1, at: 0 },
      { type: 'presence' as const, node: 'pve1', seatId: 'a', heard: 8, ticks: 10, seq: 5, at: 10_000 },
      { type: 'seat-left' as const, node: 'pve1', seatId: 'a', reason: 'moved' as const, seq: 6, at: 10_000 },
      { type: 'seat-taken' as const, node: 'pve1', seatId: 'b', seq: 9, at: 12_000 },
    ];
    const iv = seatIntervals(log, 30_000, []);
    expect(iv.map((i) => [i.seatId, i.from, i.to])).toEqual([
      ['a', 0, 10_000],
      ['b', 12_000, 30_000],
    ]);
    expect(holderAt(iv, 'pve1', 3)).toBe('a');
    expect(holderAt(iv, 'pve1', 7)).toBeNull(); // autopilot between the two
    expect(holderAt(iv, 'pve1', 12)).toBe('b');
    expect(presenceOf(log, 'a')).toEqual({ heard: 8, ticks: 10 });
    expect(presenceOf(log, 'b')).toBeNull();
    // Without seat events, the roster holds each seat for the whole session.
    expect(seatIntervals([], 30_000, [{ id: 'z', node: 'pve2' }])).toMatchObject([{ seatId: 'z', node: 'pve2', from: 0, to: 30_000 }]);
  });
});
