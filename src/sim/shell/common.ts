// Shared pieces of the node terminal: the shell context, result helpers, option parsing and
// the refusal texts every tool uses.
import { partitionOf, sortByNodeid, type Ctx } from '../kernel.js';
import { cfsRefuse } from '../rules/pmxcfs.js';
import { partitionInfo, type PartitionInfo } from '../rules/votequorum.js';
import type { ClusterState, CommandResult, NodeName, NodeRuntime } from '../types.js';

/** Longest accepted input line (the protocol caps frames too; this is the shell's own limit). */
export const MAX_COMMAND_LENGTH = 500;
/** ha-manager status marks a timestamp older than this (by the local clock) as dead. */
export const HA_STALE_MS = 30_000;
/** Names of the storages in storage.cfg for the two kinds of VM disks. */
export const STORAGE_ID = { shared: 'shared', local: 'local-lvm' } as const;

export interface Sh {
  c: Ctx;
  s: ClusterState;
  node: NodeName;
  n: NodeRuntime;
}

export type Res = CommandResult;
export const res = (output: string, exitCode = 0): Res => ({ output, exitCode });
export const hint = (en: string, fr: string) => `hint: ${en}\nastuce : ${fr}`;

// ---------------------------------------------------------------- shared helpers

export function myPartition(sh: Sh): { p: NodeName[]; info: PartitionInfo } {
  const p = sortByNodeid(sh.s, partitionOf(sh.s, sh.node) ?? [sh.node]);
  return { p, info: partitionInfo(sh.s, p) };
}

export function tSec(s: ClusterState): string {
  return `t=${Math.round(s.now / 1000)} s`;
}

/** Options of the PVE command-line tools: `--name value`, `--name=value`, `-name value`, flags. */
export interface Parsed {
  pos: string[];
  opts: Record<string, string>;
  error?: string;
}
export function parseOpts(args: string[], spec: Record<string, 'bool' | 'string'>): Parsed {
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

export function optError(parsed: Parsed, usage: string): Res {
  return res(`${parsed.error}\n400 unable to parse option\n${usage}`, 255);
}

export function paramError(field: string, msg: string, usage: string): Res {
  return res(`400 Parameter verification failed.\n${field}: ${msg}\n${usage}`, 255);
}

export function vmidError(raw: string | undefined, usage: string): Res | number {
  if (raw === undefined) return res(`400 not enough arguments\n${usage}`, 255);
  if (!/^\d+$/.test(raw)) return paramError('vmid', 'invalid format - value does not look like a valid VM ID', usage);
  const id = Number(raw);
  if (id < 100) return paramError('vmid', 'value must have a minimum value of 100', usage);
  if (id > 999_999_999) return paramError('vmid', 'value may not exceed 999999999', usage);
  return id;
}

/** The write pmxcfs refuses on this inquorate node (recorded, nothing changes). */
export function refuseNoQuorum(sh: Sh, path: string, what: string): void {
  cfsRefuse(sh.c, sh.node, path, what);
}

export const NO_QUORUM = 'cluster not ready - no quorum?';
export const HA_LOCK = "cfs-lock 'domain-ha' error: no quorum!";

export function tooMany(args: string[], from: number, usage: string): Res | null {
  return args.length > from ? res(`400 too many arguments\n${usage}`, 255) : null;
}
