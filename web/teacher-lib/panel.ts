// One team's live panel: partitions as groups of node boxes, links, QDevice, storage, VMs,
// incidents, votes, the next scheduled faults and score, from the team's teacher socket. The live
// part is rebuilt when the snapshot changes (it holds no focusable control); the fault console
// below it is built once. The panel also hands the team's events to the feed, each once.
import type { LabSettings } from '../../src/protocol/messages';
import type { Fault } from '../../src/protocol/messages';
import { el, type Child } from '../lib/dom';
import { incidentKind, powerText } from '../lib/events';
import { bi, biNum, biOf, clock, duration, type Bi } from '../lib/i18n';
import { LabSocket, type Frame, type SocketState } from '../lib/socket';
import { faultConsole } from './faults';
import { SKEW_DANGER_MS, foldLinks, isSnapshot, type Snapshot } from './snapshot';
import { presenceChip } from './roster';
import { incidentsClosedList, upcomingList, votesList } from './panel-lists';
import { troubles } from './trouble';
import { chip, glyph } from './ui';
import { factsList, vmsTable } from './panel-facts';
import { summarize } from '../../src/protocol/summary';
import { snapshotFigure } from '../lib/topology-mount';

export interface PanelHooks {
  socketUrl(team: number): string;
  /** New events of this team, oldest first, each delivered once (backlog included). */
  onEvents(team: number, events: SeqEvent[]): void;
  /** Events after `after` from the HTTP route, to fill a gap the socket's backlog does not cover. */
  fetchEvents(team: number, after: number): Promise<unknown[] | null>;
  onStatus(status: string): void;
  onSettings(settings: LabSettings): void;
  /** the lab's time scale (sim ms per wall ms), for countdowns in wall seconds */
  timeScale(): number;
  apply(fault: Fault, team: number | null): Promise<boolean>;
  healAll(): Promise<boolean>;
  copy(text: string): Promise<void>;
  /** the team entered or left trouble (filter) */
  onTrouble(): void;
  /** a student's browser connected or left (roster) */
  onPresence(): void;
  /** the team's open checkpoint and its answer counts, from each snapshot */
  onCheckpoint?(team: number, checkpoint: Snapshot['checkpoint']): void;
  /** a panel opened from the summary grid has a close button (src: web/teacher-lib/teams.ts) */
  onClose?(team: number): void;
}

/** An engine event as the feed needs it: a sequence number (per team), a sim time, a type. */
export type SeqEvent = Record<string, unknown> & { seq: number; at: number; type: string };

function isSeqEvent(e: unknown): e is SeqEvent {
  const x = e as SeqEvent | null;
  return !!x && typeof x === 'object' && typeof x.seq === 'number' && typeof x.at === 'number' && typeof x.type === 'string';
}

/** Keepalive pings through proxies; nothing heard for 70 s: the connection is dead. */
const SOCKET = { pingEveryMs: 25_000, silentLimitMs: 70_000 };


export class TeamPanel {
  readonly root: HTMLElement;
  private readonly conn = el('span', { class: 't-conn' });
  private readonly score = el('span', { class: 't-team-score' });
  private readonly live = el('div', { class: 't-live' });
  private readonly scoreLines = el('ul', { class: 't-score-lines' });
  private readonly faultSlot = el('details', { class: 't-team-faults' });
  private readonly socket: LabSocket;
  private snap: Snapshot | null = null;
  /** last event handed to the feed; frames at or below it are repeats (reconnects) */
  private lastSeq = 0;
  /** live events held while a gap is being filled over HTTP */
  private held: unknown[] | null = null;
  private lastKey = '';
  private students = new Map<string, string>();
  private consoleBuilt = false;
  private readonly body = el('div', { class: 't-team-body' });
  private readonly summary = el('p', { class: 't-team-summary' });
  private readonly toggle = el('button', { class: 't-btn t-btn-small t-team-toggle', attrs: { type: 'button', 'aria-expanded': 'true' } });
  private ended = false;
  private presenceAt = 0;
  private presenceKey = '';
  expanded = true;
  inTrouble = false;

