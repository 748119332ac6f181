// Issue 10 on the server: the instructor key opens any lab (a key-derived lab secret, accepted
// everywhere the lab's own secret is), a reloaded student page gets its terminal and journal back
// in `welcome`, and the teacher snapshot says whose browser is still there.
import { describe, expect, it } from 'vitest';
import { call, createLab, join, openSocket, teacher, ticks, TEACHER_KEY, type Client, type Lab } from './helpers';

describe('teacher control from anywhere', () => {
  it('the instructor key gives a lab secret that drives the lab, its socket and its reports; the old secret keeps working', async () => {
    const lab = await createLab({ scenario: 'three-node-power-loss', timeline: false });
    expect((await call(`/api/labs/${lab.code}/teacher-link`)).status).toBe(401);
    expect((await call(`/api/labs/${lab.code}/teacher-link`, { bearer: 'not-the-key' })).status).toBe(401);
    expect((await call(`/api/labs/ABCDEF/teacher-link`, { bearer: TEACHER_KEY })).status).toBe(404);
    const link = await call(`/api/labs/${lab.code}/teacher-link`, { bearer: TEACHER_KEY });
    expect(link.status).toBe(200);
    const secret = link.body.teacherSecret as string;
    expect(secret).not.toBe(lab.secret);
    expect(link.body.teacherUrl).toBe(`https://quorum-lab.test/teacher.html?code=${lab.code}#secret=${secret}`);
    // Stable: asking again gives the same secret (a link handed out earlier keeps working).
    expect((await call(`/api/labs/${lab.code}/teacher-link`, { bearer: TEACHER_KEY })).body.teacherSecret).toBe(secret);

    const asKey = { ...lab, secret };
    expect((await teacher(asKey, 'start')).status).toBe(200);
    expect((await call(`/api/labs/${lab.code}/teacher/roster`, { bearer: secret })).status).toBe(200);
    const ws = await openSocket(`/ws/labs/${lab.code}/teacher?team=1&secret=${encodeURIComponent(secret)}`);
    await ws.waitFor((m) => m.type === 'snapshot', 'snapshot');
    ws.close();
    expect((await teacher(lab, 'pause')).status).toBe(200); // the creation secret still works
    expect((await teacher(asKey, 'end')).status).toBe(200);
    expect((await call(`/api/labs/${lab.code}/report.json?secret=${encodeURIComponent(secret)}`)).status).toBe(200);

    // A derived secret is good for its own lab only, and a forged one is refused.
    const other = await createLab({ scenario: 'three-node-power-loss', timeline: false });
    expect((await call(`/api/labs/${other.code}/teacher/roster`, { bearer: secret })).status).toBe(401);
    expect((await call(`/api/labs/${lab.code}/teacher/roster`, { bearer: `k.${'A'.repeat(43)}` })).status).toBe(401);
    const refused = await openSocket(`/ws/labs/${other.code}/teacher?team=1&secret=${encodeURIComponent(secret)}`);
    expect((await refused.waitClosed()).code).toBe(1008);
  });

  it('says where students reach the server (no PUBLIC_ORIGIN in tests)', async () => {
    expect((await call('/api/config')).body).toEqual({ publicOrigin: null });
  });
});

/** Starts the lab; the student runs `pvecm status`; pve3 loses power; 15 ticks. */
async function playUntilPve3IsDown(lab: Lab, student: Client): Promise<void> {
  expect((await teacher(lab, 'start')).status).toBe(200);
  await ticks(lab, 2, [student]);
  student.send({ type: 'command', line: 'pvecm status', id: 1 });
  await student.waitFor((m) => m.type === 'output' && m.id === 1, 'output');
  expect((await teacher(lab, 'faults', { fault: { kind: 'power', node: 'pve3', action: 'off' } })).status).toBe(200);
  await ticks(lab, 15, [student]);
}

