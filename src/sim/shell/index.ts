// The node terminal: a small shell that answers like a Proxmox VE node would, from THAT node's
// point of view (its partition, its quorum state, its /etc/pve copy). Layouts follow docs/commands.md.
// Every input gets an answer; nothing here throws to the engine. The shell parses, calls a rule
// action (src/sim/rules/) and prints: it never changes the state itself, so a write to /etc/pve
// is refused on a node without quorum exactly where pmxcfs refuses it (rules/pmxcfs.ts).
// This file: the tokenizer, the pipeline and the filters after a pipe; tools are in registry.ts.
import { nodeConfig, type Ctx } from '../kernel.js';
import { writeHostsLine } from '../rules/cluster-build.js';
import { cfsRefuse, cfsTouch } from '../rules/pmxcfs.js';
import { CLEAR_SCREEN, padL, trimLines } from '../format.js';
import type { CommandResult, NodeName } from '../types.js';
import { hint, MAX_COMMAND_LENGTH, type Res, res, type Sh } from './common.js';
import { inPve, resolvePath } from './files.js';
import { qnetdDispatch, qnetdUnreachable, QNETD_HOST } from './qnetd.js';
import { dispatch } from './registry.js';

export function runCommand(c: Ctx, node: NodeName, line: string): CommandResult {
  try {
    const r = runLine(c, node, typeof line === 'string' ? line : String(line));
    return r.output === CLEAR_SCREEN ? r : { ...r, output: trimLines(r.output).replace(/\n+$/, '') };
  } catch (e) {
    // A bug in a command must not take the room down: report it like a crashed tool.
    const msg = e instanceof Error ? e.message : String(e);
    return res(`-bash: internal error: ${msg}`, 70);
  }
}

// ---------------------------------------------------------------- shell front end

export type Tok = { op: boolean; v: string };

export function tokenize(line: string): Tok[] | string {
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

export function runLine(c: Ctx, node: NodeName, raw: string): Res {
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
  if (!c.s.nodes[node]) {
    if (node === QNETD_HOST && c.s.config.qdevice) return runQnetdLine(c, line);
    return res(`ssh: Could not resolve hostname ${node}: Name or service not known`, 255);
  }
  const n = c.s.nodes[node]!;
  if (n.power === 'off')
    return res(`ssh: connect to host ${nodeConfig(c.s, node)?.ip ?? node} port 22: No route to host\n(${node} is powered off / ${node} est éteint)`, 255);
  if (n.power === 'booting') {
    const left = Math.max(0, Math.ceil(((n.bootUntil ?? c.s.now) - c.s.now) / 1000));
    return res(`ssh: connect to host ${nodeConfig(c.s, node)?.ip ?? node} port 22: Connection refused\n(${node} is booting, ready in ${left} s / ${node} démarre, prêt dans ${left} s)`, 255);
  }
  const sh: Sh = { c, s: c.s, node, n };
  const parsed = parsePipeline(line);
  if ('exitCode' in parsed) return parsed;
  const { words, redirect, rest } = parsed;
  if (words.length === 0) return res('');

  if (redirect !== null) {
    const abs = resolvePath(sh, redirect);
    if (inPve(abs)) {
      if (!sh.n.quorate) {
        cfsRefuse(c, node, abs.slice('/etc/pve/'.length), `${words[0]} > ${abs}`);
        return res(`-bash: ${redirect}: Permission denied`, 1);
      }
      const r = dispatch(sh, words);
      cfsTouch(c, node, abs.slice('/etc/pve/'.length), `${words[0]} > ${abs}`);
      return res('', r.exitCode);
    }
    const r = dispatch(sh, words);
    // echo "IP NAME" > /etc/hosts: the one local file whose content the lab tracks (pvecm add).
    if (abs === '/etc/hosts' && words[0] === 'echo' && r.exitCode === 0) writeHostsLine(c.s, node, r.output.split(/\s+/).filter(Boolean));
    return res('', r.exitCode);
  }
  return pipeThrough(dispatch(sh, words), rest);
}

/** The QDevice host's terminal (the `qnetd` pseudo-node): same pipes, its own few commands. */
function runQnetdLine(c: Ctx, line: string): Res {
  if (!c.s.qdevice?.hostUp) return qnetdUnreachable(c.s);
  const parsed = parsePipeline(line);
  if ('exitCode' in parsed) return parsed;
  if (parsed.words.length === 0) return res('');
  const r = qnetdDispatch(c, parsed.words);
  return parsed.redirect !== null ? res('', r.exitCode) : pipeThrough(r, parsed.rest);
}

/** A line split into the first command's words, its output redirection and the stages after `|`. */
interface Pipeline {
  words: string[];
  redirect: string | null;
  rest: string[][];
}

function parsePipeline(line: string): Pipeline | Res {
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
  if (stages.slice(1).some((st) => st.some((t) => t.op))) return res(`-bash: redirections after a pipe are not supported here`, 2);

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
  return { words, redirect, rest: stages.slice(1).map((st) => st.map((t) => t.v)) };
}

function pipeThrough(first: Res, rest: string[][]): Res {
  let r = first;
  for (const argv of rest) {
    if (r.output === CLEAR_SCREEN) r = res('');
    r = filter(r, argv);
  }
  return r;
}

/** The right-hand side of a pipe: grep, head, tail, wc -l, cat/less/more. */
export function filter(input: Res, argv: string[]): Res {
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
