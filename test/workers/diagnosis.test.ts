import { describe, expect, it } from 'vitest';
import { faultTruth } from '../../src/sim/drills';
import { getScenario } from '../../src/sim/scenarios';
import type { Fault } from '../../src/sim/types';
import { call, clusterStub, createLab, join, openSocket, simState, teacher, ticks, type Client } from './helpers';

// Incident drills and diagnosis mode over real sockets, Durable Objects and D1: each team draws
// its fault (recorded in the log), the students submit a diagnosis (once), the lab ends, and the
// grade, the student's own result and the report all count it.
const scenario = getScenario('three-node-power-loss')!;

async function drawnFault(lab: { code: string }, team: number): Promise<Fault> {
  const events = (await clusterStub(lab as never, team).getEvents(0, 1000)) as any[];
  const d = events.find((e) => e.type === 'drill-drawn');
  expect(d, `team ${team} drill-drawn`).toBeDefined();
  return d.fault as Fault;
}

describe('incident drill, end to end', () => {
  it('draws a different fault per team, takes one diagnosis per seat, grades it in the result and the report', async () => {
    const lab = await createLab({ scenario: scenario.id, teams: 2, drill: 'power' });
    const a = await join(lab, 'Alice', 1);
    const b = await join(lab, 'Bruno', 1);
    const f1 = await drawnFault(lab, 1);
    const f2 = await drawnFault(lab, 2);
    expect(JSON.stringify(f1)).not.toBe(JSON.stringify(f2));
    expect(['power']).toContain(f1.kind);
    const st = await simState(lab);
    expect(st.meta!.settings).toMatchObject({ diagnosis: true, drill: 'power' });
    // The drill replaces the scenario's timeline: one fault, in the drill window.
    expect(st.sim!.timeline!.faults).toHaveLength(1);

    const ca = await openSocket(`/ws/labs/${lab.code}/student?token=${a.token}`);
    const cb = await openSocket(`/ws/labs/${lab.code}/student?token=${b.token}`);
    for (const c of [ca, cb]) await c.waitFor((m) => m.type === 'welcome', 'welcome');
    // Nobody is told the drawn fault.
    for (const c of [ca, cb]) expect(c.messages.some((m) => m.type === 'event' && m.event.type === 'drill-drawn')).toBe(false);
    expect((await teacher(lab, 'start')).status).toBe(200);
    const at = st.sim!.timeline!.faults[0]!.atMs;
    const live: Client[] = [ca, cb];
    while ((await simState(lab)).sim!.now < at + 2000) await ticks(lab, 1, live);

    const truth = faultTruth(f1)!;
    const tws = await openSocket(`/ws/labs/${lab.code}/teacher?secret=${lab.secret}`);
    ca.send({ type: 'diagnosis', cause: truth.cause, nodes: truth.nodes, rule: truth.rules[0] });
    const echo = await ca.waitFor((m) => m.type === 'diagnosis', 'diagnosis stored');
    expect(echo.diagnosis).toEqual({ cause: truth.cause, nodes: truth.nodes, rule: truth.rules[0] });
    // The teacher's feed gets it as it arrives.
    await tws.waitFor((m) => m.type === 'event' && m.event.type === 'diagnosis' && m.event.seatId === a.seat.seatId, 'teacher sees the diagnosis');
    // Once per seat; a node that is not in the cluster is refused; the room keeps running.
    ca.send({ type: 'diagnosis', cause: 'storage-down', nodes: [], rule: 'storage' });
    expect((await ca.waitFor((m) => m.type === 'error' && m.code === 'already_diagnosed', 'second refused')).code).toBe('already_diagnosed');
    cb.send({ type: 'diagnosis', cause: 'qnetd-down', nodes: ['pve9'], rule: 'qdevice' });
    await cb.waitFor((m) => m.type === 'error' && m.code === 'bad_fields', 'unknown node refused');
    cb.send({ type: 'diagnosis', cause: 'clock-skew', nodes: [], rule: 'clock' });
    await cb.waitFor((m) => m.type === 'diagnosis', 'wrong diagnosis stored');
    cb.send({ type: 'diagnosis', cause: 'nope' });
    await cb.waitFor((m) => m.type === 'error' && m.code === 'bad_fields', 'bad frame refused');
    await ticks(lab, 1, live);

    // Results are for after the end.
    expect((await call(`/api/labs/${lab.code}/me/result`, { bearer: a.token })).status).toBe(409);
    expect((await teacher(lab, 'end')).status).toBe(200);
    expect((await call(`/api/labs/${lab.code}/me/result`, { bearer: 'not-a-token' })).status).toBe(401);
    const ra = (await call(`/api/labs/${lab.code}/me/result`, { bearer: a.token })).body;
    const rb = (await call(`/api/labs/${lab.code}/me/result`, { bearer: b.token })).body;
    expect(ra.diagnoses).toHaveLength(1);
    expect(ra.diagnoses[0].right).toBe(4);
    expect(rb.diagnoses[0].right).toBeLessThan(2);
    expect(ra.lines.find((l: any) => l.kind === 'diagnosis').points).toBeGreaterThan(0);
    expect(ra.grade.parts.competence).toBeGreaterThan(rb.grade.parts.competence);
    expect(ra.rank.of).toBe(2);
    expect(ra.drill.family).toBe('power');

    // The teacher's report: the team's diagnoses and drawn fault; the student's page too.
    const rep = (await call(`/api/labs/${lab.code}/report.json`, { bearer: lab.secret })).body;
    const t1 = rep.teams.find((t: any) => t.index === 1);
    expect(t1.diagnoses.map((d: any) => d.right).sort()).toEqual([rb.diagnoses[0].right, 4].sort());
    expect(t1.drill).toMatchObject({ family: 'power' });
    expect(rep.teams.find((t: any) => t.index === 2).drill.family).toBe('power');
    const page = await call(`/api/labs/${lab.code}/me/report?t=${encodeURIComponent(a.token)}&lang=en`);
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('Diagnoses');
    expect(String(page.body)).toContain('4/4');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('refuses a drill the scenario cannot play, and a diagnosis outside diagnosis mode', async () => {
    const r = await call('/api/labs', { json: { scenario: 'three-node-power-loss', drill: 'qdevice' }, bearer: 'test-teacher-key' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bad_drill');
    const lab = await createLab({ scenario: scenario.id, timeline: false });
    const j = await join(lab, 'Alice');
    const c = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    await c.waitFor((m) => m.type === 'welcome');
    expect((await teacher(lab, 'start')).status).toBe(200);
    c.send({ type: 'diagnosis', cause: 'power-loss', nodes: ['pve1'], rule: 'fencing' });
    await c.waitFor((m) => m.type === 'error' && m.code === 'not_diagnosis', 'not in diagnosis mode');
  });

  it('timeline off: no checkpoint opens by the clock; the teacher opens them', async () => {
    const lab = await createLab({ scenario: scenario.id, timeline: false });
    const j = await join(lab, 'Alice');
    const c = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    await c.waitFor((m) => m.type === 'welcome');
    expect((await teacher(lab, 'start')).status).toBe(200);
    const last = scenario.checkpoints.at(-1)!;
    while ((await simState(lab)).sim!.now < last.atMs + 2000) await ticks(lab, 1); // (no heartbeats: the frame budget)
    expect((await simState(lab)).meta!.checkpoint ?? null).toBeNull();
    expect(c.of('checkpoint')).toHaveLength(0);
    expect((await teacher(lab, 'checkpoint', { action: 'open' })).status).toBe(200);
    expect((await c.waitFor((m) => m.type === 'checkpoint', 'opened by the teacher')).checkpoint.id).toBe(scenario.checkpoints[0]!.id);
  });
});
