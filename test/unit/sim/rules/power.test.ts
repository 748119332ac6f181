// rules/power: boots and power-downs.
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../../src/sim/index';
import { clusterUnit } from '../../../../src/sim/rules/power';
import { qdeviceDaemonUp } from '../../../../src/sim/rules/qdevice';
import type { ShutdownPolicy } from '../../../../src/sim/types';
import { Harness, haVm, mkConfig } from '../harness';

describe('rules/power', () => {
  it("a power cut stops the node's guests and drops its quorum at once", () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1')] }));
    h.advance(3000);
    h.fault({ kind: 'power', node: 'pve1', action: 'off' });
    expect(h.s.nodes.pve1).toMatchObject({ power: 'off', quorate: false, members: [] });
    expect(h.first('vm-stopped', (e) => e.vmid === 100)).toMatchObject({ node: 'pve1', reason: 'power loss' });
  });

  it('a boot restarts votequorum: expected from the config, wait_for_all armed again', () => {
    const h = new Harness(mkConfig({ nodes: 3, options: { wait_for_all: true } }));
    h.advance(3000);
    h.fault({ kind: 'power', node: 'pve3', action: 'reset' });
    expect(h.s.nodes.pve3!.power).toBe('booting');
    h.until(() => h.s.nodes.pve3!.power === 'on');
    expect(h.s.nodes.pve3).toMatchObject({ expected: 3, expectedOverride: null });
    expect(h.first('node-power', (e) => e.node === 'pve3' && e.power === 'on')).toMatchObject({ reason: 'booted' });
    h.until(() => h.quorate('pve3'));
  });
});

