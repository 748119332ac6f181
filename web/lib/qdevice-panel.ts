// The QDevice seat's page (corosync-qnetd): which partitions it sees, where its vote goes, what
// its algorithm would pick, and (human vote mode) the buttons that place the vote.
import { byId, el, icon } from './dom';
import { bi, biOf, type Bi } from './i18n';
import type { IconName } from './icons';
import type { QdeviceSeatView } from '../../src/protocol/messages';

/** What the QDevice seat receives in `view` frames (src/sim/view.ts, qdeviceSeatView). */
export type QdView = QdeviceSeatView;

/** One line of a facts list: an icon, a label, a value (the colour only repeats them). */
export function fact(tone: string, sym: IconName, label: Bi, ...value: (Node | string | null)[]): HTMLLIElement {
  return el('li', { class: `fact ${tone}` }, icon(sym), el('span', { class: 'fact-label' }, biOf(label)), el('span', { class: 'fact-value' }, ...value));
}

export function renderQdPanel(v: QdView, ctx: { running: boolean; choose(node: string | null): unknown }): void {
  const choosing = v.choosing === true;
  byId('qd-intro').replaceChildren(
    choosing
      ? bi(
          'Vous êtes le QDevice (juge de paix) et c’est vous qui décidez. Quand le cluster se coupe en morceaux, choisissez quelle partition reçoit votre vote — une seule doit l’avoir, sinon deux partitions pourraient se croire quorate.',
          'You are the QDevice (tie-breaker) and you decide. When the cluster splits, choose which partition gets your vote — only one may have it, or two partitions could both believe they are quorate.',
        )
      : bi(
          'Mode automatique : l’algorithme du QDevice donne son vote à une seule partition. Observez où il va, et pourquoi.',
          'Automatic mode: the QDevice’s algorithm gives its vote to a single partition. Watch where it goes, and why.',
        ),
  );
  const q = v.qdevice;
  const names = (members: string[] | null | undefined) => (members?.length ? members.join(', ') : null);
  const mono = (text: string) => el('span', { class: 'mono', text });
  const votedFor = v.partitions.find((p) => p.qdevice) ?? null;
  const facts: HTMLLIElement[] = [];
  if (!q) facts.push(fact('muted', 'ballot', { fr: 'QDevice', en: 'QDevice' }, bi('absent de ce scénario', 'not part of this scenario')));
  else {
    facts.push(fact(q.present ? 'ok' : 'warn', 'gear', { fr: 'Configuration', en: 'Setup' }, q.present ? bi('configuré dans corosync', 'configured in corosync') : bi('pas encore configuré (pvecm qdevice setup)', 'not set up yet (pvecm qdevice setup)')));
    facts.push(fact(q.hostUp ? 'ok' : 'bad', 'power', { fr: 'Service qnetd', en: 'qnetd service' }, q.hostUp ? bi('en marche', 'running') : bi('ARRÊTÉ', 'DOWN')));
    const reach = Object.entries(q.reach);
    if (reach.length) facts.push(fact('info', 'swap', { fr: 'Nœuds qui me joignent', en: 'Nodes reaching me' }, mono(reach.filter(([, r]) => r).map(([n]) => n).join(', ') || '—')));
  }
  facts.push(
    fact('info', 'info', { fr: 'Qui décide', en: 'Who decides' }, choosing ? bi('vous (votes par les élèves)', 'you (votes by the students)') : bi('l’algorithme (mode automatique)', 'the algorithm (automatic mode)')),
  );
  facts.push(fact(votedFor ? 'ok' : 'warn', 'ballot', { fr: 'Mon vote va à', en: 'My vote goes to' }, votedFor ? mono(names(votedFor.members) ?? '—') : bi('personne', 'nobody')));
  const algo = names(v.algorithmChoice);
  facts.push(fact('muted', 'gear', { fr: 'L’algorithme choisirait', en: 'The algorithm would pick' }, algo ? mono(algo) : bi('aucune partition', 'no partition')));
  if (choosing) facts.push(fact('muted', 'pencil', { fr: 'Mon choix', en: 'My choice' }, v.humanChoice ? bi(`la partition de ${v.humanChoice}`, `${v.humanChoice}’s partition`) : bi('personne', 'nobody')));
  byId('qd-facts').replaceChildren(...facts);

  const reachOf = (m: string) => !!q?.reach[m];
  const sameSet = (a: string[], b: string[] | null) => !!b && a.length === b.length && a.every((m) => b.includes(m));
  const items = v.partitions.map((p) => {
    const reachable = p.members.some(reachOf);
    const tags: HTMLElement[] = [];
    if (typeof p.quorate === 'boolean') tags.push(el('span', { class: `tag ${p.quorate ? 'ok' : 'bad'}` }, p.quorate ? bi('quorate', 'quorate') : bi('sans quorum', 'no quorum')));
    if (sameSet(p.members, v.algorithmChoice)) tags.push(el('span', { class: 'tag info' }, bi('choix de l’algorithme', 'the algorithm’s pick')));
    if (choosing && v.humanChoice && p.members.includes(v.humanChoice)) tags.push(el('span', { class: 'tag info' }, bi('mon choix', 'my choice')));
    const li = el(
      'li',
      { class: `partition ${p.qdevice ? 'ok' : ''}`, attrs: { 'data-members': p.members.join(',') } },
      el('p', { class: 'partition-members mono', text: p.members.join(', ') || '—' }),
      el(
        'p',
        { class: 'partition-state' },
        icon(p.qdevice ? 'ballot' : 'ring'),
        p.qdevice ? el('strong', {}, bi('reçoit mon vote', 'has my vote')) : bi('sans mon vote', 'without my vote'),
        ' · ',
        reachable ? bi('me joint', 'reaches me') : bi('ne me joint pas', 'cannot reach me'),
      ),
      tags.length ? el('p', { class: 'partition-tags' }, ...tags) : null,
    );
    if (choosing && !p.qdevice) {
      const b = el('button', { class: 'button primary', attrs: { type: 'button' } }, bi('Donner mon vote à cette partition', 'Give my vote to this partition'));
      b.disabled = !reachable || !ctx.running;
      const node = p.members.find(reachOf) ?? p.members[0] ?? null;
      b.addEventListener('click', () => {
        ctx.choose(node);
      });
      li.append(b);
    }
    return li;
  });
  byId('qd-partitions').replaceChildren(...items);
  const noneWrap = byId('qd-none-wrap');
  if (choosing) {
    const b = el('button', { class: 'button', attrs: { type: 'button' } }, bi('Ne donner mon vote à personne', 'Give my vote to nobody'));
    b.disabled = !ctx.running || !votedFor;
    b.addEventListener('click', () => {
      ctx.choose(null);
    });
    noneWrap.replaceChildren(b);
  } else noneWrap.replaceChildren();
}
