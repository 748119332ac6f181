// rules/pmxcfs: /etc/pve copies, writes, merges.
import { describe, expect, it } from 'vitest';
import { cfsCommit, timingFor, type Ctx } from '../../../../src/sim/index';
import type { ClusterState } from '../../../../src/sim/types';
import { Harness, mkConfig } from '../harness';

const T = timingFor('course', 3);
/** Time for a silent node to leave the membership: dead after 10 s, seen on the next tick. */
const DETECT = T.deadAfterMs + T.tickMs;

describe('pmxcfs', () => {
  it('merge after a two_node split: the highest version wins and the other side’s writes are reported lost', () => {
    const h = new Harness(mkConfig({ nodes: 2, options: { two_node: true } }));
    h.advance(5000);
    h.fault({ kind: 'link', a: 'pve1', b: 'pve2', cut: true });
    h.advance(DETECT);
    expect(h.quorate('pve1') && h.quorate('pve2')).toBe(true);
    const c: Ctx = { s: h.s, events: [] };
    const addVm = (vmid: number, on: string) => (db: ClusterState['nodes'][string]['cfs']) => {
      db.vms[String(vmid)] = { vmid, name: `vm${vmid}`, node: on, memoryMb: 512, diskGb: 4, storage: 'shared' };
    };
    expect(cfsCommit(c, 'pve1', 'nodes/pve1/qemu-server/200.conf', 'create VM 200', addVm(200, 'pve1'))).toBe(true);
    expect(cfsCommit(c, 'pve1', 'nodes/pve1/qemu-server/201.conf', 'create VM 201', addVm(201, 'pve1'))).toBe(true);
    expect(cfsCommit(c, 'pve2', 'nodes/pve2/qemu-server/300.conf', 'create VM 300', addVm(300, 'pve2'))).toBe(true);
    h.events.push(...c.events);
    // Each side sees only its own writes.
    expect(Object.keys(h.s.nodes.pve2!.cfs.vms)).toEqual(['300']);
    expect(h.first('split-brain-started', (e) => e.kind === 'cfs-diverged')).toBeDefined();
    const v1 = h.s.nodes.pve1!.cfs.version;
    expect(v1).toBeGreaterThan(h.s.nodes.pve2!.cfs.version);
    h.fault({ kind: 'heal' });
    h.advance(T.tokenMs + T.tickMs); // a heal merges after one token time
    const merge = h.first('pmxcfs-merge')!;
    expect(merge).toMatchObject({ winner: ['pve1'], version: v1 });
    expect(merge.lost).toEqual([expect.objectContaining({ node: 'pve2', path: 'nodes/pve2/qemu-server/300.conf', what: 'create VM 300' })]);
    for (const n of ['pve1', 'pve2']) expect(Object.keys(h.s.nodes[n]!.cfs.vms).sort()).toEqual(['200', '201']);
    expect(h.first('split-brain-ended', (e) => e.kind === 'cfs-diverged')).toBeDefined();
    expect(h.s.incidents.every((i) => i.endedAt !== null)).toBe(true);
  });

  it('an inquorate node cannot write /etc/pve', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.fault({ kind: 'isolate', node: 'pve3' });
    h.advance(DETECT);
    const c: Ctx = { s: h.s, events: [] };
    expect(cfsCommit(c, 'pve3', 'storage.cfg', 'edit', () => {})).toBe(false);
    expect(c.events).toEqual([expect.objectContaining({ type: 'pmxcfs-refused', node: 'pve3', path: 'storage.cfg' })]);
  });
});
