// vzdump, qmrestore and `pvesm list backup`: the backup storage seen from a node (rules/backup.ts
// decides; this file parses and prints like vzdump/qmrestore of PVE 8).
import { BACKUP_DUMP_DIR, BACKUP_STORAGE, findArchive, restoreBackup, takeBackup } from '../rules/backup.js';
import { startVm } from '../rules/power.js';
import { isoLocal, nodeClock, padL, padR } from '../format.js';
import { hint, NO_QUORUM, optError, parseOpts, refuseNoQuorum, type Res, res, type Sh, STORAGE_ID, vmidError } from './common.js';
import { guestRuntime } from '../rules/guests.js';
import { diskSpec, isHa } from './qm.js';

const VZDUMP_USAGE = 'vzdump <vmid> [OPTIONS]';
const QMRESTORE_USAGE = 'qmrestore <archive> <vmid> [OPTIONS]';

/** Archive size as vzdump prints it: a sparse, zstd-compressed disk (deterministic per guest). */
const archiveBytes = (diskGb: number, vmid: number) => Math.round(diskGb * 1024 ** 3 * 0.045) + vmid * 4096;

export function vzdump(sh: Sh, args: string[]): Res {
  const { s, n, node } = sh;
  const parsed = parseOpts(args, { storage: 'string', mode: 'string', compress: 'string', all: 'bool', remove: 'bool', 'notes-template': 'string' });
  if (parsed.error) return optError(parsed, VZDUMP_USAGE);
  if (parsed.opts.all === '1')
    return res('vzdump --all: not simulated in this lab\n' + hint('back up one guest: vzdump <vmid> --storage backup', 'sauvegardez une VM : vzdump <vmid> --storage backup'), 255);
  const id = vmidError(parsed.pos[0], VZDUMP_USAGE);
  if (typeof id !== 'number') return id;
  if (parsed.pos.length > 1) return res(`400 too many arguments\n${VZDUMP_USAGE}`, 255);
  const storage = parsed.opts.storage ?? BACKUP_STORAGE;
  if (storage !== BACKUP_STORAGE)
    return res(
      `ERROR: Backup of VM ${id} failed - storage '${storage}' does not support backups\n` +
        hint(`the backup storage here is '${BACKUP_STORAGE}' (outside the cluster)`, `le stockage de sauvegarde ici est '${BACKUP_STORAGE}' (hors du cluster)`),
      255,
    );
  const mode = parsed.opts.mode ?? 'snapshot';
  if (!['snapshot', 'suspend', 'stop'].includes(mode)) return res(`400 Parameter verification failed.\nmode: value '${mode}' does not have a value in the enumeration 'snapshot, suspend, stop'\n${VZDUMP_USAGE}`, 255);
  const conf = n.cfs.vms[String(id)];
  // vzdump only backs up the guests of the node it runs on.
  if (!conf || conf.node !== node) return res(`ERROR: Backup of VM ${id} failed - unable to find VM '${id}' on node '${node}'`, 255);
  if (!n.quorate) {
    refuseNoQuorum(sh, `nodes/${node}/qemu-server/${id}.conf`, `vzdump ${id}`);
    return res(`ERROR: Backup of VM ${id} failed - ${NO_QUORUM}`, 255);
  }
  const clock = nodeClock(s, node);
  const archive = takeBackup(sh.c, node, conf, clock);
  const file = archive.volid.slice(archive.volid.indexOf('/') + 1);
  const running = guestRuntime(s, id).runningOn.includes(node);
  const secs = Math.max(1, Math.round(conf.diskGb / 3));
  const size = archiveBytes(conf.diskGb, id);
  const ts = (dt: number) => isoLocal(clock + dt * 1000);
  return res(
    [
      `INFO: starting new backup job: vzdump ${id} --storage ${storage} --mode ${mode} --compress zstd`,
      `INFO: Starting Backup of VM ${id} (qemu)`,
      `INFO: Backup started at ${ts(0)}`,
      `INFO: status = ${running ? 'running' : 'stopped'}`,
      `INFO: VM Name: ${conf.name}`,
      `INFO: include disk 'scsi0' '${diskSpec(conf).split(',')[0]}' ${conf.diskGb}G`,
      `INFO: backup mode: ${running ? mode : 'stop'}`,
      'INFO: ionice priority: 7',
      `INFO: creating vzdump archive '${BACKUP_DUMP_DIR}/${file}'`,
      `INFO: 100% (${conf.diskGb}.0 GiB of ${conf.diskGb}.0 GiB) in ${secs}s, read: ${(conf.diskGb / secs).toFixed(1)} GiB/s, write: ${((size / 1024 ** 3) / secs).toFixed(1)} GiB/s`,
      `INFO: archive file size: ${(size / 1e9).toFixed(2)}GB`,
      `INFO: Finished Backup of VM ${id} (00:00:${String(secs).padStart(2, '0')})`,
      `INFO: Backup finished at ${ts(secs)}`,
      'INFO: Backup job finished successfully',
    ].join('\n'),
  );
}

