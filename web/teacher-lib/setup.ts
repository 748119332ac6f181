// Without ?code=: the "new lab" form and the list of stored labs.
import { MAX_TEAMS } from '../../src/protocol/limits';
import { DRILL_FAMILIES, FAMILY_WORDS } from '../../src/protocol/diagnosis';
import { apiJson, errorText } from '../lib/api';
import { byId, el } from '../lib/dom';
import { bi, biDate, biOf, biText, onLang, type Bi } from '../lib/i18n';
import { secretFromKey } from './access';
import { reportUrl } from './ended';
import { instructorKey, labSecret } from './store';
import { BAD_KEY, show, statusChip, type ScenarioInfo } from './ui';
import { initAuthoring } from './authoring';
import { wholeClassChoice } from './whole-class';

interface StoredLab {
  code: string;
  title: string;
  scenario: string;
  /** the scenario's title (a teacher's own scenario too); null when unreadable */
  scenarioTitle: Bi | null;
  status: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
}

function showError(p: HTMLElement, text: Bi | null): void {
  p.hidden = !text;
  p.replaceChildren(text ? biOf(text) : '');
}

/** The drill families (src/protocol/diagnosis.ts), after "none". */
function fillDrills(sel: HTMLSelectElement): void {
  const none = el('option', { attrs: { value: '' } });
  biText(none, 'Aucun', 'None');
  sel.append(none);
  for (const f of DRILL_FAMILIES) {
    const o = el('option', { attrs: { value: f } });
    biText(o, FAMILY_WORDS[f].fr, FAMILY_WORDS[f].en);
    sel.append(o);
  }
}

