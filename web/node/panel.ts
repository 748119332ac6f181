// What this node sees, drawn: the quorum card, this node's facts, the membership, its VMs, the HA
// services and the banners. In diagnosis mode (src/protocol: settings.diagnosis) every computed
// verdict is left out — the quorum card, the quorate/heard colours — and the terminal is the
// only instrument.
import type { DiagnosisNodeView, NodeView } from '../../src/protocol/messages';
import { byId, el, icon } from '../lib/dom';
import { type IconName, svgIcon } from '../lib/icons';
import { type Bi, bi, biNum, biOf, secs } from '../lib/i18n';
import { fact } from '../lib/qdevice-panel';
import { showNodeTopology } from '../lib/topology-mount';
import { clusterFact } from './networks';
import { anchor, countdown, diagnosing, elapsed, page, wall } from './state';

/** The cards that show computed verdicts: hidden in diagnosis mode (the terminal is the only instrument). */
const VERDICT_CARDS = ['quorum-card', 'pve-card', 'members-card', 'vms-card', 'ha-card'];
let checkpointOpen = false;

/** Shows or hides the verdict cards for the mode; the quorum card also hides while a checkpoint is open. */
export function applyMode(): void {
  const hide = diagnosing();
  byId('console').classList.toggle('diagnosing', hide);
  for (const id of VERDICT_CARDS) byId(id).hidden = hide;
  if (!hide) byId('quorum-card').hidden = checkpointOpen;
  if (hide) for (const id of ['quorum-state', 'quorum-votes', 'pve-facts', 'members', 'vms', 'ha']) byId(id).replaceChildren();
}
/** A checkpoint asks about quorum: its card must not show the answer meanwhile. */
export function setCheckpointOpen(open: boolean): void {
  checkpointOpen = open;
  applyMode();
}

/** Told of every new view: the brief (VMs) and the vote bar (members). */
let onView: (v: NodeView | DiagnosisNodeView) => void = () => {};
export function whenViewDrawn(fn: (v: NodeView | DiagnosisNodeView) => void): void {
  onView = fn;
}

const yesNo = (ok: boolean, fr: [string, string], en: [string, string]) => bi(ok ? fr[0] : fr[1], ok ? en[0] : en[1]);

