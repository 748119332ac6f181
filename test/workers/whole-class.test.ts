// The whole class as one cluster: 64 students on a 64-node cluster in one Durable Object, through
// an eviction, with nothing lost (state, event log, sockets), and no stored value near the limits.
import { env } from 'cloudflare:workers';
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, clusterStub, createLab, join, openSocket, simState, teacher, ticks, type Client, type Lab } from './helpers';
import { MAX_VALUE_BYTES } from '../../src/rooms/cluster-store';

const N = 64;

interface StoreView {
  stats: { rows: number; maxBytes: number; lastSimKeys: string[] };
}

/** The largest value in the room's storage, in bytes, and how many sim parts it holds. */
async function storedSizes(lab: Lab): Promise<{ maxBytes: number; parts: number }> {
  return runInDurableObject(clusterStub(lab), (_room, state) => {
    const sql = state.storage.sql;
    const max = (table: string, col: string) => sql.exec<{ m: number | null }>(`SELECT max(length(CAST(${col} AS BLOB))) AS m FROM ${table}`).one().m ?? 0;
    const parts = sql.exec<{ n: number }>(`SELECT count(*) AS n FROM sim_parts`).one().n;
    return { maxBytes: Math.max(max('sim_parts', 'v'), max('kv', 'v'), max('events', 'data')), parts };
  });
}

async function storeStats(lab: Lab): Promise<StoreView['stats']> {
  return runInDurableObject(clusterStub(lab), (room) => ({ ...(room as unknown as { store: StoreView }).store.stats }));
}

describe('whole-class cluster (64 nodes)', () => {
  it('seats 64 students in one cluster, survives an eviction with nothing lost, and never stores a value over 128 KiB', { timeout: 240_000 }, async () => {
    const lab = await createLab({ scenario: `whole-class-${N}`, timeline: false });
    const info = (await call(`/api/labs/${lab.code}`)).body;
    expect(info.teams).toHaveLength(1);
    const students: { token: string; node: string; ws: Client }[] = [];
    for (let i = 0; i < N; i++) {
      const j = await join(lab, `Élève ${i + 1}`);
      expect(j.seat.team).toBe(1);
      const ws = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
      await ws.waitFor((m) => m.type === 'welcome', `welcome ${i + 1}`, 2000);
      students.push({ token: j.token, node: j.seat.node, ws });
    }
    expect(new Set(students.map((s) => s.node)).size).toBe(N);
    expect((await call(`/api/labs/${lab.code}/join`, { json: { name: 'De trop' } })).status).toBe(409); // every seat is taken
    expect((await teacher(lab, 'start')).status).toBe(200);
    const pingers = students.map((s) => s.ws);
    await ticks(lab, 3, pingers);
    let st = await simState(lab);
    expect(st.sim!.config.autoNodes).toEqual([]);
    expect(st.sim!.partitions).toEqual([Array.from({ length: N }, (_, i) => `pve${i + 1}`).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)))]);

    // A steady tick writes the nodes' heard times, not their /etc/pve copies nor their links.
    await ticks(lab, 1, pingers);
    const steady = await storeStats(lab);
    expect(steady.lastSimKeys.length).toBeGreaterThan(0);
    expect(steady.lastSimKeys.filter((k) => k.startsWith('cfs:') || k.startsWith('links:'))).toEqual([]);

    // The teacher cuts the room in two: 40 / 24.
    const groups = [students.slice(0, 40).map((s) => s.node), students.slice(40).map((s) => s.node)];
    expect((await teacher(lab, 'faults', { fault: { kind: 'partition', groups } })).status).toBe(200);
    await ticks(lab, 12, pingers);
    st = await simState(lab);
    expect(st.sim!.partitions.map((p) => p.length).sort((a, b) => a - b)).toEqual([24, 40]);
    const minority = students[63]!.ws;
    await minority.waitFor((m) => m.type === 'view' && m.view.quorate === false, 'minority inquorate view', 2000);

    const sizes = await storedSizes(lab);
    expect(sizes.parts).toBe(1 + 4 + 8 + 4); // core + node chunks of 16, /etc/pve chunks of 8, link chunks of 16
    expect(sizes.maxBytes).toBeLessThan(MAX_VALUE_BYTES);
    expect((await storeStats(lab)).maxBytes).toBeLessThan(MAX_VALUE_BYTES);

    // Eviction: the object is dropped from memory; storage and the hibernated sockets remain.
    const before = await clusterStub(lab).getEvents(0);
    const stateBefore = await simState(lab);
    await evictDurableObject(clusterStub(lab));
    await call(`/api/labs/${lab.code}`); // wake the lab object (it may be idle) to evict it too
    await evictDurableObject(env.LAB.getByName(lab.code));
    expect(await clusterStub(lab).getEvents(0)).toEqual(before);
    const stateAfter = await simState(lab);
    expect(stateAfter.sim).toEqual(stateBefore.sim);
    // The seat holders' presence counts are stored on every tick: an eviction loses none.
    expect(stateAfter.meta).toEqual(stateBefore.meta);

    // The clock goes on, the network heals, and every node is quorate again.
    expect((await teacher(lab, 'faults', { fault: { kind: 'heal' } })).status).toBe(200);
    await ticks(lab, 6, pingers);
    st = await simState(lab);
    expect(st.sim!.now).toBeGreaterThanOrEqual(stateBefore.sim!.now + 6000); // more if the runtime fired a due alarm itself
    expect(st.sim!.partitions).toHaveLength(1);
    expect(Object.values(st.sim!.nodes).every((n) => n.quorate)).toBe(true);
    // No heartbeat was lost on the way: the sockets kept pinging through the eviction.
    const lost = (await clusterStub(lab).getEvents(stateBefore.sim!.seq)).filter((e) => e.type === 'heartbeat-lost');
    expect(lost).toEqual([]);

    // Hibernated sockets still talk; a reconnect gets the same seat and a fresh view.
    minority.send({ type: 'command', line: 'pvecm status', id: 7 });
    const out = await minority.waitFor((m) => m.type === 'output' && m.id === 7, 'pvecm status after eviction', 2000);
    expect(out.output).toMatch(/Expected votes:\s+64/);
    students[0]!.ws.close();
    const again = await openSocket(`/ws/labs/${lab.code}/student?token=${students[0]!.token}`);
    const w = await again.waitFor((m) => m.type === 'welcome', 'welcome again', 2000);
    expect(w.seat.node).toBe(students[0]!.node);
    await again.waitFor((m) => m.type === 'view' && m.view.quorate === true, 'view again', 2000);
    expect((await storedSizes(lab)).maxBytes).toBeLessThan(MAX_VALUE_BYTES);
    again.close();
    for (const s of students) s.ws.close();
  });

  it('refuses a whole-class size it cannot build, with a clear error', async () => {
    const r = await call('/api/labs', { json: { scenario: 'whole-class-65' }, bearer: 'test-teacher-key' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('unknown_scenario');
  });
});
