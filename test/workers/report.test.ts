import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { BASE, call, createLab, join, openSocket, teacher, ticks } from './helpers';

const HOSTILE = '<script>alert(1)</script>';

async function get(path: string, bearer?: string) {
  return exports.default.fetch(`${BASE}${path}`, bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {});
}

describe('graded reports from a stored session', () => {
  it('reports an isolation + `pvecm expected 1` split-brain per team and per student, in JSON, CSV and HTML', async () => {
    const lab = await createLab({ scenario: 'three-node-isolation', timeline: false });
    const alice = await join(lab, 'Alice');
    const bruno = await join(lab, HOSTILE);
    expect([alice.seat.node, bruno.seat.node]).toEqual(['pve1', 'pve2']);
    const wa = await openSocket(`/ws/labs/${lab.code}/student?token=${alice.token}`);
    const wb = await openSocket(`/ws/labs/${lab.code}/student?token=${bruno.token}`);
    await wa.waitFor((m) => m.type === 'welcome', 'welcome a');
    await wb.waitFor((m) => m.type === 'welcome', 'welcome b');
    expect((await teacher(lab, 'start')).status).toBe(200);
    await ticks(lab, 3, [wa, wb]);
    wb.send({ type: 'command', line: 'pvecm status', id: 1 });
    await wb.waitFor((m) => m.type === 'output' && m.id === 1, 'pvecm status');

    // pve1 is cut off, loses quorum, and its student forces quorum back: split-brain.
    expect((await teacher(lab, 'faults', { fault: { kind: 'isolate', node: 'pve1' } })).status).toBe(200);
    await ticks(lab, 12, [wa, wb]);
    wa.send({ type: 'command', line: 'pvecm expected 1', id: 2 });
    const out = await wa.waitFor((m) => m.type === 'output' && m.id === 2, 'pvecm expected');
    expect(out.exitCode).toBe(0);
    await ticks(lab, 3, [wa, wb]);

    // While the lab runs, the report is partial and reads the room's unflushed events.
    const live = await call(`/api/labs/${lab.code}/report.json`, { bearer: lab.secret });
    expect(live.status).toBe(200);
    expect(live.body.partial).toBe(true);
    expect(live.body.teams[0].incidents.length).toBe(1);

    expect((await teacher(lab, 'end')).status).toBe(200);

    // JSON
    const json = await call(`/api/labs/${lab.code}/report.json`, { bearer: lab.secret });
    expect(json.status).toBe(200);
    const r = json.body;
    expect(r.partial).toBe(false);
    expect(r.lab.code).toBe(lab.code);
    const team = r.teams[0];
    expect(team.clock).toBe('room');
    expect(team.endMs).toBe(18_000);
    expect(team.incidents).toHaveLength(1);
    expect(team.incidents[0].cause).toMatch(/pvecm expected 1 on pve1/);
    // The room's live leaderboard total is kept beside the grade; the grade has its parts and weights.
    expect(team.storedTotal).not.toBeNull();
    expect(team.grade).toMatchObject({ weights: { outcome: 40, competence: 40, participation: 20 } });
    expect(team.grade.outOf20).toBe(Math.round(team.grade.percent * 2) / 10);
    expect(r.students).toHaveLength(2);
    const a = r.students.find((s: any) => s.seatId === alice.seat.seatId);
    const b = r.students.find((s: any) => s.seatId === bruno.seat.seatId);
    expect(b.name).toBe(HOSTILE);
    for (const s of [a, b]) {
      expect(s.team).toBe(1);
      expect(s.teamGrade).toEqual(team.grade);
      expect(s.participation.durationMs).toBe(18_000);
      expect(s.participation.presencePct).toBe(100); // both browsers pinged on every tick
      // The room sampled the heartbeats it received while each seat was held: every tick.
      expect(s.participation.heartbeats).toEqual({ heard: 18, ticks: 18, pct: 100 });
      expect(s.participation.heldMs).toBe(18_000);
    }
    // Bruno stayed in the majority's ring all along; Alice's node was cut off by the teacher
    // (not held against her) after the 10 s the peers need to drop it.
    expect(b.participation).toMatchObject({ inMembershipMs: 18_000, absentMs: 0, inMembershipPct: 100 });
    expect(a.participation.inMembershipMs).toBeGreaterThanOrEqual(13_000);
    expect(a.participation.inMembershipMs).toBeLessThan(18_000);
    expect(a.participation.absentMs).toBe(0);
    expect(b.participation.commands).toMatchObject({ total: 1, ok: 1, distinct: ['pvecm status'], relevant: ['pvecm status'] });
    const forced = a.lines.find((m: any) => m.kind === 'penalty');
    expect(forced).toMatchObject({ part: 'competence', concept: 'expected-votes', points: -15 });
    expect(typeof forced.seq).toBe('number');
    expect(forced.explain.fr).toBeTruthy();
    expect(forced.consequences.length).toBeGreaterThan(0);
    expect(b.lines.filter((l: any) => l.kind === 'penalty')).toEqual([]);
    expect(a.grade.percent).toBeLessThan(b.grade.percent);

    // CSV: one row per student, a gradebook attachment.
    const csvRes = await get(`/api/labs/${lab.code}/report.csv`, lab.secret);
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csvRes.headers.get('content-disposition')).toContain(`quorum-lab-${lab.code}-fr.csv`);
    const csv = (await csvRes.text()).replace(/^\uFEFF/, '');
    const rows = csv.split('\r\n').filter(Boolean);
    expect(rows).toHaveLength(3);
    // French report by default: semicolons, every text cell quoted.
    expect(rows[0]).toMatch(/^"lab_code";"team";"team_name";"student";/);
    expect(rows.filter((l) => l.startsWith(`"${lab.code}";1;`))).toHaveLength(2);

    // HTML, opened as a link with ?secret= (what a browser tab does).
    const page = await get(`/api/labs/${lab.code}/report?secret=${encodeURIComponent(lab.secret)}&lang=en`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const text = await page.text();
    expect(text).toContain('<html lang="en">');
    expect(text).toMatch(/pvecm expected 1 on pve1 at t=\d+ s/);
    const frPage = await (await get(`/api/labs/${lab.code}/report?secret=${encodeURIComponent(lab.secret)}`)).text();
    expect(frPage).toMatch(/pvecm expected 1 sur pve1 à t=\d+ s/);
    expect(frPage).not.toMatch(/ on pve1 at t=/);
    expect(text).not.toContain(HOSTILE);
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect((await (await get(`/api/labs/${lab.code}/report`, lab.secret)).text())).toContain('<html lang="fr">');

    // One student's page.
    const one = await get(`/api/labs/${lab.code}/report/students/${alice.seat.seatId}?secret=${encodeURIComponent(lab.secret)}`);
    expect(one.status).toBe(200);
    const oneText = await one.text();
    expect(oneText).toContain('Alice');
    expect(oneText).toContain('pvecm expected 1');
    expect((await get(`/api/labs/${lab.code}/report/students/no-such-seat`, lab.secret)).status).toBe(404);

    // Replay: every event with its team index, in time order.
    const replay = await call(`/api/labs/${lab.code}/replay`, { bearer: lab.secret });
    expect(replay.status).toBe(200);
    expect(replay.body.events.length).toBeGreaterThan(0);
    expect(replay.body.events.every((e: any) => e.team === 1)).toBe(true);
    expect(replay.body.events.some((e: any) => e.event.type === 'split-brain-started')).toBe(true);
    const ats = replay.body.events.map((e: any) => e.at);
    expect(ats).toEqual([...ats].sort((x: number, y: number) => x - y));

    // Access: a student token, no secret, a wrong secret → 401; an unknown lab → 404.
    for (const path of ['/report', '/report.json', '/report.csv', `/report/students/${alice.seat.seatId}`, '/replay']) {
      expect((await get(`/api/labs/${lab.code}${path}`, alice.token)).status).toBe(401);
      expect((await get(`/api/labs/${lab.code}${path}`)).status).toBe(401);
      expect((await get(`/api/labs/${lab.code}${path}?secret=${encodeURIComponent(bruno.token)}`)).status).toBe(401);
    }
    expect((await get('/api/labs/ABCDEF/report.json', lab.secret)).status).toBe(404);
    wa.close();
    wb.close();
  });
});