export function renderView(v: NodeView | DiagnosisNodeView): void {
  page.view = v;
  anchor(v.now);
  if ('diagnosis' in v || diagnosing()) {
    // Nothing computed is drawn: the votes, the colours and the facts would give the answer away.
    onView(v);
    renderAlerts();
    return;
  }
  const on = v.power === 'on';

  // Quorum card: an icon AND words; the colour only repeats them.
  const card = byId('quorum-card');
  card.dataset.quorate = v.quorate ? 'yes' : 'no';
  card.classList.toggle('ok', v.quorate);
  card.classList.toggle('bad', !v.quorate);
  byId('quorum-state').replaceChildren(
    el('span', { class: 'big-icon', attrs: { 'aria-hidden': 'true' } }, svgIcon(v.quorate ? 'check' : 'cross')),
    el(
      'span',
      { class: 'quorum-words' },
      el('strong', { class: 'quorum-answer' }, v.quorate ? bi('Quorum : OUI', 'Quorum: YES') : bi('Quorum : NON', 'Quorum: NO')),
      el(
        'span',
        { class: 'quorum-why' },
        !v.inCluster
          ? bi('Nœud autonome : pas de cluster, donc pas de votes (pvecm create ou pvecm add).', 'Standalone node: no cluster, so no votes (pvecm create or pvecm add).')
          : v.power === 'booting'
          ? bi('Nœud en démarrage : il ne vote pas encore.', 'Node booting: it does not vote yet.')
          : !on
          ? bi('Nœud éteint : il ne vote pas.', 'Node powered off: it does not vote.')
          : v.quorate
            ? bi('Votre partition a la majorité des votes : le cluster peut décider.', 'Your partition holds a majority of votes: the cluster can decide.')
            : bi('Votre partition n’a pas la majorité : aucune décision possible.', 'Your partition lacks a majority: no decision is possible.'),
      ),
    ),
  );
  byId('quorum-votes').replaceChildren(
    ...number(v.votes, 'Votes présents', 'Votes present'),
    ...number(v.expected, 'Votes attendus', 'Expected votes'),
    ...number(v.quorum, 'Quorum requis', 'Quorum needed'),
  );

  // This node: power, /etc/pve, watchdog, clock, QDevice.
  const facts: HTMLLIElement[] = [];
  facts.push(
    v.power === 'on'
      ? fact('ok', 'power', { fr: 'Alimentation', en: 'Power' }, bi('allumé', 'on'))
      : v.power === 'booting'
        ? fact('warn', 'power', { fr: 'Alimentation', en: 'Power' }, bi('démarrage, prêt dans ', 'booting, ready in '), v.bootInMs !== null ? countdown(v.now + v.bootInMs) : 'hourglass')
        : fact('bad', 'power', { fr: 'Alimentation', en: 'Power' }, bi('ÉTEINT', 'OFF')),
  );
  facts.push(
    v.cfsWritable
      ? fact('ok', 'pencil', { fr: '/etc/pve', en: '/etc/pve' }, bi('lecture-écriture', 'read-write'))
      : fact('bad', 'lock', { fr: '/etc/pve', en: '/etc/pve' }, el('strong', {}, bi('LECTURE SEULE', 'READ-ONLY'))),
  );
  facts[facts.length - 1]!.id = 'cfs-state';
  facts[facts.length - 1]!.dataset.writable = v.cfsWritable ? 'yes' : 'no';
  facts.push(clusterFact(v));
  facts.push(
    v.watchdogInMs !== null
      ? fact('bad', 'timer', { fr: 'Watchdog', en: 'Watchdog' }, bi('armé : auto-fencing dans ', 'armed: self-fencing in '), countdown(v.now + v.watchdogInMs))
      : fact('muted', 'timer', { fr: 'Watchdog', en: 'Watchdog' }, bi('au repos', 'idle')),
  );
  const skew = `${v.skewMs > 0 ? '+' : v.skewMs < 0 ? '−' : ''}`;
  facts.push(
    v.skewDanger
      ? fact('warn', 'warn', { fr: 'Horloge', en: 'Clock' }, bi(`décalée de ${skew}${secs(Math.abs(v.skewMs), 'fr', 1)} s — DANGER`, `off by ${skew}${secs(Math.abs(v.skewMs), 'en', 1)} s — DANGER`))
      : fact('ok', 'clock', { fr: 'Horloge', en: 'Clock' }, v.skewMs === 0 ? bi('synchronisée', 'in sync') : bi(`décalage ${skew}${secs(Math.abs(v.skewMs), 'fr', 1)} s (tolérable)`, `skew ${skew}${secs(Math.abs(v.skewMs), 'en', 1)} s (tolerable)`)),
  );
  if (v.qdevice) {
    const q = v.qdevice;
    facts.push(
      fact(
        !q.present ? 'muted' : q.votesHere ? 'ok' : 'warn',
        'ballot',
        { fr: 'QDevice', en: 'QDevice' },
        !q.present
          ? bi('non configuré', 'not set up')
          : el(
              'span',
              {},
              yesNo(q.reachable, ['joignable', 'INJOIGNABLE'], ['reachable', 'UNREACHABLE']),
              ' · ',
              yesNo(q.votesHere, ['son vote compte ici', 'son vote ne compte pas ici'], ['its vote counts here', 'its vote does not count here']),
            ),
      ),
    );
  }
  facts.push(
    page.settings?.heartbeatMode === 'pulse'
      ? fact('info', 'heart', { fr: 'Heartbeat', en: 'Heartbeat' }, bi('manuel (bouton Battement)', 'manual (Pulse button)'))
      : fact('info', 'heart', { fr: 'Heartbeat', en: 'Heartbeat' }, bi('automatique, chaque seconde', 'automatic, every second')),
  );
  const delays = delaysText();
  if (delays) facts.push(fact('muted', 'hourglass', { fr: 'Délais', en: 'Delays' }, biOf(delays)));
  facts.push(fact('muted', 'hash', { fr: 'Version de /etc/pve', en: '/etc/pve version' }, el('span', { class: 'mono', text: String(v.cfsVersion) })));
  byId('pve-facts').replaceChildren(...facts);

  renderMembers(v);
  showNodeTopology(v);
  renderVms(v);
  renderHa(v);
  onView(v);
  renderAlerts();
}

