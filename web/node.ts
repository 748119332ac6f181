// Node console: the student's browser is one node (or the QDevice) of their team's cluster.
// Connects to /ws/labs/<CODE>/student, heartbeats (pings or pulses), and shows what this node
// sees: quorum, membership, /etc/pve, countdowns, VMs, HA; plus a terminal, fencing prompts and
// a log. Protocol: docs/protocol.md. Every server or student string goes in with textContent.
import type { LabSettings, LabStatus, ObjectiveMet, SeatInfo, TerminalEntry, WelcomeBacklog } from '../src/protocol/messages';
import type { Timing } from '../src/sim/types';
import type { NodeView, QdeviceSeatView } from '../src/protocol/messages';
import { CODE_RE, apiJson, normalizeCode } from './lib/api';
import { Brief } from './lib/brief';
import { CheckpointCard } from './lib/checkpoint-card';
import { byId, el, icon } from './lib/dom';
import { describeEvent, harmText, type Line } from './lib/events';
import { type IconName, svgIcon } from './lib/icons';
import { type Bi, bi, biAttr, biNum, biOf, biTitle, initLang, onLang, secs, setBi } from './lib/i18n';
import { statusOf } from './lib/labels';
import { type Frame, LabSocket, socketUrl } from './lib/socket';
import { forgetSeat, isSeat, loadSeat, saveSeat, type StoredSeat } from './lib/storage';
import { Journal } from './lib/journal';
import { fact, renderQdPanel, type QdView } from './lib/qdevice-panel';
import { Terminal } from './lib/terminal';
import { showNodeTopology } from './lib/topology-mount';
import { VoteBar } from './lib/votebar';



const JOURNAL_MAX = 40;
const PULSE_MIN_GAP_MS = 150; // key repeat must not hit the server's rate limit (10 frames/s)
const HEARTBEAT_PING_MS = 1000; // auto heartbeat mode: a ping every wall-clock second (docs/protocol.md)
const KEEPALIVE_MS = 5000; // pings when they are not heartbeats (pulse mode, QDevice seat)
const SILENT_SOCKET_MS = 12_000; // nothing heard (not even a pong) for this long: the socket is dead

initLang();

const code = normalizeCode(new URLSearchParams(location.search).get('code') ?? '');
let stored: StoredSeat | null = CODE_RE.test(code) ? loadSeat(code) : null;

// Storage blocked on the join page: the token came in the fragment (never sent to the server).
if (!stored && CODE_RE.test(code)) {
  const t = new URLSearchParams(location.hash.slice(1)).get('t');
  if (t) stored = { token: t, seat: { seatId: '', name: '', team: 0, node: '', role: 'node' } };
}
if (location.hash) history.replaceState(null, '', location.pathname + location.search);

let seat: SeatInfo | null = stored?.seat.seatId ? stored.seat : null;
let settings: LabSettings | null = null;
/** the engine's timing profile, from `welcome` (sim ms) */
let timing: Timing | null = null;
let status: LabStatus | null = null;
let view: NodeView | null = null;
let qview: QdView | null = null;
/** sim clock anchor: sim time `sim` was current at local time `local` */
let clock = { sim: 0, local: Date.now() };
let lastPulse = 0;
let kickedMessage = '';
/** the teacher moved this seat: the next `welcome` says where to */
let moved = false;
let connectedOnce = false;

const timeScale = () => settings?.timeScale ?? 1;
function anchor(sim: unknown): void {
  if (typeof sim === 'number' && Number.isFinite(sim)) clock = { sim, local: Date.now() };
}
/** The sim clock now, extrapolated between frames while the lab runs. */
function simNow(): number {
  return status === 'running' ? clock.sim + (Date.now() - clock.local) * timeScale() : clock.sim;
}
/** A sim duration as the wall-clock time a student waits. */
const wall = (simMs: number) => simMs / timeScale();

// ------------------------------------------------------------ page shell

biTitle('Nœud — Quorum Lab', 'Node — Quorum Lab');

