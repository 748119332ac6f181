// The harm told: the seat whose forced expected vote opened a split-brain sees that event (and so
// gets the banner and the course rule); every other seat still does not.
import { describe, expect, it } from 'vitest';
import { seesEvent } from '../../../src/sim/index';
import { Harness, haVm, mkConfig } from './harness';

describe('view: the split-brain a student opened', () => {
  it('reaches the node whose `pvecm expected 1` opened it, and nobody else', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => !h.s.nodes.pve1!.quorate);
    const r = h.input({ type: 'command', at: h.now, node: 'pve1', line: 'pvecm expected 1' });
    expect(r.command?.exitCode).toBe(0);
    const sb = h.events.find((e) => e.type === 'split-brain-started');
    expect(sb && sb.type === 'split-brain-started' && sb.cause).toMatch(/pvecm expected 1 on pve1 at/);
    expect(seesEvent(h.s, sb!, { role: 'node', node: 'pve1' })).toBe(true);
    expect(seesEvent(h.s, sb!, { role: 'node', node: 'pve2' })).toBe(false);
    expect(seesEvent(h.s, sb!, { role: 'node', node: 'pve3' })).toBe(false);
    expect(seesEvent(h.s, sb!, { role: 'qdevice', node: 'qdevice' })).toBe(false);
  });

  it('a split-brain nobody typed (the network alone) reaches no seat', () => {
    const h = new Harness(mkConfig({ nodes: 2, options: { two_node: true } }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.advance(20_000);
    const sb = h.events.find((e) => e.type === 'split-brain-started');
    expect(sb && sb.type === 'split-brain-started' && sb.cause).toMatch(/two_node/);
    for (const n of ['pve1', 'pve2']) expect(seesEvent(h.s, sb!, { role: 'node', node: n })).toBe(false);
  });
});

describe('view: the consequences of the split-brain a student opened', () => {
  it('the VM now running twice and /etc/pve written on both sides reach that seat, and nobody else', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(101, 'pve1')] }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => !h.s.nodes.pve1!.quorate);
    h.input({ type: 'command', at: h.now, node: 'pve1', line: 'pvecm expected 1' });
    h.until(() => h.events.some((e) => e.type === 'split-brain-started' && e.kind === 'vm-twice'));
    const twice = h.events.find((e) => e.type === 'split-brain-started' && e.kind === 'vm-twice')!;
    expect(seesEvent(h.s, twice, { role: 'node', node: 'pve1' })).toBe(true);
    expect(seesEvent(h.s, twice, { role: 'node', node: 'pve2' })).toBe(false);
    expect(seesEvent(h.s, twice, { role: 'node', node: 'pve3' })).toBe(false);
    // A write on each side: /etc/pve diverges, and the seat that caused it is told; at the merge,
    // one side's writes are lost (that event reaches the nodes of both sides).
    h.input({ type: 'command', at: h.now, node: 'pve1', line: 'ha-manager set vm:101 --state stopped' });
    h.input({ type: 'command', at: h.now, node: 'pve2', line: 'ha-manager set vm:101 --state stopped' });
    h.advance(2000);
    const diverged = h.events.find((e) => e.type === 'split-brain-started' && e.kind === 'cfs-diverged')!;
    expect(diverged).toBeDefined();
    expect(seesEvent(h.s, diverged, { role: 'node', node: 'pve1' })).toBe(true);
    expect(seesEvent(h.s, diverged, { role: 'node', node: 'pve3' })).toBe(false);
    h.fault({ kind: 'heal' });
    h.advance(10_000);
    const merge = h.events.find((e) => e.type === 'pmxcfs-merge')!;
    expect(merge.type === 'pmxcfs-merge' && merge.lost.length).toBeGreaterThan(0);
    expect(seesEvent(h.s, merge, { role: 'node', node: 'pve1' })).toBe(true);
  });

  it('a VM twice in a split-brain nobody typed reaches no seat', () => {
    const h = new Harness(mkConfig({ nodes: 2, options: { two_node: true }, vms: [haVm(101, 'pve1')] }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.advance(200_000);
    for (const e of h.events) if (e.type === 'split-brain-started') for (const n of ['pve1', 'pve2']) expect(seesEvent(h.s, e, { role: 'node', node: n })).toBe(false);
  });
});

describe('view: diagnosis mode keeps the harm told, and nothing else', () => {
  it('the seat that opened a split-brain still gets it, its consequences and the lost writes; no other event reaches a seat', () => {
    const diag = { diagnosis: true };
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(101, 'pve1')] }));
    // What each seat is sent, judged as the room does: right after each step, on the state then.
    const sent: Record<string, string[]> = { pve1: [], pve2: [], pve3: [] };
    const normal: Record<string, number> = { pve1: 0, pve2: 0, pve3: 0 };
    let judged = 0;
    const judge = () => {
      for (const e of h.events.slice(judged))
        for (const node of Object.keys(sent)) {
          if (seesEvent(h.s, e, { role: 'node', node }, diag)) sent[node]!.push(e.type);
          if (seesEvent(h.s, e, { role: 'node', node })) normal[node]!++;
        }
      judged = h.events.length;
    };
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => !h.s.nodes.pve1!.quorate);
    judge();
    h.input({ type: 'command', at: h.now, node: 'pve1', line: 'pvecm expected 1' });
    judge();
    h.until(() => {
      judge();
      return h.events.some((e) => e.type === 'split-brain-started' && e.kind === 'vm-twice');
    });
    h.input({ type: 'command', at: h.now, node: 'pve1', line: 'ha-manager set vm:101 --state stopped' });
    h.input({ type: 'command', at: h.now, node: 'pve2', line: 'ha-manager set vm:101 --state stopped' });
    judge();
    h.advance(2000);
    judge();
    h.fault({ kind: 'heal' });
    judge();
    h.advance(10_000);
    judge();
    expect(sent.pve1).toContain('pmxcfs-merge');
    expect(sent.pve1!.filter((t) => t === 'split-brain-started').length).toBeGreaterThanOrEqual(2); // two-quorate, vm-twice…
    expect(new Set(sent.pve1)).toEqual(new Set(['split-brain-started', 'pmxcfs-merge']));
    // The other nodes lived the same split and merge: in normal mode they are told, here nothing.
    for (const n of ['pve2', 'pve3']) {
      expect(normal[n]).toBeGreaterThan(0);
      expect(sent[n]).toEqual([]);
    }
  });
});