  constructor(
    readonly team: number,
    private readonly hooks: PanelHooks,
  ) {
    const headingId = `team-${team}-title`;
    this.faultSlot.append(el('summary', {}, glyph('⚡'), bi(`Pannes — équipe ${team}`, `Faults — team ${team}`)));
    this.live.append(el('p', { class: 't-muted' }, bi('En attente des données…', 'Waiting for data…')));
    this.root = el(
      'article',
      { class: 't-team', attrs: { 'aria-labelledby': headingId, 'data-team': team } },
      el(
        'header',
        { class: 't-team-head' },
        el('h3', { id: headingId, attrs: { tabindex: '-1' } }, bi(`Équipe ${team}`, `Team ${team}`)),
        this.score,
        this.conn,
        this.toggle,
        hooks.onClose
          ? el('button', { class: 't-btn t-btn-small t-team-close', attrs: { type: 'button' }, on: { click: () => hooks.onClose!(team) } }, glyph('✕'), bi('Fermer', 'Close'), el('span', { class: 't-sr' }, bi(` l’équipe ${team}`, ` team ${team}`)))
          : null,
      ),
      this.summary,
      this.body,
    );
    this.body.id = `team-${team}-body`;
    this.toggle.setAttribute('aria-controls', this.body.id);
    this.body.append(this.live, el('details', { class: 't-score-details' }, el('summary', {}, bi('Détail du score', 'Score details')), this.scoreLines), this.faultSlot);
    this.toggle.addEventListener('click', () => this.setCompact(this.expanded));
    this.setCompact(false);
    this.socket = new LabSocket(() => hooks.socketUrl(team), { onMessage: (m) => this.onMessage(m), onState: (st) => this.onSocket(st) }, SOCKET);
    this.onSocket({ kind: 'connecting' });
  }

  start(): void {
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
  }

  /** Brings the panel into view with the keyboard on its heading. */
  focus(): void {
    const h = this.root.querySelector<HTMLElement>('h3');
    h?.focus();
    this.root.scrollIntoView({ block: 'nearest' });
  }

  /** Compact: the header and the one-line summary only; the button expands it. */
  setCompact(compact: boolean): void {
    this.expanded = !compact;
    this.body.hidden = compact;
    this.root.classList.toggle('t-compact', compact);
    this.toggle.setAttribute('aria-expanded', String(!compact));
    this.toggle.replaceChildren(compact ? bi('Détails', 'Details') : bi('Réduire', 'Collapse'));
  }

  /** An ended lab: no fault console, and the connection chip no longer says "live". */
  setEnded(ended: boolean): void {
    if (this.ended === ended) return;
    this.ended = ended;
    this.faultSlot.hidden = ended;
    if (ended) this.conn.replaceChildren(chip('muted', '■', { fr: 'terminé', en: 'ended' }));
  }

  /** The student's browser on `node`, as of the last snapshot. */
  presence(node: string): (NonNullable<Snapshot['presence']>[string] & { receivedAt: number }) | undefined {
    const p = this.snap?.presence?.[node];
    return p ? { ...p, receivedAt: this.presenceAt } : undefined;
  }

  /** node name → student name, from the roster */
  setStudents(map: Map<string, string>): void {
    const same = map.size === this.students.size && [...map].every(([k, v]) => this.students.get(k) === v);
    if (same) return;
    this.students = map;
    this.lastKey = '';
    if (this.snap) this.render(this.snap);
  }

  private onSocket(s: SocketState): void {
    if (this.ended) return;
    this.conn.replaceChildren(
      s.kind === 'open'
        ? chip('ok', '●', { fr: 'en direct', en: 'live' })
        : s.kind === 'connecting'
          ? chip('info', '◌', { fr: 'connexion…', en: 'connecting…' })
          : s.kind === 'down'
            ? chip('warn', '⚠', { fr: `coupé, nouvel essai dans ${Math.ceil(s.retryInMs / 1000)} s`, en: `offline, retrying in ${Math.ceil(s.retryInMs / 1000)} s` })
            : chip('bad', '✗', { fr: `refusé : ${s.reason || '—'}`, en: `refused: ${s.reason || '—'}` }),
    );
  }

  private onMessage(m: Frame): void {
    if (m.type === 'snapshot' && isSnapshot(m.snapshot)) {
      this.snap = m.snapshot;
      this.presenceAt = Date.now();
      const pk = JSON.stringify(Object.entries(m.snapshot.presence ?? {}).map(([n, p]) => [n, p.online]));
      if (pk !== this.presenceKey) {
        this.presenceKey = pk;
        this.hooks.onPresence();
      }
      this.render(m.snapshot);
      this.hooks.onCheckpoint?.(this.team, m.snapshot.checkpoint);
      if (typeof m.snapshot.status === 'string') this.hooks.onStatus(m.snapshot.status);
    } else if (m.type === 'event') {
      if (this.held) this.held.push(m.event);
      else this.deliver([m.event]);
    } else if (m.type === 'events' && Array.isArray(m.events)) void this.backlog(m.events);
    else if (m.type === 'status' && typeof m.status === 'string') this.hooks.onStatus(m.status);
    else if (m.type === 'settings' && m.settings && typeof m.settings === 'object') this.hooks.onSettings(m.settings as LabSettings);
  }

