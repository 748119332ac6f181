// shell/qm.
import { describe, expect, it } from 'vitest';
import { Lab, vm } from './lab';

describe('qm', () => {
  it('lists local guests with the real layout', () => {
    const lab = new Lab({
      vms: [vm(101, 'web01', 'pve1'), vm(102, 'stopped-vm', 'pve1', { running: false, ha: false, memoryMb: 512, diskGb: 8 }), vm(200, 'other', 'pve2')],
    });
    const out = lab.out('pve1', 'qm list');
    const lines = out.split('\n');
    expect(lines[0]).toBe('      VMID NAME                 STATUS     MEM(MB)    BOOTDISK(GB) PID');
    expect(lines[1]).toMatch(/^       101 web01                running    2048              32\.00 \d+$/);
    expect(lines[2]).toBe('       102 stopped-vm           stopped    512                8.00 0');
    expect(lines).toHaveLength(3);
    // The PID is stable.
    expect(lab.out('pve1', 'qm list')).toBe(out);
    // No local guest: no output at all.
    expect(lab.out('pve3', 'qm list')).toBe('');
  });

  it('refuses a duplicate VMID cluster-wide and creates a new VM visible everywhere', () => {
    const lab = new Lab();
    const dup = lab.cmd('pve1', 'qm create 101 --name copy');
    expect(dup).toMatchObject({ output: "VM 101 already exists on node 'pve2'", exitCode: 255 });
    const ok = lab.cmd('pve3', 'qm create 300 --name test01 --memory 1024 --storage shared');
    expect(ok.exitCode).toBe(0);
    expect(ok.output).toBe("scsi0: successfully created disk 'shared:vm-300-disk-0,size=32G'");
    expect(lab.out('pve3', 'qm list')).toContain('       300 test01               stopped    1024              32.00 0');
    expect(lab.out('pve1', 'cat /etc/pve/nodes/pve3/qemu-server/300.conf')).toContain('name: test01');
    expect(lab.cmd('pve1', 'qm create 300').output).toBe("VM 300 already exists on node 'pve3'");
    expect(lab.cmd('pve1', 'qm create 42').output).toContain('vmid: value must have a minimum value of 100');
    expect(lab.cmd('pve1', 'qm create 301 --name bad_name').output).toContain('does not look like a valid DNS name');
    expect(lab.cmd('pve1', 'qm create 301 --bogus 1').output).toMatch(/^Unknown option: bogus\n400 unable to parse option/);
    expect(lab.cmd('pve1', 'qm create 301 --storage ceph').output).toContain("storage 'ceph' does not exist");
  });

  it('starts and stops non-HA guests directly, HA guests through the HA stack', () => {
    const lab = new Lab();
    expect(lab.cmd('pve2', 'qm stop 101')).toMatchObject({ output: '', exitCode: 0 });
    expect(lab.s.vms['101']!.runningOn).toEqual([]);
    expect(lab.cmd('pve2', 'qm shutdown 101')).toMatchObject({ output: 'VM 101 not running', exitCode: 255 });
    expect(lab.cmd('pve2', 'qm start 101').exitCode).toBe(0);
    expect(lab.s.vms['101']!.runningOn).toEqual(['pve2']);
    expect(lab.cmd('pve2', 'qm start 101').output).toBe('VM 101 already running');
    expect(lab.out('pve2', 'qm status 101')).toBe('status: running');

    const stop = lab.cmd('pve1', 'qm stop 100');
    expect(stop).toMatchObject({ output: 'Requesting HA stop for VM 100', exitCode: 0 });
    expect(lab.s.nodes.pve3!.cfs.ha['vm:100']!.requested).toBe('stopped');
    expect(lab.s.vms['100']!.runningOn).toEqual([]);
    expect(lab.out('pve1', 'ha-manager status')).toContain('service vm:100 (pve1, stopped)');
    expect(lab.cmd('pve1', 'qm start 100').output).toBe('Requesting HA start for VM 100');
    expect(lab.s.vms['100']!.runningOn).toEqual(['pve1']);

    expect(lab.cmd('pve3', 'qm start 100')).toMatchObject({
      output: "Configuration file 'nodes/pve3/qemu-server/100.conf' does not exist",
    });
    expect(lab.cmd('pve3', 'qm start 100').exitCode).not.toBe(0);
    expect(lab.cmd('pve1', 'qm start abc').output).toContain('vmid: invalid format');
  });

  it('migrates: refuses a running VM without --online, forwards HA guests, moves stopped ones at once', () => {
    const lab = new Lab({
      vms: [vm(100, 'web01', 'pve1'), vm(101, 'app', 'pve2', { ha: false }), vm(102, 'cold', 'pve2', { ha: false, running: false, storage: 'local' })],
    });
    expect(lab.cmd('pve2', 'qm migrate 101 pve3')).toMatchObject({ output: "can't migrate running VM without --online", exitCode: 255 });
    const online = lab.cmd('pve2', 'qm migrate 101 pve3 --online');
    expect(online.exitCode).toBe(0);
    expect(online.output).toContain("starting migration of VM 101 to node 'pve3' (10.0.10.13)");
    expect(lab.s.vms['101']!.migrating?.to).toBe('pve3');
    lab.run(lab.s.config.timing.migrateMs + 1000);
    expect(lab.s.vms['101']!.runningOn).toEqual(['pve3']);
    expect(lab.out('pve3', 'qm list')).toMatch(/101 app +running/);
    expect(lab.events).toContainEqual(expect.objectContaining({ type: 'migrated', vmid: 101, from: 'pve2', to: 'pve3', online: true }));

    const cold = lab.cmd('pve2', 'qm migrate 102 pve1');
    expect(cold.exitCode).toBe(0);
    expect(cold.output).toContain('migration finished successfully');
    expect(lab.s.nodes.pve1!.cfs.vms['102']!.node).toBe('pve1');

    const ha = lab.cmd('pve1', 'qm migrate 100 pve2');
    expect(ha).toMatchObject({ output: 'Requesting HA migration for VM 100 to node pve2', exitCode: 0 });
    expect(lab.s.nodes.pve1!.cfs.ha['vm:100']).toMatchObject({ state: 'migrate', target: 'pve2' });
    lab.run(lab.s.config.timing.migrateMs + 1000);
    expect(lab.s.vms['100']!.runningOn).toEqual(['pve2']);
    expect(lab.out('pve1', 'ha-manager status')).toContain('service vm:100 (pve2, started)');

    expect(lab.cmd('pve2', 'qm migrate 100 pve2').output).toBe('target is local node.');
    expect(lab.cmd('pve2', 'qm migrate 100 pve9').output).toBe("no such cluster node 'pve9'");
  });

  it('destroys a stopped VM cluster-wide and refuses a running one', () => {
    const lab = new Lab();
    expect(lab.cmd('pve1', 'qm destroy 100')).toMatchObject({ output: 'VM 100 is running - destroy failed', exitCode: 255 });
    lab.cmd('pve1', 'qm stop 100');
    const r = lab.cmd('pve1', 'qm destroy 100');
    expect(r.exitCode).toBe(0);
    expect(lab.s.nodes.pve3!.cfs.vms['100']).toBeUndefined();
    expect(lab.s.nodes.pve3!.cfs.ha['vm:100']).toBeUndefined();
    expect(lab.out('pve1', 'qm list')).toBe('');
  });
});

// ---------------------------------------------------------------- ha-manager