/** A sim duration as the wall-clock seconds a student waits, in both languages. */
function wallSecs(simMs: number): Bi {
  const s = wall(simMs) / 1000;
  return biNum(s, Number.isInteger(s) || s >= 10 ? 0 : 1);
}

/** The engine's delays that matter on this screen (from `welcome.timing`), at the current speed. */
function delaysText(): Bi | null {
  if (!page.timing) return null;
  const dead = wallSecs(page.timing.deadAfterMs);
  const dog = wallSecs(page.timing.watchdogMs);
  const vote = page.settings?.voteMode === 'human' ? wallSecs(page.timing.voteDeadlineMs) : null;
  return {
    fr: `nœud muet déclaré mort après ${dead.fr} s · watchdog ${dog.fr} s${vote ? ` · vote de fencing ${vote.fr} s` : ''}`,
    en: `a silent node is declared dead after ${dead.en} s · watchdog ${dog.en} s${vote ? ` · fencing vote ${vote.en} s` : ''}`,
  };
}

function number(n: number, fr: string, en: string): HTMLElement[] {
  return [el('dt', {}, bi(fr, en)), el('dd', { class: 'mono', text: String(n) })];
}

function renderMembers(v: NodeView): void {
  const items: HTMLLIElement[] = [
    el(
      'li',
      { class: `peer ${v.power === 'on' ? 'ok' : 'bad'}` },
      icon(v.power === 'on' ? 'dot' : 'ring'),
      el('strong', { class: 'mono', text: v.node }),
      el('span', { class: 'peer-state' }, bi('(vous)', '(you)'), ' ', v.power === 'on' ? bi('en ligne', 'up') : v.power === 'booting' ? bi('en démarrage', 'booting') : bi('éteint', 'off')),
    ),
  ];
  for (const p of v.peers) {
    const member = v.members.includes(p.name);
    const state = el('span', { class: 'peer-state' });
    if (p.heard) state.append(bi('entendu', 'heard'));
    else if (p.lastHeardAgoMs === null) state.append(bi('jamais entendu', 'never heard'));
    else state.append(bi('silencieux depuis ', 'silent for '), elapsed(v.now - p.lastHeardAgoMs));
    if (p.heard !== member) state.append(' · ', member ? bi('membre', 'member') : bi('hors membership', 'not a member'));
    items.push(el('li', { class: `peer ${p.heard ? 'ok' : 'bad'}`, attrs: { 'data-peer': p.name, 'data-heard': p.heard ? 'yes' : 'no' } }, icon(p.heard ? 'check' : 'cross'), el('strong', { class: 'mono', text: p.name }), state));
  }
  byId('members').replaceChildren(...items);
}

const VM_STATUS: Record<string, [string, IconName, string, string]> = {
  running: ['ok', 'play', 'en marche', 'running'],
  stopped: ['muted', 'stop', 'arrêtée', 'stopped'],
  'io-error': ['bad', 'warn', 'erreur E/S', 'I/O error'],
};
const HA_TONE: Record<string, string> = { started: 'ok', stopped: 'muted', request_stop: 'warn', fence: 'bad', recovery: 'warn', migrate: 'info', relocate: 'info', freeze: 'warn', error: 'bad' };

function table(head: Bi[], rows: HTMLTableRowElement[], empty: Bi, caption: Bi): HTMLElement {
  if (!rows.length) return el('p', { class: 'empty' }, biOf(empty));
  return el(
    'table',
    {},
    el('caption', { class: 'visually-hidden' }, biOf(caption)),
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { attrs: { scope: 'col' } }, biOf(h))))),
    el('tbody', {}, ...rows),
  );
}

