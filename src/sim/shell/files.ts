// The file system of a node: paths, ls, cat, and writes (/etc/pve needs quorum).
import { BACKUP_STORAGE } from '../rules/backup.js';
import { nodeConfig } from '../kernel.js';
import { cfsRefuse, cfsTouch } from '../rules/pmxcfs.js';
import { LAB_EPOCH_MS, lsTime, nodeClock, padL } from '../format.js';
import type { NodeName } from '../types.js';
import { hint, type Res, res, type Sh, STORAGE_ID } from './common.js';
import { groupsCfg } from './ha-groups.js';
import { corosyncConf, managerStatus, membersJson, resourcesCfg, vmlistJson } from './pve-files.js';
import { vmConfText } from './qm.js';

// ---------------------------------------------------------------- files

export function resolvePath(sh: Sh, raw: string): string {
  const abs = raw.startsWith('/') ? raw : `/root/${raw}`;
  const out: string[] = [];
  for (const part of abs.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  let path = '/' + out.join('/');
  // /etc/pve/local, qemu-server and lxc are symlinks into this node's own directory.
  for (const [link, target] of [
    ['/etc/pve/local', `/etc/pve/nodes/${sh.node}`],
    ['/etc/pve/qemu-server', `/etc/pve/nodes/${sh.node}/qemu-server`],
    ['/etc/pve/lxc', `/etc/pve/nodes/${sh.node}/lxc`],
  ] as const) {
    if (path === link || path.startsWith(link + '/')) path = target + path.slice(link.length);
  }
  return path;
}

export function inPve(abs: string): boolean {
  return abs === '/etc/pve' || abs.startsWith('/etc/pve/');
}

export type FsNode = { dir: string[] } | { file: () => string };

export const PVE_LINKS: Record<string, (node: NodeName) => string> = {
  local: (node) => `nodes/${node}`,
  'qemu-server': (node) => `nodes/${node}/qemu-server`,
  lxc: (node) => `nodes/${node}/lxc`,
};

export function fsLookup(sh: Sh, abs: string): FsNode | null {
  const { s, n } = sh;
  const db = n.cfs;
  const names = s.config.nodes.map((x) => x.name);
  switch (abs) {
    case '/':
      return { dir: ['etc', 'root', 'tmp', 'var'] };
    case '/etc':
      return { dir: ['corosync', 'hostname', 'hosts', 'pve'] };
    case '/etc/corosync':
      return { dir: ['corosync.conf'] };
    case '/etc/corosync/corosync.conf':
    case '/etc/pve/corosync.conf':
      // A standalone node has no corosync.conf until pvecm create / add writes one.
      return db.nodelist === null ? null : { file: () => corosyncConf(sh) };
    case '/etc/hostname':
      return { file: () => sh.node };
    case '/etc/hosts':
      return {
        file: () =>
          `127.0.0.1 localhost.localdomain localhost\n${sh.n.hostsIp ?? nodeConfig(s, sh.node)?.ip} ${sh.node}.lab.local ${sh.node}\n\n::1     ip6-localhost ip6-loopback`,
      };
    case '/root':
    case '/tmp':
    case '/var':
      return { dir: [] };
    case '/etc/pve':
      return {
        dir: [
          '.members',
          '.vmlist',
          ...(db.nodelist === null ? [] : ['corosync.conf']),
          'datacenter.cfg',
          'ha',
          'local',
          'lxc',
          'nodes',
          'qemu-server',
          'storage.cfg',
          'user.cfg',
        ],
      };
    case '/etc/pve/.members':
      return { file: () => membersJson(sh) };
    case '/etc/pve/.vmlist':
      return { file: () => vmlistJson(sh) };
    case '/etc/pve/datacenter.cfg':
      return { file: () => 'keyboard: fr' + (db.shutdownPolicy ? `\nha: shutdown_policy=${db.shutdownPolicy}` : '') };
    case '/etc/pve/user.cfg':
      return { file: () => 'user:root@pam:1:0:::root@pam::' };
    case '/etc/pve/storage.cfg':
      return {
        file: () =>
          [
            'dir: local',
            '\tpath /var/lib/vz',
            '\tcontent iso,vztmpl,backup',
            '',
            `lvmthin: ${STORAGE_ID.local}`,
            '\tthinpool data',
            '\tvgname pve',
            '\tcontent rootdir,images',
            '',
            `nfs: ${STORAGE_ID.shared}`,
            '\texport /export/pve',
            `\tpath /mnt/pve/${STORAGE_ID.shared}`,
            '\tserver 10.0.20.5',
            '\tcontent images,rootdir',
            '',
            // The backup storage, outside the cluster (rules/backup.ts).
            `nfs: ${BACKUP_STORAGE}`,
            '\texport /export/backup',
            `\tpath /mnt/pve/${BACKUP_STORAGE}`,
            '\tserver 10.0.20.6',
            '\tcontent backup',
          ].join('\n'),
      };
    case '/etc/pve/ha':
      return {
        dir: [...(Object.keys(db.groups ?? {}).length ? ['groups.cfg'] : []), ...(Object.keys(db.ha).length ? ['manager_status', 'resources.cfg'] : [])],
      };
    case '/etc/pve/ha/groups.cfg':
      return Object.keys(db.groups ?? {}).length ? { file: () => groupsCfg(db) } : null;
    case '/etc/pve/ha/resources.cfg':
      return Object.keys(db.ha).length ? { file: () => resourcesCfg(db) } : null;
    case '/etc/pve/ha/manager_status':
      return Object.keys(db.ha).length ? { file: () => managerStatus(sh) } : null;
    case '/etc/pve/nodes':
      return { dir: [...names].sort() };
  }
  const m = /^\/etc\/pve\/nodes\/([^/]+)(?:\/(qemu-server|lxc)(?:\/([^/]+))?)?$/.exec(abs);
  if (m && names.includes(m[1]!)) {
    const owner = m[1]!;
    if (!m[2]) return { dir: ['lxc', 'qemu-server'] };
    if (m[2] === 'lxc') return m[3] ? null : { dir: [] };
    const vms = Object.values(db.vms).filter((vm) => vm.node === owner);
    if (!m[3]) return { dir: vms.map((vm) => `${vm.vmid}.conf`) };
    const f = /^(\d+)\.conf$/.exec(m[3]);
    const vm = f ? vms.find((x) => x.vmid === Number(f[1])) : undefined;
    return vm ? { file: () => vmConfText(vm) } : null;
  }
  return null;
}

export function sortNames(a: string, b: string): number {
  const ka = a.replace(/^\./, '').toLowerCase();
  const kb = b.replace(/^\./, '').toLowerCase();
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function cat(sh: Sh, cmd: string, args: string[]): Res {
  const files = args.filter((a) => !a.startsWith('-'));
  if (files.length === 0)
    return res(`${cmd}: missing file operand\n` + hint('e.g. cat /etc/pve/corosync.conf', 'ex. cat /etc/pve/corosync.conf'), 1);
  const outs: string[] = [];
  let code = 0;
  for (const f of files) {
    const abs = resolvePath(sh, f);
    const node = fsLookup(sh, abs);
    if (!node) {
      outs.push(`${cmd}: ${f}: No such file or directory`);
      code = 1;
    } else if ('dir' in node) {
      outs.push(`${cmd}: ${f}: Is a directory`);
      code = 1;
    } else outs.push(node.file());
  }
  return res(outs.join('\n'), code);
}

export function ls(sh: Sh, args: string[]): Res {
  let all = false;
  let long = false;
  const paths: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') && a.length > 1) {
      for (const f of a.slice(1)) {
        if (f === 'a' || f === 'A') all = true;
        else if (f === 'l') long = true;
        else if (!'h1F'.includes(f))
          return res(`ls: invalid option -- '${f}'\nTry 'ls --help' for more information.`, 2);
      }
    } else paths.push(a);
  }
  if (paths.length === 0) paths.push('/root');
  const clock = nodeClock(sh.s, sh.node);
  const outs: string[] = [];
  let code = 0;
  for (const raw of paths) {
    const abs = resolvePath(sh, raw);
    const found = fsLookup(sh, abs);
    if (!found) {
      outs.push(`ls: cannot access '${raw}': No such file or directory`);
      code = 2;
      continue;
    }
    const head = paths.length > 1 ? `${raw}:\n` : '';
    if ('file' in found) {
      outs.push(long ? longLine(raw, found.file().length + 1, 'file', clock) : raw);
      continue;
    }
    let entries = [...found.dir].sort(sortNames);
    if (!all) entries = entries.filter((e) => !e.startsWith('.'));
    else entries = ['.', '..', ...entries];
    if (!long) {
      outs.push(head + entries.join('  '));
      continue;
    }
    const rows: string[] = [];
    for (const e of entries) {
      if (abs === '/etc/pve' && PVE_LINKS[e]) {
        const t = PVE_LINKS[e]!(sh.node);
        rows.push(longLine(`${e} -> ${t}`, t.length, 'link', LAB_EPOCH_MS - 86_400_000 * 30));
        continue;
      }
      const child = e === '.' || e === '..' ? { dir: [] } : fsLookup(sh, `${abs === '/' ? '' : abs}/${e}`);
      if (!child) continue;
      if ('dir' in child) rows.push(longLine(e, 0, 'dir', clock));
      else rows.push(longLine(e, child.file().length + 1, 'file', clock));
    }
    outs.push(`${head}total ${rows.length}\n${rows.join('\n')}`);
  }
  return res(outs.join('\n\n'), code);
}

