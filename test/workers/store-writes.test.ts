// What a save writes to a ClusterObject's own SQLite (src/rooms/cluster-store.ts), on the real
// storage: nothing when nothing changed, only the touched node's parts when one node changed, the
// state read back whole after all of it; the seat holders only when a seat or a sample moved.
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ClusterStore } from '../../src/rooms/cluster-store';
import type { ClusterMeta } from '../../src/rooms/cluster-types';
import { splitState } from '../../src/rooms/state-parts';
import { createCluster, step } from '../../src/sim/index';
import { buildClusterConfig, getScenario } from '../../src/sim/scenarios';

describe('ClusterStore writes', () => {
  it('writes nothing for an unchanged state, only the touched node’s parts for a one-node change, and reads back whole', { timeout: 60_000 }, async () => {
    const stub = env.CLUSTER.getByName(`store-writes-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_room, state) => {
      const sql = state.storage.sql;
      const store = new ClusterStore(sql);
      const s = createCluster(buildClusterConfig(getScenario('whole-class-64')!, { timing: 'course', voteMode: 'auto' }), 'store');
      for (let t = 1000; t <= 10_000; t += 1000) step(s, { type: 'tick', at: t });
      const rowsIn = () => sql.exec<{ v: string }>(`SELECT v FROM sim_parts`).toArray().length;

      expect(store.saveSim(s)).toBe(17); // first save: every part (core, 4 node chunks, 8 /etc/pve chunks, 4 link chunks)
      expect(rowsIn()).toBe(17);

      // Nothing changed (a paused room saving again): no row written.
      expect(store.saveSim(s)).toBe(0);
      expect(store.stats.lastSimKeys).toEqual([]);

      // A tick: the clock and heard times move, not /etc/pve nor the links.
      step(s, { type: 'tick', at: s.now + 1000 });
      store.saveSim(s);
      expect(store.stats.lastSimKeys.sort()).toEqual(['core', 'nodes:0', 'nodes:1', 'nodes:2', 'nodes:3']);

      // One node changes (its clock is skewed): its runtime chunk, and the core (the event's number).
      step(s, { type: 'fault', at: s.now, fault: { kind: 'clock-skew', node: 'pve40', skewMs: 5000 } });
      store.saveSim(s);
      expect(store.stats.lastSimKeys.sort()).toEqual(['core', 'nodes:2']);

      // One node gets a new /etc/pve copy: its /etc/pve chunk alone.
      s.nodes['pve40']!.cfs = { ...s.nodes['pve40']!.cfs, version: s.nodes['pve40']!.cfs.version + 1 };
      store.saveSim(s);
      expect(store.stats.lastSimKeys).toEqual(['cfs:4']);

      // The link pve20–pve3 degrades (both directions, edited in place): the chunks of the links
      // leaving pve3 and pve20 alone.
      step(s, { type: 'fault', at: s.now, fault: { kind: 'link-quality', a: 'pve20', b: 'pve3', loss: 0.3, latencyMs: 20 } });
      store.saveSim(s);
      expect(store.stats.lastSimKeys.sort()).toEqual(['core', 'links:0', 'links:1']);

      // What is stored is the whole state, as a fresh object reads it after an eviction.
      const stored = new Map(sql.exec<{ k: string; v: string }>(`SELECT k, v FROM sim_parts`).toArray().map((r) => [r.k, r.v]));
      expect(stored).toEqual(splitState(s));
      expect(new ClusterStore(sql).loadSim()).toEqual(s);
    });
  });

  it('writes the seat holders whenever their counts moved, and the meta only when it changed', async () => {
    const stub = env.CLUSTER.getByName(`store-holders-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_room, state) => {
      const store = new ClusterStore(state.storage.sql);
      const meta = { labId: 'l', code: 'C', team: 1, teamId: 't', status: 'running', settings: {}, timeline: [], timelineNext: 0, flushedSeq: 0, holders: { pve1: { seatId: 'a', heard: 0, ticks: 0 } } } as unknown as ClusterMeta;
      const rows = () => store.stats.rows;
      store.saveMeta(meta);
      const first = rows();
      expect(first).toBe(2); // meta and holders
      store.saveMeta(meta);
      expect(rows()).toBe(first); // nothing moved: nothing written
      for (let t = 1; t < 10; t++) {
        meta.holders!.pve1!.ticks = t;
        meta.holders!.pve1!.heard = t;
        store.saveMeta(meta);
      }
      expect(rows()).toBe(first + 9); // the counts, one row per tick; the meta untouched
      meta.status = 'paused';
      store.saveMeta(meta);
      expect(rows()).toBe(first + 10);
      // Read back after an eviction: the counts as of the last tick.
      const back = new ClusterStore(state.storage.sql).loadMeta()!;
      expect(back.holders).toEqual({ pve1: { seatId: 'a', heard: 9, ticks: 9 } });
      expect(back.status).toBe('paused');
    });
  });
});