  /** The recent past, sent on each (re)connection. After a long drop it may not reach back to
   * the last event already shown: the gap comes from the HTTP route. */
  private async backlog(events: unknown[]): Promise<void> {
    const first = events.find(isSeqEvent);
    if (this.lastSeq > 0 && first && first.seq > this.lastSeq + 1 && !this.held) {
      this.held = [];
      const gap = await this.hooks.fetchEvents(this.team, this.lastSeq);
      const held = this.held;
      this.held = null;
      this.deliver([...(gap ?? []), ...events, ...held]);
      return;
    }
    this.deliver(events);
  }

  /** Hands events never seen before to the feed, in sequence order. */
  private deliver(events: unknown[]): void {
    const fresh = events
      .filter(isSeqEvent)
      .sort((a, b) => a.seq - b.seq)
      .filter((e) => {
        if (e.seq <= this.lastSeq) return false;
        this.lastSeq = e.seq;
        return true;
      });
    if (fresh.length) this.hooks.onEvents(this.team, fresh);
  }

  private render(s: Snapshot): void {
    // Rebuild at most once per simulated second unless something else changed (presence ages
    // count in 5 s steps).
    const presence = Object.fromEntries(Object.entries(s.presence ?? {}).map(([n, p]) => [n, [p.online, Math.floor((p.agoMs ?? 0) / 5000)]]));
    const key = JSON.stringify({ ...s, presence, now: Math.floor(s.now / 1000), students: [...this.students] });
    if (key === this.lastKey) return;
    this.lastKey = key;
    if (!this.consoleBuilt) {
      this.consoleBuilt = true;
      this.faultSlot.append(
        faultConsole({
          team: this.team,
          nodes: s.nodes.map((n) => n.name),
          qdevice: !!s.qdevice,
          networks: s.networks,
          apply: this.hooks.apply,
          healAll: this.hooks.healAll,
          copy: this.hooks.copy,
        }),
      );
    }
    const pct = biNum(s.score.availability * 100, 0);
    this.score.replaceChildren(
      el('span', { class: 't-points' }, bi(`${biNum(s.score.total, 1).fr} pts`, `${biNum(s.score.total, 1).en} pts`)),
      el('span', { class: 't-muted' }, bi(` · disponibilité ${pct.fr} %`, ` · availability ${pct.en} %`)),
    );
    this.scoreLines.replaceChildren(
      ...s.score.lines.map((l) =>
        el('li', {}, el('span', { class: l.points < 0 ? 't-neg' : 't-pos', text: `${l.points > 0 ? '+' : ''}${l.points}` }), ' ', el('span', { text: l.reason })),
      ),
    );
    const why = troubles(summarize(s), this.students);
    const trouble = why.length > 0;
    this.root.dataset.trouble = trouble ? 'yes' : 'no';
    this.summary.replaceChildren(
      trouble ? chip('bad', '⚠', { fr: 'à surveiller', en: 'needs attention' }) : chip('ok', '✓', { fr: 'tout va bien', en: 'all fine' }),
      ...why.map((w) => el('span', { class: 't-why' }, biOf(w))),
    );
    if (trouble !== this.inTrouble) {
      this.inTrouble = trouble;
      this.hooks.onTrouble();
    }
    this.live.replaceChildren(...this.incidentsOpen(s), snapshotFigure(s, `topo-team-${this.team}`), this.partitions(s), factsList(s), vmsTable(s, this.team), ...votesList(s, this.hooks.timeScale()), ...upcomingList(s, this.hooks.timeScale()), ...incidentsClosedList(s));
  }

  private incidentsOpen(s: Snapshot): HTMLElement[] {
    return s.incidents
      .filter((i) => i.endedAt === null)
      .map((i) => {
        const k = incidentKind(i.kind);
        return el(
          'div',
          { class: 't-incident-open' },
          el('p', { class: 't-incident-title' }, glyph('⚠'), bi(`Split-brain en cours (n°${i.id}) : ${k.fr}`, `Split-brain in progress (#${i.id}): ${k.en}`)),
          el('p', { class: 't-incident-cause' }, bi('Cause : ', 'Cause: '), el('span', { text: i.cause })),
          el('p', { class: 't-muted' }, bi(`depuis t=${clock(i.startedAt)} · ${duration(s.now - i.startedAt)}`, `since t=${clock(i.startedAt)} · ${duration(s.now - i.startedAt)}`)),
        );
      });
  }

