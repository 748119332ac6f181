// Node console: the student's browser is one node (or the QDevice) of their team's cluster.
// Connects to /ws/labs/<CODE>/student, heartbeats (pings or pulses), and shows what this node
// sees: quorum, membership, /etc/pve, countdowns, VMs, HA; plus a terminal, fencing prompts and
// a log. Protocol: docs/protocol.md. Every server or student string goes in with textContent.
import type { DiagnosisNodeView, LabSettings, LabStatus, NodeView, ObjectiveMet, SeatInfo, TerminalEntry, Timing, WelcomeBacklog } from '../src/protocol/messages';
import { CODE_RE, apiJson, normalizeCode } from './lib/api';
import { Brief } from './lib/brief';
import { CheckpointCard } from './lib/checkpoint-card';
import { byId, el, icon } from './lib/dom';
import type { Line } from './lib/events';
import { type Bi, bi, biNum, biOf, biTitle, initLang, onLang, setBi } from './lib/i18n';
import { statusOf } from './lib/labels';
import { type Frame, LabSocket, socketUrl } from './lib/socket';
import { forgetSeat, isSeat, loadSeat, saveSeat, type StoredSeat } from './lib/storage';
import { Journal } from './lib/journal';
import { renderQdPanel, type QdView } from './lib/qdevice-panel';
import { Terminal } from './lib/terminal';
import { VoteBar } from './lib/votebar';
import { ERROR_TEXT, notice, SEAT_ELSEWHERE, showNotice } from './node/notices';
import { applyMode, renderAlerts, renderView, setCheckpointOpen, whenViewDrawn } from './node/panel';
import { DiagnosisCard } from './lib/diagnosis-card';
import { showEndScreen } from './node/end-screen';
import { EventFeed } from './node/feed';
import { gate, setConn } from './node/gate';
import { editOf, terminalEditor } from './node/editor';
import { renderNetworks } from './node/networks';
import type { Diagnosis } from '../src/protocol/diagnosis';
import { paintPulse, pulse, pulseGrace, pulseVia, pulsing } from './node/pulse';
import { anchor, countdown, diagnosing, page, paintCountdown, simNow } from './node/state';

const JOURNAL_MAX = 40;
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

page.seat = stored?.seat.seatId ? stored.seat : null;
let kickedMessage = '';
/** the teacher moved this seat: the next `welcome` says where to */
let moved = false;
let connectedOnce = false;


// ------------------------------------------------------------ page shell

biTitle('Nœud — Quorum Lab', 'Node — Quorum Lab');

function showGate(title: Bi, text: Bi, reason = ''): void {
  gate(code, title, text, reason);
  stopTimers();
}

// ------------------------------------------------------------ journal

function journalTarget(): HTMLElement {
  return byId(page.seat?.role === 'qdevice' ? 'qd-journal' : 'journal');
}

const journal = new Journal(journalTarget, JOURNAL_MAX);
const brief = new Brief(byId<HTMLDetailsElement>('brief'));
const checkpointCard = new CheckpointCard(
  byId('checkpoint'),
  (msg) => sock.send(msg),
  setCheckpointOpen,
);
const diagnosisCard = new DiagnosisCard(byId('diagnosis'), (d) => sock.send({ type: 'diagnosis', ...d }));
function log(l: Line, at?: number): void {
  journal.add(l, at);
}
const feed = new EventFeed(log, code);

// ------------------------------------------------------------ identity and lab status

function renderIdentity(): void {
  if (!page.seat) return;
  const isQd = page.seat.role === 'qdevice';
  byId('node-name').textContent = isQd ? 'QDevice' : page.seat.node;
  setBi(byId('team-line'), `Équipe ${page.seat.team}`, `Team ${page.seat.team}`);
  byId('student-name').textContent = page.seat.name;
  // The rejoin code (servers with seat rejoin): name + code take this seat back on any device.
  byId('rejoin-line').hidden = !stored?.rejoinCode;
  byId('rejoin-code').textContent = stored?.rejoinCode ?? '';
  biTitle(`${isQd ? 'QDevice' : page.seat.node} — Quorum Lab`, `${isQd ? 'QDevice' : page.seat.node} — Quorum Lab`);
  const promptText = `root@${page.seat.node}:~#`;
  byId('terminal-prompt-text').textContent = promptText;
  byId('node-panel').hidden = isQd;
  byId('qdevice-panel').hidden = !isQd;
  diagnosisCard.show(diagnosing());
  applyMode();
  const pulseMode = page.settings?.heartbeatMode === 'pulse';
  byId('beat-auto').hidden = pulseMode;
  byId('beat-card').hidden = !pulseMode;
}

