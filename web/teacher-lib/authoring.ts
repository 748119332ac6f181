// "My scenarios" on the setup page: start from a preset, a saved scenario or a file; edit the
// common fields in a form or the whole JSON text; check it (errors listed at their line, a click
// puts the cursor there), dry-run it headless, save it to D1. Saved scenarios join the lab
// creation list. Routes: src/api/scenarios.ts; format: docs/scenarios.md.
import { apiJson, errorText } from '../lib/api';
import { byId, el } from '../lib/dom';
import { bi, biOf, clock, type Bi } from '../lib/i18n';
import { BAD_KEY, glyph, type ScenarioInfo } from './ui';

interface ScenarioError {
  line: number;
  column: number;
  path: string;
  message: Bi;
}
interface SavedScenario {
  id: string;
  scenarioId: string;
  title: string;
  updatedAt: number;
  scenario?: ScenarioInfo;
}
interface DryRunResult {
  endMs: number;
  availability: number;
  harms: { kind: string; at: number; text: Bi }[];
  objectives: { id: string; title: Bi; points: number; met: boolean; evidence?: { at: number; text: Bi } }[];
  pointsMet: number;
  pointsMax: number;
  moments: { at: number; type: string; text: Bi }[];
  final: { nodes: { name: string; power: string; quorate: boolean }[]; vms: { vmid: number; name: string; runningOn: string[] }[] };
}

/** Moments listed on the page (the rest is summed up). */
const MOMENTS_SHOWN = 40;

export interface AuthoringDeps {
  /** the instructor key typed in the new-lab form */
  key: () => string;
  /** the lab creation list: saved scenarios are added to it */
  scenarioSel: HTMLSelectElement;
  /** the presets, and the saved scenarios once loaded (setup.ts describes the selected one from it) */
  catalogue: ScenarioInfo[];
  onCatalogue: () => void;
}

