// The HTML report's teaching sections (src/reports/teach.ts): checkpoint answers with the right
// answer and why, diagnoses with their marks, a drill's drawn fault. Every value goes through `html`.
import { FAMILY_WORDS } from '../protocol/diagnosis';
import { html, type Html } from './html';
import type { Lang } from './html-words';
import type { CheckpointAnswers, DiagnosisReport, DrillReport } from './teach';
import { fmtSim } from './wording';
import type { I18nText } from '../sim/types';

const W = {
  fr: {
    checkpoints: 'Points d’étape',
    diagnoses: 'Diagnostics',
    drill: 'Exercice d’incident',
    question: 'Question',
    answer: 'Réponse',
    rightAnswer: 'Bonne réponse',
    why: 'Pourquoi',
    none: 'aucun',
    noAnswer: 'pas de réponse',
    node: 'Nœud',
    time: 'Temps',
    named: 'Diagnostic',
    marks: 'Points',
    truth: 'Panne réelle',
    marksWords: { family: 'famille', cause: 'cause', nodes: 'nœuds', rule: 'règle' },
    noFault: 'aucune panne avant ce diagnostic',
    family: 'Famille',
    at: 'à',
  },
  en: {
    checkpoints: 'Checkpoints',
    diagnoses: 'Diagnoses',
    drill: 'Incident drill',
    question: 'Question',
    answer: 'Answer',
    rightAnswer: 'Right answer',
    why: 'Why',
    none: 'none',
    noAnswer: 'no answer',
    node: 'Node',
    time: 'Time',
    named: 'Diagnosis',
    marks: 'Marks',
    truth: 'Actual fault',
    marksWords: { family: 'family', cause: 'cause', nodes: 'nodes', rule: 'rule' },
    noFault: 'no fault before this diagnosis',
    family: 'Family',
    at: 'at',
  },
} as const;

const tr = (x: I18nText | null | undefined, lang: Lang) => (x ? x[lang] : '');

/** One table per closed checkpoint and node: question, the answer, the right one, why. */
export function checkpointsSection(list: CheckpointAnswers[], lang: Lang, showNode: boolean): Html {
  const w = W[lang];
  if (!list.length) return html``;
  return html`<h3>${w.checkpoints}</h3>${list.map(
    (c) => html`<h4>${tr(c.title, lang)} — ${fmtSim(c.at)}${showNode ? html` — <code>${c.node}</code>` : ''} (${c.right}/${c.results.length})</h4>
<table><thead><tr><th>${w.question}</th><th>${w.answer}</th><th>${w.rightAnswer}</th><th>${w.why}</th></tr></thead><tbody>
${c.results.map(
  (r) => html`<tr><td>${r.text ? tr(r.text, lang) : r.question}</td><td class="${r.ok ? 'pos' : 'neg'}">${r.ok ? '✓ ' : '✗ '}${r.answer === null ? w.noAnswer : r.answerText ? tr(r.answerText, lang) : JSON.stringify(r.answer.value)}</td><td>${r.rightText ? tr(r.rightText, lang) : JSON.stringify(r.right.value)}</td><td class="muted">${tr(r.why, lang)}</td></tr>\n`,
)}</tbody></table>`,
  )}`;
}

export function diagnosesSection(list: DiagnosisReport[], lang: Lang): Html {
  const w = W[lang];
  if (!list.length) return html``;
  const marks = (d: DiagnosisReport) => (Object.keys(w.marksWords) as (keyof typeof w.marksWords)[]).map((k) => `${d.marks[k] ? '✓' : '✗'} ${w.marksWords[k]}`).join(', ');
  return html`<h3>${w.diagnoses}</h3><table><thead><tr><th class="n">${w.time}</th><th>${w.node}</th><th>${w.named}</th><th>${w.marks}</th><th>${w.truth}</th></tr></thead><tbody>
${list.map(
  (d) => html`<tr><td class="n">${fmtSim(d.at)} (#${d.seq})</td><td><code>${d.node}</code></td><td>${tr(d.text, lang)}</td><td class="${d.right === 4 ? 'pos' : d.right === 0 ? 'neg' : ''}">${d.right}/4 — ${marks(d)}</td><td>${d.truth ? tr(d.truth, lang) : html`<span class="muted">${w.noFault}</span>`}</td></tr>\n`,
)}</tbody></table>`;
}

export function drillSection(d: DrillReport | null, lang: Lang): Html {
  const w = W[lang];
  if (!d) return html``;
  return html`<h3>${w.drill}</h3><p>${w.family} : ${tr(FAMILY_WORDS[d.family], lang)} — ${tr(d.truth, lang)} (${w.at} ${fmtSim(d.atMs)})</p>`;
}
