// pvecm: status, nodes, expected, qdevice setup / remove.
import { COROSYNC_CONF, removeQdevice, setupQdevice } from '../rules/corosync-conf.js';
import { clusterNameOf, configVersionOf, emit, nodeConfig, nodelistOf } from '../kernel.js';
import { qnetdInstalled } from '../rules/cluster-build.js';
import { cfsCommit } from '../rules/pmxcfs.js';
import { qnetdHome, qnetdReachableAt } from '../rules/qdevice.js';
import { reloadExpectedWithoutQdevice } from '../rules/votequorum.js';
import { hint, myPartition, NO_QUORUM, optError, paramError, parseOpts, refuseNoQuorum, type Res, res, type Sh, tooMany } from './common.js';
import { corosyncDown, membershipLines, NO_CMAP, quorumLines, setExpected } from './corosync.js';
import { notInCluster, pvecmAdd, pvecmCreate, pvecmDelnode } from './pvecm-build.js';

/** `pvecm status` prints the cluster block of corosync.conf, then the output of
 * `corosync-quorumtool -siH` (exit code 1 when corosync is stopped; an inquorate status is still a
 * successful `pvecm status`, which the scenarios' objectives count). */
export function pvecmStatus(sh: Sh): Res {
  const head = [
    'Cluster information',
    '-------------------',
    `Name:             ${clusterNameOf(sh.s, sh.n)}`,
    `Config Version:   ${configVersionOf(sh.n.cfs)}`,
    'Transport:        knet',
    'Secure auth:      on',
    '',
  ];
  if (corosyncDown(sh)) return res([...head, NO_CMAP].join('\n'), 1);
  return res([...head, ...quorumLines(sh, { hex: true, ips: true })].join('\n'));
}

export const PVECM_USAGE = [
  'USAGE: pvecm <COMMAND> [ARGS] [OPTIONS]',
  '       pvecm add <hostname> [OPTIONS]',
  '       pvecm create <clustername> [OPTIONS]',
  '       pvecm delnode <node>',
  '       pvecm expected <expected>',
  '       pvecm nodes',
  '       pvecm qdevice remove',
  '       pvecm qdevice setup <address> [OPTIONS]',
  '       pvecm status',
  '',
  '       pvecm help [<extra-args>] [OPTIONS]',
].join('\n');

export function pvecm(sh: Sh, args: string[]): Res {
  const sub = args[0];
  // A standalone node has no corosync.conf: only create and add make sense there.
  if (sub === 'status' || sub === 'nodes' || sub === 'expected' || sub === 'qdevice' || sub === 'delnode') {
    const alone = notInCluster(sh);
    if (alone) return alone;
  }
  switch (sub) {
    case undefined:
      return res(`ERROR: no command specified\n${PVECM_USAGE}`, 255);
    case 'help':
      return res(PVECM_USAGE);
    case 'status':
      return tooMany(args, 1, 'pvecm status') ?? pvecmStatus(sh);
    case 'nodes':
      return tooMany(args, 1, 'pvecm nodes') ?? (corosyncDown(sh) ? res(NO_CMAP, 1) : res(membershipLines(sh, { hex: false, ips: false }).join('\n')));
    case 'expected':
      return tooMany(args, 2, 'pvecm expected <expected>') ?? setExpected(sh, args[1], 'pvecm expected', 'pvecm expected <expected>');
    case 'qdevice':
      if (args[1] === 'setup') return qdeviceSetup(sh, args.slice(2));
      if (args[1] === 'remove') return tooMany(args, 2, 'pvecm qdevice remove') ?? qdeviceRemove(sh);
      return res(
        `ERROR: unknown command 'pvecm qdevice${args[1] ? ' ' + args[1] : ''}'\nUSAGE: pvecm qdevice <COMMAND> [ARGS] [OPTIONS]\n       pvecm qdevice remove\n       pvecm qdevice setup <address> [OPTIONS]`,
        255,
      );
    case 'create':
      return pvecmCreate(sh, args.slice(1));
    case 'add':
      return pvecmAdd(sh, args.slice(1));
    case 'delnode':
      return pvecmDelnode(sh, args.slice(1));
    case 'addnode':
    case 'updatecerts':
    case 'keygen':
    case 'mtunnel':
    case 'apiver':
      return res(
        `pvecm ${sub}: not simulated in this lab\n` +
          hint('try pvecm status, nodes, expected, create, add, delnode, qdevice', 'essayez pvecm status, nodes, expected, create, add, delnode, qdevice'),
        255,
      );
    default:
      return res(`ERROR: unknown command 'pvecm ${sub}'\n${PVECM_USAGE}`, 255);
  }
}

export function validIpv4(a: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  return !!m && m.slice(1).every((x) => Number(x) <= 255);
}

