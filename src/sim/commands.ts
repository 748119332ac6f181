// The node terminal: a small shell that answers like a Proxmox VE node would, from THAT node's
// point of view (its partition, its quorum state, its /etc/pve copy). Layouts follow DOMAIN.md.
// Every input gets an answer; nothing here throws to the engine. Writes to /etc/pve go through
// cfsCommit so that a node without quorum is refused exactly like pmxcfs refuses it.
import { crmMaster, emit, haService, nodeConfig, nodeid, partitionOf, serviceId, sortByNodeid, type Ctx } from './kernel.js';
import { SKEW_DANGER_MS, updateSkew } from './rules/clock.js';
import { lrmActive } from './rules/ha.js';
import { cfsCommit } from './rules/pmxcfs.js';
import { stopVm } from './rules/power.js';
import { qdeviceVotes } from './rules/qdevice.js';
import { configuredVotes, partitionInfo, restartCorosync, type PartitionInfo } from './rules/votequorum.js';
import {
  CLEAR_SCREEN,
  LAB_EPOCH_MS,
  agoText,
  ctime,
  dateLine,
  hex8,
  isoLocal,
  journalTime,
  lsTime,
  nodeClock,
  padL,
  padR,
  systemdTime,
  trimLines,
  wallClock,
} from './format.js';
import { expectedChangeError } from './quorum.js';
import type {
  CfsDb,
  CfsVm,
  ClusterState,
  CommandResult,
  CrmServiceState,
  HaRequestedState,
  HaService,
  NodeName,
  NodeRuntime,
} from './types.js';

/** Longest accepted input line (the protocol caps frames too; this is the shell's own limit). */
export const MAX_COMMAND_LENGTH = 500;
/** ha-manager status marks a timestamp older than this (by the local clock) as dead. */
export const HA_STALE_MS = 30_000;
/** Names of the storages in storage.cfg for the two kinds of VM disks. */
export const STORAGE_ID = { shared: 'shared', local: 'local-lvm' } as const;

interface Sh {
  c: Ctx;
  s: ClusterState;
  node: NodeName;
  n: NodeRuntime;
}

type Res = CommandResult;
const res = (output: string, exitCode = 0): Res => ({ output, exitCode });
const hint = (en: string, fr: string) => `hint: ${en}\nastuce : ${fr}`;

export function runCommand(c: Ctx, node: NodeName, line: string): CommandResult {
  try {
    const r = runLine(c, node, typeof line === 'string' ? line : String(line));
    return r.output === CLEAR_SCREEN ? r : { output: trimLines(r.output).replace(/\n+$/, ''), exitCode: r.exitCode };
  } catch (e) {
    // A bug in a command must not take the room down: report it like a crashed tool.
    const msg = e instanceof Error ? e.message : String(e);
    return res(`-bash: internal error: ${msg}`, 70);
  }
}

// ---------------------------------------------------------------- shell front end

type Tok = { op: boolean; v: string };

function tokenize(line: string): Tok[] | string {
  const toks: Tok[] = [];
  let cur = '';
  let inWord = false;
  const flush = () => {
    if (inWord) toks.push({ op: false, v: cur });
    cur = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t') {
      flush();
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = line.indexOf(ch, i + 1);
      if (end < 0) return `-bash: unexpected EOF while looking for matching \`${ch}'`;
      cur += line.slice(i + 1, end).replace(ch === '"' ? /\\(["\\$`])/g : /(?!)/g, '$1');
      inWord = true;
      i = end;
      continue;
    }
    if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
      continue;
    }
    if ('|&;<>'.includes(ch)) {
      // `2>` is a redirection of stderr, not the word "2".
      if (ch === '>' && inWord && cur === '2') {
        cur = '';
        inWord = false;
        toks.push({ op: true, v: '2>' });
        continue;
      }
      flush();
      const two = line.slice(i, i + 2);
      if (two === '||' || two === '&&' || two === '>>') {
        toks.push({ op: true, v: two });
        i++;
      } else toks.push({ op: true, v: ch });
      continue;
    }
    cur += ch;
    inWord = true;
  }
  flush();
  return toks;
}

function runLine(c: Ctx, node: NodeName, raw: string): Res {
  if (raw.length > MAX_COMMAND_LENGTH)
    return res(
      `-bash: input line too long (${raw.length} characters, at most ${MAX_COMMAND_LENGTH})\n` +
        hint('type one shorter command', 'tapez une commande plus courte'),
      2,
    );
  const line = raw.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/.test(line))
    return res(
      `-bash: control characters are not allowed in a command\n` +
        hint('type the command again without special keys', 'retapez la commande sans touches spéciales'),
      2,
    );
  if (line === '' || line.startsWith('#')) return res('');
  const n = c.s.nodes[node]!;
  if (n.power === 'off')
    return res(`ssh: connect to host ${nodeConfig(c.s, node)?.ip ?? node} port 22: No route to host\n(${node} is powered off / ${node} est éteint)`, 255);
  if (n.power === 'booting') {
    const left = Math.max(0, Math.ceil(((n.bootUntil ?? c.s.now) - c.s.now) / 1000));
    return res(`ssh: connect to host ${nodeConfig(c.s, node)?.ip ?? node} port 22: Connection refused\n(${node} is booting, ready in ${left} s / ${node} démarre, prêt dans ${left} s)`, 255);
  }
  const sh: Sh = { c, s: c.s, node, n };

  const toks = tokenize(line);
  if (typeof toks === 'string') return res(toks, 2);
  const bad = toks.find((t) => t.op && ['&&', '||', ';', '&', '<'].includes(t.v));
  if (bad)
    return res(
      `-bash: '${bad.v}' is not supported in this terminal\n` +
        hint('type one command at a time (pipes to grep/head/tail work)', 'une commande à la fois (les tubes vers grep/head/tail marchent)'),
      2,
    );
  // Split into pipeline stages.
  const stages: Tok[][] = [[]];
  for (const t of toks) {
    if (t.op && t.v === '|') stages.push([]);
    else stages[stages.length - 1]!.push(t);
  }
  if (stages.some((st) => st.length === 0)) return res(`-bash: syntax error near unexpected token \`|'`, 2);

  // Redirections of the first stage.
  const first = stages[0]!;
  const words: string[] = [];
  let redirect: string | null = null;
  for (let i = 0; i < first.length; i++) {
    const t = first[i]!;
    if (t.op) {
      const target = first[i + 1];
      if (!target || target.op) return res(`-bash: syntax error near unexpected token \`newline'`, 2);
      if (t.v !== '2>') redirect = target.v;
      i++;
    } else words.push(t.v);
  }
  if (words[0] === 'sudo') words.shift();
  if (words.length === 0) return res('');

  if (redirect !== null) {
    const abs = resolvePath(sh, redirect);
    if (inPve(abs)) {
      if (!sh.n.quorate) {
        cfsCommit(c, node, abs.slice('/etc/pve/'.length), `${words[0]} > ${abs}`, () => {});
        return res(`-bash: ${redirect}: Permission denied`, 1);
      }
      const r = dispatch(sh, words);
      cfsCommit(c, node, abs.slice('/etc/pve/'.length), `${words[0]} > ${abs}`, () => {});
      return res('', r.exitCode);
    }
    const r = dispatch(sh, words);
    return res('', r.exitCode);
  }

  let r = dispatch(sh, words);
  for (const st of stages.slice(1)) {
    if (st.some((t) => t.op)) return res(`-bash: redirections after a pipe are not supported here`, 2);
    if (r.output === CLEAR_SCREEN) r = res('');
    r = filter(r, st.map((t) => t.v));
  }
  return r;
}

