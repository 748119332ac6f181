// ha-manager groupadd | groupset | groupremove | groupconfig (HA groups, PVE ≤ 8) and the resource
// options that refer to them (--group, --max_restart, --max_relocate).
import type { CfsDb, HaGroup, HaService } from '../types.js';
import { HA_GROUPS, haLockRefused, haPutGroup, haRemoveGroup, type HaResourceKey } from '../rules/ha-config.js';
import { HA_LOCK, optError, paramError, parseOpts, type Res, res, type Sh } from './common.js';

const GROUP_OPTS = { nodes: 'string', restricted: 'bool', nofailback: 'bool', comment: 'string', delete: 'string' } as const;
/** pve-configid, the format of a group name. */
const CONFIG_ID = /^[a-z][a-z0-9_-]+$/i;
/** one entry of pve-ha-group-node-list: a node name with an optional priority */
const GROUP_NODE = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?)(?::(\d+))?$/i;

/** `cfs_lock_domain('ha')` refused without quorum, prefixed like lock_ha_domain's error text. */
const lockError = (what: string) => res(`${what}: ${HA_LOCK}`, 255);

function parseNodes(raw: string, usage: string): { error: Res } | { nodes: Record<string, number> } {
  const nodes: Record<string, number> = {};
  const entries = raw.split(/[,;\s]+/).filter(Boolean);
  if (!entries.length) return { error: paramError('nodes', 'property is missing and it is not optional', usage) };
  for (const e of entries) {
    const m = GROUP_NODE.exec(e);
    if (!m) return { error: paramError('nodes', `invalid format - unable to parse ha group node '${e}'`, usage) };
    nodes[m[1]!] = m[3] === undefined ? 0 : Number(m[3]);
  }
  return { nodes };
}

function groupName(raw: string | undefined, usage: string): Res | string {
  if (raw === undefined) return res(`400 not enough arguments\n${usage}`, 255);
  if (!CONFIG_ID.test(raw)) return paramError('group', `invalid format - invalid configuration ID '${raw}'`, usage);
  return raw;
}

export function groupAdd(sh: Sh, args: string[]): Res {
  const usage = 'ha-manager groupadd <group> --nodes <string> [OPTIONS]';
  const parsed = parseOpts(args, GROUP_OPTS);
  if (parsed.error) return optError(parsed, usage);
  const name = groupName(parsed.pos[0], usage);
  if (typeof name !== 'string') return name;
  if (parsed.pos.length > 1) return res(`400 too many arguments\n${usage}`, 255);
  if (parsed.opts.nodes === undefined) return paramError('nodes', 'property is missing and it is not optional', usage);
  const pn = parseNodes(parsed.opts.nodes, usage);
  if ('error' in pn) return pn.error;
  const nodes = pn.nodes;
  const what = `ha-manager groupadd ${name}`;
  if (!sh.n.quorate) {
    haLockRefused(sh.c, sh.node, HA_GROUPS, what);
    return res('cluster not ready - no quorum?', 255);
  }
  if (sh.n.cfs.groups?.[name]) return res(`create ha group failed: ha group ID '${name}' already defined`, 255);
  haPutGroup(sh.c, sh.node, name, withFlags({ nodes }, parsed.opts, []), `${what} --nodes ${formatNodes(nodes)}`);
  return res('');
}

type GroupFlag = 'restricted' | 'nofailback' | 'comment';

/** A group with the flags given on the command line set, and the `--delete`d ones removed. */
function withFlags(g: HaGroup, opts: Record<string, string>, dels: GroupFlag[]): HaGroup {
  const out: HaGroup = {
    ...g,
    ...(opts.restricted !== undefined ? { restricted: opts.restricted === '1' } : {}),
    ...(opts.nofailback !== undefined ? { nofailback: opts.nofailback === '1' } : {}),
    ...(opts.comment !== undefined ? { comment: opts.comment } : {}),
  };
  return Object.fromEntries(Object.entries(out).filter(([k]) => !dels.includes(k as GroupFlag))) as unknown as HaGroup;
}

