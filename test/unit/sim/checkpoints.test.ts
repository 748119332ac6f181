import { describe, expect, it } from 'vitest';
import { isRight, questionsFor, questionsForAll, QUESTION_IDS, type Answer, type SeatQuestion } from '../../../src/sim/checkpoints';
import { Harness, haVm, mkConfig } from './harness';

const byId = (qs: SeatQuestion[], id: string) => qs.find((q) => q.id === id)!;
const right = (qs: SeatQuestion[], id: string) => byId(qs, id).right;

function isolated() {
  const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(101, 'pve2'), haVm(103, 'pve3')] }));
  h.advance(5000);
  h.fault({ kind: 'isolate', node: 'pve2' });
  h.until(() => !h.quorate('pve2'));
  return h;
}

describe('checkpoint answers per seat', () => {
  it('differ per node in an isolation: the isolated node and a majority node', () => {
    const h = isolated();
    const all = questionsForAll(h.s, ['pve1', 'pve2'], QUESTION_IDS);
    const [p1, p2] = [all.pve1!, all.pve2!];
    expect(right(p2, 'quorate')).toEqual({ kind: 'choice', value: 'no' });
    expect(right(p1, 'quorate')).toEqual({ kind: 'choice', value: 'yes' });
    expect(right(p2, 'votes-present')).toEqual({ kind: 'number', value: 1 });
    expect(right(p1, 'votes-present')).toEqual({ kind: 'number', value: 2 });
    expect(right(p1, 'votes-required')).toEqual({ kind: 'number', value: 2 });
    expect(right(p2, 'votes-required')).toEqual({ kind: 'number', value: 2 });
    expect(right(p2, 'cfs-writable')).toEqual({ kind: 'choice', value: 'no' });
    expect(right(p1, 'cfs-writable')).toEqual({ kind: 'choice', value: 'yes' });
    // Each seat is asked about its own HA VM.
    expect(byId(p2, 'ha-fate').vmid).toBe(101);
    expect(byId(p1, 'ha-fate').vmid).toBe(100);
    expect(right(p2, 'ha-fate')).toEqual({ kind: 'choice', value: 'restarted-elsewhere' });
    expect(right(p1, 'ha-fate')).toEqual({ kind: 'choice', value: 'keeps-running' });
    expect(right(p1, 'ha-when')).toEqual({ kind: 'number', value: 0 });
    expect(right(p2, 'who-fences')).toEqual({ kind: 'nodes', value: ['pve2'] });
    expect(right(p1, 'who-fences')).toEqual({ kind: 'nodes', value: ['pve2'] });
    for (const q of [...p1, ...p2]) expect(q.why.fr.length * q.why.en.length).toBeGreaterThan(0);
  });

  it('predicts what really happens next: the VM is back where and when the answer says', () => {
    const h = isolated();
    const qs = questionsFor(h.s, 'pve2', ['ha-when', 'ha-fate']);
    const when = right(qs, 'ha-when');
    expect(when.kind === 'number' && when.value).toBeGreaterThan(0);
    const t0 = h.now;
    const back = h.until(() => h.runningOn(101).some((n) => n !== 'pve2'));
    expect(when).toEqual({ kind: 'number', value: Math.round((back - t0) / 1000) });
    expect(h.first('self-fenced', (e) => e.node === 'pve2')).toBeTruthy();
  });

  it('asking does not change the cluster (the prediction runs on a copy)', () => {
    const h = isolated();
    const before = JSON.stringify(h.s);
    questionsForAll(h.s, ['pve1', 'pve2', 'pve3'], QUESTION_IDS);
    expect(JSON.stringify(h.s)).toBe(before);
  });

  it('a healthy cluster: everyone quorate, nobody fenced, VMs keep running', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1')] }));
    h.advance(3000);
    const qs = questionsFor(h.s, 'pve3', QUESTION_IDS);
    expect(right(qs, 'quorate')).toEqual({ kind: 'choice', value: 'yes' });
    expect(right(qs, 'votes-present')).toEqual({ kind: 'number', value: 3 });
    expect(right(qs, 'who-fences')).toEqual({ kind: 'nodes', value: [] });
    expect(right(qs, 'ha-fate')).toEqual({ kind: 'choice', value: 'keeps-running' });
  });

  it('an even split without a QDevice: nobody quorate, the VM stays stopped after its node resets', () => {
    const h = new Harness(mkConfig({ nodes: 4, vms: [haVm(100, 'pve1')] }));
    h.advance(3000);
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] });
    h.until(() => !h.quorate('pve1') && !h.quorate('pve3'));
    const qs = questionsFor(h.s, 'pve3', ['quorate', 'votes-required', 'ha-fate', 'ha-when', 'who-fences']);
    expect(right(qs, 'quorate')).toEqual({ kind: 'choice', value: 'no' });
    expect(right(qs, 'votes-required')).toEqual({ kind: 'number', value: 3 });
    expect(right(qs, 'ha-fate')).toEqual({ kind: 'choice', value: 'stays-stopped' });
    expect(right(qs, 'ha-when')).toEqual({ kind: 'number', value: -1 });
    expect(right(qs, 'who-fences')).toEqual({ kind: 'nodes', value: ['pve1'] });
  });
});

