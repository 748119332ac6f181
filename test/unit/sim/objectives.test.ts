// checkObjectives.
import { describe, expect, it } from 'vitest';
import { createCluster, timingFor } from '../../../src/sim/index';
import { buildClusterConfig, getScenario } from '../../../src/sim/scenarios';
import { checkObjectives } from '../../../src/sim/objectives';
import type { ClusterState, SimEvent } from '../../../src/sim/types';

const T = timingFor('course', 3);
/** Time for a silent node to leave the membership: dead after 10 s, seen on the next tick. */
const DETECT = T.deadAfterMs + T.tickMs;

describe('checkObjectives', () => {
  const sc = getScenario('planned-maintenance')!;
  const s = createCluster(buildClusterConfig(sc, { timing: 'course', voteMode: 'auto' }), 1);
  let seq = 0;
  const ev = (body: Record<string, unknown>): SimEvent => ({ seq: ++seq, at: seq * 1000, ...body }) as SimEvent;

  it('migrated-before-event: a migration counts only before the first such event', () => {
    seq = 0;
    const events = [
      ev({ type: 'maintenance', node: 'pve2', enabled: true }),
      ev({ type: 'migrated', vmid: 101, from: 'pve2', to: 'pve1', online: true }),
      ev({ type: 'node-power', node: 'pve2', power: 'booting', reason: 'reboot' }),
      ev({ type: 'migrated', vmid: 102, from: 'pve2', to: 'pve3', online: true }),
    ];
    const r = Object.fromEntries(checkObjectives(sc, events, s).map((x) => [x.id, x]));
    expect(r['maintenance-on']).toMatchObject({ met: true, evidenceSeq: 1 });
    expect(r['db01-moved']).toMatchObject({ met: true, evidenceSeq: 2, points: 20 });
    expect(r['web02-moved']).toMatchObject({ met: false, points: 0, maxPoints: 20 });
    expect(r['web02-moved']!.evidenceSeq).toBeUndefined();
    expect(r['maintenance-off']!.met).toBe(false);
  });

  it('no-split-brain and no-event point at the offending event', () => {
    seq = 0;
    const events = [
      ev({ type: 'expected-changed', node: 'pve1', expected: 1, reason: 'merge' }),
      ev({ type: 'expected-changed', node: 'pve1', expected: 1, reason: 'command' }),
      ev({ type: 'split-brain-started', incident: 1, kind: 'two-quorate', cause: 'x' }),
    ];
    const iso = getScenario('three-node-isolation')!;
    const r = Object.fromEntries(checkObjectives(iso, events, s).map((x) => [x.id, x]));
    expect(r['no-forced-expected']).toMatchObject({ met: false, evidenceSeq: 2 });
    expect(r['no-split-brain']).toMatchObject({ met: false, evidenceSeq: 3 });
  });

  it('command lines match with whitespace collapsed, and only when the command succeeded', () => {
    seq = 0;
    const iso = getScenario('three-node-isolation')!;
    const check = (events: SimEvent[]) => checkObjectives(iso, events, s).find((x) => x.id === 'pve2-status')!.met;
    expect(check([ev({ type: 'command', node: 'pve2', line: '  pvecm   status ', ok: true })])).toBe(true);
    expect(check([ev({ type: 'command', node: 'pve1', line: 'pvecm status', ok: true })])).toBe(false);
    expect(check([ev({ type: 'command', node: 'pve2', line: 'pvecm status', ok: false })])).toBe(false);
  });

  it('final-state checks: a VM running twice is not "running", qdevice and quorum at the end', () => {
    const copy = JSON.parse(JSON.stringify(s)) as ClusterState;
    const res = () => Object.fromEntries(checkObjectives(sc, [], copy).map((x) => [x.id, x.met]));
    expect(res()['all-quorate-at-end']).toBe(true);
    copy.nodes.pve3!.quorate = false;
    expect(res()['all-quorate-at-end']).toBe(false);
    const five = getScenario('five-node-split-3-2')!;
    const s5 = createCluster(buildClusterConfig(five, { timing: 'course', voteMode: 'auto' }), 1);
    const running105 = () => checkObjectives(five, [], s5).find((x) => x.id === 'running-105')!.met;
    expect(running105()).toBe(true);
    s5.vms['105']!.runningOn.push('pve1');
    expect(running105()).toBe(false);
    const q = getScenario('four-node-split-qdevice')!;
    const sq = createCluster(buildClusterConfig(q, { timing: 'course', voteMode: 'auto' }), 1);
    const qd = getScenario('two-node-qdevice')!;
    const sqd = createCluster(buildClusterConfig(qd, { timing: 'course', voteMode: 'auto' }), 1);
    const qdCheck = { id: 'q', points: 1, title: { fr: 'q', en: 'q' }, check: { kind: 'qdevice-configured-at-end' as const } };
    expect(checkObjectives({ ...q, objectives: [qdCheck] }, [], sq)[0]!.met).toBe(true);
    expect(checkObjectives({ ...qd, objectives: [qdCheck] }, [], sqd)[0]!.met).toBe(false);
  });
});
