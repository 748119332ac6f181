// The sim state as named JSON parts, for ClusterStore (src/rooms/cluster-store.ts): one `core` part
// (config, VMs, incidents, votes, timeline, clock, RNG) plus the nodes in chunks of consecutive
// nodes (config order): `nodes:<c>` (their runtimes without /etc/pve), `cfs:<c>` (their /etc/pve
// copies) and `links:<c>` (the directed links leaving them).
//
// `splitState` serialises every part (the reference, and the store's periodic full check).
// `PartTexts` serialises only the parts that may have changed since its last call, so a steady
// tick of a 64-node cluster does not turn 400 KiB of unchanged /etc/pve copies and 4,032 links
// into text again (docs/performance.md, "What the room does per tick"):
// - an /etc/pve copy is copy-on-write in the engine (CfsDb, src/sim/types.ts: a rule makes a new
//   copy, never edits one in place): a copy already serialised is the same object, and its text is
//   remembered by identity;
// - links are flat objects edited in place by faults: their keys and values are compared with the
//   ones last serialised (a few µs per chunk), the chunk is serialised again only when one differs;
// - core and node runtimes change on nearly every tick (clock, heard times): always serialised.
// Both paths build each part with the same helper, so their texts are identical.
import { linkKey } from '../sim/index';
import type { CfsDb, ClusterState, LinkState, NodeRuntime } from '../sim/types';

export type Parts = Map<string, string>;

/** Nodes per chunk, by part kind: a node runtime is ~1.5 KiB at 64 nodes, an /etc/pve copy up to
 * ~6 KiB, the links leaving a node ~3 KiB. */
export const CHUNK = { nodes: 16, cfs: 8, links: 16 } as const;
type Kind = keyof typeof CHUNK;

interface Chunk {
  part: string;
  kind: Kind;
  names: string[];
  /** links:<c> only: the keys of the links leaving its nodes, in order */
  linkKeys: string[];
}

/** The chunks of each node list seen (the objects of one isolate may hold different clusters;
 * a list is a config's and seldom changes). */
const layouts = new Map<string, Chunk[]>();
function layout(s: ClusterState): Chunk[] {
  const names = s.config.nodes.map((n) => n.name);
  const key = names.join('\n');
  const known = layouts.get(key);
  if (known) return known;
  if (layouts.size >= 32) layouts.clear();
  const chunks: Chunk[] = [];
  for (const kind of ['nodes', 'cfs', 'links'] as const)
    for (let c = 0; c * CHUNK[kind] < names.length; c++) {
      const mine = names.slice(c * CHUNK[kind], (c + 1) * CHUNK[kind]);
      const linkKeys = kind === 'links' ? mine.flatMap((a) => names.filter((b) => b !== a).map((b) => linkKey(a, b))) : [];
      chunks.push({ part: `${kind}:${c}`, kind, names: mine, linkKeys });
    }
  layouts.set(key, chunks);
  return chunks;
}

/** `JSON.stringify` of an object with these keys and values, from the values' own JSON texts
 * (an undefined text leaves its key out, as JSON.stringify does). */
function objectText(keys: string[], texts: (string | undefined)[]): string {
  const out: string[] = [];
  keys.forEach((k, i) => {
    if (texts[i] !== undefined) out.push(`${JSON.stringify(k)}:${texts[i]}`);
  });
  return `{${out.join(',')}}`;
}

const coreText = (s: ClusterState): string => {
  const { nodes: _n, links: _l, ...core } = s;
  return JSON.stringify(core);
};
const runtimeText = (n: NodeRuntime): string => {
  const { cfs: _cfs, ...rest } = n;
  return JSON.stringify(rest);
};
const nodesText = (s: ClusterState, ch: Chunk) => objectText(ch.names, ch.names.map((name) => runtimeText(s.nodes[name]!)));
const linksText = (s: ClusterState, ch: Chunk) => objectText(ch.linkKeys, ch.linkKeys.map((k) => (s.links[k] === undefined ? undefined : JSON.stringify(s.links[k]))));

/** The state as named JSON parts, every one serialised (`joinState` puts nodes and links back in
 * config order). */
export function splitState(s: ClusterState): Parts {
  const parts: Parts = new Map([['core', coreText(s)]]);
  for (const ch of layout(s)) {
    if (ch.kind === 'nodes') parts.set(ch.part, nodesText(s, ch));
    else if (ch.kind === 'cfs') parts.set(ch.part, objectText(ch.names, ch.names.map((name) => JSON.stringify(s.nodes[name]!.cfs))));
    else parts.set(ch.part, linksText(s, ch));
  }
  return parts;
}

