// shell/systemctl: stop / start / restart of corosync and corosync-qdevice, through the rule actions.
import { describe, expect, it } from 'vitest';
import { Lab } from './lab';

describe('systemctl stop|start corosync', () => {
  it('stop: the node leaves the membership at once, loses quorum, /etc/pve turns read-only, its corosync tools fail', () => {
    const lab = new Lab();
    const r = lab.cmd('pve1', 'systemctl stop corosync');
    expect(r).toMatchObject({ output: '', exitCode: 0 });
    // A clean leave: the peers form a new membership within the same second.
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'membership-changed', members: ['pve2', 'pve3'] }));
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'quorum-lost', node: 'pve1' }));
    expect(lab.s.nodes.pve1!.quorate).toBe(false);
    expect(lab.lines('pve2', 'pvecm status')).toContain('Nodes:            2');
    expect(lab.lines('pve2', 'pvecm status')).toContain('Quorate:          Yes');

    const st = lab.cmd('pve1', 'systemctl status corosync');
    expect(st.exitCode).toBe(3);
    expect(st.output.split('\n').slice(0, 3)).toEqual([
      '● corosync.service - Corosync Cluster Engine',
      '     Loaded: loaded (/lib/systemd/system/corosync.service; enabled; preset: enabled)',
      '     Active: inactive (dead)',
    ]);
    expect(st.output).toContain('Corosync Cluster Engine exiting normally');
    expect(lab.cmd('pve1', 'systemctl is-active corosync')).toMatchObject({ output: 'inactive', exitCode: 3 });

    const pv = lab.cmd('pve1', 'pvecm status');
    expect(pv.exitCode).toBe(1);
    expect(pv.output.split('\n').slice(-2)).toEqual(['', 'Cannot initialize CMAP service']);
    expect(lab.cmd('pve1', 'pvecm nodes')).toMatchObject({ output: 'Cannot initialize CMAP service', exitCode: 1 });
    expect(lab.cmd('pve1', 'corosync-quorumtool -s').output.split('\n')[0]).toBe('Cannot initialize CMAP service');
    expect(lab.cmd('pve1', 'pvecm expected 1').output).toBe("Cannot initialize CMAP service\ncommand 'corosync-quorumtool -e 1' failed: exit code 1");
    expect(lab.cmd('pve1', 'touch /etc/pve/test').output).toContain('Permission denied');
  });

  it('stop: an active HA LRM arms its watchdog and the node resets, then boots with corosync running', () => {
    const lab = new Lab();
    lab.cmd('pve1', 'systemctl stop corosync');
    expect(lab.events).toContainEqual(expect.objectContaining({ type: 'watchdog-armed', node: 'pve1' }));
    lab.run(lab.s.config.timing.watchdogMs + 1000);
    expect(lab.events).toContainEqual(expect.objectContaining({ type: 'self-fenced', node: 'pve1', vms: [100] }));
    lab.run(lab.s.config.timing.bootMs + 15_000);
    expect(lab.s.nodes.pve1!.power).toBe('on');
    expect(lab.s.nodes.pve1!.corosyncStopped).toBeUndefined();
    expect(lab.s.nodes.pve1!.quorate).toBe(true);
  });

  it('stop takes quorum away even where two_node would give it (no votequorum without corosync)', () => {
    const lab = new Lab({ nodes: 2, options: { two_node: true }, vms: [] });
    lab.cmd('pve2', 'systemctl stop corosync');
    lab.run(2000);
    expect(lab.s.nodes.pve2!.quorate).toBe(false);
    expect(lab.s.nodes.pve1!.quorate).toBe(true);
  });

  it('start: votequorum starts afresh and the node rejoins once it hears its peers; restart of a stopped corosync starts it', () => {
    const lab = new Lab({ vms: [] });
    lab.cmd('pve3', 'systemctl stop corosync');
    lab.run(3000);
    expect(lab.cmd('pve3', 'systemctl start corosync')).toMatchObject({ output: '', exitCode: 0 });
    expect(lab.cmd('pve3', 'systemctl is-active corosync').output).toBe('active');
    lab.run(5000);
    expect(lab.s.nodes.pve3!.quorate).toBe(true);
    expect(lab.lines('pve3', 'pvecm status')).toContain('Nodes:            3');
    expect(lab.lines('pve3', 'systemctl status corosync')[2]).toMatch(/^ {5}Active: active \(running\)/);

    lab.cmd('pve3', 'systemctl stop corosync');
    lab.cmd('pve3', 'systemctl restart corosync');
    lab.run(5000);
    expect(lab.s.nodes.pve3!.quorate).toBe(true);
  });
});

describe('systemctl and corosync-qdevice', () => {
  it('stopping corosync stops corosync-qdevice (Requires=corosync.service); starting corosync alone leaves it stopped', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: true }, vms: [] });
    lab.cmd('pve2', 'systemctl stop corosync');
    expect(lab.cmd('pve2', 'systemctl is-active corosync-qdevice').output).toBe('inactive');
    lab.cmd('pve2', 'systemctl start corosync');
    lab.run(5000);
    expect(lab.cmd('pve2', 'systemctl is-active corosync-qdevice').output).toBe('inactive');
    expect(lab.lines('pve2', 'pvecm status')).toContain('0x00000002          1         NR 10.0.10.12 (local)');
    // Starting the qdevice unit is enough (it would start corosync too).
    lab.cmd('pve2', 'systemctl start corosync-qdevice');
    expect(lab.lines('pve2', 'pvecm status')).toContain('0x00000002          1    A,V,NMW 10.0.10.12 (local)');
  });

  it('refuses to start corosync-qdevice without a QDevice in corosync.conf, like the failed systemd job', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: false }, vms: [] });
    const r = lab.cmd('pve1', 'systemctl start corosync-qdevice');
    expect(r.exitCode).toBe(1);
    expect(r.output.split('\n')[0]).toBe('Job for corosync-qdevice.service failed because the control process exited with error code.');
  });

  it('still refuses to stop the units it does not simulate', () => {
    const lab = new Lab({ vms: [] });
    const r = lab.cmd('pve1', 'systemctl stop pve-cluster');
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('stopping pve-cluster.service is not simulated in this lab');
  });
});
