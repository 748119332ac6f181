// Printable HTML reports (lab and student), in French or English. Every value goes through `esc`:
// the `html` tag escapes each interpolation unless it is already rendered markup (`Html`), so a
// student named `<script>…` prints as text. The pages carry no script and no external resource.
import { checkpointsSection, diagnosesSection, drillSection } from './html-teach';
import type { I18nText } from '../sim/types';
import type { Grade } from '../scoring';
import type { LabReport, ReportLine, StudentReport, TeamReport } from './types';
import { fmtDuration, fmtSim } from './wording';
import { incidentKind } from '../protocol/wording';

import { UI, fmtNum, type Lang } from './html-words';
import { chartSvg } from './chart';

/** The team's replay page; the secret, when the report came with it, rides in the fragment. */
function replayLink(r: LabReport, t: TeamReport, o: HtmlOptions): Html {
  const secret = o.linkQuery?.secret;
  const href = `/replay.html?code=${encodeURIComponent(r.lab.code)}&team=${t.index}${secret ? `#secret=${encodeURIComponent(secret)}` : ''}`;
  return html`<p class="noprint"><a href="${href}">${o.lang === 'en' ? `⏵ Replay of team ${t.index}` : `⏵ Rejeu de l’équipe ${t.index}`}</a></p>`;
}

/** Teams get the name "Équipe N" at creation: shown in the report's language, like any default. */
const isDefaultTeamName = (t: { name: string; index: number }): boolean => t.name === `Équipe ${t.index}`;
const teamName = (t: { name: string; index: number }, u: { team: string }): string => (isDefaultTeamName(t) ? `${u.team} ${t.index}` : t.name);
/** A lab without its own title stores the scenario's French title: shown in the report's language. */
const labTitle = (r: { lab: { title: string; scenario: { title: { fr: string; en: string } } } }, lang: 'fr' | 'en'): string =>
  r.lab.title === r.lab.scenario.title.fr ? r.lab.scenario.title[lang] : r.lab.title;

export type { Lang };

import { esc } from '../protocol/escape';
export { esc };

