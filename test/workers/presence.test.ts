// Presence samples (src/rooms/seat-log.ts) are for the reports: one per held seat every
// PRESENCE_SAMPLE_TICKS and when a seat is left, in the log, and on no socket — neither the
// teacher's live frames nor the backlog a reloaded dashboard gets.
import { describe, expect, it } from 'vitest';
import { PRESENCE_SAMPLE_TICKS } from '../../src/rooms/seat-log';
import { clusterStub, createLab, join, openSocket, teacher, ticks } from './helpers';

describe('presence samples', () => {
  it('go into the log every sample window and at a kick, and to no teacher socket', { timeout: 120_000 }, async () => {
    const lab = await createLab({ scenario: 'three-node-power-loss', timeline: false });
    const j = await join(lab, 'Alice');
    const student = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    await student.waitFor((m) => m.type === 'welcome', 'welcome');
    const live = await openSocket(`/ws/labs/${lab.code}/teacher?secret=${lab.secret}`);
    await live.waitFor((m) => m.type === 'snapshot', 'snapshot');
    expect((await teacher(lab, 'start')).status).toBe(200);
    await ticks(lab, PRESENCE_SAMPLE_TICKS + 1, [student]);
    const sampled = (await clusterStub(lab).getEvents(0)).filter((e) => e.type === 'presence');
    expect(sampled.length).toBeGreaterThanOrEqual(1);
    expect(sampled[0]).toMatchObject({ node: j.seat.node, seatId: j.seat.seatId });
    expect((sampled[0] as { ticks: number }).ticks).toBeGreaterThanOrEqual(PRESENCE_SAMPLE_TICKS);
    expect((await teacher(lab, 'kick', { seatId: j.seat.seatId })).status).toBe(200);
    const log = await clusterStub(lab).getEvents(0);
    expect(log.filter((e) => e.type === 'presence').length).toBeGreaterThan(sampled.length); // the kick's partial sample
    // The teacher's socket got no presence sample, live or at the kick.
    expect(live.of('event').some((m) => m.event.type === 'presence')).toBe(false);
    // A reloaded dashboard's backlog leaves them out too.
    const reloaded = await openSocket(`/ws/labs/${lab.code}/teacher?secret=${lab.secret}`);
    const backlog = await reloaded.waitFor((m) => m.type === 'events', 'events');
    expect(backlog.events.some((e: { type: string }) => e.type === 'seat-taken')).toBe(true);
    expect(backlog.events.some((e: { type: string }) => e.type === 'presence')).toBe(false);
    for (const c of [student, live, reloaded]) c.close();
  });
});
