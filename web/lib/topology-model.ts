// The topology drawing's model: a TopoInput (topology-input.ts) placed on a plane, as shapes with
// coordinates and bilingual labels. No DOM: unit-tested in Node (test/unit/topology.test.ts);
// topology-svg.ts turns it into SVG. Every state carries a glyph (a shape) and a word, never only a
// colour. Groups (partitions) flow into rows of at most `maxCols` node columns: 2 fits a phone.
import type { Bi, LinkState, NodeState, TopoGroup, TopoInput, TopoLink, TopoVm } from './topology-input';

export type { Bi } from './topology-input';

export interface NodeShape {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  state: NodeState;
  self: boolean;
  glyph: string;
  word: Bi;
  vms: { text: string; run: TopoVm['run']; ha: boolean }[];
  /** VMs not listed for lack of room */
  more: number;
  cfs: Bi | null;
}
export interface GroupShape {
  x: number;
  y: number;
  w: number;
  h: number;
  kind: TopoGroup['kind'];
  members: string[];
  quorate: boolean;
  /** two lines: what the group is, then its quorum (a single node's group is narrow) */
  label: Bi;
  state: Bi | null;
}
export interface LinkShape {
  a: string;
  b: string;
  state: LinkState;
  /** start, control point (a gentle curve so a link never hides under a node), end; one-way links
   * start at the side that still sends */
  path: [number, number, number, number, number, number];
  mid: [number, number];
  /** a glyph on the link (✕ cut, ? silent, ~ lossy, → one-way); its words are in the legend */
  mark: string | null;
  label: Bi | null;
}
export interface LegendLine {
  x: number;
  y: number;
  state: LinkState;
  text: Bi;
}
export interface QdeviceShape {
  x: number;
  y: number;
  w: number;
  h: number;
  up: boolean | null;
  word: Bi;
  lines: { node: string; x1: number; y1: number; x2: number; y2: number; reach: boolean }[];
  vote: { x1: number; y1: number; x2: number; y2: number; label: Bi } | null;
}
export interface TopoModel {
  width: number;
  height: number;
  viewpoint: string | null;
  groups: GroupShape[];
  links: LinkShape[];
  nodes: NodeShape[];
  qdevice: QdeviceShape | null;
  /** one line per link that does not work, under the drawing */
  legend: LegendLine[];
  /** the drawing in one sentence, for screen readers */
  summary: Bi;
}

export const NODE_W = 156;
const GAP = 18; // between nodes of a group
const PAD = 12; // inside a group
const HEAD = 46; // a group's two label lines
const GROUP_GAP = 26;
const MARGIN = 10;
const LINE = 17; // one text line
const MAX_VMS = 3;
const QD_W = 170;
const QD_H = 46;
const QD_GAP = 44;

export const NODE_WORDS: Record<NodeState, { glyph: string; word: Bi }> = {
  quorate: { glyph: '✓', word: { fr: 'quorum', en: 'quorate' } },
  inquorate: { glyph: '⚠', word: { fr: 'sans quorum', en: 'no quorum' } },
  off: { glyph: '⏻', word: { fr: 'éteint', en: 'off' } },
  booting: { glyph: '↻', word: { fr: 'démarrage', en: 'booting' } },
  unknown: { glyph: '?', word: { fr: 'non entendu', en: 'not heard' } },
};

export const LINK_WORDS: Record<LinkState, { mark: string | null; word: Bi | null }> = {
  ok: { mark: null, word: null },
  cut: { mark: '✕', word: { fr: 'coupé', en: 'cut' } },
  lossy: { mark: '~', word: { fr: 'dégradé', en: 'degraded' } },
  'one-way': { mark: '→', word: { fr: 'sens unique', en: 'one-way' } },
  silent: { mark: '?', word: { fr: 'non entendu d’ici', en: 'not heard from here' } },
};
const MAX_LEGEND = 6;
/** more nodes than this: healthy links are left out of the drawing (a 12-node mesh is 66 lines) */
const DENSE = 6;

function groupLabel(g: TopoGroup, viewpoint: string | null): { label: Bi; state: Bi | null } {
  if (g.kind === 'down') return { label: { fr: 'Hors tension', en: 'Powered off' }, state: null };
  if (g.kind === 'unheard') return { label: { fr: 'Non entendus d’ici', en: 'Not heard from here' }, state: null };
  const label = viewpoint ? { fr: 'Mon anneau', en: 'My ring' } : { fr: 'Partition', en: 'Partition' };
  const v = g.votes ?? 0;
  const q = g.quorum ?? 0;
  const votes = { fr: `${v} vote${v > 1 ? 's' : ''} / ${q} requis`, en: `${v} vote${v > 1 ? 's' : ''} / ${q} needed` };
  return {
    label,
    state: g.quorate ? { fr: `✓ quorum · ${votes.fr}`, en: `✓ quorate · ${votes.en}` } : { fr: `⚠ sans quorum · ${votes.fr}`, en: `⚠ no quorum · ${votes.en}` },
  };
}

