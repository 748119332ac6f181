// The QDevice host's terminal: the `qnetd` pseudo-node that runCommand answers for the external
// host running corosync-qnetd (docs/commands.md, "The QDevice host"). corosync-qnetd-tool prints
// what qnetd knows: each connected corosync-qdevice client, the membership it reported and the
// vote qnetd sent back (qnetd-ipc-cmd.c of corosync-qdevice 3.0).
import { configVersionOf, nodeid, partitionKey, partitionOf, sortByNodeid } from '../kernel.js';
import { membershipOf } from '../rules/membership.js';
import { qnetdInstalled } from '../rules/cluster-build.js';
import { qnetdConnected } from '../rules/qdevice.js';
import { CLEAR_SCREEN, dateLine, LAB_EPOCH_MS } from '../format.js';
import type { Ctx } from '../kernel.js';
import type { ClusterState } from '../types.js';
import { apt } from './apt.js';
import { hint, type Res, res } from './common.js';

/** The name runCommand and the `command` input use for the QDevice host's terminal. */
export const QNETD_HOST = 'qnetd';

const TOOL_USAGE = 'usage: corosync-qnetd-tool [-Hhlsv] [-c cluster_name] [-p qnetd_ipc_socket_path]';
const ALGORITHM = { ffsplit: 'Fifty-Fifty split', lms: 'LMS' } as const;

/** A node connected to THIS host's qnetd (not to a qnetd guest on a cluster node). */
const hostClient = (s: ClusterState, m: string): boolean =>
  qnetdConnected(s, m) && s.nodes[m]!.cfs.qdevice?.ip === s.config.qdevice?.ip;

/** `corosync-qnetd-tool -l`: one block per cluster with connected clients (here: at most one). */
export function qnetdList(s: ClusterState, verbose = false): string[] {
  const q = s.config.qdevice;
  if (!q || !s.qdevice) return [];
  const clients = sortByNodeid(
    s,
    s.config.nodes.map((x) => x.name).filter((m) => hostClient(s, m)),
  );
  if (clients.length === 0) return [];
  const configured = [...s.config.nodes].sort((a, b) => a.nodeid - b.nodeid).map((x) => x.nodeid);
  const lines = [`Cluster "${s.config.clusterName}":`, `    Algorithm:\t\t${ALGORITHM[q.algorithm]}`, '    Tie-breaker:\tNode with lowest node ID'];
  for (const m of clients) {
    const cfg = s.config.nodes.find((x) => x.name === m)!;
    const n = s.nodes[m]!;
    const p = partitionOf(s, m) ?? [m];
    const ring = sortByNodeid(s, membershipOf(s, p));
    const vote = s.qdevice.votedFor === partitionKey(p) ? 'ACK' : 'NACK';
    lines.push(`    Node ID ${cfg.nodeid}:`, `        Client address:\t\t::ffff:${cfg.ip}:${54_000 + cfg.nodeid}`);
    if (verbose) lines.push(`        HB interval:\t\t8000ms`);
    lines.push(`        Configuration version:\t${configVersionOf(n.cfs)}`, `        Configured node list:\t${configured.join(', ')}`);
    if (verbose) lines.push(`        Ring ID:\t\t${Math.min(...ring.map((x) => nodeid(s, x))).toString(16)}.${n.ringId.toString(16)}`);
    lines.push(`        Membership node list:\t${ring.map((x) => nodeid(s, x)).join(', ')}`);
    if (verbose) lines.push('        Heuristics:\t\tUndefined (membership: Undefined, regular: Undefined)', '        TLS active:\t\tYes (client certificate verified)');
    lines.push(`        Vote:\t\t\t${vote} (${vote})`);
  }
  return lines;
}

/** `corosync-qnetd-tool -s`: the daemon's summary. */
export function qnetdStatus(s: ClusterState, verbose = false): string[] {
  const clients = s.config.nodes.filter((x) => hostClient(s, x.name)).length;
  const lines = [
    'QNetd address:\t\t\t*:5403',
    'TLS:\t\t\t\tSupported (client certificate required)',
    `Connected clients:\t\t${clients}`,
    `Connected clusters:\t\t${clients > 0 ? 1 : 0}`,
  ];
  if (verbose) lines.push('Maximum send/receive size:\t32768/32768 bytes');
  return lines;
}