function showGate(title: Bi, text: Bi, reason = ''): void {
  byId('console').hidden = true;
  const gate = byId('gate');
  setBi(byId('gate-title'), title.fr, title.en);
  setBi(byId('gate-text'), text.fr, text.en);
  const r = byId('gate-reason');
  r.textContent = reason;
  r.hidden = !reason;
  byId<HTMLAnchorElement>('gate-link').href = CODE_RE.test(code) ? `/join.html?code=${code}` : '/join.html';
  gate.hidden = false;
  setConn('closed');
  stopTimers();
}

type Conn = 'connecting' | 'online' | 'offline' | 'closed';
function setConn(c: Conn): void {
  const b = byId('conn');
  const map: Record<Conn, [string, IconName, string, string]> = {
    connecting: ['info', 'hourglass', 'connexion…', 'connecting…'],
    online: ['ok', 'dot', 'connecté', 'connected'],
    offline: ['bad', 'warn', 'connexion perdue, nouvel essai…', 'connection lost, retrying…'],
    closed: ['muted', 'stop', 'déconnecté', 'disconnected'],
  };
  const [tone, sym, fr, en] = map[c];
  b.className = `badge conn ${tone}`;
  b.replaceChildren(icon(sym), bi(fr, en));
}

// ------------------------------------------------------------ notices (error frames)

const ERROR_TEXT: Record<string, Bi> = {
  not_running: { fr: 'Le lab n’est pas en cours : commandes et votes attendent le démarrage (ou la reprise).', en: 'The lab is not running: commands and votes wait for it to start (or resume).' },
  rate_limited: { fr: 'Trop de messages : ralentissez (10 par seconde au plus).', en: 'Too many messages: slow down (at most 10 per second).' },
  vote_closed: { fr: 'Ce vote est déjà clos.', en: 'This vote is already closed.' },
  already_voted: { fr: 'Vous avez déjà voté.', en: 'You have already voted.' },
  not_voter: { fr: 'Ce nœud ne vote pas sur cette question.', en: 'This node has no say in this vote.' },
  forbidden: { fr: 'Action refusée pour ce siège.', en: 'This seat may not do that.' },
  not_a_node: { fr: 'Action réservée aux nœuds.', en: 'Only nodes can do that.' },
  kicked: { fr: 'Vous avez été retiré de ce siège.', en: 'You were removed from this seat.' },
  moved: { fr: 'L’enseignant vous déplace dans une autre équipe : reconnexion…', en: 'The teacher is moving you to another team: reconnecting…' },
  internal: { fr: 'Erreur interne du serveur ; le lab continue.', en: 'Internal server error; the lab goes on.' },
  not_connected: { fr: 'Pas de connexion au serveur : rien n’a été envoyé.', en: 'Not connected to the server: nothing was sent.' },
};

/** The seat left this browser: taken back elsewhere with the rejoin code, or revoked. */
const SEAT_ELSEWHERE: Bi = {
  fr: 'Cette place a été reprise sur un autre appareil (nom et code de reprise) ou révoquée. Pour la récupérer ici, rejoignez le lab avec votre nom et votre code de reprise.',
  en: 'This seat was taken back on another device (name and rejoin code) or revoked. To get it back here, join the lab with your name and your rejoin code.',
};

function notice(codeStr: string, message: string): void {
  const known = ERROR_TEXT[codeStr];
  // The server's own words (English) only when this page cannot say it in the reader's language.
  showNotice(codeStr, 'warn', known ?? { fr: 'Refusé par le serveur.', en: 'Refused by the server.' }, known ? '' : message, 20_000);
}

/** A dismissable message above the panels, most recent first, at most three. */
function showNotice(codeStr: string, tone: 'warn' | 'info', text: Bi, message = '', lifetimeMs: number | null = null): void {
  const box = byId('notices');
  const close = el('button', { class: 'notice-close', attrs: { type: 'button' } }, icon('close'));
  biAttr(close, 'aria-label', 'Fermer ce message', 'Dismiss this message');
  const n = el(
    'div',
    { class: `notice ${tone}`, attrs: { role: tone === 'warn' ? 'alert' : 'status', 'data-code': codeStr } },
    icon(tone === 'warn' ? 'warn' : 'info'),
    el('p', {}, biOf(text), message ? el('span', { class: 'server-msg', text: ` ${message}` }) : null),
    close,
  );
  close.addEventListener('click', () => n.remove());
  box.prepend(n);
  while (box.children.length > 3) box.lastElementChild?.remove();
  if (lifetimeMs !== null) setTimeout(() => n.remove(), lifetimeMs);
}

