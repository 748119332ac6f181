// The presets: valid configs, timelines, and played well with the course commands.
import { describe, expect, it } from 'vitest';
import { createCluster, step, timingFor } from '../../../src/sim/index';
import { SCENARIOS, buildClusterConfig, getScenario } from '../../../src/sim/scenarios';
import { checkScenario } from '../../../src/sim/scenario-schema';
import { checkObjectives } from '../../../src/sim/objectives';
import type { SimEvent } from '../../../src/sim/types';
import { haVm, mkConfig } from './harness';
import { LAB_PLAYS, typeLine, type Script } from './lab-plays';

const T = timingFor('course', 3);

/** What the scenario schema says is wrong with a scenario: [path, French, English] per problem. */
function problems(sc: unknown): [string, string, string][] {
  const r = checkScenario(sc);
  return r.ok ? [] : r.issues.map((i) => [i.path.join('.'), i.message.fr, i.message.en]);
}
/** Time for a silent node to leave the membership: dead after 10 s, seen on the next tick. */
const DETECT = T.deadAfterMs + T.tickMs;

function runScenario(
  id: string,
  ms: number,
  opts: Parameters<typeof buildClusterConfig>[1] = { timing: 'course', voteMode: 'auto' },
  commands: Script = [],
) {
  const sc = getScenario(id)!;
  const s = createCluster(buildClusterConfig(sc, opts), id);
  const events: SimEvent[] = [];
  const outputs: { line: string; exitCode: number; output: string }[] = [];
  let next = 0;
  let nextCmd = 0;
  for (let t = s.config.timing.tickMs; t <= ms; t += s.config.timing.tickMs) {
    events.push(...step(s, { type: 'tick', at: t }).events);
    while (next < sc.timeline.length && sc.timeline[next]!.atMs <= s.now)
      events.push(...step(s, { type: 'fault', at: s.now, fault: sc.timeline[next++]!.fault, by: 'timeline' }).events);
    while (nextCmd < commands.length && commands[nextCmd]![0] <= s.now) {
      const [, node, line, edit] = commands[nextCmd++]!;
      const r = typeLine(s, s.now, node, line, edit);
      events.push(...r.events);
      outputs.push({ line, exitCode: r.command?.exitCode ?? -1, output: r.command?.output ?? '' });
    }
  }
  return { sc, s, events, outputs };
}

