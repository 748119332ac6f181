// The node page's networks card (network design lab): this node's address on each network, with
// its VLAN and what the network carries, and its port there up or down — a word and a shape, the
// colour only repeats them. Also whether the node is in a cluster yet (build-the-cluster lab).
// In diagnosis mode the card stays hidden: the terminal is the only instrument.
import type { DiagnosisNodeView, NodeView } from '../../src/protocol/messages';
import { networkWords } from '../../src/protocol/vocabulary';
import { byId, el, icon } from '../lib/dom';
import { bi, biOf } from '../lib/i18n';
import { fact } from '../lib/qdevice-panel';
import { diagnosing } from './state';

/** "This node" fact: a member of a cluster (it has a corosync.conf), or a standalone node. */
export function clusterFact(v: NodeView): HTMLLIElement {
  const li = v.inCluster
    ? fact('ok', 'ring', { fr: 'Cluster', en: 'Cluster' }, bi('membre (corosync.conf présent)', 'member (corosync.conf present)'))
    : fact('muted', 'dot', { fr: 'Cluster', en: 'Cluster' }, bi('aucun : nœud autonome (pvecm create, pvecm add)', 'none: standalone node (pvecm create, pvecm add)'));
  li.id = 'cluster-state';
  li.dataset.inCluster = v.inCluster ? 'yes' : 'no';
  return li;
}

export function renderNetworks(v: NodeView | DiagnosisNodeView): void {
  const card = byId('nets-card');
  const nets = ('networks' in v && v.networks) || [];
  card.hidden = !nets.length || diagnosing();
  if (card.hidden) return byId('nets').replaceChildren();
  byId('nets').replaceChildren(
    ...nets.map((n) => {
      const w = networkWords(n);
      const port = !n.addr ? 'none' : n.up ? 'up' : 'down';
      return el(
        'li',
        { class: `net fact ${port === 'none' ? 'muted' : port === 'up' ? 'ok' : 'bad'}`, attrs: { 'data-network': n.id, 'data-port': port } },
        icon(port === 'none' ? 'dot' : port === 'up' ? 'check' : 'cross'),
        el('span', { class: 'fact-label' }, biOf(w)),
        el(
          'span',
          { class: 'fact-value' },
          n.addr ? el('span', { class: 'mono', text: n.addr }) : bi('pas de port sur ce réseau', 'no port on this network'),
          el('span', { class: 'help mono' }, ` ${n.subnet} `),
          port === 'none' ? null : el('strong', { class: 'net-port' }, port === 'up' ? bi('· port actif', '· port up') : bi('· PORT COUPÉ', '· PORT DOWN')),
        ),
      );
    }),
  );
}