  private partitions(s: Snapshot): HTMLElement {
    const wrap = el('div', { class: 't-partitions' });
    const placed = new Set<string>();
    const many = s.partitions.length > 1;
    s.partitions.forEach((p, idx) => {
      for (const m of p.members) placed.add(m);
      const q = p.quorate;
      const head = el(
        'h4',
        { class: 't-part-head' },
        q ? chip('ok', '✓', { fr: 'quorate', en: 'quorate' }) : chip('bad', '✗', { fr: 'sans quorum', en: 'no quorum' }),
        ' ',
        bi(
          `${many ? `Partition ${idx + 1}` : 'Cluster'} · ${p.votes}/${p.expected} votes, quorum ${p.quorum}${p.qdevice ? ' (vote QDevice inclus)' : ''}`,
          `${many ? `Partition ${idx + 1}` : 'Cluster'} · ${p.votes}/${p.expected} votes, quorum ${p.quorum}${p.qdevice ? ' (QDevice vote included)' : ''}`,
        ),
      );
      const nodes = el('div', { class: 't-nodes' }, ...p.members.map((m) => this.nodeBox(s, m)));
      wrap.append(el('section', { class: `t-part ${q ? 't-part-q' : 't-part-nq'}`, attrs: { 'data-partition': idx + 1 } }, head, nodes));
    });
    const rest = s.nodes.filter((n) => !placed.has(n.name));
    if (rest.length)
      wrap.append(
        el(
          'section',
          { class: 't-part t-part-off' },
          el('h4', { class: 't-part-head' }, chip('muted', '○', { fr: 'hors cluster', en: 'out of the cluster' }), ' ', bi('Éteints ou en démarrage', 'Powered off or booting')),
          el('div', { class: 't-nodes' }, ...rest.map((n) => this.nodeBox(s, n.name))),
        ),
      );
    return wrap;
  }

  private nodeBox(s: Snapshot, name: string): HTMLElement {
    const n = s.nodes.find((x) => x.name === name);
    if (!n) return el('div', { class: 't-node', text: name });
    const on = n.power === 'on';
    const items: Child[] = [];
    items.push(
      el('li', {}, n.power === 'on' ? chip('ok', '●', powerText('on')) : n.power === 'booting' ? chip('info', '↻', powerText('booting')) : chip('muted', '○', powerText(n.power))),
    );
    if (on) items.push(el('li', {}, n.quorate ? chip('ok', '✓', { fr: 'quorate', en: 'quorate' }) : chip('bad', '✗', { fr: 'non quorate', en: 'not quorate' })));
    if (n.watchdogInMs !== null)
      items.push(el('li', {}, chip('bad', '⚠', { fr: `watchdog : reset dans ${Math.ceil(n.watchdogInMs / 1000)} s`, en: `watchdog: reset in ${Math.ceil(n.watchdogInMs / 1000)} s` })));
    if (n.skewMs !== 0) {
      const sec = `${n.skewMs > 0 ? '+' : ''}${Math.round(n.skewMs / 1000)} s`;
      const danger = Math.abs(n.skewMs) > SKEW_DANGER_MS;
      items.push(el('li', {}, chip(danger ? 'warn' : 'info', '◷', { fr: `horloge ${sec}${danger ? ' (danger)' : ''}`, en: `clock ${sec}${danger ? ' (danger)' : ''}` })));
    }
    if (n.expectedOverride) items.push(el('li', {}, chip('warn', '⚠', { fr: 'expected forcé', en: 'expected forced' }), ' ', el('span', { class: 't-small', text: n.expectedOverride })));
    const student = this.students.get(name);
    // A student's name as soon as the roster has it (lobby included); their browser's presence
    // is a chip of its own, never mistaken for a node fault.
    const p = this.presence(name);
    const who =
      n.auto && !student
        ? el('p', { class: 't-who t-muted' }, glyph('⚙'), bi('autopilote', 'autopilot'))
        : el('p', { class: 't-who' }, glyph('☺'), student ? el('span', { class: 't-student', text: student, attrs: { title: student } }) : bi('élève', 'student'));
    const gone = !n.auto || student ? (p && !p.online ? el('p', { class: 't-presence' }, presenceChip(p)) : null) : null;
    const state = !on ? 't-node-off' : n.quorate ? 't-node-q' : 't-node-nq';
    return el('div', { class: `t-node ${state}`, attrs: { 'data-node': name } }, el('p', { class: 't-node-name', text: name }), who, gone, el('ul', { class: 't-node-facts' }, ...items));
  }
}