function renderStatus(): void {
  const box = byId('lab-status');
  if (!page.status) return box.replaceChildren();
  if (page.status === 'ended' && stored) void showEndScreen(code, stored.token);
  const st = statusOf(page.status);
  box.replaceChildren(el('span', { class: `badge ${st.tone}` }, icon(st.icon), bi('Lab : ', 'Lab: '), biOf(st)));
  renderAlerts();
}


// ------------------------------------------------------------ fencing prompts (human vote mode)

whenViewDrawn((v) => {
  renderNetworks(v);
  brief.setVms(v.vms);
  diagnosisCard.setNodes([v.node, ...v.peers.map((p) => p.name)]);
  votes.syncWithView(v.votesOpen);
});
pulseVia(() => sock.send({ type: 'pulse' }));

const votes = new VoteBar(byId('prompts'), byId('prompt-live'), {
  send: (voteId, yes) => sock.send({ type: 'vote', voteId, yes }),
  notConnected: () => notice('not_connected', ''),
  log: (l) => log(l),
  countdown,
  simNow,
  me: () => page.seat?.node,
});

// ------------------------------------------------------------ QDevice seat

function renderQd(v: QdView): void {
  page.qview = v;
  anchor(v.now);
  renderQdPanel(v, { running: page.status === 'running', choose: (node) => sock.send({ type: 'qdevice-choice', node }) || notice('not_connected', '') });
}

// ------------------------------------------------------------ terminal

function promptText(): string {
  return `root@${page.seat?.node ?? 'pve'}:~# `;
}

const term = new Terminal(byId('terminal-out'), byId<HTMLInputElement>('terminal-input'), byId<HTMLFormElement>('terminal-form'), code, {
  send: (line, id) => sock.send({ type: 'command', line, id }),
  // Pulse mode: Enter on an empty line is a heartbeat, so the terminal never costs the node its life.
  emptyLine: () => {
    if (pulsing()) pulse();
  },
  prompt: promptText,
});

// `nano <file>`: the editor takes the terminal's place; its save prints there like a command.
const editor = terminalEditor(term, (frame) => sock.send(frame));

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
  const heartbeats = page.settings?.heartbeatMode !== 'pulse' && page.seat?.role === 'node';
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