const vmText = (vm: TopoVm): string => `${vm.run === 'running' ? '▶' : vm.run === 'twice' ? '‼' : vm.run === 'listed' ? '·' : '■'} ${vm.run === 'listed' ? vm.name : `${vm.vmid} ${vm.name}`}${vm.ha && vm.run !== 'listed' ? ' (HA)' : ''}`;

export function model(input: TopoInput, opts: { maxCols?: number } = {}): TopoModel {
  const maxCols = Math.max(1, opts.maxCols ?? 3);
  const vmLines = Math.min(MAX_VMS + 1, Math.max(0, ...input.nodes.map((n) => (n.vms.length > MAX_VMS ? MAX_VMS + 1 : n.vms.length))));
  const cfsLine = input.nodes.some((n) => n.cfsVersion !== null) ? 1 : 0;
  const nodeH = 52 + LINE * (vmLines + cfsLine);
  const byName = new Map(input.nodes.map((n) => [n.name, n]));
  const top = MARGIN + (input.qdevice ? QD_H + QD_GAP : 0);

  // Groups: size, then flow into rows.
  const sized = input.groups.map((g) => {
    const cols = Math.min(g.members.length, maxCols);
    const rows = Math.ceil(g.members.length / cols);
    // Wide enough for its label (about 7 units a character at the label's size).
    const words = groupLabel(g, input.viewpoint);
    const chars = Math.max(...[words.label, words.state ?? words.label].flatMap((b) => [b.fr.length, b.en.length]));
    const w = Math.max(cols * NODE_W + (cols - 1) * GAP + 2 * PAD, Math.ceil(chars * 7.2) + 2 * PAD);
    return { g, cols, rows, w, h: HEAD + rows * nodeH + (rows - 1) * GAP + PAD };
  });
  const rows: (typeof sized)[] = [];
  let used = 0;
  for (const s of sized) {
    if (rows.length === 0 || used + s.cols > maxCols) {
      rows.push([]);
      used = 0;
    }
    rows.at(-1)!.push(s);
    used += s.cols;
  }
  const rowW = (r: typeof sized) => r.reduce((t, s) => t + s.w, 0) + (r.length - 1) * GROUP_GAP;
  const width = Math.max(QD_W, ...rows.map(rowW)) + 2 * MARGIN;
  const groups: GroupShape[] = [];
  const nodes: NodeShape[] = [];
  let y = top;
  for (const r of rows) {
    let x = MARGIN + (width - 2 * MARGIN - rowW(r)) / 2;
    for (const s of r) {
      groups.push({ x, y, w: s.w, h: s.h, kind: s.g.kind, members: [...s.g.members], quorate: s.g.quorate, ...groupLabel(s.g, input.viewpoint) });
      s.g.members.forEach((name, i) => {
        const n = byName.get(name);
        if (!n) return;
        const nx = x + PAD + (i % s.cols) * (NODE_W + GAP);
        const ny = y + HEAD + Math.floor(i / s.cols) * (nodeH + GAP);
        const shown = n.vms.length > MAX_VMS ? n.vms.slice(0, MAX_VMS) : n.vms;
        nodes.push({
          name,
          x: nx,
          y: ny,
          w: NODE_W,
          h: nodeH,
          state: n.state,
          self: n.self,
          ...NODE_WORDS[n.state],
          vms: shown.map((vm) => ({ text: vmText(vm), run: vm.run, ha: vm.ha })),
          more: n.vms.length - shown.length,
          cfs: n.cfsVersion === null ? null : { fr: `/etc/pve v${n.cfsVersion}`, en: `/etc/pve v${n.cfsVersion}` },
        });
      });
      x += s.w + GROUP_GAP;
    }
    y += Math.max(...r.map((s) => s.h)) + GROUP_GAP;
  }
  const at = new Map(nodes.map((n) => [n.name, n]));
  // Past DENSE nodes a full mesh hides everything: only the links in trouble are drawn.
  const dense = input.nodes.length > DENSE;
  const links = input.links.filter((l) => !dense || l.state !== 'ok').flatMap((l) => linkShape(l, at));
  const broken = links.filter((l) => l.label);
  const legend: LegendLine[] = broken.slice(0, MAX_LEGEND).map((l, i) => ({ x: MARGIN + 4, y: y + i * (LINE + 2), state: l.state, text: legendText(l) }));
  if (broken.length > MAX_LEGEND) legend.push({ x: MARGIN + 4, y: y + MAX_LEGEND * (LINE + 2), state: 'cut', text: { fr: `… et ${broken.length - MAX_LEGEND} autre(s)`, en: `… and ${broken.length - MAX_LEGEND} more` } });
  if (dense) legend.push({ x: MARGIN + 4, y: y + legend.length * (LINE + 2), state: 'ok', text: { fr: 'Liens sains non dessinés : seuls les liens en panne le sont.', en: 'Healthy links not drawn: only links in trouble are.' } });
  const height = y - GROUP_GAP + MARGIN + (legend.length ? GROUP_GAP / 2 + legend.length * (LINE + 2) : 0);
  for (const l of legend) l.y += 4;

  let qdevice: QdeviceShape | null = null;
  const q = input.qdevice;
  if (q) {
    const qx = (width - QD_W) / 2;
    const qy = MARGIN;
    const lines = Object.entries(q.reach).flatMap(([name, reach]) => {
      const n = at.get(name);
      return n && reach !== null ? [{ node: name, x1: qx + QD_W / 2, y1: qy + QD_H, x2: n.x + n.w / 2, y2: n.y, reach }] : [];
    });
    const target = q.votesFor ? groups[input.groups.findIndex((g) => g.kind === 'partition' && q.votesFor!.every((m) => g.members.includes(m)))] : undefined;
    qdevice = {
      x: qx,
      y: qy,
      w: QD_W,
      h: QD_H,
      up: q.up,
      word: q.up === false ? { fr: 'QDevice ⏻ arrêté', en: 'QDevice ⏻ down' } : q.up === null ? { fr: 'QDevice ? injoignable', en: 'QDevice ? unreachable' } : { fr: 'QDevice ✓', en: 'QDevice ✓' },
      lines,
      vote: target ? { x1: qx + QD_W / 2, y1: qy + QD_H, x2: target.x + target.w / 2, y2: target.y, label: { fr: '+1 vote ici', en: '+1 vote here' } } : null,
    };
  }
  return { width, height, viewpoint: input.viewpoint, groups, links, nodes, qdevice, legend, summary: summary(input) };
}

