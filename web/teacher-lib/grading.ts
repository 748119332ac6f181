// The "Grading" card of the dashboard: a graded session (answers hidden from the students), the
// student number asked at join, and the weights of the rubric's three parts. Weights and `graded`
// can change before, during or after the session: reports recompute with them (docs/protocol.md).
import { el } from '../lib/dom';
import { bi, biAttr } from '../lib/i18n';
import { DEFAULT_WEIGHTS, PARTS, type Part, type Weights } from '../../src/protocol/constants';
import type { LabSettings } from '../../src/protocol/messages';
import type { Bi } from '../lib/i18n';
import { glyph } from './ui';

const PART_WORDS: Record<Part, Bi> = {
  outcome: { fr: 'Résultat (ce que le cluster a vécu)', en: 'Outcome (what the cluster went through)' },
  competence: { fr: 'Compétence (objectifs, réponses, décisions)', en: 'Competence (objectives, answers, decisions)' },
  participation: { fr: 'Participation (présence, commandes utiles)', en: 'Participation (presence, relevant commands)' },
};

export interface GradingHooks {
  /** sends the settings patch; resolves true when the server took it */
  save(patch: { graded: boolean; weights: Weights; askStudentId?: boolean }): Promise<boolean>;
  ended(): boolean;
}

/** The card, filled from the lab's settings. */
export function gradingCard(settings: LabSettings, hooks: GradingHooks): HTMLElement {
  const weights = settings.weights ?? DEFAULT_WEIGHTS;
  const check = (id: string, checked: boolean, fr: string, en: string) => {
    const input = el('input', { attrs: { type: 'checkbox', id } });
    input.checked = checked;
    return { input, row: el('label', { class: 't-check' }, input, ' ', bi(fr, en)) };
  };
  const graded = check('grading-graded', !!settings.graded, 'Évaluation notée : les élèves ne voient pas les réponses', 'Graded session: students do not see the answers');
  const ask = check('grading-ask-id', !!settings.askStudentId, 'Demander le numéro d’étudiant ou l’e-mail à l’arrivée', 'Ask for a student number or e-mail at join');
  const inputs = {} as Record<Part, HTMLInputElement>;
  const rows = PARTS.map((p) => {
    const input = el('input', { class: 't-weight', attrs: { type: 'number', min: 0, max: 100, step: 1, id: `grading-${p}`, inputmode: 'numeric' } });
    input.value = String(weights[p]);
    inputs[p] = input;
    return el('div', { class: 't-weight-row' }, el('label', { attrs: { for: `grading-${p}` } }, bi(PART_WORDS[p].fr, PART_WORDS[p].en)), input);
  });
  const status = el('p', { class: 't-muted', attrs: { role: 'status', 'aria-live': 'polite' } });
  const saveBtn = el('button', { class: 't-btn t-btn-small', attrs: { type: 'button', id: 'grading-save' } }, glyph('✓'), bi('Enregistrer la notation', 'Save grading'));
  biAttr(saveBtn, 'aria-label', 'Enregistrer la notation', 'Save grading');
  saveBtn.addEventListener('click', async () => {
    const w = Object.fromEntries(PARTS.map((p) => [p, Number(inputs[p].value)])) as Weights;
    const bad = PARTS.some((p) => !Number.isFinite(w[p]) || w[p] < 0 || w[p] > 100) || PARTS.every((p) => w[p] === 0);
    if (bad) {
      status.replaceChildren(bi('Chaque poids va de 0 à 100, et au moins un doit dépasser 0.', 'Each weight is 0 to 100, and at least one must be above 0.'));
      return;
    }
    saveBtn.disabled = true;
    const ok = await hooks.save({ graded: graded.input.checked, weights: w, ...(hooks.ended() ? {} : { askStudentId: ask.input.checked }) });
    saveBtn.disabled = false;
    status.replaceChildren(
      ok
        ? hooks.ended()
          ? bi('Enregistré : les rapports sont recalculés avec ces poids.', 'Saved: reports are recomputed with these weights.')
          : bi('Enregistré.', 'Saved.')
        : bi('Non enregistré : voir le message en haut de la page.', 'Not saved: see the message at the top of the page.'),
    );
  });
  const card = el(
    'details',
    { class: 't-card t-grading', attrs: { id: 'grading' } },
    el('summary', {}, glyph('⚖'), bi('Notation', 'Grading')),
    graded.row,
    ask.row,
    el('fieldset', { class: 't-weights' }, el('legend', {}, bi('Poids des parties de la note', 'Weights of the grade’s parts')), ...rows),
    saveBtn,
    status,
  );
  // After the end only the weights and `graded` may still change (the session is stored).
  const sync = () => {
    ask.input.disabled = hooks.ended();
  };
  sync();
  card.addEventListener('toggle', sync);
  return card;
}
