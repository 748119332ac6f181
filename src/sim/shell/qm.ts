// qm: list, status, config, start, stop, shutdown, migrate, create, destroy.
import { haService, nodeConfig, serviceId } from '../kernel.js';
import { createGuest, destroyGuest, guestRuntime, migrateGuest, startGuest } from '../rules/guests.js';
import { stopVm } from '../rules/power.js';
import { isoLocal, nodeClock, padL, padR } from '../format.js';
import type { CfsDb, CfsVm, HaRequestedState, HaService } from '../types.js';
import { hint, myPartition, NO_QUORUM, optError, paramError, parseOpts, refuseNoQuorum, type Res, res, type Sh, STORAGE_ID, vmidError } from './common.js';
import { haMove, requestState } from './ha-manager.js';

// ---------------------------------------------------------------- qm

export const QM_USAGE = [
  'USAGE: qm <COMMAND> [ARGS] [OPTIONS]',
  '       qm config <vmid> [OPTIONS]',
  '       qm create <vmid> [OPTIONS]',
  '       qm destroy <vmid> [OPTIONS]',
  '       qm list  [OPTIONS]',
  '       qm migrate <vmid> <target> [OPTIONS]',
  '       qm shutdown <vmid> [OPTIONS]',
  '       qm start <vmid> [OPTIONS]',
  '       qm status <vmid> [OPTIONS]',
  '       qm stop <vmid> [OPTIONS]',
  '',
  '       qm help [<extra-args>] [OPTIONS]',
].join('\n');

/** A stable fake PID per VM, so `qm list` does not change between calls. */
export function vmPid(vmid: number): number {
  return 1000 + ((vmid * 7919) % 60000);
}

export function diskSpec(vm: CfsVm): string {
  return `${STORAGE_ID[vm.storage]}:vm-${vm.vmid}-disk-0,size=${vm.diskGb}G`;
}

export function localConf(sh: Sh, vmid: number): CfsVm | Res {
  const vm = sh.n.cfs.vms[String(vmid)];
  if (!vm || vm.node !== sh.node) return res(`Configuration file 'nodes/${sh.node}/qemu-server/${vmid}.conf' does not exist`, 2);
  return vm;
}

export function isHa(db: CfsDb, vmid: number): HaService | null {
  const x = haService(db, vmid);
  return x && x.requested !== 'ignored' ? x : null;
}

export function qm(sh: Sh, args: string[]): Res {
  const sub = args[0];
  const rest = args.slice(1);
  switch (sub) {
    case undefined:
      return res(`ERROR: no command specified\n${QM_USAGE}`, 255);
    case 'help':
      return res(QM_USAGE);
    case 'list':
      return qmList(sh, rest);
    case 'status':
    case 'config': {
      const usage = `qm ${sub} <vmid> [OPTIONS]`;
      const parsed = parseOpts(rest, { verbose: 'bool', current: 'bool' });
      if (parsed.error) return optError(parsed, usage);
      const id = vmidError(parsed.pos[0], usage);
      if (typeof id !== 'number') return id;
      const vm = localConf(sh, id);
      if ('output' in vm) return vm;
      if (sub === 'config') return res(vmConfText(vm));
      return res(`status: ${guestRuntime(sh.s, id).runningOn.includes(sh.node) ? 'running' : 'stopped'}`);
    }
    case 'start':
    case 'stop':
    case 'shutdown':
      return qmPower(sh, sub, rest);
    case 'migrate':
      return qmMigrate(sh, rest);
    case 'create':
      return qmCreate(sh, rest);
    case 'destroy':
      return qmDestroy(sh, rest);
    default:
      return res(`ERROR: unknown command 'qm ${sub}'\n${QM_USAGE}`, 255);
  }
}