/** The right-hand side of a pipe: grep, head, tail, wc -l, cat/less/more. */
function filter(input: Res, argv: string[]): Res {
  const [cmd, ...args] = argv;
  const lines = input.output === '' ? [] : input.output.split('\n');
  switch (cmd) {
    case 'grep':
    case 'egrep': {
      let ci = false;
      let inv = false;
      let count = false;
      const pats: string[] = [];
      for (const a of args) {
        if (/^-[ivcE]+$/.test(a)) {
          ci ||= a.includes('i');
          inv ||= a.includes('v');
          count ||= a.includes('c');
        } else pats.push(a);
      }
      const pat = pats[0];
      if (pat === undefined) return res(`Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.`, 2);
      let re: RegExp;
      try {
        re = new RegExp(pat, ci ? 'i' : '');
      } catch {
        re = new RegExp(pat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), ci ? 'i' : '');
      }
      const kept = lines.filter((l) => re.test(l) !== inv);
      if (count) return res(String(kept.length), kept.length ? 0 : 1);
      return res(kept.join('\n'), kept.length ? 0 : 1);
    }
    case 'head':
    case 'tail': {
      let k = 10;
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        const m = /^-n?(\d+)$/.exec(a);
        if (m) k = Number(m[1]);
        else if (a === '-n' && /^\d+$/.test(args[i + 1] ?? '')) k = Number(args[++i]);
      }
      const kept = cmd === 'head' ? lines.slice(0, k) : lines.slice(Math.max(0, lines.length - k));
      return res(kept.join('\n'), 0);
    }
    case 'wc':
      if (args.includes('-l')) return res(String(lines.length), 0);
      return res(`${padL(lines.length, 7)} ${padL(input.output.split(/\s+/).filter(Boolean).length, 7)} ${padL(input.output.length + (lines.length ? 1 : 0), 7)}`, 0);
    case 'cat':
    case 'less':
    case 'more':
      return input;
    case 'sort':
      return res([...lines].sort().join('\n'), 0);
    default:
      return res(
        `-bash: ${cmd}: command not found\n` + hint('after | you can use grep, head, tail, wc -l', 'après | : grep, head, tail, wc -l'),
        127,
      );
  }
}

const HELP = [
  'Commandes disponibles / Available commands:',
  '  pvecm status | nodes | expected <N>        état du quorum / quorum state',
  '  pvecm qdevice setup <IP> [--force] | remove   QDevice (vote externe / external vote)',
  '  corosync-quorumtool -s | -l | -e <N>       votequorum',
  '  ha-manager status | config                 haute disponibilité / high availability',
  '  ha-manager add|remove vm:<ID>              gérer une ressource HA / manage an HA resource',
  '  ha-manager set vm:<ID> --state started|stopped|disabled|ignored',
  '  ha-manager migrate|relocate vm:<ID> <node>',
  '  ha-manager crm-command node-maintenance enable|disable <node>',
  '  qm list | status | config <ID>             machines virtuelles / virtual machines',
  '  qm start|stop|shutdown <ID>',
  '  qm migrate <ID> <node> [--online]',
  '  qm create <ID> --name <nom> [--memory <Mo>] [--storage shared|local]',
  '  qm destroy <ID>',
  '  timedatectl, chronyc tracking|makestep     horloge / clock',
  '  systemctl status|restart <service>         corosync, pve-cluster, pve-ha-lrm, pve-ha-crm, chrony',
  '  cat <file>, ls <dir>                       /etc/pve/corosync.conf, /etc/pve/.members, ...',
  '  ping <node|IP>, hostname, date, clear      divers / misc',
  '  … | grep <motif>, head, tail               filtres / filters',
].join('\n');

function dispatch(sh: Sh, argv: string[]): Res {
  const [cmd, ...args] = argv as [string, ...string[]];
  switch (cmd) {
    case 'help':
    case 'aide':
    case '?':
      return res(HELP);
    case 'clear':
    case 'reset':
      return res(CLEAR_SCREEN);
    case 'hostname':
      if (args.includes('-I') || args.includes('-i')) return res(nodeConfig(sh.s, sh.node)?.ip ?? '');
      return res(sh.node);
    case 'whoami':
      return res('root');
    case 'pwd':
      return res('/root');
    case 'cd':
      return res(
        `-bash: cd: this terminal has no working directory\n` +
          hint('use absolute paths, e.g. ls /etc/pve', 'utilisez des chemins absolus, ex. ls /etc/pve'),
        1,
      );
    case 'exit':
    case 'logout':
      return res(`logout\n(the terminal of ${sh.node} stays open / le terminal de ${sh.node} reste ouvert)`);
    case 'date':
      if (args.some((a) => a === '-s' || a.startsWith('--set')))
        return res(
          `date: the clock cannot be set by hand in this lab\n` +
            hint('fix the clock with chrony: systemctl restart chrony', "corrigez l'horloge avec chrony : systemctl restart chrony"),
          1,
        );
      return res(dateLine(nodeClock(sh.s, sh.node)));
    case 'uptime': {
      const clock = nodeClock(sh.s, sh.node);
      const up = Math.floor((sh.s.now + 3_600_000) / 60_000);
      return res(` ${isoLocal(clock).slice(11)} up ${Math.floor(up / 60)}:${String(up % 60).padStart(2, '0')},  1 user,  load average: 0.08, 0.05, 0.01`);
    }
    case 'pveversion':
      return res('pve-manager/8.3.2/3e76eec21c4a14a7 (running kernel: 6.8.12-5-pve)');
    case 'echo':
      return res(args.filter((a) => a !== '-n' && a !== '-e').join(' '));
    case 'pvecm':
      return pvecm(sh, args);
    case 'corosync-quorumtool':
      return quorumtool(sh, args);
    case 'ha-manager':
      return haManager(sh, args);
    case 'qm':
      return qm(sh, args);
    case 'timedatectl':
      return timedatectl(sh, args);
    case 'chronyc':
      return chronyc(sh, args);
    case 'systemctl':
      return systemctl(sh, args);
    case 'cat':
    case 'less':
    case 'more':
      return cat(sh, cmd, args);
    case 'ls':
    case 'll':
      return ls(sh, cmd === 'll' ? ['-l', ...args] : args);
    case 'touch':
    case 'rm':
    case 'mkdir':
    case 'rmdir':
    case 'mv':
    case 'cp':
    case 'tee':
      return fileWrite(sh, cmd, args);
    case 'nano':
    case 'vi':
    case 'vim':
    case 'nvim':
    case 'emacs':
    case 'top':
    case 'htop':
      return res(
        `${cmd}: full-screen programs cannot run in this terminal\n` +
          hint('use cat to read files and the pvecm/ha-manager/qm tools to change them', 'lisez avec cat, modifiez avec pvecm/ha-manager/qm'),
        1,
      );
    case 'ping':
      return ping(sh, args);
    case 'ssh':
      return res(
        `ssh: interactive sessions are not available in this lab\n` +
          hint('each student runs commands on their own node', 'chaque étudiant tape les commandes sur son propre nœud'),
        255,
      );
    case 'apt':
    case 'apt-get':
      return res(`E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\n` + hint('installing packages is not part of this lab', "l'installation de paquets ne fait pas partie du TP"), 100);
    case 'reboot':
    case 'poweroff':
    case 'shutdown':
    case 'halt':
      return res(
        `${cmd}: only the teacher can power nodes in this lab\n` +
          hint('ask the teacher, or use ha-manager crm-command node-maintenance first', "demandez à l'enseignant, ou passez d'abord en maintenance HA"),
        1,
      );
    default:
      return res(
        `-bash: ${cmd}: command not found\n` + hint("type 'help' for the commands of this lab", "tapez 'help' pour la liste des commandes"),
        127,
      );
  }
}

// ---------------------------------------------------------------- shared helpers

function myPartition(sh: Sh): { p: NodeName[]; info: PartitionInfo } {
  const p = sortByNodeid(sh.s, partitionOf(sh.s, sh.node) ?? [sh.node]);
  return { p, info: partitionInfo(sh.s, p) };
}

function tSec(s: ClusterState): string {
  return `t=${Math.round(s.now / 1000)} s`;
}

/** Options of the PVE command-line tools: `--name value`, `--name=value`, `-name value`, flags. */
interface Parsed {
  pos: string[];
  opts: Record<string, string>;
  error?: string;
}
function parseOpts(args: string[], spec: Record<string, 'bool' | 'string'>): Parsed {
  const pos: string[] = [];
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.length > 1 && a.startsWith('-') && !/^-\d/.test(a)) {
      let name = a.replace(/^--?/, '');
      let value: string | undefined;
      const eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      const kind = spec[name];
      if (!kind) return { pos, opts, error: `Unknown option: ${name}` };
      if (kind === 'bool') {
        if (value === undefined && /^(0|1|true|false|yes|no)$/.test(args[i + 1] ?? '')) value = args[++i];
        opts[name] = value === undefined || /^(1|true|yes)$/.test(value) ? '1' : '0';
      } else {
        if (value === undefined) {
          if (i + 1 >= args.length) return { pos, opts, error: `Option ${name} requires an argument` };
          value = args[++i];
        }
        opts[name] = value!;
      }
    } else pos.push(a);
  }
  return { pos, opts };
}

