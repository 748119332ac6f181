// shell/apt: the QDevice packages — corosync-qnetd on the QDevice host, corosync-qdevice on every
// node — and pvecm qdevice setup's failures while a piece is missing.
import { describe, expect, it } from 'vitest';
import { Lab } from './lab';

const QD = '10.0.10.50';
/** Two standalone nodes and a fresh QDevice host, the cluster built but nothing installed. */
function built(): Lab {
  const lab = new Lab({ standalone: true, nodes: 2, vms: [], qdevice: { configured: false, ip: QD } });
  lab.cmd('pve1', 'pvecm create salle-b');
  lab.cmd('pve2', 'pvecm add 10.0.10.11');
  lab.run(5000);
  return lab;
}

describe('apt install', () => {
  it('installs corosync-qnetd on the QDevice host, once', () => {
    const lab = built();
    expect(lab.cmd('qnetd', 'corosync-qnetd-tool -s').exitCode).toBe(127);
    const r = lab.cmd('qnetd', 'apt install -y corosync-qnetd');
    expect(r.exitCode).toBe(0);
    expect(r.output.split('\n')).toEqual(
      expect.arrayContaining(['The following NEW packages will be installed:', '  corosync-qnetd', 'Setting up corosync-qnetd (3.0.3-1) ...']),
    );
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'package-installed', node: 'qnetd', pkg: 'corosync-qnetd' }));
    expect(lab.out('qnetd', 'apt-get install corosync-qnetd')).toContain('corosync-qnetd is already the newest version (3.0.3-1).');
    expect(lab.out('qnetd', 'systemctl status corosync-qnetd')).toContain('Active: active (running)');
    expect(lab.cmd('qnetd', 'corosync-qnetd-tool -s').exitCode).toBe(0);
  });

  it('installs corosync-qdevice on a node and refuses qnetd there (the course: never on a node)', () => {
    const lab = built();
    expect(lab.cmd('pve1', 'apt install corosync-qdevice').exitCode).toBe(0);
    expect(lab.s.nodes.pve1!.qdevicePkg).toBeUndefined();
    const trap = lab.cmd('pve1', 'apt install corosync-qnetd');
    expect(trap.exitCode).toBe(100);
    expect(trap.output).toContain('never on a cluster node');
    expect(lab.cmd('qnetd', 'apt install corosync-qdevice').exitCode).toBe(100);
    expect(lab.cmd('pve1', 'apt install vim').output).toContain('E: Could not open lock file /var/lib/dpkg/lock-frontend');
    expect(lab.cmd('pve1', 'apt update').exitCode).toBe(100);
  });
});

describe('pvecm qdevice setup while building', () => {
  it('fails on a missing qnetd, then on a node without corosync-qdevice, then succeeds', () => {
    const lab = built();
    const noQnetd = lab.cmd('pve1', `pvecm qdevice setup ${QD}`);
    expect(noQnetd.exitCode).toBe(255);
    expect(noQnetd.output).toContain('bash: line 1: corosync-qnetd-certutil: command not found');
    lab.cmd('qnetd', 'apt install corosync-qnetd');
    lab.cmd('pve1', 'apt install corosync-qdevice');
    const noPkg = lab.cmd('pve1', `pvecm qdevice setup ${QD}`);
    expect(noPkg.exitCode).toBe(255);
    expect(noPkg.output).toContain('bash: line 1: corosync-qdevice-net-certutil: command not found');
    expect(noPkg.output).toContain("command 'ssh -o BatchMode=yes -lroot 10.0.10.12 corosync-qdevice-net-certutil -i -c /etc/pve/qdevice-net-node.crt' failed: exit code 127");
    lab.cmd('pve2', 'apt install corosync-qdevice');
    const ok = lab.cmd('pve1', `pvecm qdevice setup ${QD}`);
    expect(ok.exitCode).toBe(0);
    expect(ok.output).toContain("INFO: start and enable corosync qdevice daemon on node 'pve2'...");
    lab.run(3000);
    expect(lab.lines('pve2', 'pvecm status')).toContain('Total votes:      3');
    expect(lab.cmd('pve1', 'pvecm qdevice remove').exitCode).toBe(0);
    lab.run(3000);
    expect(lab.lines('pve2', 'pvecm status')).toContain('Expected votes:   2');
  });

  it('counts the nodes of corosync.conf, not every seat: one member of three is an odd cluster', () => {
    const lab = new Lab({ standalone: true, nodes: 3, vms: [], qdevice: { configured: false, ip: QD } });
    lab.cmd('pve1', 'pvecm create salle-b');
    lab.run(2000);
    expect(lab.out('pve1', `pvecm qdevice setup ${QD}`)).toContain('Clusters with an odd node count are not officially supported!');
    lab.cmd('pve2', 'pvecm add 10.0.10.11');
    lab.run(5000);
    // pve3 is not in the cluster yet: it does not count as an offline member.
    expect(lab.out('pve1', `pvecm qdevice setup ${QD}`)).not.toContain('All nodes must be online');
  });
});