export function qmList(sh: Sh, args: string[]): Res {
  const parsed = parseOpts(args, { full: 'bool' });
  if (parsed.error) return optError(parsed, 'qm list  [OPTIONS]');
  const vms = Object.values(sh.n.cfs.vms)
    .filter((vm) => vm.node === sh.node)
    .sort((a, b) => a.vmid - b.vmid);
  if (vms.length === 0) return res('');
  const lines = [`${padL('VMID', 10)} ${padR('NAME', 20)} ${padR('STATUS', 10)} ${padR('MEM(MB)', 10)} ${padL('BOOTDISK(GB)', 12)} ${padR('PID', 10)}`];
  for (const vm of vms) {
    const running = !!sh.s.vms[String(vm.vmid)]?.runningOn.includes(sh.node);
    lines.push(
      `${padL(vm.vmid, 10)} ${padR(vm.name, 20)} ${padR(running ? 'running' : 'stopped', 10)} ${padR(vm.memoryMb, 10)} ${padL(vm.diskGb.toFixed(2), 12)} ${padR(running ? vmPid(vm.vmid) : 0, 10)}`,
    );
  }
  return res(lines.join('\n'));
}

export function qmPower(sh: Sh, sub: 'start' | 'stop' | 'shutdown', args: string[]): Res {
  const { s, n, node } = sh;
  const usage = `qm ${sub} <vmid> [OPTIONS]`;
  const parsed = parseOpts(args, { timeout: 'string', skiplock: 'bool', forceStop: 'bool', keepActive: 'bool' });
  if (parsed.error) return optError(parsed, usage);
  const id = vmidError(parsed.pos[0], usage);
  if (typeof id !== 'number') return id;
  const vm = localConf(sh, id);
  if ('output' in vm) return vm;
  const rt = guestRuntime(s, id);
  const running = rt.runningOn.includes(node);
  const svc = isHa(n.cfs, id);
  if (svc) {
    const want: HaRequestedState = sub === 'start' ? 'started' : 'stopped';
    const head = `Requesting HA ${sub === 'start' ? 'start' : 'stop'} for VM ${id}`;
    const r = requestState(sh, svc.sid, want, `ha-manager set ${svc.sid} --state ${want}`);
    if (r.exitCode !== 0) return res(`${head}\n${r.output}\ncommand 'ha-manager set ${svc.sid} --state ${want}' failed: exit code 255`, 255);
    return res(head);
  }
  if (sub === 'start') {
    if (!n.quorate) {
      refuseNoQuorum(sh, `nodes/${node}/qemu-server/${id}.conf`, `qm start ${id}`);
      return res(NO_QUORUM, 255);
    }
    if (running) return res(`VM ${id} already running`, 255);
    if (rt.migrating) return res(`VM ${id} is locked (migrate)`, 255);
    if (vm.storage === 'shared' && !s.storageUp) return res(`storage '${STORAGE_ID.shared}' is not online`, 255);
    startGuest(sh.c, id, node, 'qm start');
    return res('');
  }
  if (!running) return sub === 'shutdown' ? res(`VM ${id} not running`, 255) : res('');
  stopVm(sh.c, id, node, `qm ${sub}`);
  return res('');
}