function onWelcome(m: Frame): void {
  const s = m.seat;
  let movedTo: SeatInfo | null = null;
  if (isSeat(s)) {
    if ((page.seat?.seatId && (page.seat.team !== s.team || page.seat.node !== s.node || page.seat.role !== s.role)) || moved) {
      // A new cluster: nothing of the old one applies any more.
      movedTo = s;
      page.view = null;
      page.qview = null;
      votes.removeAll();
      checkpointCard.hide();
      editor.dismiss();
    }
    page.seat = s;
    if (stored) {
      const rejoinCode = typeof m.rejoinCode === 'string' ? m.rejoinCode : stored.rejoinCode;
      stored = { token: stored.token, seat: s, ...(rejoinCode ? { rejoinCode } : {}) };
      saveSeat(code, stored);
    }
  }
  moved = false;
  page.settings = readSettings(m.settings) ?? page.settings;
  page.timing = readTiming(m.timing) ?? page.timing;
  page.status = (m.status as LabStatus) ?? page.status;
  anchor(m.simTime);
  restore(m.backlog as WelcomeBacklog | undefined, !connectedOnce || !!movedTo);
  byId('gate').hidden = true;
  byId('console').hidden = false;
  renderIdentity();
  if (page.seat && page.settings) void brief.load(page.settings.scenarioId, page.seat, diagnosing());
  if (movedTo) {
    const where: Bi = movedTo.role === 'qdevice' ? { fr: 'le QDevice', en: 'the QDevice' } : { fr: movedTo.node, en: movedTo.node };
    const text: Bi = {
      fr: `Vous avez été déplacé dans l’équipe ${movedTo.team} : vous êtes maintenant ${where.fr}.`,
      en: `You were moved to team ${movedTo.team}: you are now ${where.en}.`,
    };
    showNotice('moved', 'info', text);
    log({ tone: 'info', icon: 'swap', ...text });
  } else if (page.seat)
    log(
      connectedOnce
        ? { tone: 'ok', icon: 'plug', fr: 'Reconnecté au cluster.', en: 'Reconnected to the cluster.' }
        : page.seat.role === 'qdevice'
          ? { tone: 'ok', icon: 'plug', fr: `Connecté : vous êtes le QDevice de l’équipe ${page.seat.team}.`, en: `Connected: you are team ${page.seat.team}'s QDevice.` }
          : { tone: 'ok', icon: 'plug', fr: `Connecté : vous êtes ${page.seat.node}, équipe ${page.seat.team}.`, en: `Connected: you are ${page.seat.node}, team ${page.seat.team}.` },
    );
  if ((!connectedOnce || movedTo) && page.seat?.role === 'node')
    term.note({ fr: `Console de ${page.seat.node} (simulée). Tapez « help » pour la liste des commandes.`, en: `${page.seat.node} console (simulated). Type “help” for the list of commands.` });
  connectedOnce = true;
  renderStatus();
  startTimers();
}

/** welcome.backlog: after a reload the terminal and the journal come back from the server. */
function restore(backlog: WelcomeBacklog | undefined, fresh: boolean): void {
  if (!backlog || typeof backlog !== 'object') return;
  if (fresh) {
    journal.clear();
    feed.reset();
  }
  const events = Array.isArray(backlog.journal) ? backlog.journal : [];
  for (const ev of events) if (ev && typeof ev === 'object') feed.line(ev as Record<string, unknown>);
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
  const before = page.settings;
  anchor(simNow()); // the clock ran at the old speed until now
  page.settings = next;
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
  if (page.view) renderView(page.view);
  // The QDevice view says whether the student chooses: ask for it again.
  if (page.seat?.role === 'qdevice') sock.send({ type: 'hello' });
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
      if (page.seat?.role === 'qdevice' || 'partitions' in v) renderQd(v as unknown as QdView);
      else renderView(v as unknown as NodeView | DiagnosisNodeView);
      return;
    }
    case 'status': {
      const before = page.status;
      page.status = m.status as LabStatus;
      anchor(m.simTime);
      renderStatus();
      if (page.qview) renderQd(page.qview);
      // The server counts every node as just heard at start and on resume (pulse mode grace).
      if (page.status === 'running' && before !== 'running') pulseGrace();
      if (before && before !== page.status) {
        const st = statusOf(page.status);
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
    case 'output': {
      term.output(m as { id?: unknown; output?: unknown });
      const edit = editOf(m.edit);
      if (edit) editor.open(edit);
      return;
    }
    case 'event': {
      const ev = m.event as Record<string, unknown> | null;
      if (!ev || typeof ev !== 'object') return;
      anchor(ev.at);
      feed.event(ev);
      return;
    }
    case 'diagnosis': {
      const d = m.diagnosis as Diagnosis | null;
      if (d && typeof d === 'object' && typeof d.cause === 'string') diagnosisCard.stored(d);
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

/** A reconnection (not a reload, not a move) asks only for what this page has not seen yet. */
const resume = (): Record<string, string> => (connectedOnce && !moved && page.seat ? { resume: `${page.seat.team}.${feed.last}` } : {});
const sock = new LabSocket(
  () => socketUrl(code, 'student', { token: stored!.token, ...resume() }),
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
  if (page.seat) renderIdentity();
  setConn('connecting');
  sock.start();
}
