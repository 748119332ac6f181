// pvecm create / add / delnode: building and shrinking the cluster (rules/cluster-build.ts
// decides; texts of pvecm and PVE::Cluster::Setup of PVE 8).
import { nodeConfig, nodelistOf } from '../kernel.js';
import { formCluster, guestsOn, inCluster, joinCluster, removeNode } from '../rules/cluster-build.js';
import { corosyncRuns } from '../rules/membership.js';
import { hint, NO_QUORUM, optError, paramError, parseOpts, refuseNoQuorum, type Res, res, type Sh } from './common.js';

/** What pvecm prints on a node without corosync.conf (a standalone node). */
export const NOT_IN_CLUSTER = "Error: Corosync config '/etc/pve/corosync.conf' does not exist - is this node part of a cluster?";

export const notInCluster = (sh: Sh): Res | null =>
  inCluster(sh.s, sh.node) ? null : res(NOT_IN_CLUSTER + '\n' + hint('create a cluster (pvecm create <name>) or join one (pvecm add <IP of a member>)', 'créez un cluster (pvecm create <nom>) ou rejoignez-en un (pvecm add <IP d’un membre>)'), 2);

export function pvecmCreate(sh: Sh, args: string[]): Res {
  const usage = 'pvecm create <clustername> [OPTIONS]';
  const parsed = parseOpts(args, { link0: 'string', link1: 'string', nodeid: 'string', votes: 'string' });
  if (parsed.error) return optError(parsed, usage);
  const name = parsed.pos[0];
  if (name === undefined) return res(`400 not enough arguments\n${usage}`, 255);
  if (parsed.pos.length > 1) return res(`400 too many arguments\n${usage}`, 255);
  if (name.length > 15) return paramError('clustername', 'value may only be 15 characters long', usage);
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(name)) return paramError('clustername', 'invalid format - value does not look like a valid cluster name', usage);
  if (inCluster(sh.s, sh.node)) return res("cluster config '/etc/pve/corosync.conf' already exists", 255);
  if (!formCluster(sh.c, sh.node, name)) return res(NO_QUORUM, 255);
  return res(
    [
      'Corosync Cluster Engine Authentication key generator.',
      'Gathering 2048 bits for key from /dev/urandom.',
      'Writing corosync key to /etc/corosync/authkey.',
      'Writing corosync config to /etc/pve/corosync.conf',
      'Restart corosync and cluster filesystem',
    ].join('\n'),
  );
}

/** The node a `pvecm add`/`delnode` argument names: its IP or its name. */
const findNode = (sh: Sh, x: string) => sh.s.config.nodes.find((n) => n.ip === x || n.name === x);

