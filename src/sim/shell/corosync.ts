// corosync-quorumtool, and the membership / votequorum blocks that pvecm status shares.
import { ringAddrs } from '../rules/networks.js';
import { nodeConfig, nodeid } from '../kernel.js';
import { qdeviceDaemonUp, qdeviceVotes, qnetdConnected } from '../rules/qdevice.js';
import { configuredVotes, forceExpected, setNodeVotes, twoNodeActive, waitForAllArms } from '../rules/votequorum.js';
import { ctime, hex8, nodeClock, padL } from '../format.js';
import { expectedChangeError, votesChangeAllowed } from '../quorum.js';
import type { NodeName } from '../types.js';
import { hint, myPartition, paramError, type Res, res, type Sh, tSec } from './common.js';

// ---------------------------------------------------------------- votequorum views

/** corosync is stopped on this node: every corosync tool fails to reach its IPC (CS_ERR_LIBRARY). */
export const corosyncDown = (sh: Sh): boolean => !!sh.n.corosyncStopped || sh.n.cfs.nodelist === null;
/** What corosync-quorumtool (and so pvecm status/nodes/expected) prints when corosync is stopped. */
export const NO_CMAP = 'Cannot initialize CMAP service';

/**
 * The membership block of corosync-quorumtool. With a QDevice, each row carries that node's own
 * flags as votequorum knows them: `A` its corosync-qdevice daemon is alive and registered (qnetd
 * down or cut off still shows `A,NV,NMW`), `NR` when the daemon is not registered (stopped: it
 * unregisters on exit; or no QDevice in that node's corosync.conf); `V` when that node's daemon
 * casts the QDevice vote for this partition. The last row shows the QDevice's votes when the local
 * node casts them, else `0` and the configured votes in brackets (corosync-quorumtool.c).
 */
export function membershipLines(sh: Sh, o: { hex: boolean; ips: boolean }): string[] {
  const { s, node } = sh;
  const { info } = myPartition(sh);
  // One membership for every line: the ring (a member dying but not yet timed out included).
  const p = info.ring;
  const registered = (m: NodeName) => qdeviceDaemonUp(s, m);
  const casts = (m: NodeName) => registered(m) && qnetdConnected(s, m) && info.qdeviceVote > 0;
  const qdev = p.some(registered);
  const id = (v: number) => (o.hex ? hex8(v) : padL(v, 10));
  const lines = ['Membership information', '----------------------'];
  lines.push(qdev ? `${padL('Nodeid', 10)} ${padL('Votes', 10)} ${padL('Qdevice', 10)} Name` : `${padL('Nodeid', 10)} ${padL('Votes', 10)} Name`);
  for (const m of info.ring) {
    const cfg = nodeConfig(s, m)!;
    const name = `${o.ips ? ringAddrs(s, sh.n, m)[0] : m}${m === node ? ' (local)' : ''}`;
    if (qdev) {
      const flags = registered(m) ? `A,${casts(m) ? 'V' : 'NV'},NMW` : 'NR';
      lines.push(`${id(cfg.nodeid)} ${padL(cfg.votes, 10)} ${padL(flags, 10)} ${name}`);
    } else lines.push(`${id(cfg.nodeid)} ${padL(cfg.votes, 10)} ${name}`);
  }
  if (qdev) {
    const mine = casts(node);
    lines.push(`${id(0)} ${padL(mine ? qdeviceVotes(s) : 0, 10)} ${padL('', 10)} Qdevice${mine ? '' : ` (votes ${qdeviceVotes(s)})`}`);
  }
  return lines;
}

