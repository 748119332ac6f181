// With ?code= and the lab's secret: the live dashboard (header and controls, one panel per team,
// fault consoles, leaderboard, events feed, roster, projector view).
import type { LabSettings } from '../../src/protocol/messages';
import type { Fault } from '../../src/protocol/messages';
import type { LobbyInfo } from '../../src/protocol/lobby';
import type { TeamSummary } from '../../src/protocol/summary';
import { apiJson as api, errorText } from '../lib/api';
import { byId, el } from '../lib/dom';
import { bi, biNum, biOf, biText, biTitle, type Bi } from '../lib/i18n';
import { socketUrl } from '../lib/socket';
import { needSecret, publicOrigin, teacherLinkBox } from './access';
import { renderBoard, type BoardRow } from './board';
import { reportsCard } from './ended';
import { mountProjectorRemote } from './projector-remote';
import { gradingCard } from './grading';
import { faultConsole } from './faults';
import { checkpointCard } from './checkpoints';
import { eventsFeed } from './feed';
import { describeFault, isRepair } from '../../src/protocol/wording';
import { TeamsView } from './teams';
import { qrSvg } from './qr';
import { renderRosterTable, rosterCount, type Seat } from './roster';
import { labSecret } from './store';
import { BAD_SECRET, copyText, glyph, show, statusChip, toast, type ScenarioInfo } from './ui';

type LabInfo = LobbyInfo;

