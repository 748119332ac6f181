import { env } from 'cloudflare:workers';
import { evictDurableObject, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/sim/scenarios';
import { call, clusterStub, createLab, join, openSocket, simState, teacher, ticks, TEACHER_KEY, type Client, type Lab } from './helpers';

// A 3-node scenario whose pve1 runs an HA guest on shared storage.
const scenario = SCENARIOS.find(
  (s) => s.cluster.nodes.length === 3 && !s.cluster.qdevice && s.cluster.vms.some((v) => v.ha && v.node === 'pve1' && v.storage === 'shared'),
)!;
const haVm = scenario.cluster.vms.find((v) => v.ha && v.node === 'pve1' && v.storage === 'shared')!;

async function labWithThree(): Promise<{ lab: Lab; students: { token: string; node: string; seatId: string; ws: Client }[] }> {
  const lab = await createLab({ scenario: scenario.id, timeline: false });
  const students = [];
  for (const name of ['Alice', 'Bruno', 'Chloé']) {
    const j = await join(lab, name);
    const ws = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    await ws.waitFor((m) => m.type === 'welcome', 'welcome');
    students.push({ token: j.token, node: j.seat.node, seatId: j.seat.seatId, ws });
  }
  expect((await teacher(lab, 'start')).status).toBe(200);
  return { lab, students };
}

describe('a whole lab over real sockets', () => {
  it('creates a lab, seats three students, isolates pve1, recovers its HA VM, and catches a forced split-brain', async () => {
    const { lab, students } = await labWithThree();
    expect(students.map((s) => s.node).sort()).toEqual(['pve1', 'pve2', 'pve3']);
    const byNode = Object.fromEntries(students.map((s) => [s.node, s]));
    const tws = await openSocket(`/ws/labs/${lab.code}/teacher?team=1&secret=${encodeURIComponent(lab.secret)}`);
    await tws.waitFor((m) => m.type === 'snapshot', 'teacher snapshot');

    // Heartbeats flow: after a few ticks everyone is quorate in one membership.
    await ticks(lab, 3, students.map((s) => s.ws));
    let st = await simState(lab);
    expect(st.sim!.partitions).toEqual([['pve1', 'pve2', 'pve3']]);
    expect(st.sim!.config.autoNodes).toEqual([]); // every seat is held by a student

    // The teacher isolates pve1.
    const f = await teacher(lab, 'faults', { fault: { kind: 'isolate', node: 'pve1' } });
    expect(f.status).toBe(200);
    await ticks(lab, 12, students.map((s) => s.ws));
    const pve1 = byNode.pve1!.ws;
    const v1 = await pve1.waitFor((m) => m.type === 'view' && m.view.quorate === false && m.view.members.length === 1, 'pve1 inquorate view');
    expect(v1.view.cfsWritable).toBe(false);
    for (const n of ['pve2', 'pve3']) {
      const v = byNode[n]!.ws.last('view');
      expect(v.view.quorate).toBe(true);
      expect(v.view.members).toEqual(['pve2', 'pve3']);
    }
    // pvecm status on pve1 says so, and /etc/pve is read-only there.
    pve1.send({ type: 'command', line: 'pvecm status', id: 1 });
    const out = await pve1.waitFor((m) => m.type === 'output' && m.id === 1, 'pvecm status output');
    expect(out.output).toMatch(/Quorate:\s+No/);
    expect(out.output).toMatch(/Activity blocked/);
    pve1.send({ type: 'command', line: 'ha-manager set vm:' + haVm.vmid + ' --state stopped', id: 2 });
    const ro = await pve1.waitFor((m) => m.type === 'output' && m.id === 2, 'refused write');
    expect(ro.exitCode).not.toBe(0);
    expect(ro.output).toMatch(/no quorum/);

    // Force a split-brain before pve1's watchdog fires: pvecm expected 1 on the isolated node.
    pve1.send({ type: 'command', line: 'pvecm expected 1', id: 3 });
    const exp = await pve1.waitFor((m) => m.type === 'output' && m.id === 3, 'expected output');
    expect(exp.exitCode).toBe(0);
    const sb = await tws.waitFor((m) => m.type === 'event' && m.event.type === 'split-brain-started', 'split-brain event');
    expect(sb.event.cause).toMatch(/expected 1/);
    expect(sb.event.cause).toMatch(/pve1/);

    // The HA VM of pve1 is recovered on the quorate side after the fence delay.
    await ticks(lab, 35, students.map((s) => s.ws));
    st = await simState(lab);
    const running = st.sim!.vms[String(haVm.vmid)]!.runningOn;
    expect(running.some((n) => n === 'pve2' || n === 'pve3')).toBe(true);
    const events = await clusterStub(lab).getEvents(0);
    expect(events.some((e) => e.type === 'recovered' && e.vmid === haVm.vmid)).toBe(true);
    for (const s of students) s.ws.close();
    tws.close();
  });

  it('gives the same seat back on reconnect, even after the objects were evicted, and loses nothing', async () => {
    const { lab, students } = await labWithThree();
    await ticks(lab, 3, students.map((s) => s.ws));
    await teacher(lab, 'faults', { fault: { kind: 'power', node: 'pve3', action: 'off' } });
    await ticks(lab, 2, students.map((s) => s.ws));
    const before = await clusterStub(lab).getEvents(0);
    const stateBefore = await simState(lab);
    expect(before.length).toBeGreaterThan(0);

    await evictDurableObject(clusterStub(lab));
    await evictDurableObject(env.LAB.getByName(lab.code));

    const after = await clusterStub(lab).getEvents(0);
    expect(after).toEqual(before);
    const stateAfter = await simState(lab);
    expect(stateAfter.sim).toEqual(stateBefore.sim);
    expect(stateAfter.meta!.status).toBe('running');
    // The tick deadline survived: the alarm still advances the sim.
    await ticks(lab, 12, students.map((s) => s.ws));
    const later = await simState(lab);
    expect(later.sim!.now).toBe(stateBefore.sim!.now + 12_000);
    expect(later.sim!.partitions).toEqual([['pve1', 'pve2']]);

    // The sockets opened before the eviction were hibernated, not dropped: they still talk.
    students[1]!.ws.send({ type: 'command', line: 'hostname', id: 42 });
    const answer = await students[1]!.ws.waitFor((m) => m.type === 'output' && m.id === 42, 'output after eviction');
    expect(answer.output.trim()).toBe(students[1]!.node);

    // Reconnect with the same token: same seat, fresh view.
    const again = await openSocket(`/ws/labs/${lab.code}/student?token=${students[0]!.token}`);
    const w = await again.waitFor((m) => m.type === 'welcome', 'welcome');
    expect(w.seat.seatId).toBe(students[0]!.seatId);
    expect(w.seat.node).toBe(students[0]!.node);
    await again.waitFor((m) => m.type === 'view', 'view');
    const me = await call(`/api/labs/${lab.code}/me`, { bearer: students[0]!.token });
    expect(me.body.seat.seatId).toBe(students[0]!.seatId);
    again.close();
    for (const s of students) s.ws.close();
  });

  it('answers bad frames with errors, closes floods with 1008, and keeps the room running', async () => {
    const { lab, students } = await labWithThree();
    const ws = students[0]!.ws;
    ws.send('not json');
    await ws.waitFor((m) => m.type === 'error' && m.code === 'bad_json', 'bad_json');
    ws.send({ type: 'warp-drive' });
    await ws.waitFor((m) => m.type === 'error' && m.code === 'unknown_type', 'unknown_type');
    ws.send({ type: 'vote', voteId: 'x', yes: 'maybe' });
    await ws.waitFor((m) => m.type === 'error' && m.code === 'bad_fields', 'bad_fields');
    ws.send({ type: 'fault', fault: { kind: 'heal' } });
    await ws.waitFor((m) => m.type === 'error' && m.code === 'forbidden', 'forbidden teacher frame');
    ws.send({ type: 'vote', voteId: 999, yes: true });
    await ws.waitFor((m) => m.type === 'error' && m.code === 'vote_closed', 'vote_closed');

    // An oversize frame: error then close 1009.
    const big = await openSocket(`/ws/labs/${lab.code}/student?token=${students[1]!.token}`);
    big.send({ type: 'command', line: 'x'.repeat(5000) });
    await big.waitFor((m) => m.type === 'error' && m.code === 'frame_too_big', 'frame_too_big');
    expect((await big.waitClosed()).code).toBe(1009);

    // A flood: rate-limit errors, then 1008.
    const flood = await openSocket(`/ws/labs/${lab.code}/student?token=${students[2]!.token}`);
    for (let i = 0; i < 80; i++) flood.send({ type: 'command', line: 'hostname' });
    await flood.waitFor((m) => m.type === 'error' && m.code === 'rate_limited', 'rate_limited');
    expect((await flood.waitClosed()).code).toBe(1008);

    // The room still runs and the first student still gets answers.
    await ticks(lab, 2, [students[0]!.ws]);
    ws.send({ type: 'command', line: 'hostname', id: 9 });
    const out = await ws.waitFor((m) => m.type === 'output' && m.id === 9, 'hostname output');
    expect(out.output.trim()).toBe(students[0]!.node);
    for (const s of students) s.ws.close();
  });

  it('refuses wrong tokens and teacher actions from students', async () => {
    const { lab, students } = await labWithThree();
    const bad = await openSocket(`/ws/labs/${lab.code}/student?token=nope`);
    const closed = await bad.waitClosed();
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/token/);
    expect((await call(`/ws/labs/${lab.code}/student?token=nope`)).status).toBe(401);
    // A student token is not a teacher secret.
    const r = await teacher({ ...lab, secret: students[0]!.token }, 'end');
    expect(r.status).toBe(401);
    const tws = await openSocket(`/ws/labs/${lab.code}/teacher?team=1&secret=${students[0]!.token}`);
    expect((await tws.waitClosed()).code).toBe(1008);
    // Lab creation needs the instructor key.
    expect((await call('/api/labs', { json: { scenario: scenario.id }, bearer: 'wrong' })).status).toBe(401);
    expect((await call('/api/labs', { json: { scenario: scenario.id } })).status).toBe(401);

    // Bad teacher bodies: a clear 400, nothing applied.
    const unknownNode = await teacher(lab, 'faults', { fault: { kind: 'isolate', node: 'pve9' } });
    expect(unknownNode.status).toBe(400);
    expect(unknownNode.body.error.code).toBe('unknown_node');
    expect((await teacher(lab, 'faults', { fault: { kind: 'meteor' } })).status).toBe(400);
    expect((await teacher(lab, 'faults', { fault: { kind: 'link-quality', a: 'pve1', b: 'pve2', loss: 7, latencyMs: 0 } })).status).toBe(400);
    expect((await teacher(lab, 'faults', { team: 9, fault: { kind: 'heal' } })).status).toBe(400);
    expect((await teacher(lab, 'kick', { seatId: 'nobody' })).status).toBe(404);
    expect((await clusterStub(lab).getEvents(0)).filter((e) => e.type === 'fault-applied')).toEqual([]);

    // Kicked: token revoked, socket closed with a reason, seat back on autopilot.
    const k = await teacher(lab, 'kick', { seatId: students[1]!.seatId });
    expect(k.status).toBe(200);
    const c = await students[1]!.ws.waitClosed();
    expect(c.code).toBe(1008);
    expect((await call(`/api/labs/${lab.code}/me`, { bearer: students[1]!.token })).status).toBe(401);
    const st = await simState(lab);
    expect(st.sim!.config.autoNodes).toContain(students[1]!.node);
    for (const s of students) s.ws.close();
  });

  it('validates names: trimmed, 1–32 characters, no control characters, unique in the lab', async () => {
    const lab = await createLab({ scenario: scenario.id, timeline: false });
    expect((await call(`/api/labs/${lab.code}/join`, { json: { name: '   ' } })).status).toBe(400);
    expect((await call(`/api/labs/${lab.code}/join`, { json: { name: 'x'.repeat(33) } })).status).toBe(400);
    expect((await call(`/api/labs/${lab.code}/join`, { json: { name: 'bad\u0007name' } })).status).toBe(400);
    expect((await call(`/api/labs/${lab.code}/join`, { json: '{not json' })).status).toBe(400);
    const ok = await call(`/api/labs/${lab.code}/join`, { json: { name: '  <b>Zoé</b>  ' } });
    expect(ok.status).toBe(201);
    expect(ok.body.seat.name).toBe('<b>Zoé</b>');
    const dup = await call(`/api/labs/${lab.code}/join`, { json: { name: '<B>ZOÉ</B>' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('name_taken');
    expect((await call('/api/labs/ABCDEF/join', { json: { name: 'x' } })).status).toBe(404);
  });

  it('pauses (sim clock frozen), resumes, ends, and leaves the event log in D1', async () => {
    const { lab, students } = await labWithThree();
    await ticks(lab, 3, students.map((s) => s.ws));
    await teacher(lab, 'faults', { fault: { kind: 'power', node: 'pve2', action: 'off' } });
    expect((await teacher(lab, 'pause')).status).toBe(200);
    const paused = await simState(lab);
    expect(paused.deadlines.tick).toBeUndefined();
    expect((await teacher(lab, 'pause')).status).toBe(409);
    expect((await teacher(lab, 'resume')).status).toBe(200);
    await ticks(lab, 2, students.map((s) => s.ws));
    expect((await simState(lab)).sim!.now).toBe(paused.sim!.now + 2000);
    const end = await teacher(lab, 'end');
    expect(end.status).toBe(200);
    const local = await clusterStub(lab).getEvents(0);
    const rows = await env.DB.prepare('SELECT seq, type FROM events WHERE lab_id = ? ORDER BY seq').bind(lab.labId).all<{ seq: number; type: string }>();
    expect(rows.results.map((r) => r.seq)).toEqual(local.map((e) => e.seq));
    expect(rows.results.some((r) => r.type === 'fault-applied')).toBe(true);
    const labRow = await env.DB.prepare('SELECT status, ended_at FROM labs WHERE id = ?').bind(lab.labId).first<{ status: string; ended_at: number }>();
    expect(labRow?.status).toBe('ended');
    const scoreRows = await env.DB.prepare('SELECT COUNT(*) AS n FROM scores WHERE lab_id = ?').bind(lab.labId).first<{ n: number }>();
    expect(scoreRows?.n).toBe(1);
    // Ended labs take no more students and no more commands.
    expect((await call(`/api/labs/${lab.code}/join`, { json: { name: 'Late' } })).status).toBe(409);
    students[0]!.ws.send({ type: 'command', line: 'hostname' });
    await students[0]!.ws.waitFor((m) => m.type === 'error' && m.code === 'not_running', 'not_running');
    // The instructor sees the lab in the list.
    const list = await call('/api/labs', { bearer: TEACHER_KEY });
    expect(list.body.labs.some((l: { code: string; status: string }) => l.code === lab.code && l.status === 'ended')).toBe(true);
    for (const s of students) s.ws.close();
  });
});

describe('human vote mode over sockets', () => {
  it('prompts the quorate side to fence a silent node; yes-votes reaching quorum recover its VM', async () => {
    const lab = await createLab({ scenario: scenario.id, timeline: false, voteMode: 'human' });
    const students: { node: string; ws: Client }[] = [];
    for (const name of ['Ana', 'Ben', 'Cy']) {
      const j = await join(lab, name);
      const ws = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
      await ws.waitFor((m) => m.type === 'welcome', 'welcome');
      students.push({ node: j.seat.node, ws });
    }
    await teacher(lab, 'start');
    await ticks(lab, 2, students.map((s) => s.ws));
    // pve1's student closes the tab: its node goes silent.
    const pve1 = students.find((s) => s.node === 'pve1')!;
    pve1.ws.close();
    const others = students.filter((s) => s.node !== 'pve1');
    await ticks(lab, 12, others.map((s) => s.ws));
    const prompts: any[] = [];
    for (const s of others) prompts.push(await s.ws.waitFor((m) => m.type === 'prompt' && m.target === 'pve1', `prompt on ${s.node}`));
    expect(prompts[0].partition).toEqual(['pve2', 'pve3']);
    expect(prompts[0].quorum).toBe(2);
    // One yes is not enough (quorum is 2)...
    others[0]!.ws.send({ type: 'vote', voteId: prompts[0].voteId, yes: true });
    others[0]!.ws.send({ type: 'vote', voteId: prompts[0].voteId, yes: true });
    await others[0]!.ws.waitFor((m) => m.type === 'error' && m.code === 'already_voted', 'already_voted');
    await ticks(lab, 1, others.map((s) => s.ws));
    let st = await simState(lab);
    expect(st.sim!.votes.find((v) => v.id === prompts[0].voteId)!.status).toBe('open');
    // ...a second yes passes it: pve1 is fenced and its HA VM recovered on the quorate side.
    others[1]!.ws.send({ type: 'vote', voteId: prompts[0].voteId, yes: true });
    await others[1]!.ws.waitFor((m) => m.type === 'event' && m.event.type === 'vote-cast' && m.event.node === others[1]!.node, 'own vote-cast');
    await ticks(lab, 1, others.map((s) => s.ws));
    st = await simState(lab);
    expect(st.sim!.votes.find((v) => v.id === prompts[0].voteId)!.status).toBe('passed');
    expect(st.sim!.vms[String(haVm.vmid)]!.runningOn.length).toBe(1);
    expect(['pve2', 'pve3']).toContain(st.sim!.vms[String(haVm.vmid)]!.runningOn[0]);
    for (const s of others) s.ws.close();
  });
});

describe('seating', () => {
  it('seats students joining at the same instant on distinct nodes, opens teams as they fill (team size), and seats the QDevice', async () => {
    const qdScenario = SCENARIOS.find((s) => s.qdeviceSeat)!;
    const seats = qdScenario.cluster.nodes.length + 1;
    const lab = await createLab({ scenario: qdScenario.id, teamSize: seats, timeline: false });
    const names = Array.from({ length: seats + 2 }, (_, i) => `Élève ${i + 1}`);
    const joined = await Promise.all(names.map((n) => join(lab, n)));
    const key = (j: (typeof joined)[number]) => `${j.seat.team}:${j.seat.node}`;
    expect(new Set(joined.map(key)).size).toBe(joined.length);
    const team1 = joined.filter((j) => j.seat.team === 1);
    expect(team1.length).toBe(seats);
    expect(team1.filter((j) => j.seat.role === 'qdevice').length).toBe(1);
    expect(joined.filter((j) => j.seat.team === 2).length).toBe(2);
    const info = await call(`/api/labs/${lab.code}`);
    expect(info.body.teams.map((t: { seats: number }) => t.seats)).toEqual([seats, 2]);
    // The QDevice seat held by a student is no longer on autopilot; a kick gives it back.
    const qd = team1.find((j) => j.seat.role === 'qdevice')!;
    expect((await simState(lab, 1)).sim!.qdevice!.auto).toBe(false);
    await teacher(lab, 'kick', { seatId: qd.seat.seatId });
    expect((await simState(lab, 1)).sim!.qdevice!.auto).toBe(true);
    // Locked labs refuse newcomers with 423.
    await teacher(lab, 'lock');
    const locked = await call(`/api/labs/${lab.code}/join`, { json: { name: 'Trop tard' } });
    expect(locked.status).toBe(423);
  });
});

describe('teacher tools', () => {
  it('moves a student (same token, new seat), pushes settings, replays the recent log to a new dashboard', async () => {
    const lab = await createLab({ scenario: scenario.id, teams: 2, timeline: false });
    const a = await join(lab, 'Amir', 1);
    const ws = await openSocket(`/ws/labs/${lab.code}/student?token=${a.token}`);
    const welcome = await ws.waitFor((m) => m.type === 'welcome', 'welcome');
    expect(welcome.timing.deadAfterMs).toBe(10_000);
    await teacher(lab, 'start');
    await teacher(lab, 'faults', { team: 1, fault: { kind: 'clock-skew', node: 'pve2', skewMs: 30_000 } });

    // Settings reach every socket.
    expect((await teacher(lab, 'settings', { timeScale: 2 })).status).toBe(200);
    const st = await ws.waitFor((m) => m.type === 'settings', 'settings frame');
    expect(st.settings.timeScale).toBe(2);

    // A new dashboard gets the recent events; the HTTP log matches.
    const tws = await openSocket(`/ws/labs/${lab.code}/teacher?team=1&secret=${encodeURIComponent(lab.secret)}`);
    const backlog = await tws.waitFor((m) => m.type === 'events', 'events backlog');
    expect(backlog.events.some((e: { type: string }) => e.type === 'clock-skew')).toBe(true);
    const log = await call(`/api/labs/${lab.code}/teacher/teams/1/events?after=0`, { bearer: lab.secret });
    expect(log.status).toBe(200);
    expect(log.body.events.map((e: { seq: number }) => e.seq)).toEqual(backlog.events.map((e: { seq: number }) => e.seq));
    expect((await call(`/api/labs/${lab.code}/teacher/teams/1/events?after=0`, { bearer: a.token })).status).toBe(401);

    // Move to team 2: the socket is told "moved" and closed; the same token now opens team 2.
    const moved = await teacher(lab, 'move', { seatId: a.seat.seatId, team: 2 });
    expect(moved.status).toBe(200);
    await ws.waitFor((m) => m.type === 'error' && m.code === 'moved', 'moved');
    expect((await ws.waitClosed()).code).toBe(1008);
    const again = await openSocket(`/ws/labs/${lab.code}/student?token=${a.token}`);
    const w2 = await again.waitFor((m) => m.type === 'welcome', 'welcome after move');
    expect(w2.seat.team).toBe(2);
    expect((await simState(lab, 1)).sim!.config.autoNodes).toContain(a.seat.node);
    expect((await simState(lab, 2)).sim!.config.autoNodes).not.toContain(w2.seat.node);
    again.close();
    tws.close();
  });
});

describe('forgotten labs', () => {
  it('end by themselves (the lab alarm set at start), flushing their log to D1', async () => {
    const lab = await createLab({ scenario: scenario.id, timeline: false });
    await teacher(lab, 'start');
    await teacher(lab, 'faults', { fault: { kind: 'clock-skew', node: 'pve3', skewMs: 20_000 } });
    await ticks(lab, 2);
    expect(await runDurableObjectAlarm(env.LAB.getByName(lab.code))).toBe(true);
    expect((await call(`/api/labs/${lab.code}`)).body.status).toBe('ended');
    expect((await simState(lab)).meta!.status).toBe('ended');
    expect((await simState(lab)).deadlines.tick).toBeUndefined();
    const rows = await env.DB.prepare('SELECT COUNT(*) AS n FROM events WHERE lab_id = ?').bind(lab.labId).first<{ n: number }>();
    expect(rows!.n).toBeGreaterThan(0);
    expect(rows!.n).toBe((await clusterStub(lab).getEvents(0)).length);
  });
});
