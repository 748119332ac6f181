// Backups: vzdump archives on a backup storage outside the cluster, and qmrestore (docs/sim.md,
// "Backups"). The course's "a cluster is not a backup": HA restarts a guest with whatever its disk
// holds and pmxcfs replicates a `qm destroy` to every node; only an archive brings the data back.
import { emit, serviceId, type Ctx } from '../kernel.js';
import { isoLocal } from '../format.js';
import type { BackupArchive, CfsVm, ClusterState, NodeName } from '../types.js';
import { cfsCommit } from './pmxcfs.js';

/** The backup storage's id in storage.cfg and its mount point. */
export const BACKUP_STORAGE = 'backup';
export const BACKUP_DUMP_DIR = '/mnt/pve/backup/dump';

/** `vzdump-qemu-100-2026_03_03-10_05_00.vma.zst`, stamped with the node's clock. */
export function archiveName(vmid: number, clockMs: number): string {
  const stamp = isoLocal(clockMs).replace(/-/g, '_').replace(' ', '-').replace(/:/g, '_');
  return `vzdump-qemu-${vmid}-${stamp}.vma.zst`;
}

/** The archive a student names: its volid, its path under the dump directory, or its file name. */
export function findArchive(s: ClusterState, name: string): BackupArchive | null {
  const file = name.startsWith(`${BACKUP_STORAGE}:backup/`)
    ? name.slice(`${BACKUP_STORAGE}:backup/`.length)
    : name.startsWith(`${BACKUP_DUMP_DIR}/`)
      ? name.slice(BACKUP_DUMP_DIR.length + 1)
      : name;
  return (s.backups ?? []).find((b) => b.volid === `${BACKUP_STORAGE}:backup/${file}`) ?? null;
}

/** vzdump of a guest whose config lives on `node`: the archive records the disk as it is now. */
export function takeBackup(c: Ctx, node: NodeName, conf: CfsVm, clockMs: number): BackupArchive {
  const s = c.s;
  const file = archiveName(conf.vmid, clockMs);
  const archive: BackupArchive = {
    volid: `${BACKUP_STORAGE}:backup/${file}`,
    vmid: conf.vmid,
    at: s.now,
    node,
    conf: { ...conf },
    corrupt: !!s.vms[String(conf.vmid)]?.corrupt,
  };
  (s.backups ??= []).push(archive);
  emit(c, { type: 'backup-created', node, vmid: conf.vmid, volid: archive.volid, corrupt: archive.corrupt });
  return archive;
}

/**
 * qmrestore: writes the archived config as guest `vmid` of `node` (replacing an existing stopped
 * one with --force: its HA resource entry stays, like the real tool keeps resources.cfg) and puts
 * the archived disk back. False when /etc/pve refused the write (no quorum).
 */
export function restoreBackup(c: Ctx, node: NodeName, archive: BackupArchive, vmid: number): boolean {
  const s = c.s;
  const conf: CfsVm = { ...archive.conf, vmid, node };
  const ok = cfsCommit(c, node, `nodes/${node}/qemu-server/${vmid}.conf`, `qmrestore ${archive.volid} ${vmid}`, (db) => {
    db.vms[String(vmid)] = conf;
    const svc = db.ha[serviceId(vmid)];
    if (svc) svc.node = node;
  });
  if (!ok) return false;
  const rt = (s.vms[String(vmid)] ??= { vmid, runningOn: [], ioError: false });
  rt.ioError = false;
  if (archive.corrupt) rt.corrupt = true;
  else delete rt.corrupt;
  emit(c, { type: 'vm-restored', node, vmid, volid: archive.volid, corrupt: archive.corrupt });
  return true;
}

/** The `disk-corrupt` fault: false for a guest that does not exist. */
export function corruptDisk(s: ClusterState, vmid: number): boolean {
  const rt = s.vms[String(vmid)];
  if (!rt) return false;
  rt.corrupt = true;
  return true;
}