const POLL_MS = 4000;
/** A large lab's grid: only the teams changed since the last answer come back. */
const SUMMARY_POLL_MS = 2000;

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
  let status: string = info.status;
  let locked = info.locked;
  // The lab's own scenario: a preset, or a teacher's scenario frozen into the lab.
  const scenarioRes = await api<{ scenario: ScenarioInfo }>(`/api/labs/${encodeURIComponent(code)}/scenario`);
  const scenario = scenarioRes.ok ? scenarioRes.data.scenario : undefined;
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
  byId('lab-settings').after(
    gradingCard(info.settings, {
      ended: () => status === 'ended',
      async save(patch) {
        const r = await t('settings', 'POST', patch);
        if (r.ok) toast({ fr: 'Notation enregistrée.', en: 'Grading saved.' }, 'ok');
        else toast(errorText(r, BAD_SECRET), 'bad');
        return r.ok;
      },
    }),
  );
  const origin = await publicOrigin();
  const joinUrl = `${origin}/join.html?code=${encodeURIComponent(code)}`;
  byId('join-code').textContent = code;
  const link = byId<HTMLAnchorElement>('join-url');
  link.href = joinUrl;
  link.textContent = joinUrl.replace(/^https?:\/\//, '');
  byId('copy-join').addEventListener('click', () => void copyText(joinUrl));
  byId('join-qr').append(qrSvg(joinUrl, `QR code: ${joinUrl}`));
  byId('join-qr').after(teacherLinkBox(`${origin}/teacher.html?code=${encodeURIComponent(code)}#secret=${encodeURIComponent(secret)}`, copyText));
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
    const ended = status === 'ended';
    byId('lab-status').replaceChildren(statusChip(status));
    byId('lab-lock').replaceChildren(
      ended
        ? el('span', { class: 't-chip t-muted' }, glyph('⊘'), bi('inscriptions closes', 'joining closed'))
        : locked
          ? el('span', { class: 't-chip t-warn' }, glyph('⊘'), bi('inscriptions verrouillées', 'joining locked'))
          : el('span', { class: 't-chip t-ok' }, glyph('✓'), bi('inscriptions ouvertes', 'joining open')),
    );
    for (const b of buttons) b.disabled = !allowed[b.dataset.action!]!.includes(status);
    lockBtn.replaceChildren(glyph(locked ? '✓' : '⊘'), locked ? bi('Déverrouiller les inscriptions', 'Unlock joining') : bi('Verrouiller les inscriptions', 'Lock joining'));
    lockBtn.disabled = ended;
    // An ended lab looks ended: no flow buttons, no fault consoles, the reports instead.
    document.body.classList.toggle('t-ended', ended);
    byId('all-faults-card').hidden = ended;
    document.getElementById('checkpoint-card')?.toggleAttribute('hidden', ended);
    teams.setEnded(ended);
    if (ended) void showReports();
  }
  let reportsShown = false;
  async function showReports(): Promise<void> {
    if (reportsShown) return;
    reportsShown = true;
    const r = await api<{ seats: Seat[] }>(`${base}/teacher/roster`, { token: secret });
    byId('lab-reports').replaceChildren(reportsCard(code, secret, r.ok ? r.data.seats : []));
  }
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
  const en = () => document.documentElement.lang === 'en';
  async function applyFault(fault: Fault, team: number | null): Promise<boolean> {
    const what = describeFault(fault);
    if (team === null && teams.size > 1 && !confirm(en() ? `Apply to all ${teams.size} teams: ${what.en}?` : `Appliquer à toutes les équipes (${teams.size}) : ${what.fr} ?`)) return false;
    const r = await t('faults', 'POST', team === null ? { fault } : { team, fault });
    const where: Bi = team === null ? { fr: 'toutes les équipes', en: 'all teams' } : { fr: `équipe ${team}`, en: `team ${team}` };
    // Powering a node on repairs; it is not announced as a fault.
    const repair = isRepair(fault);
    if (r.ok) setTimeout(() => void refreshSummaries(), 300);
    if (r.ok) toast(repair ? { fr: `Fait (${where.fr}) : ${what.fr}.`, en: `Done (${where.en}): ${what.en}.` } : { fr: `Panne appliquée (${where.fr}) : ${what.fr}.`, en: `Fault applied (${where.en}): ${what.en}.` }, 'ok');
    else toast(errorText(r, BAD_SECRET), 'bad');
    return r.ok;
  }
  async function healAll(): Promise<boolean> {
    if (teams.size > 1 && !confirm(en() ? `Heal the network of all ${teams.size} teams?` : `Réparer le réseau des ${teams.size} équipes ?`)) return false;
    const r = await t('heal', 'POST');
    if (r.ok) toast({ fr: 'Réseau réparé pour toutes les équipes.', en: 'Network healed for every team.' }, 'ok');
    else toast(errorText(r, BAD_SECRET), 'bad');
    return r.ok;
  }
  const checkpoints = checkpointCard(base, secret, scenario?.checkpoints ?? []);
  byId('all-faults-card').before(checkpoints.root);
  byId('all-faults-body').append(faultConsole({ team: null, nodes: nodeNames, qdevice: !!scenario?.qdevice, networks: scenario?.networks, apply: applyFault, healAll, copy: copyText }));

  // ---------------------------------------------------------------- events feed
  const feedTeam = byId<HTMLSelectElement>('feed-team');
  const { onEvents, render: renderFeed } = eventsFeed(byId<HTMLOListElement>('feed'), feedTeam, byId<HTMLInputElement>('feed-commands'));
  async function fetchEvents(team: number, after: number): Promise<unknown[] | null> {
    const r = await api<{ events: unknown[] }>(`${base}/teacher/teams/${team}/events?after=${after}`, { token: secret });
    return r.ok && Array.isArray(r.data?.events) ? r.data.events : null;
  }

  // ---------------------------------------------------------------- teams (web/teacher-lib/teams.ts)
  const teams = new TeamsView({
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
    onCheckpoint: (team, cp) => checkpoints.update(team, cp),
    onPresence: () => {
      rosterKey = '';
      if (lastSeats) renderRoster(lastSeats);
    },
  });
  function syncTeams(count: number): void {
    teams.sync(count);
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

  // Tabs: the teams (with board and feed) or the roster.
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('.t-tabs [role="tab"]')];
  function selectTab(tab: HTMLButtonElement, focus = false): void {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      byId(t.getAttribute('aria-controls')!).hidden = !on;
    }
    if (focus) tab.focus();
  }
  for (const [i, tab] of tabs.entries()) {
    tab.addEventListener('click', () => selectTab(tab));
    tab.addEventListener('keydown', (e) => {
      const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!d) return;
      e.preventDefault();
      selectTab(tabs[(i + d + tabs.length) % tabs.length]!, true);
    });
  }

  syncTeams(info.teams.length);
  renderStatus();
  renderFeed();

  // ---------------------------------------------------------------- roster
  const rosterBox = byId('roster');
  let rosterKey = '';
  let rosterPending: Seat[] | null = null;
  let lastSeats: Seat[] | null = null;
  const presenceOf = (team: number, node: string) => teams.presence(team, node);
  function renderRoster(seats: Seat[]): void {
    lastSeats = seats;
    const active = seats.filter((s) => !s.kicked);
    const connected = active.filter((s) => presenceOf(s.team, s.node)?.online).length;
    const key = JSON.stringify([seats, teams.size, status === 'ended', active.map((s) => presenceOf(s.team, s.node)?.online ?? null)]);
    if (key === rosterKey) return;
    // Never pull a menu away from under the teacher: wait until focus leaves the roster.
    if (rosterBox.contains(document.activeElement) && rosterKey) {
      rosterPending = seats;
      return;
    }
    rosterKey = key;
    rosterPending = null;
    const count = rosterCount(active.length, connected);
    byId('roster-count').replaceChildren(biOf(count));
    byId('roster-tab-count').replaceChildren(bi(`${active.length}`, `${active.length}`));
    const byTeam = new Map<number, Map<string, string>>();
    for (const s of active) (byTeam.get(s.team) ?? byTeam.set(s.team, new Map()).get(s.team)!).set(s.node, s.name);
    teams.setStudents(byTeam);
    renderRosterTable(rosterBox, seats, { teams: () => teams.size, presence: presenceOf, act: seatAction, copy: copyText, joinUrl, ended: () => status === 'ended' });
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
    if (r.ok) renderBoard(board, projBoard, r.data.teams);
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
    if (info.teams.length > teams.size) {
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

  // ---------------------------------------------------------------- summaries (the grid of a large lab)
  let summaryVersion = 0;
  async function refreshSummaries(): Promise<void> {
    if (!teams.wantsSummaries) return;
    const r = await api<{ version: number; teams: TeamSummary[] }>(`${base}/teacher/summaries?after=${summaryVersion}`, { token: secret });
    if (!r.ok || !Array.isArray(r.data.teams)) return;
    summaryVersion = r.data.version;
    teams.summaries(r.data.teams);
    // An open panel's own socket is fresher than the summaries.
    for (const s of r.data.teams) if (!teams.panels.has(s.team)) checkpoints.update(s.team, s.checkpoint);
    if (lastSeats && r.data.teams.length) renderRoster(lastSeats);
  }
  void refreshSummaries();
  setInterval(() => {
    if (!document.hidden) void refreshSummaries();
  }, SUMMARY_POLL_MS);

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
  mountProjectorRemote(code, secret, openBtn.closest('.t-controls') ?? openBtn);
  closeBtn.addEventListener('click', () => setProjector(false));
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !proj.hidden) setProjector(false);
  });
}
