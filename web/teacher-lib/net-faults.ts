// Faults per network (the network design lab): cut or restore one node's port on a network, saturate
// or relieve a network; and the team panel's line of what is wrong with its networks now. Shown
// only when the cluster has networks (snapshot `networks`, src/sim/view.ts). The fault's wording
// in the feed and the status line is the one of every fault (src/protocol/wording.ts).
import type { Fault, RoomSnapshot } from '../../src/protocol/messages';
import { networkWords } from '../../src/protocol/vocabulary';
import { el } from '../lib/dom';
import { bi, biOf, biText } from '../lib/i18n';
import { chip } from './ui';

/** A network as the fault controls need it: the nodes with an address on it (all when unknown). */
export type NetInfo = Pick<NonNullable<RoomSnapshot['networks']>[number], 'id' | 'vlan' | 'roles'> & { addrs?: Record<string, string> };

export interface NetFaultOpts {
  networks: NetInfo[];
  nodes: string[];
  /** a fresh element id */
  id(what: string): string;
  button(label: { fr: string; en: string }, onClick: () => void, cls?: string, sym?: string): HTMLButtonElement;
  apply(btn: HTMLButtonElement, fault: Fault): void;
}

/** The "Networks" box of a fault console. */
export function netFaultBox(o: NetFaultOpts): HTMLFieldSetElement {
  const net = el('select', { id: o.id('net-network'), attrs: { 'data-control': 'net-network' } });
  for (const n of o.networks) {
    const opt = el('option', { attrs: { value: n.id } });
    const w = networkWords(n);
    biText(opt, w.fr, w.en);
    net.append(opt);
  }
  const node = el('select', { id: o.id('net-node'), attrs: { 'data-control': 'net-node' } });
  const hint = el('span', { class: 't-hint', attrs: { 'aria-live': 'polite' } });
  const current = () => o.networks.find((n) => n.id === net.value) ?? o.networks[0]!;
  // Only the nodes that have a port on the chosen network.
  const fillNodes = () => {
    const keep = node.value;
    const on = current().addrs ? o.nodes.filter((n) => current().addrs![n] !== undefined) : o.nodes;
    node.replaceChildren(...on.map((n) => el('option', { attrs: { value: n }, text: current().addrs?.[n] ? `${n} — ${current().addrs![n]}` : n })));
    if (on.includes(keep)) node.value = keep;
    cut.disabled = restore.disabled = !on.length;
    hint.replaceChildren(on.length ? '' : bi('Aucun nœud sur ce réseau.', 'No node on this network.'));
  };
  const port = (up: boolean) => ({ kind: 'net-port' as const, network: net.value, node: node.value, up });
  const cut: HTMLButtonElement = o.button({ fr: 'Couper le port', en: 'Cut the port' }, () => node.value && o.apply(cut, port(false)), 't-btn-warn', '✂');
  const restore: HTMLButtonElement = o.button({ fr: 'Rétablir le port', en: 'Restore the port' }, () => node.value && o.apply(restore, port(true)), '', '↺');
  const saturate: HTMLButtonElement = o.button({ fr: 'Saturer le réseau', en: 'Saturate the network' }, () => o.apply(saturate, { kind: 'net-saturate', network: net.value, on: true }), 't-btn-warn', '≈');
  const relieve: HTMLButtonElement = o.button({ fr: 'Soulager le réseau', en: 'Relieve the network' }, () => o.apply(relieve, { kind: 'net-saturate', network: net.value, on: false }), '', '↺');
  cut.dataset.fault = 'net-port-cut';
  restore.dataset.fault = 'net-port-restore';
  saturate.dataset.fault = 'net-saturate';
  relieve.dataset.fault = 'net-relieve';
  net.addEventListener('change', fillNodes);
  fillNodes();
  const field = (label: { fr: string; en: string }, control: HTMLElement) => el('div', { class: 't-field' }, el('label', { attrs: { for: control.id } }, biOf(label)), control);
  return el(
    'fieldset',
    { class: 't-fault t-fault-nets' },
    el('legend', {}, bi('Réseaux (VLAN, cartes)', 'Networks (VLANs, NICs)')),
    field({ fr: 'Réseau', en: 'Network' }, net),
    el('div', { class: 't-row' }, field({ fr: 'Port du nœud', en: 'Node’s port' }, node)),
    hint,
    el('div', { class: 't-row' }, cut, restore),
    el('p', { class: 't-hint' }, bi('Saturer : du trafic de masse (stockage, migration) retarde tout ce qui passe sur ce réseau.', 'Saturate: bulk traffic (storage, migration) delays everything else on this network.')),
    el('div', { class: 't-row' }, saturate, relieve),
  );
}

/** The team panel's networks line: ports cut and saturated networks, or all fine. */
export function netFacts(s: RoomSnapshot): HTMLElement[] {
  if (!s.networks?.length) return [];
  const hurt = s.networks.filter((n) => n.down.length || n.saturated);
  if (!hurt.length) return [el('li', { class: 't-nets' }, chip('ok', '✓', { fr: `réseaux OK (${s.networks.length})`, en: `networks OK (${s.networks.length})` }))];
  return hurt.map((n) => {
    const w = networkWords(n);
    return el(
      'li',
      { class: 't-nets', attrs: { 'data-network': n.id } },
      n.down.length ? chip('warn', '✂', { fr: `ports coupés : ${n.down.join(', ')}`, en: `ports cut: ${n.down.join(', ')}` }) : null,
      n.saturated ? chip('warn', '≈', { fr: 'saturé', en: 'saturated' }) : null,
      ' ',
      el('span', { class: 't-link' }, bi(w.fr, w.en)),
    );
  });
}
