// corosync-cmapctl: the node's configuration map — the keys corosync reads from corosync.conf (as
// `cat /etc/pve/corosync.conf` shows them, so any option or totem value there appears here) plus
// the runtime.votequorum.*, runtime.config.totem.* and runtime.members.* keys (corosync-cmapctl.c,
// coroparse.c, votequorum.c of corosync 3.1.7).
import { ringAddrs } from '../rules/networks.js';
import { nodeid, sortByNodeid } from '../kernel.js';
import { twoNodeActive, waitForAllArms } from '../rules/votequorum.js';
import { hint, myPartition, type Res, res, type Sh } from './common.js';
import { corosyncDown } from './corosync.js';
import { corosyncConf } from './pve-files.js';

type CmapType = 'u8' | 'u32' | 'u64' | 'str';
interface CmapEntry {
  key: string;
  type: CmapType;
  value: string | number;
}

/** Keys coroparse stores as integers; every other corosync.conf value is a string. */
const U8 = /^(quorum\.(two_node|wait_for_all|auto_tie_breaker|last_man_standing|allow_downscale|expected_votes_tracking|device\.master_wins)|totem\.interface\.\d\.knet_link_priority)$/;
const U32 =
  /^(totem\.(version|token|token_coefficient|consensus|join|merge|hold|token_retransmit|token_retransmits_before_loss_const|max_messages|window_size|netmtu)|quorum\.(expected_votes|votes|last_man_standing_window|leaving_timeout|device\.(votes|timeout|sync_timeout))|nodelist\.node\.\d+\.(nodeid|quorum_votes))$/;
const U64 = /^totem\.config_version$/;

const typeOf = (key: string): CmapType => (U8.test(key) ? 'u8' : U32.test(key) ? 'u32' : U64.test(key) ? 'u64' : 'str');

/** corosync.conf as coroparse flattens it: `section.sub.key`, `nodelist.node.<i>.key`, and the
 * interface block indexed by its link number. */
export function configKeys(conf: string): CmapEntry[] {
  const out: CmapEntry[] = [];
  const path: string[] = [];
  let nodeIndex = 0;
  for (const raw of conf.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const open = /^(\S+)\s*\{$/.exec(line);
    if (open) {
      const name = open[1]!;
      if (name === 'node' && path.join('.') === 'nodelist') path.push(`node.${nodeIndex++}`);
      else if (name === 'interface' && path.join('.') === 'totem') path.push('interface.0');
      else path.push(name);
      continue;
    }
    if (line === '}') {
      path.pop();
      continue;
    }
    const kv = /^([^:\s]+):\s*(.*)$/.exec(line);
    if (!kv) continue;
    // linknumber is the index of its interface block, not a key (rendered first in the block).
    if (kv[1] === 'linknumber' && path.at(-1)?.startsWith('interface.')) {
      path[path.length - 1] = `interface.${kv[2]}`;
      continue;
    }
    const key = [...path, kv[1]!].join('.');
    const type = typeOf(key);
    out.push({ key, type, value: type === 'str' ? kv[2]! : Number(kv[2]) });
  }
  return out;
}

/** The runtime keys this node's corosync publishes: votequorum state, totem timeouts, members. */
function runtimeKeys(sh: Sh): CmapEntry[] {
  const { s, n, node } = sh;
  const { p, info } = myPartition(sh);
  const members = sortByNodeid(s, n.members.length ? n.members : p);
  const ids = members.map((m) => nodeid(s, m));
  const token = s.config.timing.tokenMs;
  const opts = s.config.options;
  const out: CmapEntry[] = [
    { key: 'runtime.config.totem.consensus', type: 'u32', value: Math.round(token * 1.2) },
    { key: 'runtime.config.totem.token', type: 'u32', value: token },
  ];
  for (const m of members) {
    const id = nodeid(s, m);
    const ips = ringAddrs(s, sh.n, m).map((ip, i) => `r(${i}) ip(${ip}) `).join('');
    out.push(
      { key: `runtime.members.${id}.config_version`, type: 'u64', value: 0 },
      { key: `runtime.members.${id}.ip`, type: 'str', value: ips },
      { key: `runtime.members.${id}.join_count`, type: 'u32', value: 1 },
      { key: `runtime.members.${id}.status`, type: 'str', value: 'joined' },
    );
  }
  if (opts.auto_tie_breaker) out.push({ key: 'runtime.votequorum.atb_type', type: 'u32', value: 0 });
  out.push(
    { key: 'runtime.votequorum.ev_barrier', type: 'u32', value: info.expected },
    { key: 'runtime.votequorum.highest_node_id', type: 'u32', value: Math.max(...ids) },
    { key: 'runtime.votequorum.lowest_node_id', type: 'u32', value: Math.min(...ids) },
    { key: 'runtime.votequorum.this_node_id', type: 'u32', value: nodeid(s, node) },
    { key: 'runtime.votequorum.two_node', type: 'u8', value: twoNodeActive(s) ? 1 : 0 },
    { key: 'runtime.votequorum.wait_for_all_status', type: 'u8', value: waitForAllArms(s) && !n.wfaDone ? 1 : 0 },
  );
  return out;
}

/** Every key of the map, in cmap's (alphabetical) order. */
export function cmapEntries(sh: Sh): CmapEntry[] {
  return [...configKeys(corosyncConf(sh)), ...runtimeKeys(sh)].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const show = (e: CmapEntry) => `${e.key} (${e.type}) = ${e.value}`;

export function cmapctl(sh: Sh, args: string[]): Res {
  let get = false;
  const names: string[] = [];
  for (const a of args) {
    if (a === '-g') get = true;
    else if (a === '-b') continue;
    else if (a === '-h')
      return res('usage:  corosync-cmapctl [-b] [-DdghsqTCt] [-p filename] [-m map] [params...]\n\nGet key:\n    corosync-cmapctl [-b] -g key_name...\n\nDisplay all keys:\n    corosync-cmapctl [-b]\n\nDisplay keys with prefix key_name:\n    corosync-cmapctl [-b] key_name...');
    else if (/^-[sdDpmTtCq]/.test(a))
      return res(
        `corosync-cmapctl ${a}: not simulated in this lab\n` +
          hint('read keys only: corosync-cmapctl totem. / quorum. / runtime.votequorum.', 'lecture seule : corosync-cmapctl totem. / quorum. / runtime.votequorum.'),
        1,
      );
    else if (a.startsWith('-')) return res(`corosync-cmapctl: invalid option -- '${a.slice(1, 2)}'`, 1);
    else names.push(a);
  }
  if (corosyncDown(sh)) return res('Failed to initialize the cmap API. Error CS_ERR_LIBRARY', 1);
  const all = cmapEntries(sh);
  if (get) {
    const lines: string[] = [];
    for (const k of names) {
      const e = all.find((x) => x.key === k);
      if (!e) return res([...lines, `Can't get key ${k}. Error CS_ERR_NOT_EXIST`].join('\n'), 1);
      lines.push(show(e));
    }
    return res(lines.join('\n'));
  }
  if (names.length === 0) return res(all.map(show).join('\n'));
  const lines = names.flatMap((pre) => all.filter((e) => e.key.startsWith(pre)).map(show));
  return res(lines.join('\n'), lines.length ? 0 : 1);
}