export function qmMigrate(sh: Sh, args: string[]): Res {
  const { s, n, node } = sh;
  const usage = 'qm migrate <vmid> <target> [OPTIONS]';
  const parsed = parseOpts(args, { online: 'bool', 'with-local-disks': 'bool', force: 'bool' });
  if (parsed.error) return optError(parsed, usage);
  const id = vmidError(parsed.pos[0], usage);
  if (typeof id !== 'number') return id;
  const target = parsed.pos[1];
  if (target === undefined) return res(`400 not enough arguments\n${usage}`, 255);
  if (parsed.pos.length > 2) return res(`400 too many arguments\n${usage}`, 255);
  const vm = localConf(sh, id);
  if ('output' in vm) return vm;
  if (!nodeConfig(s, target)) return res(`no such cluster node '${target}'`, 255);
  if (target === node) return res('target is local node.', 255);
  const svc = isHa(n.cfs, id);
  if (svc) {
    const head = `Requesting HA migration for VM ${id} to node ${target}`;
    const r = haMove(sh, 'migrate', [svc.sid, target]);
    if (r.exitCode !== 0) return res(`${head}\n${r.output}\ncommand 'ha-manager migrate ${svc.sid} ${target}' failed: exit code 255`, 255);
    return res(r.output ? `${head}\n${r.output}` : head);
  }
  const online = parsed.opts.online === '1';
  const withLocal = parsed.opts['with-local-disks'] === '1';
  if (!n.quorate) {
    refuseNoQuorum(sh, `nodes/${node}/qemu-server/${id}.conf`, `qm migrate ${id} ${target}`);
    return res(NO_QUORUM, 255);
  }
  const { p } = myPartition(sh);
  if (!p.includes(target) || s.nodes[target]!.power !== 'on') return res(`target node '${target}' is not online`, 255);
  const rt = guestRuntime(s, id);
  if (rt.migrating) return res(`VM ${id} is locked (migrate)`, 255);
  const running = rt.runningOn.includes(node);
  if (running && !online) return res("can't migrate running VM without --online", 255);
  if (running && vm.storage === 'local' && !withLocal) return res("can't live migrate attached local disks without with-local-disks option", 255);
  const what = `qm migrate ${id} ${target}${running ? ' --online' : ''}`;
  if (!migrateGuest(sh.c, node, id, target, what)) return res(NO_QUORUM, 255);
  const clock = nodeClock(s, node);
  const ts = (dt: number) => isoLocal(clock + dt);
  const tip = nodeConfig(s, target)!.ip;
  const log: string[] = [];
  if (online && !running) log.push("VM isn't running. Doing offline migration instead.");
  log.push(`${ts(0)} use dedicated network address for sending migration traffic (${tip})`);
  log.push(`${ts(0)} starting migration of VM ${id} to node '${target}' (${tip})`);
  if (running) {
    const ms = s.config.timing.migrateMs;
    log.push(`${ts(1000)} starting VM ${id} on remote node '${target}'`);
    log.push(`${ts(1000)} start remote tunnel`);
    log.push(`${ts(1000)} starting online/live migration on unix:/run/qemu-server/${id}.migrate`);
    log.push(`${ts(1000)} migration active, transferred ${vm.memoryMb} MiB of ${vm.memoryMb} MiB VM-state (about ${Math.round(ms / 1000)} s)`);
    log.push(`(the VM keeps running on ${node} until the copy completes / la VM tourne sur ${node} jusqu'à la fin de la copie)`);
  } else {
    if (vm.storage === 'local') log.push(`${ts(0)} found local disk '${STORAGE_ID.local}:vm-${id}-disk-0' (attached)`);
    log.push(`${ts(1000)} migration finished successfully (duration 00:00:01)`);
  }
  return res(log.join('\n'));
}

