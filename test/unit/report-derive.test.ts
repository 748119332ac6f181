import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/reports';
import { DEFAULT_WEIGHTS, gradeTeam, teamContext } from '../../src/scoring';
import { SCENARIOS, buildClusterConfig } from '../../src/sim/scenarios';
import type { SimEvent } from '../../src/sim/types';
import { Harness } from './sim/harness';
import { LAB_PLAYS, play } from './sim/lab-plays';

// The report rebuilds the final state from the stored log; on every preset (timeline played, then
// a forced split-brain, a skewed clock and a storage outage) its score and objectives must be
// those computed from the engine's exact final state.
function report(sc: (typeof SCENARIOS)[number], voteMode: 'auto' | 'human', events: SimEvent[], now: number) {
  const team = 'l-t1';
  return buildReport({
    lab: { id: 'l', code: 'ABCDEF', title: 't', scenarioId: sc.id, status: 'ended', optionsJson: JSON.stringify({ timing: 'course', voteMode }), createdAt: 0, startedAt: 0, endedAt: 1 },
    teams: [{ id: team, name: 'T1', idx: 1 }],
    seats: [],
    events: events.map((e) => ({ teamId: team, seq: e.seq, atMs: e.at, type: e.type, node: 'node' in e && typeof e.node === 'string' ? e.node : null, dataJson: JSON.stringify(e) })),
    clocks: { [team]: now },
    generatedAt: 0,
  });
}

describe('final state rebuilt from the log', () => {
  for (const sc of SCENARIOS)
    for (const voteMode of ['auto', 'human'] as const)
      it(`${sc.id} (${voteMode} votes): same grade and objectives as the live state`, () => {
        const h = new Harness(buildClusterConfig(sc, { timing: 'course', voteMode }));
        if (sc.cluster.qdevice && !sc.cluster.qdevice.configured) {
          h.advance(5_000);
          const r = h.input({ type: 'command', at: h.now, node: 'pve2', line: `pvecm qdevice setup ${sc.cluster.qdevice.ip}` });
          expect(r.command?.exitCode === 0 || !sc.cluster.qdevice.installed).toBe(true);
        }
        for (const f of sc.timeline) {
          h.advance(f.atMs - h.now);
          h.fault(f.fault);
        }
        h.advance(30_000);
        h.fault({ kind: 'isolate', node: 'pve1' });
        h.advance(12_000);
        h.input({ type: 'command', at: h.now, node: 'pve1', line: 'pvecm expected 1' });
        h.fault({ kind: 'clock-skew', node: 'pve2', skewMs: 30_000 });
        h.advance(40_000);
        h.fault({ kind: 'storage', up: false });
        h.advance(5_000);
        h.fault({ kind: 'heal' });
        h.advance(60_000);
        const r = report(sc, voteMode, h.events, h.now);
        const live = gradeTeam(
          teamContext({ scenario: sc, timing: 'course', voteMode, seed: 'l', events: h.events, seatLog: [], final: h.s, endMs: h.now, roster: [], weights: { ...DEFAULT_WEIGHTS } }),
          [],
        );
        expect(r.teams[0]!.grade).toEqual(live.grade);
        expect(r.teams[0]!.lines.map((l) => [l.part, l.kind, l.points, l.seq])).toEqual(live.lines.map((l) => [l.part, l.kind, l.points, l.seq]));
        expect(r.teams[0]!.objectives.map((o) => [o.id, o.met, o.evidenceSeq])).toEqual(live.context.objectives.map((o) => [o.objective.id, o.met, o.evidenceSeq]));
      });
});

describe('the scripted plays of the issue-13 presets, rebuilt from the log', () => {
  // The network-design fix is an edit of corosync.conf: the report must see the links it added
  // (corosync-link-at-end reads them), not the scenario's link0 alone.
  for (const [id, script] of Object.entries(LAB_PLAYS))
    it(`${id}: the report's objectives are the live ones`, () => {
      const r0 = play(id, 600_000, script);
      const r = report(r0.sc, 'auto', r0.events, r0.s.now);
      const met = r.teams[0]!.objectives.filter((o) => o.met).map((o) => o.id);
      expect(met.sort()).toEqual([...r0.met].sort());
      if (id === 'network-design') expect(met).toContain('link1');
    });
});
