import { describe, expect, it } from 'vitest';
import { createCluster, linkDeaf } from '../../../../src/sim/index';
import { foldLog } from '../../../../src/reports/derive';
import { Harness, mkConfig } from '../harness';

describe('rules/faults: the world', () => {
  it('heal restores links and QDevice reach but not a qnetd host that is down', () => {
    const h = new Harness(mkConfig({ nodes: 4, qdevice: 'ffsplit' }));
    h.advance(3000);
    h.fault({ kind: 'qdevice-host', up: false });
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.fault({ kind: 'link-quality', a: 'pve2', b: 'pve3', loss: 1, latencyMs: 0 });
    expect(linkDeaf(h.s, 'pve1', 'pve2')).toBe(true);
    expect(linkDeaf(h.s, 'pve3', 'pve2')).toBe(true);
    h.fault({ kind: 'heal' });
    expect(linkDeaf(h.s, 'pve1', 'pve2')).toBe(false);
    expect(linkDeaf(h.s, 'pve3', 'pve2')).toBe(false);
    expect(h.s.qdevice!.reach.pve1).toBe(true);
    expect(h.s.qdevice!.hostUp).toBe(false);
  });

  it('a fault naming an unknown node changes nothing and emits nothing', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    const r = h.fault({ kind: 'isolate', node: 'pve9' });
    expect(r.events).toEqual([]);
  });

  it('reports replay stored faults through the same rule (heal keeps qnetd down)', () => {
    const config = mkConfig({ nodes: 4, qdevice: 'ffsplit', autoNodes: [] });
    const h = new Harness(config);
    h.fault({ kind: 'qdevice-host', up: false });
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.fault({ kind: 'heal' });
    const fold = foldLog(createCluster(config, 'report'), h.events, h.now, { humanVotes: false });
    expect(fold.final.qdevice!.hostUp).toBe(false);
    expect(fold.final.qdevice!.reach).toEqual(h.s.qdevice!.reach);
    expect(fold.final.links).toEqual(h.s.links);
  });
});
