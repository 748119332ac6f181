// The projector's own link: its key reads the projector frame and nothing else — no teacher route,
// no report, no mode switch, no teacher socket. The teacher switches its mode with the lab secret.
import { describe, expect, it } from 'vitest';
import { call, createLab, join, openSocket, teacher, ticks } from './helpers';

describe('projector', () => {
  it('a read-only key: it shows the frame of the mode the teacher picked, and cannot act as teacher', async () => {
    const lab = await createLab({ scenario: 'three-node-isolation', timeline: false, teams: 2 });
    await join(lab, 'Alice', 1);
    await join(lab, 'Bruno', 2);
    const link = await call(`/api/labs/${lab.code}/projector/link`, { bearer: lab.secret });
    expect(link.status).toBe(200);
    const key: string = link.body.key;
    expect(link.body.path).toBe(`/projector.html?code=${lab.code}#key=${key}`);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(key).not.toContain(lab.secret);

    // Lobby by default: names per team.
    const lobby = await call(`/api/labs/${lab.code}/projector`, { bearer: key });
    expect(lobby.status).toBe(200);
    expect(lobby.body.mode).toBe('lobby');
    expect(lobby.body.teams.map((t: { index: number; students: string[] }) => [t.index, t.students])).toEqual([
      [1, ['Alice']],
      [2, ['Bruno']],
    ]);

    // The key opens nothing a teacher can do.
    for (const [path, json] of [
      ['teacher/start', {}],
      ['teacher/faults', { fault: { kind: 'heal' } }],
      ['teacher/settings', { timeScale: 2 }],
      ['projector/mode', { mode: 'podium' }],
    ] as const)
      expect((await call(`/api/labs/${lab.code}/${path}`, { json, bearer: key })).status, path).toBe(401);
    for (const path of ['teacher/roster', 'report', 'report.json', 'replay', 'teams/1/inputs', 'projector/link'])
      expect((await call(`/api/labs/${lab.code}/${path}`, { bearer: key })).status, path).toBe(401);
    expect((await call(`/api/labs/${lab.code}/report?secret=${key}`)).status).toBe(401);
    // (refused the socket way: opened, then closed 1008 before any snapshot)
    const ws = await openSocket(`/ws/labs/${lab.code}/teacher?team=1&secret=${key}`);
    expect((await ws.waitClosed()).code).toBe(1008);
    expect(ws.of('snapshot')).toEqual([]);
    // A wrong key is refused.
    expect((await call(`/api/labs/${lab.code}/projector`, { bearer: '0'.repeat(32) })).status).toBe(401);

    // The teacher switches modes; the projector follows.
    expect((await teacher(lab, 'start')).status).toBe(200);
    await ticks(lab, 2);
    expect((await call(`/api/labs/${lab.code}/projector/mode`, { json: { mode: 'live' }, bearer: lab.secret })).status).toBe(200);
    const live = await call(`/api/labs/${lab.code}/projector`, { bearer: key });
    expect(live.body.mode).toBe('live');
    expect(live.body.teams[0].snapshot.partitions).toHaveLength(1);
    expect(live.body.teams[0].snapshot.votes).toBeUndefined();
    expect((await call(`/api/labs/${lab.code}/projector/mode`, { json: { mode: 'question' }, bearer: lab.secret })).status).toBe(200);
    expect((await teacher(lab, 'checkpoint', { action: 'open' })).status).toBe(200);
    const q = await call(`/api/labs/${lab.code}/projector`, { bearer: key });
    expect(q.body.teams[0].checkpoint).toMatchObject({ id: 'before', answered: 0, expected: 3 }); // Alice's three questions
    expect((await call(`/api/labs/${lab.code}/projector/mode`, { json: { mode: 'nope' }, bearer: lab.secret })).status).toBe(400);
    expect((await call(`/api/labs/${lab.code}/projector/mode`, { json: { mode: 'podium' }, bearer: lab.secret })).status).toBe(200);
    const podium = await call(`/api/labs/${lab.code}/projector`, { bearer: key });
    expect(podium.body.board.map((r: { team: number }) => r.team).sort()).toEqual([1, 2]);
  });
});