export function qmCreate(sh: Sh, args: string[]): Res {
  const { s, n, node } = sh;
  const usage = 'qm create <vmid> [OPTIONS]';
  const parsed = parseOpts(args, {
    name: 'string',
    memory: 'string',
    storage: 'string',
    scsi0: 'string',
    cores: 'string',
    sockets: 'string',
    net0: 'string',
    ostype: 'string',
    description: 'string',
  });
  if (parsed.error) return optError(parsed, usage);
  const id = vmidError(parsed.pos[0], usage);
  if (typeof id !== 'number') return id;
  if (parsed.pos.length > 1) return res(`400 too many arguments\n${usage}`, 255);
  const name = parsed.opts.name ?? `VM${id}`;
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?$/.test(name))
    return paramError('name', 'invalid format - value does not look like a valid DNS name', usage);
  const memRaw = parsed.opts.memory ?? '512';
  if (!/^\d+$/.test(memRaw)) return paramError('memory', `type check ('integer') failed - got '${memRaw}'`, usage);
  const memoryMb = Number(memRaw);
  if (memoryMb < 16) return paramError('memory', 'value must have a minimum value of 16', usage);
  let storageRaw = parsed.opts.storage ?? 'local';
  let diskGb = 32;
  if (parsed.opts.scsi0 !== undefined) {
    const m = /^([A-Za-z][\w-]*):(\d+)$/.exec(parsed.opts.scsi0);
    if (!m) return paramError('scsi0', `invalid format - expected <storage>:<size in GiB>, got '${parsed.opts.scsi0}'`, usage);
    storageRaw = m[1]!;
    diskGb = Number(m[2]);
    if (diskGb < 1) return paramError('scsi0', 'disk size must be at least 1 GiB', usage);
  }
  const storage = storageRaw === 'shared' ? 'shared' : storageRaw === 'local' || storageRaw === 'local-lvm' ? 'local' : null;
  if (!storage)
    return res(
      `storage '${storageRaw}' does not exist\n` + hint('storages here: shared (shared) and local (local-lvm)', 'stockages : shared (partagé) et local (local-lvm)'),
      255,
    );
  const existing = n.cfs.vms[String(id)];
  if (existing) return res(`VM ${id} already exists on node '${existing.node}'`, 255);
  if (!n.quorate) {
    refuseNoQuorum(sh, `nodes/${node}/qemu-server/${id}.conf`, `qm create ${id}`);
    return res(NO_QUORUM, 255);
  }
  const conf: CfsVm = { vmid: id, name, node, memoryMb, diskGb, storage };
  if (!createGuest(sh.c, node, conf, `qm create ${id} --name ${name}`)) return res(NO_QUORUM, 255);
  const lines: string[] = [];
  if (storage === 'local') lines.push(`  Logical volume "vm-${id}-disk-0" created.`);
  lines.push(`scsi0: successfully created disk '${diskSpec(conf)}'`);
  return res(lines.join('\n'));
}

export function qmDestroy(sh: Sh, args: string[]): Res {
  const { s, n, node } = sh;
  const usage = 'qm destroy <vmid> [OPTIONS]';
  const parsed = parseOpts(args, { purge: 'bool', 'destroy-unreferenced-disks': 'bool', skiplock: 'bool' });
  if (parsed.error) return optError(parsed, usage);
  const id = vmidError(parsed.pos[0], usage);
  if (typeof id !== 'number') return id;
  const vm = localConf(sh, id);
  if ('output' in vm) return vm;
  if (guestRuntime(s, id).runningOn.includes(node)) return res(`VM ${id} is running - destroy failed`, 255);
  if (!n.quorate) {
    refuseNoQuorum(sh, `nodes/${node}/qemu-server/${id}.conf`, `qm destroy ${id}`);
    return res(NO_QUORUM, 255);
  }
  const hadHa = !!n.cfs.ha[serviceId(id)];
  if (!destroyGuest(sh.c, node, id, `qm destroy ${id}`)) return res(NO_QUORUM, 255);
  const lines: string[] = [];
  if (vm.storage === 'local') lines.push(`  Logical volume "vm-${id}-disk-0" successfully removed.`);
  if (hadHa) lines.push(`purging VM ${id} from related configurations..`);
  return res(lines.join('\n'));
}

export function macOf(vmid: number): string {
  const h = (vmid * 2654435761) >>> 0;
  const b = [h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff].map((x) => x.toString(16).toUpperCase().padStart(2, '0'));
  return `BC:24:11:${b.join(':')}`;
}

export function vmConfText(vm: CfsVm): string {
  return [
    'boot: order=scsi0;net0',
    'cores: 2',
    `memory: ${vm.memoryMb}`,
    `name: ${vm.name}`,
    `net0: virtio=${macOf(vm.vmid)},bridge=vmbr0`,
    'ostype: l26',
    `scsi0: ${diskSpec(vm)}`,
    'scsihw: virtio-scsi-single',
  ].join('\n');
}
