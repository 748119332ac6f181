// corosync-quorumtool, and the membership / votequorum blocks that pvecm status shares.
import { nodeConfig, nodeid } from '../kernel.js';
import { qdeviceVotes } from '../rules/qdevice.js';
import { configuredVotes, forceExpected, waitForAllArms } from '../rules/votequorum.js';
import { ctime, hex8, nodeClock, padL } from '../format.js';
import { expectedChangeError } from '../quorum.js';
import { hint, myPartition, paramError, type Res, res, type Sh, tSec } from './common.js';

// ---------------------------------------------------------------- votequorum views

export function membershipLines(sh: Sh, o: { hex: boolean; ips: boolean }): string[] {
  const { s, n, node } = sh;
  const { info } = myPartition(sh);
  const qdev = !!(s.qdevice?.present && n.cfs.qdevice?.configured);
  const id = (v: number) => (o.hex ? hex8(v) : padL(v, 10));
  const lines = ['Membership information', '----------------------'];
  lines.push(qdev ? `${padL('Nodeid', 10)} ${padL('Votes', 10)} ${padL('Qdevice', 10)} Name` : `${padL('Nodeid', 10)} ${padL('Votes', 10)} Name`);
  for (const m of info.ring) {
    const cfg = nodeConfig(s, m)!;
    const name = `${o.ips ? cfg.ip : m}${m === node ? ' (local)' : ''}`;
    if (qdev) {
      const alive = s.qdevice!.hostUp && !!s.qdevice!.reach[m];
      const flags = `${alive ? 'A' : 'NA'},${info.qdeviceVote > 0 ? 'V' : 'NV'},NMW`;
      lines.push(`${id(cfg.nodeid)} ${padL(cfg.votes, 10)} ${padL(flags, 10)} ${name}`);
    } else lines.push(`${id(cfg.nodeid)} ${padL(cfg.votes, 10)} ${name}`);
  }
  if (qdev) lines.push(`${id(0)} ${padL(qdeviceVotes(s), 10)} ${padL('', 10)} Qdevice`);
  return lines;
}

export function quorumLines(sh: Sh, o: { hex: boolean; ips: boolean }): string[] {
  const { s, n, node } = sh;
  const { info } = myPartition(sh);
  const opts = s.config.options;
  const qdev = !!(s.qdevice?.present && n.cfs.qdevice?.configured);
  const twoNode = opts.two_node && !s.qdevice?.present;
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
    if (tool) return res('Invalid expected votes value', 1);
    if (!/^\d+$/.test(raw)) return paramError('expected', `type check ('integer') failed - got '${raw}'`, usage);
    return paramError('expected', 'value must have a minimum value of 1', usage);
  }
  const want = Number(raw);
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

export function quorumtool(sh: Sh, args: string[]): Res {
  const usage = [
    'usage: corosync-quorumtool <options>',
    '',
    '  options:',
    '',
    '  -s             show quorum status',
    '  -m             constantly monitor quorum status',
    '  -l             list nodes',
    '  -p             when used with -s or -l, generates machine parsable output',
    '  -v <votes>     change the number of votes for a node (not simulated)',
    '  -n <nodeid>    optional nodeid of node for -v',
    '  -e <expected>  change expected votes for the cluster',
    '  -H             show nodeids in hexadecimal rather than decimal',
    '  -i             show node IP addresses instead of the resolved name',
    '  -h             show this help text',
    '  -V             show version and exit',
  ].join('\n');
  let mode: 's' | 'l' | 'e' | null = null;
  let hexIds = false;
  let ips = false;
  let eValue: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-') || a === '-') return res(usage, 1);
    for (let j = 1; j < a.length; j++) {
      const f = a[j]!;
      if (f === 's') mode = 's';
      else if (f === 'l') mode = mode ?? 'l';
      else if (f === 'H') hexIds = true;
      else if (f === 'i') ips = true;
      else if (f === 'p') continue;
      else if (f === 'e') {
        mode = 'e';
        eValue = a.slice(j + 1) || args[++i];
        break;
      } else if (f === 'V') return res('corosync-quorumtool version: 3.1.7');
      else if (f === 'h') return res(usage);
      else if (f === 'm')
        return res(
          'corosync-quorumtool -m: monitoring is not available in this terminal\n' +
            hint('run corosync-quorumtool -s again to refresh', 'relancez corosync-quorumtool -s pour rafraîchir'),
          1,
        );
      else return res(`corosync-quorumtool: invalid option -- '${f}'\n${usage}`, 1);
    }
  }
  if (mode === 'e') return setExpected(sh, eValue, 'corosync-quorumtool -e', usage);
  if (mode === 'l') return res(membershipLines(sh, { hex: hexIds, ips }).join('\n'));
  return res(quorumLines(sh, { hex: hexIds, ips }).join('\n'));
}
