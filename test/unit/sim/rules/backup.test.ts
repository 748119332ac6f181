// rules/backup: archives outside the cluster, the disk-corrupt fault, restore — "a cluster is not a
// backup": HA and pmxcfs replicate the damage, only an archive made before it brings the data back.
import { describe, expect, it } from 'vitest';
import { checkObjective } from '../../../../src/sim/objectives';
import { archiveName, findArchive } from '../../../../src/sim/rules/backup';
import { LAB_EPOCH_MS } from '../../../../src/sim/format';
import { Lab } from '../shell/lab';

const intact = { id: 'i', points: 1, title: { fr: 'i', en: 'i' }, check: { kind: 'vm-data-intact-at-end' as const, vmid: 100 } };

describe('rules/backup', () => {
  it('names archives with the node clock and finds them by volid, path or file name', () => {
    expect(archiveName(100, LAB_EPOCH_MS + 65_000)).toBe('vzdump-qemu-100-2026_03_03-10_01_05.vma.zst');
    const lab = new Lab();
    lab.cmd('pve1', 'vzdump 100');
    const volid = lab.s.backups![0]!.volid;
    expect(volid).toBe('backup:backup/vzdump-qemu-100-2026_03_03-10_00_03.vma.zst');
    const file = volid.slice('backup:backup/'.length);
    expect(findArchive(lab.s, volid)).toBe(lab.s.backups![0]);
    expect(findArchive(lab.s, `/mnt/pve/backup/dump/${file}`)).toBe(lab.s.backups![0]);
    expect(findArchive(lab.s, file)).toBe(lab.s.backups![0]);
    expect(findArchive(lab.s, 'vzdump-qemu-999.vma.zst')).toBeNull();
  });

  it('a corrupted disk follows the guest: HA recovers it elsewhere, still damaged', () => {
    const lab = new Lab();
    lab.fault({ kind: 'disk-corrupt', vmid: 100 });
    expect(lab.events).toContainEqual(expect.objectContaining({ type: 'fault-applied', fault: { kind: 'disk-corrupt', vmid: 100 } }));
    lab.fault({ kind: 'power', node: 'pve1', action: 'off' });
    lab.run(200_000);
    expect(lab.events).toContainEqual(expect.objectContaining({ type: 'recovered', vmid: 100 }));
    expect(lab.s.vms['100']!.runningOn).toHaveLength(1);
    expect(lab.s.vms['100']!.corrupt).toBe(true);
    expect(checkObjective(intact, lab.events, lab.s).met).toBe(false);
  });

  it('an unknown guest cannot be corrupted: the fault is refused, nothing emitted', () => {
    const lab = new Lab();
    const before = lab.events.length;
    lab.fault({ kind: 'disk-corrupt', vmid: 555 });
    expect(lab.events.length).toBe(before);
  });

  it('restoring an archive made before the damage brings the data back; one made after does not', () => {
    const lab = new Lab();
    lab.cmd('pve1', 'vzdump 100');
    const good = lab.s.backups![0]!.volid;
    lab.run(60_000);
    lab.fault({ kind: 'disk-corrupt', vmid: 100 });
    lab.cmd('pve1', 'vzdump 100');
    const bad = lab.s.backups![1]!;
    expect(bad.corrupt).toBe(true);
    lab.cmd('pve1', 'ha-manager set vm:100 --state stopped');
    lab.run(5000);
    expect(lab.s.vms['100']!.runningOn).toEqual([]);
    const r1 = lab.cmd('pve1', `qmrestore ${bad.volid} 100 --force`);
    expect(r1.events).toContainEqual(expect.objectContaining({ type: 'vm-restored', vmid: 100, corrupt: true }));
    expect(lab.s.vms['100']!.corrupt).toBe(true);
    const r2 = lab.cmd('pve1', `qmrestore ${good} 100 --force`);
    expect(r2.exitCode).toBe(0);
    expect(r2.events).toContainEqual(expect.objectContaining({ type: 'vm-restored', node: 'pve1', vmid: 100, volid: good, corrupt: false }));
    expect(lab.s.vms['100']!.corrupt).toBeUndefined();
    lab.cmd('pve1', 'ha-manager set vm:100 --state started');
    lab.run(10_000);
    expect(checkObjective(intact, lab.events, lab.s).met).toBe(true);
  });

  it('qm destroy is replicated to every node; the archive outside the cluster survives it', () => {
    const lab = new Lab();
    lab.cmd('pve2', 'vzdump 101');
    lab.cmd('pve2', 'qm stop 101');
    expect(lab.cmd('pve2', 'qm destroy 101').exitCode).toBe(0);
    for (const n of ['pve1', 'pve2', 'pve3']) expect(lab.s.nodes[n]!.cfs.vms['101']).toBeUndefined();
    expect(lab.out('pve1', 'pvesm list backup')).toContain('vzdump-qemu-101-');
    const r = lab.cmd('pve3', `qmrestore ${lab.s.backups![0]!.volid} 101 --start`);
    expect(r.exitCode).toBe(0);
    expect(lab.s.nodes.pve1!.cfs.vms['101']!.node).toBe('pve3');
    expect(lab.s.vms['101']!.runningOn).toEqual(['pve3']);
  });
});
