// The dry run of a scenario (src/reports/dry-run.ts): autopilot alone, the timeline at its times.
import { describe, expect, it } from 'vitest';
import { DRY_RUN_MAX_MS, DRY_RUN_TAIL_MS, dryRun, dryRunEnd } from '../../src/reports/dry-run';
import { SCENARIOS, getScenario } from '../../src/sim/scenarios';

describe('dry run', () => {
  it.each(SCENARIOS.map((s) => [s.id]))('%s: runs to 2 minutes after its last fault or checkpoint, every objective judged', (id) => {
    const s = getScenario(id)!;
    const r = dryRun(s, { timing: 'course', voteMode: 'auto' });
    expect(r.endMs).toBe(Math.max(...s.timeline.map((t) => t.atMs), ...s.checkpoints.map((c) => c.atMs)) + DRY_RUN_TAIL_MS);
    expect(r.objectives.map((o) => o.id)).toEqual(s.objectives.map((o) => o.id));
    expect(r.pointsMax).toBe(s.objectives.reduce((n, o) => n + o.points, 0));
    expect(r.pointsMet).toBe(r.objectives.filter((o) => o.met).reduce((n, o) => n + o.points, 0));
    expect(r.moments.map((m) => m.at)).toEqual([...r.moments.map((m) => m.at)].sort((a, b) => a - b));
    // Every scheduled fault shows among the key moments, with its sentence in both languages.
    expect(r.moments.filter((m) => m.type === 'fault-applied').map((m) => m.at)).toEqual(s.timeline.map((t) => t.atMs));
    for (const m of r.moments) expect(m.text.fr && m.text.en).toBeTruthy();
    expect(r.final.nodes.map((n) => n.name)).toEqual(s.cluster.nodes.map((n) => n.name));
  });

  it('shows what autopilot alone leaves undone: nobody enables maintenance, so the VMs stay on pve2 for the reboot', () => {
    const r = dryRun(getScenario('planned-maintenance')!, { timing: 'course', voteMode: 'auto' });
    const met = Object.fromEntries(r.objectives.map((o) => [o.id, o.met]));
    expect(met['maintenance-on']).toBe(false);
    expect(met['db01-moved']).toBe(false);
    expect(met['no-split-brain']).toBe(true);
    expect(r.moments.some((m) => m.type === 'node-power' && m.at >= 300_000)).toBe(true);
    expect(r.availability).toBeLessThan(1);
  });

  it('a met objective carries its evidence; a scenario that runs for hours stops at the cap', () => {
    const r = dryRun(getScenario('three-node-power-loss')!, { timing: 'course', voteMode: 'auto' });
    const rec = r.objectives.find((o) => o.id === 'recovered-102')!;
    expect(rec.met).toBe(true);
    expect(rec.evidence!.at).toBeGreaterThan(60_000);
    const long = structuredClone(getScenario('clock-skew')!);
    long.timeline.push({ atMs: 7 * 3_600_000, fault: { kind: 'heal' }, note: { fr: 'x', en: 'x' } });
    expect(dryRunEnd(long)).toBe(DRY_RUN_MAX_MS);
  });
});
