// Draws a TopoModel (topology-model.ts) as an SVG string: names escaped, colours as presentation
// attributes (no inline style: the pages' CSP), each state also a glyph, a word and a stroke
// pattern. Text comes twice with data-lang (the page's language switch hides one); `lang` picks one
// for a page without the switch. The heartbeat pulse is a CSS animation on `.topo-beat` (style.css),
// off under prefers-reduced-motion.
import type { Bi, GroupShape, LegendLine, LinkShape, NodeShape, QdeviceShape, TopoModel } from './topology-model';
import type { LinkState, NodeState } from './topology-input';
import { esc } from '../../src/protocol/escape';


export const NODE_COLOURS: Record<NodeState, { fill: string; stroke: string; text: string; dash: string | null }> = {
  quorate: { fill: '#e8f5ec', stroke: '#1a7f37', text: '#0f5323', dash: null },
  inquorate: { fill: '#fdecea', stroke: '#b42318', text: '#7a1a12', dash: '6 3' },
  off: { fill: '#eef0f3', stroke: '#5b6472', text: '#3a414c', dash: '2 3' },
  booting: { fill: '#e8f0fb', stroke: '#1f5fbf', text: '#163f7f', dash: '8 4' },
  unknown: { fill: '#ffffff', stroke: '#6b7280', text: '#3a414c', dash: '3 3' },
};
const LINK_STYLE: Record<LinkState, { stroke: string; width: number; dash: string | null }> = {
  ok: { stroke: '#1a7f37', width: 2, dash: null },
  cut: { stroke: '#b42318', width: 2.5, dash: '7 5' },
  lossy: { stroke: '#a15c00', width: 2.5, dash: '2 4' },
  'one-way': { stroke: '#a15c00', width: 2.5, dash: '10 4' },
  silent: { stroke: '#6b7280', width: 2, dash: '3 5' },
};