export function groupSet(sh: Sh, args: string[]): Res {
  const usage = 'ha-manager groupset <group> [OPTIONS]';
  const parsed = parseOpts(args, GROUP_OPTS);
  if (parsed.error) return optError(parsed, usage);
  const name = groupName(parsed.pos[0], usage);
  if (typeof name !== 'string') return name;
  if (parsed.pos.length > 1) return res(`400 too many arguments\n${usage}`, 255);
  const pn = parsed.opts.nodes === undefined ? undefined : parseNodes(parsed.opts.nodes, usage);
  if (pn && 'error' in pn) return pn.error;
  const nodes = pn?.nodes;
  const dels = (parsed.opts.delete ?? '').split(/[,;\s]+/).filter(Boolean);
  const what = `ha-manager groupset ${name}`;
  if (!sh.n.quorate) {
    haLockRefused(sh.c, sh.node, HA_GROUPS, what);
    return lockError('update ha group failed');
  }
  const old = sh.n.cfs.groups?.[name];
  if (!old) return res(`update ha group failed: no such ha group '${name}'`, 255);
  for (const d of dels) {
    if (d === 'nodes') return res(`update ha group failed: unable to delete required option '${d}'`, 255);
    if (d !== 'restricted' && d !== 'nofailback' && d !== 'comment') return res(`update ha group failed: no such option '${d}'`, 255);
  }
  haPutGroup(sh.c, sh.node, name, withFlags({ ...old, ...(nodes ? { nodes } : {}) }, parsed.opts, dels as GroupFlag[]), what);
  return res('');
}

export function groupRemove(sh: Sh, args: string[]): Res {
  const usage = 'ha-manager groupremove <group>';
  const parsed = parseOpts(args, {});
  if (parsed.error) return optError(parsed, usage);
  const name = groupName(parsed.pos[0], usage);
  if (typeof name !== 'string') return name;
  if (parsed.pos.length > 1) return res(`400 too many arguments\n${usage}`, 255);
  const what = `ha-manager groupremove ${name}`;
  if (!sh.n.quorate) {
    haLockRefused(sh.c, sh.node, HA_GROUPS, what);
    return lockError('delete ha group failed');
  }
  const user = Object.values(sh.n.cfs.ha).find((x) => x.group === name);
  if (user) return res(`delete ha group failed: ha group is used by service '${user.sid}'`, 255);
  haRemoveGroup(sh.c, sh.node, name, what);
  return res('');
}

const formatNodes = (nodes: Record<string, number>) =>
  Object.entries(nodes)
    .map(([n, p]) => (p ? `${n}:${p}` : n))
    .join(',');

/** ha/groups.cfg, and `ha-manager groupconfig`: `group: <name>`, then the keys in sorted order. */
export function groupsCfg(db: CfsDb): string {
  return Object.entries(db.groups ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, g]) => {
      const keys: [string, string | undefined][] = [
        ['comment', g.comment],
        ['nodes', formatNodes(g.nodes)],
        ['nofailback', g.nofailback === undefined ? undefined : g.nofailback ? '1' : '0'],
        ['restricted', g.restricted === undefined ? undefined : g.restricted ? '1' : '0'],
      ];
      return [`group: ${name}`, ...keys.filter(([, v]) => v !== undefined).map(([k, v]) => `\t${k} ${v}`)].join('\n');
    })
    .join('\n\n');
}

/** The resource options of `ha-manager add|set` besides the state; a Res on a bad value. */
export function resourceOpts(
  sh: Sh,
  opts: Record<string, string>,
  usage: string,
  /** `set` checks the group exists (in this node's copy, before the lock); `add` does not */
  checkGroup: boolean,
): Res | { patch: Partial<Pick<HaService, HaResourceKey>>; dels: HaResourceKey[] } {
  const patch: Partial<Pick<HaService, HaResourceKey>> = {};
  for (const [opt, key] of [
    ['max_restart', 'maxRestart'],
    ['max_relocate', 'maxRelocate'],
  ] as const) {
    const raw = opts[opt];
    if (raw === undefined) continue;
    if (!/^\d+$/.test(raw)) return paramError(opt, `type check ('integer') failed - got '${raw}'`, usage);
    if (Number(raw) > 10) return paramError(opt, 'value must have a maximum value of 10', usage);
    patch[key] = Number(raw);
  }
  if (opts.group !== undefined) {
    if (!CONFIG_ID.test(opts.group)) return paramError('group', `invalid format - invalid configuration ID '${opts.group}'`, usage);
    if (checkGroup && !sh.n.cfs.groups?.[opts.group]) return res(`HA group '${opts.group}' does not exist`, 255);
    patch.group = opts.group;
  }
  const names: Record<string, HaResourceKey> = { group: 'group', max_restart: 'maxRestart', max_relocate: 'maxRelocate' };
  const dels: HaResourceKey[] = [];
  for (const d of (opts.delete ?? '').split(/[,;\s]+/).filter(Boolean)) {
    const k = names[d];
    if (!k) return res(`update resource failed: no such option '${d}'`, 255);
    dels.push(k);
  }
  return { patch, dels };
}