describe('rules/power: clean stops follow datacenter.cfg shutdown_policy', () => {
  const cluster = (policy: ShutdownPolicy | undefined, profile: 'course' | 'real' = 'course') => {
    const cfg = mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(101, 'pve2')], timing: profile });
    if (policy) cfg.shutdownPolicy = policy;
    const h = new Harness(cfg);
    h.advance(10_000);
    return h;
  };

  it('conditional (default), shutdown: stopped, then recovered about fenceDelayMs later — no reset, no lock wait', () => {
    for (const profile of ['course', 'real'] as const) {
      const h = cluster(undefined, profile);
      const t = h.s.config.timing;
      h.fault({ kind: 'power', node: 'pve2', action: 'shutdown' });
      expect(h.s.nodes.pve2!.power).toBe('off');
      expect(h.first('service-state', (e) => e.sid === 'vm:101')).toMatchObject({ state: 'stopped', node: 'pve2' });
      expect(h.runningOn(101)).toEqual([]);
      h.advance(t.fenceDelayMs! - 2000);
      expect(h.of('recovered')).toEqual([]);
      h.until(() => h.of('recovered').length > 0, 5000);
      expect(h.first('recovered')).toMatchObject({ vmid: 101, from: 'pve2', to: 'pve3', at: 10_000 + t.fenceDelayMs! });
      expect(h.first('recovered')!.at - 10_000).toBeLessThan(t.fenceLockMs);
      expect(h.runningOn(101)).toEqual(['pve3']);
      expect(h.of('node-fence')).toEqual([]);
      expect(h.of('fenced')).toEqual([]);
      expect(h.of('self-fenced')).toEqual([]);
    }
  });

  it('conditional, reboot: frozen and restarted on the same node', () => {
    const h = cluster('conditional');
    h.fault({ kind: 'power', node: 'pve2', action: 'reboot' });
    expect(h.first('service-state', (e) => e.sid === 'vm:101')).toMatchObject({ state: 'freeze' });
    h.until(() => h.runningOn(101).length > 0, 60_000);
    expect(h.runningOn(101)).toEqual(['pve2']);
    expect(h.of('recovered')).toEqual([]);
  });

  it('freeze: a shutdown freezes too — the service waits for its node', () => {
    const h = cluster('freeze');
    h.fault({ kind: 'power', node: 'pve2', action: 'shutdown' });
    expect(h.first('service-state', (e) => e.sid === 'vm:101')).toMatchObject({ state: 'freeze' });
    h.advance(h.s.config.timing.fenceLockMs + 20_000);
    expect(h.of('recovered')).toEqual([]);
    expect(h.s.nodes.pve1!.cfs.ha['vm:101']).toMatchObject({ state: 'freeze', node: 'pve2' });
    h.fault({ kind: 'power', node: 'pve2', action: 'on' });
    h.until(() => h.runningOn(101).length > 0, 60_000);
    expect(h.runningOn(101)).toEqual(['pve2']);
  });

  it('failover: a reboot stops the services and releases the node; recovered after the delay unless it is back', () => {
    for (const profile of ['course', 'real'] as const) {
      const h = cluster('failover', profile);
      const t = h.s.config.timing;
      h.fault({ kind: 'power', node: 'pve2', action: 'reboot' });
      h.fault({ kind: 'isolate', node: 'pve2' }); // it boots cut off: it does not come back
      expect(h.first('service-state', (e) => e.sid === 'vm:101')).toMatchObject({ state: 'stopped' });
      expect(h.s.nodes.pve1!.cfs.haNodes.pve2).toMatchObject({ state: 'unknown', released: true, lostAt: 10_000 });
      h.until(() => h.of('recovered').length > 0, t.fenceDelayMs! + 5000);
      expect(h.first('recovered')).toMatchObject({ vmid: 101, from: 'pve2', to: 'pve3', at: 10_000 + t.fenceDelayMs! });
      expect(h.of('node-fence')).toEqual([]);
    }
    // Course timing: the reboot (15 s) is shorter than the delay (20 s): back in time, restarted there.
    const h = cluster('failover');
    h.fault({ kind: 'power', node: 'pve2', action: 'reboot' });
    h.until(() => h.runningOn(101).length > 0, 30_000);
    expect(h.runningOn(101)).toEqual(['pve2']);
    expect(h.of('recovered')).toEqual([]);
  });

  it('migrate: services live-migrate away before the node goes down and come back when it returns', () => {
    const h = cluster('migrate');
    h.fault({ kind: 'power', node: 'pve2', action: 'shutdown' });
    const moved = h.first('migrated')!;
    expect(moved).toMatchObject({ vmid: 101, from: 'pve2', to: 'pve3', online: true });
    expect(h.first('vm-stopped', (e) => e.vmid === 101)!.seq).toBeLessThan(h.first('node-power', (e) => e.node === 'pve2')!.seq);
    expect(h.runningOn(101)).toEqual(['pve3']);
    h.advance(60_000);
    expect(h.of('recovered')).toEqual([]);
    h.fault({ kind: 'power', node: 'pve2', action: 'on' });
    h.until(() => h.runningOn(101).join() === 'pve2', 60_000);
    expect(h.of('migrated').map((e) => [e.from, e.to])).toEqual([
      ['pve2', 'pve3'],
      ['pve3', 'pve2'],
    ]);
  });

  it('the policy is in /etc/pve/datacenter.cfg', () => {
    const h = cluster('migrate');
    expect(runCommand({ s: h.s, events: [] }, 'pve1', 'cat /etc/pve/datacenter.cfg').output).toBe('keyboard: fr\nha: shutdown_policy=migrate');
    expect(runCommand({ s: cluster(undefined).s, events: [] }, 'pve1', 'cat /etc/pve/datacenter.cfg').output).toBe('keyboard: fr');
  });

  it('clusterUnit: corosync-qdevice requires corosync (stopping corosync stops it, starting it starts corosync) and a QDevice in corosync.conf', () => {
    const h = new Harness(mkConfig({ nodes: 2, qdevice: 'ffsplit' }));
    h.advance(3000);
    const c = { s: h.s, events: [] };
    const n = h.s.nodes.pve1!;
    expect(qdeviceDaemonUp(h.s, 'pve1')).toBe(true);
    expect(clusterUnit(c, n, 'corosync', 'stop')).toBe(true);
    expect(n.corosyncStopped).toBe(true);
    expect(qdeviceDaemonUp(h.s, 'pve1')).toBe(false);
    expect(clusterUnit(c, n, 'corosync', 'start')).toBe(true);
    expect(qdeviceDaemonUp(h.s, 'pve1')).toBe(false); // corosync alone: the qdevice daemon stays stopped
    expect(clusterUnit(c, n, 'corosync', 'stop')).toBe(true);
    expect(clusterUnit(c, n, 'corosync-qdevice', 'start')).toBe(true);
    expect(n.corosyncStopped).toBeFalsy();
    expect(qdeviceDaemonUp(h.s, 'pve1')).toBe(true);
    n.cfs.qdevice = null;
    expect(clusterUnit(c, n, 'corosync-qdevice', 'restart')).toBe(false);
  });
});