function linkShape(l: TopoLink, at: Map<string, NodeShape>): LinkShape[] {
  const a = at.get(l.from === l.b ? l.b : l.a);
  const b = at.get(l.from === l.b ? l.a : l.b);
  if (!a || !b) return [];
  const [x1, y1, x2, y2] = [a.x + a.w / 2, a.y + a.h / 2, b.x + b.w / 2, b.y + b.h / 2];
  // Nodes that are not neighbours: bend the link above (or beside) the nodes in between.
  const far = Math.abs(x2 - x1) > NODE_W + GAP + 1 || Math.abs(y2 - y1) > a.h + GAP + 1;
  const bend = far ? 0.3 : 0;
  const [mx, my] = [(x1 + x2) / 2, (y1 + y2) / 2];
  const [cx, cy] = [mx - (y2 - y1) * bend, my + (x2 - x1) * bend * -1];
  const mid: [number, number] = [(x1 + 2 * cx + x2) / 4, (y1 + 2 * cy + y2) / 4];
  const w = LINK_WORDS[l.state];
  const label = w.word && l.detail ? { fr: `${w.word.fr} (${l.detail.fr})`, en: `${w.word.en} (${l.detail.en})` } : w.word;
  return [{ a: a.name, b: b.name, state: l.state, path: [x1, y1, cx, cy, x2, y2], mid, mark: w.mark, label }];
}

function legendText(l: LinkShape): Bi {
  const pair = l.state === 'one-way' ? `${l.a} → ${l.b}` : `${l.a} – ${l.b}`;
  return { fr: `${l.mark} ${pair} : ${l.label!.fr}`, en: `${l.mark} ${pair}: ${l.label!.en}` };
}

function summary(input: TopoInput): Bi {
  const parts = input.groups.filter((g) => g.kind === 'partition').length;
  const who = (l: 'fr' | 'en') => input.nodes.map((n) => `${n.name} ${NODE_WORDS[n.state].word[l]}`).join(', ');
  const head = input.viewpoint
    ? { fr: `Le cluster vu par ${input.viewpoint}`, en: `The cluster as ${input.viewpoint} sees it` }
    : { fr: `Le cluster : ${parts} partition${parts > 1 ? 's' : ''}`, en: `The cluster: ${parts} partition${parts > 1 ? 's' : ''}` };
  const cut = input.links.filter((l) => l.state !== 'ok').length;
  return {
    fr: `${head.fr}. ${who('fr')}.${cut ? ` ${cut} lien${cut > 1 ? 's' : ''} en panne ou muet${cut > 1 ? 's' : ''}.` : ''}`,
    en: `${head.en}. ${who('en')}.${cut ? ` ${cut} link${cut > 1 ? 's' : ''} down or silent.` : ''}`,
  };
}