describe('a reload loses nothing', () => {
  it('welcome brings back the seat’s terminal and journal; the teacher sees who left', async () => {
    const lab = await createLab({ scenario: 'three-node-power-loss', timeline: false });
    const j = await join(lab, 'Ana');
    const first = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    const welcome = await first.waitFor((m) => m.type === 'welcome', 'welcome');
    expect(welcome.backlog).toEqual({ terminal: [], journal: [] });
    const tws = await openSocket(`/ws/labs/${lab.code}/teacher?team=1&secret=${encodeURIComponent(lab.secret)}`);
    const snap = await tws.waitFor((m) => m.type === 'snapshot', 'snapshot');
    expect(snap.snapshot.presence[j.seat.node]).toMatchObject({ online: true });
    await playUntilPve3IsDown(lab, first);
    const seen = first.of('event').map((m) => m.event.seq);
    expect(seen.length).toBeGreaterThan(0);

    // The tab goes away: the teacher's next snapshot says so.
    tws.messages.length = 0;
    first.close();
    const gone = await tws.waitFor((m) => m.type === 'snapshot' && m.snapshot.presence[j.seat.node]?.online === false, 'offline presence');
    expect(gone.snapshot.presence[j.seat.node].agoMs).toBeGreaterThanOrEqual(0);

    // The reloaded page: its command with its output, and the events it had been sent.
    const again = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    const back = await again.waitFor((m) => m.type === 'welcome', 'welcome');
    expect(back.backlog.terminal).toHaveLength(1);
    expect(back.backlog.terminal[0]).toMatchObject({ line: 'pvecm status', exitCode: 0 });
    expect(back.backlog.terminal[0].output).toContain('Quorum information');
    expect(back.backlog.journal.map((e: { seq: number }) => e.seq)).toEqual(seen.slice(-40));
    // Another seat has its own terminal.
    const other = await join(lab, 'Bo');
    const ows = await openSocket(`/ws/labs/${lab.code}/student?token=${other.token}`);
    expect((await ows.waitFor((m) => m.type === 'welcome', 'welcome')).backlog.terminal).toEqual([]);
    again.close();
    ows.close();
    tws.close();
  });

  it('a reconnecting page (resume=<team>.<last seq>) gets only the events after its last one, and no terminal', async () => {
    const lab = await createLab({ scenario: 'three-node-power-loss', timeline: false });
    const j = await join(lab, 'Ana');
    const first = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    await first.waitFor((m) => m.type === 'welcome', 'welcome');
    await playUntilPve3IsDown(lab, first);
    const seen = first.of('event').map((m) => m.event.seq as number);
    const mid = seen[Math.floor(seen.length / 2)]!;
    first.close();
    // While it was away, more happened.
    expect((await teacher(lab, 'faults', { fault: { kind: 'power', node: 'pve3', action: 'on' } })).status).toBe(200);
    await ticks(lab, 15);
    const full = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    const all = (await full.waitFor((m) => m.type === 'welcome', 'welcome')).backlog;
    full.close();
    const seqs = all.journal.map((e: { seq: number }) => e.seq);
    expect(seqs.filter((q: number) => q > seen.at(-1)!).length).toBeGreaterThan(0);
    expect(all.terminal).toHaveLength(1);

    const resumed = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}&resume=1.${mid}`);
    const back = (await resumed.waitFor((m) => m.type === 'welcome', 'welcome')).backlog;
    expect(back.journal.map((e: { seq: number }) => e.seq)).toEqual(seqs.filter((q: number) => q > mid));
    expect(back.terminal).toEqual([]);
    resumed.close();
    // A resume point from another team (the page was moved) or malformed: the whole backlog.
    for (const resume of ['2.' + mid, 'x', `1.${mid}.5`]) {
      const c = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}&resume=${resume}`);
      expect((await c.waitFor((m) => m.type === 'welcome', 'welcome')).backlog).toEqual(all);
      c.close();
    }
  });
});

describe('pulse mode is fair', () => {
  it('a resume counts as a fresh pulse: a student is not declared dead for the seconds before the pause', async () => {
    const lab = await createLab({ scenario: 'three-node-power-loss', timeline: false, heartbeatMode: 'pulse' });
    const j = await join(lab, 'Pia');
    const ws = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    await ws.waitFor((m) => m.type === 'welcome', 'welcome');
    expect((await teacher(lab, 'start')).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      ws.send({ type: 'pulse' });
      await ticks(lab, 1);
    }
    // 7 s without a pulse, then a pause: 3 s were left before the 10 s limit.
    await ticks(lab, 7);
    expect((await teacher(lab, 'pause')).status).toBe(200);
    expect((await teacher(lab, 'resume')).status).toBe(200);
    // The node's own socket never hears that its peers declared it dead (view.ts): ask the teacher's log.
    const declaredDead = async () =>
      ((await call(`/api/labs/${lab.code}/teacher/teams/1/events`, { bearer: lab.secret })).body.events as { type: string; node?: string }[]).some(
        (e) => e.type === 'node-dead' && e.node === j.seat.node,
      );
    await ticks(lab, 6);
    expect(await declaredDead()).toBe(false);
    // Without pulses the grace runs out like any silence.
    await ticks(lab, 8);
    expect(await declaredDead()).toBe(true);
    ws.close();
  });
});
