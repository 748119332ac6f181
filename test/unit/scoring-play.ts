// Plays a scenario on the engine as a team would (test helper for the grading tests): students
// hold some nodes (they heartbeat and vote by hand), faults follow the scenario's timeline, and a
// script acts at given times. Returns the TeamInput grading reads.
import { buildClusterConfig, getScenario } from '../../src/sim/scenarios';
import type { NodeName, SimEvent, VoteMode } from '../../src/sim/types';
import type { SeatLogEvent } from '../../src/rooms/seat-log';
import { DEFAULT_WEIGHTS, type TeamInput } from '../../src/scoring';
import { Harness } from './sim/harness';

export interface Play {
  scenario: string;
  voteMode?: VoteMode;
  held?: NodeName[];
  endMs: number;
  /** called after every tick */
  act?: (h: Harness, seat: (node: NodeName) => string) => void;
  /** ticks in which a held node's browser was heard (default: always) */
  heard?: (node: NodeName, at: number) => boolean;
}

export function play(p: Play): { h: Harness; input: TeamInput } {
  const scenario = getScenario(p.scenario)!;
  const held = p.held ?? [];
  const voteMode = p.voteMode ?? 'auto';
  const config = buildClusterConfig(scenario, { timing: 'course', voteMode, autoNodes: scenario.cluster.nodes.map((n) => n.name).filter((n) => !held.includes(n)) });
  const h = new Harness(config, 'seed');
  const seatLog: SeatLogEvent[] = [];
  const seat = (node: NodeName) => `seat-${node}`;
  for (const node of held) seatLog.push({ type: 'seat-taken', node, seatId: seat(node), seq: ++h.s.seq, at: 0 });
  const counts = new Map(held.map((n) => [n, { heard: 0, ticks: 0 }]));
  let next = 0;
  const dt = h.s.config.timing.tickMs;
  while (h.now < p.endMs) {
    const at = h.now + dt;
    h.manual = new Set(held.filter((n) => !p.heard || p.heard(n, at)));
    for (const n of held) {
      const c = counts.get(n)!;
      c.ticks++;
      if (h.manual.has(n)) c.heard++;
    }
    h.advance(dt);
    while (next < scenario.timeline.length && scenario.timeline[next]!.atMs <= h.now) h.input({ type: 'fault', at: h.now, fault: scenario.timeline[next++]!.fault, by: 'timeline' });
    p.act?.(h, seat);
  }
  for (const [node, c] of counts) seatLog.push({ type: 'presence', node, seatId: seat(node), heard: c.heard, ticks: c.ticks, seq: ++h.s.seq, at: h.now });
  const input: TeamInput = {
    scenario,
    timing: 'course',
    voteMode,
    seed: 'seed',
    events: h.events as SimEvent[],
    seatLog,
    final: h.s,
    endMs: h.now,
    roster: held.map((n) => ({ id: seat(n), node: n })),
    weights: { ...DEFAULT_WEIGHTS },
  };
  return { h, input };
}

/** Answers every open fence vote of the held nodes: right (the real majority says yes) or wrong. */
export function answerVotes(h: Harness, held: NodeName[], right: boolean) {
  for (const v of [...h.s.votes])
    if (v.status === 'open')
      for (const m of v.partition)
        if (held.includes(m) && v.ballots[m] === undefined) {
          const majority = v.partition.length * 2 > h.s.config.nodes.length;
          h.input({ type: 'vote', at: h.now, node: m, voteId: v.id, yes: right ? majority : !majority });
        }
}