/** Markup that is already safe (built by `html`). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | boolean | null | undefined | Part[];

function part(v: Part): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(part).join('');
  return esc(v);
}

/** Template tag: literal parts stay as written, every interpolated value is escaped. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += part(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

// ------------------------------------------------------------ words



// ------------------------------------------------------------ helpers

export interface HtmlOptions {
  lang: Lang;
  /** query parameters links must carry (the secret when it came in the URL) */
  linkQuery?: Record<string, string>;
  /** the student's own page (/me/report with their token): links stay on it */
  own?: boolean;
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 0 auto; max-width: 1100px; padding: 16px 24px 48px; }
h1 { font-size: 1.6em; margin: .2em 0; } h2 { font-size: 1.25em; margin: 1.6em 0 .4em; border-bottom: 2px solid #d0d7de; }
h3 { font-size: 1.05em; margin: 1.2em 0 .3em; }
table { border-collapse: collapse; width: 100%; margin: .3em 0 1em; }
th, td { border: 1px solid #d0d7de; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f3f5f7; } td.n, th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.pos { color: #116329; } .neg { color: #a40e26; } .muted { color: #57606a; font-size: .92em; }
.banner { background: #fff8c5; border: 1px solid #d4a72c; padding: 6px 10px; margin: .6em 0; }
.big { font-size: 2em; font-weight: 600; }
nav { display: flex; gap: 12px; flex-wrap: wrap; padding: 6px 0; border-bottom: 1px solid #d0d7de; margin-bottom: 8px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; } dt { font-weight: 600; } dd { margin: 0; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .95em; }
.chart-figure { margin: .6em 0 1em; } .chart { width: 100%; height: auto; display: block; }
.chart-marks { font-size: .92em; margin: .2em 0; columns: 2; } figcaption { font-weight: 600; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav, .noprint { display: none; }
  a { color: inherit; text-decoration: none; }
  section.team, section.student-page { break-before: page; }
  thead { display: table-header-group; } tr { break-inside: avoid; }
  .banner { border: 1px solid #000; background: none; }
  .chart-figure { break-inside: avoid; }
}`;

function tr(x: I18nText, lang: Lang): string {
  return x[lang] || x.en;
}

function wall(ms: number | null): string {
  if (ms === null) return '—';
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

function pts(p: number, lang: Lang): Html {
  const cls = p > 0 ? 'pos' : p < 0 ? 'neg' : '';
  return html`<span class="${cls}">${p > 0 ? `+${fmtNum(p, lang)}` : fmtNum(p, lang).replace('-', '−')}</span>`;
}

function pct(x: number | null, lang: Lang): string {
  return x === null ? '—' : `${fmtNum(x, lang)} %`;
}

/** A grade: /20 and %, its three parts apart, and the weights it used. */
function gradeBlock(r: LabReport, g: Grade, lang: Lang, big = false): Html {
  const u = UI[lang];
  const w = g.weights;
  return html`<p><span class="${big ? 'big' : ''}"><strong>${fmtNum(g.outOf20, lang)}</strong> / 20</span> · ${pct(g.percent, lang)}</p>
<table class="parts"><thead><tr><th>${u.parts.outcome}</th><th>${u.parts.competence}</th><th>${u.parts.participation}</th></tr></thead>
<tbody><tr><td class="n">${pct(g.parts.outcome, lang)}</td><td class="n">${pct(g.parts.competence, lang)}</td><td class="n">${pct(g.parts.participation, lang)}</td></tr>
<tr class="muted"><td>${u.weights} ${fmtNum(w.outcome, lang)}</td><td>${u.weights} ${fmtNum(w.competence, lang)}</td><td>${u.weights} ${fmtNum(w.participation, lang)}</td></tr></tbody></table>
${g.penalty > 0 ? html`<p>${u.penalties} : ${pts(-g.penalty, lang)} <span class="muted">(${u.penaltyNote})</span></p>` : ''}
<p class="muted">${u.weights} (${r.lab.weightsAreDefault ? u.weightsDefault : u.weightsTeacher})</p>`;
}

function url(r: LabReport, path: string, o: HtmlOptions, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ ...(o.linkQuery ?? {}), ...extra });
  const qs = q.toString();
  return `/api/labs/${encodeURIComponent(r.lab.code)}${path}${qs ? `?${qs}` : ''}`;
}

function conceptLabel(r: LabReport, key: string | undefined, lang: Lang): string {
  if (!key) return '';
  const c = r.concepts[key];
  return c ? tr(c, lang) : key;
}

function page(lang: Lang, title: string, body: Html): string {
  return html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title}</title><style>${new Html(CSS)}</style></head>
<body>${body}</body></html>
`.value;
}

function nav(r: LabReport, path: string, o: HtmlOptions, extraLinks: Html[] = []): Html {
  const u = UI[o.lang];
  return html`<nav>
<a href="${url(r, path, o, { lang: 'fr' })}" lang="fr">Français</a>
<a href="${url(r, path, o, { lang: 'en' })}" lang="en">English</a>
${extraLinks}
<span class="muted">${u.print}</span>
</nav>`;
}

function banners(r: LabReport, lang: Lang): Html {
  return html`${r.notes.map((n) => html`<p class="banner">${tr(n, lang)}</p>`)}`;
}

function linesTable(r: LabReport, lines: ReportLine[], lang: Lang): Html {
  const u = UI[lang];
  if (lines.length === 0) return html`<p class="muted">${u.none}</p>`;
  return html`<table><thead><tr><th>${u.part}</th><th class="n">${u.points}</th><th>${u.what}</th><th>${u.why}</th><th>${u.concept}</th><th class="n">${u.event}</th></tr></thead><tbody>
${lines.map(
  (l) => html`<tr><td>${u.parts[l.part]}</td><td class="n">${pts(l.points, lang)}</td><td>${tr(l.text, lang)}${l.at !== undefined ? html` <span class="muted">(t = ${fmtSim(l.at)})</span>` : ''}${
    l.consequences?.length
      ? html`<br><span class="muted">${u.consequences} :</span><ul>${l.consequences.map((c) => html`<li>${tr(c.text, lang)} <span class="muted">(t = ${fmtSim(c.at)}, #${c.seq})</span></li>`)}</ul>`
      : ''
  }</td><td class="muted">${tr(l.explain, lang)}</td><td>${conceptLabel(r, l.concept, lang)}</td><td class="n">${l.seq !== undefined ? `#${l.seq}` : ''}</td></tr>\n`,
)}</tbody></table>`;
}

function incidentsTable(t: TeamReport, lang: Lang): Html {
  const u = UI[lang];
  if (t.incidents.length === 0) return html`<p class="muted">${u.none}</p>`;
  return html`<table><thead><tr><th>${u.kind}</th><th>${u.cause}</th><th class="n">${u.start}</th><th class="n">${u.end}</th><th class="n">${u.duration}</th></tr></thead><tbody>
${t.incidents.map(
  (i) => html`<tr><td>${tr(incidentKind(i.kind), lang)}</td><td>${tr(i.causeText, lang)}</td><td class="n">${fmtSim(i.startAt)} (#${i.startSeq})</td><td class="n">${i.endAt !== null ? `${fmtSim(i.endAt)} (#${i.endSeq})` : u.open}</td><td class="n">${fmtDuration(i.durationMs)}</td></tr>\n`,
)}</tbody></table>`;
}

function objectivesTable(t: TeamReport, lang: Lang): Html {
  const u = UI[lang];
  if (t.objectives.length === 0) return html`<p class="muted">${u.none}</p>`;
  return html`<table><thead><tr><th>${u.objectives}</th><th></th><th class="n">${u.points}</th><th class="n">${u.evidence}</th></tr></thead><tbody>
${t.objectives.map(
  (o) => html`<tr><td>${tr(o.title, lang)}${o.byAutopilot ? html`<br><span class="muted">${u.byAutopilot}</span>` : ''}${o.window ? html`<br><span class="muted">${u.window} ${fmtSim(o.window.from)}–${fmtSim(o.window.to)}</span>` : ''}</td><td class="${o.met ? 'pos' : 'neg'}">${o.met ? u.met : u.missed}</td><td class="n">${o.points} / ${o.maxPoints}</td><td class="n">${o.evidenceSeq !== null ? `#${o.evidenceSeq}` : ''}</td></tr>\n`,
)}</tbody></table>`;
}

function timelineTable(t: TeamReport, lang: Lang): Html {
  const u = UI[lang];
  if (t.timeline.length === 0) return html`<p class="muted">${u.none}</p>`;
  return html`<table><thead><tr><th class="n">${u.time}</th><th class="n">#</th><th>${u.event}</th></tr></thead><tbody>
${t.timeline.map((e) => html`<tr><td class="n">${fmtSim(e.at)}</td><td class="n">${e.seq}</td><td>${tr(e.text, lang)}</td></tr>\n`)}</tbody></table>
${t.timelineTruncated ? html`<p class="muted">${u.truncated}</p>` : ''}`;
}

function studentsTable(r: LabReport, students: StudentReport[], o: HtmlOptions): Html {
  const u = UI[o.lang];
  const l = o.lang;
  if (students.length === 0) return html`<p class="muted">${u.none}</p>`;
  return html`<table><thead><tr><th>${u.student}</th><th>${u.team}</th><th>${u.node}</th><th class="n">${u.grade} /20</th><th class="n">${u.parts.outcome}</th><th class="n">${u.parts.competence}</th><th class="n">${u.parts.participation}</th><th class="n">${u.heartbeats}</th><th class="n">${u.votes}</th><th class="n">${u.relevant}</th><th class="n">${u.penalties}</th></tr></thead><tbody>
${students.map(
  (s) => html`<tr><td><a href="${url(r, `/report/students/${encodeURIComponent(s.seatId)}`, o, { lang: o.lang })}">${s.name}</a>${s.kicked ? html` <span class="muted">(${u.kicked})</span>` : ''}</td><td>${s.team}</td><td>${s.node}</td><td class="n"><strong>${fmtNum(s.grade.outOf20, l)}</strong></td><td class="n">${pct(s.grade.parts.outcome, l)}</td><td class="n">${pct(s.grade.parts.competence, l)}</td><td class="n">${pct(s.grade.parts.participation, l)}</td><td class="n">${pct(s.participation.heartbeats?.pct ?? s.participation.presencePct, l)}</td><td class="n">${s.participation.votes.right} / ${s.participation.votes.cast}</td><td class="n">${s.participation.commands.relevant.length}</td><td class="n">${s.lines.filter((x) => x.kind === 'penalty').length}</td></tr>\n`,
)}</tbody></table>`;
}

function header(r: LabReport, lang: Lang, heading: string): Html {
  const u = UI[lang];
  const opt = r.lab.options;
  return html`<header><p class="muted">${heading}</p><h1>${labTitle(r, lang)}</h1>
<dl><dt>${u.scenario}</dt><dd>${tr(r.lab.scenario.title, lang)}</dd>
<dt>${u.code}</dt><dd><code>${r.lab.code}</code></dd>
<dt>${u.status}</dt><dd>${u.statuses[r.lab.status]}</dd>
<dt>${u.started}</dt><dd>${wall(r.lab.startedAt)}</dd>
<dt>${u.ended}</dt><dd>${wall(r.lab.endedAt)}</dd>
<dt>${u.options}</dt><dd>${u.optionWords.votes} ${u.optionWords[opt.voteMode] ?? opt.voteMode}, ${u.optionWords.heartbeats} ${u.optionWords[opt.heartbeatMode] ?? opt.heartbeatMode}, ${u.optionWords.timing} ${u.optionWords[opt.timing] ?? opt.timing}, ×${fmtNum(opt.timeScale, lang)}${opt.graded ? `, ${u.optionWords.graded}` : ''}</dd>
<dt>${u.weights}</dt><dd>${u.parts.outcome} ${fmtNum(r.lab.weights.outcome, lang)} · ${u.parts.competence} ${fmtNum(r.lab.weights.competence, lang)} · ${u.parts.participation} ${fmtNum(r.lab.weights.participation, lang)} <span class="muted">(${r.lab.weightsAreDefault ? u.weightsDefault : u.weightsTeacher})</span></dd></dl>
${banners(r, lang)}</header>`;
}

function footer(r: LabReport, lang: Lang): Html {
  const u = UI[lang];
  const concepts = Object.entries(r.concepts);
  return html`<section><h2>${u.concepts}</h2>${concepts.length ? html`<dl>${concepts.map(([k, v]) => html`<dt>${tr(v, lang)}</dt><dd class="muted"><code>${k}</code></dd>`)}</dl>` : html`<p class="muted">${u.none}</p>`}</section>
<section><h2>${u.limitations}</h2><ul>${r.limitations.map((l) => html`<li>${tr(l, lang)}</li>`)}</ul></section>
<footer class="muted">${u.generated} ${wall(r.generatedAt)}</footer>`;
}

// ------------------------------------------------------------ pages

export function renderLabHtml(r: LabReport, o: HtmlOptions): string {
  const lang = o.lang;
  const u = UI[lang];
  const ranked = [...r.teams].sort((a, b) => b.grade.percent - a.grade.percent || a.index - b.index);
  const body = html`${nav(r, '/report', o, [html`<a href="${url(r, '/report.csv', o)}">CSV</a>`, html`<a href="${url(r, '/report.json', o)}">JSON</a>`])}
${header(r, lang, u.report)}
<section><h2>${u.ranking}</h2>
<table><thead><tr><th>${u.team}</th><th class="n">${u.grade} /20</th><th class="n">%</th><th class="n">${u.parts.outcome}</th><th class="n">${u.parts.competence}</th><th class="n">${u.parts.participation}</th><th class="n">${u.availability}</th><th class="n">${u.baseline}</th><th class="n">${u.incidents}</th></tr></thead><tbody>
${ranked.map(
  (t) => html`<tr><td>${t.index}. ${teamName(t, u)}</td><td class="n"><strong>${fmtNum(t.grade.outOf20, lang)}</strong></td><td class="n">${pct(t.grade.percent, lang)}</td><td class="n">${pct(t.grade.parts.outcome, lang)}</td><td class="n">${pct(t.grade.parts.competence, lang)}</td><td class="n">${pct(t.grade.parts.participation, lang)}</td><td class="n">${pct(Math.round(t.availability.team * 1000) / 10, lang)}</td><td class="n">${pct(Math.round(t.availability.baseline * 1000) / 10, lang)}</td><td class="n">${t.incidents.length}</td></tr>\n`,
)}</tbody></table>
<p class="muted">${u.parts.outcome} : ${u.partsExplain.outcome}. ${u.parts.competence} : ${u.partsExplain.competence}. ${u.parts.participation} : ${u.partsExplain.participation}.</p></section>
<section><h2>${u.students}</h2>${studentsTable(r, r.students, o)}</section>
${r.teams.map(
  (t) => html`<section class="team"><h2>${teamName(t, u)}${isDefaultTeamName(t) ? '' : html` <span class="muted">(${u.team} ${t.index})</span>`}</h2>
${gradeBlock(r, t.grade, lang)}
<p>${u.labDuration} ${fmtSim(t.endMs)} <span class="muted">(${t.clock === 'room' ? u.clockRoom : u.clockLog}, ${t.eventCount} ${u.events})</span></p>
${replayLink(r, t, o)}${new Html(chartSvg(t.chart, lang))}
<h3>${u.grade}</h3>${linesTable(r, t.lines, lang)}
<h3>${u.incidents}</h3>${incidentsTable(t, lang)}
<h3>${u.objectives}</h3>${objectivesTable(t, lang)}
${drillSection(t.drill, lang)}${diagnosesSection(t.diagnoses, lang)}${checkpointsSection(t.checkpoints, lang, true)}
<h3>${u.students}</h3>${studentsTable(r, r.students.filter((s) => s.teamId === t.id), o)}
<h3>${u.timeline}</h3>${timelineTable(t, lang)}
</section>`,
)}
${footer(r, lang)}`;
  return page(lang, `${u.report} — ${labTitle(r, lang)} (${r.lab.code})`, body);
}

export function renderStudentHtml(r: LabReport, seatId: string, o: HtmlOptions): string | null {
  const s = r.students.find((x) => x.seatId === seatId);
  if (!s) return null;
  const t = r.teams.find((x) => x.id === s.teamId)!;
  const lang = o.lang;
  const u = UI[lang];
  const p = s.participation;
  const isNode = s.role === 'node';
  const body = html`${o.own ? nav(r, '/me/report', o) : nav(r, `/report/students/${encodeURIComponent(s.seatId)}`, o, [html`<a href="${url(r, '/report', o, { lang })}">${u.back}</a>`])}
${header(r, lang, u.studentReport)}
<section class="student-page"><h2>${s.name}${s.kicked ? html` <span class="muted">(${u.kicked})</span>` : ''}</h2>
<dl><dt>${u.team}</dt><dd>${t.index}. ${teamName(t, u)}</dd><dt>${u.node}</dt><dd><code>${s.node}</code></dd><dt>${u.role}</dt><dd>${s.role}</dd>
<dt>${u.teamGrade}</dt><dd>${fmtNum(s.teamGrade.outOf20, lang)} / 20</dd></dl>
<h3>${u.grade}</h3>${gradeBlock(r, s.grade, lang, true)}
${linesTable(r, s.lines, lang)}
<h3>${u.participation}</h3>
<dl><dt>${u.labDuration}</dt><dd>${fmtSim(p.durationMs)}</dd><dt>${u.held}</dt><dd>${fmtSim(p.heldMs)}</dd>
${p.heartbeats ? html`<dt>${u.heartbeats}</dt><dd>${pct(p.heartbeats.pct, lang)} (${p.heartbeats.heard} / ${p.heartbeats.ticks})</dd>` : ''}
${isNode ? html`<dt>${u.inMembership}</dt><dd>${fmtSim(p.inMembershipMs)} (${pct(p.inMembershipPct, lang)})</dd><dt>${u.absent}</dt><dd>${fmtSim(p.absentMs)}</dd><dt>${u.excused}</dt><dd>${fmtSim(p.excusedMs)}</dd><dt>${u.presence}</dt><dd>${pct(p.presencePct, lang)}</dd>` : ''}
<dt>${u.votes}</dt><dd>${p.votes.right} / ${p.votes.cast}</dd>
<dt>${u.commands}</dt><dd>${p.commands.total} (${p.commands.ok} ${u.ok}) — ${p.commands.distinct.join(', ')}</dd>
<dt>${u.relevant}</dt><dd>${p.commands.relevant.join(', ') || u.none}</dd></dl>
${p.votes.list.length ? html`<h3>${u.voteList}</h3><table><thead><tr><th class="n">${u.time}</th><th class="n">#</th><th>${u.target}</th><th>${u.answer}</th><th>${u.quorate}</th><th>${u.right}</th></tr></thead><tbody>
${p.votes.list.map((v) => html`<tr><td class="n">${fmtSim(v.at)}</td><td class="n">${v.seq}</td><td>${v.target}</td><td>${v.yes ? u.yes : u.no}</td><td>${v.realQuorate ? u.yes : u.no}</td><td class="${v.right ? 'pos' : 'neg'}">${v.right ? u.yes : u.no}${v.repeat ? html` <span class="muted">(${u.repeat})</span>` : ''}</td></tr>\n`)}</tbody></table>` : ''}
${p.commands.list.length ? html`<h3>${u.commands}</h3><table><thead><tr><th class="n">${u.time}</th><th class="n">#</th><th>${u.line}</th><th>${u.ok}</th></tr></thead><tbody>
${p.commands.list.map((c) => html`<tr><td class="n">${fmtSim(c.at)}</td><td class="n">${c.seq}</td><td><code>${c.line}</code></td><td class="${c.ok ? 'pos' : 'neg'}">${c.ok ? u.yes : u.no}</td></tr>\n`)}</tbody></table>${p.commands.listTruncated ? html`<p class="muted">${u.listTruncated}</p>` : ''}` : ''}
${diagnosesSection(s.diagnoses, lang)}${checkpointsSection(s.checkpoints, lang, false)}
<h3>${u.incidents} — ${u.team} ${t.index}</h3>${incidentsTable(t, lang)}
</section>
${footer(r, lang)}`;
  return page(lang, `${u.studentReport} — ${s.name} (${r.lab.code})`, body);
}