describe('scenarios', () => {
  it('has at least 8 presets with unique ids and bilingual texts', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
    for (const sc of SCENARIOS) {
      for (const t of [sc.title, sc.description]) expect(t.fr.length > 0 && t.en.length > 0 && t.fr !== t.en).toBe(true);
      expect(sc.goals.fr.length).toBe(sc.goals.en.length);
      expect(sc.goals.fr.length).toBeGreaterThan(0);
      expect(sc.concepts.length).toBeGreaterThan(0);
      for (const f of sc.timeline) expect(f.note.fr && f.note.en).toBeTruthy();
      expect(sc.timeline.map((f) => f.atMs)).toEqual([...sc.timeline.map((f) => f.atMs)].sort((a, b) => a - b));
      expect(new Set(sc.objectives.map((o) => o.id)).size).toBe(sc.objectives.length);
      expect(sc.objectives.every((o) => o.points > 0 && o.title.fr && o.title.en)).toBe(true);
      expect(getScenario(sc.id)).toBe(sc);
    }
    expect(getScenario('nope')).toBeUndefined();
  });

  it('objectives and timeline only name nodes and VMs of their cluster', () => {
    for (const sc of SCENARIOS) {
      const nodes = new Set(sc.cluster.nodes.map((n) => n.name));
      // `qnetd`: the QDevice host's terminal, for a cluster that has one
      const hosts = new Set([...nodes, ...(sc.cluster.qdevice ? ['qnetd'] : [])]);
      const vmids = new Set(sc.cluster.vms.map((v) => v.vmid));
      for (const o of sc.objectives) {
        const c = o.check as Record<string, unknown>;
        const m = (c.match ?? {}) as Record<string, unknown>;
        for (const v of [c.vmid, m.vmid]) if (v !== undefined) expect(vmids.has(v as number), `${sc.id}/${o.id}`).toBe(true);
        if (c.from !== undefined) expect(nodes.has(c.from as string), `${sc.id}/${o.id}`).toBe(true);
        if (m.node !== undefined) expect(hosts.has(m.node as string), `${sc.id}/${o.id}`).toBe(true);
      }
      for (const { fault: f } of sc.timeline) {
        const named = 'node' in f ? [f.node] : 'a' in f ? [f.a, f.b] : 'groups' in f ? f.groups.flat() : [];
        for (const n of named) expect(nodes.has(n), `${sc.id} timeline ${n}`).toBe(true);
      }
      if (sc.qdeviceSeat) expect(sc.cluster.qdevice).toBeDefined();
    }
  });

  it('every preset builds a valid config in every mode and runs 5 minutes of its timeline', () => {
    for (const sc of SCENARIOS) {
      expect(problems(sc), sc.id).toEqual([]);
      for (const timing of ['course', 'real'] as const)
        for (const voteMode of ['auto', 'human'] as const) {
          const cfg = buildClusterConfig(sc, { timing, voteMode });
          expect(cfg.timing.profile).toBe(timing);
          expect(cfg.autoNodes).toEqual(sc.cluster.nodes.map((n) => n.name));
        }
      const { s, events } = runScenario(sc.id, 300_000);
      expect(s.now).toBe(300_000);
      expect(events.filter((e) => e.type === 'fault-applied').length).toBe(sc.timeline.filter((f) => f.atMs <= 300_000).length);
      expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    }
  }, 30_000); // every preset, 5 simulated minutes each: slow on a shared 2-core machine

  it('buildClusterConfig keeps autoNodes in config order, rejects unknown nodes, copies the preset', () => {
    const sc = getScenario('three-node-power-loss')!;
    expect(buildClusterConfig(sc, { timing: 'course', voteMode: 'human', autoNodes: ['pve3', 'pve1'] }).autoNodes).toEqual(['pve1', 'pve3']);
    expect(() => buildClusterConfig(sc, { timing: 'course', voteMode: 'auto', autoNodes: ['pve9'] })).toThrow(/pve9/);
    const cfg = buildClusterConfig(sc, { timing: 'real', voteMode: 'auto' });
    cfg.nodes[0]!.votes = 9;
    expect(sc.cluster.nodes[0]!.votes).toBe(1);
    expect(cfg.timing).toEqual(timingFor('real', 3));
  });

  it('the scenario schema reports duplicates and dangling references, in French and English', () => {
    const sc = structuredClone(getScenario('three-node-power-loss')!);
    sc.cluster.nodes[1]!.nodeid = sc.cluster.nodes[0]!.nodeid;
    const n = sc.cluster.vms.length;
    sc.cluster.vms.push({ ...sc.cluster.vms[0]!, node: 'pve7' }, { ...sc.cluster.vms[1]!, vmid: 42 });
    expect(problems(sc)).toEqual(
      expect.arrayContaining([
        ['cluster.nodes.1.nodeid', 'nodeid en double : 1', 'duplicate nodeid: 1'],
        [`cluster.vms.${n}.vmid`, 'VMID en double : 100', 'duplicate VMID: 100'],
        [`cluster.vms.${n}.node`, 'nœud inconnu « pve7 » (le cluster a : pve1, pve2, pve3)', 'unknown node "pve7" (the cluster has: pve1, pve2, pve3)'],
        [`cluster.vms.${n + 1}.vmid`, 'doit valoir au moins 100', 'must be at least 100'],
      ]),
    );
  });
});

describe('per-scenario cluster options (totem, votequorum extras, cold start)', () => {
  it('a scenario carries them: buildClusterConfig derives the timing, createCluster starts cold', () => {
    const base = getScenario('three-node-power-loss')!;
    const sc = {
      ...base,
      cluster: {
        ...base.cluster,
        totem: { token: 2000, token_coefficient: 125 },
        options: { ...base.cluster.options, last_man_standing: true, last_man_standing_window: 20_000 },
        coldStart: true,
      },
    };
    expect(problems(sc)).toEqual([]);
    const cfg = buildClusterConfig(sc, { timing: 'real', voteMode: 'auto' });
    expect(cfg.timing).toMatchObject({ tokenMs: 2125, deadAfterMs: 4675, lmsWindowMs: 20_000 });
    const s = createCluster(cfg, 1);
    expect(Object.values(s.nodes).map((n) => n.power)).toEqual(['off', 'off', 'off']);
    expect(s.partitions).toEqual([]);
  });

  it('the scenario schema names the corosync.conf key at fault, in French and English', () => {
    const sc = structuredClone(getScenario('four-node-split-qdevice')!);
    expect(sc.cluster.qdevice?.configured).toBe(true);
    sc.cluster.totem = { token: 0, token_coefficient: -5 };
    sc.cluster.options = { ...sc.cluster.options, last_man_standing: false, last_man_standing_window: 20_000, allow_downscale: true };
    expect(problems(sc)).toEqual([
      ['cluster.totem.token', 'doit valoir au moins 1', 'must be at least 1'],
      ['cluster.totem.token_coefficient', 'doit valoir au moins 0', 'must be at least 0'],
      ['cluster.options.last_man_standing_window', 'last_man_standing_window sans last_man_standing', 'last_man_standing_window is set but last_man_standing is off'],
      ['cluster.options.allow_downscale', 'allow_downscale est refusé avec un QDevice (corosync refuse la configuration)', 'allow_downscale cannot be used with a QDevice (corosync refuses the configuration)'],
    ]);
    sc.cluster.options.last_man_standing_window = 2.5;
    expect(problems(sc)).toContainEqual(['cluster.options.last_man_standing_window', 'attendu : un nombre entier, trouvé : un nombre', 'expected int, got number']);
  });
});

