// nextDeadline / inMotion (src/sim/deadline.ts): from a steady state, one tick at any time within
// the steady horizon (and not past the deadline) equals ticking every tickMs up to it — the same
// state, to the last field, and no events. Over the presets and random fault sequences.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCluster, step } from '../../../src/sim/index';
import { inMotion, nextDeadline, steadyHorizonMs } from '../../../src/sim/deadline';
import { SCENARIOS, buildClusterConfig, getScenario } from '../../../src/sim/scenarios';
import { wholeClassScenario } from '../../../src/sim/whole-class';
import type { ClusterState, Fault, Scenario } from '../../../src/sim/types';

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 40);
const clone = (s: ClusterState) => JSON.parse(JSON.stringify(s)) as ClusterState;

function faultArb(names: string[]): fc.Arbitrary<Fault> {
  const node = fc.constantFrom(...names);
  return fc.oneof(
    fc.record({ kind: fc.constant('power' as const), node, action: fc.constantFrom('on' as const, 'off' as const, 'reset' as const, 'shutdown' as const, 'reboot' as const) }),
    fc.record({ kind: fc.constant('isolate' as const), node }),
    fc.constant({ kind: 'heal' as const }),
    fc.record({ kind: fc.constant('link' as const), a: node, b: node, cut: fc.boolean() }).filter((f) => f.a !== f.b),
    fc.record({ kind: fc.constant('link-quality' as const), a: node, b: node, loss: fc.constantFrom(0, 0.3), latencyMs: fc.constantFrom(0, 200) }).filter((f) => f.a !== f.b),
    fc.record({ kind: fc.constant('qdevice-host' as const), up: fc.boolean() }),
    fc.record({ kind: fc.constant('storage' as const), up: fc.boolean() }),
  );
}

/** Plays `plan` (a fault, then some ticks) on every node on autopilot; at each steady moment,
 * compares one jump with tick-by-tick stepping. Returns how many steady moments were compared. */
function check(sc: Scenario, seed: number, plan: { f: Fault; ticks: number; jump: number }[], withTimeline: boolean): number {
  const s = createCluster(buildClusterConfig(sc, { timing: 'course', voteMode: 'auto' }), seed);
  if (withTimeline) step(s, { type: 'schedule', at: 0, faults: sc.timeline });
  const tick = s.config.timing.tickMs;
  const horizon = steadyHorizonMs(s.config.timing);
  let compared = 0;
  for (const p of plan) {
    step(s, { type: 'fault', at: s.now, fault: p.f, by: 'teacher' });
    for (let i = 0; i < p.ticks; i++) {
      step(s, { type: 'tick', at: s.now + tick });
      if (inMotion(s)) {
        expect(nextDeadline(s)).toBe(s.now + tick);
        continue;
      }
      const deadline = nextDeadline(s);
      const k = Math.max(1, Math.min(p.jump, horizon / tick, deadline === null ? Infinity : (deadline - s.now) / tick));
      const T = s.now + k * tick;
      const stepped = clone(s);
      const ev1 = [];
      for (let j = 1; j <= k; j++) ev1.push(...step(stepped, { type: 'tick', at: s.now + j * tick }).events);
      const jumped = clone(s);
      const ev2 = step(jumped, { type: 'tick', at: T }).events;
      expect(ev2).toEqual(ev1);
      expect(jumped).toEqual(stepped);
      if (T < (deadline ?? Infinity)) expect(ev1).toEqual([]);
      compared++;
    }
  }
  return compared;
}

describe('nextDeadline', () => {
  it('is one tick away while anything is in motion, and null for a healthy cluster with no timeline', () => {
    const sc = SCENARIOS[0]!;
    const s = createCluster(buildClusterConfig(sc, { timing: 'course', voteMode: 'auto' }), 1);
    for (let t = 1000; t <= 40_000; t += 1000) step(s, { type: 'tick', at: t });
    expect(inMotion(s)).toBeNull();
    expect(nextDeadline(s)).toBeNull();
    step(s, { type: 'schedule', at: s.now, faults: sc.timeline });
    expect(nextDeadline(s)).toBe(sc.timeline[0]!.atMs);
    step(s, { type: 'fault', at: s.now, fault: { kind: 'power', node: 'pve1', action: 'off' }, by: 'teacher' });
    step(s, { type: 'tick', at: s.now + 1000 });
    expect(inMotion(s)).not.toBeNull();
    expect(nextDeadline(s)).toBe(s.now + 1000);
    expect(steadyHorizonMs(s.config.timing)).toBe(9000); // course profile: 10 s timeout less one tick
  });

  it('a node that loses power or is cut off: the jumps stop where its boot ends, its HA fence delay and lock expire, the CRM is ready', () => {
    const sc = getScenario('three-node-isolation')!;
    let compared = 0;
    for (const f of [
      { kind: 'power', node: 'pve1', action: 'off' },
      { kind: 'power', node: 'pve2', action: 'reset' },
      { kind: 'power', node: 'pve3', action: 'reboot' },
      { kind: 'isolate', node: 'pve1' },
    ] as Fault[])
      for (const jump of [3, 9]) compared += check(sc, 7, [{ f, ticks: 90, jump }], false);
    // Two nodes: the one left alone loses quorum, and regains it with its peer back.
    const duo = getScenario('two-node-no-qdevice')!;
    for (const jump of [3, 9]) compared += check(duo, 1, [{ f: { kind: 'power', node: 'pve1', action: 'reset' }, ticks: 90, jump }], false);
    expect(compared).toBeGreaterThan(100);
  });

  it('a jump within the horizon equals ticking every tickMs, over the presets and random faults', { timeout: 120_000 }, () => {
    let compared = 0;
    const scenarios = [...SCENARIOS, wholeClassScenario(8), wholeClassScenario(6, { qdevice: true })];
    fc.assert(
      fc.property(
        fc.constantFrom(...scenarios).chain((sc) =>
          fc.record({
            sc: fc.constant(sc),
            seed: fc.integer({ min: 1, max: 1e6 }),
            timeline: fc.boolean(),
            plan: fc.array(fc.record({ f: faultArb(sc.cluster.nodes.map((n) => n.name)), ticks: fc.integer({ min: 1, max: 60 }), jump: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 4 }),
          }),
        ),
        ({ sc, seed, timeline, plan }) => {
          compared += check(sc, seed, plan, timeline);
        },
      ),
      { numRuns: NUM_RUNS },
    );
    expect(compared).toBeGreaterThan(NUM_RUNS); // steady moments were actually found and compared
  });
});
