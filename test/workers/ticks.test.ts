// The room's clock: a steady cluster sleeps up to its horizon (src/sim/deadline.ts) between ticks and one tick
// covers them all (heartbeats heard at that time: no heartbeat-lost); an input that sets the
// cluster in motion brings the next tick back to one period; the clock re-arms from its deadline.
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { MAX_STEADY_TICKS } from '../../src/rooms/cluster-types';
import { steadyHorizonMs } from '../../src/sim/deadline';
import { clusterStub, createLab, join, openSocket, simState, teacher, ticks, type Lab } from './helpers';

type RoomInternals = { lastTickWall: number; plannedTicks: number };
const internals = (lab: Lab) => runInDurableObject(clusterStub(lab), (room) => ({ ...(room as unknown as RoomInternals) }));

/** Alice, Bruno and Chloé take pve1–pve3 and their sockets are welcomed. */
async function seatThree(lab: Lab) {
  const seated = [];
  for (const name of ['Alice', 'Bruno', 'Chloé']) {
    const j = await join(lab, name);
    const ws = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    await ws.waitFor((m) => m.type === 'welcome', 'welcome');
    seated.push({ ws, token: j.token });
  }
  return seated;
}

describe('room clock', () => {
  it('sleeps while the cluster is steady, covers the slept ticks in one, and wakes at once on a fault', { timeout: 60_000 }, async () => {
    const lab = await createLab({ scenario: 'three-node-power-loss', timeline: false });
    const students = (await seatThree(lab)).map((s) => s.ws);
    expect((await teacher(lab, 'start')).status).toBe(200);
    // The preset's cluster was running before the lab: its CRM is ready, nothing is in motion.
    await ticks(lab, 2, students);
    const planned = await internals(lab);
    const st = await simState(lab);
    const jump = Math.min(MAX_STEADY_TICKS, steadyHorizonMs(st.sim!.config.timing) / 1000);
    expect(jump).toBe(9); // course profile: a 10 s timeout less one tick
    expect(planned.plannedTicks).toBe(jump);
    expect(st.deadlines.tick! - planned.lastTickWall).toBeGreaterThanOrEqual((jump - 1) * 1000);

    // Nine seconds "pass": the alarm fires on time and covers nine sim ticks at once, without a
    // heartbeat-lost.
    await runInDurableObject(clusterStub(lab), (room) => {
      (room as unknown as { deadlines: Record<string, number> }).deadlines.tick = Date.now();
    });
    for (const s of students) s.send({ type: 'heartbeat' });
    await new Promise((r) => setTimeout(r, 5));
    await runDurableObjectAlarm(clusterStub(lab));
    const after = await simState(lab);
    expect(after.sim!.now).toBe(st.sim!.now + jump * 1000);
    const events = await clusterStub(lab).getEvents(st.sim!.seq);
    expect(events.filter((e) => e.type === 'heartbeat-lost' || e.type === 'node-dead')).toEqual([]);

    // A fault sets the cluster in motion: the next tick is one period away again.
    expect((await teacher(lab, 'faults', { fault: { kind: 'power', node: 'pve3', action: 'off' } })).status).toBe(200);
    const moving = await internals(lab);
    expect(moving.plannedTicks).toBe(1);
    expect((await simState(lab)).deadlines.tick! - Date.now()).toBeLessThanOrEqual(1000);
    await ticks(lab, 12, students.slice(0, 2));
    const end = await simState(lab);
    expect(end.sim!.partitions).toEqual([['pve1', 'pve2']]);
    for (const s of students) s.close();
  });

  it('an input in the middle of a steady jump lands at its own time: the ticks already due run first', { timeout: 60_000 }, async () => {
    const lab = await createLab({ scenario: 'three-node-power-loss', timeline: false });
    const students = (await seatThree(lab)).map((s) => s.ws);
    expect((await teacher(lab, 'start')).status).toBe(200);
    await ticks(lab, 2, students);
    expect((await internals(lab)).plannedTicks).toBe(9);
    const st = await simState(lab);
    // 3.5 s of the 9 s jump have passed when the teacher cuts pve3's power.
    await runInDurableObject(clusterStub(lab), (room) => {
      (room as unknown as RoomInternals).lastTickWall = Date.now() - 3500;
    });
    for (const s of students) s.send({ type: 'heartbeat' });
    await new Promise((r) => setTimeout(r, 5));
    expect((await teacher(lab, 'faults', { fault: { kind: 'power', node: 'pve3', action: 'off' } })).status).toBe(200);
    const after = await simState(lab);
    expect(after.sim!.now).toBe(st.sim!.now + 3000);
    const events = await clusterStub(lab).getEvents(st.sim!.seq);
    expect(events.find((e) => e.type === 'fault-applied')!.at).toBe(st.sim!.now + 3000);
    expect(events.filter((e) => e.type === 'heartbeat-lost' || e.type === 'node-dead')).toEqual([]);
    const moving = await internals(lab);
    expect(moving.plannedTicks).toBe(1);
    expect(moving.lastTickWall).toBeGreaterThan(Date.now() - 1000); // the wall grid moved with the clock
    for (const s of students) s.close();
  });

  it('a socket that drops during a steady jump is credited at the last tick it was heard: no heartbeat-lost for a blip', { timeout: 60_000 }, async () => {
    const lab = await createLab({ scenario: 'three-node-power-loss', timeline: false });
    const students = await seatThree(lab);
    expect((await teacher(lab, 'start')).status).toBe(200);
    await ticks(lab, 2, students.map((s) => s.ws));
    const jump = (await internals(lab)).plannedTicks;
    expect(jump).toBe(9);
    const st = await simState(lab);
    // Eight and a half seconds of the jump "pass" (the last tick's wall time is moved back), then
    // Chloé's Wi-Fi drops: her socket closes just before the alarm.
    await runInDurableObject(clusterStub(lab), (room) => {
      const r = room as unknown as { lastTickWall: number; deadlines: Record<string, number> };
      r.lastTickWall = Date.now() - 8500;
      r.deadlines.tick = Date.now();
    });
    for (const s of students.slice(0, 2)) s.ws.send({ type: 'heartbeat' });
    students[2]!.ws.close();
    await new Promise((r) => setTimeout(r, 20));
    await runDurableObjectAlarm(clusterStub(lab));
    const after = await simState(lab);
    expect(after.sim!.now).toBe(st.sim!.now + jump * 1000);
    // Heard at the seventh tick of nine (two before the end at the latest): two seconds unheard,
    // not nine, and not yet missing.
    expect(after.sim!.nodes.pve1!.heard.pve3).toBe(st.sim!.now + 7000);
    const events = await clusterStub(lab).getEvents(st.sim!.seq);
    expect(events.filter((e) => e.type === 'heartbeat-lost' || e.type === 'node-dead')).toEqual([]);
    // Not heard now: the engine's next deadline is the next tick, at which she would be missing.
    expect((await internals(lab)).plannedTicks).toBe(1);
    // She is back within the second: the next ticks hear her, nothing was lost.
    const back = await openSocket(`/ws/labs/${lab.code}/student?token=${students[2]!.token}`);
    await back.waitFor((m) => m.type === 'welcome', 'welcome');
    await ticks(lab, 3, [students[0]!.ws, students[1]!.ws, back]);
    const later = await clusterStub(lab).getEvents(st.sim!.seq);
    expect(later.filter((e) => e.type === 'heartbeat-lost' || e.type === 'node-dead' || e.type === 'membership-changed')).toEqual([]);
    for (const s of [students[0]!.ws, students[1]!.ws, back]) s.close();
  });
});
