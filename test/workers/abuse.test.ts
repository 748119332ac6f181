// Issue 11, hole by hole, from outside: each test fails on the code before the fix.
import { env } from 'cloudflare:workers';
import { listDurableObjectIds, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET } from '../../src/api/crypto';
import { call, clusterStub, createLab, join, openSocket, randomIp, simState, teacher, type Lab } from './helpers';

const randomCode = () => Array.from({ length: 6 }, () => CODE_ALPHABET[Math.floor(Math.random() * CODE_ALPHABET.length)]).join('');
const labRows = async () => (await env.DB.prepare('SELECT COUNT(*) AS n FROM labs').first<{ n: number }>())!.n;

async function runningLab(): Promise<Lab> {
  const lab = await createLab({ scenario: 'three-node-isolation', timeline: false });
  expect((await teacher(lab, 'start')).status).toBe(200);
  return lab;
}

describe('1. join codes cannot be guessed for free', () => {
  it('200 random codes create no Durable Object and no D1 row, whatever the route', async () => {
    const labsBefore = (await listDurableObjectIds(env.LAB)).length;
    const clustersBefore = (await listDurableObjectIds(env.CLUSTER)).length;
    const rowsBefore = await labRows();
    for (let i = 0; i < 200; i++) {
      const code = randomCode();
      const ip = randomIp();
      const routes = [
        call(`/api/labs/${code}`, { ip }),
        call(`/api/labs/${code}/join`, { json: { name: `Guess ${i}` }, ip }),
        call(`/api/labs/${code}/me`, { bearer: 'x', ip }),
        call(`/api/labs/${code}/teacher/roster`, { bearer: 'x', ip }),
        call(`/ws/labs/${code}/student?token=x`, { ip }),
      ];
      for (const r of await Promise.all(routes)) expect([404, 429]).toContain(r.status);
    }
    expect((await listDurableObjectIds(env.LAB)).length).toBe(labsBefore);
    expect((await listDurableObjectIds(env.CLUSTER)).length).toBe(clustersBefore);
    expect(await labRows()).toBe(rowsBefore);
  }, 120_000);

  it('slows a client guessing codes within seconds (429 + Retry-After), even on a right code, and only that client', async () => {
    const lab = await createLab({ scenario: 'three-node-isolation' });
    const ip = randomIp();
    const answers: number[] = [];
    for (let i = 0; i < 50; i++) answers.push((await call(`/api/labs/${randomCode()}`, { ip })).status);
    // FAILURE_LIMITER: 20 per 10 s window (aligned to the clock, so a burst may span two windows).
    const first429 = answers.indexOf(429);
    expect(first429).toBeGreaterThanOrEqual(20);
    expect(first429).toBeLessThanOrEqual(40);
    expect(answers.slice(first429).every((s) => s === 429)).toBe(true);
    // Blocked: a hit looks like a miss, so guessing learns nothing.
    const hit = await call(`/api/labs/${lab.code}`, { ip });
    expect(hit.status).toBe(429);
    expect(hit.body.error.code).toBe('rate_limited');
    expect(Number(hit.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call(`/api/labs/${lab.code}/join`, { json: { name: 'Guesser' }, ip })).status).toBe(429);
    // Someone else in the room is not blocked.
    expect((await call(`/api/labs/${lab.code}`)).status).toBe(200);
  });

  it('limits wrong teacher secrets and wrong instructor keys the same way', async () => {
    const lab = await createLab({ scenario: 'three-node-isolation' });
    const ip = randomIp();
    const secrets: number[] = [];
    for (let i = 0; i < 50; i++) secrets.push((await call(`/api/labs/${lab.code}/teacher/roster`, { bearer: `wrong-${i}`, ip })).status);
    expect(secrets.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(secrets).toContain(429);
    // Blocked at the teacher door even with the right secret; the join door stays open.
    const right = await call(`/api/labs/${lab.code}/teacher/roster`, { bearer: lab.secret, ip });
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toBeTruthy();
    expect((await call(`/api/labs/${lab.code}/report.json`, { bearer: lab.secret, ip })).status).toBe(429);
    expect((await call(`/api/labs/${lab.code}`, { ip })).status).toBe(200);

    const keys: number[] = [];
    for (let i = 0; i < 50; i++) keys.push((await call('/api/labs', { bearer: `nope-${i}`, ip })).status);
    expect(keys[0]).toBe(401);
    expect(keys).toContain(429);
  });

  it('lets a lecture hall behind one address in: 300 lookups and joins within a minute all succeed', async () => {
    const ip = randomIp();
    // 100 seats per lab (20 teams of the 5-node scenario): three labs for 300 students.
    const labs = await Promise.all([1, 2, 3].map(() => createLab({ scenario: 'five-node-split-3-2', teams: 20 })));
    const started = Date.now();
    const statuses: number[] = [];
    for (let batch = 0; batch < 30; batch++) {
      const rs = await Promise.all(
        Array.from({ length: 10 }, async (_, k) => {
          const i = batch * 10 + k;
          const lab = labs[i % 3]!;
          const info = await call(`/api/labs/${lab.code}`, { ip });
          const j = await call(`/api/labs/${lab.code}/join`, { json: { name: `Étudiant ${i}` }, ip });
          return [info.status, j.status];
        }),
      );
      statuses.push(...rs.flat());
    }
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(statuses.filter((s) => s !== 200 && s !== 201)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(300);
  }, 120_000);
});

describe('2. one door for teacher actions', () => {
  it('refuses a teacher-socket fault after the lab ended, appends nothing, and refuses HTTP actions too', async () => {
    const lab = await runningLab();
    const tws = await openSocket(`/ws/labs/${lab.code}/teacher?team=1&secret=${encodeURIComponent(lab.secret)}`);
    await tws.waitFor((m) => m.type === 'snapshot', 'snapshot');
    // Same validation as HTTP while running: an unknown node is refused.
    tws.send({ type: 'fault', fault: { kind: 'isolate', node: 'pve9' } });
    await tws.waitFor((m) => m.type === 'error' && m.code === 'unknown_node', 'unknown_node');
    expect((await teacher(lab, 'end')).status).toBe(200);
    const before = await clusterStub(lab).getEvents(0);
    const stateBefore = (await simState(lab)).sim;
    tws.send({ type: 'fault', fault: { kind: 'power', node: 'pve1', action: 'off' } });
    const err = await tws.waitFor((m) => m.type === 'error' && m.code === 'lab_ended', 'lab_ended error frame');
    expect(err.message).toMatch(/ended/);
    expect(await clusterStub(lab).getEvents(0)).toEqual(before);
    expect((await simState(lab)).sim).toEqual(stateBefore);
    for (const [action, body] of [
      ['faults', { fault: { kind: 'heal' } }],
      ['heal', {}],
      ['lock', {}],
      ['settings', { timeScale: 2 }],
      ['kick', { seatId: 'x' }],
      ['move', { seatId: 'x', team: 1 }],
    ] as const) {
      const r = await teacher(lab, action, body);
      expect([action, r.status, r.body.error?.code]).toEqual([action, 409, 'lab_ended']);
    }
    tws.close();
  });
});

describe('3. one live socket per seat', () => {
  it('closes the first socket when a second one opens with the same token, and rates the seat, not the socket', async () => {
    const lab = await runningLab();
    const j = await join(lab, 'Alice');
    const first = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    await first.waitFor((m) => m.type === 'welcome', 'welcome');
    for (let i = 0; i < 20; i++) first.send({ type: 'command', line: 'hostname' });
    await first.waitFor((m) => m.type === 'output', 'output');
    const second = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    await second.waitFor((m) => m.type === 'welcome', 'welcome');
    const closed = await first.waitClosed();
    expect(closed.code).toBe(4001);
    expect(closed.reason).toMatch(/replaced by a newer connection/);
    expect(first.of('error').some((m) => m.code === 'replaced')).toBe(true);
    // The seat's budget (burst 30) is shared: 20 frames were spent on the first socket.
    for (let i = 0; i < 20; i++) second.send({ type: 'command', line: 'hostname' });
    await second.waitFor((m) => m.type === 'error' && m.code === 'rate_limited', 'rate_limited on the second socket');
    // Forty sockets on one token: only the last one stays.
    const many = [];
    for (let i = 0; i < 40; i++) many.push(await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`));
    await many.at(-1)!.waitFor((m) => m.type === 'welcome', 'welcome');
    for (const s of many.slice(0, -1)) expect((await s.waitClosed()).code).toBe(4001);
    expect(many.at(-1)!.closed).toBeNull();
    many.at(-1)!.close();
  });
});

describe('4. kicks hold, and ghosts do not fill a lab', () => {
  it('200 join+kick rounds leave the lab joinable', async () => {
    const lab = await createLab({ scenario: 'three-node-isolation', teams: 1 });
    for (let i = 0; i < 200; i++) {
      const j = await join(lab, `Ghost ${i}`);
      expect((await teacher(lab, 'kick', { seatId: j.seat.seatId })).status).toBe(200);
    }
    const info = await call(`/api/labs/${lab.code}`);
    expect(info.body.teams[0].free).toBe(3);
    const last = await join(lab, 'Real student');
    expect(last.seat.node).toBe('pve1');
    expect((await simState(lab)).sim!.config.autoNodes).toEqual(['pve2', 'pve3']);
  }, 120_000);

  it('frees a seat nobody connected to within the abandon delay, and keeps a connected one', async () => {
    const lab = await createLab({ scenario: 'two-node-no-qdevice', teams: 1 });
    const ghost = await join(lab, 'Ghost');
    const real = await join(lab, 'Real');
    await call(`/api/labs/${lab.code}/me`, { bearer: real.token }); // the node page checks its token
    expect((await call(`/api/labs/${lab.code}/join`, { json: { name: 'Late' } })).status).toBe(409);
    // Both seats joined long ago (the abandon delay is 90 s).
    await runInDurableObject(env.LAB.getByName(lab.code), (_o, state) => {
      state.storage.sql.exec('UPDATE seats SET joined_at = joined_at - 120000');
    });
    // Even a refused join frees the ghost: its node goes back to autopilot.
    expect((await call(`/api/labs/${lab.code}/join`, { json: { name: 'real' } })).body.error.code).toBe('name_taken');
    expect((await call(`/api/labs/${lab.code}/me`, { bearer: ghost.token })).status).toBe(401);
    expect((await simState(lab)).sim!.config.autoNodes).toEqual([ghost.seat.node]);
    const late = await join(lab, 'Late');
    expect(late.seat.node).toBe(ghost.seat.node);
    expect((await simState(lab)).sim!.config.autoNodes).toEqual([]);
    expect((await call(`/api/labs/${lab.code}/me`, { bearer: real.token })).status).toBe(200);
    const roster = (await call(`/api/labs/${lab.code}/teacher/roster`, { bearer: lab.secret })).body.seats;
    expect(roster.map((s: any) => s.name).sort()).toEqual(['Late', 'Real']);
  });

  it('a kicked student cannot come back from the same browser or token under any name until allowed back', async () => {
    const lab = await runningLab();
    const ip = randomIp();
    const first = await call(`/api/labs/${lab.code}/join`, { json: { name: 'Mallory' }, ip });
    expect(first.status).toBe(201);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const ws = await openSocket(`/ws/labs/${lab.code}/student?token=${first.body.token}`);
    await ws.waitFor((m) => m.type === 'welcome', 'welcome');
    expect((await teacher(lab, 'kick', { seatId: first.body.seat.seatId })).status).toBe(200);
    const closed = await ws.waitClosed();
    expect(closed.code).toBe(1008);
    expect(ws.of('error').some((m) => m.code === 'kicked')).toBe(true);

    const again = (json: unknown, extra: { bearer?: string; cookie?: string } = {}) =>
      call(`/api/labs/${lab.code}/join`, { json, ip, bearer: extra.bearer, headers: extra.cookie ? { cookie: extra.cookie } : {} });
    for (const r of [
      await again({ name: 'Mallory' }), // same name, another browser
      await again({ name: 'mallory ' }), // same name, other case and spaces
      await again({ name: 'Trudy' }, { cookie }), // same browser, another name
      await again({ name: 'Eve' }, { bearer: first.body.token }), // the old token, another name
      await again({ name: 'Mallory', rejoinCode: first.body.rejoinCode }), // its own rejoin code
    ]) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('kicked');
      expect(r.body.error.message).toMatch(/removed you/);
      expect(r.body.error.message).toMatch(/retiré/);
    }
    const seats = (await call(`/api/labs/${lab.code}/teacher/roster`, { bearer: lab.secret })).body.seats;
    expect(seats[0]).toMatchObject({ name: 'Mallory', kicked: true, banned: true });

    expect((await teacher(lab, 'allow', { seatId: first.body.seat.seatId })).status).toBe(200);
    const back = await again({ name: 'Trudy' }, { cookie });
    expect(back.status).toBe(201);
    const after = (await call(`/api/labs/${lab.code}/teacher/roster`, { bearer: lab.secret })).body.seats;
    expect(after.find((s: any) => s.seatId === first.body.seat.seatId)).toMatchObject({ kicked: true, banned: false });
  });
});

describe('5. names must be readable', () => {
  it('refuses invisible, bidi-mark and separator characters with a bilingual message; keeps NFC, trimmed names', async () => {
    const lab = await createLab({ scenario: 'five-node-split-3-2', teams: 4 });
    for (const name of ['\u200b', '\u3164', 'Ali\u200bce', 'Bob\u200f', 'a\u2028b', '\u2800', 'Zoé\u202e', 'x\u00a0y', '   ', '🙂']) {
      const r = await call(`/api/labs/${lab.code}/join`, { json: { name } });
      expect([JSON.stringify(name), r.status, r.body.error.code]).toEqual([JSON.stringify(name), 400, 'bad_name']);
      expect(r.body.error.message).toMatch(/lettre ou un chiffre visible/);
      expect(r.body.error.message).toMatch(/visible letter or digit/);
    }
    const j = await join(lab, '  Chloe\u0301  ');
    expect(j.seat.name).toBe('Chloé');
    expect((await call(`/api/labs/${lab.code}/join`, { json: { name: 'CHLOÉ' } })).body.error.code).toBe('name_taken');
    for (const name of ["O'Neil", 'Jean Paul', '李雷', 'x;=1+2;y']) expect((await call(`/api/labs/${lab.code}/join`, { json: { name } })).status).toBe(201);
  });
});

describe('6. security headers', () => {
  it('every Worker answer carries CSP with frame-ancestors none, no-referrer and nosniff; the report allows its style by hash only', async () => {
    const lab = await createLab({ scenario: 'three-node-isolation' });
    for (const path of ['/api/health', '/api/scenarios', `/api/labs/${lab.code}`, '/api/labs/ZZZZZZ', '/api/nothing']) {
      const r = await call(path);
      expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const page = await call(`/api/labs/${lab.code}/report?secret=${encodeURIComponent(lab.secret)}`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    expect(page.body).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    // The hash is the page's own <style> block.
    const css = /<style>([\s\S]*?)<\/style>/.exec(page.body)![1]!;
    const digest = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(css)))));
    expect(csp).toContain(`'sha256-${digest}'`);
  });
});

describe('7. teacher socket limits', () => {
  it('closes a teacher socket sending a frame over 4 KiB with 1009', async () => {
    const lab = await runningLab();
    const tws = await openSocket(`/ws/labs/${lab.code}/teacher?team=1&secret=${encodeURIComponent(lab.secret)}`);
    await tws.waitFor((m) => m.type === 'snapshot', 'snapshot');
    tws.send({ type: 'snapshot', pad: 'x'.repeat(5000) });
    await tws.waitFor((m) => m.type === 'error' && m.code === 'frame_too_big', 'frame_too_big');
    expect((await tws.waitClosed()).code).toBe(1009);
  });
});

describe('rejoin codes', () => {
  it('takes a seat back from another browser with name + rejoin code: new token, old socket closed with a reason', async () => {
    const lab = await runningLab();
    const j = await join(lab, 'Nadia');
    expect(j.rejoinCode).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    const ws = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    const welcome = await ws.waitFor((m) => m.type === 'welcome', 'welcome');
    expect(welcome.rejoinCode).toBe(j.rejoinCode);
    const me = await call(`/api/labs/${lab.code}/me`, { bearer: j.token });
    expect(me.body.rejoinCode).toBe(j.rejoinCode);
    const roster = (await call(`/api/labs/${lab.code}/teacher/roster`, { bearer: lab.secret })).body.seats;
    expect(roster[0].rejoinCode).toBe(j.rejoinCode);

    const wrong = await call(`/api/labs/${lab.code}/join`, { json: { name: 'Nadia', rejoinCode: j.rejoinCode === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA' } });
    expect([wrong.status, wrong.body.error.code]).toEqual([403, 'bad_rejoin_code']);
    const otherName = await call(`/api/labs/${lab.code}/join`, { json: { name: 'Someone', rejoinCode: j.rejoinCode } });
    expect([otherName.status, otherName.body.error.code]).toEqual([403, 'bad_rejoin_code']);

    const back = await call(`/api/labs/${lab.code}/join`, { json: { name: 'nadia', rejoinCode: j.rejoinCode.toLowerCase() } });
    expect(back.status).toBe(201);
    expect(back.body.seat).toEqual(j.seat);
    expect(back.body.rejoinCode).toBe(j.rejoinCode);
    expect(back.body.token).not.toBe(j.token);
    const closed = await ws.waitClosed();
    expect(closed.code).toBe(4001);
    expect(closed.reason).toMatch(/rejoin code/);
    expect((await call(`/api/labs/${lab.code}/me`, { bearer: j.token })).status).toBe(401);
    const ws2 = await openSocket(`/ws/labs/${lab.code}/student?token=${back.body.token}`);
    expect((await ws2.waitFor((m) => m.type === 'welcome', 'welcome')).seat.seatId).toBe(j.seat.seatId);
    ws2.close();
  });
});