export async function setupPage(): Promise<void> {
  show('setup');
  const form = byId<HTMLFormElement>('new-lab');
  const key = byId<HTMLInputElement>('key');
  const title = byId<HTMLInputElement>('title');
  const scenarioSel = byId<HTMLSelectElement>('scenario');
  const about = byId('scenario-about');
  const teams = byId<HTMLInputElement>('teams');
  teams.max = String(MAX_TEAMS);
  const scale = byId<HTMLInputElement>('timescale');
  const timeline = byId<HTMLInputElement>('timeline');
  const diagnosis = byId<HTMLInputElement>('diagnosis');
  const drill = byId<HTMLSelectElement>('drill');
  fillDrills(drill);
  const err = byId('new-lab-error');
  const submit = byId<HTMLButtonElement>('create-lab');
  key.value = instructorKey.get() ?? '';

  const res = await apiJson<{ scenarios: ScenarioInfo[] }>('/api/scenarios');
  const scenarios = res.ok ? res.data.scenarios : [];
  if (!res.ok) showError(err, errorText(res, BAD_KEY));
  for (const s of scenarios) {
    const o = el('option', { attrs: { value: s.id } });
    biText(o, s.title.fr, s.title.en);
    scenarioSel.append(o);
  }
  const describe = () => {
    const s = scenarios.find((x) => x.id === scenarioSel.value);
    if (!s) return about.replaceChildren();
    const facts: Bi = {
      fr: `${s.nodes} nœuds${s.qdevice ? ' + QDevice' : ''}${s.qdeviceSeat ? ' (une place élève pour le QDevice)' : ''} · ${s.nodes + (s.qdeviceSeat ? 1 : 0)} élèves par équipe au plus`,
      en: `${s.nodes} nodes${s.qdevice ? ' + QDevice' : ''}${s.qdeviceSeat ? ' (a student seat for the QDevice)' : ''} · up to ${s.nodes + (s.qdeviceSeat ? 1 : 0)} students per team`,
    };
    about.replaceChildren(
      el('h2', { class: 't-scenario-title' }, biOf(s.title)),
      el('p', { class: 't-small t-muted' }, biOf(facts)),
      el('p', {}, biOf(s.description)),
      el('h3', {}, bi('Objectifs', 'Goals')),
      el('ul', { attrs: { 'data-lang': 'fr', lang: 'fr' } }, ...s.goals.fr.map((g) => el('li', { text: g }))),
      el('ul', { attrs: { 'data-lang': 'en', lang: 'en' } }, ...s.goals.en.map((g) => el('li', { text: g }))),
    );
  };
  scenarioSel.addEventListener('change', describe);
  // "My scenarios": author, check, dry-run, save; saved ones join the list above.
  initAuthoring({ key: () => key.value.trim() || instructorKey.get() || '', scenarioSel, catalogue: scenarios, onCatalogue: describe });
  // "New lab with the same settings" (?from=CODE): the ended lab's public settings fill the form.
  const from = new URLSearchParams(location.search).get('from');
  if (from) await prefill(from);
  describe();

  async function prefill(fromCode: string): Promise<void> {
    const r = await apiJson<{ title: string; scenarioId: string; settings: { voteMode: string; heartbeatMode: string; timing: string; timeScale: number; timeline: boolean }; teams: unknown[] }>(
      `/api/labs/${encodeURIComponent(fromCode)}`,
    );
    if (!r.ok) return;
    const d = r.data;
    if (scenarios.some((x) => x.id === d.scenarioId)) scenarioSel.value = d.scenarioId;
    const scen = scenarios.find((x) => x.id === d.scenarioId);
    if (d.title && d.title !== scen?.title.fr) title.value = d.title;
    teams.value = String(Math.max(1, Math.min(MAX_TEAMS, d.teams.length || 1)));
    scale.value = String(d.settings.timeScale);
    timeline.checked = d.settings.timeline;
    for (const [name, value] of [['voteMode', d.settings.voteMode], ['heartbeatMode', d.settings.heartbeatMode], ['timing', d.settings.timing]] as const) {
      const radio = form.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`);
      if (radio) radio.checked = true;
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void create();
  });

  async function create(): Promise<void> {
    showError(err, null);
    const k = key.value.trim();
    const n = Number(teams.value);
    const ts = Number(scale.value.replace(',', '.'));
    if (!k) {
      showError(err, { fr: 'Saisissez la clé enseignant.', en: 'Type the instructor key.' });
      return key.focus();
    }
    if (!Number.isInteger(n) || n < 1 || n > MAX_TEAMS) {
      showError(err, { fr: `Nombre d’équipes : de 1 à ${MAX_TEAMS}.`, en: `Number of teams: 1 to ${MAX_TEAMS}.` });
      return teams.focus();
    }
    if (!Number.isFinite(ts) || ts < 0.25 || ts > 10) {
      showError(err, { fr: 'Vitesse du temps : de 0,25 à 10.', en: 'Time scale: 0.25 to 10.' });
      return scale.focus();
    }
    const whole = wholeClassChoice();
    if (whole && 'error' in whole) {
      showError(err, whole.error);
      return whole.focus.focus();
    }
    const radio = (name: string) => (form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? 'auto');
    const body = {
      scenario: scenarioSel.value,
      ...(title.value.trim() ? { title: title.value.trim() } : {}),
      teams: n,
      ...(whole ?? {}),
      voteMode: radio('voteMode'),
      heartbeatMode: radio('heartbeatMode'),
      timing: radio('timing') === 'real' ? 'real' : 'course',
      timeScale: ts,
      timeline: timeline.checked,
      ...(diagnosis.checked ? { diagnosis: true } : {}),
      ...(drill.value ? { drill: drill.value } : {}),
    };
    submit.disabled = true;
    const r = await apiJson<{ code: string; teacherSecret: string }>('/api/labs', { method: 'POST', token: k, body });
    submit.disabled = false;
    if (!r.ok) {
      showError(err, errorText(r, BAD_KEY));
      if (r.code === 'unauthorized') key.focus();
      return;
    }
    instructorKey.set(k);
    labSecret.set(r.data.code, r.data.teacherSecret);
    // The secret rides in the fragment (never sent to the server); the dashboard moves it to
    // sessionStorage and takes it off the address bar.
    location.assign(`${location.pathname}?code=${encodeURIComponent(r.data.code)}#secret=${encodeURIComponent(r.data.teacherSecret)}`);
  }

  // Stored labs
  const labsBox = byId('labs');
  const refresh = byId<HTMLButtonElement>('labs-refresh');
  async function loadLabs(): Promise<void> {
    const k = key.value.trim() || instructorKey.get() || '';
    if (!k) {
      labsBox.replaceChildren(el('p', { class: 't-error' }, bi('Saisissez d’abord la clé enseignant ci-dessus.', 'Type the instructor key above first.')));
      return;
    }
    refresh.disabled = true;
    const r = await apiJson<{ labs: StoredLab[] }>('/api/labs', { token: k });
    refresh.disabled = false;
    if (!r.ok) {
      labsBox.replaceChildren(el('p', { class: 't-error' }, biOf(errorText(r, BAD_KEY))));
      return;
    }
    instructorKey.set(k);
    if (!r.data.labs.length) {
      labsBox.replaceChildren(el('p', { class: 't-muted' }, bi('Aucun lab pour l’instant.', 'No lab yet.')));
      return;
    }
    const th = (fr: string, en: string) => el('th', { attrs: { scope: 'col' } }, bi(fr, en));
    labsBox.replaceChildren(
      el(
        'div',
        { class: 't-table-wrap', attrs: { tabindex: '0', role: 'region', 'aria-labelledby': 'labs-title' } },
        el(
        'table',
        { class: 't-table' },
        el('thead', {}, el('tr', {}, th('Code', 'Code'), th('Titre', 'Title'), th('Scénario', 'Scenario'), th('Statut', 'Status'), th('Créé le', 'Created'), th('Ouvrir', 'Open'))),
        el(
          'tbody',
          {},
          ...(await Promise.all(r.data.labs.slice(0, 100).map((l) => labRow(l, k)))),
        ),
      ),
      ),
    );
  }
  /** A stored lab: its dashboard (the key gives its secret), and an ended lab's reports. */
  async function labRow(l: StoredLab, k: string): Promise<HTMLTableRowElement> {
    const dash = `${location.pathname}?code=${encodeURIComponent(l.code)}`;
    const open = el('td', { class: 't-lab-open' }, el('a', { class: 't-btn t-btn-small', attrs: { href: dash, 'data-open': l.code } }, bi('Tableau de bord', 'Dashboard')));
    if (l.status === 'ended') {
      const secret = labSecret.get(l.code) ?? (await secretFromKey(l.code, k));
      if (secret) {
        const a = el('a', { class: 't-btn t-btn-small', attrs: { target: '_blank', rel: 'noopener', 'data-report': l.code } }, bi('Rapport', 'Report'));
        onLang((lg) => (a.href = reportUrl(l.code, secret, '/report', lg)), a);
        const csv = el('a', { class: 't-btn t-btn-small', attrs: { target: '_blank', rel: 'noopener' } }, 'CSV');
        onLang((lg) => (csv.href = reportUrl(l.code, secret, '/report.csv', lg)), csv);
        open.append(' ', a, ' ', csv);
      }
    }
    return el(
      'tr',
      {},
      el('td', {}, el('a', { class: 't-mono', text: l.code, attrs: { href: dash } })),
      el('td', { text: l.title }),
      el('td', {}, biOf(l.scenarioTitle ?? { fr: l.scenario, en: l.scenario })),
      el('td', {}, statusChip(l.status)),
      el('td', {}, biOf(biDate(l.createdAt))),
      open,
    );
  }
  refresh.addEventListener('click', () => void loadLabs());
  if (instructorKey.get()) void loadLabs();
}