export function quorumLines(sh: Sh, o: { hex: boolean; ips: boolean }): string[] {
  const { s, n, node } = sh;
  const { info } = myPartition(sh);
  const opts = s.config.options;
  const qdev = qdeviceDaemonUp(s, node);
  const twoNode = twoNodeActive(s);
  const flags: string[] = [];
  if (twoNode) flags.push('2Node');
  if (n.quorate) flags.push('Quorate');
  if (waitForAllArms(s)) flags.push('WaitForAll');
  if (opts.last_man_standing) flags.push('LastManStanding');
  if (opts.auto_tie_breaker) flags.push('AutoTieBreaker');
  if (qdev) flags.push('Qdevice');
  const myId = nodeid(s, node);
  // One membership for every line: the ring (a member dying but not yet timed out included).
  const rep = Math.min(...info.ring.map((m) => nodeid(s, m)));
  return [
    'Quorum information',
    '------------------',
    `Date:             ${ctime(nodeClock(s, node))}`,
    'Quorum provider:  corosync_votequorum',
    `Nodes:            ${info.ring.length}`,
    `Node ID:          ${o.hex ? hex8(myId) : myId}`,
    `Ring ID:          ${rep.toString(16)}.${n.ringId.toString(16)}`,
    `Quorate:          ${n.quorate ? 'Yes' : 'No'}`,
    '',
    'Votequorum information',
    '----------------------',
    `Expected votes:   ${info.expected}`,
    `Highest expected: ${info.expected}`,
    `Total votes:      ${info.total}`,
    `Quorum:           ${info.quorum}${n.quorate ? '' : ' Activity blocked'}`,
    `Flags:            ${flags.join(' ')}`,
    '',
    ...membershipLines(sh, o),
  ];
}

/** `pvecm expected N` and `corosync-quorumtool -e N`: lower E for the whole partition. */
export function setExpected(sh: Sh, raw: string | undefined, via: 'pvecm expected' | 'corosync-quorumtool -e', usage: string): Res {
  const { s, node } = sh;
  const tool = via === 'corosync-quorumtool -e';
  if (raw === undefined)
    return tool ? res(`corosync-quorumtool: option requires an argument -- 'e'\n${usage}`, 1) : res(`400 not enough arguments\n${usage}`, 255);
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    if (tool) return res('New expected votes value was not valid, try a positive number', 1);
    if (!/^\d+$/.test(raw)) return paramError('expected', `type check ('integer') failed - got '${raw}'`, usage);
    return paramError('expected', 'value must have a minimum value of 1', usage);
  }
  const want = Number(raw);
  if (corosyncDown(sh))
    return tool ? res(NO_CMAP, 1) : res(`${NO_CMAP}\ncommand 'corosync-quorumtool -e ${want}' failed: exit code 1`, 255);
  const { p, info } = myPartition(sh);
  const err = expectedChangeError(want, info.total, sh.n.quorate);
  if (err) {
    const why =
      want < info.total
        ? hint(
            `expected votes cannot go below the ${info.total} vote(s) present in this partition`,
            `les votes attendus ne peuvent pas descendre sous les ${info.total} vote(s) présents dans cette partition`,
          )
        : hint(
            `this quorate partition would lose quorum with ${want} expected votes`,
            `cette partition perdrait le quorum avec ${want} votes attendus`,
          );
    const lines = [err];
    if (via === 'pvecm expected') lines.push(`command 'corosync-quorumtool -e ${want}' failed: exit code 1`);
    lines.push(why);
    return res(lines.join('\n'), via === 'pvecm expected' ? 255 : 1);
  }
  // votequorum applies the new value to every node of the partition at once.
  const override = want < configuredVotes(s) ? `${via} ${want} on ${node} at ${tSec(s)}` : null;
  forceExpected(sh.c, p, want, override);
  return res('');
}

/** `corosync-quorumtool -v N [-n nodeid]`: votequorum's setvotes check, then the rule action. */
export function setVotes(sh: Sh, votes: number, id: number): Res {
  const { s } = sh;
  const target = s.config.nodes.find((x) => x.nodeid === id);
  const fail = (err: string, en: string, fr: string) => res(`Unable to set votes ${votes} for nodeid: ${id}: ${err}\n` + hint(en, fr), 1);
  if (!target) return fail('CS_ERR_NAME_NOT_FOUND', `no node has nodeid ${id}`, `aucun nœud n'a le nodeid ${id}`);
  const { p, info } = myPartition(sh);
  const newTotal = info.total + (p.includes(target.name) ? votes - target.votes : 0);
  const twoNode = twoNodeActive(s);
  if (!votesChangeAllowed(info.expected, newTotal, twoNode))
    return fail(
      'CS_ERR_INVALID_PARAM',
      `with ${newTotal} vote(s) present and ${info.expected} expected, this partition could not reach its quorum`,
      `avec ${newTotal} vote(s) présents et ${info.expected} attendus, cette partition ne pourrait pas atteindre son quorum`,
    );
  setNodeVotes(sh.c, target.name, votes);
  return res('');
}

