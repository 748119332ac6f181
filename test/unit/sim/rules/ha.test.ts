// rules/ha: watchdog, fencing, recovery, migrations.
import { describe, expect, it } from 'vitest';
import { cfsCommit, partitionOf, timingFor, runCommand, lrmActive } from '../../../../src/sim/index';
import { Harness, haVm, mkConfig } from '../harness';

const T = timingFor('course', 3);
/** Time for a silent node to leave the membership: dead after 10 s, seen on the next tick. */
const DETECT = T.deadAfterMs + T.tickMs;

describe('HA: fencing and recovery', () => {
  it('power off → unknown → fence after the fence delay → recovered fenceLockMs after the loss', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(102, 'pve3')] }));
    h.advance(60_000);
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    expect(h.runningOn(102)).toEqual([]);
    const lostAt = 60_000 + DETECT;
    h.until(() => h.now === lostAt);
    expect(h.s.nodes.pve1!.cfs.haNodes.pve3).toMatchObject({ state: 'unknown', lostAt });
    expect(h.s.nodes.pve1!.cfs.ha['vm:102']).toMatchObject({ state: 'started', node: 'pve3' });
    h.until(() => h.runningOn(102).length > 0, 120_000);
    const fence = h.first('node-fence')!;
    const rec = h.first('recovered')!;
    expect(T.fenceDelayMs).toBe(T.watchdogMs);
    expect(fence).toMatchObject({ node: 'pve3', by: ['pve1', 'pve2'], at: lostAt + T.fenceDelayMs! });
    expect(h.first('service-state', (e) => e.sid === 'vm:102' && e.state === 'fence')!.at).toBe(fence.at);
    expect(h.first('fenced')).toMatchObject({ node: 'pve3', at: lostAt + T.fenceLockMs });
    expect(rec).toMatchObject({ vmid: 102, from: 'pve3', to: 'pve2', at: lostAt + T.fenceLockMs });
    expect(h.s.nodes.pve1!.cfs.ha['vm:102']).toMatchObject({ state: 'started', node: 'pve2' });
    expect(h.s.nodes.pve1!.cfs.vms['102']!.node).toBe('pve2');
  });

  it('real timing: the lock is held about 2 min after the failure', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(102, 'pve3')], timing: 'real' }));
    const rt = h.s.config.timing;
    expect(rt).toMatchObject({ tokenMs: 3650, watchdogMs: 60_000, fenceLockMs: 120_000, fenceDelayMs: 60_000 });
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.until(() => h.s.nodes.pve1!.cfs.haNodes.pve3!.state === 'unknown', 20_000);
    const lostAt = h.now;
    h.until(() => h.runningOn(102).length > 0, 200_000);
    const rec = h.first('recovered')!;
    expect(h.first('node-fence')!.at - lostAt).toBe(60_000);
    expect(rec.at - lostAt).toBe(120_000);
  });

  it('the recovery target is the online node with the fewest HA services, ties by name', () => {
    const vms = [haVm(100, 'pve1'), haVm(101, 'pve1'), haVm(102, 'pve2'), haVm(103, 'pve3'), haVm(104, 'pve4'), haVm(105, 'pve4')];
    const h = new Harness(mkConfig({ nodes: 4, vms }));
    h.fault({ kind: 'power', node: 'pve4', action: 'off' });
    h.until(() => h.of('recovered').length === 2, 120_000);
    // pve1 has 2, pve2 and pve3 have 1: 104 → pve2 (name), then pve2 has 2 and 105 → pve3.
    expect(h.of('recovered').map((e) => [e.vmid, e.to])).toEqual([
      [104, 'pve2'],
      [105, 'pve3'],
    ]);
  });

  it('a stopped service does not count toward a node’s load', () => {
    const vms = [haVm(100, 'pve1', { running: false }), haVm(101, 'pve1', { running: false }), haVm(102, 'pve2'), haVm(103, 'pve3')];
    const h = new Harness(mkConfig({ nodes: 3, vms }));
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.until(() => h.of('recovered').length === 1, 120_000);
    expect(h.first('recovered')!.to).toBe('pve1');
  });

  it('local-storage HA guests are not recovered elsewhere; non-HA guests are never moved', () => {
    const vms = [
      haVm(100, 'pve1'),
      haVm(102, 'pve3', { storage: 'local' }),
      haVm(110, 'pve3', { ha: false }),
      haVm(111, 'pve3', { ha: false, storage: 'local' }),
    ];
    const h = new Harness(mkConfig({ nodes: 3, vms }));
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.advance(DETECT + T.fenceLockMs + 30_000);
    expect(h.of('recovery-stuck')).toEqual([expect.objectContaining({ sid: 'vm:102', vmid: 102, reason: 'local storage' })]);
    expect(h.of('recovered')).toEqual([]);
    expect(h.of('vm-started')).toEqual([]);
    expect(h.s.nodes.pve1!.cfs.ha['vm:102']!.state).toBe('recovery');
    // Its node comes back: the only node holding its disk takes it again.
    h.fault({ kind: 'power', node: 'pve3', action: 'on' });
    h.until(() => h.runningOn(102).length > 0, T.bootMs + 5000);
    expect(h.runningOn(102)).toEqual(['pve3']);
    expect(h.runningOn(110)).toEqual([]); // non-HA: nobody starts it (no onboot in the sim)
  });

  it('shared storage down: recovery waits, then happens once storage is back', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(102, 'pve3')] }));
    h.fault({ kind: 'storage', up: false });
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.advance(DETECT + T.fenceLockMs + 5000);
    expect(h.first('recovery-stuck')).toMatchObject({ vmid: 102, reason: 'shared storage down' });
    h.fault({ kind: 'storage', up: true });
    h.advance(1000);
    expect(h.runningOn(102)).toHaveLength(1);
  });

  it('an isolated node self-fences after watchdogMs, before the others recover its VMs', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(103, 'pve3'), haVm(113, 'pve3', { ha: false })] }));
    h.advance(30_000);
    h.fault({ kind: 'isolate', node: 'pve3' });
    h.until(() => h.of('recovered').length === 1, 120_000);
    const lost = h.first('quorum-lost', (e) => e.node === 'pve3')!;
    const armed = h.first('watchdog-armed')!;
    const fenced = h.first('self-fenced')!;
    expect(armed).toMatchObject({ node: 'pve3', resetAt: lost.at + T.watchdogMs });
    expect(fenced).toMatchObject({ node: 'pve3', at: lost.at + T.watchdogMs });
    expect(fenced.vms.sort()).toEqual([103, 113]); // the reset kills every guest of the node
    expect(h.first('recovered')!.at).toBeGreaterThan(fenced.at);
    expect(h.of('split-brain-started')).toEqual([]);
    expect(h.s.nodes.pve3!.power).toBe('booting');
    h.advance(T.bootMs + 2000);
    // Back up but still isolated: alone and inquorate, it never arms the watchdog again.
    expect(h.s.nodes.pve3!.power).toBe('on');
    h.advance(60_000);
    expect(h.of('self-fenced')).toHaveLength(1);
  });

  it('an isolated node without HA services does not self-fence', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(113, 'pve3', { ha: false })] }));
    h.fault({ kind: 'isolate', node: 'pve3' });
    h.advance(120_000);
    expect(h.of('self-fenced')).toEqual([]);
    expect(h.runningOn(113)).toEqual(['pve3']);
  });

  it('reboot: services are frozen and restart on the same node', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(101, 'pve2')] }));
    h.advance(10_000);
    h.fault({ kind: 'power', node: 'pve2', action: 'reboot' });
    expect(h.first('service-state', (e) => e.sid === 'vm:101')).toMatchObject({ state: 'freeze', node: 'pve2' });
    expect(h.runningOn(101)).toEqual([]);
    h.until(() => h.runningOn(101).length > 0, 60_000);
    expect(h.runningOn(101)).toEqual(['pve2']);
    expect(h.of('recovered')).toEqual([]);
    expect(h.of('node-fence')).toEqual([]);
    expect(h.s.nodes.pve1!.cfs.ha['vm:101']).toMatchObject({ state: 'started', node: 'pve2' });
  });

  it('a partition that gains quorum with a stale /etc/pve waits fenceLockMs before acting (no VM twice)', () => {
    const h = new Harness(mkConfig({ nodes: 4, qdevice: 'ffsplit', vms: [haVm(103, 'pve3')] }));
    h.advance(5000);
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] });
    h.until(() => h.runningOn(103).join() === 'pve1', 120_000); // {1,2} had the tie, pve3 self-fenced
    h.until(() => partitionOf(h.s, 'pve3')?.includes('pve4') === true, 60_000); // pve3 is back in {3,4}, with a stale copy
    expect(h.s.nodes.pve3!.cfs.ha['vm:103']).toMatchObject({ node: 'pve3', state: 'started' });
    h.fault({ kind: 'power', node: 'pve2', action: 'reset' });
    const t = h.now;
    // {3,4} now reach qnetd with more nodes than {1}: the vote moves, pve1 loses quorum.
    expect(h.s.qdevice!.votedFor).toBe('pve3,pve4');
    expect(h.quorate('pve3') && !h.quorate('pve1')).toBe(true);
    h.advance(T.fenceLockMs - 1000);
    expect(h.of('self-fenced', (e) => e.node === 'pve1')).toHaveLength(1); // pve1 reset first…
    expect(h.runningOn(103)).toEqual([]);
    h.advance(1000);
    expect(h.now).toBe(t + T.fenceLockMs);
    expect(h.runningOn(103)).toEqual(['pve3']); // …then {3,4} acts on its copy
    expect(h.of('split-brain-started')).toEqual([]);
  });

  it('a node back within the fence delay is online again: nothing fenced, moved or recovered', () => {
    for (const profile of ['course', 'real'] as const) {
      const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(103, 'pve3')], timing: profile }));
      const t = h.s.config.timing;
      h.fault({ kind: 'link', a: 'pve3', b: 'pve1', cut: true });
      h.fault({ kind: 'link', a: 'pve3', b: 'pve2', cut: true });
      h.until(() => h.s.nodes.pve1!.cfs.haNodes.pve3!.state === 'unknown', 20_000);
      const lostAt = h.now;
      expect(h.s.nodes.pve1!.cfs.ha['vm:103']).toMatchObject({ state: 'started', node: 'pve3' });
      const status = runCommand({ s: h.s, events: [] }, 'pve1', 'ha-manager status').output;
      expect(status).toMatch(/^lrm pve3 \(old timestamp - dead\?, /m);
      expect(status).toContain('service vm:103 (pve3, started)');
      h.advance(t.fenceDelayMs! / 2); // back well within the delay (before its own watchdog too)
      h.fault({ kind: 'heal' });
      h.advance(t.tokenMs + 2000);
      expect(h.now - lostAt).toBeLessThan(t.fenceDelayMs! + t.tokenMs);
      expect(h.s.nodes.pve1!.cfs.haNodes.pve3!.state).toBe('online');
      h.advance(t.fenceLockMs + 10_000);
      expect(h.of('node-fence')).toEqual([]);
      expect(h.of('fenced')).toEqual([]);
      expect(h.of('recovered')).toEqual([]);
      expect(h.of('migrated')).toEqual([]);
      expect(h.s.nodes.pve1!.cfs.ha['vm:103']).toMatchObject({ state: 'started', node: 'pve3' });
    }
  });

  it('a node without active services stays unknown: never fenced', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(103, 'pve3', { running: false })] }));
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.advance(DETECT + T.fenceLockMs + 10_000);
    expect(h.s.nodes.pve1!.cfs.haNodes.pve3!.state).toBe('unknown');
    expect(h.of('node-fence')).toEqual([]);
    expect(h.of('recovered')).toEqual([]);
  });
});

