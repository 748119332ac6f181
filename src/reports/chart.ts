// The report's chart per team: quorum per node over time, with faults, incidents and checkpoints
// marked — data from the stored log (pure), then an SVG for the printable HTML report. Every state
// has its own fill pattern and a legend in words, so the chart reads in black and white.
import { esc } from '../protocol/escape';
import type { ClusterState, I18nText, SimEvent } from '../sim/types';
import { describeEvent } from '../protocol/wording';
import { fmtSim } from './wording';

const words = (l: { fr: string; en: string }) => ({ fr: l.fr, en: l.en });

export type ChartState = 'quorate' | 'inquorate' | 'off';
export interface QuorumChart {
  endMs: number;
  nodes: { name: string; spans: { from: number; to: number; state: ChartState }[] }[];
  marks: { at: number; kind: 'fault' | 'incident' | 'checkpoint'; n: number; text: I18nText }[];
}

/** Folds the log (oldest first) from the initial state into per-node spans and marks. */
export function quorumChart(initial: ClusterState, log: SimEvent[], endMs: number): QuorumChart {
  const cur = new Map(
    initial.config.nodes.map((n) => {
      const r = initial.nodes[n.name]!;
      return [n.name, { power: r.power as string, quorate: r.quorate, since: 0 }];
    }),
  );
  const spans = new Map(initial.config.nodes.map((n) => [n.name, [] as QuorumChart['nodes'][number]['spans']]));
  const stateOf = (c: { power: string; quorate: boolean }): ChartState => (c.power !== 'on' ? 'off' : c.quorate ? 'quorate' : 'inquorate');
  const change = (node: string, at: number, patch: Partial<{ power: string; quorate: boolean }>) => {
    const c = cur.get(node);
    if (!c) return;
    const before = stateOf(c);
    Object.assign(c, patch);
    if (stateOf(c) === before) return;
    if (at > c.since) spans.get(node)!.push({ from: c.since, to: at, state: before });
    c.since = at;
  };
  const marks: QuorumChart['marks'] = [];
  for (const e of log) {
    if (e.type === 'node-power') change(e.node, e.at, { power: e.power });
    else if (e.type === 'quorum-lost') change(e.node, e.at, { quorate: false });
    else if (e.type === 'quorum-regained') change(e.node, e.at, { quorate: true });
    else if (e.type === 'fault-applied' || e.type === 'split-brain-started')
      marks.push({ at: e.at, kind: e.type === 'fault-applied' ? 'fault' : 'incident', n: marks.length + 1, text: words(describeEvent(e)) });
    else if (e.type === 'checkpoint-opened') marks.push({ at: e.at, kind: 'checkpoint', n: marks.length + 1, text: { fr: `question « ${e.checkpoint} »`, en: `question “${e.checkpoint}”` } });
  }
  for (const [name, c] of cur) if (endMs > c.since) spans.get(name)!.push({ from: c.since, to: endMs, state: stateOf(c) });
  return { endMs, nodes: [...spans].map(([name, s]) => ({ name, spans: s })), marks };
}

const FILL: Record<ChartState, string> = { quorate: '#1a7f37', inquorate: 'url(#hatch)', off: '#ffffff' };
const GLYPH = { fault: '⚡', incident: '‼', checkpoint: '?' } as const;
const WORDS = {
  fr: { quorate: 'quorum', inquorate: 'sans quorum (hachuré)', off: 'éteint (blanc)', title: 'Quorum par nœud au fil du temps', fault: 'panne', incident: 'incident', checkpoint: 'question' },
  en: { quorate: 'quorate', inquorate: 'no quorum (hatched)', off: 'off (white)', title: 'Quorum per node over time', fault: 'fault', incident: 'incident', checkpoint: 'question' },
};

/** The chart as SVG plus its legend and the list of marks (printable: words and patterns). */
export function chartSvg(c: QuorumChart, lang: 'fr' | 'en'): string {
  const w = WORDS[lang];
  const [W, LEFT, ROW, TOP] = [820, 64, 24, 40];
  const H = TOP + c.nodes.length * ROW + 10;
  const span = Math.max(1, c.endMs);
  const x = (t: number) => LEFT + ((W - LEFT - 10) * t) / span;
  // Time ticks: at most ~8, on a round minute step.
  const stepMin = [1, 2, 5, 10, 15, 30, 60].find((m) => span / (m * 60_000) <= 8) ?? 120;
  const ticks: number[] = [];
  for (let t = 0; t <= span; t += stepMin * 60_000) ticks.push(t);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(w.title)}" font-family="system-ui, sans-serif" font-size="12">`,
    `<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fdecea"/><line x1="0" y1="0" x2="0" y2="6" stroke="#b42318" stroke-width="3"/></pattern></defs>`,
    ...ticks.map((t) => `<line x1="${x(t).toFixed(1)}" y1="${TOP - 6}" x2="${x(t).toFixed(1)}" y2="${H - 10}" stroke="#d0d4da"/><text x="${x(t).toFixed(1)}" y="${TOP - 10}" text-anchor="middle" fill="#3a414c">${fmtSim(t)}</text>`),
  ];
  c.nodes.forEach((n, i) => {
    const y = TOP + i * ROW;
    out.push(`<text x="4" y="${y + 16}" font-weight="700" fill="#1f2933">${esc(n.name)}</text>`);
    for (const s of n.spans)
      out.push(`<rect class="span" data-state="${s.state}" x="${x(s.from).toFixed(1)}" y="${y + 3}" width="${Math.max(0.5, x(s.to) - x(s.from)).toFixed(1)}" height="${ROW - 6}" fill="${FILL[s.state]}" stroke="#1f2933" stroke-width="0.6"><title>${esc(`${n.name} ${w[s.state]} ${fmtSim(s.from)}–${fmtSim(s.to)}`)}</title></rect>`);
  });
  for (const m of c.marks) {
    const mx = x(m.at).toFixed(1);
    const colour = m.kind === 'incident' ? '#b42318' : m.kind === 'fault' ? '#a15c00' : '#1f5fbf';
    out.push(`<g class="mark" data-kind="${m.kind}"><line x1="${mx}" y1="${TOP - 4}" x2="${mx}" y2="${H - 10}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="4 3"/><text x="${mx}" y="12" text-anchor="middle" font-weight="700" fill="${colour}">${GLYPH[m.kind]}${m.n}</text></g>`);
  }
  out.push('</svg>');
  const legend = `<p class="muted chart-legend">■ ${esc(w.quorate)} · ▨ ${esc(w.inquorate)} · □ ${esc(w.off)} · ⚡ ${esc(w.fault)} · ‼ ${esc(w.incident)} · ? ${esc(w.checkpoint)}</p>`;
  const list = c.marks.length
    ? `<ol class="chart-marks">${c.marks.map((m) => `<li>${GLYPH[m.kind]}${m.n} — ${fmtSim(m.at)} — ${esc(m.text[lang])}</li>`).join('')}</ol>`
    : '';
  return `<figure class="chart-figure">${out.join('')}<figcaption>${esc(w.title)}</figcaption>${legend}${list}</figure>`;
}