export function qmrestore(sh: Sh, args: string[]): Res {
  const { s, n, node } = sh;
  const parsed = parseOpts(args, { force: 'bool', storage: 'string', start: 'bool', unique: 'bool' });
  if (parsed.error) return optError(parsed, QMRESTORE_USAGE);
  const [name, rawId] = parsed.pos;
  if (name === undefined || rawId === undefined) return res(`400 not enough arguments\n${QMRESTORE_USAGE}`, 255);
  if (parsed.pos.length > 2) return res(`400 too many arguments\n${QMRESTORE_USAGE}`, 255);
  const id = vmidError(rawId, QMRESTORE_USAGE);
  if (typeof id !== 'number') return id;
  const archive = findArchive(s, name);
  if (!archive)
    return res(
      `unable to restore VM ${id} - can't find archive '${name}'\n` +
        hint('list the archives with pvesm list backup', 'listez les archives avec pvesm list backup'),
      255,
    );
  const existing = n.cfs.vms[String(id)];
  const force = parsed.opts.force === '1';
  if (existing && (!force || existing.node !== node)) return res(`unable to restore VM ${id} - VM ${id} already exists on node '${existing.node}'`, 255);
  if (existing && guestRuntime(s, id).runningOn.length > 0) return res(`unable to restore VM ${id} - VM ${id} is running - destroy failed`, 255);
  if (!n.quorate) {
    refuseNoQuorum(sh, `nodes/${node}/qemu-server/${id}.conf`, `qmrestore ${id}`);
    return res(`unable to restore VM ${id} - ${NO_QUORUM}`, 255);
  }
  if (!restoreBackup(sh.c, node, archive, id)) return res(`unable to restore VM ${id} - ${NO_QUORUM}`, 255);
  const bytes = archive.conf.diskGb * 1024 ** 3;
  const lines = [
    `restore vma archive: zstd -q -d -c ${BACKUP_DUMP_DIR}/${archive.volid.slice(archive.volid.indexOf('/') + 1)} | vma extract -v -r /var/tmp/vzdumptmp${id}.fifo - /var/tmp/vzdumptmp${id}`,
    'CFG: size: 437 name: qemu-server.conf',
    `DEV: dev_id=1 size: ${bytes} devname: drive-scsi0`,
    `CTIME: ${isoLocal(nodeClock(s, archive.node) - s.now + archive.at)}`,
    `new volume ID is '${STORAGE_ID[archive.conf.storage]}:vm-${id}-disk-0'`,
    `progress 100% (read ${bytes} bytes, duration ${Math.max(1, Math.round(archive.conf.diskGb / 6))} sec)`,
    'rescan volumes...',
  ];
  if (parsed.opts.start === '1') {
    const svc = isHa(n.cfs, id);
    if (!svc) startVm(sh.c, id, node, 'qmrestore --start');
    else lines.push(`(vm:${id} is HA-managed: start it with ha-manager / gérée par la HA : démarrez-la avec ha-manager)`);
  }
  return res(lines.join('\n'));
}

/** `pvesm list backup` (the only storage `pvesm` lists here) and `pvesm status`. */
export function pvesm(sh: Sh, args: string[]): Res {
  const { s } = sh;
  const usage = 'USAGE: pvesm <COMMAND> [ARGS] [OPTIONS]\n       pvesm list <storage> [OPTIONS]\n       pvesm status  [OPTIONS]';
  if (args[0] === 'status')
    return res(
      [
        `${padR('Name', 16)} ${padR('Type', 8)} ${padR('Status', 8)} ${padL('Total', 14)}`,
        `${padR(BACKUP_STORAGE, 16)} ${padR('nfs', 8)} ${padR('active', 8)} ${padL(2147483648, 14)}`,
        `${padR('local-lvm', 16)} ${padR('lvmthin', 8)} ${padR('active', 8)} ${padL(367001600, 14)}`,
        `${padR('shared', 16)} ${padR('nfs', 8)} ${padR(s.storageUp ? 'active' : 'inactive', 8)} ${padL(4294967296, 14)}`,
      ].join('\n'),
    );
  if (args[0] !== 'list') return res(`ERROR: unknown command 'pvesm${args[0] ? ' ' + args[0] : ''}'\n${usage}`, 255);
  const parsed = parseOpts(args.slice(1), { vmid: 'string', 'content-type': 'string' });
  if (parsed.error) return optError(parsed, 'pvesm list <storage> [OPTIONS]');
  const storage = parsed.pos[0];
  if (storage === undefined) return res('400 not enough arguments\npvesm list <storage> [OPTIONS]', 255);
  if (storage !== BACKUP_STORAGE)
    return res(
      `pvesm list ${storage}: only the backup storage is listed in this lab\n` +
        hint(`try pvesm list ${BACKUP_STORAGE}`, `essayez pvesm list ${BACKUP_STORAGE}`),
      255,
    );
  const only = parsed.opts.vmid;
  const rows = (s.backups ?? []).filter((b) => only === undefined || String(b.vmid) === only);
  const w = Math.max(40, ...rows.map((b) => b.volid.length));
  const lines = [`${padR('Volid', w)} ${padR('Format', 7)} ${padR('Type', 10)} ${padL('Size', 12)} VMID`];
  for (const b of rows) lines.push(`${padR(b.volid, w)} ${padR('vma.zst', 7)} ${padR('backup', 10)} ${padL(archiveBytes(b.conf.diskGb, b.vmid), 12)} ${b.vmid}`);
  return res(lines.join('\n'));
}
