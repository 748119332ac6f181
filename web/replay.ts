// Replay page: /replay.html?code=…&team=… (teacher secret from `#secret=` or this tab's dashboard).
// The team's input log is re-run in the page with the engine's own rules (web/lib/replay-frames.ts),
// then a slider, play/pause and speed walk through the frames: the truth, each side of a split from
// inside (its /etc/pve version, its HA decisions), the event feed up to that moment, and markers for
// faults, incidents and checkpoints. Protocol: docs/protocol.md ("Reports").
import type { Replay } from '../src/reports/replay';
import type { InputLogRow } from '../src/reports/rerun';
import { apiJson, CODE_RE, normalizeCode } from './lib/api';
import { byId, el } from './lib/dom';
import { describeEvent } from './lib/events';
import { bi, biOf, clock, initLang, onLang } from './lib/i18n';
import { frameAt, replayFrames, type ReplayFrame } from './lib/replay-frames';
import { fromNodeView, fromSnapshot } from './lib/topology-input';
import { drawTopology } from './lib/topology-mount';

initLang();

const params = new URLSearchParams(location.search);
const code = normalizeCode(params.get('code') ?? '');
const team = Number(params.get('team') ?? '1');
const SECRET_KEY = `quorum-lab.teacher.secret.${code}`; // the dashboard's key (web/teacher-lib/store.ts)
const status = byId('replay-status');
const slider = byId<HTMLInputElement>('replay-slider');
const playBtn = byId<HTMLButtonElement>('replay-play');
const speed = byId<HTMLSelectElement>('replay-speed');

type Ev = Replay['events'][number]['event'];
const MARKS: Record<string, { glyph: string; kind: string; fr: string; en: string }> = {
  'fault-applied': { glyph: '⚡', kind: 'fault', fr: 'panne', en: 'fault' },
  'split-brain-started': { glyph: '‼', kind: 'incident', fr: 'incident', en: 'incident' },
  'checkpoint-opened': { glyph: '?', kind: 'checkpoint', fr: 'question', en: 'question' },
};

function say(fr: string, en: string): void {
  status.replaceChildren(bi(fr, en));
}

function takeSecret(): string | null {
  const m = /(?:^#|&)secret=([^&]+)/.exec(location.hash);
  if (m) {
    history.replaceState(null, '', location.pathname + location.search);
    try {
      const s = decodeURIComponent(m[1]!);
      sessionStorage.setItem(SECRET_KEY, s);
      return s;
    } catch {
      return null;
    }
  }
  try {
    return sessionStorage.getItem(SECRET_KEY);
  } catch {
    return null;
  }
}

async function load(secret: string): Promise<void> {
  say('Chargement du journal…', 'Loading the log…');
  const [inputs, feed] = await Promise.all([
    apiJson<{ rows: InputLogRow[] }>(`/api/labs/${code}/teams/${team}/inputs`, { token: secret }),
    apiJson<Replay>(`/api/labs/${code}/replay`, { token: secret }),
  ]);
  if (!inputs.ok || !feed.ok) {
    const r = !inputs.ok ? inputs : (feed as Extract<typeof feed, { ok: false }>);
    if (r.status === 401) {
      byId('replay-secret').hidden = false;
      return say('Secret enseignant manquant ou faux.', 'Teacher secret missing or wrong.');
    }
    return say(`Impossible de charger le rejeu (${r.code}).`, `Could not load the replay (${r.code}).`);
  }
  let frames: ReplayFrame[];
  try {
    frames = replayFrames(inputs.data.rows);
  } catch (err) {
    return say(`Ce rejeu ne peut pas être reconstruit : ${String(err)}`, `This replay cannot be rebuilt: ${String(err)}`);
  }
  const events = feed.data.events.filter((e) => e.team === team).map((e) => e.event);
  byId('replay-title').replaceChildren(bi(`Rejeu — équipe ${team} (${code})`, `Replay — team ${team} (${code})`));
  say(`${feed.data.lab.title} · ${frames.length} instants, ${events.length} événements.`, `${feed.data.lab.title} · ${frames.length} moments, ${events.length} events.`);
  start(frames, events);
}

function start(frames: ReplayFrame[], events: Ev[]): void {
  byId('replay-player').hidden = false;
  byId('replay-view').hidden = false;
  slider.max = String(frames.length - 1);
  const end = frames.at(-1)!.at;
  // Markers: a button per fault, incident and checkpoint, placed along the slider.
  const markers = byId('replay-markers');
  for (const e of events) {
    const m = MARKS[e.type];
    if (!m) continue;
    const line = describeEvent(e);
    const b = el('button', { class: 'replay-marker', attrs: { type: 'button', 'data-kind': m.kind, 'data-at': String(e.at) }, text: m.glyph });
    b.style.left = `${end ? (100 * e.at) / end : 0}%`;
    onLang((l) => b.setAttribute('aria-label', `${l === 'fr' ? m.fr : m.en} t=${clock(e.at)}${line ? ` : ${l === 'fr' ? line.fr : line.en}` : ''}`), b);
    b.title = `${m.fr} / ${m.en} — t=${clock(e.at)}`;
    b.addEventListener('click', () => show(frameAt(frames, e.at)));
    markers.append(b);
  }
  let shown = -1;
  const show = (i: number) => {
    i = Math.max(0, Math.min(frames.length - 1, i));
    slider.value = String(i);
    if (i === shown) return;
    shown = i;
    render(frames[i]!, events, end);
  };
  slider.addEventListener('input', () => show(Number(slider.value)));
  // A new width may change how many node columns fit (a phone turned, a projector).
  let resizing: number | undefined;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = window.setTimeout(() => render(frames[shown]!, events, end), 150);
  });
  let timer: number | null = null;
  const setPlaying = (on: boolean) => {
    if (timer !== null) clearInterval(timer);
    timer = null;
    playBtn.setAttribute('aria-pressed', String(on));
    playBtn.replaceChildren(on ? bi('❚❚ Pause', '❚❚ Pause') : bi('▶ Lecture', '▶ Play'));
    if (!on) return;
    // Frames are one sim tick apart (1 s in the course profile): ×N shows N of them per second.
    timer = window.setInterval(() => {
      if (shown >= frames.length - 1) return setPlaying(false);
      show(shown + 1);
    }, 1000 / Number(speed.value));
  };
  playBtn.addEventListener('click', () => setPlaying(timer === null));
  speed.addEventListener('change', () => timer !== null && setPlaying(true));
  setPlaying(false);
  show(0);
}