export function pvecmAdd(sh: Sh, args: string[]): Res {
  const { s, node, n } = sh;
  const usage = 'pvecm add <hostname> [OPTIONS]';
  const parsed = parseOpts(args, { force: 'bool', link0: 'string', link1: 'string', nodeid: 'string', votes: 'string', use_ssh: 'bool', fingerprint: 'string' });
  if (parsed.error) return optError(parsed, usage);
  const host = parsed.pos[0];
  if (host === undefined) return res(`400 not enough arguments\n${usage}`, 255);
  if (parsed.pos.length > 1) return res(`400 too many arguments\n${usage}`, 255);
  // PVE::Cluster::Setup::assert_joinable: every local problem at once.
  const errors: string[] = [];
  if (inCluster(s, node)) {
    errors.push("authentication key '/etc/corosync/authkey' already exists", "cluster config '/etc/pve/corosync.conf' already exists");
  }
  if (guestsOn(s, node).length > 0) errors.push('this host already contains virtual guests');
  if (corosyncRuns(n)) errors.push('corosync is already running, is this node already in a cluster?!');
  const me = nodeConfig(s, node)!;
  const resolved = n.hostsIp ?? me.ip;
  if (resolved !== me.ip) errors.push(`local node address: cannot use IP '${resolved}', not found on local node!`);
  if (errors.length > 0) {
    const lines = ['detected the following error(s):', ...errors.map((e) => `* ${e}`), 'Check if node may join a cluster failed!'];
    if (parsed.opts.force === '1') lines.push(hint('--force is not simulated here: it would wipe this node’s guest configs', '--force n’est pas simulé ici : il effacerait les configurations des VMs de ce nœud'));
    else if (errors.includes('this host already contains virtual guests'))
      lines.push(hint('a joining node must hold no guests: back them up and remove them first (or join from an empty node)', 'un nœud qui rejoint ne doit porter aucune VM : sauvegardez-les et retirez-les d’abord'));
    else if (resolved !== me.ip)
      lines.push(hint(`/etc/hosts maps ${node} to ${resolved}: fix it to ${me.ip} (echo "${me.ip} ${node}.lab.local ${node}" > /etc/hosts)`, `/etc/hosts associe ${node} à ${resolved} : corrigez en ${me.ip}`));
    return res(lines.join('\n'), 255);
  }
  const target = findNode(sh, host);
  const head = [`Please enter superuser (root) password for '${host}': ********`, `Establishing API connection with host '${host}'`];
  const link = target && s.links[`${node}>${target.name}`];
  const back = target && s.links[`${target.name}>${node}`];
  if (!target || target.name === node || s.nodes[target.name]!.power !== 'on' || !link || !back || link.cut || back.cut)
    return res([...head, `500 Can't connect to ${target?.ip ?? host}:8006 (No route to host)`].join('\n'), 255);
  head.push('Login succeeded.', 'check cluster join API version');
  const t = s.nodes[target.name]!;
  const abort = (why: string) => res([...head, `An error occurred on the cluster node: ${why}`, 'Cluster join aborted!'].join('\n'), 255);
  if (!inCluster(s, target.name)) return abort(`${NOT_IN_CLUSTER.replace(/^Error: /, '')}`);
  if (!t.quorate) {
    refuseNoQuorum({ ...sh, node: target.name, n: t }, 'corosync.conf', `pvecm add (${node})`);
    return abort(NO_QUORUM);
  }
  if ((nodelistOf(s, t) ?? []).includes(node)) return abort(`unable to add node: node name '${node}' already exists`);
  // The admin guide: with a QDevice set up, remove it before adding or deleting nodes.
  if (t.cfs.qdevice?.configured) {
    const r = abort('cannot add a node to a cluster with a QDevice configured');
    return res(`${r.output}\n${hint('remove the QDevice first (pvecm qdevice remove), join, then set it up again', 'retirez d’abord le QDevice (pvecm qdevice remove), joignez, puis remettez-le')}`, 255);
  }
  if (!joinCluster(sh.c, node, target.name)) return abort(NO_QUORUM);
  return res(
    [
      ...head,
      `No cluster network links passed explicitly, fallback to local node IP '${me.ip}'`,
      'Request addition of this node',
      'Join request OK, finishing setup locally',
      'stopping pve-cluster service',
      "backup old database to '/var/lib/pve-cluster/backup/config-1772532000.sql.gz'",
      'waiting for quorum...OK',
      '(re)generate node files',
      'generate new node certificate',
      'merge authorized SSH keys',
      'generated new node certificate, restart pveproxy and pvedaemon services',
      `successfully added node '${node}' to cluster.`,
    ].join('\n'),
  );
}

export function pvecmDelnode(sh: Sh, args: string[]): Res {
  const { s, node, n } = sh;
  const usage = 'pvecm delnode <node>';
  const who = args[0];
  if (who === undefined) return res(`400 not enough arguments\n${usage}`, 255);
  if (args.length > 1) return res(`400 too many arguments\n${usage}`, 255);
  const target = findNode(sh, who);
  if (!target || !(nodelistOf(s, n) ?? []).includes(target.name)) return res(`Node/IP: ${who} is not a known host of the cluster.`, 255);
  if (target.name === node) return res('Cannot delete myself from cluster!', 255);
  if (!n.quorate) {
    refuseNoQuorum(sh, 'corosync.conf', `pvecm delnode ${target.name}`);
    return res(NO_QUORUM, 255);
  }
  if (n.cfs.qdevice?.configured)
    return res(
      'cannot delete a node from a cluster with a QDevice configured\n' +
        hint('remove the QDevice first (pvecm qdevice remove), delete the node, then set it up again', 'retirez d’abord le QDevice (pvecm qdevice remove), supprimez le nœud, puis remettez-le'),
      255,
    );
  const running = corosyncRuns(s.nodes[target.name]!);
  if (!removeNode(sh.c, node, target.name)) return res(NO_QUORUM, 255);
  return res(running ? `Killing node ${target.nodeid}` : 'Could not kill node (error = CS_ERR_NOT_EXIST)');
}
