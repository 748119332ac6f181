// corosync.conf as corosync reads it: the section syntax of coroparse, then the checks corosync
// makes on the nodelist and the knet links (totemconfig), with their real messages. Pure: the
// cluster-dependent checks (known nodes, networks, config_version, quorum) are in
// rules/corosync-conf.ts (`saveEdit`). docs/sim.md, "corosync.conf".
import type { CorosyncLink, NodeName } from './types.js';

/** Longest corosync.conf the lab reads (a real one is about 1 KiB). */
export const MAX_CONF_BYTES = 4096;
/** knet links: linknumber 0…7. */
export const MAX_LINKS = 8;

export interface ConfSection {
  name: string;
  /** 1-based line of the opening brace (0: the file itself) */
  line: number;
  items: { key: string; value: string; line: number }[];
  sections: ConfSection[];
}

export interface ConfError {
  /** what corosync (or the lab, for what it adds) says */
  message: string;
  /** 1-based line, when one line is at fault */
  line?: number;
}

/**
 * coroparse's reading of the file: a line holding `{` opens a section named by what precedes it,
 * else a line holding `:` is `key: value`, else a line holding `}` closes the section; comments
 * (`#` first) and anything else are skipped. Unbalanced braces are its two parser errors.
 */
export function parseSections(text: string): { root: ConfSection } | { error: ConfError } {
  const root: ConfSection = { name: '', line: 0, items: [], sections: [] };
  const stack = [root];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const top = stack[stack.length - 1]!;
    const brace = line.indexOf('{');
    if (brace >= 0) {
      const name = line.slice(0, brace).trim().replace(/:$/, '').trim();
      const sec: ConfSection = { name, line: i + 1, items: [], sections: [] };
      top.sections.push(sec);
      stack.push(sec);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon >= 0) {
      top.items.push({ key: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim(), line: i + 1 });
      continue;
    }
    if (line.includes('}')) {
      if (stack.length === 1) return { error: { message: 'parser error: Unexpected closing brace', line: i + 1 } };
      stack.pop();
    }
  }
  if (stack.length > 1) return { error: { message: 'parser error: Missing closing brace', line: stack[stack.length - 1]!.line } };
  return { root };
}

/** What the lab reads from a corosync.conf: the nodelist and the knet links. */
export interface ConfModel {
  configVersion: number | null;
  clusterName: string | null;
  nodes: { name: string | null; nodeid: number | null; votes: number | null; rings: Record<number, string>; line: number }[];
  /** one per link that has addresses, with its interface block's priority */
  links: CorosyncLink[];
}

const section = (s: ConfSection, name: string) => s.sections.filter((x) => x.name === name);
const INT = /^-?\d+$/;

/** coroparse's integer keys and the checks of totemconfig, then the links assembled. */
export function readConf(text: string): { conf: ConfModel } | { error: ConfError } {
  const parsed = parseSections(text);
  if ('error' in parsed) return parsed;
  const root = parsed.root;
  const intOf = (it: { key: string; value: string; line: number }): number | ConfError =>
    INT.test(it.value) ? Number(it.value) : { message: `Value of key "${it.key}" must be integer, but "${it.value}" was given`, line: it.line };

  const totem = section(root, 'totem')[0];
  let configVersion: number | null = null;
  let clusterName: string | null = null;
  const priorities = new Map<number, { priority: number | undefined; line: number }>();
  if (totem) {
    for (const it of totem.items) {
      if (it.key === 'config_version') {
        const v = intOf(it);
        if (typeof v !== 'number') return { error: v };
        configVersion = v;
      }
      if (it.key === 'cluster_name') clusterName = it.value;
    }
    for (const iface of section(totem, 'interface')) {
      let linknumber = 0;
      let priority: number | undefined;
      for (const it of iface.items) {
        if (it.key !== 'linknumber' && it.key !== 'ringnumber' && it.key !== 'knet_link_priority') continue;
        const v = intOf(it);
        if (typeof v !== 'number') return { error: v };
        if (it.key === 'knet_link_priority') priority = v;
        else linknumber = v;
      }
      if (linknumber < 0 || linknumber >= MAX_LINKS)
        return { error: { message: `parse error in config: linknumber ${linknumber} is out of range (0 to ${MAX_LINKS - 1})`, line: iface.line } };
      if (priority !== undefined && (priority < 0 || priority > 255))
        return { error: { message: `parse error in config: knet_link_priority ${priority} is out of range (0 to 255)`, line: iface.line } };
      priorities.set(linknumber, { priority, line: iface.line });
    }
  }

  const nodes: ConfModel['nodes'] = [];
  for (const nl of section(root, 'nodelist'))
    for (const nd of section(nl, 'node')) {
      const node: ConfModel['nodes'][number] = { name: null, nodeid: null, votes: null, rings: {}, line: nd.line };
      for (const it of nd.items) {
        if (it.key === 'nodeid' || it.key === 'quorum_votes') {
          const v = intOf(it);
          if (typeof v !== 'number') return { error: v };
          if (it.key === 'nodeid') node.nodeid = v;
          else node.votes = v;
        } else if (it.key === 'name') node.name = it.value;
        else {
          const ring = /^ring(\d+)_addr$/.exec(it.key);
          if (ring) node.rings[Number(ring[1])] = it.value;
        }
      }
      if (node.rings[0] === undefined) return { error: { message: 'No ring0_addr specified for node', line: nd.line } };
      nodes.push(node);
    }

  const seen = new Map<number, number>();
  for (const n of nodes) {
    if (n.nodeid === null) continue;
    if (seen.has(n.nodeid)) return { error: { message: `Nodeid ${n.nodeid} appears twice in corosync.conf`, line: n.line } };
    seen.set(n.nodeid, n.line);
  }
  for (const n of nodes)
    for (const k of Object.keys(n.rings).map(Number))
      if (k >= MAX_LINKS) return { error: { message: `parse error in config: ring${k}_addr: linknumber ${k} is out of range (0 to ${MAX_LINKS - 1})`, line: n.line } };

  const numbers = [...new Set(nodes.flatMap((n) => Object.keys(n.rings).map(Number)))].sort((a, b) => a - b);
  if (numbers.length > 1) {
    const unnamed = nodes.find((n) => n.name === null);
    if (unnamed) return { error: { message: "parse error in config: for a multi-link configuration, all nodes must have a 'name' attribute", line: unnamed.line } };
    const short = nodes.find((n) => numbers.some((k) => n.rings[k] === undefined));
    if (short) return { error: { message: 'parse error in config: Not all nodes have the same number of links', line: short.line } };
  }
  for (const [k, iface] of priorities)
    if (!numbers.includes(k))
      return { error: { message: `parse error in config: interface section for link ${k}, but no node has a ring${k}_addr`, line: iface.line } };

  const links: CorosyncLink[] = numbers.map((k) => {
    const addrs: Record<NodeName, string> = {};
    for (const n of nodes) if (n.name !== null && n.rings[k] !== undefined) addrs[n.name] = n.rings[k]!;
    const priority = priorities.get(k)?.priority;
    return priority === undefined ? { linknumber: k, addrs } : { linknumber: k, priority, addrs };
  });
  return { conf: { configVersion, clusterName, nodes, links } };
}
