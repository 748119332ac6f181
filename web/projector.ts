// The projector on its own device: /projector.html?code=…#key=… (a read-only key from the
// dashboard). Polls GET /api/labs/:code/projector and shows the mode the teacher picked: lobby
// (names as students join, count per team), live (every team's cluster drawn, quorum, incidents,
// sim clock, next fault), question (the open checkpoint and answers per team, then the reveal) and
// podium. Protocol: docs/protocol.md ("Projector").
import type { ProjectorFrame, ProjectorTeam } from '../src/protocol/projector';
import { apiJson, CODE_RE, normalizeCode } from './lib/api';
import { byId, el } from './lib/dom';
import { bi, biOf, clock, initLang } from './lib/i18n';
import { fromSnapshot } from './lib/topology-input';
import { drawTopology } from './lib/topology-mount';

initLang();

const POLL_MS = 2000;
const code = normalizeCode(new URLSearchParams(location.search).get('code') ?? '');
const KEY = `quorum-lab.projector.${code}`;
const main = byId('pj-main');
const status = byId('pj-status');

function takeKey(): string | null {
  const m = /(?:^#|&)key=([0-9a-f]{32})/.exec(location.hash);
  try {
    if (m) {
      // Off the address bar (it is on the wall), kept for reloads of this tab.
      history.replaceState(null, '', location.pathname + location.search);
      sessionStorage.setItem(KEY, m[1]!);
      return m[1]!;
    }
    return sessionStorage.getItem(KEY);
  } catch {
    return m?.[1] ?? null;
  }
}

const teamName = (i: number) => bi(`Équipe ${i}`, `Team ${i}`);

function lobby(f: ProjectorFrame): Node[] {
  const joinUrl = `${location.origin}/join.html?code=${f.lab.code}`;
  const total = f.teams.reduce((n, t) => n + t.students.length, 0);
  return [
    el('p', { class: 'pj-join' }, bi('Rejoindre : ', 'Join: '), el('strong', { text: joinUrl })),
    el('p', { class: 'pj-code', text: f.lab.code, attrs: { 'aria-label': `code ${f.lab.code.split('').join(' ')}` } }),
    el('h1', {}, bi(`${total} élève${total > 1 ? 's' : ''} inscrit${total > 1 ? 's' : ''}`, `${total} student${total > 1 ? 's' : ''} joined`)),
    el(
      'ul',
      { class: 'pj-teams' },
      ...f.teams.map((t) =>
        el(
          'li',
          { class: 'pj-team', attrs: { 'data-team': String(t.index) } },
          el('h2', {}, teamName(t.index), ' ', el('span', { class: 'pj-count', text: `(${t.students.length})` })),
          t.students.length ? el('ul', {}, ...t.students.map((s) => el('li', { text: s }))) : el('p', {}, bi('en attente…', 'waiting…')),
        ),
      ),
    ),
  ];
}

function liveTeam(t: ProjectorTeam): HTMLElement {
  const s = t.snapshot;
  const card = el('li', { class: 'pj-team', attrs: { 'data-team': String(t.index) } });
  if (!s) return (card.append(el('h2', {}, teamName(t.index)), el('p', {}, bi('salle injoignable', 'room unreachable'))), card);
  const parts = s.partitions.length;
  const quorate = s.partitions.filter((p) => p.quorate).length;
  const open = s.incidents.filter((i) => i.endedAt === null).length;
  const chip =
    quorate === 1 && parts === 1
      ? el('span', { class: 'pj-chip pj-ok', attrs: { 'data-quorum': 'ok' } }, bi('✓ quorum', '✓ quorate'))
      : quorate === 0
        ? el('span', { class: 'pj-chip pj-bad', attrs: { 'data-quorum': 'none' } }, bi('⚠ aucun quorum', '⚠ no quorum'))
        : quorate > 1
          ? el('span', { class: 'pj-chip pj-bad', attrs: { 'data-quorum': 'split-brain' } }, bi('‼ deux côtés quorum', '‼ two quorate sides'))
          : el('span', { class: 'pj-chip pj-warn', attrs: { 'data-quorum': 'split' } }, bi(`◐ scindé en ${parts}`, `◐ split in ${parts}`));
  const figure = el('div', { class: 'topo-host' });
  // A whole-class ring (one team, many nodes) gets more columns: the card spans the screen.
  drawTopology(figure, fromSnapshot(s), { id: `pj-topo-${t.index}`, maxCols: s.nodes.length > 9 ? Math.ceil(Math.sqrt(s.nodes.length * 2)) : 3 });
  card.append(
    el('h2', {}, teamName(t.index), ' ', chip),
    el(
      'p',
      { class: 'pj-facts' },
      el('span', { class: open ? 'pj-chip pj-bad' : 'pj-chip pj-ok' }, open ? bi(`‼ ${open} incident(s) en cours`, `‼ ${open} incident(s) open`) : bi('✓ aucun incident', '✓ no incident')),
      el('span', { class: 'mono', text: ` t=${clock(s.now)}` }),
    ),
    el('p', { class: 'pj-facts pj-next' }, s.next ? bi(`Prochaine panne à ${clock(s.next.atMs)} : ${s.next.note.fr}`, `Next fault at ${clock(s.next.atMs)}: ${s.next.note.en}`) : bi('Aucune panne programmée', 'No scheduled fault')),
    figure,
  );
  return card;
}

function question(f: ProjectorFrame): Node[] {
  const open = f.teams.find((t) => t.checkpoint)?.checkpoint;
  if (open) {
    return [
      el('h1', { class: 'pj-q-title' }, bi(`Question : ${open.title.fr}`, `Question: ${open.title.en}`)),
      el(
        'ul',
        { class: 'pj-bars', attrs: { 'data-phase': 'answers' } },
        ...f.teams.map((t) => bar(t.index, t.checkpoint?.answered ?? 0, t.checkpoint?.expected ?? 0, bi('réponses', 'answers'))),
      ),
    ];
  }
  const revealed = f.teams.filter((t) => t.reveal);
  if (!revealed.length) return [el('h1', { class: 'pj-q-title' }, bi('Pas de question ouverte pour l’instant.', 'No open question right now.'))];
  return [
    el('h1', { class: 'pj-q-title' }, bi(`Réponses à « ${revealed[0]!.reveal!.id} » : bonnes réponses par équipe`, `Answers to “${revealed[0]!.reveal!.id}”: right answers per team`)),
    el('ul', { class: 'pj-bars', attrs: { 'data-phase': 'reveal' } }, ...revealed.map((t) => bar(t.index, t.reveal!.right, t.reveal!.asked, bi('justes', 'right')))),
  ];
}

function bar(team: number, n: number, of: number, what: DocumentFragment): HTMLElement {
  const fill = el('div');
  fill.style.width = `${of ? Math.round((100 * n) / of) : 0}%`;
  return el(
    'li',
    { class: 'pj-bar-row', attrs: { 'data-team': String(team), 'data-count': `${n}/${of}` } },
    el('span', {}, teamName(team)),
    el('div', { class: 'pj-meter', attrs: { role: 'img', 'aria-label': `${n}/${of}` } }, fill),
    el('span', {}, `${n}/${of} `, what),
  );
}

function podium(f: ProjectorFrame): Node[] {
  const rows = f.board;
  const rank = rows.map((r, i) => (i > 0 && rows[i - 1]!.total === r.total ? -1 : i + 1));
  for (let i = 1; i < rank.length; i++) if (rank[i] === -1) rank[i] = rank[i - 1]!;
  const medal = (r: number) => (r === 1 ? '🥇' : r === 2 ? '🥈' : r === 3 ? '🥉' : String(r));
  return [
    el('h1', {}, bi('Podium', 'Podium')),
    el(
      'ol',
      { class: 'pj-podium' },
      ...rows.map((r, i) =>
        el(
          'li',
          { attrs: { 'data-team': String(r.team), 'data-rank': String(rank[i]) } },
          el('span', { class: 'pj-rank', text: medal(rank[i]!), attrs: { 'aria-label': `#${rank[i]}` } }),
          el('span', {}, teamName(r.team)),
          el('span', {}, bi(`${r.total.toLocaleString('fr-FR')} pts`, `${r.total.toLocaleString('en-US')} pts`)),
        ),
      ),
    ),
  ];
}

let lastKey = '';
function render(f: ProjectorFrame): void {
  byId('pj-title').replaceChildren(`${f.lab.title} — ${f.lab.code}`);
  document.body.dataset.mode = f.mode;
  // Live drawings change every tick; the other modes only when their content does.
  const key = JSON.stringify(f);
  if (key === lastKey) return;
  lastKey = key;
  main.className = `pj-main pj-${f.mode}`;
  switch (f.mode) {
    case 'lobby':
      return main.replaceChildren(...lobby(f));
    case 'live':
      return main.replaceChildren(el('ul', { class: 'pj-teams' }, ...f.teams.map(liveTeam)));
    case 'question':
      return main.replaceChildren(...question(f));
    case 'podium':
      return main.replaceChildren(...podium(f));
    default: {
      const _exhaustive: never = f.mode;
      return _exhaustive;
    }
  }
}

async function poll(key: string): Promise<void> {
  const r = await apiJson<ProjectorFrame>(`/api/labs/${code}/projector`, { token: key });
  if (r.ok) {
    status.replaceChildren();
    render(r.data);
  } else if (r.status === 401) return void status.replaceChildren(biOf({ fr: 'Lien du projecteur invalide : rouvrez-le depuis le tableau de bord.', en: 'Invalid projector link: open it again from the dashboard.' }));
  else status.replaceChildren(bi('⚠ connexion perdue, nouvel essai…', '⚠ connection lost, retrying…'));
  setTimeout(() => void poll(key), POLL_MS);
}

const key = CODE_RE.test(code) ? takeKey() : null;
if (!key) status.replaceChildren(bi('Ouvrez le projecteur depuis le tableau de bord (lien « Ouvrir le projecteur »).', 'Open the projector from the dashboard (“Open the projector” link).'));
else void poll(key);