describe('isRight', () => {
  const q = (right: Answer, tolerance?: number): SeatQuestion => ({
    id: 'ha-when',
    kind: right.kind,
    text: { fr: '', en: '' },
    right,
    why: { fr: '', en: '' },
    ...(tolerance !== undefined ? { tolerance } : {}),
  });
  it('checks each kind, with the tolerance of numbers and sets of nodes in any order', () => {
    expect(isRight(q({ kind: 'number', value: 40 }, 8), { kind: 'number', value: 47 })).toBe(true);
    expect(isRight(q({ kind: 'number', value: 40 }, 8), { kind: 'number', value: 49 })).toBe(false);
    expect(isRight(q({ kind: 'nodes', value: ['pve1', 'pve2'] }), { kind: 'nodes', value: ['pve2', 'pve1', 'pve2'] })).toBe(true);
    expect(isRight(q({ kind: 'nodes', value: [] }), { kind: 'nodes', value: ['pve1'] })).toBe(false);
    expect(isRight(q({ kind: 'choice', value: 'yes' }), { kind: 'number', value: 1 })).toBe(false);
    expect(isRight(q({ kind: 'choice', value: 'yes' }), undefined)).toBe(false);
  });
});

import { createCluster, step } from '../../../src/sim/index';
import { SCENARIOS, buildClusterConfig } from '../../../src/sim/scenarios';
import type { ClusterState } from '../../../src/sim/types';

/** A preset played headless on autopilot with its timeline, up to `atMs`. */
function playTo(id: string, atMs: number): ClusterState {
  const sc = SCENARIOS.find((x) => x.id === id)!;
  const s = createCluster(buildClusterConfig(sc, { timing: 'course', voteMode: 'auto' }), 7);
  let next = 0;
  while (s.now < atMs) {
    step(s, { type: 'tick', at: s.now + s.config.timing.tickMs });
    while (next < sc.timeline.length && sc.timeline[next]!.atMs <= s.now) step(s, { type: 'fault', at: s.now, fault: sc.timeline[next++]!.fault });
  }
  return s;
}

describe('preset checkpoints', () => {
  it.each(SCENARIOS.map((sc) => [sc.id]))('%s has two checkpoints answerable by every node, with answers that depend on the node', (id) => {
    const sc = SCENARIOS.find((x) => x.id === id)!;
    expect(sc.checkpoints.length).toBeGreaterThanOrEqual(2);
    const nodes = sc.cluster.nodes.map((n) => n.name);
    let differs = false;
    for (const cp of sc.checkpoints) {
      expect(cp.title.fr && cp.title.en).toBeTruthy();
      const s = playTo(id, cp.atMs);
      const all = questionsForAll(s, nodes, cp.questions);
      for (const n of nodes) {
        for (const q of all[n]!) expect(q.right.kind).toBe(q.kind);
        expect(all[n]!.length).toBeGreaterThan(0);
      }
      const keys = nodes.map((n) => JSON.stringify(all[n]!.map((q) => [q.vmid, q.right])));
      if (new Set(keys).size > 1) differs = true;
    }
    // After the failure at least one preset question reads differently from two nodes: answers
    // cannot be copied from a neighbour.
    expect(differs).toBe(true);
  });
});