function render(f: ReplayFrame, events: Ev[], end: number): void {
  byId('replay-time').textContent = `t = ${clock(f.at)} / ${clock(end)}`;
  slider.setAttribute('aria-valuetext', `t = ${clock(f.at)}`);
  drawTopology(byId('replay-truth'), fromSnapshot(f.snap), { id: 'replay-truth', pulse: false });
  const split = f.sides.length > 1;
  byId('replay-sides-card').hidden = !split;
  const sides = byId('replay-sides');
  if (split) {
    sides.replaceChildren(
      ...f.sides.map((v, i) => {
        const host = el('div', { class: 'topo-host' });
        drawTopology(host, fromNodeView(v), { id: `replay-side-${i}`, pulse: false, maxCols: 2 });
        return el(
          'article',
          { class: 'replay-side', attrs: { 'data-side': v.members.join(',') || v.node } },
          el('h3', {}, bi(`Côté ${v.members.join(', ') || v.node}`, `Side ${v.members.join(', ') || v.node}`)),
          el('p', {}, bi(`${v.quorate ? '✓ quorum' : '⚠ sans quorum'} · /etc/pve version ${v.cfsVersion}`, `${v.quorate ? '✓ quorate' : '⚠ no quorum'} · /etc/pve version ${v.cfsVersion}`)),
          el('ul', {}, ...(v.ha.length ? v.ha.map((h) => el('li', {}, bi(`${h.sid} : ${h.state} sur ${h.node}`, `${h.sid}: ${h.state} on ${h.node}`))) : [el('li', {}, bi('aucun service HA', 'no HA service'))])),
          host,
        );
      }),
    );
  } else sides.replaceChildren();
  const past = events.filter((e) => e.at <= f.at && describeEvent(e)).slice(-60);
  byId('replay-feed').replaceChildren(
    ...past.map((e) => {
      const line = describeEvent(e)!;
      return el('li', { class: `tone-${line.tone}`, attrs: { 'data-at': String(e.at), 'data-type': e.type } }, el('span', { class: 'mono', text: `${clock(e.at)} ` }), biOf(line));
    }),
  );
  const feed = byId('replay-feed');
  feed.scrollTop = feed.scrollHeight;
}

if (!CODE_RE.test(code) || !Number.isInteger(team) || team < 1) say('Lien de rejeu incomplet : il faut ?code=…&team=….', 'Incomplete replay link: it needs ?code=…&team=….');
else {
  const secret = takeSecret();
  byId('replay-secret').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const s = byId<HTMLInputElement>('secret-input').value.trim();
    if (!s) return;
    try {
      sessionStorage.setItem(SECRET_KEY, s);
    } catch {
      /* kept for this load only */
    }
    byId('replay-secret').hidden = true;
    void load(s);
  });
  if (secret) void load(secret);
  else {
    byId('replay-secret').hidden = false;
    say('Ouvrez le rejeu depuis le tableau de bord, ou collez le secret enseignant du lab.', 'Open the replay from the dashboard, or paste the lab’s teacher secret.');
  }
}

