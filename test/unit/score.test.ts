import { describe, expect, it } from 'vitest';
import { teamScore, availability, WEIGHTS } from '../../src/scoring/score';
import { buildClusterConfig, getScenario } from '../../src/sim/scenarios';
import { Harness } from './sim/harness';

describe('team score', () => {
  it('availability is time-weighted and a VM running twice counts as down', () => {
    const sc = getScenario('two-node-no-qdevice')!;
    const h = new Harness(buildClusterConfig(sc, { timing: 'course', voteMode: 'auto' }));
    h.advance(60_000);
    expect(availability(h.events, h.s)).toBe(1);
    // Force a split-brain: cut the link, then `pvecm expected 1` on both sides.
    h.fault({ kind: 'partition', groups: [['pve1'], ['pve2']] });
    h.advance(12_000);
    h.input({ type: 'command', at: h.now, node: 'pve1', line: 'pvecm expected 1' });
    h.input({ type: 'command', at: h.now, node: 'pve2', line: 'pvecm expected 1' });
    h.advance(120_000);
    const score = teamScore(h.events, h.s, sc);
    expect(score.availability).toBeLessThan(1);
    const sb = score.lines.filter((l) => l.kind === 'safety' && l.reason.startsWith('split-brain'));
    expect(sb.length).toBeGreaterThan(0);
    expect(sb.every((l) => l.points === WEIGHTS.splitBrain && typeof l.seq === 'number')).toBe(true);
    // Once per kind of split-brain, and one line per forced command (one cause each).
    expect(sb.filter((l) => l.reason.includes('pvecm expected 1'))).toHaveLength(1);
    expect(score.lines.filter((l) => l.concept === 'expected-votes').map((l) => l.reason)).toEqual(['pvecm expected 1 on pve1 in a minority', 'pvecm expected 1 on pve2 in a minority']);
    // Every line links to its event when it has one, and the total adds up.
    expect(score.total).toBeCloseTo(score.lines.reduce((a, l) => a + l.points, 0), 5);
  });

  it('objectives met add their points; a calm run of the power-loss scenario earns availability and objectives', () => {
    const sc = getScenario('three-node-power-loss')!;
    const h = new Harness(buildClusterConfig(sc, { timing: 'course', voteMode: 'auto' }));
    for (const f of sc.timeline) {
      h.advance(f.atMs - h.now);
      h.fault(f.fault);
    }
    h.advance(180_000);
    const score = teamScore(h.events, h.s, sc);
    const objectives = score.lines.filter((l) => l.kind === 'objective');
    expect(objectives.length).toBeGreaterThan(0);
    expect(objectives.every((l) => l.points > 0)).toBe(true);
    const without = teamScore(h.events, h.s);
    expect(score.total - without.total).toBeCloseTo(objectives.reduce((a, l) => a + l.points, 0), 5);
  });
});
