// shell/clock (timedatectl, chronyc) and shell/systemctl.
import { describe, expect, it } from 'vitest';
import { Lab, clock } from './lab';

describe('clock and services', () => {
  it('detects skew and chrony fixes it', () => {
    const lab = new Lab();
    lab.fault({ kind: 'clock-skew', node: 'pve2', skewMs: 30_000 });
    expect(lab.events).toContainEqual(expect.objectContaining({ type: 'clock-skew', node: 'pve2' }));
    const td = lab.lines('pve2', 'timedatectl');
    expect(td).toContain('System clock synchronized: no');
    expect(td).toContain('              NTP service: active');
    expect(td[0]).toBe('               Local time: Tue 2026-03-03 10:00:33 UTC');
    const tr = lab.lines('pve2', 'chronyc tracking');
    expect(tr).toContain('System time     : 30.000000000 seconds fast of NTP time');
    expect(tr).toContain('Leap status     : Not synchronised');
    expect(lab.out('pve2', 'ha-manager status')).toContain('detected time drift!');
    expect(lab.out('pve1', 'ha-manager status')).not.toContain('detected time drift!');
    expect(lab.out('pve2', 'pvecm status')).toContain(`Date:             ${clock(lab, 30_000)}`);

    const fix = lab.cmd('pve2', 'systemctl restart chrony');
    expect(fix).toMatchObject({ output: '', exitCode: 0 });
    expect(fix.events).toContainEqual(expect.objectContaining({ type: 'clock-synced', node: 'pve2' }));
    expect(lab.s.nodes.pve2!.skewMs).toBe(0);
    expect(lab.lines('pve2', 'timedatectl')).toContain('System clock synchronized: yes');
    expect(lab.lines('pve2', 'chronyc tracking')).toContain('Leap status     : Normal');
  });

  it('a small skew is unsynchronised but not a danger; chronyc makestep also fixes it', () => {
    const lab = new Lab();
    lab.fault({ kind: 'clock-skew', node: 'pve3', skewMs: -2500 });
    expect(lab.lines('pve3', 'timedatectl')).toContain('System clock synchronized: no');
    expect(lab.lines('pve3', 'chronyc tracking')).toContain('System time     : 2.500000000 seconds slow of NTP time');
    expect(lab.out('pve3', 'ha-manager status')).not.toContain('drift');
    expect(lab.out('pve3', 'chronyc makestep')).toBe('200 OK');
    expect(lab.s.nodes.pve3!.skewMs).toBe(0);
    lab.cmd('pve3', 'systemctl stop chrony');
    expect(lab.lines('pve3', 'timedatectl')).toContain('System clock synchronized: no');
    expect(lab.cmd('pve3', 'chronyc tracking')).toMatchObject({ output: '506 Cannot talk to daemon', exitCode: 1 });
    expect(lab.cmd('pve3', 'systemctl status chrony').exitCode).toBe(3);
    lab.cmd('pve3', 'systemctl start chrony');
    expect(lab.cmd('pve3', 'systemctl is-active chronyd')).toMatchObject({ output: 'active', exitCode: 0 });
  });

  it('systemctl restart corosync leaves and rejoins the membership', () => {
    const lab = new Lab();
    const r = lab.cmd('pve3', 'systemctl restart corosync');
    expect(r).toMatchObject({ output: '', exitCode: 0 });
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'membership-changed', members: ['pve3'] }));
    lab.run(2000);
    // It rejoins one token time after its peers hear it again (a merge, not the next tick).
    expect(lab.s.partitions).toEqual([['pve1', 'pve2'], ['pve3']]);
    lab.run(lab.s.config.timing.tokenMs);
    expect(lab.s.partitions).toEqual([['pve1', 'pve2', 'pve3']]);
    expect(lab.s.nodes.pve3!.quorate).toBe(true);
  });

  it('restarting corosync undoes a pvecm expected made on an isolated node', () => {
    const lab = new Lab({ vms: [] });
    lab.fault({ kind: 'isolate', node: 'pve1' });
    lab.run(12_000);
    lab.cmd('pve1', 'pvecm expected 1');
    expect(lab.s.nodes.pve1!.quorate).toBe(true);
    lab.cmd('pve1', 'systemctl restart corosync');
    lab.run(1000);
    expect(lab.s.nodes.pve1!.quorate).toBe(false);
    expect(lab.s.nodes.pve1!.expectedOverride).toBeNull();
    expect(lab.lines('pve1', 'pvecm status')).toContain('Expected votes:   3');
  });

  it('systemctl status shows realistic units and quorum log lines', () => {
    const lab = new Lab();
    const st = lab.cmd('pve1', 'systemctl status corosync');
    expect(st.exitCode).toBe(0);
    expect(st.output).toMatch(/^● corosync\.service - Corosync Cluster Engine\n +Loaded: loaded/);
    expect(st.output).toContain('Active: active (running)');
    expect(st.output).toContain('[QUORUM] This node is within the primary component and will provide service.');
    lab.fault({ kind: 'isolate', node: 'pve1' });
    lab.run(12_000);
    expect(lab.out('pve1', 'systemctl status corosync')).toContain('will NOT provide service.');
    expect(lab.out('pve1', 'systemctl status pve-cluster')).toContain('[status] notice: node lost quorum');
    expect(lab.out('pve1', 'systemctl status pve-ha-lrm')).toContain('watchdog running');
    expect(lab.cmd('pve1', 'systemctl status foo')).toMatchObject({ output: 'Unit foo.service could not be found.', exitCode: 4 });
  });
});

// ---------------------------------------------------------------- the shell itself