function optError(parsed: Parsed, usage: string): Res {
  return res(`${parsed.error}\n400 unable to parse option\n${usage}`, 255);
}

function paramError(field: string, msg: string, usage: string): Res {
  return res(`400 Parameter verification failed.\n${field}: ${msg}\n${usage}`, 255);
}

function vmidError(raw: string | undefined, usage: string): Res | number {
  if (raw === undefined) return res(`400 not enough arguments\n${usage}`, 255);
  if (!/^\d+$/.test(raw)) return paramError('vmid', 'invalid format - value does not look like a valid VM ID', usage);
  const id = Number(raw);
  if (id < 100) return paramError('vmid', 'value must have a minimum value of 100', usage);
  if (id > 999_999_999) return paramError('vmid', 'value may not exceed 999999999', usage);
  return id;
}

function refuseNoQuorum(sh: Sh, path: string, what: string): void {
  emit(sh.c, { type: 'pmxcfs-refused', node: sh.node, path, what });
}

const NO_QUORUM = 'cluster not ready - no quorum?';
const HA_LOCK = "cfs-lock 'domain-ha' error: no quorum!";

// ---------------------------------------------------------------- votequorum views

function membershipLines(sh: Sh, o: { hex: boolean; ips: boolean }): string[] {
  const { s, n, node } = sh;
  const { p, info } = myPartition(sh);
  const qdev = !!(s.qdevice?.present && n.cfs.qdevice?.configured);
  const id = (v: number) => (o.hex ? hex8(v) : padL(v, 10));
  const lines = ['Membership information', '----------------------'];
  lines.push(qdev ? `${padL('Nodeid', 10)} ${padL('Votes', 10)} ${padL('Qdevice', 10)} Name` : `${padL('Nodeid', 10)} ${padL('Votes', 10)} Name`);
  for (const m of p) {
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

function quorumLines(sh: Sh, o: { hex: boolean; ips: boolean }): string[] {
  const { s, n, node } = sh;
  const { p, info } = myPartition(sh);
  const opts = s.config.options;
  const qdev = !!(s.qdevice?.present && n.cfs.qdevice?.configured);
  const twoNode = opts.two_node && !s.qdevice?.present;
  const flags: string[] = [];
  if (twoNode) flags.push('2Node');
  if (n.quorate) flags.push('Quorate');
  if (opts.wait_for_all || twoNode) flags.push('WaitForAll');
  if (opts.last_man_standing) flags.push('LastManStanding');
  if (opts.auto_tie_breaker) flags.push('AutoTieBreaker');
  if (qdev) flags.push('Qdevice');
  const myId = nodeid(s, node);
  const rep = Math.min(...p.map((m) => nodeid(s, m)));
  return [
    'Quorum information',
    '------------------',
    `Date:             ${ctime(nodeClock(s, node))}`,
    'Quorum provider:  corosync_votequorum',
    `Nodes:            ${p.length}`,
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

function pvecmStatus(sh: Sh): Res {
  return res(
    [
      'Cluster information',
      '-------------------',
      `Name:             ${sh.s.config.clusterName}`,
      `Config Version:   ${sh.n.cfs.version}`,
      'Transport:        knet',
      'Secure auth:      on',
      '',
      ...quorumLines(sh, { hex: true, ips: true }),
    ].join('\n'),
  );
}

/** `pvecm expected N` and `corosync-quorumtool -e N`: lower E for the whole partition. */
function setExpected(sh: Sh, raw: string | undefined, via: 'pvecm expected' | 'corosync-quorumtool -e', usage: string): Res {
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
  for (const m of p) {
    const r = s.nodes[m]!;
    r.expected = want;
    r.expectedOverride = override;
    emit(sh.c, { type: 'expected-changed', node: m, expected: want, reason: 'command' });
  }
  return res('');
}

const PVECM_USAGE = [
  'USAGE: pvecm <COMMAND> [ARGS] [OPTIONS]',
  '       pvecm expected <expected>',
  '       pvecm nodes',
  '       pvecm qdevice remove',
  '       pvecm qdevice setup <address> [OPTIONS]',
  '       pvecm status',
  '',
  '       pvecm help [<extra-args>] [OPTIONS]',
].join('\n');

function tooMany(args: string[], from: number, usage: string): Res | null {
  return args.length > from ? res(`400 too many arguments\n${usage}`, 255) : null;
}

function pvecm(sh: Sh, args: string[]): Res {
  const sub = args[0];
  switch (sub) {
    case undefined:
      return res(`ERROR: no command specified\n${PVECM_USAGE}`, 255);
    case 'help':
      return res(PVECM_USAGE);
    case 'status':
      return tooMany(args, 1, 'pvecm status') ?? pvecmStatus(sh);
    case 'nodes':
      return tooMany(args, 1, 'pvecm nodes') ?? res(membershipLines(sh, { hex: false, ips: false }).join('\n'));
    case 'expected':
      return tooMany(args, 2, 'pvecm expected <expected>') ?? setExpected(sh, args[1], 'pvecm expected', 'pvecm expected <expected>');
    case 'qdevice':
      if (args[1] === 'setup') return qdeviceSetup(sh, args.slice(2));
      if (args[1] === 'remove') return tooMany(args, 2, 'pvecm qdevice remove') ?? qdeviceRemove(sh);
      return res(
        `ERROR: unknown command 'pvecm qdevice${args[1] ? ' ' + args[1] : ''}'\nUSAGE: pvecm qdevice <COMMAND> [ARGS] [OPTIONS]\n       pvecm qdevice remove\n       pvecm qdevice setup <address> [OPTIONS]`,
        255,
      );
    case 'add':
    case 'addnode':
    case 'create':
    case 'delnode':
    case 'updatecerts':
    case 'keygen':
    case 'mtunnel':
    case 'apiver':
      return res(
        `pvecm ${sub}: not simulated in this lab (the cluster already exists)\n` +
          hint('try pvecm status, pvecm nodes, pvecm expected, pvecm qdevice', 'essayez pvecm status, nodes, expected, qdevice'),
        255,
      );
    default:
      return res(`ERROR: unknown command 'pvecm ${sub}'\n${PVECM_USAGE}`, 255);
  }
}

function validIpv4(a: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  return !!m && m.slice(1).every((x) => Number(x) <= 255);
}

function qdeviceSetup(sh: Sh, args: string[]): Res {
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
    refuseNoQuorum(sh, 'corosync.conf', `qdevice setup ${addr}`);
    return res(NO_QUORUM, 255);
  }
  for (const cfg of [...s.config.nodes].sort((a, b) => (a.name < b.name ? -1 : 1)))
    if (!p.includes(cfg.name)) return res(`All nodes must be online! Node ${cfg.name} is offline, aborting.`, 255);
  if (n.cfs.qdevice?.configured && !force) return res('QDevice already configured!', 255);
  if (s.config.nodes.length % 2 === 1 && !force)
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
  const reachable = !!q && q.ip === addr && !!s.qdevice?.hostUp && !!s.qdevice.reach[node];
  if (!reachable)
    return res(
      [
        ...sshCopy,
        `ssh: connect to host ${addr} port 22: No route to host`,
        `command 'ssh-copy-id -i /root/.ssh/id_rsa root@${addr}' failed: exit code 1`,
      ].join('\n'),
      255,
    );
  if (!q.installed)
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
  const algorithm = q.algorithm;
  const ok = cfsCommit(sh.c, node, 'corosync.conf', `qdevice setup ${addr}`, (db) => {
    db.qdevice = { configured: true, ip: addr, algorithm };
  });
  if (!ok) return res(NO_QUORUM, 255);
  emit(sh.c, { type: 'qdevice-configured', node, enabled: true });
  const names = [...s.config.nodes].map((x) => x.name).sort();
  return res(
    [
      ...sshCopy,
      '',
      'Number of key(s) added: 1',
      '',
      'INFO: initializing qnetd server',
      'Certificate database (/etc/corosync/qnetd/nssdb) already exists. Delete it to initialize new db',
      '',
      'INFO: copying CA cert and initializing on all nodes',
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

function qdeviceRemove(sh: Sh): Res {
  const { s, n, node } = sh;
  if (!n.quorate) {
    refuseNoQuorum(sh, 'corosync.conf', 'qdevice remove');
    return res(NO_QUORUM, 255);
  }
  if (!n.cfs.qdevice?.configured) return res('No QDevice configured!', 255);
  const ok = cfsCommit(sh.c, node, 'corosync.conf', 'qdevice remove', (db) => {
    db.qdevice = null;
  });
  if (!ok) return res(NO_QUORUM, 255);
  // Reloading corosync.conf recomputes expected votes from the node list.
  const nodeVotes = s.config.nodes.reduce((a, x) => a + x.votes, 0);
  for (const m of myPartition(sh).p) {
    const r = s.nodes[m]!;
    if (r.expectedOverride === null && r.expected > nodeVotes) r.expected = nodeVotes;
  }
  emit(sh.c, { type: 'qdevice-configured', node, enabled: false });
  return res(
    [
      ...[...s.config.nodes].map((x) => x.name).sort().map((m) => `INFO: stop and disable corosync qdevice daemon on node '${m}'...`),
      'Reloading corosync.conf...',
      'Done',
      '',
      'Removed Qdevice.',
    ].join('\n'),
  );
}

function quorumtool(sh: Sh, args: string[]): Res {
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

// ---------------------------------------------------------------- ha-manager

const HA_USAGE = [
  'USAGE: ha-manager <COMMAND> [ARGS] [OPTIONS]',
  '       ha-manager add <sid> [OPTIONS]',
  '       ha-manager config [OPTIONS]',
  '       ha-manager remove <sid>',
  '       ha-manager set <sid> [OPTIONS]',
  '       ha-manager migrate <sid> <node>',
  '       ha-manager relocate <sid> <node>',
  '       ha-manager crm-command node-maintenance enable <node>',
  '       ha-manager crm-command node-maintenance disable <node>',
  '       ha-manager status  [OPTIONS]',
  '',
  '       ha-manager help [<extra-args>] [OPTIONS]',
].join('\n');

function parseSid(raw: string | undefined, usage: string): Res | { sid: string; vmid: number } {
  if (raw === undefined) return res(`400 not enough arguments\n${usage}`, 255);
  const m = /^(?:vm:)?(\d+)$/.exec(raw);
  if (!m) {
    if (/^ct:\d+$/.test(raw))
      return res(`containers are not part of this lab ('${raw}')\n` + hint('use vm:<ID>', 'utilisez vm:<ID>'), 255);
    return paramError('sid', `invalid format - unable to parse service ID '${raw}'`, usage);
  }
  const vmid = Number(m[1]);
  if (vmid < 100) return paramError('sid', `invalid format - unable to parse service ID '${raw}'`, usage);
  return { sid: serviceId(vmid), vmid };
}

const REQ_STATES: Record<string, HaRequestedState> = {
  started: 'started',
  enabled: 'started',
  stopped: 'stopped',
  disabled: 'disabled',
  ignored: 'ignored',
};

function stateParam(raw: string | undefined, usage: string): Res | HaRequestedState | undefined {
  if (raw === undefined) return undefined;
  const st = REQ_STATES[raw];
  if (!st)
    return paramError('state', `value '${raw}' does not have a value in the enumeration 'started, stopped, enabled, disabled, ignored'`, usage);
  return st;
}

/** Write under the HA domain lock: refused without quorum like cfs_lock_domain('ha'). */
function haWrite(sh: Sh, path: string, what: string, mutate: (db: CfsDb) => void): boolean {
  return cfsCommit(sh.c, sh.node, path, what, mutate);
}

function haManager(sh: Sh, args: string[]): Res {
  const sub = args[0];
  const rest = args.slice(1);
  switch (sub) {
    case undefined:
      return res(`ERROR: no command specified\n${HA_USAGE}`, 255);
    case 'help':
      return res(HA_USAGE);
    case 'status': {
      const parsed = parseOpts(rest, { verbose: 'bool', v: 'bool' });
      if (parsed.error) return optError(parsed, 'ha-manager status  [OPTIONS]');
      return haStatus(sh);
    }
    case 'config': {
      const db = sh.n.cfs;
      return res(
        Object.values(db.ha)
          .sort((a, b) => a.vmid - b.vmid)
          .map((x) => `${x.sid}\n\tstate ${x.requested}`)
          .join('\n'),
      );
    }
    case 'add':
      return haAdd(sh, rest);
    case 'remove':
      return haRemove(sh, rest);
    case 'set':
      return haSet(sh, rest);
    case 'migrate':
    case 'relocate':
      return haMove(sh, sub, rest, false);
    case 'crm-command': {
      const what = rest[0];
      if (what === 'migrate' || what === 'relocate') return haMove(sh, what, rest.slice(1), false);
      if (what === 'node-maintenance') return haMaintenance(sh, rest.slice(1));
      return res(
        `ERROR: unknown command 'ha-manager crm-command${what ? ' ' + what : ''}'\nUSAGE: ha-manager crm-command <COMMAND> [ARGS] [OPTIONS]\n       ha-manager crm-command migrate <sid> <node>\n       ha-manager crm-command relocate <sid> <node>\n       ha-manager crm-command node-maintenance enable <node>\n       ha-manager crm-command node-maintenance disable <node>`,
        255,
      );
    }
    default:
      return res(`ERROR: unknown command 'ha-manager ${sub}'\n${HA_USAGE}`, 255);
  }
}

function haAdd(sh: Sh, args: string[]): Res {
  const usage = 'ha-manager add <sid> [OPTIONS]';
  const parsed = parseOpts(args, { state: 'string', group: 'string', comment: 'string', max_restart: 'string', max_relocate: 'string' });
  if (parsed.error) return optError(parsed, usage);
  const sid = parseSid(parsed.pos[0], usage);
  if ('output' in sid) return sid;
  if (parsed.pos.length > 1) return res(`400 too many arguments\n${usage}`, 255);
  const st = stateParam(parsed.opts.state, usage);
  if (st !== undefined && typeof st !== 'string') return st;
  const requested: HaRequestedState = st ?? 'started';
  const conf = sh.n.cfs.vms[String(sid.vmid)];
  if (!conf) return res(`resource '${sid.sid}' does not exist in cluster`, 255);
  if (!sh.n.quorate) {
    haWrite(sh, 'ha/resources.cfg', `ha-manager add ${sid.sid}`, () => {});
    return res(HA_LOCK, 255);
  }
  if (sh.n.cfs.ha[sid.sid]) return res(`resource ID '${sid.sid}' already defined`, 255);
  const running = !!sh.s.vms[String(sid.vmid)]?.runningOn.includes(conf.node);
  const now = sh.s.now;
  haWrite(sh, 'ha/resources.cfg', `ha-manager add ${sid.sid} --state ${requested}`, (db) => {
    db.ha[sid.sid] = { sid: sid.sid, vmid: sid.vmid, requested, state: running ? 'started' : 'stopped', node: conf.node, since: now };
  });
  return res('');
}

function haRemove(sh: Sh, args: string[]): Res {
  const usage = 'ha-manager remove <sid>';
  const parsed = parseOpts(args, {});
  if (parsed.error) return optError(parsed, usage);
  const sid = parseSid(parsed.pos[0], usage);
  if ('output' in sid) return sid;
  if (!sh.n.quorate) {
    haWrite(sh, 'ha/resources.cfg', `ha-manager remove ${sid.sid}`, () => {});
    return res(HA_LOCK, 255);
  }
  if (!sh.n.cfs.ha[sid.sid]) return res(`no such resource '${sid.sid}'`, 255);
  haWrite(sh, 'ha/resources.cfg', `ha-manager remove ${sid.sid}`, (db) => {
    delete db.ha[sid.sid];
  });
  return res('');
}

function haSet(sh: Sh, args: string[]): Res {
  const usage = 'ha-manager set <sid> [OPTIONS]';
  const parsed = parseOpts(args, { state: 'string', group: 'string', comment: 'string', max_restart: 'string', max_relocate: 'string' });
  if (parsed.error) return optError(parsed, usage);
  const sid = parseSid(parsed.pos[0], usage);
  if ('output' in sid) return sid;
  const st = stateParam(parsed.opts.state, usage);
  if (st !== undefined && typeof st !== 'string') return st;
  return requestState(sh, sid.sid, st, `ha-manager set ${sid.sid}${st ? ' --state ' + st : ''}`);
}

function requestState(sh: Sh, sid: string, st: HaRequestedState | undefined, what: string): Res {
  if (!sh.n.quorate) {
    haWrite(sh, 'ha/resources.cfg', what, () => {});
    return res(HA_LOCK, 255);
  }
  if (!sh.n.cfs.ha[sid]) return res(`no such resource '${sid}'`, 255);
  haWrite(sh, 'ha/resources.cfg', what, (db) => {
    if (st) db.ha[sid]!.requested = st;
  });
  return res('');
}

/** ha-manager migrate/relocate (and qm migrate of an HA guest). */
function haMove(sh: Sh, kind: 'migrate' | 'relocate', args: string[], fromQm: boolean): Res {
  const { s, n, node } = sh;
  const usage = `ha-manager ${kind} <sid> <node>`;
  const sid = parseSid(args[0], usage);
  if ('output' in sid) return sid;
  const target = args[1];
  if (target === undefined) return res(`400 not enough arguments\n${usage}`, 255);
  if (args.length > 2) return res(`400 too many arguments\n${usage}`, 255);
  if (!nodeConfig(s, target)) return res(`no such cluster node '${target}'`, 255);
  const what = `ha-manager ${kind} ${sid.sid} ${target}`;
  if (!n.quorate) {
    haWrite(sh, 'ha/crm_commands', what, () => {});
    return res(HA_LOCK, 255);
  }
  const svc = n.cfs.ha[sid.sid];
  if (!svc) return res(`no such resource '${sid.sid}'`, 255);
  if (svc.requested === 'ignored') return res(`service '${sid.sid}' is ignored by the HA stack - ${kind} not possible`, 255);
  if (svc.node === target) return res(`ignore crm command - service already on target node: ${kind} ${sid.sid} ${target}`);
  const { p } = myPartition(sh);
  if (!p.includes(target) || s.nodes[target]!.power !== 'on' || n.cfs.maintenance.includes(target))
    return res(`crm command error - node not online: ${kind} ${sid.sid} ${target}`, 255);
  if (svc.state !== 'started' && svc.state !== 'stopped')
    return res(`service '${sid.sid}' is busy (state '${svc.state}') - try again later`, 255);
  const conf = n.cfs.vms[String(sid.vmid)];
  const running = svc.state === 'started' && !!s.vms[String(sid.vmid)]?.runningOn.length;
  if (running && conf?.storage === 'local')
    return res(
      `service '${sid.sid}' - can't ${kind} VM with local disk '${STORAGE_ID.local}:vm-${sid.vmid}-disk-0'\n` +
        hint('only guests on shared storage can move without copying their disk', 'seules les VM sur stockage partagé peuvent changer de nœud sans copie'),
      255,
    );
  const now = s.now;
  const until = now + s.config.timing.migrateMs;
  haWrite(sh, 'ha/crm_commands', what, (db) => {
    const x = db.ha[sid.sid]!;
    if (running) {
      x.target = target;
      x.until = until;
      x.state = kind;
      x.since = now;
    } else {
      // A stopped service only has its configuration moved.
      x.node = target;
      x.since = now;
      const vm = db.vms[String(sid.vmid)];
      if (vm) vm.node = target;
    }
  });
  if (running) emit(sh.c, { type: 'service-state', sid: sid.sid, state: kind, node: svc.node });
  void fromQm;
  return res('');
}

function haMaintenance(sh: Sh, args: string[]): Res {
  const { s, n } = sh;
  const usage = 'ha-manager crm-command node-maintenance enable|disable <node>';
  const action = args[0];
  if (action !== 'enable' && action !== 'disable') {
    if (action === undefined) return res(`400 not enough arguments\n${usage}`, 255);
    return res(`ERROR: unknown command 'ha-manager crm-command node-maintenance ${action}'\n${usage}`, 255);
  }
  const target = args[1];
  if (target === undefined) return res(`400 not enough arguments\n${usage}`, 255);
  if (args.length > 2) return res(`400 too many arguments\n${usage}`, 255);
  if (!nodeConfig(s, target)) return res(`no such cluster node '${target}'`, 255);
  const enable = action === 'enable';
  const what = `ha-manager crm-command node-maintenance ${action} ${target}`;
  if (!n.quorate) {
    haWrite(sh, 'ha/crm_commands', what, () => {});
    return res(HA_LOCK, 255);
  }
  if (n.cfs.maintenance.includes(target) === enable) return res('');
  haWrite(sh, 'ha/crm_commands', what, (db) => {
    db.maintenance = enable ? [...db.maintenance, target] : db.maintenance.filter((x) => x !== target);
  });
  emit(sh.c, { type: 'maintenance', node: target, enabled: enable });
  return res('');
}

function serviceText(x: HaService): string {
  if (x.requested === 'ignored') return 'ignored';
  if (x.requested === 'disabled' && x.state === 'stopped') return 'disabled';
  return x.state as CrmServiceState;
}

function haStatus(sh: Sh): Res {
  const { s, n, node } = sh;
  const db = n.cfs;
  const lines: string[] = [n.quorate ? 'quorum OK' : `quorum No quorum on node '${node}'!`];
  const services = Object.values(db.ha).sort((a, b) => a.vmid - b.vmid);
  const drift = Math.abs(n.skewMs) > SKEW_DANGER_MS;
  if (services.length > 0 || db.maintenance.length > 0) {
    const { p } = myPartition(sh);
    const clock = nodeClock(s, node);
    const fresh = (w: NodeName) => n.quorate && p.includes(w) && s.nodes[w]!.power === 'on';
    const lastSeen = (w: NodeName): number => {
      if (fresh(w)) return s.now;
      if (!n.quorate) return n.lostQuorumAt ?? 0;
      const hn = db.haNodes[w];
      return hn?.lostAt ?? hn?.since ?? 0;
    };
    const stamp = (w: NodeName, mode: string) => {
      const ts = wallClock(lastSeen(w), s.nodes[w]?.skewMs ?? 0);
      const old = !fresh(w) || clock - ts > HA_STALE_MS;
      return old ? `old timestamp - dead?, ${ctime(ts)}` : `${mode}, ${ctime(ts)}`;
    };
    const names = s.config.nodes.map((x) => x.name).sort();
    const master = n.quorate ? crmMaster(p) : names[0]!;
    lines.push(`master ${master} (${stamp(master, services.length ? 'active' : 'idle')})`);
    for (const m of names) {
      const mode = db.maintenance.includes(m) ? 'maintenance mode' : lrmActive(s, db, m) ? 'active' : 'idle';
      lines.push(`lrm ${m} (${stamp(m, mode)})`);
    }
    for (const x of services) lines.push(`service ${x.sid} (${x.node}, ${serviceText(x)})`);
  }
  if (drift) {
    const sec = Math.round(n.skewMs / 1000);
    lines.push(
      `detected time drift! local clock is ${Math.abs(sec)} s ${sec > 0 ? 'ahead' : 'behind'}\n` +
        hint('synchronize the clock: systemctl restart chrony', "resynchronisez l'horloge : systemctl restart chrony"),
    );
  }
  return res(lines.join('\n'));
}

// ---------------------------------------------------------------- qm

const QM_USAGE = [
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

function diskSpec(vm: CfsVm): string {
  return `${STORAGE_ID[vm.storage]}:vm-${vm.vmid}-disk-0,size=${vm.diskGb}G`;
}

function localConf(sh: Sh, vmid: number): CfsVm | Res {
  const vm = sh.n.cfs.vms[String(vmid)];
  if (!vm || vm.node !== sh.node) return res(`Configuration file 'nodes/${sh.node}/qemu-server/${vmid}.conf' does not exist`, 2);
  return vm;
}

function isHa(db: CfsDb, vmid: number): HaService | null {
  const x = haService(db, vmid);
  return x && x.requested !== 'ignored' ? x : null;
}

function runtime(s: ClusterState, vmid: number) {
  return (s.vms[String(vmid)] ??= { vmid, runningOn: [], ioError: false });
}

function qm(sh: Sh, args: string[]): Res {
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
      return res(`status: ${runtime(sh.s, id).runningOn.includes(sh.node) ? 'running' : 'stopped'}`);
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

function qmList(sh: Sh, args: string[]): Res {
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

function qmPower(sh: Sh, sub: 'start' | 'stop' | 'shutdown', args: string[]): Res {
  const { s, n, node } = sh;
  const usage = `qm ${sub} <vmid> [OPTIONS]`;
  const parsed = parseOpts(args, { timeout: 'string', skiplock: 'bool', forceStop: 'bool', keepActive: 'bool' });
  if (parsed.error) return optError(parsed, usage);
  const id = vmidError(parsed.pos[0], usage);
  if (typeof id !== 'number') return id;
  const vm = localConf(sh, id);
  if ('output' in vm) return vm;
  const rt = runtime(s, id);
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
    rt.runningOn.push(node);
    emit(sh.c, { type: 'vm-started', vmid: id, node, reason: 'qm start' });
    return res('');
  }
  if (!running) return sub === 'shutdown' ? res(`VM ${id} not running`, 255) : res('');
  stopVm(sh.c, id, node, `qm ${sub}`);
  return res('');
}

function qmMigrate(sh: Sh, args: string[]): Res {
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
    const r = haMove(sh, 'migrate', [svc.sid, target], true);
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
  const rt = runtime(s, id);
  if (rt.migrating) return res(`VM ${id} is locked (migrate)`, 255);
  const running = rt.runningOn.includes(node);
  if (running && !online) return res("can't migrate running VM without --online", 255);
  if (running && vm.storage === 'local' && !withLocal) return res("can't live migrate attached local disks without with-local-disks option", 255);
  const what = `qm migrate ${id} ${target}${running ? ' --online' : ''}`;
  const ok = cfsCommit(sh.c, node, `nodes/${node}/qemu-server/${id}.conf`, what, (db) => {
    const x = db.vms[String(id)];
    if (x) x.node = target;
  });
  if (!ok) return res(NO_QUORUM, 255);
  const clock = nodeClock(s, node);
  const ts = (dt: number) => isoLocal(clock + dt);
  const tip = nodeConfig(s, target)!.ip;
  const log: string[] = [];
  if (online && !running) log.push("VM isn't running. Doing offline migration instead.");
  log.push(`${ts(0)} use dedicated network address for sending migration traffic (${tip})`);
  log.push(`${ts(0)} starting migration of VM ${id} to node '${target}' (${tip})`);
  if (running) {
    const ms = s.config.timing.migrateMs;
    rt.migrating = { to: target, until: s.now + ms };
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

function qmCreate(sh: Sh, args: string[]): Res {
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
  const ok = cfsCommit(sh.c, node, `nodes/${node}/qemu-server/${id}.conf`, `qm create ${id} --name ${name}`, (db) => {
    db.vms[String(id)] = { ...conf };
  });
  if (!ok) return res(NO_QUORUM, 255);
  const rt = runtime(s, id);
  if (!rt.runningOn.length) rt.ioError = false;
  const lines: string[] = [];
  if (storage === 'local') lines.push(`  Logical volume "vm-${id}-disk-0" created.`);
  lines.push(`scsi0: successfully created disk '${diskSpec(conf)}'`);
  return res(lines.join('\n'));
}

function qmDestroy(sh: Sh, args: string[]): Res {
  const { s, n, node } = sh;
  const usage = 'qm destroy <vmid> [OPTIONS]';
  const parsed = parseOpts(args, { purge: 'bool', 'destroy-unreferenced-disks': 'bool', skiplock: 'bool' });
  if (parsed.error) return optError(parsed, usage);
  const id = vmidError(parsed.pos[0], usage);
  if (typeof id !== 'number') return id;
  const vm = localConf(sh, id);
  if ('output' in vm) return vm;
  const rt = s.vms[String(id)];
  if (rt?.runningOn.includes(node)) return res(`VM ${id} is running - destroy failed`, 255);
  if (!n.quorate) {
    refuseNoQuorum(sh, `nodes/${node}/qemu-server/${id}.conf`, `qm destroy ${id}`);
    return res(NO_QUORUM, 255);
  }
  const sid = serviceId(id);
  const hadHa = !!n.cfs.ha[sid];
  const ok = cfsCommit(sh.c, node, `nodes/${node}/qemu-server/${id}.conf`, `qm destroy ${id}`, (db) => {
    delete db.vms[String(id)];
    delete db.ha[sid];
  });
  if (!ok) return res(NO_QUORUM, 255);
  if (rt && rt.runningOn.length === 0 && !rt.migrating) delete s.vms[String(id)];
  const lines: string[] = [];
  if (vm.storage === 'local') lines.push(`  Logical volume "vm-${id}-disk-0" successfully removed.`);
  if (hadHa) lines.push(`purging VM ${id} from related configurations..`);
  return res(lines.join('\n'));
}

function macOf(vmid: number): string {
  const h = (vmid * 2654435761) >>> 0;
  const b = [h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff].map((x) => x.toString(16).toUpperCase().padStart(2, '0'));
  return `BC:24:11:${b.join(':')}`;
}

function vmConfText(vm: CfsVm): string {
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

// ---------------------------------------------------------------- time

function timeSynced(n: NodeRuntime): boolean {
  return n.chronyRunning && Math.abs(n.skewMs) <= 1000;
}

function timedatectl(sh: Sh, args: string[]): Res {
  const { n } = sh;
  const sub = args[0] ?? 'status';
  if (sub === 'status' || sub === 'show') {
    const t = systemdTime(nodeClock(sh.s, sh.node));
    const rtc = isoLocal(nodeClock(sh.s, sh.node));
    return res(
      [
        `               Local time: ${t} UTC`,
        `           Universal time: ${t} UTC`,
        `                 RTC time: ${rtc}`,
        '                Time zone: Etc/UTC (UTC, +0000)',
        `System clock synchronized: ${timeSynced(n) ? 'yes' : 'no'}`,
        `              NTP service: ${n.chronyRunning ? 'active' : 'inactive'}`,
        '          RTC in local mode: no',
      ].join('\n'),
    );
  }
  if (sub === 'set-ntp') {
    const v = args[1];
    if (v === undefined || !/^(true|false|yes|no|on|off|1|0)$/.test(v)) return res('Failed to parse NTP setting: ' + (v ?? '(missing)'), 1);
    const on = /^(true|yes|on|1)$/.test(v);
    if (on && !n.chronyRunning) startChrony(sh);
    if (!on) n.chronyRunning = false;
    return res('');
  }
  if (sub === 'set-time')
    return res(
      'Failed to set time: Automatic time synchronization is enabled\n' +
        hint('let chrony fix the clock: systemctl restart chrony', "laissez chrony corriger l'horloge : systemctl restart chrony"),
      1,
    );
  return res(`Unknown command verb '${sub}'.`, 1);
}

/** chronyd starts with makestep: a large offset is stepped away at once. */
function startChrony(sh: Sh): void {
  sh.n.chronyRunning = true;
  sh.n.skewMs = 0;
  updateSkew(sh.c, sh.n);
}

function chronyc(sh: Sh, args: string[]): Res {
  const { n } = sh;
  const sub = args[0] ?? 'tracking';
  if (!n.chronyRunning) return res('506 Cannot talk to daemon', 1);
  switch (sub) {
    case 'tracking': {
      const off = n.skewMs / 1000;
      const dir = off > 0 ? 'fast' : 'slow';
      const ref = ctime(nodeClock(sh.s, sh.node) - 24_000).replace(/ +(\d{1,2}) /, (_m, d: string) => ` ${d.padStart(2, '0')} `);
      return res(
        [
          'Reference ID    : 0A000A01 (10.0.10.1)',
          'Stratum         : 3',
          `Ref time (UTC)  : ${ref}`,
          `System time     : ${Math.abs(off).toFixed(9)} seconds ${dir} of NTP time`,
          `Last offset     : ${(Math.abs(off) > 1 ? -off : 0.000002311).toFixed(9)} seconds`,
          `RMS offset      : ${(Math.abs(off) > 1 ? Math.abs(off) : 0.000010412).toFixed(9)} seconds`,
          'Frequency       : 4.812 ppm slow',
          'Residual freq   : -0.001 ppm',
          'Skew            : 0.024 ppm',
          'Root delay      : 0.000412345 seconds',
          'Root dispersion : 0.000623410 seconds',
          'Update interval : 64.3 seconds',
          `Leap status     : ${Math.abs(n.skewMs) > 1000 ? 'Not synchronised' : 'Normal'}`,
        ].join('\n'),
      );
    }
    case 'sources':
      return res(
        [
          'MS Name/IP address         Stratum Poll Reach LastRx Last sample',
          '===============================================================================',
          `^${Math.abs(n.skewMs) > 1000 ? '?' : '*'} 10.0.10.1                     2   6   377    23   ${Math.abs(n.skewMs) > 1000 ? `${n.skewMs > 0 ? '-' : '+'}${Math.abs(n.skewMs / 1000).toFixed(0)}s` : '+12us'}[ +15us] +/-  512us`,
        ].join('\n'),
      );
    case 'makestep':
      n.skewMs = 0;
      updateSkew(sh.c, n);
      return res('200 OK');
    default:
      return res(`Unrecognized command`, 1);
  }
}

// ---------------------------------------------------------------- systemctl

const UNITS: Record<string, { unit: string; desc: string; pid: number; exe: string }> = {
  corosync: { unit: 'corosync', desc: 'Corosync Cluster Engine', pid: 1042, exe: '/usr/sbin/corosync -f' },
  'pve-cluster': { unit: 'pve-cluster', desc: 'The Proxmox VE cluster filesystem', pid: 981, exe: '/usr/bin/pmxcfs' },
  'pve-ha-lrm': { unit: 'pve-ha-lrm', desc: 'PVE Local HA Resource Manager Daemon', pid: 1311, exe: 'pve-ha-lrm' },
  'pve-ha-crm': { unit: 'pve-ha-crm', desc: 'PVE Cluster HA Resource Manager Daemon', pid: 1302, exe: 'pve-ha-crm' },
  chrony: { unit: 'chrony', desc: 'chrony, an NTP client/server', pid: 874, exe: '/usr/sbin/chronyd -F 1' },
  'corosync-qdevice': { unit: 'corosync-qdevice', desc: 'Corosync Qdevice daemon', pid: 1077, exe: '/usr/sbin/corosync-qdevice -f' },
};

function unitName(raw: string): string {
  const u = raw.replace(/\.service$/, '');
  return u === 'chronyd' ? 'chrony' : u;
}

function unitActive(sh: Sh, u: string): boolean {
  if (u === 'chrony') return sh.n.chronyRunning;
  if (u === 'corosync-qdevice') return !!sh.n.cfs.qdevice?.configured;
  return true;
}

function systemctl(sh: Sh, args: string[]): Res {
  const verb = args[0];
  const units = args.slice(1).filter((a) => !a.startsWith('-'));
  if (!verb) return res('systemctl: a verb is required (status, restart, start, stop, is-active)', 1);
  if (!['status', 'restart', 'start', 'stop', 'reload', 'is-active'].includes(verb)) return res(`Unknown command verb ${verb}.`, 1);
  if (units.length === 0) {
    if (verb === 'status') return res('● ' + sh.node + '\n    State: running\n    Units: 412 loaded (incl. loaded aliases)\n     Jobs: 0 queued\n   Failed: 0 units');
    return res(`Too few arguments.`, 1);
  }
  const outs: string[] = [];
  let code = 0;
  for (const raw of units) {
    const u = unitName(raw);
    const info = UNITS[u];
    if (!info) {
      outs.push(verb === 'status' ? `Unit ${raw.replace(/\.service$/, '')}.service could not be found.` : `Failed to ${verb} ${raw}.service: Unit ${raw.replace(/\.service$/, '')}.service not found.`);
      code = verb === 'status' ? 4 : 5;
      continue;
    }
    if (verb === 'status') {
      const active = unitActive(sh, u);
      outs.push(unitStatus(sh, u, active));
      if (!active) code = 3;
    } else if (verb === 'is-active') {
      const active = unitActive(sh, u);
      outs.push(active ? 'active' : 'inactive');
      if (!active) code = 3;
    } else if (u === 'chrony') {
      if (verb === 'stop') sh.n.chronyRunning = false;
      else startChrony(sh);
    } else if (u === 'corosync' && (verb === 'restart' || verb === 'reload')) {
      if (verb === 'restart') restartCorosync(sh.s, sh.n);
    } else if (verb === 'stop' || (u === 'corosync-qdevice' && verb === 'start' && !sh.n.cfs.qdevice?.configured)) {
      outs.push(
        `${verb === 'stop' ? 'stopping' : 'starting'} ${info.unit}.service is not simulated in this lab\n` +
          hint('only chrony can be stopped; corosync can be restarted', 'seul chrony peut être arrêté ; corosync peut être redémarré'),
      );
      code = 1;
    }
  }
  return res(outs.join('\n\n'), code);
}

function unitStatus(sh: Sh, u: string, active: boolean): string {
  const { s, n, node } = sh;
  const info = UNITS[u]!;
  const clock = nodeClock(s, node);
  const since = LAB_EPOCH_MS - 3_600_000 + n.skewMs;
  const lines = [
    `● ${info.unit}.service - ${info.desc}`,
    `     Loaded: loaded (/lib/systemd/system/${info.unit}.service; enabled; preset: enabled)`,
    active
      ? `     Active: active (running) since ${systemdTime(since)} UTC; ${agoText(clock - since)}`
      : `     Active: inactive (dead)`,
  ];
  if (active) {
    lines.push(`   Main PID: ${info.pid} (${info.exe.split(' ')[0]!.split('/').pop()})`);
    lines.push(`     CGroup: /system.slice/${info.unit}.service`);
    lines.push(`             └─${info.pid} ${info.exe}`);
  }
  const log: [number, string][] = [];
  const j = (simMs: number | null, text: string) => log.push([simMs ?? s.now, text]);
  const { p } = myPartition(sh);
  const ids = p.map((m) => nodeid(s, m)).join(' ');
  if (u === 'corosync') {
    j(n.quorate ? n.quorateSince : n.lostQuorumAt, `corosync[${info.pid}]:   [QUORUM] Members[${p.length}]: ${ids}`);
    j(
      n.quorate ? n.quorateSince : n.lostQuorumAt,
      n.quorate
        ? `corosync[${info.pid}]:   [QUORUM] This node is within the primary component and will provide service.`
        : `corosync[${info.pid}]:   [QUORUM] This node is within the non-primary component and will NOT provide service.`,
    );
  } else if (u === 'pve-cluster') {
    j(n.quorate ? n.quorateSince : n.lostQuorumAt, `pmxcfs[${info.pid}]: [status] notice: ${n.quorate ? 'node has quorum' : 'node lost quorum'}`);
  } else if (u === 'pve-ha-lrm') {
    const activeLrm = lrmActive(s, n.cfs, node);
    if (!n.quorate && n.watchdogAt !== null) {
      j(n.lostQuorumAt, `pve-ha-lrm[${info.pid}]: lost lock 'ha_agent_${node}_lock - cfs lock update failed - Permission denied`);
      j(n.lostQuorumAt, `pve-ha-lrm[${info.pid}]: status change active => lost_agent_lock`);
      lines.push(`     Status: "watchdog running: node resets in ${Math.max(0, Math.ceil((n.watchdogAt - s.now) / 1000))} s"`);
    } else if (n.cfs.maintenance.includes(node)) {
      j(null, `pve-ha-lrm[${info.pid}]: status change active => maintenance`);
    } else j(n.quorateSince, `pve-ha-lrm[${info.pid}]: status change wait_for_agent_lock => ${activeLrm ? 'active' : 'idle'}`);
  } else if (u === 'pve-ha-crm') {
    const master = n.quorate && crmMaster(p) === node;
    j(n.quorate ? n.quorateSince : n.lostQuorumAt, `pve-ha-crm[${info.pid}]: status change ${n.quorate ? `wait_for_quorum => ${master ? 'master' : 'slave'}` : 'slave => wait_for_quorum'}`);
  } else if (u === 'chrony') {
    if (!active) j(null, `chronyd[${info.pid}]: chronyd exiting`);
    else if (Math.abs(n.skewMs) > 1000)
      j(null, `chronyd[${info.pid}]: System clock wrong by ${(-n.skewMs / 1000).toFixed(6)} seconds, adjustment started`);
    else j(null, `chronyd[${info.pid}]: Selected source 10.0.10.1`);
  }
  if (log.length) {
    lines.push('');
    for (const [t, text] of log) lines.push(`${journalTime(wallClock(t, n.skewMs))} ${node} ${text}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- files

function resolvePath(sh: Sh, raw: string): string {
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

function inPve(abs: string): boolean {
  return abs === '/etc/pve' || abs.startsWith('/etc/pve/');
}

type FsNode = { dir: string[] } | { file: () => string };

const PVE_LINKS: Record<string, (node: NodeName) => string> = {
  local: (node) => `nodes/${node}`,
  'qemu-server': (node) => `nodes/${node}/qemu-server`,
  lxc: (node) => `nodes/${node}/lxc`,
};

function fsLookup(sh: Sh, abs: string): FsNode | null {
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
      return { file: () => corosyncConf(sh) };
    case '/etc/hostname':
      return { file: () => sh.node };
    case '/etc/hosts':
      return {
        file: () =>
          `127.0.0.1 localhost.localdomain localhost\n${nodeConfig(s, sh.node)?.ip} ${sh.node}.lab.local ${sh.node}\n\n::1     ip6-localhost ip6-loopback`,
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
          'corosync.conf',
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
      return { file: () => 'keyboard: fr' };
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
          ].join('\n'),
      };
    case '/etc/pve/ha':
      return { dir: Object.keys(db.ha).length ? ['manager_status', 'resources.cfg'] : [] };
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

function corosyncConf(sh: Sh): string {
  const { s, n } = sh;
  const opts = s.config.options;
  const q = n.cfs.qdevice?.configured ? n.cfs.qdevice : null;
  const lines = ['logging {', '  debug: off', '  to_syslog: yes', '}', '', 'nodelist {'];
  for (const x of [...s.config.nodes].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    lines.push('  node {', `    name: ${x.name}`, `    nodeid: ${x.nodeid}`, `    quorum_votes: ${x.votes}`, `    ring0_addr: ${x.ip}`, '  }');
  }
  lines.push('}', '', 'quorum {');
  if (q) {
    lines.push(
      '  device {',
      '    model: net',
      '    net {',
      `      algorithm: ${q.algorithm}`,
      `      host: ${q.ip}`,
      '      tls: on',
      '    }',
      `    votes: ${q.algorithm === 'lms' ? Math.max(1, s.config.nodes.length - 1) : 1}`,
      '  }',
    );
  }
  lines.push('  provider: corosync_votequorum');
  if (opts.two_node && !q) lines.push('  two_node: 1');
  if (opts.wait_for_all) lines.push('  wait_for_all: 1');
  if (opts.auto_tie_breaker) lines.push('  auto_tie_breaker: 1');
  if (opts.last_man_standing) lines.push('  last_man_standing: 1');
  lines.push(
    '}',
    '',
    'totem {',
    `  cluster_name: ${s.config.clusterName}`,
    `  config_version: ${n.cfs.version}`,
    '  interface {',
    '    linknumber: 0',
    '  }',
    '  ip_version: ipv4-6',
    '  link_mode: passive',
    '  secauth: on',
    '  version: 2',
    '}',
  );
  return lines.join('\n');
}

function resourcesCfg(db: CfsDb): string {
  return Object.values(db.ha)
    .sort((a, b) => a.vmid - b.vmid)
    .map((x) => `vm: ${x.vmid}\n\tstate ${x.requested}`)
    .join('\n\n');
}

function membersJson(sh: Sh): string {
  const { s, n, node } = sh;
  const { p } = myPartition(sh);
  const rows = s.config.nodes.map(
    (x) => `  "${x.name}": { "id": ${x.nodeid}, "online": ${p.includes(x.name) ? 1 : 0}${p.includes(x.name) ? `, "ip": "${x.ip}"` : ''}}`,
  );
  return [
    '{',
    `"nodename": "${node}",`,
    `"version": ${n.ringId},`,
    `"cluster": { "name": "${s.config.clusterName}", "version": ${n.cfs.version}, "nodes": ${s.config.nodes.length}, "quorate": ${n.quorate ? 1 : 0} },`,
    '"nodelist": {',
    rows.join(',\n'),
    '  }',
    '}',
  ].join('\n');
}

function vmlistJson(sh: Sh): string {
  const vms = Object.values(sh.n.cfs.vms).sort((a, b) => a.vmid - b.vmid);
  return [
    '{',
    `"version": ${sh.n.cfs.version},`,
    '"ids": {',
    vms.map((vm) => `"${vm.vmid}": { "node": "${vm.node}", "type": "qemu", "version": 1 }`).join(',\n'),
    '}',
    '}',
  ].join('\n');
}

function managerStatus(sh: Sh): string {
  const { s, n } = sh;
  const db = n.cfs;
  const { p } = myPartition(sh);
  const master = crmMaster(p);
  const nodeStatus = Object.fromEntries(Object.entries(db.haNodes).map(([k, v]) => [k, v.state]));
  const serviceStatus = Object.fromEntries(
    Object.values(db.ha).map((x) => [x.sid, { node: x.node, state: x.state, ...(x.target ? { target: x.target } : {}), uid: `${x.vmid}${x.since}` }]),
  );
  return JSON.stringify({
    master_node: master,
    node_status: nodeStatus,
    service_status: serviceStatus,
    timestamp: Math.floor(nodeClock(s, sh.node) / 1000),
  });
}

function sortNames(a: string, b: string): number {
  const ka = a.replace(/^\./, '').toLowerCase();
  const kb = b.replace(/^\./, '').toLowerCase();
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function cat(sh: Sh, cmd: string, args: string[]): Res {
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

function ls(sh: Sh, args: string[]): Res {
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

function longLine(name: string, size: number, kind: 'file' | 'dir' | 'link', ms: number): string {
  const mode = kind === 'dir' ? 'drwxr-xr-x' : kind === 'link' ? 'lrwxr-xr-x' : '-rw-r-----';
  return `${mode} ${kind === 'dir' ? 2 : 1} root www-data ${padL(size, 5)} ${lsTime(ms)} ${name}`;
}

function fileWrite(sh: Sh, cmd: string, args: string[]): Res {
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
    cfsCommit(sh.c, sh.node, path, `${cmd} ${t.abs}`, () => {});
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
    cfsCommit(sh.c, sh.node, path, `${cmd} ${t.abs}`, () => {});
    return res('');
  }
  return res(
    `${cmd}: changing ${t.abs} by hand is not simulated in this lab\n` +
      hint('use pvecm, ha-manager and qm to change the cluster configuration', 'utilisez pvecm, ha-manager et qm pour modifier la configuration'),
    1,
  );
}

// ---------------------------------------------------------------- ping

function ping(sh: Sh, args: string[]): Res {
  const { s, node } = sh;
  let count = 4;
  let host: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c') {
      const v = args[++i];
      if (!v || !/^\d+$/.test(v) || Number(v) < 1) return res(`ping: invalid argument: '${v ?? ''}'`, 1);
      count = Math.min(10, Number(v));
    } else if (/^-c\d+$/.test(a)) count = Math.min(10, Math.max(1, Number(a.slice(2))));
    else if (a.startsWith('-')) continue;
    else host = a;
  }
  if (!host) return res('ping: usage error: Destination address required', 1);
  const byName = s.config.nodes.find((x) => x.name === host || x.ip === host || `${x.name}.lab.local` === host);
  const q = s.config.qdevice;
  const myIp = nodeConfig(s, node)!.ip;
  let ip: string;
  let reach: (i: number) => boolean;
  let latency = 0.2;
  if (byName) {
    ip = byName.ip;
    if (byName.name === node) reach = () => true;
    else {
      const there = s.links[`${node}>${byName.name}`];
      const back = s.links[`${byName.name}>${node}`];
      const up = s.nodes[byName.name]!.power !== 'off' && !!there && !!back && !there.cut && !back.cut;
      const loss = Math.max(there?.loss ?? 0, back?.loss ?? 0);
      latency += ((there?.latencyMs ?? 0) + (back?.latencyMs ?? 0)) || 0;
      // Deterministic loss: the same command at the same time gives the same answer.
      reach = (i) => up && ((((s.now / 1000 + i) * 2654435761) >>> 0) % 1000) / 1000 >= loss;
    }
  } else if (q && host === q.ip) {
    ip = q.ip;
    const up = !!s.qdevice?.hostUp && !!s.qdevice.reach[node];
    reach = () => up;
  } else if (validIpv4(host)) {
    ip = host;
    reach = () => false;
  } else return res(`ping: ${host}: Name or service not known`, 2);
  const lines = [`PING ${host} (${ip}) 56(84) bytes of data.`];
  let got = 0;
  for (let i = 1; i <= count; i++) {
    if (reach(i)) {
      got++;
      lines.push(`64 bytes from ${ip}: icmp_seq=${i} ttl=64 time=${(latency + ((i * 37) % 100) / 1000).toFixed(3)} ms`);
    } else if (!byName || byName.name !== node) lines.push(`From ${myIp} icmp_seq=${i} Destination Host Unreachable`);
  }
  const errors = count - got;
  lines.push('', `--- ${host} ping statistics ---`);
  lines.push(
    `${count} packets transmitted, ${got} received, ${errors ? `+${errors} errors, ` : ''}${Math.round((errors / count) * 100)}% packet loss, time ${(count - 1) * 1000 + 3}ms`,
  );
  return res(lines.join('\n'), got ? 0 : 1);
}