export function qdeviceSetup(sh: Sh, args: string[]): Res {
  const { s, n, node } = sh;
  const usage = 'pvecm qdevice setup <address> [OPTIONS]';
  const parsed = parseOpts(args, { force: 'bool', network: 'string' });
  if (parsed.error) return optError(parsed, usage);
  const addr = parsed.pos[0];
  if (addr === undefined) return res(`400 not enough arguments\n${usage}`, 255);
  if (parsed.pos.length > 1) return res(`400 too many arguments\n${usage}`, 255);
  if (!validIpv4(addr)) return paramError('address', 'invalid format - value does not look like a valid IP address', usage);
  const force = parsed.opts.force === '1';
  const { p } = myPartition(sh);
  if (!n.quorate) {
    refuseNoQuorum(sh, COROSYNC_CONF, `qdevice setup ${addr}`);
    return res(NO_QUORUM, 255);
  }
  const names = [...(nodelistOf(s, n) ?? [])].sort();
  for (const m of names) if (!p.includes(m)) return res(`All nodes must be online! Node ${m} is offline, aborting.`, 255);
  if (n.cfs.qdevice?.configured && !force) return res('QDevice already configured!', 255);
  if (names.length % 2 === 1 && !force)
    return res(
      'Clusters with an odd node count are not officially supported!\n' +
        hint('with an odd node count a QDevice adds little; --force overrides', 'avec un nombre impair de nœuds, un QDevice apporte peu ; --force passe outre'),
      255,
    );
  const q = s.config.qdevice;
  const sshCopy = [
    '/usr/bin/ssh-copy-id: INFO: Source of key(s) to be installed: "/root/.ssh/id_rsa.pub"',
    '/usr/bin/ssh-copy-id: INFO: attempting to log in with the new key(s), to filter out any that are already installed',
  ];
  if (!q || !qnetdReachableAt(s, addr, node))
    return res(
      [
        ...sshCopy,
        `ssh: connect to host ${addr} port 22: No route to host`,
        `command 'ssh-copy-id -i /root/.ssh/id_rsa root@${addr}' failed: exit code 1`,
      ].join('\n'),
      255,
    );
  if (qnetdHome(s, addr) === 'host' && !qnetdInstalled(s))
    return res(
      [
        ...sshCopy,
        '',
        'Number of key(s) added: 1',
        '',
        'INFO: initializing qnetd server',
        'bash: line 1: corosync-qnetd-certutil: command not found',
        `command 'ssh -o BatchMode=yes -lroot ${addr} corosync-qnetd-certutil -i' failed: exit code 127`,
        hint(
          `corosync-qnetd is not installed on ${addr} (apt install corosync-qnetd on the QDevice host)`,
          `corosync-qnetd n'est pas installé sur ${addr} (apt install corosync-qnetd sur l'hôte QDevice)`,
        ),
      ].join('\n'),
      255,
    );
  // What `pvecm qdevice setup` prints before it reaches each node (shared by success and failure).
  const setupStart = [...sshCopy, '', 'Number of key(s) added: 1', '', 'INFO: initializing qnetd server', 'Certificate database (/etc/corosync/qnetd/nssdb) already exists. Delete it to initialize new db', '', 'INFO: copying CA cert and initializing on all nodes'];
  const missing = names.find((m) => s.nodes[m]!.qdevicePkg === false);
  if (missing !== undefined) {
    const ip = nodeConfig(s, missing)!.ip;
    return res(
      [
        ...setupStart,
        'bash: line 1: corosync-qdevice-net-certutil: command not found',
        `command 'ssh -o BatchMode=yes -lroot ${ip} corosync-qdevice-net-certutil -i -c /etc/pve/qdevice-net-node.crt' failed: exit code 127`,
        hint(`corosync-qdevice is not installed on ${missing} (apt install corosync-qdevice on every node)`, `corosync-qdevice n'est pas installé sur ${missing} (apt install corosync-qdevice sur chaque nœud)`),
      ].join('\n'),
      255,
    );
  }
  const algorithm = q.algorithm;
  if (!setupQdevice(sh.c, node, addr, algorithm, `qdevice setup ${addr}`)) return res(NO_QUORUM, 255);
  return res(
    [
      ...setupStart,
      ...names.map((m) => `node '${m}': Creating /etc/corosync/qdevice/net/nssdb`),
      '',
      'INFO: generating cert request',
      'Certificate request stored in /etc/corosync/qdevice/net/nssdb/qdevice-net-node.crq',
      '',
      'INFO: copying exported cert request to qnetd server',
      'INFO: sign and export cluster cert',
      'INFO: import certificate',
      'INFO: copy and import pk12 cert to all nodes',
      ...names.map((m) => `node '${m}': Certificate stored successfully`),
      `INFO: add QDevice to cluster configuration (algorithm ${algorithm}, host ${addr})`,
      ...names.map((m) => `INFO: start and enable corosync qdevice daemon on node '${m}'...`),
      'Reloading corosync.conf...',
      'Done',
    ].join('\n'),
  );
}

export function qdeviceRemove(sh: Sh): Res {
  const { s, n, node } = sh;
  if (!n.quorate) {
    refuseNoQuorum(sh, COROSYNC_CONF, 'qdevice remove');
    return res(NO_QUORUM, 255);
  }
  if (!n.cfs.qdevice?.configured) return res('No QDevice configured!', 255);
  if (!removeQdevice(sh.c, node, myPartition(sh).p, 'qdevice remove')) return res(NO_QUORUM, 255);
  return res(
    [
      ...[...(nodelistOf(s, n) ?? [])].sort().map((m) => `INFO: stop and disable corosync qdevice daemon on node '${m}'...`),
      'Reloading corosync.conf...',
      'Done',
      '',
      'Removed Qdevice.',
    ].join('\n'),
  );
}