// ------------------------------------------------------------ journal

function journalTarget(): HTMLElement {
  return byId(seat?.role === 'qdevice' ? 'qd-journal' : 'journal');
}

const journal = new Journal(journalTarget, JOURNAL_MAX);
const brief = new Brief(byId<HTMLDetailsElement>('brief'));
const checkpointCard = new CheckpointCard(
  byId('checkpoint'),
  (msg) => sock.send(msg),
  (open) => (byId('quorum-card').hidden = open),
);
function log(l: Line, at?: number): void {
  journal.add(l, at);
}

// ------------------------------------------------------------ identity and lab status

function renderIdentity(): void {
  if (!seat) return;
  const isQd = seat.role === 'qdevice';
  byId('node-name').textContent = isQd ? 'QDevice' : seat.node;
  setBi(byId('team-line'), `Équipe ${seat.team}`, `Team ${seat.team}`);
  byId('student-name').textContent = seat.name;
  // The rejoin code (servers with seat rejoin): name + code take this seat back on any device.
  byId('rejoin-line').hidden = !stored?.rejoinCode;
  byId('rejoin-code').textContent = stored?.rejoinCode ?? '';
  biTitle(`${isQd ? 'QDevice' : seat.node} — Quorum Lab`, `${isQd ? 'QDevice' : seat.node} — Quorum Lab`);
  const promptText = `root@${seat.node}:~#`;
  byId('terminal-prompt-text').textContent = promptText;
  byId('node-panel').hidden = isQd;
  byId('qdevice-panel').hidden = !isQd;
  const pulseMode = settings?.heartbeatMode === 'pulse';
  byId('beat-auto').hidden = pulseMode;
  byId('beat-card').hidden = !pulseMode;
}

function renderStatus(): void {
  const box = byId('lab-status');
  if (!status) return box.replaceChildren();
  const st = statusOf(status);
  box.replaceChildren(el('span', { class: `badge ${st.tone}` }, icon(st.icon), bi('Lab : ', 'Lab: '), biOf(st)));
  renderAlerts();
}

// ------------------------------------------------------------ node view

const yesNo = (ok: boolean, fr: [string, string], en: [string, string]) => bi(ok ? fr[0] : fr[1], ok ? en[0] : en[1]);


/** A countdown span refreshed by the clock loop: remaining sim time until `untilSim`. */
function countdown(untilSim: number): HTMLSpanElement {
  const s = el('span', { class: 'countdown', attrs: { 'data-until': String(untilSim) } });
  paintCountdown(s);
  return s;
}
/** Elapsed time since `sinceSim`. */
function elapsed(sinceSim: number): HTMLSpanElement {
  const s = el('span', { class: 'countdown', attrs: { 'data-since': String(sinceSim) } });
  paintCountdown(s);
  return s;
}
function paintCountdown(s: HTMLElement): void {
  const now = simNow();
  const until = s.dataset.until;
  const ms = until !== undefined ? Math.max(0, wall(Number(until) - now)) : Math.max(0, wall(now - Number(s.dataset.since)));
  // Whole seconds, rounded up for countdowns (a screen showing 0 means "now").
  const shown = String(until !== undefined ? Math.ceil(ms / 1000) : Math.floor(ms / 1000));
  if (s.dataset.shown === shown) return;
  s.dataset.shown = shown;
  s.textContent = `${shown} s`;
}

function renderView(v: NodeView): void {
  view = v;
  anchor(v.now);
  brief.setVms(v.vms);
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
        v.power === 'booting'
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
    settings?.heartbeatMode === 'pulse'
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
  votes.syncWithView(v.votesOpen, v.members);
  renderAlerts();
}

