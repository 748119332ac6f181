// A reconnect goes straight to the team's room with the seat this isolate remembers
// (src/api/student-socket.ts), and the room lets it in only while it holds that token for that
// seat: a kick, a move, a rejoin code or an eviction sends the Worker back to the LabObject.
import { env } from 'cloudflare:workers';
import { evictDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, createLab, join, openSocket, teacher, type Client, type Lab } from './helpers';
import { seatMemory } from '../../src/api/student-socket';

const socketOf = (lab: Lab, token: string) => openSocket(`/ws/labs/${lab.code}/student?token=${encodeURIComponent(token)}`);

/** A student socket, welcomed, and the Worker's counters around its opening. */
async function connect(lab: Lab, token: string): Promise<{ c: Client; welcome: any; hit: boolean; asked: boolean }> {
  const before = { ...seatMemory };
  const c = await socketOf(lab, token);
  const welcome = await c.waitFor((m) => m.type === 'welcome', 'welcome');
  return { c, welcome, hit: seatMemory.hits > before.hits, asked: seatMemory.asked > before.asked };
}

/** A socket the Worker refuses: closed with 1008, no welcome. */
async function refused(lab: Lab, token: string): Promise<void> {
  const c = await socketOf(lab, token);
  expect((await c.waitClosed()).code).toBe(1008);
  expect(c.of('welcome')).toEqual([]);
}

describe('reconnects from the Worker’s memory', () => {
  it('asks the LabObject on the first connect only; the remembered seat is the same seat', async () => {
    const lab = await createLab({ scenario: 'three-node-isolation', teams: 1, timeline: false });
    const j = await join(lab, 'Ada');
    const first = await connect(lab, j.token);
    expect(first).toMatchObject({ hit: false, asked: true });
    first.c.close();
    for (let i = 0; i < 2; i++) {
      const again = await connect(lab, j.token);
      expect(again).toMatchObject({ hit: true, asked: false });
      expect(again.welcome.seat).toEqual(first.welcome.seat);
      expect(again.welcome.rejoinCode).toBe(j.rejoinCode);
      again.c.close();
    }
  });

  it('a kicked seat’s remembered token is refused', async () => {
    const lab = await createLab({ scenario: 'three-node-isolation', teams: 1, timeline: false });
    await teacher(lab, 'start');
    const j = await join(lab, 'Bob');
    const { c } = await connect(lab, j.token);
    expect((await teacher(lab, 'kick', { seatId: j.seat.seatId })).status).toBe(200);
    expect((await c.waitClosed()).code).toBe(1008);
    await refused(lab, j.token);
  });

  it('a seat taken back with its rejoin code: the old token is refused, the new one is asked of the LabObject', async () => {
    const lab = await createLab({ scenario: 'three-node-isolation', teams: 1, timeline: false });
    const j = await join(lab, 'Chloé');
    const old = await connect(lab, j.token);
    const back = await call(`/api/labs/${lab.code}/join`, { json: { name: 'Chloé', rejoinCode: j.rejoinCode } });
    expect(back.status).toBe(201);
    await old.c.waitClosed();
    await refused(lab, j.token);
    const fresh = await connect(lab, back.body.token);
    expect(fresh).toMatchObject({ hit: false, asked: true });
    expect(fresh.welcome.seat.seatId).toBe(j.seat.seatId);
    fresh.c.close();
  });

  it('a moved seat lands in its new team, on its new node', async () => {
    const lab = await createLab({ scenario: 'three-node-isolation', teams: 2, timeline: false });
    const j = await join(lab, 'Dan', 1);
    const before = await connect(lab, j.token);
    const moved = await teacher(lab, 'move', { seatId: j.seat.seatId, team: 2 });
    expect(moved.status).toBe(200);
    await before.c.waitClosed();
    const after = await connect(lab, j.token);
    expect(after.asked).toBe(true);
    expect(after.welcome.seat).toEqual(moved.body.seat);
    expect(after.welcome.seat.team).toBe(2);
    after.c.close();
  });

  it('after the room’s eviction the remembered seat is asked again, and let in', async () => {
    const lab = await createLab({ scenario: 'three-node-isolation', teams: 1, timeline: false });
    const j = await join(lab, 'Eve');
    const first = await connect(lab, j.token);
    first.c.close();
    await evictDurableObject(env.CLUSTER.getByName(`${lab.code}:1`));
    const again = await connect(lab, j.token);
    expect(again).toMatchObject({ hit: false, asked: true });
    expect(again.welcome.seat).toEqual(first.welcome.seat);
    again.c.close();
  });
});
