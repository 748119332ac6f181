// shell/files and shell/pve-files: /etc/pve reads and writes.
import { describe, expect, it } from 'vitest';
import { Lab, config, vm } from './lab';

describe('/etc/pve reads and writes', () => {
  it('refuses writes without quorum and still allows reads', () => {
    const lab = new Lab();
    lab.fault({ kind: 'isolate', node: 'pve1' });
    lab.run(12_000);
    const t = lab.cmd('pve1', 'touch /etc/pve/x');
    expect(t).toMatchObject({ output: "touch: cannot touch '/etc/pve/x': Permission denied", exitCode: 1 });
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'pmxcfs-refused', node: 'pve1' }));
    expect(lab.cmd('pve1', 'echo hello > /etc/pve/test.txt')).toMatchObject({ output: '-bash: /etc/pve/test.txt: Permission denied', exitCode: 1 });
    expect(lab.cmd('pve1', 'rm /etc/pve/storage.cfg').output).toBe("rm: cannot remove '/etc/pve/storage.cfg': Permission denied");
    expect(lab.cmd('pve1', 'qm create 300 --name test')).toMatchObject({ output: 'cluster not ready - no quorum?', exitCode: 255 });
    expect(lab.cmd('pve1', 'ha-manager add vm:101')).toMatchObject({ output: "cfs-lock 'domain-ha' error: no quorum!", exitCode: 255 });
    expect(lab.cmd('pve1', 'qm start 100').output.split('\n')).toEqual([
      'Requesting HA start for VM 100',
      "cfs-lock 'domain-ha' error: no quorum!",
      "command 'ha-manager set vm:100 --state started' failed: exit code 255",
    ]);
    // Reads still work.
    expect(lab.cmd('pve1', 'cat /etc/pve/corosync.conf').exitCode).toBe(0);
    expect(lab.out('pve1', 'ls /etc/pve/nodes/pve1/qemu-server')).toBe('100.conf');
    const members = JSON.parse(lab.out('pve1', 'cat /etc/pve/.members'));
    expect(members).toMatchObject({ nodename: 'pve1', cluster: { name: 'salle-b', nodes: 3, quorate: 0 } });
    expect(members.nodelist.pve1).toMatchObject({ id: 1, online: 1, ip: '10.0.10.11' });
    expect(members.nodelist.pve2).toMatchObject({ id: 2, online: 0 });
    // The quorate side writes fine.
    const ok = lab.cmd('pve2', 'touch /etc/pve/x');
    expect(ok).toMatchObject({ output: '', exitCode: 0 });
    expect(ok.events).toContainEqual(expect.objectContaining({ type: 'pmxcfs-write', node: 'pve2' }));
  });

  it('renders corosync.conf, resources.cfg, a VM config and directory listings', () => {
    const lab = new Lab();
    const conf = lab.out('pve2', 'cat /etc/pve/corosync.conf');
    expect(conf).toContain('  node {\n    name: pve2\n    nodeid: 2\n    quorum_votes: 1\n    ring0_addr: 10.0.10.12\n  }');
    expect(conf).toContain('quorum {\n  provider: corosync_votequorum\n}');
    expect(conf).toContain('totem {\n  cluster_name: salle-b\n  config_version: 1\n');
    expect(lab.out('pve3', 'cat /etc/pve/ha/resources.cfg')).toBe('vm: 100\n\tstate started');
    const vmconf = lab.out('pve3', 'cat /etc/pve/nodes/pve1/qemu-server/100.conf');
    expect(vmconf).toContain('name: web01');
    expect(vmconf).toContain('memory: 2048');
    expect(vmconf).toContain('scsi0: shared:vm-100-disk-0,size=32G');
    // /etc/pve/qemu-server is this node's own directory.
    expect(lab.cmd('pve1', 'cat /etc/pve/qemu-server/100.conf').exitCode).toBe(0);
    expect(lab.cmd('pve2', 'cat /etc/pve/qemu-server/100.conf')).toMatchObject({
      output: 'cat: /etc/pve/qemu-server/100.conf: No such file or directory',
      exitCode: 1,
    });
    const ls = lab.out('pve1', 'ls /etc/pve');
    expect(ls.split('  ')).toEqual(expect.arrayContaining(['corosync.conf', 'ha', 'nodes', 'storage.cfg', 'qemu-server']));
    expect(ls).not.toContain('.members');
    expect(lab.out('pve1', 'ls -a /etc/pve')).toContain('.members');
    expect(lab.out('pve1', 'ls /etc/pve/nodes')).toBe('pve1  pve2  pve3');
    expect(lab.out('pve1', 'ls /etc/pve/nodes/pve2/qemu-server')).toBe('101.conf');
    expect(lab.cmd('pve1', 'ls /nope')).toMatchObject({ output: "ls: cannot access '/nope': No such file or directory", exitCode: 2 });
    expect(lab.cmd('pve1', 'cat /etc/pve')).toMatchObject({ output: 'cat: /etc/pve: Is a directory', exitCode: 1 });
    expect(lab.out('pve1', 'ls -l /etc/pve')).toMatch(/lrwxr-xr-x 1 root www-data +\d+ .* local -> nodes\/pve1/);
  });
});

// ---------------------------------------------------------------- qm