describe('HA migration of a stopped service', () => {
  it('moves only the config: a stopped guest does not start on the target', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1', { running: false })] }));
    h.advance(2000);
    expect(h.runningOn(100)).toEqual([]);
    // Put the service in migrate by hand, as the CRM does for `ha-manager migrate` (engine path).
    const c = { s: h.s, events: h.events };
    cfsCommit(c, 'pve1', 'ha/manager_status', 'migrate vm:100', (db) => {
      const svc = db.ha['vm:100']!;
      svc.state = 'migrate';
      svc.target = 'pve2';
      svc.until = h.now + h.s.config.timing.migrateMs;
    });
    h.advance(h.s.config.timing.migrateMs + 1000);
    expect(h.s.nodes.pve1!.cfs.vms['100']!.node).toBe('pve2');
    expect(h.s.nodes.pve1!.cfs.ha['vm:100']!.state).toBe('stopped');
    expect(h.runningOn(100)).toEqual([]);
    expect(h.of('vm-started', (e) => e.vmid === 100)).toEqual([]);
  });
});

describe('rules/ha: the LRM watchdog', () => {
  it('an isolated node whose only HA service is `ignored` keeps its watchdog disarmed (LRM idle)', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1')] }));
    h.advance(5000);
    const out = h.input({ type: 'command', at: h.now, node: 'pve1', line: 'ha-manager set vm:100 --state ignored' });
    expect(out.command?.exitCode).toBe(0);
    expect(lrmActive(h.s, h.s.nodes.pve1!.cfs, 'pve1')).toBe(false);
    const status = runCommand({ s: h.s, events: [] }, 'pve1', 'ha-manager status').output;
    expect(status).toMatch(/lrm pve1 \(idle/);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.advance(h.s.config.timing.deadAfterMs + h.s.config.timing.watchdogMs + 10_000);
    expect(h.quorate('pve1')).toBe(false);
    expect(h.of('watchdog-armed', (e) => e.node === 'pve1')).toEqual([]);
    expect(h.of('self-fenced', (e) => e.node === 'pve1')).toEqual([]);
    expect(h.s.nodes.pve1!.power).toBe('on');
  });

  it('a started HA service arms the watchdog of its isolated node, which self-fences', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1')] }));
    h.advance(5000);
    expect(lrmActive(h.s, h.s.nodes.pve1!.cfs, 'pve1')).toBe(true);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => h.of('self-fenced', (e) => e.node === 'pve1').length > 0);
    expect(h.first('watchdog-armed', (e) => e.node === 'pve1')).toBeDefined();
  });
});

