// With ?code= and the lab's secret: the live dashboard (header and controls, one panel per team,
// fault consoles, leaderboard, events feed, roster, projector view).
import type { LabSettings } from '../../src/protocol/messages';
import type { Fault } from '../../src/sim/types';
import { apiJson as api, errorText } from '../lib/api';
import { byId, el, icon } from '../lib/dom';
import { describeEvent } from '../lib/events';
import { bi, biAttr, biDate, biNum, biOf, biText, biTitle, clock, type Bi } from '../lib/i18n';
import { socketUrl } from '../lib/socket';
import { faultConsole } from './faults';
import { describeFault, faultAppliedLine } from './faults-text';
import { TeamPanel, type SeqEvent } from './panel';
import { qrSvg } from './qr';
import { labSecret } from './store';
import { BAD_SECRET, copyText, glyph, show, statusChip, toast, type ScenarioInfo } from './ui';

interface LabInfo {
  code: string;
  title: string;
  scenarioId: string;
  status: string;
  locked: boolean;
  settings: LabSettings;
  teams: { team: number; seats: number; free: number }[];
}
interface Seat {
  seatId: string;
  name: string;
  team: number;
  node: string;
  role: string;
  kicked: boolean;
  /** kicked and not yet allowed back */
  banned?: boolean;
  joinedAt: number;
}
interface BoardRow {
  team: number;
  total: number;
  availability: number;
  incidents: number;
}
interface FeedItem {
  team: number;
  at: number;
  seq: number;
  command: boolean;
  node: HTMLLIElement;
}

const POLL_MS = 4000;
const FEED_KEEP = 400;
/** Events that follow from other lines: too chatty for a classroom feed of every node. */
const FEED_SKIPS = new Set(['service-state', 'pmxcfs-write', 'heartbeat-lost']);

