// Puts the topology drawing on a page: the node page's card (from that node's own view), and a
// figure for teacher panels and the projector (from the teacher snapshot). The SVG is rebuilt only
// when its text changes; phones get two node columns per row.
import type { NodeView, TeacherSnapshot } from '../../src/sim/view';
import { fromNodeView, fromSnapshot, type TopoInput } from './topology-input';
import { model } from './topology-model';
import { topologySvg, type SvgOpts } from './topology-svg';

/** px of host width per node column, so that text stays readable (a node is 156 units wide) */
const PX_PER_COL = 190;

/** Draws `input` into `host` (only if the drawing changed): as many node columns as its width allows, 1 to 3. */
export function drawTopology(host: Element, input: TopoInput, opts: SvgOpts & { maxCols?: number } = {}): void {
  const width = host.clientWidth || (typeof window !== 'undefined' ? window.innerWidth : 1000);
  const svg = topologySvg(model(input, { maxCols: opts.maxCols ?? Math.max(1, Math.min(3, Math.floor(width / PX_PER_COL))) }), opts);
  if (host.getAttribute('data-svg-len') === String(svg.length) && host.innerHTML === svg) return;
  host.innerHTML = svg; // built from escaped text only (topology-svg.ts)
  host.setAttribute('data-svg-len', String(svg.length));
}

/** The node page: a card "the cluster as this node sees it", created once before the membership card. */
export function showNodeTopology(v: NodeView): void {
  let host = document.getElementById('topo');
  if (!host) {
    const card = document.createElement('section');
    card.id = 'topo-card';
    card.className = 'card topo-card wide';
    card.setAttribute('aria-labelledby', 'topo-title');
    card.innerHTML =
      '<h2 id="topo-title"><span data-lang="fr">Le cluster vu d’ici</span><span data-lang="en" lang="en">The cluster as seen from here</span></h2>' +
      '<p class="help"><span data-lang="fr">Ce que ce nœud sait : les pairs qu’il entend, son anneau, son /etc/pve. Un pair muet peut être éteint ou coupé : d’ici, impossible de le savoir.</span><span data-lang="en" lang="en">What this node knows: the peers it hears, its ring, its /etc/pve. A silent peer may be off or cut off: from here there is no telling.</span></p>' +
      '<div id="topo" class="topo-host"></div>';
    const panel = document.getElementById('node-panel');
    const before = document.getElementById('members-card');
    if (!panel) return;
    panel.insertBefore(card, before && before.parentElement === panel ? before : null);
    host = document.getElementById('topo')!;
  }
  drawTopology(host, fromNodeView(v), { id: 'topo-node' });
}

/** A teacher panel's or the projector's drawing of one team's cluster (ground truth). */
export function snapshotFigure(s: Omit<TeacherSnapshot, 'votes'>, id: string, opts: { maxCols?: number; pulse?: boolean } = {}): HTMLElement {
  const fig = document.createElement('figure');
  fig.className = 'topo-figure';
  drawTopology(fig, fromSnapshot(s), { id, ...opts });
  return fig;
}