/** The inverse of `splitState`: nodes and links come back in config order, as createCluster made them. */
export function joinState(parts: Parts): ClusterState | null {
  const core = parts.get('core');
  if (!core) return null;
  const s = JSON.parse(core) as Omit<ClusterState, 'nodes' | 'links'>;
  const read = (kind: Kind) => {
    const all: Record<string, unknown> = {};
    for (let c = 0; c * CHUNK[kind] < s.config.nodes.length; c++) {
      const v = parts.get(`${kind}:${c}`);
      if (!v) throw new Error(`stored state lacks ${kind}:${c}`);
      Object.assign(all, JSON.parse(v));
    }
    return all;
  };
  const runtimes = read('nodes') as Record<string, Omit<NodeRuntime, 'cfs'>>;
  const cfs = read('cfs') as Record<string, NodeRuntime['cfs']>;
  const linkParts = read('links') as Record<string, LinkState>;
  const nodes: Record<string, NodeRuntime> = {};
  const links: Record<string, LinkState> = {};
  const names = s.config.nodes.map((n) => n.name);
  for (const name of names) nodes[name] = { ...runtimes[name]!, cfs: cfs[name]! };
  for (const a of names) for (const b of names) if (a !== b) links[linkKey(a, b)] = linkParts[linkKey(a, b)]!;
  return { ...s, nodes, links } as ClusterState;
}

/** Marks in a flat-values record: the end of one object, an absent object. */
const END = Symbol('end');
const ABSENT = Symbol('absent');

/** The keys and values of flat objects, in order (null: an object holds a nested value, which
 * cannot be compared this way). */
function flatValues(objs: (object | undefined)[]): unknown[] | null {
  const out: unknown[] = [];
  for (const o of objs) {
    if (o === undefined) {
      out.push(ABSENT);
      continue;
    }
    for (const k in o) {
      const v = (o as Record<string, unknown>)[k];
      if (typeof v === 'object' && v !== null) return null;
      out.push(k, v);
    }
    out.push(END);
  }
  return out;
}

/** Whether the objects at these keys are still flat and hold exactly the recorded keys and values
 * (no allocation: this runs for every link on every save). */
function sameFlat(rec: unknown[], keys: string[], objs: Record<string, object | undefined>): boolean {
  let i = 0;
  for (const key of keys) {
    const o = objs[key];
    if (o === undefined) {
      if (rec[i++] !== ABSENT) return false;
      continue;
    }
    for (const k in o) if (rec[i++] !== k || rec[i++] !== (o as Record<string, unknown>)[k]) return false;
    if (rec[i++] !== END) return false;
  }
  return i === rec.length;
}

/** Serialises the parts that may have changed since the previous call (see the top of the file). */
export class PartTexts {
  /** an /etc/pve copy's JSON, by identity (copy-on-write: the same object has the same text) */
  private cfsText = new WeakMap<CfsDb, string>();
  /** cfs:<c> -> the copies its last text was made of */
  private cfsSeen = new Map<string, CfsDb[]>();
  /** links:<c> -> the keys and values its last text was made of */
  private linksSeen = new Map<string, unknown[]>();

  /** The parts that may differ from the previous call's, with their text; parts left out are
   * unchanged. The first call returns every part. */
  changed(s: ClusterState): Parts {
    const parts: Parts = new Map([['core', coreText(s)]]);
    for (const ch of layout(s)) {
      if (ch.kind === 'nodes') parts.set(ch.part, nodesText(s, ch));
      else if (ch.kind === 'cfs') {
        const dbs = ch.names.map((name) => s.nodes[name]!.cfs);
        const seen = this.cfsSeen.get(ch.part);
        if (seen && seen.length === dbs.length && dbs.every((db, i) => db === seen[i])) continue;
        this.cfsSeen.set(ch.part, dbs);
        parts.set(ch.part, objectText(ch.names, dbs.map((db) => this.textOf(db))));
      } else {
        const seen = this.linksSeen.get(ch.part);
        if (seen && sameFlat(seen, ch.linkKeys, s.links)) continue;
        const rec = flatValues(ch.linkKeys.map((k) => s.links[k]));
        if (rec) this.linksSeen.set(ch.part, rec);
        else this.linksSeen.delete(ch.part);
        parts.set(ch.part, linksText(s, ch));
      }
    }
    return parts;
  }

  private textOf(db: CfsDb): string {
    let t = this.cfsText.get(db);
    if (t === undefined) this.cfsText.set(db, (t = JSON.stringify(db)));
    return t;
  }
}