const QUORUMTOOL_USAGE = [
  'usage: ',
  'corosync-quorumtool <options>',
  '',
  '  options:',
  '',
  '  -s             show quorum status',
  '  -m             constantly monitor quorum status',
  '  -l             list nodes',
  '  -a             show all names or addresses for each node',
  '  -p             when used with -s or -l, generates machine parsable output',
  '  -v <votes>     change the number of votes for a node (*)',
  '  -n <nodeid>    optional nodeid of node for -v',
  '  -e <expected>  change expected votes for the cluster (*)',
  '  -H             show nodeids in hexadecimal rather than decimal',
  '  -i             show node IP addresses instead of the resolved name',
  '  -o <a|n|i>     order by [a] IP address (default), [n] name, [i] nodeid',
  '  -f             forcefully unregister a quorum device *DANGEROUS* (*)',
  '  -h             show this help text',
  '  -V             show version and exit',
  '',
  '  (*) Starred items only work if votequorum is the quorum provider for corosync',
].join('\n');

/** corosync-quorumtool's exit code for -s on an inquorate node (EXIT_NOT_QUORATE). */
export const EXIT_NOT_QUORATE = 2;

export function quorumtool(sh: Sh, args: string[]): Res {
  const usage = QUORUMTOOL_USAGE;
  let mode: 's' | 'l' | 'e' | 'm' | 'v' | null = null;
  let hexIds = false;
  let ips = false;
  let value: string | undefined;
  let nodeidArg: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-') || a === '-') return res(usage, 1);
    for (let j = 1; j < a.length; j++) {
      const f = a[j]!;
      if (f === 's' || f === 'l' || f === 'm') mode = f;
      else if (f === 'H') hexIds = true;
      else if (f === 'i') ips = true;
      else if (f === 'p' || f === 'a') continue;
      else if (f === 'e' || f === 'v' || f === 'n' || f === 'o') {
        const v = a.slice(j + 1) || args[++i];
        if (v === undefined) return res(`corosync-quorumtool: option requires an argument -- '${f}'\n${usage}`, 1);
        if (f === 'n') nodeidArg = v;
        else if (f === 'o') {
          if (!['a', 'n', 'i'].includes(v)) return res('Invalid ordering option. valid orders are a(address), i(node ID) or n(name)', 1);
        } else {
          mode = f;
          value = v;
        }
        break;
      } else if (f === 'V') return res('corosync-quorumtool version: 3.1.7');
      else if (f === 'h') return res(usage);
      else return res(`corosync-quorumtool: invalid option -- '${f}'\n${usage}`, 1);
    }
  }
  if (mode === 'v' && !/^\d+$/.test(value!)) return res('New votes value was not valid, try a positive number or zero', 1);
  if (nodeidArg !== undefined && !/^[1-9]\d*$/.test(nodeidArg)) return res('The nodeid was not valid, try a positive number', 1);
  if (corosyncDown(sh))
    return res(
      `${NO_CMAP}\n` +
        (sh.n.cfs.nodelist === null
          ? hint('this node is in no cluster yet: pvecm create or pvecm add', 'ce nœud n’est dans aucun cluster : pvecm create ou pvecm add')
          : hint('corosync is stopped on this node: systemctl start corosync', 'corosync est arrêté sur ce nœud : systemctl start corosync')),
      1,
    );
  const opts = { hex: hexIds, ips };
  switch (mode) {
    case 'e':
      return setExpected(sh, value, 'corosync-quorumtool -e', usage);
    case 'v':
      return setVotes(sh, Number(value), nodeidArg === undefined ? nodeid(sh.s, sh.node) : Number(nodeidArg));
    case 'l':
      return res(membershipLines(sh, opts).join('\n'));
    case 'm':
      // The real -m prints the status again at every change until Ctrl-C; one input gets one answer.
      return res(
        [
          ...quorumLines(sh, opts),
          '',
          hint(
            'this terminal prints one snapshot instead of monitoring; run the command again to refresh',
            'ce terminal affiche un seul instantané au lieu de surveiller ; relancez la commande pour rafraîchir',
          ),
        ].join('\n'),
      );
    case 's':
    case null:
      return res(quorumLines(sh, opts).join('\n'), sh.n.quorate ? 0 : EXIT_NOT_QUORATE);
    default: {
      const _exhaustive: never = mode;
      return _exhaustive;
    }
  }
}