/** A sim duration as the wall-clock seconds a student waits, in both languages. */
function wallSecs(simMs: number): Bi {
  const s = wall(simMs) / 1000;
  return biNum(s, Number.isInteger(s) || s >= 10 ? 0 : 1);
}

/** The engine's delays that matter on this screen (from `welcome.timing`), at the current speed. */
function delaysText(): Bi | null {
  if (!timing) return null;
  const dead = wallSecs(timing.deadAfterMs);
  const dog = wallSecs(timing.watchdogMs);
  const vote = settings?.voteMode === 'human' ? wallSecs(timing.voteDeadlineMs) : null;
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

function renderAlerts(): void {
  const list: HTMLElement[] = [];
  if (status === 'lobby') list.push(banner('info', 'hourglass', bi('Le lab n’a pas encore démarré : l’enseignant va le lancer.', 'The lab has not started yet: the teacher will start it.')));
  if (status === 'paused') list.push(banner('warn', 'pause', bi('Lab en pause : le temps du cluster est arrêté.', 'Lab paused: cluster time is frozen.')));
  if (status === 'ended') list.push(banner('muted', 'stop', bi('Lab terminé. Merci !', 'Lab over. Thank you!')));
  const v = view;
  if (v && seat?.role === 'node') {
    if (v.power === 'off') list.push(banner('bad', 'power', bi('Nœud ÉTEINT : il ne participe plus au cluster.', 'Node powered OFF: it no longer takes part in the cluster.')));
    if (v.power === 'booting' && v.bootInMs !== null) list.push(banner('warn', 'power', bi('Démarrage en cours : prêt dans ', 'Booting: ready in '), countdown(v.now + v.bootInMs)));
    if (v.watchdogInMs !== null)
      list.push(banner('bad', 'timer', bi('Watchdog armé : auto-fencing dans ', 'Watchdog armed: self-fencing in '), countdown(v.now + v.watchdogInMs), bi(' si le quorum ne revient pas.', ' unless quorum comes back.')));
    if (v.skewDanger)
      list.push(banner('warn', 'warn', bi(`Horloge décalée de ${secs(Math.abs(v.skewMs), 'fr', 1)} s : corosync et HA peuvent mal se comporter. Vérifiez chrony (timedatectl).`, `Clock off by ${secs(Math.abs(v.skewMs), 'en', 1)} s: corosync and HA may misbehave. Check chrony (timedatectl).`)));
  }
  byId('alerts').replaceChildren(...list);
}

// ------------------------------------------------------------ fencing prompts (human vote mode)

const votes = new VoteBar(byId('prompts'), byId('prompt-live'), {
  send: (voteId, yes) => sock.send({ type: 'vote', voteId, yes }),
  notConnected: () => notice('not_connected', ''),
  log: (l) => log(l),
  countdown,
  simNow,
  me: () => seat?.node,
});

// ------------------------------------------------------------ QDevice seat

function renderQd(v: QdView): void {
  qview = v;
  anchor(v.now);
  renderQdPanel(v, { running: status === 'running', choose: (node) => sock.send({ type: 'qdevice-choice', node }) || notice('not_connected', '') });
}

// ------------------------------------------------------------ terminal

function promptText(): string {
  return `root@${seat?.node ?? 'pve'}:~# `;
}

const term = new Terminal(byId('terminal-out'), byId<HTMLInputElement>('terminal-input'), byId<HTMLFormElement>('terminal-form'), code, {
  send: (line, id) => sock.send({ type: 'command', line, id }),
  // Pulse mode: Enter on an empty line is a heartbeat, so the terminal never costs the node its life.
  emptyLine: () => {
    if (pulsing()) pulse();
  },
  prompt: promptText,
});

// ------------------------------------------------------------ heartbeat: pulse mode

const pulseBtn = byId<HTMLButtonElement>('pulse-btn');
pulseBtn.prepend(icon('heart'));


function pulse(): void {
  const now = Date.now();
  if (now - lastPulse < PULSE_MIN_GAP_MS) return;
  if (!sock.send({ type: 'pulse' })) return notice('not_connected', '');
  lastPulse = now;
  pulseBtn.classList.remove('beat');
  void pulseBtn.offsetWidth; // restart the animation
  pulseBtn.classList.add('beat');
  paintPulse();
}

const pulsing = () => settings?.heartbeatMode === 'pulse' && seat?.role === 'node';
pulseBtn.addEventListener('click', pulse);
// Alt+P pulses from anywhere, the terminal included (capture phase: the letter is not typed).
document.addEventListener(
  'keydown',
  (e) => {
    if (!pulsing() || !e.altKey || e.ctrlKey || e.metaKey || e.code !== 'KeyP') return;
    e.preventDefault();
    e.stopPropagation();
    if (!e.repeat) pulse();
  },
  true,
);
document.addEventListener('keydown', (e) => {
  if (!pulsing()) return;
  if (e.key !== ' ' && e.key !== 'Enter') return;
  if (e.repeat || e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target as HTMLElement | null;
  // Keys typed into a field or on a button keep their usual meaning.
  if (t?.closest('input, textarea, select, button, a, [contenteditable], [role="alertdialog"]')) return;
  e.preventDefault();
  pulse();
});

function paintPulse(): void {
  if (settings?.heartbeatMode !== 'pulse' || seat?.role !== 'node' || !timing) return;
  // Silent longer than deadAfterMs (sim time, the engine's profile): the peers drop this node.
  const limit = wall(timing.deadAfterMs);
  const age = lastPulse ? Date.now() - lastPulse : null;
  const meter = byId('pulse-meter');
  const text = byId('pulse-age');
  const help = byId('pulse-help');
  const limitS = { fr: secs(limit, 'fr'), en: secs(limit, 'en') };
  help.replaceChildren(
    bi(
      `Appuyez sur le bouton, sur Espace / Entrée hors du terminal, sur Alt+P partout, ou sur Entrée sur une ligne vide du terminal, au moins toutes les quelques secondes. Après ${limitS.fr} s sans battement, les autres nœuds déclarent le vôtre mort.`,
      `Press the button, Space / Enter outside the terminal, Alt+P anywhere, or Enter on an empty terminal line, at least every few seconds. After ${limitS.en} s without a pulse, the other nodes declare yours dead.`,
    ),
  );
  const ratio = age === null ? 1 : Math.min(1, age / limit);
  meter.style.width = `${Math.round((1 - ratio) * 100)}%`;
  const tone = age === null || age >= limit ? 'bad' : age >= limit * 0.6 ? 'warn' : 'ok';
  text.className = `pulse-age ${tone}`;
  meter.className = tone;
  if (age === null) text.replaceChildren(icon('cross'), bi('Aucun battement envoyé depuis l’ouverture de la page.', 'No pulse sent since this page opened.'));
  else if (age >= limit) text.replaceChildren(icon('cross'), bi(`Aucun battement depuis ${secs(age, 'fr')} s : votre nœud est déclaré mort.`, `No pulse for ${secs(age, 'en')} s: your node is declared dead.`));
  else
    text.replaceChildren(
      icon(tone === 'ok' ? 'heart' : 'warn'),
      bi(`Dernier battement il y a ${secs(age, 'fr', 1)} s (mort à ${limitS.fr} s).`, `Last pulse ${secs(age, 'en', 1)} s ago (dead at ${limitS.en} s).`),
    );
}

// ------------------------------------------------------------ clock loop

let loopTimer: number | undefined;

function startTimers(): void {
  stopTimers();
  loopTimer = window.setInterval(() => {
    for (const s of document.querySelectorAll<HTMLElement>('[data-until], [data-since]')) paintCountdown(s);
    votes.tick();
    paintPulse();
  }, 250);
  // Auto heartbeat mode: the server counts the node alive while its last ping is fresh (a few
  // wall-clock seconds, whatever the time scale). Otherwise pings only keep the socket alive.
  const heartbeats = settings?.heartbeatMode !== 'pulse' && seat?.role === 'node';
  sock.setPingEvery(heartbeats ? HEARTBEAT_PING_MS : KEEPALIVE_MS);
}

function stopTimers(): void {
  clearInterval(loopTimer);
}

// ------------------------------------------------------------ socket

function readSettings(v: unknown): LabSettings | null {
  const x = v as LabSettings | null;
  return x && typeof x === 'object' && typeof x.timeScale === 'number' && x.timeScale > 0 ? x : null;
}

function readTiming(v: unknown): Timing | null {
  const x = v as Timing | null;
  return x && typeof x === 'object' && typeof x.deadAfterMs === 'number' && typeof x.watchdogMs === 'number' && typeof x.voteDeadlineMs === 'number' ? x : null;
}

/** Who reads the events: sentences about this node say "you". */
const reader = () => (seat?.role === 'qdevice' ? 'qdevice' : (seat?.node ?? null));
/** The terminal shows commands; faults are the teacher's secret (the server sends neither). */
const JOURNAL_SKIPS = new Set(['command', 'fault-applied']);

function onWelcome(m: Frame): void {
  const s = m.seat;
  let movedTo: SeatInfo | null = null;
  if (isSeat(s)) {
    if ((seat?.seatId && (seat.team !== s.team || seat.node !== s.node || seat.role !== s.role)) || moved) {
      // A new cluster: nothing of the old one applies any more.
      movedTo = s;
      view = null;
      qview = null;
      votes.removeAll();
      checkpointCard.hide();
    }
    seat = s;
    if (stored) {
      const rejoinCode = typeof m.rejoinCode === 'string' ? m.rejoinCode : stored.rejoinCode;
      stored = { token: stored.token, seat: s, ...(rejoinCode ? { rejoinCode } : {}) };
      saveSeat(code, stored);
    }
  }
  moved = false;
  settings = readSettings(m.settings) ?? settings;
  timing = readTiming(m.timing) ?? timing;
  status = (m.status as LabStatus) ?? status;
  anchor(m.simTime);
  restore(m.backlog as WelcomeBacklog | undefined, !connectedOnce || !!movedTo);
  byId('gate').hidden = true;
  byId('console').hidden = false;
  renderIdentity();
  if (seat && settings) void brief.load(settings.scenarioId, seat);
  if (movedTo) {
    const where: Bi = movedTo.role === 'qdevice' ? { fr: 'le QDevice', en: 'the QDevice' } : { fr: movedTo.node, en: movedTo.node };
    const text: Bi = {
      fr: `Vous avez été déplacé dans l’équipe ${movedTo.team} : vous êtes maintenant ${where.fr}.`,
      en: `You were moved to team ${movedTo.team}: you are now ${where.en}.`,
    };
    showNotice('moved', 'info', text);
    log({ tone: 'info', icon: 'swap', ...text });
  } else if (seat)
    log(
      connectedOnce
        ? { tone: 'ok', icon: 'plug', fr: 'Reconnecté au cluster.', en: 'Reconnected to the cluster.' }
        : seat.role === 'qdevice'
          ? { tone: 'ok', icon: 'plug', fr: `Connecté : vous êtes le QDevice de l’équipe ${seat.team}.`, en: `Connected: you are team ${seat.team}'s QDevice.` }
          : { tone: 'ok', icon: 'plug', fr: `Connecté : vous êtes ${seat.node}, équipe ${seat.team}.`, en: `Connected: you are ${seat.node}, team ${seat.team}.` },
    );
  if ((!connectedOnce || movedTo) && seat?.role === 'node')
    term.note({ fr: `Console de ${seat.node} (simulée). Tapez « help » pour la liste des commandes.`, en: `${seat.node} console (simulated). Type “help” for the list of commands.` });
  connectedOnce = true;
  renderStatus();
  startTimers();
}

/** Last engine event shown in the journal: a reconnection adds only what came after it. */
let lastEventSeq = 0;

function journalLine(ev: Record<string, unknown>): void {
  if (typeof ev.seq === 'number') {
    if (ev.seq <= lastEventSeq) return;
    lastEventSeq = ev.seq;
  }
  if (JOURNAL_SKIPS.has(String(ev.type))) return;
  const l = describeEvent(ev, reader());
  // When it happened, in wall time: the sim clock runs `timeScale` times faster.
  if (l) log(l, typeof ev.at === 'number' ? Date.now() - Math.max(0, wall(simNow() - ev.at)) : undefined);
}

/** welcome.backlog: after a reload the terminal and the journal come back from the server. */
function restore(backlog: WelcomeBacklog | undefined, fresh: boolean): void {
  if (!backlog || typeof backlog !== 'object') return;
  if (fresh) {
    journal.clear();
    lastEventSeq = 0;
  }
  const events = Array.isArray(backlog.journal) ? backlog.journal : [];
  for (const ev of events) if (ev && typeof ev === 'object') journalLine(ev as Record<string, unknown>);
  if (!fresh || !Array.isArray(backlog.terminal) || !backlog.terminal.length) return;
  term.clear();
  for (const t of backlog.terminal as TerminalEntry[]) {
    if (typeof t?.line !== 'string' || typeof t.output !== 'string') continue;
    term.echo(t.line);
    term.output({ output: t.output });
  }
  term.note({ fr: '(historique restauré depuis le serveur)', en: '(history restored from the server)' });
}

/** The teacher changed the time scale or the vote mode: it applies from now on. */
function onSettings(next: LabSettings): void {
  const before = settings;
  anchor(simNow()); // the clock ran at the old speed until now
  settings = next;
  if (before && before.timeScale !== next.timeScale) {
    const x = biNum(next.timeScale, next.timeScale % 1 ? 2 : 0);
    log({ tone: 'info', icon: 'clock', fr: `Vitesse du temps : ×${x.fr}.`, en: `Time scale: ×${x.en}.` });
  }
  if (before && before.voteMode !== next.voteMode)
    log(
      next.voteMode === 'human'
        ? { tone: 'info', icon: 'ballot', fr: 'Les votes de fencing passent aux élèves.', en: 'Fencing votes are now up to the students.' }
        : { tone: 'info', icon: 'ballot', fr: 'Les votes de fencing redeviennent automatiques.', en: 'Fencing votes are automatic again.' },
    );
  renderIdentity();
  startTimers();
  if (view) renderView(view);
  // The QDevice view says whether the student chooses: ask for it again.
  if (seat?.role === 'qdevice') sock.send({ type: 'hello' });
  paintPulse();
}

function onMessage(m: Frame): void {
  switch (m.type) {
    case 'welcome':
      return onWelcome(m);
    case 'settings': {
      const next = readSettings(m.settings);
      if (next) onSettings(next);
      return;
    }
    case 'view': {
      const v = m.view as Record<string, unknown> | null;
      if (!v || typeof v !== 'object') return;
      if (seat?.role === 'qdevice' || 'partitions' in v) renderQd(v as unknown as QdView);
      else renderView(v as unknown as NodeView);
      return;
    }
    case 'status': {
      const before = status;
      status = m.status as LabStatus;
      anchor(m.simTime);
      renderStatus();
      if (qview) renderQd(qview);
      // The server counts every node as just heard at start and on resume (pulse mode grace).
      if (status === 'running' && before !== 'running') lastPulse = Math.max(lastPulse, Date.now());
      if (before && before !== status) {
        const st = statusOf(status);
        log({ tone: st.tone === 'ok' ? 'ok' : 'info', icon: st.icon, fr: `Lab ${st.fr}.`, en: `Lab ${st.en}.` });
      }
      return;
    }
    case 'prompt':
      if (typeof m.voteId === 'number' && typeof m.target === 'string' && typeof m.deadline === 'number')
        votes.show({ voteId: m.voteId, target: m.target, deadline: m.deadline, quorum: typeof m.quorum === 'number' ? m.quorum : 0, partition: Array.isArray(m.partition) ? m.partition.map(String) : [] });
      return;
    case 'checkpoint':
      if (m.checkpoint && typeof m.checkpoint === 'object') checkpointCard.open(m.checkpoint as Parameters<CheckpointCard['open']>[0]);
      return;
    case 'checkpoint-results':
      if (Array.isArray(m.results)) checkpointCard.results(m as unknown as Parameters<CheckpointCard['results']>[0]);
      return;
    case 'objectives':
      if (Array.isArray(m.met)) brief.setMet(m.met as ObjectiveMet[]);
      return;
    case 'output':
      term.output(m as { id?: unknown; output?: unknown });
      return;
    case 'event': {
      const ev = m.event as Record<string, unknown> | null;
      if (!ev || typeof ev !== 'object') return;
      anchor(ev.at);
      journalLine(ev);
      // Only the seat whose command opened it receives this event: a banner that stays.
      if (ev.type === 'split-brain-started') showNotice('harm', 'warn', harmText(typeof ev.cause === 'string' ? ev.cause : ''));
      return;
    }
    case 'error': {
      const c = typeof m.code === 'string' ? m.code : 'internal';
      const msg = typeof m.message === 'string' ? m.message : '';
      if (c === 'moved') {
        // The socket closes next; the new welcome says where to.
        moved = true;
        return;
      }
      if (c === 'kicked') kickedMessage = msg;
      if (term.waiting && (c === 'not_running' || c === 'not_a_node' || c === 'rate_limited')) {
        // A refused command: say so where the student is looking.
        term.refused(ERROR_TEXT[c]!);
        return;
      }
      notice(c, msg);
      return;
    }
  }
}

const sock = new LabSocket(
  () => socketUrl(code, 'student', { token: stored!.token }),
  {
    onMessage,
    onState(st) {
      if (st.kind === 'open') setConn('online');
      else if (st.kind === 'down') {
        console.info(`socket closed (${st.code}${st.reason ? `: ${st.reason}` : ''}); retry in ${st.retryInMs} ms`);
        setConn(moved ? 'connecting' : 'offline');
      } else if (st.kind === 'connecting' && !connectedOnce) setConn('connecting');
      else if (st.kind === 'refused') {
        // The seat's socket was replaced (4001: taken back on another device): this tab stops.
        console.info(`socket refused: ${st.reason}`);
        showGate({ fr: 'Déconnecté', en: 'Disconnected' }, SEAT_ELSEWHERE);
      }
    },
    async onPolicyClose(reason) {
      // 1008: moved (same token, new team: connect again), kicked, revoked token or rate limit.
      if (moved) return true;
      const r = await apiJson<{ seat: SeatInfo }>(`/api/labs/${code}/me`, { token: stored!.token });
      if (r.ok && isSeat(r.data?.seat)) return true; // still a valid seat (rate limited): reconnect
      if (r.ok || r.status === 401) {
        forgetSeat(code);
        console.info(`seat closed by the server: ${kickedMessage || reason}`);
        showGate(
          { fr: 'Déconnecté', en: 'Disconnected' },
          kickedMessage
            ? { fr: 'L’enseignant vous a retiré de ce siège. Vous pouvez rejoindre le lab à nouveau.', en: 'The teacher removed you from this seat. You can join the lab again.' }
            : SEAT_ELSEWHERE,
        );
        return false;
      }
      return true; // the server could not be asked: keep trying with backoff
    },
  },
  { pingEveryMs: HEARTBEAT_PING_MS, silentLimitMs: SILENT_SOCKET_MS },
);

// ------------------------------------------------------------ start

onLang(() => {
  // Countdown and pulse texts are built in both languages; nothing else to redo.
  paintPulse();
});

if (!CODE_RE.test(code)) {
  showGate({ fr: 'Code de lab manquant', en: 'Missing lab code' }, { fr: 'Cette page s’ouvre depuis la page « Rejoindre un lab ».', en: 'This page opens from the “Join a lab” page.' });
} else if (!stored) {
  showGate(
    { fr: 'Aucune place dans ce navigateur', en: 'No seat in this browser' },
    { fr: `Ce navigateur n’a pas de place enregistrée pour le lab ${code}. Rejoignez-le d’abord.`, en: `This browser has no seat saved for lab ${code}. Join it first.` },
  );
} else {
  byId('console').hidden = false;
  if (seat) renderIdentity();
  setConn('connecting');
  sock.start();
}
