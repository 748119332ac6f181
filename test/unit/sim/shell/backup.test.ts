// shell/backup: vzdump, qmrestore and pvesm — their texts and refusals.
import { describe, expect, it } from 'vitest';
import { Lab } from './lab';

describe('vzdump', () => {
  it('prints the job log and writes one archive to the backup storage', () => {
    const lab = new Lab();
    const r = lab.cmd('pve1', 'vzdump 100 --storage backup --mode snapshot');
    expect(r.exitCode).toBe(0);
    const lines = r.output.split('\n');
    expect(lines[0]).toBe('INFO: starting new backup job: vzdump 100 --storage backup --mode snapshot --compress zstd');
    expect(lines).toContain('INFO: Starting Backup of VM 100 (qemu)');
    expect(lines).toContain('INFO: status = running');
    expect(lines).toContain('INFO: VM Name: web01');
    expect(lines).toContain("INFO: include disk 'scsi0' 'shared:vm-100-disk-0' 32G");
    expect(lines).toContain("INFO: creating vzdump archive '/mnt/pve/backup/dump/vzdump-qemu-100-2026_03_03-10_00_03.vma.zst'");
    expect(lines.at(-1)).toBe('INFO: Backup job finished successfully');
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'backup-created', node: 'pve1', vmid: 100, corrupt: false }));
  });

  it('refuses a guest of another node, another storage, a bad mode, no quorum', () => {
    const lab = new Lab();
    expect(lab.cmd('pve2', 'vzdump 100')).toEqual(expect.objectContaining({ exitCode: 255, output: "ERROR: Backup of VM 100 failed - unable to find VM '100' on node 'pve2'" }));
    expect(lab.out('pve1', 'vzdump 100 --storage shared')).toContain("ERROR: Backup of VM 100 failed - storage 'shared' does not support backups");
    expect(lab.out('pve1', 'vzdump 100 --mode fast')).toContain("mode: value 'fast' does not have a value in the enumeration 'snapshot, suspend, stop'");
    expect(lab.out('pve1', 'vzdump')).toContain('400 not enough arguments');
    expect(lab.out('pve1', 'vzdump --all')).toContain('not simulated');
    lab.fault({ kind: 'isolate', node: 'pve1' });
    lab.run(12_000);
    expect(lab.cmd('pve1', 'vzdump 100')).toEqual(expect.objectContaining({ exitCode: 255, output: 'ERROR: Backup of VM 100 failed - cluster not ready - no quorum?' }));
    expect(lab.s.backups ?? []).toEqual([]);
  });
});

describe('pvesm', () => {
  it('lists the archives of the backup storage, optionally for one guest', () => {
    const lab = new Lab();
    expect(lab.lines('pve1', 'pvesm list backup')).toHaveLength(1);
    lab.cmd('pve1', 'vzdump 100');
    lab.cmd('pve2', 'vzdump 101');
    const rows = lab.lines('pve3', 'pvesm list backup');
    expect(rows[0]).toMatch(/^Volid\s+Format\s+Type\s+Size VMID$/);
    expect(rows[1]).toMatch(/^backup:backup\/vzdump-qemu-100-2026_03_03-10_00_03\.vma\.zst\s+vma\.zst\s+backup\s+\d+ 100$/);
    expect(lab.lines('pve3', 'pvesm list backup --vmid 101')).toHaveLength(2);
    expect(lab.out('pve3', 'pvesm list shared')).toContain('only the backup storage is listed');
    expect(lab.out('pve3', 'pvesm status')).toMatch(/backup\s+nfs\s+active/);
    expect(lab.out('pve3', 'cat /etc/pve/storage.cfg')).toContain('nfs: backup\n\texport /export/backup\n\tpath /mnt/pve/backup');
    expect(lab.cmd('pve3', 'pvesm frob').exitCode).toBe(255);
  });
});

describe('qmrestore', () => {
  it('restores over a stopped guest with --force and prints the vma extract log', () => {
    const lab = new Lab();
    lab.cmd('pve2', 'vzdump 101');
    const volid = lab.s.backups![0]!.volid;
    expect(lab.out('pve2', `qmrestore ${volid} 101`)).toBe("unable to restore VM 101 - VM 101 already exists on node 'pve2'");
    expect(lab.out('pve2', `qmrestore ${volid} 101 --force`)).toBe('unable to restore VM 101 - VM 101 is running - destroy failed');
    lab.cmd('pve2', 'qm stop 101');
    const r = lab.cmd('pve2', `qmrestore ${volid} 101 --force`);
    expect(r.exitCode).toBe(0);
    expect(r.output.split('\n')[0]).toBe(
      'restore vma archive: zstd -q -d -c /mnt/pve/backup/dump/vzdump-qemu-101-2026_03_03-10_00_03.vma.zst | vma extract -v -r /var/tmp/vzdumptmp101.fifo - /var/tmp/vzdumptmp101',
    );
    expect(r.output).toContain("new volume ID is 'local-lvm:vm-101-disk-0'");
    expect(r.output.split('\n').at(-1)).toBe('rescan volumes...');
  });

  it('refuses an unknown archive, a guest of another node, bad arguments and no quorum', () => {
    const lab = new Lab();
    lab.cmd('pve1', 'vzdump 100');
    const volid = lab.s.backups![0]!.volid;
    const miss = lab.cmd('pve1', 'qmrestore vzdump-qemu-100-nope.vma.zst 100');
    expect(miss.exitCode).toBe(255);
    expect(miss.output).toContain("unable to restore VM 100 - can't find archive 'vzdump-qemu-100-nope.vma.zst'");
    expect(miss.output).toContain('astuce : listez les archives avec pvesm list backup');
    expect(lab.out('pve2', `qmrestore ${volid} 100 --force`)).toBe("unable to restore VM 100 - VM 100 already exists on node 'pve1'");
    expect(lab.out('pve1', 'qmrestore')).toContain('400 not enough arguments');
    expect(lab.out('pve1', `qmrestore ${volid} abc`)).toContain('vmid: invalid format');
    lab.fault({ kind: 'isolate', node: 'pve3' });
    lab.run(12_000);
    expect(lab.out('pve3', `qmrestore ${volid} 300`)).toBe('unable to restore VM 300 - cluster not ready - no quorum?');
  });
});