describe('rules/ha: HA groups choose where services recover and fail back', () => {
  const cmd = (h: Harness, line: string, node = 'pve1') => {
    const r = h.input({ type: 'command', at: h.now, node, line });
    expect(r.command).toMatchObject({ exitCode: 0 });
  };
  const lostAndBack = (profile: 'course' | 'real') => {
    const h = new Harness(mkConfig({ nodes: 4, vms: [haVm(100, 'pve1'), haVm(101, 'pve2'), haVm(102, 'pve2')], timing: profile }));
    h.advance(3000);
    return h;
  };

  it('recovery goes to the highest-priority online member, not the emptiest node; the event says why', () => {
    for (const profile of ['course', 'real'] as const) {
      const h = lostAndBack(profile);
      cmd(h, 'ha-manager groupadd gp --nodes pve1:2,pve2:1,pve4:3');
      cmd(h, 'ha-manager set vm:100 --group gp');
      h.advance(h.s.config.timing.migrateMs + 2000); // pve4 has the highest priority: vm:100 moves there
      expect(h.runningOn(100)).toEqual(['pve4']);
      expect(h.first('migrated')).toMatchObject({ vmid: 100, from: 'pve1', to: 'pve4', online: true });
      h.fault({ kind: 'power', node: 'pve4', action: 'off' });
      h.until(() => h.of('recovered').length > 0, 200_000);
      // pve3 has no service at all, but it is not in the group; pve1 (2) beats pve2 (1).
      expect(h.first('recovered')).toMatchObject({
        vmid: 100,
        from: 'pve4',
        to: 'pve1',
        why: {
          rule: 'group-priority',
          group: 'gp',
          candidates: [
            { node: 'pve1', services: 0, priority: 2 },
            { node: 'pve2', services: 2, priority: 1 },
          ],
        },
      });
    }
  });

  it('equal priorities: fewest services, then the name, and the event says the name decided', () => {
    const h = lostAndBack('course');
    cmd(h, 'ha-manager groupadd gp --nodes pve3:1,pve4:1,pve2:1,pve1:1');
    cmd(h, 'ha-manager set vm:100 --group gp');
    h.fault({ kind: 'power', node: 'pve1', action: 'off' });
    h.until(() => h.of('recovered').length > 0);
    expect(h.first('recovered')!.why).toEqual({
      rule: 'group-priority',
      group: 'gp',
      tieByName: true,
      candidates: [
        { node: 'pve3', services: 0, priority: 1 },
        { node: 'pve4', services: 0, priority: 1 },
        { node: 'pve2', services: 2, priority: 1 },
      ],
    });
  });

  it('a restricted group with no member online leaves the service in recovery; an unrestricted one goes anywhere', () => {
    for (const restricted of [true, false]) {
      const h = lostAndBack('course');
      cmd(h, `ha-manager groupadd gp --nodes pve1${restricted ? ' --restricted 1' : ''}`);
      cmd(h, 'ha-manager set vm:100 --group gp');
      h.fault({ kind: 'power', node: 'pve1', action: 'off' });
      h.advance(T.deadAfterMs + T.fenceLockMs + 20_000);
      if (restricted) {
        expect(h.of('recovered')).toEqual([]);
        expect(h.s.nodes.pve2!.cfs.ha['vm:100']).toMatchObject({ state: 'recovery', node: 'pve1' });
        expect(h.first('recovery-stuck')).toMatchObject({ vmid: 100, reason: 'no online member of restricted group gp' });
        // Its member comes back: the service starts there.
        h.fault({ kind: 'power', node: 'pve1', action: 'on' });
        h.until(() => h.runningOn(100).length > 0, 60_000);
        expect(h.runningOn(100)).toEqual(['pve1']);
      } else {
        expect(h.first('recovered')).toMatchObject({ vmid: 100, to: 'pve3', why: { rule: 'fewest-services', group: 'gp' } });
      }
    }
  });

  it('failback: back on the higher-priority member when it returns — unless nofailback', () => {
    for (const profile of ['course', 'real'] as const)
      for (const nofailback of [false, true]) {
        const h = lostAndBack(profile);
        cmd(h, `ha-manager groupadd gp --nodes pve1:2,pve3:1${nofailback ? ' --nofailback 1' : ''}`);
        cmd(h, 'ha-manager set vm:100 --group gp');
        h.fault({ kind: 'power', node: 'pve1', action: 'off' });
        h.until(() => h.of('recovered').length > 0, 200_000);
        expect(h.first('recovered')).toMatchObject({ vmid: 100, to: 'pve3' });
        h.fault({ kind: 'power', node: 'pve1', action: 'on' });
        h.until(() => h.quorate('pve1'), 200_000);
        h.advance(h.s.config.timing.migrateMs + 3000);
        if (nofailback) {
          expect(h.runningOn(100)).toEqual(['pve3']);
          expect(h.of('migrated')).toEqual([]);
        } else {
          expect(h.runningOn(100)).toEqual(['pve1']);
          expect(h.first('migrated')).toMatchObject({ vmid: 100, from: 'pve3', to: 'pve1', online: true });
        }
        expect(h.of('split-brain-started')).toEqual([]);
      }
  });
});