export function initAuthoring(d: AuthoringDeps): void {
  const from = byId<HTMLSelectElement>('author-from');
  const file = byId<HTMLInputElement>('author-file');
  const text = byId<HTMLTextAreaElement>('author-text');
  const pos = byId('author-pos');
  const status = byId('author-status');
  const errorsBox = byId('author-errors');
  const result = byId('author-result');
  const del = byId<HTMLButtonElement>('author-delete');
  const f = {
    titleFr: byId<HTMLInputElement>('author-title-fr'),
    titleEn: byId<HTMLInputElement>('author-title-en'),
    id: byId<HTMLInputElement>('author-id'),
    cluster: byId<HTMLInputElement>('author-cluster'),
    nodes: byId<HTMLInputElement>('author-nodes'),
    descFr: byId<HTMLTextAreaElement>('author-desc-fr'),
    descEn: byId<HTMLTextAreaElement>('author-desc-en'),
  };
  const presets = d.catalogue.slice();
  let saved: SavedScenario[] = [];
  /** the saved scenario being edited (Save replaces it), or null: Save makes a new one */
  let editing: string | null = null;

  const say = (t: Bi | null, tone: 'ok' | 'bad' | 'info' = 'info') =>
    status.replaceChildren(...(t ? [el('p', { class: tone === 'bad' ? 't-error' : `t-author-${tone}` }, glyph(tone === 'ok' ? '✓' : tone === 'bad' ? '✗' : 'ℹ'), biOf(t))] : []));
  const needKey = (): string | null => {
    const k = d.key();
    if (!k) say({ fr: 'Saisissez d’abord la clé enseignant (en haut du formulaire).', en: 'Type the instructor key first (top of the form).' }, 'bad');
    return k || null;
  };

  function fillFrom(): void {
    const keep = from.value;
    from.replaceChildren(el('option', { attrs: { value: '' } }, bi('— choisir —', '— choose —')));
    const group = (label: Bi, items: { value: string; title: Bi }[]) => {
      if (!items.length) return;
      const g = el('optgroup', { attrs: { label: `${label.fr} / ${label.en}` } });
      for (const it of items) g.append(el('option', { attrs: { value: it.value }, text: `${it.title.fr} / ${it.title.en}` }));
      from.append(g);
    };
    group({ fr: 'Exemples (presets)', en: 'Examples (presets)' }, presets.map((p) => ({ value: `preset:${p.id}`, title: p.title })));
    group({ fr: 'Mes scénarios', en: 'My scenarios' }, saved.map((s) => ({ value: `saved:${s.id}`, title: s.scenario?.title ?? { fr: s.title, en: s.title } })));
    from.value = keep;
  }

  /** Saved scenarios into the lab creation list (an optgroup after the presets). */
  function fillLabList(): void {
    d.scenarioSel.querySelector('optgroup[data-custom]')?.remove();
    d.catalogue.splice(presets.length, d.catalogue.length, ...saved.flatMap((s) => (s.scenario ? [s.scenario] : [])));
    const usable = saved.filter((s) => s.scenario);
    if (usable.length) {
      const g = el('optgroup', { attrs: { label: 'Mes scénarios / My scenarios', 'data-custom': true } });
      for (const s of usable) g.append(el('option', { attrs: { value: s.id }, text: `${s.scenario!.title.fr} / ${s.scenario!.title.en}` }));
      d.scenarioSel.append(g);
    }
    d.onCatalogue();
  }

  async function loadSaved(): Promise<void> {
    const k = d.key();
    if (!k) return;
    const r = await apiJson<{ scenarios: SavedScenario[] }>('/api/scenarios/custom', { token: k });
    if (!r.ok) return;
    saved = r.data.scenarios;
    fillFrom();
    fillLabList();
  }

  function setText(t: string, savedId: string | null): void {
    text.value = t;
    editing = savedId;
    del.hidden = !savedId;
    errorsBox.replaceChildren();
    result.replaceChildren();
    textToForm();
  }

  /** The form shows the common fields of the text (when it parses). */
  function textToForm(): void {
    let v: any;
    try {
      v = JSON.parse(text.value);
    } catch {
      return;
    }
    f.titleFr.value = v?.title?.fr ?? '';
    f.titleEn.value = v?.title?.en ?? '';
    f.id.value = v?.id ?? '';
    f.cluster.value = v?.cluster?.clusterName ?? '';
    f.nodes.value = Array.isArray(v?.cluster?.nodes) ? String(v.cluster.nodes.length) : '';
    f.descFr.value = v?.description?.fr ?? '';
    f.descEn.value = v?.description?.en ?? '';
  }

  /** The form's fields written into the text; nodes added or removed follow the course's plan
   * (pveN, nodeid N, 10.0.10.(10+N)). */
  function formToText(): void {
    let v: any;
    try {
      v = JSON.parse(text.value || '{}');
    } catch {
      say({ fr: 'Le texte n’est pas du JSON valide : corrigez-le d’abord (Vérifier).', en: 'The text is not valid JSON: fix it first (Check).' }, 'bad');
      return;
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) v = {};
    v.id = f.id.value.trim();
    v.title = { fr: f.titleFr.value.trim(), en: f.titleEn.value.trim() };
    v.description = { fr: f.descFr.value.trim(), en: f.descEn.value.trim() };
    v.cluster = v.cluster && typeof v.cluster === 'object' ? v.cluster : {};
    v.cluster.clusterName = f.cluster.value.trim();
    const n = Number(f.nodes.value);
    if (Number.isInteger(n) && n >= 2 && n <= 64) {
      const old: any[] = Array.isArray(v.cluster.nodes) ? v.cluster.nodes : [];
      v.cluster.nodes = Array.from({ length: n }, (_, i) => old[i] ?? { name: `pve${i + 1}`, nodeid: i + 1, votes: 1, ip: `10.0.10.${11 + i}` });
    }
    text.value = JSON.stringify(v, null, 2) + '\n';
    say({ fr: 'Champs reportés dans le texte.', en: 'Fields copied into the text.' }, 'ok');
  }

  function showErrors(errors: ScenarioError[]): void {
    const list = el('ol', { class: 't-author-errors' });
    for (const e of errors)
      list.append(
        el(
          'li',
          {},
          el(
            'button',
            { class: 't-linklike t-mono', attrs: { type: 'button', 'data-line': e.line, 'data-column': e.column }, on: { click: () => goTo(e.line, e.column) } },
            `${e.line}:${e.column}`,
          ),
          ' ',
          e.path ? el('code', { text: e.path }) : null,
          ' — ',
          biOf(e.message),
        ),
      );
    errorsBox.replaceChildren(
      el('p', { class: 't-error' }, glyph('✗'), bi(`${errors.length} erreur(s) :`, `${errors.length} error(s):`)),
      list,
    );
  }

  /** Puts the cursor at line:column of the text and scrolls there. */
  function goTo(line: number, column: number): void {
    const lines = text.value.split('\n');
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
    offset += Math.max(0, column - 1);
    text.focus();
    text.setSelectionRange(offset, offset);
    const lh = text.scrollHeight / Math.max(1, lines.length);
    text.scrollTop = Math.max(0, (line - 5) * lh);
    showPos();
  }

  function showPos(): void {
    const before = text.value.slice(0, text.selectionStart);
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    pos.replaceChildren(bi(`Ligne ${line}, colonne ${column}`, `Line ${line}, column ${column}`));
  }

  async function check(): Promise<boolean> {
    const k = needKey();
    if (!k) return false;
    result.replaceChildren();
    const r = await apiJson<{ ok: boolean; errors?: ScenarioError[]; scenario?: ScenarioInfo }>('/api/scenarios/check', { method: 'POST', token: k, body: { text: text.value } });
    if (!r.ok) return say(errorText(r, BAD_KEY), 'bad'), false;
    if (!r.data.ok) {
      showErrors(r.data.errors ?? []);
      say(null);
      return false;
    }
    errorsBox.replaceChildren();
    const s = r.data.scenario!;
    say({ fr: `Scénario valide : ${s.title.fr} — ${s.nodes} nœuds, ${s.objectives.length} objectifs.`, en: `Valid scenario: ${s.title.en} — ${s.nodes} nodes, ${s.objectives.length} objectives.` }, 'ok');
    return true;
  }

  async function dryRun(): Promise<void> {
    const k = needKey();
    if (!k) return;
    say({ fr: 'Essai à blanc en cours…', en: 'Dry run in progress…' });
    const r = await apiJson<{ ok: boolean; result: DryRunResult }>('/api/scenarios/dry-run', { method: 'POST', token: k, body: { text: text.value } });
    if (!r.ok) {
      // 400 bad_scenario carries the errors: Check lists them at their lines.
      if (r.code === 'bad_scenario') await check();
      else say(errorText(r, BAD_KEY), 'bad');
      return;
    }
    errorsBox.replaceChildren();
    say({ fr: 'Essai à blanc terminé.', en: 'Dry run done.' }, 'ok');
    renderDryRun(r.data.result);
  }

  function renderDryRun(x: DryRunResult): void {
    const pct = Math.round(x.availability * 100);
    const mark = (ok: boolean) => el('span', { class: `t-chip ${ok ? 't-ok' : 't-bad'}` }, glyph(ok ? '✓' : '✗'), ok ? bi('atteint', 'met') : bi('non atteint', 'not met'));
    const objectives = el(
      'table',
      { class: 't-table t-author-table' },
      el('caption', {}, bi('Objectifs avec le pilote automatique seul', 'Objectives with autopilot alone')),
      el('thead', {}, el('tr', {}, el('th', { attrs: { scope: 'col' } }, bi('Objectif', 'Objective')), el('th', { attrs: { scope: 'col' } }, bi('Points', 'Points')), el('th', { attrs: { scope: 'col' } }, bi('Résultat', 'Result')))),
      el(
        'tbody',
        {},
        ...x.objectives.map((o) =>
          el(
            'tr',
            { attrs: { 'data-objective': o.id, 'data-met': String(o.met) } },
            el('td', {}, biOf(o.title), o.evidence ? el('div', { class: 't-hint' }, `${clock(o.evidence.at)} · `, biOf(o.evidence.text)) : null),
            el('td', { text: String(o.points) }),
            el('td', {}, mark(o.met)),
          ),
        ),
      ),
    );
    const moments = el('ol', { class: 't-author-moments' }, ...x.moments.slice(0, MOMENTS_SHOWN).map((m) => el('li', {}, el('span', { class: 't-mono', text: clock(m.at) }), ' ', biOf(m.text))));
    const nodes = x.final.nodes.map((n) => `${n.name} ${n.power}${n.power === 'on' ? (n.quorate ? ' ✓Q' : ' ✗Q') : ''}`).join(' · ');
    const vms = x.final.vms.map((v) => `${v.name} (${v.vmid}) → ${v.runningOn.join('+') || '—'}`).join(' · ');
    result.replaceChildren(
      el('h3', {}, bi('Résultat de l’essai à blanc', 'Dry run result')),
      el(
        'p',
        { attrs: { id: 'dry-summary' } },
        bi(
          `Durée simulée ${clock(x.endMs)} · points du pilote automatique seul : ${x.pointsMet} / ${x.pointsMax} · disponibilité des VM HA : ${pct} %`,
          `Simulated ${clock(x.endMs)} · autopilot alone scores ${x.pointsMet} / ${x.pointsMax} · HA VM availability: ${pct}%`,
        ),
      ),
      x.harms.length
        ? el('ul', { class: 't-error' }, ...x.harms.map((h) => el('li', {}, glyph('⚠'), ` ${clock(h.at)} `, biOf(h.text))))
        : el('p', { class: 't-author-ok' }, glyph('✓'), bi('Aucun dégât (split-brain, VM en double) sans intervention.', 'No harm (split-brain, VM running twice) without anyone acting.')),
      objectives,
      el('p', { class: 't-hint' }, bi('Un objectif qui demande une commande reste « non atteint » ici : c’est attendu.', 'An objective that needs a command stays “not met” here: that is expected.')),
      el('h4', {}, bi('Moments clés', 'Key moments')),
      moments,
      ...(x.moments.length > MOMENTS_SHOWN ? [el('p', { class: 't-hint' }, bi(`… et ${x.moments.length - MOMENTS_SHOWN} autres.`, `… and ${x.moments.length - MOMENTS_SHOWN} more.`))] : []),
      el('h4', {}, bi('À la fin', 'At the end')),
      el('p', { class: 't-mono t-small', text: nodes }),
      el('p', { class: 't-mono t-small', text: vms }),
    );
  }

  async function save(): Promise<void> {
    const k = needKey();
    if (!k) return;
    const body = { text: text.value };
    const r = editing
      ? await apiJson<{ id: string; scenario: ScenarioInfo }>(`/api/scenarios/custom/${encodeURIComponent(editing)}`, { method: 'PUT', token: k, body })
      : await apiJson<{ id: string; scenario: ScenarioInfo }>('/api/scenarios/custom', { method: 'POST', token: k, body });
    if (!r.ok) {
      if (r.code === 'bad_scenario') await check();
      else say(errorText(r, BAD_KEY), 'bad');
      return;
    }
    editing = r.data.id;
    del.hidden = false;
    errorsBox.replaceChildren();
    await loadSaved();
    from.value = `saved:${r.data.id}`;
    d.scenarioSel.value = r.data.id;
    d.onCatalogue();
    say({ fr: `Enregistré : « ${r.data.scenario.title.fr} ». Il est choisi dans la liste des scénarios du nouveau lab.`, en: `Saved: “${r.data.scenario.title.en}”. It is selected in the new lab’s scenario list.` }, 'ok');
  }

  async function remove(): Promise<void> {
    const k = needKey();
    if (!k || !editing) return;
    if (!confirm('Supprimer ce scénario ? / Delete this scenario?')) return;
    const r = await apiJson(`/api/scenarios/custom/${encodeURIComponent(editing)}`, { method: 'DELETE', token: k });
    if (!r.ok) return say(errorText(r, BAD_KEY), 'bad');
    setText('', null);
    await loadSaved();
    say({ fr: 'Scénario supprimé (les labs déjà créés le gardent).', en: 'Scenario deleted (labs already created keep it).' }, 'ok');
  }

  from.addEventListener('change', () => {
    void (async () => {
      const [kind, id] = [from.value.slice(0, from.value.indexOf(':')), from.value.slice(from.value.indexOf(':') + 1)];
      if (kind === 'preset') {
        // A preset is a starting point: its text comes from the server's catalogue check.
        const k = needKey();
        if (!k) return;
        const r = await apiJson<{ source: string }>(`/api/scenarios/preset/${encodeURIComponent(id)}`, { token: k });
        if (r.ok) setText(r.data.source, null);
        else say(errorText(r, BAD_KEY), 'bad');
      } else if (kind === 'saved') {
        const k = needKey();
        if (!k) return;
        const r = await apiJson<{ source: string }>(`/api/scenarios/custom/${encodeURIComponent(id)}`, { token: k });
        if (r.ok) setText(r.data.source, id);
        else say(errorText(r, BAD_KEY), 'bad');
      }
    })();
  });
  file.addEventListener('change', () => {
    const picked = file.files?.[0];
    if (!picked) return;
    if (picked.size > 64 * 1024) return say({ fr: 'Fichier trop gros (64 Ko au plus).', en: 'File too big (64 KB at most).' }, 'bad');
    void picked.text().then((t) => {
      setText(t, null);
      say({ fr: `Fichier « ${picked.name} » chargé : vérifiez-le.`, en: `File “${picked.name}” loaded: check it.` }, 'info');
    });
  });
  byId('author-apply').addEventListener('click', formToText);
  byId('author-check').addEventListener('click', () => void check());
  byId('author-dry').addEventListener('click', () => void dryRun());
  byId('author-save').addEventListener('click', () => void save());
  del.addEventListener('click', () => void remove());
  for (const ev of ['keyup', 'click', 'select'] as const) text.addEventListener(ev, showPos);
  fillFrom();
  void loadSaved();
  // The key may be typed after the page loaded: fetch the saved scenarios once it is.
  document.getElementById('key')?.addEventListener('change', () => void loadSaved());
}