describe('scenario behaviour without any student action', () => {
  const met = (id: string, ms: number) => {
    const { sc, s, events } = runScenario(id, ms);
    return { res: Object.fromEntries(checkObjectives(sc, events, s).map((r) => [r.id, r])), s, events };
  };

  it('3 nodes, power loss: pve3’s HA VMs are recovered on the two least loaded nodes', () => {
    const { res, events } = met('three-node-power-loss', 360_000);
    const rec = events.filter((e): e is Extract<SimEvent, { type: 'recovered' }> => e.type === 'recovered');
    expect(rec.map((e) => [e.vmid, e.to])).toEqual([
      [102, 'pve1'],
      [103, 'pve2'],
    ]);
    expect(res['recovered-102']).toMatchObject({ met: true, points: 20, maxPoints: 20, evidenceSeq: rec[0]!.seq });
    expect(res['no-split-brain']!.met).toBe(true);
    expect(res['all-quorate-at-end']!.met).toBe(true);
    expect(res['running-110']!.met).toBe(false); // build01 waits for someone to start it
    expect(res['ha-status']).toMatchObject({ met: false, points: 0 });
  });

  it('3 nodes, isolation: pve2 self-fences before its VMs restart elsewhere', () => {
    const { res, events } = met('three-node-isolation', 300_000);
    const sf = events.find((e) => e.type === 'self-fenced')!;
    const rec = events.find((e) => e.type === 'recovered')!;
    expect(sf.at).toBeLessThan(rec.at);
    for (const id of ['no-forced-expected', 'no-split-brain', 'recovered-101', 'running-101', 'running-102', 'all-quorate-at-end'])
      expect(res[id]!.met, id).toBe(true);
  });

  it('2 nodes without QDevice: both lose quorum and reset, nothing restarts until the heal', () => {
    const { res, events } = met('two-node-no-qdevice', 230_000);
    expect(events.filter((e) => e.type === 'self-fenced').map((e) => (e as { node: string }).node).sort()).toEqual(['pve1', 'pve2']);
    expect(events.some((e) => e.type === 'recovered')).toBe(false);
    expect(res['running-100']!.met).toBe(false);
    const after = met('two-node-no-qdevice', 300_000).res;
    expect(after['running-100']!.met && after['all-quorate-at-end']!.met && after['no-split-brain']!.met).toBe(true);
  });

  it('2 nodes + QDevice not set up: pve1 resets when pve2 fails (the setup objective matters)', () => {
    const { res } = met('two-node-qdevice', 300_000);
    expect(res['qdevice-setup']!.met).toBe(false);
    expect(res['pve1-never-reset']!.met).toBe(false);
    expect(res['qdevice-at-end']!.met).toBe(false);
  });

  it('4 nodes 2|2 with QDevice: first {pve1,pve2} wins, then only {pve3,pve4} reaches qnetd and wins', () => {
    const { res, events } = met('four-node-split-qdevice', 420_000);
    const votes = events.filter((e): e is Extract<SimEvent, { type: 'qdevice-vote' }> => e.type === 'qdevice-vote');
    expect(votes.map((v) => v.partition?.join() ?? null)).toEqual(
      expect.arrayContaining(['pve1,pve2', 'pve3,pve4', 'pve1,pve2,pve3,pve4']),
    );
    for (const o of SCENARIOS.find((x) => x.id === 'four-node-split-qdevice')!.objectives) expect(res[o.id]!.met, o.id).toBe(true);
  });

  it('5 nodes 3|2: files01 (local) is stuck, then runs again on pve5 after the heal', () => {
    const { res } = met('five-node-split-3-2', 300_000);
    for (const id of ['no-split-brain', 'recovered-103', 'recovered-104', 'files01-stuck', 'running-105', 'all-quorate-at-end'])
      expect(res[id]!.met, id).toBe(true);
  });

  it('maintenance ignored: the reboot stops db01 and web02 (frozen, back on pve2 later)', () => {
    const { res, events } = met('planned-maintenance', 360_000);
    expect(res['db01-moved']!.met).toBe(false);
    expect(events.some((e) => e.type === 'vm-stopped' && e.vmid === 101 && e.reason === 'reboot')).toBe(true);
    expect(res['all-quorate-at-end']!.met).toBe(true);
  });

  it('clock skew: never loses quorum; skew left unfixed fails the objectives', () => {
    const { res, s } = met('clock-skew', 300_000);
    expect(res['quorum-kept']!.met).toBe(true);
    expect(res['skew-fixed-at-end']!.met).toBe(false);
    for (const n of Object.values(s.nodes)) n.skewMs = 0;
    expect(checkObjectives(getScenario('clock-skew')!, [], s).find((r) => r.id === 'skew-fixed-at-end')!.met).toBe(true);
  });
});