function haCell(state: string | null): HTMLTableCellElement {
  if (!state) return el('td', { class: 'muted' }, bi('hors HA', 'not HA'));
  return el('td', {}, el('span', { class: `tag ${HA_TONE[state] ?? 'info'}`, text: state }));
}

function renderVms(v: NodeView): void {
  const rows = v.vms.map((vm) => {
    const [tone, sym, fr, en] = VM_STATUS[vm.status] ?? ['info', 'dot', vm.status, vm.status];
    return el('tr', {}, el('td', { class: 'mono', text: String(vm.vmid) }), el('td', { text: vm.name }), el('td', { class: `vm-${tone}` }, el('span', { class: `tag ${tone}` }, icon(sym), bi(fr, en))), haCell(vm.ha));
  });
  byId('vms').replaceChildren(
    table([{ fr: 'VMID', en: 'VMID' }, { fr: 'Nom', en: 'Name' }, { fr: 'État', en: 'Status' }, { fr: 'HA', en: 'HA' }], rows, { fr: 'Aucune VM sur ce nœud.', en: 'No VM on this node.' }, { fr: 'VM de ce nœud', en: 'VMs of this node' }),
  );
}

function renderHa(v: NodeView): void {
  const rows = v.ha.map((s) => el('tr', {}, el('td', { class: 'mono', text: s.sid }), el('td', { class: 'mono', text: s.node }), haCell(s.state)));
  byId('ha').replaceChildren(
    table([{ fr: 'Service', en: 'Service' }, { fr: 'Nœud', en: 'Node' }, { fr: 'État', en: 'State' }], rows, { fr: 'Aucun service HA connu ici.', en: 'No HA service known here.' }, { fr: 'Services HA vus par ce nœud', en: 'HA services seen by this node' }),
  );
}

// ------------------------------------------------------------ alerts (banners)

function banner(tone: string, sym: IconName, ...body: (Node | string)[]): HTMLElement {
  return el('p', { class: `banner ${tone}` }, icon(sym), el('span', {}, ...body));
}

export function renderAlerts(): void {
  const list: HTMLElement[] = [];
  if (page.status === 'lobby') list.push(banner('info', 'hourglass', bi('Le lab n’a pas encore démarré : l’enseignant va le lancer.', 'The lab has not started yet: the teacher will start it.')));
  if (page.status === 'paused') list.push(banner('warn', 'pause', bi('Lab en pause : le temps du cluster est arrêté.', 'Lab paused: cluster time is frozen.')));
  if (page.status === 'ended') list.push(banner('muted', 'stop', bi('Lab terminé. Merci !', 'Lab over. Thank you!')));
  const v = page.view;
  if (v && !('diagnosis' in v) && page.seat?.role === 'node' && !diagnosing()) {
    if (v.power === 'off') list.push(banner('bad', 'power', bi('Nœud ÉTEINT : il ne participe plus au cluster.', 'Node powered OFF: it no longer takes part in the cluster.')));
    if (v.power === 'booting' && v.bootInMs !== null) list.push(banner('warn', 'power', bi('Démarrage en cours : prêt dans ', 'Booting: ready in '), countdown(v.now + v.bootInMs)));
    if (v.watchdogInMs !== null)
      list.push(banner('bad', 'timer', bi('Watchdog armé : auto-fencing dans ', 'Watchdog armed: self-fencing in '), countdown(v.now + v.watchdogInMs), bi(' si le quorum ne revient pas.', ' unless quorum comes back.')));
    if (v.skewDanger)
      list.push(banner('warn', 'warn', bi(`Horloge décalée de ${secs(Math.abs(v.skewMs), 'fr', 1)} s : corosync et HA peuvent mal se comporter. Vérifiez chrony (timedatectl).`, `Clock off by ${secs(Math.abs(v.skewMs), 'en', 1)} s: corosync and HA may misbehave. Check chrony (timedatectl).`)));
  }
  byId('alerts').replaceChildren(...list);
}