export interface SvgOpts {
  /** one language, or both with data-lang (default) */
  lang?: 'fr' | 'en' | 'both';
  /** unique per page when several drawings share it (marker ids) */
  id?: string;
  /** the heartbeat pulse on links that work (default on) */
  pulse?: boolean;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

function text(x: number, y: number, t: Bi, attrs: string, lang: SvgOpts['lang']): string {
  if (lang === 'fr' || lang === 'en') return `<text x="${r1(x)}" y="${r1(y)}" ${attrs}>${esc(t[lang])}</text>`;
  if (t.fr === t.en) return `<text x="${r1(x)}" y="${r1(y)}" ${attrs}>${esc(t.fr)}</text>`;
  return `<text x="${r1(x)}" y="${r1(y)}" ${attrs} data-lang="fr">${esc(t.fr)}</text><text x="${r1(x)}" y="${r1(y)}" ${attrs} data-lang="en" lang="en">${esc(t.en)}</text>`;
}

function group(g: GroupShape, lang: SvgOpts['lang']): string {
  const stroke = g.kind === 'partition' ? (g.quorate ? '#1a7f37' : '#b42318') : '#6b7280';
  const dash = g.kind === 'partition' ? '' : ' stroke-dasharray="6 4"';
  return `<g class="topo-group" data-kind="${g.kind}" data-quorate="${g.quorate}"><rect x="${r1(g.x)}" y="${r1(g.y)}" width="${r1(g.w)}" height="${r1(g.h)}" rx="12" fill="#f7f8fa" stroke="${stroke}" stroke-width="1.5"${dash}/></g>`;
}

/** Drawn after the links, with a halo, so no line crosses the words. */
function groupLabel(g: GroupShape, lang: SvgOpts['lang']): string {
  const halo = 'stroke="#f7f8fa" stroke-width="5" paint-order="stroke"';
  const colour = g.kind !== 'partition' ? '#3a414c' : g.quorate ? '#0f5323' : '#7a1a12';
  return `<g class="topo-group-label">${text(g.x + 12, g.y + 18, g.label, `font-size="13" font-weight="600" fill="#1f2933" ${halo}`, lang)}${g.state ? text(g.x + 12, g.y + 36, g.state, `font-size="12.5" font-weight="600" fill="${colour}" ${halo}`, lang) : ''}</g>`;
}

function legend(l: LegendLine, lang: SvgOpts['lang']): string {
  return `<g class="topo-legend" data-state="${l.state}">${text(l.x, l.y, l.text, `font-size="12.5" fill="${LINK_STYLE[l.state].stroke}"`, lang)}</g>`;
}

function link(l: LinkShape, id: string, pulse: boolean, lang: SvgOpts['lang']): string {
  const s = LINK_STYLE[l.state];
  const [x1, y1, cx, cy, x2, y2] = l.path.map(r1);
  const d = `M${x1} ${y1} Q${cx} ${cy} ${x2} ${y2}`;
  const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
  // One-way: an arrow in the middle, along the curve, in the direction heartbeats still travel.
  const deg = r1((Math.atan2(y2! - y1!, x2! - x1!) * 180) / Math.PI);
  const arrow = l.state === 'one-way' ? `<path d="M-9 -7 L9 0 L-9 7 Z" fill="${s.stroke}" transform="translate(${r1(l.mid[0])} ${r1(l.mid[1])}) rotate(${deg})"/>` : '';
  const beat = l.state === 'ok' && pulse ? `<path d="${d}" class="topo-beat" fill="none" stroke="#34c759" stroke-width="3" stroke-dasharray="4 26" stroke-linecap="round"/>` : '';
  const mark =
    l.mark && l.state !== 'one-way'
      ? `<circle cx="${r1(l.mid[0])}" cy="${r1(l.mid[1])}" r="9" fill="#ffffff" stroke="${s.stroke}" stroke-width="1.5"/><text x="${r1(l.mid[0])}" y="${r1(l.mid[1] + 4.5)}" font-size="12" font-weight="700" text-anchor="middle" fill="${s.stroke}">${esc(l.mark)}</text>`
      : '';
  const title = l.label ? `<title>${esc(`${l.a}–${l.b}: ${lang === 'en' ? l.label.en : l.label.fr}`)}</title>` : '';
  return `<g class="topo-link" data-state="${l.state}" data-a="${esc(l.a)}" data-b="${esc(l.b)}">${title}<path d="${d}" fill="none" stroke="${s.stroke}" stroke-width="${s.width}"${dash}/>${beat}${arrow}${mark}</g>`;
}

/** The state's shape: circle (quorate), triangle (no quorum), square (off), diamond (not heard). */
function badge(state: NodeState, x: number, y: number, colour: string): string {
  switch (state) {
    case 'quorate':
      return `<circle cx="${x}" cy="${y}" r="7" fill="${colour}"/>`;
    case 'inquorate':
      return `<path d="M${x} ${y - 8} L${x + 8} ${y + 6} L${x - 8} ${y + 6} Z" fill="${colour}"/>`;
    case 'off':
      return `<rect x="${x - 6.5}" y="${y - 6.5}" width="13" height="13" fill="${colour}"/>`;
    case 'booting':
      return `<circle cx="${x}" cy="${y}" r="6.5" fill="none" stroke="${colour}" stroke-width="3" stroke-dasharray="8 4"/>`;
    case 'unknown':
      return `<path d="M${x} ${y - 8} L${x + 8} ${y} L${x} ${y + 8} L${x - 8} ${y} Z" fill="none" stroke="${colour}" stroke-width="2"/>`;
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }
}

function node(n: NodeShape, lang: SvgOpts['lang']): string {
  const c = NODE_COLOURS[n.state];
  const dash = c.dash ? ` stroke-dasharray="${c.dash}"` : '';
  const out: string[] = [
    `<g class="topo-node" data-topo-node="${esc(n.name)}" data-state="${n.state}"${n.self ? ' data-self="true"' : ''}>`,
    `<rect x="${r1(n.x)}" y="${r1(n.y)}" width="${n.w}" height="${r1(n.h)}" rx="10" fill="${c.fill}" stroke="${c.stroke}" stroke-width="${n.self ? 4 : 2}"${dash}/>`,
    badge(n.state, r1(n.x + 16), r1(n.y + 20), c.stroke),
    `<text x="${r1(n.x + 30)}" y="${r1(n.y + 25)}" font-size="16" font-weight="700" fill="${c.text}">${esc(n.name)}</text>`,
  ];
  if (n.self) out.push(text(n.x + n.w - 10, n.y + 24, { fr: 'moi', en: 'me' }, `font-size="11" text-anchor="end" fill="${c.text}"`, lang));
  out.push(text(n.x + 12, n.y + 45, { fr: `${n.glyph} ${n.word.fr}`, en: `${n.glyph} ${n.word.en}` }, `font-size="13.5" font-weight="600" fill="${c.text}"`, lang));
  let y = n.y + 45;
  for (const vm of n.vms) {
    y += 17;
    out.push(`<text x="${r1(n.x + 12)}" y="${r1(y)}" font-size="12.5" fill="${vm.run === 'twice' ? '#b42318' : '#1f2933'}" class="topo-vm" data-run="${vm.run}">${esc(vm.text)}</text>`);
  }
  if (n.more > 0) {
    y += 17;
    out.push(text(n.x + 12, y, { fr: `+ ${n.more} autre(s)`, en: `+ ${n.more} more` }, 'font-size="12" fill="#3a414c"', lang));
  }
  if (n.cfs) out.push(text(n.x + 12, n.y + n.h - 8, n.cfs, 'font-size="11.5" fill="#3a414c" class="topo-cfs"', lang));
  out.push('</g>');
  return out.join('');
}

function qdevice(q: QdeviceShape, id: string, lang: SvgOpts['lang']): string {
  const lines = q.lines
    .map((l) => `<line class="topo-qd-line" data-topo-node="${esc(l.node)}" data-reach="${l.reach}" x1="${r1(l.x1)}" y1="${r1(l.y1)}" x2="${r1(l.x2)}" y2="${r1(l.y2)}" stroke="${l.reach ? '#5b6472' : '#b42318'}" stroke-width="1.5"${l.reach ? '' : ' stroke-dasharray="5 4"'}/>`)
    .join('');
  const vote = q.vote
    ? `<g class="topo-qd-vote"><line x1="${r1(q.vote.x1)}" y1="${r1(q.vote.y1)}" x2="${r1(q.vote.x2)}" y2="${r1(q.vote.y2)}" stroke="#6d28d9" stroke-width="4" marker-end="url(#${id}-vote)"/>${text((q.vote.x1 + q.vote.x2) / 2 + 8, (q.vote.y1 + q.vote.y2) / 2, q.vote.label, 'font-size="12.5" font-weight="700" fill="#6d28d9"', lang)}</g>`
    : '';
  const stroke = q.up === false ? '#b42318' : q.up === null ? '#6b7280' : '#6d28d9';
  return `<g class="topo-qdevice" data-up="${q.up}">${lines}${vote}<rect x="${r1(q.x)}" y="${r1(q.y)}" width="${q.w}" height="${q.h}" rx="23" fill="#f3effc" stroke="${stroke}" stroke-width="2"${q.up === true ? '' : ' stroke-dasharray="5 4"'}/>${text(q.x + q.w / 2, q.y + 28, q.word, `font-size="14" font-weight="700" text-anchor="middle" fill="${stroke}"`, lang)}</g>`;
}

export function topologySvg(m: TopoModel, opts: SvgOpts = {}): string {
  const lang = opts.lang ?? 'both';
  const id = (opts.id ?? 'topo').replace(/[^A-Za-z0-9_-]/g, '');
  const pulse = opts.pulse ?? true;
  const title = lang === 'fr' || lang === 'en' ? m.summary[lang] : `${m.summary.fr} / ${m.summary.en}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="topo" viewBox="0 0 ${r1(m.width)} ${r1(m.height)}" role="img" aria-labelledby="${id}-title" font-family="system-ui, sans-serif"${m.viewpoint ? ` data-viewpoint="${esc(m.viewpoint)}"` : ''}>`,
    `<title id="${id}-title">${esc(title)}</title>`,
    `<defs><marker id="${id}-vote" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" markerHeight="5" orient="auto"><path d="M0 0 L10 5 L0 10 Z" fill="#6d28d9"/></marker></defs>`,
    ...m.groups.map((g) => group(g, lang)),
    ...m.links.map((l) => link(l, id, pulse, lang)),
    m.qdevice ? qdevice(m.qdevice, id, lang) : '',
    ...m.groups.map((g) => groupLabel(g, lang)),
    ...m.nodes.map((n) => node(n, lang)),
    ...m.legend.map((l) => legend(l, lang)),
    '</svg>',
  ].join('');
}
