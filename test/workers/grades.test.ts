// Three teams play the same scenario through real sockets — idle (autopilot only), correct
// (diagnoses, votes right) and harmful (`pvecm expected 1` in a minority, votes wrong) — and the
// grades must rank them, stay in bounds, charge one penalty per cause, and export as CSV that
// parses back in both dialects, hostile names included.
import { exports } from 'cloudflare:workers';
import { runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { BASE, call, clusterStub, createLab, join, openSocket, simState, teacher, type Client, type Lab } from './helpers';
import { parseCsv } from '../support/csv';

const NAMES: Record<number, string[]> = {
  2: ['Alice', 'x;=1+2;y', 'Chloé "la bonne"'],
  3: ['=cmd|\' /C calc\'!A0', '-2+3', 'Zoé, l’ancienne'],
};

/** Advances every team by n ticks, in step; live browsers ping (auto-answered: no frame, no rate limit). */
async function advance(lab: Lab, n: number, clients: Client[][], each?: () => void) {
  for (let i = 0; i < n; i++) {
    for (let team = 1; team <= 3; team++) {
      for (const c of clients[team] ?? []) if (!c.closed) c.ws.send('{"type":"ping"}');
      await new Promise((r) => setTimeout(r, 1));
      const before = (await simState(lab, team)).sim!.now;
      for (let k = 0; ; k++) {
        if (k > 5) throw new Error('the sim clock does not advance');
        if (!(await runDurableObjectAlarm(clusterStub(lab, team)))) throw new Error('no alarm scheduled');
        if ((await simState(lab, team)).sim!.now > before) break;
      }
    }
    each?.();
  }
}

/** Answers each fence prompt once: right (yes exactly when the voters hold a real majority of 3) or wrong. */
function answerPrompts(c: Client, right: boolean, answered: Set<string>) {
  for (const p of c.of('prompt')) {
    const k = `${p.voteId}`;
    if (answered.has(k)) continue;
    answered.add(k);
    const majority = p.partition.length * 2 > 3;
    c.send({ type: 'vote', voteId: p.voteId, yes: right ? majority : !majority });
  }
}

async function run(c: Client, line: string, id: number) {
  c.send({ type: 'command', line, id });
  return c.waitFor((m) => m.type === 'output' && m.id === id, line);
}

describe('grades a teacher can defend', () => {
  it('ranks correct > idle > harmful on the same scenario, within 0–20, one penalty per cause, CSV in both dialects', { timeout: 120_000 }, async () => {
    const lab = await createLab({ scenario: 'three-node-isolation', teams: 3, voteMode: 'human', timeline: false });
    const clients: Client[][] = [[], [], [], []];
    const seats: Record<string, string> = {};
    for (const team of [2, 3])
      for (const name of NAMES[team]!) {
        const j = await join(lab, name, team);
        seats[name] = j.seat.node;
        const c = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
        await c.waitFor((m) => m.type === 'welcome', `welcome ${name}`);
        clients[team]!.push(c);
      }
    expect(clients[2]!.map((_, i) => seats[NAMES[2]![i]!])).toEqual(['pve1', 'pve2', 'pve3']);
    const [good1, good2, good3] = clients[2]!;
    const bad2 = clients[3]![1]!;
    const answered = new Map<Client, Set<string>>([...clients[2]!, ...clients[3]!].map((c) => [c, new Set()]));
    const vote = () => {
      for (const c of clients[2]!) answerPrompts(c, true, answered.get(c)!);
      for (const c of clients[3]!) answerPrompts(c, false, answered.get(c)!);
    };

    expect((await teacher(lab, 'start')).status).toBe(200);
    await advance(lab, 5, clients);
    // pve2 is cut off in every team at the same sim time.
    expect((await teacher(lab, 'faults', { fault: { kind: 'isolate', node: 'pve2' } })).status).toBe(200);
    await advance(lab, 2, clients);
    // The correct team observes the failure from both sides.
    await run(good2!, 'pvecm status', 1);
    await run(good1!, 'ha-manager status', 2);
    await run(good3!, 'pvecm status', 3);
    await advance(lab, 12, clients, vote);
    // The harmful team forces quorum on the isolated minority.
    const forced = await run(bad2!, 'pvecm expected 1', 4);
    expect(forced.exitCode).toBe(0);
    await advance(lab, 25, clients, vote);
    expect((await teacher(lab, 'faults', { fault: { kind: 'heal' } })).status).toBe(200);
    await advance(lab, 15, clients, vote);
    expect((await teacher(lab, 'end')).status).toBe(200);

    const res = await call(`/api/labs/${lab.code}/report.json`, { bearer: lab.secret });
    expect(res.status).toBe(200);
    const r = res.body;
    const [idle, good, bad] = [1, 2, 3].map((i) => r.teams.find((t: any) => t.index === i));
    expect(good.grade.percent).toBeGreaterThan(idle.grade.percent);
    expect(idle.grade.percent).toBeGreaterThan(bad.grade.percent);
    expect(idle.grade.percent).toBeLessThanOrEqual(40);
    expect(idle.grade.parts.competence).toBe(0);
    for (const g of [...r.teams.map((t: any) => t.grade), ...r.students.map((s: any) => s.grade)]) {
      expect(g.outOf20).toBeGreaterThanOrEqual(0);
      expect(g.outOf20).toBeLessThanOrEqual(20);
      expect(g.weights).toEqual({ outcome: 40, competence: 40, participation: 20 });
      expect(Object.keys(g.parts).sort()).toEqual(['competence', 'outcome', 'participation']);
    }
    for (const t of r.teams) for (const l of t.lines) expect(['outcome', 'competence', 'participation']).toContain(l.part);
    // One penalty per cause: the one `pvecm expected 1`, with the split-brain listed under it.
    const penalties = bad.lines.filter((l: any) => l.kind === 'penalty');
    expect(penalties).toHaveLength(1);
    expect(penalties[0].text.en).toContain('pvecm expected 1');
    expect(penalties[0].consequences.some((c: any) => c.text.en.startsWith('Split-brain'))).toBe(true);
    expect(good.lines.filter((l: any) => l.kind === 'penalty')).toEqual([]);
    // The harmful votes were judged against the real cluster: all wrong.
    const badVotes = r.students.filter((s: any) => s.team === 3).flatMap((s: any) => s.participation.votes.list);
    expect(badVotes.length).toBeGreaterThan(0);
    expect(badVotes.every((v: any) => !v.right)).toBe(true);
    const goodVotes = r.students.filter((s: any) => s.team === 2).flatMap((s: any) => s.participation.votes.list);
    expect(goodVotes.length).toBeGreaterThan(0);
    expect(goodVotes.every((v: any) => v.right)).toBe(true);
    // Presence counts the pings the room received while each seat was held.
    for (const s of r.students) {
      expect(s.participation.heartbeats.ticks).toBe(59);
      expect(s.participation.heartbeats.pct).toBeGreaterThan(90);
    }

    // CSV: both dialects parse back into the same cells, hostile names intact.
    const cells: Record<string, string[][]> = {};
    for (const [dialect, sep] of [['en', ','], ['fr', ';']] as const) {
      const csv = await exports.default.fetch(`${BASE}/api/labs/${lab.code}/report.csv?dialect=${dialect}`, { headers: { authorization: `Bearer ${lab.secret}` } });
      expect(csv.status).toBe(200);
      const rows = parseCsv((await csv.text()).replace(/^\uFEFF/, ''), sep);
      expect(rows).toHaveLength(1 + 6);
      expect(rows.every((row) => row.length === rows[0]!.length)).toBe(true);
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      cells[dialect] = rows;
    }
    const names = cells.en!.slice(1).map((row) => row[cells.en![0]!.indexOf('student')]);
    expect(names.sort()).toEqual(['Alice', "'-2+3", "'=cmd|' /C calc'!A0", 'Chloé "la bonne"', 'Zoé, l’ancienne', 'x;=1+2;y'].sort());
    expect(cells.fr!.map((row) => row.map((x) => x.replace(/^(\d+),(\d+)$/, '$1.$2')))).toEqual(cells.en);
    // The report's language picks the dialect when none is asked for.
    const frDefault = await exports.default.fetch(`${BASE}/api/labs/${lab.code}/report.csv`, { headers: { authorization: `Bearer ${lab.secret}` } });
    expect((await frDefault.text()).split('\r\n')[0]).toContain(';');

    // The teacher changes the weights after the session: grades are recomputed and say so.
    expect((await teacher(lab, 'settings', { weights: { outcome: 0, competence: 100, participation: 0 } })).status).toBe(200);
    const again = (await call(`/api/labs/${lab.code}/report.json`, { bearer: lab.secret })).body;
    expect(again.lab.weights).toEqual({ outcome: 0, competence: 100, participation: 0 });
    expect(again.lab.weightsAreDefault).toBe(false);
    for (const t of again.teams) expect(t.grade.percent).toBe(Math.max(0, Math.round((t.grade.parts.competence - t.grade.penalty) * 10) / 10));
    expect((await teacher(lab, 'settings', { weights: { outcome: 0, competence: 0, participation: 0 } })).status).toBe(400);
    const page = await exports.default.fetch(`${BASE}/api/labs/${lab.code}/report?secret=${encodeURIComponent(lab.secret)}`);
    const text = await page.text();
    expect(text).toContain('Pondération');
    expect(text).toContain('choisie par l’enseignant');
    for (const c of clients.flat()) c.close();
  });
});

describe('graded mode hides answers', () => {
  it('does not show the QDevice seat what its algorithm would choose when the lab is graded', async () => {
    const seen: Record<string, unknown> = {};
    for (const graded of [false, true]) {
      const lab = await createLab({ scenario: 'four-node-split-qdevice', voteMode: 'human', timeline: false, graded });
      let qd: Client | null = null;
      for (const name of ['A', 'B', 'C', 'D', 'Q']) {
        const j = await join(lab, name);
        if (j.seat.role === 'qdevice') qd = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
      }
      const view = await qd!.waitFor((m) => m.type === 'view', 'qdevice view');
      seen[String(graded)] = view.view.algorithmChoice;
      qd!.close();
    }
    expect(seen.false).not.toBeNull();
    expect(seen.true).toBeNull();
  });
});

describe('gradebook key', () => {
  it('asks for a student identifier at join when the teacher turns it on, and writes it in the CSV key column', async () => {
    const lab = await createLab({ scenario: 'three-node-power-loss', timeline: false, askStudentId: true });
    const missing = await call(`/api/labs/${lab.code}/join`, { json: { name: 'Sans numéro' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('student_id_required');
    const bad = await call(`/api/labs/${lab.code}/join`, { json: { name: 'Eve', studentId: '=1+2' } });
    expect(bad.status).toBe(400);
    const a = await call(`/api/labs/${lab.code}/join`, { json: { name: 'Alice', studentId: '20261234' } });
    const b = await call(`/api/labs/${lab.code}/join`, { json: { name: 'Bruno', studentId: 'bruno.martin@univ.example' } });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await teacher(lab, 'end')).status).toBe(200);
    const csv = await exports.default.fetch(`${BASE}/api/labs/${lab.code}/report.csv?dialect=en`, { headers: { authorization: `Bearer ${lab.secret}` } });
    const rows = parseCsv((await csv.text()).replace(/^\uFEFF/, ''), ',');
    const col = (name: string) => rows.slice(1).map((r) => r[rows[0]!.indexOf(name)]);
    expect(col('student')).toEqual(['Alice', 'Bruno']);
    expect(col('student_id')).toEqual(['20261234', 'bruno.martin@univ.example']);
    // Turned off, join asks for nothing.
    const free = await createLab({ scenario: 'three-node-power-loss' });
    expect((await call(`/api/labs/${free.code}/join`, { json: { name: 'Chloé' } })).status).toBe(201);
  });
});

describe('presence per seat-interval, from what the room received', () => {
  it('counts pulses actually received in pulse mode, and splits a moved student between teams', { timeout: 60_000 }, async () => {
    const lab = await createLab({ scenario: 'three-node-power-loss', teams: 2, heartbeatMode: 'pulse', timeline: false });
    const silent = await join(lab, 'Silencieux', 1);
    const pulser = await join(lab, 'Pulseur', 1);
    const ws = await openSocket(`/ws/labs/${lab.code}/student?token=${silent.token}`);
    const wp = await openSocket(`/ws/labs/${lab.code}/student?token=${pulser.token}`);
    await ws.waitFor((m) => m.type === 'welcome', 'welcome silent');
    await wp.waitFor((m) => m.type === 'welcome', 'welcome pulser');
    expect((await teacher(lab, 'start')).status).toBe(200);
    const step = async (n: number) => {
      for (let i = 0; i < n; i++) {
        ws.ws.send('{"type":"ping"}'); // a live tab, but no pulse
        if (!wp.closed) wp.send({ type: 'pulse' });
        await new Promise((r) => setTimeout(r, 1));
        for (const team of [1, 2]) {
          const before = (await simState(lab, team)).sim!.now;
          for (let k = 0; (await simState(lab, team)).sim!.now === before; k++) {
            if (k > 5) throw new Error('the sim clock does not advance');
            await runDurableObjectAlarm(clusterStub(lab, team));
          }
        }
      }
    };
    await step(12);
    // The pulsing student is moved to team 2 after 12 s; they hold a seat there for the rest.
    expect((await teacher(lab, 'move', { seatId: pulser.seat.seatId, team: 2 })).status).toBe(200);
    await step(8);
    expect((await teacher(lab, 'end')).status).toBe(200);
    const r = (await call(`/api/labs/${lab.code}/report.json`, { bearer: lab.secret })).body;
    const s = r.students.find((x: any) => x.seatId === silent.seat.seatId);
    const p = r.students.find((x: any) => x.seatId === pulser.seat.seatId);
    expect(s.participation.heartbeats).toEqual({ heard: 0, ticks: 20, pct: 0 });
    expect(s.grade.parts.participation).toBe(0);
    expect(p.participation.heartbeats.heard).toBe(12); // the moved socket is closed: nothing heard in team 2
    expect(p.participation.heartbeats.ticks).toBe(20);
    expect(p.participation.heldMs).toBe(20_000);
    expect(p.team).toBe(2);
    ws.close();
  });
});