describe('scenarios played well (with the terminal commands of the course)', () => {
  const plays: Record<string, Script> = {
    'three-node-power-loss': [
      [80_000, 'pve1', 'ha-manager status'],
      [300_000, 'pve3', 'qm start 110'],
    ],
    'three-node-isolation': [[75_000, 'pve2', 'pvecm status']],
    'two-node-no-qdevice': [[75_000, 'pve1', 'pvecm status']],
    'two-node-qdevice': [[30_000, 'pve1', 'pvecm qdevice setup 10.0.10.50']],
    'four-node-split-no-qdevice': [[75_000, 'pve3', 'pvecm status']],
    'four-node-split-qdevice': [],
    'five-node-split-3-2': [[120_000, 'pve1', 'ha-manager status']],
    'planned-maintenance': [
      [60_000, 'pve1', 'ha-manager crm-command node-maintenance enable pve2'],
      [400_000, 'pve1', 'ha-manager crm-command node-maintenance disable pve2'],
    ],
    'clock-skew': [
      [90_000, 'pve3', 'systemctl restart chrony'],
      [200_000, 'pve1', 'systemctl restart chrony'],
    ],
    // build-cluster, qdevice-vm-trap, not-a-backup (their own tests: scenarios-labs.test.ts)
    ...LAB_PLAYS,
  };

  it('covers every preset', () => {
    expect(Object.keys(plays).sort()).toEqual(SCENARIOS.map((s) => s.id).sort());
  });

  for (const [id, commands] of Object.entries(plays))
    it(`${id}: every objective is met`, () => {
      const { sc, s, events, outputs } = runScenario(id, 600_000, { timing: 'course', voteMode: 'auto' }, commands);
      for (const o of outputs) expect(o.exitCode, `${o.line}\n${o.output}`).toBe(0);
      const res = checkObjectives(sc, events, s);
      expect(res.filter((r) => !r.met).map((r) => r.id)).toEqual([]);
      expect(res.reduce((a, r) => a + r.points, 0)).toBe(sc.objectives.reduce((a, o) => a + o.points, 0));
    });

  it('2 nodes without QDevice: `pvecm expected 1` on both sides is the split-brain of the course', () => {
    const { sc, s, events } = runScenario('two-node-no-qdevice', 300_000, { timing: 'course', voteMode: 'auto' }, [
      [120_000, 'pve1', 'pvecm expected 1'],
      [120_000, 'pve2', 'pvecm expected 1'],
    ]);
    const kinds = events.filter((e): e is Extract<SimEvent, { type: 'split-brain-started' }> => e.type === 'split-brain-started').map((e) => e.kind);
    expect(kinds).toContain('two-quorate');
    expect(kinds).toContain('vm-twice');
    const res = Object.fromEntries(checkObjectives(sc, events, s).map((r) => [r.id, r.met]));
    expect(res['no-split-brain']).toBe(false);
    expect(res['no-forced-expected']).toBe(false);
  });

  it('planned maintenance done too late: the reboot freezes the VMs', () => {
    const { sc, s, events } = runScenario('planned-maintenance', 400_000, { timing: 'course', voteMode: 'auto' }, [
      [330_000, 'pve1', 'ha-manager crm-command node-maintenance enable pve2'],
    ]);
    const res = Object.fromEntries(checkObjectives(sc, events, s).map((r) => [r.id, r.met]));
    expect(res['maintenance-on']).toBe(true);
    expect(res['db01-moved']).toBe(false);
    expect(res['web02-moved']).toBe(false);
  });
});