export function qnetdTool(s: ClusterState, args: string[]): Res {
  let op: 'l' | 's' | null = null;
  let verbose = false;
  let cluster: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!/^-[a-zA-Z]+$/.test(a)) return res(TOOL_USAGE, 1);
    for (const f of a.slice(1)) {
      if (f === 'l' || f === 's') op = f;
      else if (f === 'v') verbose = true;
      else if (f === 'H') continue;
      else if (f === 'h') return res(TOOL_USAGE);
      else if (f === 'c' || f === 'p') {
        const v = args[++i];
        if (v === undefined) return res(`corosync-qnetd-tool: option requires an argument -- '${f}'\n${TOOL_USAGE}`, 1);
        if (f === 'c') cluster = v;
      } else return res(`corosync-qnetd-tool: invalid option -- '${f}'\n${TOOL_USAGE}`, 1);
    }
  }
  if (op === null) return res(TOOL_USAGE, 1);
  if (op === 's') return res(qnetdStatus(s, verbose).join('\n'));
  if (cluster !== undefined && cluster !== '' && cluster !== s.config.clusterName) return res('');
  return res(qnetdList(s, verbose).join('\n'));
}

/** One command line typed on the QDevice host (words already split; pipes handled by the shell). */
export function qnetdDispatch(c: Ctx, words: string[]): Res {
  const s = c.s;
  const [cmd, ...args] = words as [string, ...string[]];
  const q = s.config.qdevice!;
  switch (cmd) {
    case 'corosync-qnetd-tool':
      if (!qnetdInstalled(s)) return res('-bash: corosync-qnetd-tool: command not found\n' + hint('corosync-qnetd is not installed on this host', "corosync-qnetd n'est pas installé sur cet hôte"), 127);
      return qnetdTool(s, args);
    case 'apt':
    case 'apt-get':
      return apt(c, QNETD_HOST, args, true);
    case 'systemctl':
      return qnetdSystemctl(s, args);
    case 'hostname':
      return res(args.includes('-I') || args.includes('-i') ? q.ip : 'qnetd');
    case 'date':
      return res(dateLine(LAB_EPOCH_MS + s.now));
    case 'clear':
    case 'reset':
      return res(CLEAR_SCREEN);
    case 'whoami':
      return res('root');
    case 'help':
    case 'aide':
    case '?':
      return res(
        [
          'Commandes disponibles / Available commands (hôte QDevice / QDevice host):',
          `  ${'corosync-qnetd-tool -l [-v] | -s'.padEnd(42)} clients de qnetd et leur vote / qnetd's clients and their vote`,
          `  ${'apt install corosync-qnetd'.padEnd(42)} installer qnetd / install qnetd`,
          `  ${'systemctl enable|start|status corosync-qnetd'.padEnd(42)} le service qnetd / the qnetd service`,
          `  ${'hostname [-I], date, whoami, clear'.padEnd(42)} divers / misc`,
        ].join('\n'),
      );
    default:
      return res(
        `-bash: ${cmd}: command not found\n` +
          hint('this host only runs corosync-qnetd: try corosync-qnetd-tool -l', "cet hôte ne fait tourner que corosync-qnetd : essayez corosync-qnetd-tool -l"),
        127,
      );
  }
}

/** `systemctl enable|start|restart|status|is-active corosync-qnetd` on the QDevice host: the
 * package's unit is enabled and started at install (Debian), so these only report. */
function qnetdSystemctl(s: ClusterState, args: string[]): Res {
  const [verb, unit] = args;
  const name = unit?.replace(/\.service$/, '');
  if (name !== 'corosync-qnetd' || !verb) return res(`Unit ${unit ?? ''}.service could not be found.`.replace('Unit .service', 'Unit'), 5);
  if (!qnetdInstalled(s)) return res(`Failed to ${verb} corosync-qnetd.service: Unit corosync-qnetd.service not found.`, 5);
  if (verb === 'enable' || verb === 'start' || verb === 'restart') return res('');
  if (verb === 'is-active') return res('active');
  if (verb === 'status')
    return res(
      [
        '● corosync-qnetd.service - Corosync Qdevice Network daemon',
        '     Loaded: loaded (/lib/systemd/system/corosync-qnetd.service; enabled; preset: enabled)',
        '     Active: active (running)',
      ].join('\n'),
    );
  return res(`Unknown command verb ${verb}.`, 1);
}

/** The QDevice host is down (qdevice-host fault): its terminal is unreachable. */
export function qnetdUnreachable(s: ClusterState): Res {
  const ip = s.config.qdevice?.ip ?? QNETD_HOST;
  return res(`ssh: connect to host ${ip} port 22: No route to host\n(the QDevice host is down / l'hôte QDevice est éteint)`, 255);
}
