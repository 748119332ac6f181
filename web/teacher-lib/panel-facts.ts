// A team panel's facts (links, QDevice, storage) and its VM table, drawn from the snapshot.
import { el } from '../lib/dom';
import { bi } from '../lib/i18n';
import { netFacts } from './net-faults';
import { foldLinks, type Snapshot } from './snapshot';
import { chip, glyph } from './ui';

export function factsList(s: Snapshot): HTMLElement {
  const rows: HTMLElement[] = [];
  const links = foldLinks(s.links);
  const cut = links.filter((l) => l.cut);
  const degraded = links.filter((l) => !l.cut && (l.loss > 0 || l.latencyMs > 0));
  rows.push(
    el(
      'li',
      { class: 't-links' },
      cut.length ? chip('warn', '✂', { fr: 'liens coupés', en: 'cut links' }) : chip('ok', '✓', { fr: 'aucun lien coupé', en: 'no cut link' }),
      ...cut.map((l) => el('span', { class: 't-link', text: `${l.a} ${l.dir} ${l.b}` })),
    ),
  );
  if (degraded.length)
    rows.push(
      el(
        'li',
        {},
        chip('warn', '≈', { fr: 'liens dégradés', en: 'degraded links' }),
        ...degraded.map((l) =>
          el('span', { class: 't-link' }, bi(`${l.a} ${l.dir} ${l.b} : perte ${Math.round(l.loss * 100)} %, ${l.latencyMs} ms`, `${l.a} ${l.dir} ${l.b}: ${Math.round(l.loss * 100)} % loss, ${l.latencyMs} ms`)),
        ),
      ),
    );
  rows.push(...netFacts(s));
  const q = s.qdevice;
  if (q) {
    const unreachable = Object.entries(q.reach)
      .filter(([, r]) => !r)
      .map(([n]) => n)
      .sort();
    const votedFor = q.votedFor ? q.votedFor.split(',').join(', ') : null;
    rows.push(
      el(
        'li',
        {},
        !q.present
          ? chip('muted', '⚖', { fr: 'QDevice non configuré', en: 'QDevice not set up' })
          : q.hostUp
            ? chip('ok', '⚖', { fr: 'QDevice en ligne', en: 'QDevice up' })
            : chip('bad', '⚖', { fr: 'hôte QDevice en panne', en: 'QDevice host down' }),
        ' ',
        bi(votedFor ? `vote pour : ${votedFor}` : 'ne vote pour personne', votedFor ? `votes for: ${votedFor}` : 'votes for nobody'),
        q.algorithmChoice && q.algorithmChoice !== q.votedFor
          ? el('span', { class: 't-muted' }, bi(` · l’algorithme choisirait : ${q.algorithmChoice.split(',').join(', ')}`, ` · the algorithm would pick: ${q.algorithmChoice.split(',').join(', ')}`))
          : null,
        unreachable.length ? el('span', { class: 't-muted' }, bi(` · injoignable depuis ${unreachable.join(', ')}`, ` · unreachable from ${unreachable.join(', ')}`)) : null,
      ),
    );
  }
  rows.push(el('li', {}, s.storageUp ? chip('ok', '▤', { fr: 'stockage partagé OK', en: 'shared storage OK' }) : chip('bad', '▤', { fr: 'stockage partagé en panne', en: 'shared storage down' })));
  return el('ul', { class: 't-facts' }, ...rows);
}

export function vmsTable(s: Snapshot, team: number): HTMLElement {
  const rows = [...s.vms]
    .sort((a, b) => a.vmid - b.vmid)
    .map((vm) => {
      const twice = vm.runningOn.length > 1;
      const where = twice
        ? el('td', {}, chip('bad', '⚠', { fr: `SPLIT-BRAIN : tourne sur ${vm.runningOn.join(' et ')}`, en: `SPLIT-BRAIN: running on ${vm.runningOn.join(' and ')}` }))
        : vm.runningOn.length
          ? el('td', {}, glyph('▶'), ' ', vm.runningOn[0]!)
          : el('td', { class: 't-muted' }, glyph('■'), ' ', bi('arrêtée', 'stopped'));
      return el(
        'tr',
        { class: twice ? 't-vm-twice' : '', attrs: { 'data-vmid': vm.vmid } },
        el('td', { text: String(vm.vmid) }),
        el('td', { text: vm.name }),
        where,
        el('td', { text: vm.ha ?? '—' }),
        el('td', { text: vm.owner ?? '—' }),
      );
    });
  const th = (fr: string, en: string) => el('th', { attrs: { scope: 'col' } }, bi(fr, en));
  return el(
    'div',
    { class: 't-table-wrap', attrs: { tabindex: '0', role: 'region', 'aria-labelledby': `team-${team}-vms` } },
    el(
    'table',
    { class: 't-table t-vms' },
    el('caption', { id: `team-${team}-vms` }, bi(`Machines virtuelles — équipe ${team}`, `Virtual machines — team ${team}`)),
    el('thead', {}, el('tr', {}, th('VM', 'VM'), th('Nom', 'Name'), th('Tourne sur', 'Running on'), th('État HA', 'HA state'), th('Nœud (/etc/pve)', 'Node (/etc/pve)'))),
    el('tbody', {}, ...rows),
  ),
  );
}
