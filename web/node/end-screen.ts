// The end screen of the node page (issue 8): once the lab has ended, the student's own result —
// grade parts, checkpoint answers (right or wrong, and why), diagnosis marks, what went well and
// what was missed, the team's rank — and a link to their own report. Read from
// GET /api/labs/:code/me/result (src/api/student-result.ts), which says what the teacher's report says.
import type { StudentResult } from '../../src/reports/student-result';
import { apiJson } from '../lib/api';
import { byId, el, icon } from '../lib/dom';
import { type Bi, bi, biNum, biOf, lang, onLang } from '../lib/i18n';

const PARTS: [keyof StudentResult['grade']['parts'], Bi][] = [
  ['outcome', { fr: 'Résultat du cluster', en: 'Cluster outcome' }],
  ['competence', { fr: 'Compétence', en: 'Competence' }],
  ['participation', { fr: 'Participation', en: 'Participation' }],
];

let shown = false;

/** Fetches and draws the end screen (a few tries: the lab's end reaches the database a moment
 * after the room tells the page). */
export async function showEndScreen(code: string, token: string): Promise<void> {
  if (shown) return;
  shown = true;
  const root = byId('end-screen');
  root.hidden = false;
  root.replaceChildren(el('h2', {}, icon('hourglass'), bi(' Lab terminé : calcul de votre résultat…', ' Lab over: computing your result…')));
  for (let attempt = 0; attempt < 8; attempt++) {
    const r = await apiJson<StudentResult>(`/api/labs/${code}/me/result`, { token });
    if (r.ok && r.data) return draw(root, r.data, code, token);
    if (r.status !== 409 && r.status !== 0 && r.status < 500) break;
    await new Promise((res) => setTimeout(res, 1500));
  }
  root.replaceChildren(el('h2', {}, icon('stop'), bi(' Lab terminé. Merci !', ' Lab over. Thank you!')), el('p', { class: 'help' }, bi('Votre résultat n’a pas pu être calculé ici ; l’enseignant a votre rapport.', 'Your result could not be computed here; the teacher has your report.')));
}

const n1 = (x: number) => biNum(x, x % 1 ? 1 : 0);

function draw(root: HTMLElement, r: StudentResult, code: string, token: string): void {
  const g = r.grade;
  const report = el('a', { class: 'button primary', attrs: { target: '_blank', rel: 'noopener noreferrer' } }, icon('arrow'), bi(' Mon rapport détaillé', ' My detailed report'));
  onLang((l) => (report.href = `/api/labs/${code}/me/report?${new URLSearchParams({ t: token, lang: l })}`), report);
  const out20 = n1(g.outOf20);
  root.replaceChildren(
    el('h2', { class: 'checkpoint-title' }, icon('check'), bi(' Lab terminé : votre résultat', ' Lab over: your result')),
    el(
      'p',
      { class: 'end-grade' },
      el('strong', { class: 'end-grade-value' }, biOf({ fr: `${out20.fr} / 20`, en: `${out20.en} / 20` })),
      ' ',
      bi(`(équipe ${r.team} : ${n1(r.teamGrade.outOf20).fr} / 20, rang ${r.rank.rank} sur ${r.rank.of})`, `(team ${r.team}: ${n1(r.teamGrade.outOf20).en} / 20, rank ${r.rank.rank} of ${r.rank.of})`),
    ),
    el(
      'dl',
      { class: 'end-parts' },
      ...PARTS.flatMap(([k, label]) => [el('dt', {}, biOf(label)), el('dd', { class: 'mono' }, `${n1(g.parts[k])[lang()]} / 100`)]),
      ...(g.penalty > 0 ? [el('dt', {}, bi('Pénalités', 'Penalties')), el('dd', { class: 'mono' }, `−${g.penalty}`)] : []),
    ),
    list('ok', 'check', { fr: 'Ce qui a bien marché', en: 'What went well' }, r.wentWell, { fr: 'Rien de noté cette fois.', en: 'Nothing scored this time.' }),
    list('bad', 'cross', { fr: 'Ce qui a manqué', en: 'What was missed' }, r.missed, { fr: 'Rien : bravo.', en: 'Nothing: well done.' }),
    ...r.checkpoints.map((c) =>
      el(
        'section',
        { class: 'end-checkpoint' },
        el('h3', {}, bi('Point d’étape : ', 'Checkpoint: '), biOf(c.title), ` (${c.right}/${c.results.length})`),
        el(
          'ol',
          { class: 'checkpoint-results' },
          ...c.results.map((q) =>
            el(
              'li',
              { class: q.ok ? 'ok' : 'wrong', attrs: { 'data-question': q.question } },
              el('p', { class: 'q' }, q.text ? biOf(q.text) : q.question),
              el('p', {}, icon(q.ok ? 'check' : 'cross'), el('strong', {}, q.ok ? bi(' Juste', ' Right') : bi(' Faux', ' Wrong')), bi(' — votre réponse : ', ' — your answer: '), q.answerText ? biOf(q.answerText) : bi('aucune', 'none')),
              q.ok || !q.rightText ? null : el('p', {}, bi('Bonne réponse : ', 'Right answer: '), biOf(q.rightText)),
              q.why ? el('p', { class: 'why' }, biOf(q.why)) : null,
            ),
          ),
        ),
      ),
    ),
    ...r.diagnoses.map((d) =>
      el(
        'section',
        { class: 'end-diagnosis', attrs: { 'data-right': String(d.right) } },
        el('h3', {}, bi(`Votre diagnostic : ${d.right}/4`, `Your diagnosis: ${d.right}/4`)),
        el('p', {}, bi('Vous avez dit : ', 'You said: '), biOf(d.text)),
        el('p', {}, bi('La panne : ', 'The fault: '), d.truth ? biOf(d.truth) : bi('aucune panne n’avait encore eu lieu.', 'no fault had happened yet.')),
        el(
          'ul',
          { class: 'end-marks' },
          ...([['family', { fr: 'famille', en: 'family' }], ['cause', { fr: 'cause', en: 'cause' }], ['nodes', { fr: 'nœuds', en: 'nodes' }], ['rule', { fr: 'règle', en: 'rule' }]] as const).map(([k, w]) =>
            el('li', { class: d.marks[k] ? 'ok' : 'wrong' }, icon(d.marks[k] ? 'check' : 'cross'), ' ', biOf(w), ' ', d.marks[k] ? bi('juste', 'right') : bi('faux', 'wrong')),
          ),
        ),
      ),
    ),
    el('p', {}, report),
  );
}

function list(tone: string, sym: 'check' | 'cross', title: Bi, items: Bi[], empty: Bi): HTMLElement {
  return el(
    'section',
    { class: `end-list ${tone}` },
    el('h3', {}, icon(sym), ' ', biOf(title)),
    items.length ? el('ul', {}, ...items.map((x) => el('li', {}, biOf(x)))) : el('p', { class: 'help' }, biOf(empty)),
  );
}
