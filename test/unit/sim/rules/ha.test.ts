// rules/ha: watchdog, fencing, recovery, migrations.
import { describe, expect, it } from 'vitest';
import { cfsCommit, partitionOf, timingFor, runCommand, lrmActive } from '../../../../src/sim/index';
import { Harness, haVm, mkConfig } from '../harness';

const T = timingFor('course', 3);
/** Time for a silent node to leave the membership: dead after 10 s, seen on the next tick. */
const DETECT = T.deadAfterMs + T.tickMs;

describe('HA: fencing and recovery', () => {
  it('power off → fence → recovered exactly fenceLockMs after the fence', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(102, 'pve3')] }));
    h.advance(60_000);
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    expect(h.runningOn(102)).toEqual([]);
    h.until(() => h.runningOn(102).length > 0, 120_000);
    const fence = h.first('node-fence')!;
    const rec = h.first('recovered')!;
    expect(fence).toMatchObject({ node: 'pve3', by: ['pve1', 'pve2'], at: 60_000 + DETECT });
    expect(h.first('fenced')).toMatchObject({ node: 'pve3', at: fence.at + T.fenceLockMs });
    expect(rec).toMatchObject({ vmid: 102, from: 'pve3', to: 'pve2', at: fence.at + T.fenceLockMs });
    expect(h.s.nodes.pve1!.cfs.ha['vm:102']).toMatchObject({ state: 'started', node: 'pve2' });
    expect(h.s.nodes.pve1!.cfs.vms['102']!.node).toBe('pve2');
  });

  it('real timing: the lock is held about 2 min after the failure', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(102, 'pve3')], timing: 'real' }));
    const rt = h.s.config.timing;
    expect(rt).toMatchObject({ tokenMs: 3650, watchdogMs: 60_000, fenceLockMs: 120_000 });
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.until(() => h.runningOn(102).length > 0, 200_000);
    const rec = h.first('recovered')!;
    expect(rec.at - h.first('node-fence')!.at).toBe(120_000);
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

  it('shutdown: services are recovered elsewhere right away (no fence needed)', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(101, 'pve2')] }));
    h.advance(10_000);
    h.fault({ kind: 'power', node: 'pve2', action: 'shutdown' });
    h.advance(1000);
    expect(h.first('recovered')).toMatchObject({ vmid: 101, from: 'pve2', to: 'pve3', at: 10_000 });
    expect(h.of('node-fence')).toEqual([]);
    expect(h.s.nodes.pve2!.power).toBe('off');
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

  it('a node back before the lock was taken keeps its services', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(103, 'pve3')] }));
    h.fault({ kind: 'link', a: 'pve3', b: 'pve1', cut: true });
    h.fault({ kind: 'link', a: 'pve3', b: 'pve2', cut: true });
    h.advance(DETECT);
    expect(h.first('node-fence')).toMatchObject({ node: 'pve3' });
    h.fault({ kind: 'heal' });
    h.advance(T.tokenMs + T.tickMs); // a heal merges after one token time
    expect(h.s.nodes.pve1!.cfs.ha['vm:103']).toMatchObject({ state: 'started', node: 'pve3' });
    h.advance(T.fenceLockMs + 10_000);
    expect(h.of('recovered')).toEqual([]);
    expect(h.runningOn(103)).toEqual(['pve3']);
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