export function longLine(name: string, size: number, kind: 'file' | 'dir' | 'link', ms: number): string {
  const mode = kind === 'dir' ? 'drwxr-xr-x' : kind === 'link' ? 'lrwxr-xr-x' : '-rw-r-----';
  return `${mode} ${kind === 'dir' ? 2 : 1} root www-data ${padL(size, 5)} ${lsTime(ms)} ${name}`;
}

export function fileWrite(sh: Sh, cmd: string, args: string[]): Res {
  const targets = args.filter((a) => !a.startsWith('-'));
  if (targets.length === 0 && cmd !== 'tee')
    return res(`${cmd}: missing ${cmd === 'mkdir' || cmd === 'rmdir' ? '' : 'file '}operand\nTry '${cmd} --help' for more information.`, 1);
  // The destination is the last operand for mv/cp, every operand otherwise.
  const written = cmd === 'mv' || cmd === 'cp' ? targets.slice(-1) : targets;
  const pve = written.map((t) => ({ raw: t, abs: resolvePath(sh, t) })).filter((t) => inPve(t.abs));
  if (cmd === 'mv' && targets.slice(0, -1).some((t) => inPve(resolvePath(sh, t)))) pve.push({ raw: targets[0]!, abs: resolvePath(sh, targets[0]!) });
  if (pve.length === 0) return res('');
  const t = pve[0]!;
  const path = t.abs.slice('/etc/pve/'.length) || '.';
  if (!sh.n.quorate) {
    cfsRefuse(sh.c, sh.node, path, `${cmd} ${t.abs}`);
    const msg: Record<string, string> = {
      touch: `touch: cannot touch '${t.raw}': Permission denied`,
      rm: `rm: cannot remove '${t.raw}': Permission denied`,
      mkdir: `mkdir: cannot create directory '${t.raw}': Permission denied`,
      rmdir: `rmdir: failed to remove '${t.raw}': Permission denied`,
      mv: `mv: cannot move '${targets[0]}' to '${targets.at(-1)}': Permission denied`,
      cp: `cp: cannot create regular file '${t.raw}': Permission denied`,
      tee: `tee: '${t.raw}': Permission denied`,
    };
    return res(msg[cmd] ?? `${cmd}: '${t.raw}': Permission denied`, 1);
  }
  if (cmd === 'touch' || cmd === 'tee') {
    // Accepted: pmxcfs records a write (it shows up when partitions diverge and merge).
    cfsTouch(sh.c, sh.node, path, `${cmd} ${t.abs}`);
    return res('');
  }
  return res(
    `${cmd}: changing ${t.abs} by hand is not simulated in this lab\n` +
      hint('use pvecm, ha-manager and qm to change the cluster configuration', 'utilisez pvecm, ha-manager et qm pour modifier la configuration'),
    1,
  );
}
