// An /etc/pve copy (CfsDb) is copy-on-write: a rule makes a new copy and puts it in place, it never
// edits a node's copy. The room's store relies on it (src/rooms/state-parts.ts remembers a copy's
// text by identity and does not serialise it again). Here every node's copy is deep-frozen after
// every step of every preset, played with its timeline, its scripted commands and commands that
// write /etc/pve: an edit in place throws (modules run in strict mode) and fails the test.
import { describe, expect, it } from 'vitest';
import { createCluster, step } from '../../../src/sim/index';
import { buildClusterConfig, getScenario, SCENARIOS } from '../../../src/sim/scenarios';
import type { ClusterState, SimInput, VoteMode } from '../../../src/sim/types';
import { LAB_PLAYS, type Script } from './lab-plays';

function deepFreeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}

/** Commands that write /etc/pve on any preset (some fail there: harmless, they are still run). */
function writes(s: ClusterState): Script {
  const names = s.config.nodes.map((n) => n.name);
  const [a, b] = [names[0]!, names[1]!];
  const vm = s.config.vms.find((v) => v.ha) ?? s.config.vms[0];
  const lines: Script = [
    [15_000, a, `ha-manager crm-command node-maintenance enable ${b}`],
    [40_000, a, `ha-manager crm-command node-maintenance disable ${b}`],
    [45_000, a, 'touch /etc/pve/notes.txt'],
    [50_000, b, `ha-manager groupadd g1 --nodes ${a},${b}`],
    [200_000, b, 'pvecm expected 1'],
  ];
  if (vm) {
    lines.push(
      [55_000, a, `ha-manager set vm:${vm.vmid} --state stopped`],
      [65_000, a, `ha-manager set vm:${vm.vmid} --state started`],
      [80_000, a, `qm migrate ${vm.vmid} ${b}`],
      [90_000, a, `ha-manager remove vm:${vm.vmid}`],
      [95_000, a, `ha-manager add vm:${vm.vmid} --group g1`],
    );
  }
  return lines.sort((x, y) => x[0] - y[0]);
}

function playFrozen(id: string, voteMode: VoteMode, ms: number): ClusterState {
  const sc = getScenario(id)!;
  const s = createCluster(buildClusterConfig(sc, { timing: 'course', voteMode }), id);
  const script = [...(LAB_PLAYS[id] ?? []), ...writes(s)].sort((x, y) => x[0] - y[0]);
  const run = (input: SimInput) => {
    step(s, input);
    for (const n of Object.values(s.nodes)) deepFreeze(n.cfs);
    // Human vote mode: every open vote gets a yes from each of its partition's members.
    for (const v of s.votes)
      if (v.status === 'open') for (const m of v.partition) if (v.ballots[m] === undefined && s.nodes[m]?.power === 'on') run({ type: 'vote', at: s.now, node: m, voteId: v.id, yes: true });
  };
  run({ type: 'schedule', at: 0, faults: sc.timeline });
  let next = 0;
  for (let t = 1000; t <= ms; t += 1000) {
    run({ type: 'tick', at: t });
    while (next < script.length && script[next]![0] <= t) {
      const [, node, line] = script[next++]!;
      run({ type: 'command', at: t, node, line });
    }
  }
  return s;
}

describe('/etc/pve copies are copy-on-write', () => {
  it('no rule edits a node’s copy in place, over every preset with its timeline, scripts and /etc/pve writes', { timeout: 120_000 }, () => {
    let versions = 0;
    for (const sc of SCENARIOS)
      for (const mode of ['auto', 'human'] as const) {
        const s = playFrozen(sc.id, mode, 8 * 60_000);
        versions += Math.max(...Object.values(s.nodes).map((n) => n.cfs.version));
      }
    // The runs did write /etc/pve (new copies replaced frozen ones), many times over.
    expect(versions).toBeGreaterThan(SCENARIOS.length * 2 * 3);
  });

  it('would catch an edit in place', () => {
    const s = createCluster(buildClusterConfig(getScenario('three-node-isolation')!, { timing: 'course', voteMode: 'auto' }), 'x');
    deepFreeze(s.nodes['pve1']!.cfs);
    expect(() => {
      s.nodes['pve1']!.cfs.version += 1;
    }).toThrow(TypeError);
  });
});
