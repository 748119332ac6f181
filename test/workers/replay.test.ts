// Replays are rebuilt with the live room's own rules: for every preset scenario, a lab played to the
// end (timeline on, a student heartbeating and typing a command, a teacher fault and heal), then the
// input log — from the room and from D1 — re-run through createCluster + step must end in exactly
// the live final state.
import { env } from 'cloudflare:workers';
import { runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/sim/scenarios';
import { rerun } from '../../src/reports/rerun';
import { teamInputsPage } from '../../src/db/inputs';
import type { InputLogRow } from '../../src/reports/rerun';
import { clusterStub, createLab, join, openSocket, simState, teacher, type Lab } from './helpers';

/** Runs the room's alarm until its sim clock reaches `untilMs` (about one alarm per tick). A
 * scenario checkpoint that pauses the cluster is closed by the teacher (nobody answers here). */
async function playUntil(lab: Lab, untilMs: number, each?: () => void): Promise<void> {
  let stuck = 0;
  let before = -1;
  for (let i = 0; ; i++) {
    each?.();
    await new Promise((r) => setTimeout(r, 1));
    if (!(await runDurableObjectAlarm(clusterStub(lab)))) throw new Error('no alarm scheduled');
    if (i % 10 !== 9) continue;
    const { sim, meta } = await simState(lab);
    if (sim!.now >= untilMs) return;
    if (meta!.checkpoint) expect((await teacher(lab, 'checkpoint', { action: 'close' })).status).toBe(200);
    stuck = sim!.now === before ? stuck + 1 : 0;
    before = sim!.now;
    if (stuck > 3) throw new Error(`the sim clock does not advance (t=${sim!.now})`);
  }
}

describe('replay = live', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.id}: the re-run input log ends in the live final state`, { timeout: 120_000 }, async () => {
      const lab = await createLab({ scenario: scenario.id, timeline: true, teams: 1 });
      const seat = await join(lab, 'Alice', 1);
      const ws = await openSocket(`/ws/labs/${lab.code}/student?token=${seat.token}`);
      await ws.waitFor((m) => m.type === 'welcome', 'welcome');
      expect((await teacher(lab, 'start')).status).toBe(200);
      const last = Math.max(0, ...scenario.timeline.map((f) => f.atMs));
      const nodes = (await simState(lab)).sim!.config.nodes.map((n) => n.name);
      // The student's browser heartbeats for a while, types a command, then goes silent.
      await playUntil(lab, 20_000, () => ws.send({ type: 'heartbeat' }));
      ws.send({ type: 'command', line: 'pvecm status' });
      await ws.waitFor((m) => m.type === 'output', 'output');
      ws.close();
      expect((await teacher(lab, 'faults', { fault: { kind: 'isolate', node: nodes.at(-1) } })).status).toBe(200);
      await playUntil(lab, 40_000);
      expect((await teacher(lab, 'heal')).status).toBe(200);
      await playUntil(lab, last + 30_000);
      expect((await teacher(lab, 'end')).status).toBe(200);

      const live = (await simState(lab)).sim!;
      const fromRoom = (await clusterStub(lab).getInputs()).map((r) => r.row as InputLogRow);
      // Compact: one row per tick at most, plus the other inputs (never one per heartbeat).
      const tickRows = fromRoom.filter((r) => 'input' in r && r.input?.type === 'tick').length;
      expect(tickRows).toBeGreaterThanOrEqual(live.now / 1000 - 1);
      // (the few others: create, schedule, set-auto, the command, the fault, the heal, saves between inputs)
      expect(fromRoom.length).toBeLessThan(tickRows + 15);
      expect(fromRoom.some((r) => 'hb' in r && r.hb?.includes(seat.seat.node))).toBe(true);
      expect(structuredClone(rerun(fromRoom))).toEqual(live);
      // The same log, flushed to D1 when the lab ended.
      const d1 = await teamInputsPage(env.DB, lab.labId, (await simState(lab)).meta!.teamId, -1, 100_000);
      expect(d1.map((r) => JSON.parse(r.dataJson))).toEqual(fromRoom);
    });
  }
});