export async function dashboardPage(code: string, secret: string): Promise<void> {
  const base = `/api/labs/${encodeURIComponent(code)}`;
  const t = (path: string, method: 'GET' | 'POST' = 'GET', body?: unknown) => api<unknown>(`${base}/teacher/${path}`, { method, token: secret, body: body ?? (method === 'POST' ? {} : undefined) });

  const infoRes = await api<LabInfo>(base);
  if (!infoRes.ok) {
    needSecret(code, errorText(infoRes, BAD_SECRET));
    return;
  }
  // The secret is checked by a teacher route before anything is shown.
  const check = await api<{ seats: Seat[] }>(`${base}/teacher/roster`, { token: secret });
  if (!check.ok) {
    if (check.code === 'unauthorized') labSecret.set(code, null);
    needSecret(code, errorText(check, BAD_SECRET));
    return;
  }
  let info = infoRes.data;
  let status = info.status;
  let locked = info.locked;
  const scenarios = await api<{ scenarios: ScenarioInfo[] }>('/api/scenarios');
  const scenario = scenarios.ok ? scenarios.data.scenarios.find((s) => s.id === info.scenarioId) : undefined;
  const nodeNames = scenario?.nodeNames?.length ? scenario.nodeNames : Array.from({ length: scenario?.nodes ?? 3 }, (_, i) => `pve${i + 1}`);

  // ---------------------------------------------------------------- header
  biTitle(`${info.title} — ${code} — Quorum Lab`, `${info.title} — ${code} — Quorum Lab`);
  // Without a custom title the server stores the scenario's French title: show it bilingual.
  const defaultTitle = !!scenario && info.title === scenario.title.fr;
  byId('lab-title').replaceChildren(defaultTitle ? biOf(scenario.title) : info.title);
  const scenarioLine = byId('lab-scenario');
  scenarioLine.hidden = defaultTitle;
  scenarioLine.replaceChildren(scenario ? biOf(scenario.title) : info.scenarioId);
  const yesNo = (b: boolean): Bi => (b ? { fr: 'oui', en: 'yes' } : { fr: 'non', en: 'no' });
  let settingsKey = '';
  /** The settings line; `settings` frames (every team socket gets one) keep it current. */
  function renderSettings(st: LabSettings): void {
    const key = JSON.stringify(st);
    if (key === settingsKey) return;
    settingsKey = key;
    info = { ...info, settings: st };
    const speed = biNum(st.timeScale, st.timeScale % 1 ? 2 : 0);
    byId('lab-settings').replaceChildren(
      bi(
        `Votes : ${st.voteMode === 'human' ? 'par les élèves' : 'automatiques'} · heartbeats : ${st.heartbeatMode === 'pulse' ? 'pulsation' : 'automatiques'} · minutage : ${st.timing === 'real' ? 'réel' : 'cours'} · vitesse ×${speed.fr} · chronologie : ${yesNo(st.timeline).fr}`,
        `Votes: ${st.voteMode === 'human' ? 'by the students' : 'automatic'} · heartbeats: ${st.heartbeatMode === 'pulse' ? 'pulse' : 'automatic'} · timing: ${st.timing === 'real' ? 'real' : 'course'} · speed ×${speed.en} · timeline: ${yesNo(st.timeline).en}`,
      ),
    );
  }
  renderSettings(info.settings);
  const joinUrl = `${location.origin}/join.html?code=${encodeURIComponent(code)}`;
  byId('join-code').textContent = code;
  const link = byId<HTMLAnchorElement>('join-url');
  link.href = joinUrl;
  link.textContent = joinUrl.replace(/^https?:\/\//, '');
  byId('copy-join').addEventListener('click', () => void copyText(joinUrl));
  byId('join-qr').append(qrSvg(joinUrl, `QR code: ${joinUrl}`));
  byId('proj-code').textContent = code;
  // Shown once the header is filled, so nobody (and no test) sees an empty dashboard.
  show('dash');
  // On the projector the address may wrap: only before its query, never inside the code.
  const [urlPath, urlQuery] = joinUrl.replace(/^https?:\/\//, '').split('?') as [string, string];
  byId('proj-url').replaceChildren(urlPath, el('wbr'), `?${urlQuery}`);
  byId('proj-title').replaceChildren(defaultTitle ? biOf(scenario.title) : info.title);
  byId('proj-qr').append(qrSvg(joinUrl, `QR code: ${joinUrl}`));

  const buttons = [...document.querySelectorAll<HTMLButtonElement>('.t-controls [data-action]')];
  const lockBtn = byId<HTMLButtonElement>('lock-toggle');
  const allowed: Record<string, string[]> = { start: ['lobby'], pause: ['running'], resume: ['paused'], end: ['lobby', 'running', 'paused'] };
  function renderStatus(): void {
    byId('lab-status').replaceChildren(statusChip(status));
    byId('lab-lock').replaceChildren(
      locked
        ? el('span', { class: 't-chip t-warn' }, glyph('⊘'), bi('inscriptions verrouillées', 'joining locked'))
        : el('span', { class: 't-chip t-ok' }, glyph('✓'), bi('inscriptions ouvertes', 'joining open')),
    );
    for (const b of buttons) b.disabled = !allowed[b.dataset.action!]!.includes(status);
    lockBtn.replaceChildren(glyph(locked ? '✓' : '⊘'), locked ? bi('Déverrouiller les inscriptions', 'Unlock joining') : bi('Verrouiller les inscriptions', 'Lock joining'));
    lockBtn.disabled = status === 'ended';
  }
  renderStatus();
  const ACTION_DONE: Record<string, Bi> = {
    start: { fr: 'Lab démarré.', en: 'Lab started.' },
    pause: { fr: 'Lab en pause.', en: 'Lab paused.' },
    resume: { fr: 'Lab repris.', en: 'Lab resumed.' },
    end: { fr: 'Lab terminé ; scores enregistrés.', en: 'Lab ended; scores stored.' },
    lock: { fr: 'Inscriptions verrouillées.', en: 'Joining locked.' },
    unlock: { fr: 'Inscriptions ouvertes.', en: 'Joining open.' },
  };
  async function control(action: string, btn: HTMLButtonElement): Promise<void> {
    if (action === 'end' && !confirm(document.documentElement.lang === 'en' ? 'End the lab for every team? This cannot be undone.' : 'Terminer le lab pour toutes les équipes ? C’est définitif.')) return;
    btn.disabled = true;
    const r = await api<{ status: string; locked: boolean }>(`${base}/teacher/${action}`, { method: 'POST', token: secret, body: {} });
    if (r.ok) {
      status = r.data.status;
      locked = r.data.locked;
      toast(ACTION_DONE[action]!, 'ok');
    } else toast(errorText(r, BAD_SECRET), 'bad');
    renderStatus();
    void refreshBoard();
  }
  for (const b of buttons) b.addEventListener('click', () => void control(b.dataset.action!, b));
  lockBtn.addEventListener('click', () => void control(locked ? 'unlock' : 'lock', lockBtn));

  // ---------------------------------------------------------------- faults
  async function applyFault(fault: Fault, team: number | null): Promise<boolean> {
    const r = await t('faults', 'POST', team === null ? { fault } : { team, fault });
    const what = describeFault(fault);
    const where: Bi = team === null ? { fr: 'toutes les équipes', en: 'all teams' } : { fr: `équipe ${team}`, en: `team ${team}` };
    if (r.ok) toast({ fr: `Panne appliquée (${where.fr}) : ${what.fr}.`, en: `Fault applied (${where.en}): ${what.en}.` }, 'ok');
    else toast(errorText(r, BAD_SECRET), 'bad');
    return r.ok;
  }
  async function healAll(): Promise<boolean> {
    const r = await t('heal', 'POST');
    if (r.ok) toast({ fr: 'Réseau réparé pour toutes les équipes.', en: 'Network healed for every team.' }, 'ok');
    else toast(errorText(r, BAD_SECRET), 'bad');
    return r.ok;
  }
  byId('all-faults-body').append(faultConsole({ team: null, nodes: nodeNames, qdevice: !!scenario?.qdevice, apply: applyFault, healAll, copy: copyText }));

  // ---------------------------------------------------------------- events feed
  const feed = byId<HTMLOListElement>('feed');
  const feedTeam = byId<HTMLSelectElement>('feed-team');
  const feedCommands = byId<HTMLInputElement>('feed-commands');
  /** Newest first: by the team's sim time, then by sequence (teams start together). */
  const items: FeedItem[] = [];
  const visible = (it: FeedItem) => (feedTeam.value === 'all' || Number(feedTeam.value) === it.team) && (feedCommands.checked || !it.command);
  const newer = (a: FeedItem, b: FeedItem) => a.at > b.at || (a.at === b.at && a.seq > b.seq);
  function renderFeed(): void {
    feed.replaceChildren(...items.filter(visible).map((i) => i.node));
    if (!feed.childElementCount) feed.append(el('li', { class: 't-muted t-feed-empty' }, bi('Rien pour l’instant.', 'Nothing yet.')));
  }
  feedTeam.addEventListener('change', renderFeed);
  feedCommands.addEventListener('change', renderFeed);
  function feedItem(team: number, e: SeqEvent): FeedItem | null {
    if (FEED_SKIPS.has(e.type)) return null;
    const line = e.type === 'fault-applied' ? faultAppliedLine(e) : describeEvent(e);
    if (!line) return null;
    const node = el(
      'li',
      { class: `t-ev t-ev-${line.tone}`, attrs: { 'data-type': e.type } },
      el('span', { class: 't-ev-time', text: `t=${clock(e.at)}` }),
      el('span', { class: 't-ev-team' }, bi(`Éq. ${team}`, `Team ${team}`)),
      icon(line.icon),
      el('span', { class: 't-ev-text' }, biOf(line)),
    );
    return { team, at: e.at, seq: e.seq, command: e.type === 'command', node };
  }
  /** A team's new events (live, or its backlog after a (re)connection), oldest first. */
  function onEvents(team: number, events: SeqEvent[]): void {
    const added: FeedItem[] = [];
    for (const e of events) {
      const item = feedItem(team, e);
      if (!item) continue;
      let i = 0;
      while (i < items.length && !newer(item, items[i]!)) i++;
      items.splice(i, 0, item);
      added.push(item);
    }
    if (!added.length) return;
    const dropped = items.splice(FEED_KEEP);
    for (const d of dropped) d.node.remove();
    if (added.length > 1) return renderFeed();
    // One live event: put it in place without rebuilding the list.
    const item = added[0]!;
    if (!visible(item) || !items.includes(item)) return;
    feed.querySelector('.t-feed-empty')?.remove();
    const after = items.slice(items.indexOf(item) + 1).find((it) => it.node.isConnected);
    feed.insertBefore(item.node, after?.node ?? null);
  }
  async function fetchEvents(team: number, after: number): Promise<unknown[] | null> {
    const r = await api<{ events: unknown[] }>(`${base}/teacher/teams/${team}/events?after=${after}`, { token: secret });
    return r.ok && Array.isArray(r.data?.events) ? r.data.events : null;
  }

  // ---------------------------------------------------------------- teams
  const teamsBox = byId('team-panels');
  const panels = new Map<number, TeamPanel>();
  function syncTeams(count: number): void {
    for (let n = panels.size + 1; n <= count; n++) {
      const p = new TeamPanel(n, {
        socketUrl: (team) => socketUrl(code, 'teacher', { team, secret }),
        onEvents,
        fetchEvents,
        onSettings: renderSettings,
        timeScale: () => info.settings.timeScale || 1,
        onStatus: (s) => {
          if (s !== status) {
            status = s;
            renderStatus();
          }
        },
        apply: applyFault,
        healAll,
        copy: copyText,
      });
      panels.set(n, p);
      teamsBox.append(p.root);
      p.start();
    }
    // Team choices in the feed filter and the roster's move menus follow the team count.
    const cur = feedTeam.value || 'all';
    feedTeam.replaceChildren();
    const all = el('option', { attrs: { value: 'all' } });
    biText(all, 'Toutes les équipes', 'All teams');
    feedTeam.append(all);
    for (let n = 1; n <= count; n++) {
      const o = el('option', { attrs: { value: n } });
      biText(o, `Équipe ${n}`, `Team ${n}`);
      feedTeam.append(o);
    }
    feedTeam.value = cur;
    if (feedTeam.value !== cur) feedTeam.value = 'all';
  }
  syncTeams(info.teams.length);
  renderFeed();

  // ---------------------------------------------------------------- roster
  const rosterBox = byId('roster');
  let rosterKey = '';
  let rosterPending: Seat[] | null = null;
  function renderRoster(seats: Seat[]): void {
    const key = JSON.stringify([seats, panels.size]);
    if (key === rosterKey) return;
    // Never pull a menu away from under the teacher: wait until focus leaves the roster.
    if (rosterBox.contains(document.activeElement) && rosterKey) {
      rosterPending = seats;
      return;
    }
    rosterKey = key;
    rosterPending = null;
    const active = seats.filter((s) => !s.kicked);
    byId('roster-count').replaceChildren(bi(`(${active.length} présent${active.length > 1 ? 's' : ''})`, `(${active.length} present)`));
    for (const [team, p] of panels) p.setStudents(new Map(active.filter((s) => s.team === team).map((s) => [s.node, s.name])));
    if (!seats.length) {
      rosterBox.replaceChildren(
        el('p', { class: 't-muted' }, bi('Personne n’a encore rejoint. Affichez le code ou le QR code au tableau.', 'Nobody has joined yet. Show the code or the QR code on the board.')),
      );
      return;
    }
    const th = (fr: string, en: string) => el('th', { attrs: { scope: 'col' } }, bi(fr, en));
    const rows = [...seats]
      .sort((a, b) => Number(a.kicked) - Number(b.kicked) || a.team - b.team || a.node.localeCompare(b.node, 'en', { numeric: true }))
      .map((s) => {
        const actions = el('td', { class: 't-roster-actions' });
        if (s.kicked) {
          actions.append(el('span', { class: 't-chip t-muted' }, glyph('⊘'), bi('retiré', 'removed')));
          // A kick holds (same browser, same name) until the teacher lets the student back in.
          if (s.banned) {
            const allow = el('button', { class: 't-btn t-btn-small', attrs: { type: 'button' } }, glyph('↺'), bi('Réadmettre', 'Allow back'));
            biAttr(allow, 'aria-label', `Réadmettre ${s.name}`, `Allow ${s.name} back`);
            allow.addEventListener('click', () => void seatAction('allow', { seatId: s.seatId }, allow, { fr: `${s.name} peut rejoindre à nouveau.`, en: `${s.name} may join again.` }));
            actions.append(' ', allow);
          }
        } else {
          const sel = el('select', {});
          biAttr(sel, 'aria-label', `Nouvelle équipe pour ${s.name}`, `New team for ${s.name}`);
          for (let n = 1; n <= panels.size; n++) {
            const o = el('option', { attrs: { value: n } });
            biText(o, `Équipe ${n}`, `Team ${n}`);
            sel.append(o);
          }
          sel.value = String(s.team);
          const move = el('button', { class: 't-btn t-btn-small', attrs: { type: 'button' } }, glyph('⇄'), bi('Déplacer', 'Move'));
          biAttr(move, 'aria-label', `Déplacer ${s.name}`, `Move ${s.name}`);
          move.addEventListener('click', () => {
            const team = Number(sel.value);
            if (team === s.team) return toast({ fr: `${s.name} est déjà dans l’équipe ${team}.`, en: `${s.name} is already in team ${team}.` }, 'info');
            void seatAction('move', { seatId: s.seatId, team }, move, { fr: `${s.name} déplacé(e) dans l’équipe ${team}.`, en: `${s.name} moved to team ${team}.` });
          });
          const kick = el('button', { class: 't-btn t-btn-small t-btn-danger', attrs: { type: 'button' } }, glyph('⊘'), bi('Retirer', 'Remove'));
          biAttr(kick, 'aria-label', `Retirer ${s.name}`, `Remove ${s.name}`);
          kick.addEventListener('click', () => {
            const q = document.documentElement.lang === 'en' ? `Remove ${s.name} from the lab? Their node goes back to autopilot.` : `Retirer ${s.name} du lab ? Son nœud repasse en autopilote.`;
            if (confirm(q)) void seatAction('kick', { seatId: s.seatId }, kick, { fr: `${s.name} retiré(e).`, en: `${s.name} removed.` });
          });
          actions.append(sel, move, kick);
        }
        return el(
          'tr',
          { class: s.kicked ? 't-kicked' : '', attrs: { 'data-seat': s.seatId } },
          el('td', { class: 't-name', text: s.name }),
          el('td', {}, bi(`Équipe ${s.team}`, `Team ${s.team}`)),
          el('td', { class: 't-mono', text: s.role === 'qdevice' ? 'QDevice' : s.node }),
          el('td', {}, biOf(biDate(s.joinedAt))),
          actions,
        );
      });
    rosterBox.replaceChildren(
      el(
        'table',
        { class: 't-table t-roster' },
        el('thead', {}, el('tr', {}, th('Nom', 'Name'), th('Équipe', 'Team'), th('Nœud', 'Node'), th('Arrivée', 'Joined'), th('Actions', 'Actions'))),
        el('tbody', {}, ...rows),
      ),
    );
  }
  rosterBox.addEventListener('focusout', () => {
    setTimeout(() => {
      if (rosterPending && !rosterBox.contains(document.activeElement)) renderRoster(rosterPending);
    }, 0);
  });
  async function seatAction(action: 'kick' | 'move' | 'allow', body: unknown, btn: HTMLButtonElement, done: Bi): Promise<void> {
    btn.disabled = true;
    const r = await t(action, 'POST', body);
    btn.disabled = false;
    if (r.ok) toast(done, 'ok');
    else toast(errorText(r, BAD_SECRET), 'bad');
    rosterKey = '';
    rosterPending = null;
    btn.blur();
    await refreshRoster(true);
  }
  async function refreshRoster(force = false): Promise<void> {
    const r = await api<{ seats: Seat[] }>(`${base}/teacher/roster`, { token: secret });
    if (!r.ok) return;
    if (force) rosterKey = '';
    renderRoster(r.data.seats);
  }
  renderRoster(check.data.seats);

  // ---------------------------------------------------------------- leaderboard
  const board = byId('board');
  const projBoard = byId<HTMLOListElement>('proj-board');
  async function refreshBoard(): Promise<void> {
    const r = await api<{ teams: BoardRow[] }>(`${base}/teacher/leaderboard`, { token: secret });
    if (!r.ok) return;
    const rows = r.data.teams;
    // Equal points share a rank (1, 1, 3…).
    const rank = rows.map((row, i) => (i > 0 && rows[i - 1]!.total === row.total ? -1 : i + 1));
    for (let i = 1; i < rank.length; i++) if (rank[i] === -1) rank[i] = rank[i - 1]!;
    const th = (fr: string, en: string) => el('th', { attrs: { scope: 'col' } }, bi(fr, en));
    board.replaceChildren(
      el(
        'table',
        { class: 't-table t-board' },
        el('thead', {}, el('tr', {}, th('#', '#'), th('Équipe', 'Team'), th('Points', 'Points'), th('Dispo.', 'Avail.'), th('Incidents', 'Incidents'))),
        el(
          'tbody',
          {},
          ...rows.map((row, i) =>
            el(
              'tr',
              {},
              el('td', { text: String(rank[i]) }),
              el('td', {}, bi(`Équipe ${row.team}`, `Team ${row.team}`)),
              el('td', { class: 't-num' }, biOf(biNum(row.total, 1))),
              el('td', { class: 't-num' }, bi(`${biNum(row.availability * 100, 0).fr} %`, `${biNum(row.availability * 100, 0).en} %`)),
              el('td', { class: 't-num', text: String(row.incidents) }),
            ),
          ),
        ),
      ),
    );
    projBoard.replaceChildren(
      ...rows.map((row, i) =>
        el(
          'li',
          { class: rank[i] === 1 ? 't-proj-first' : '' },
          el('span', { class: 't-proj-rank', text: String(rank[i]) }),
          el('span', { class: 't-proj-team' }, bi(`Équipe ${row.team}`, `Team ${row.team}`)),
          el('span', { class: 't-proj-pts' }, bi(`${biNum(row.total, 1).fr} pts`, `${biNum(row.total, 1).en} pts`)),
          el('span', { class: 't-proj-avail' }, bi(`dispo ${biNum(row.availability * 100, 0).fr} %`, `avail. ${biNum(row.availability * 100, 0).en} %`)),
        ),
      ),
    );
  }
  void refreshBoard();

  // ---------------------------------------------------------------- polling
  async function refreshInfo(): Promise<void> {
    const r = await api<LabInfo>(base);
    if (!r.ok) return;
    info = r.data;
    renderSettings(info.settings);
    if (info.status !== status || info.locked !== locked) {
      status = info.status;
      locked = info.locked;
      renderStatus();
    }
    if (info.teams.length > panels.size) {
      syncTeams(info.teams.length);
      rosterKey = '';
    }
  }
  setInterval(() => {
    if (document.hidden) return;
    void refreshInfo();
    void refreshRoster();
    void refreshBoard();
  }, POLL_MS);

  // ---------------------------------------------------------------- projector
  const proj = byId('projector');
  const openBtn = byId<HTMLButtonElement>('projector-open');
  const closeBtn = byId<HTMLButtonElement>('projector-close');
  const setProjector = (on: boolean) => {
    proj.hidden = !on;
    document.body.classList.toggle('t-proj-on', on);
    if (on) {
      void refreshBoard();
      closeBtn.focus();
    } else openBtn.focus();
  };
  openBtn.addEventListener('click', () => setProjector(true));
  closeBtn.addEventListener('click', () => setProjector(false));
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !proj.hidden) setProjector(false);
  });
}

/** ?code= without a usable secret: ask for the teacher link (or the bare secret). */
export function needSecret(code: string, error: Bi | null): void {
  show('need-secret');
  byId('secret-code').textContent = code;
  const err = byId('secret-error');
  err.hidden = !error;
  err.replaceChildren(error ? biOf(error) : '');
  const input = byId<HTMLInputElement>('secret-input');
  byId<HTMLFormElement>('secret-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const raw = input.value.trim();
    const m = /#secret=([^&\s]+)/.exec(raw);
    let secret = raw;
    try {
      secret = m ? decodeURIComponent(m[1]!) : raw;
    } catch {
      secret = raw;
    }
    if (!secret) {
      err.hidden = false;
      err.replaceChildren(bi('Collez le lien enseignant ou le secret.', 'Paste the teacher link or the secret.'));
      return input.focus();
    }
    labSecret.set(code, secret);
    location.reload();
  });
  input.focus();
}
