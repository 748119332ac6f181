// Printable HTML reports (lab and student), in French or English. Every value goes through `esc`:
// the `html` tag escapes each interpolation unless it is already rendered markup (`Html`), so a
// student named `<script>…` prints as text. The pages carry no script and no external resource.
import type { I18nText } from '../sim/types';
import type { LabReport, ReportLine, StudentReport, TeamReport } from './types';
import { fmtDuration, fmtSim } from './wording';

export type Lang = 'fr' | 'en';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

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

const UI = {
  fr: {
    report: 'Rapport de labo',
    studentReport: 'Rapport individuel',
    code: 'Code',
    scenario: 'Scénario',
    status: 'État',
    created: 'Créé',
    started: 'Démarré',
    ended: 'Terminé',
    options: 'Options',
    ranking: 'Classement des équipes',
    team: 'Équipe',
    score: 'Score',
    stored: 'Score enregistré',
    availability: 'Disponibilité HA',
    incidents: 'Incidents (split-brain)',
    objectives: 'Objectifs',
    students: 'Élèves',
    student: 'Élève',
    node: 'Nœud',
    teamScore: 'Score équipe',
    studentScore: 'Score élève',
    presence: 'Présence',
    votes: 'Votes justes / exprimés',
    commands: 'Commandes',
    mistakes: 'Erreurs',
    points: 'Points',
    what: 'Ce qui s’est passé',
    why: 'Pourquoi',
    concept: 'Notion',
    event: 'Événement',
    time: 'Temps',
    kind: 'Type',
    cause: 'Cause',
    start: 'Début',
    end: 'Fin',
    duration: 'Durée',
    open: 'en cours',
    met: 'atteint',
    missed: 'manqué',
    evidence: 'Preuve',
    timeline: 'Chronologie',
    truncated: 'Chronologie tronquée : la suite est dans le replay.',
    none: 'Aucun.',
    concepts: 'Notions du cours',
    limitations: 'Limites connues',
    generated: 'Généré le',
    back: 'Retour au rapport du labo',
    print: 'Imprimer : Ctrl+P',
    participation: 'Participation',
    inMembership: 'Dans une membership',
    absent: 'Absent (heartbeats non entendus)',
    excused: 'Non compté (éteint, isolé ou indécidable)',
    labDuration: 'Durée du labo (temps simulé)',
    voteList: 'Votes de clôture',
    target: 'Cible',
    answer: 'Réponse',
    quorate: 'Partition quorate',
    right: 'Juste',
    line: 'Ligne',
    ok: 'OK',
    kicked: 'exclu',
    yes: 'oui',
    no: 'non',
    role: 'Rôle',
    clockLog: 'horloge : dernier événement',
    clockRoom: 'horloge : salle',
    events: 'événements',
    listTruncated: 'Liste tronquée.',
    statuses: { lobby: 'salle d’attente', running: 'en cours', paused: 'en pause', ended: 'terminé' },
  },
  en: {
    report: 'Lab report',
    studentReport: 'Student report',
    code: 'Code',
    scenario: 'Scenario',
    status: 'Status',
    created: 'Created',
    started: 'Started',
    ended: 'Ended',
    options: 'Options',
    ranking: 'Team ranking',
    team: 'Team',
    score: 'Score',
    stored: 'Stored score',
    availability: 'HA availability',
    incidents: 'Incidents (split-brain)',
    objectives: 'Objectives',
    students: 'Students',
    student: 'Student',
    node: 'Node',
    teamScore: 'Team score',
    studentScore: 'Student score',
    presence: 'Presence',
    votes: 'Right / cast votes',
    commands: 'Commands',
    mistakes: 'Mistakes',
    points: 'Points',
    what: 'What happened',
    why: 'Why',
    concept: 'Concept',
    event: 'Event',
    time: 'Time',
    kind: 'Kind',
    cause: 'Cause',
    start: 'Start',
    end: 'End',
    duration: 'Duration',
    open: 'ongoing',
    met: 'met',
    missed: 'missed',
    evidence: 'Evidence',
    timeline: 'Timeline',
    truncated: 'Timeline cut short: the rest is in the replay.',
    none: 'None.',
    concepts: 'Course concepts',
    limitations: 'Known limitations',
    generated: 'Generated',
    back: 'Back to the lab report',
    print: 'Print: Ctrl+P',
    participation: 'Participation',
    inMembership: 'In a membership',
    absent: 'Absent (heartbeats not heard)',
    excused: 'Not counted (off, cut off or undecidable)',
    labDuration: 'Lab duration (sim time)',
    voteList: 'Fencing votes',
    target: 'Target',
    answer: 'Answer',
    quorate: 'Quorate partition',
    right: 'Right',
    line: 'Line',
    ok: 'OK',
    kicked: 'kicked',
    yes: 'yes',
    no: 'no',
    role: 'Role',
    clockLog: 'clock: last event',
    clockRoom: 'clock: room',
    events: 'events',
    listTruncated: 'List cut short.',
    statuses: { lobby: 'lobby', running: 'running', paused: 'paused', ended: 'ended' },
  },
} as const;

// ------------------------------------------------------------ helpers

export interface HtmlOptions {
  lang: Lang;
  /** query parameters links must carry (the secret when it came in the URL) */
  linkQuery?: Record<string, string>;
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
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav, .noprint { display: none; }
  a { color: inherit; text-decoration: none; }
  section.team, section.student-page { break-before: page; }
  thead { display: table-header-group; } tr { break-inside: avoid; }
  .banner { border: 1px solid #000; background: none; }
}`;

function tr(x: I18nText, lang: Lang): string {
  return x[lang] || x.en;
}

function wall(ms: number | null): string {
  if (ms === null) return '—';
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

function pts(p: number): Html {
  const cls = p > 0 ? 'pos' : p < 0 ? 'neg' : '';
  return html`<span class="${cls}">${p > 0 ? `+${p}` : String(p).replace('-', '−')}</span>`;
}

function pct(x: number | null): string {
  return x === null ? '—' : `${x} %`;
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
  return html`<table><thead><tr><th class="n">${u.points}</th><th>${u.what}</th><th>${u.why}</th><th>${u.concept}</th><th class="n">${u.event}</th></tr></thead><tbody>
${lines.map(
  (l) => html`<tr><td class="n">${pts(l.points)}</td><td>${tr(l.text, lang)}${l.at !== undefined ? html` <span class="muted">(t = ${fmtSim(l.at)})</span>` : ''}</td><td class="muted">${tr(l.explain, lang)}</td><td>${conceptLabel(r, l.concept, lang)}</td><td class="n">${l.seq !== undefined ? `#${l.seq}` : ''}</td></tr>\n`,
)}</tbody></table>`;
}

function incidentsTable(t: TeamReport, lang: Lang): Html {
  const u = UI[lang];
  if (t.incidents.length === 0) return html`<p class="muted">${u.none}</p>`;
  return html`<table><thead><tr><th>${u.kind}</th><th>${u.cause}</th><th class="n">${u.start}</th><th class="n">${u.end}</th><th class="n">${u.duration}</th></tr></thead><tbody>
${t.incidents.map(
  (i) => html`<tr><td>${i.kind}</td><td>${i.cause}</td><td class="n">${fmtSim(i.startAt)} (#${i.startSeq})</td><td class="n">${i.endAt !== null ? `${fmtSim(i.endAt)} (#${i.endSeq})` : u.open}</td><td class="n">${fmtDuration(i.durationMs)}</td></tr>\n`,
)}</tbody></table>`;
}

function objectivesTable(t: TeamReport, lang: Lang): Html {
  const u = UI[lang];
  if (t.objectives.length === 0) return html`<p class="muted">${u.none}</p>`;
  return html`<table><thead><tr><th>${u.objectives}</th><th></th><th class="n">${u.points}</th><th class="n">${u.evidence}</th></tr></thead><tbody>
${t.objectives.map(
  (o) => html`<tr><td>${tr(o.title, lang)}</td><td class="${o.met ? 'pos' : 'neg'}">${o.met ? u.met : u.missed}</td><td class="n">${o.points} / ${o.maxPoints}</td><td class="n">${o.evidenceSeq !== null ? `#${o.evidenceSeq}` : ''}</td></tr>\n`,
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
  if (students.length === 0) return html`<p class="muted">${u.none}</p>`;
  return html`<table><thead><tr><th>${u.student}</th><th>${u.team}</th><th>${u.node}</th><th class="n">${u.teamScore}</th><th class="n">${u.studentScore}</th><th class="n">${u.presence}</th><th class="n">${u.votes}</th><th class="n">${u.commands}</th><th class="n">${u.mistakes}</th></tr></thead><tbody>
${students.map(
  (s) => html`<tr><td><a href="${url(r, `/report/students/${encodeURIComponent(s.seatId)}`, o, { lang: o.lang })}">${s.name}</a>${s.kicked ? html` <span class="muted">(${u.kicked})</span>` : ''}</td><td>${s.team}</td><td>${s.node}</td><td class="n">${s.teamScore}</td><td class="n"><strong>${s.score}</strong></td><td class="n">${pct(s.participation.presencePct)}</td><td class="n">${s.participation.votes.right} / ${s.participation.votes.cast}</td><td class="n">${s.participation.commands.total}</td><td class="n">${s.mistakes.length}</td></tr>\n`,
)}</tbody></table>`;
}

function header(r: LabReport, lang: Lang, heading: string): Html {
  const u = UI[lang];
  const opt = r.lab.options;
  return html`<header><p class="muted">${heading}</p><h1>${r.lab.title}</h1>
<dl><dt>${u.scenario}</dt><dd>${tr(r.lab.scenario.title, lang)}</dd>
<dt>${u.code}</dt><dd><code>${r.lab.code}</code></dd>
<dt>${u.status}</dt><dd>${u.statuses[r.lab.status]}</dd>
<dt>${u.started}</dt><dd>${wall(r.lab.startedAt)}</dd>
<dt>${u.ended}</dt><dd>${wall(r.lab.endedAt)}</dd>
<dt>${u.options}</dt><dd>votes ${opt.voteMode}, heartbeats ${opt.heartbeatMode}, timing ${opt.timing}, ×${opt.timeScale}</dd></dl>
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
  const ranked = [...r.teams].sort((a, b) => b.score.total - a.score.total || a.index - b.index);
  const body = html`${nav(r, '/report', o, [html`<a href="${url(r, '/report.csv', o)}">CSV</a>`, html`<a href="${url(r, '/report.json', o)}">JSON</a>`])}
${header(r, lang, u.report)}
<section><h2>${u.ranking}</h2>
<table><thead><tr><th>${u.team}</th><th class="n">${u.score}</th><th class="n">${u.stored}</th><th class="n">${u.availability}</th><th class="n">${u.incidents}</th><th class="n">${u.objectives}</th></tr></thead><tbody>
${ranked.map(
  (t) => html`<tr><td>${t.index}. ${t.name}</td><td class="n"><strong>${t.score.total}</strong></td><td class="n">${t.score.storedTotal ?? '—'}</td><td class="n">${(t.score.availability * 100).toFixed(1)} %</td><td class="n">${t.incidents.length}</td><td class="n">${t.objectives.filter((x) => x.met).length} / ${t.objectives.length}</td></tr>\n`,
)}</tbody></table></section>
<section><h2>${u.students}</h2>${studentsTable(r, r.students, o)}</section>
${r.teams.map(
  (t) => html`<section class="team"><h2>${t.name}${t.name === `Équipe ${t.index}` ? '' : html` <span class="muted">(${u.team} ${t.index})</span>`}</h2>
<p>${u.score} <strong>${t.score.total}</strong> · ${u.labDuration} ${fmtSim(t.endMs)} <span class="muted">(${t.clock === 'room' ? u.clockRoom : u.clockLog}, ${t.eventCount} ${u.events})</span></p>
<h3>${u.score}</h3>${linesTable(r, t.score.lines, lang)}
<h3>${u.incidents}</h3>${incidentsTable(t, lang)}
<h3>${u.objectives}</h3>${objectivesTable(t, lang)}
<h3>${u.students}</h3>${studentsTable(r, r.students.filter((s) => s.teamId === t.id), o)}
<h3>${u.timeline}</h3>${timelineTable(t, lang)}
</section>`,
)}
${footer(r, lang)}`;
  return page(lang, `${u.report} — ${r.lab.title} (${r.lab.code})`, body);
}

export function renderStudentHtml(r: LabReport, seatId: string, o: HtmlOptions): string | null {
  const s = r.students.find((x) => x.seatId === seatId);
  if (!s) return null;
  const t = r.teams.find((x) => x.id === s.teamId)!;
  const lang = o.lang;
  const u = UI[lang];
  const p = s.participation;
  const isNode = s.role === 'node';
  const body = html`${nav(r, `/report/students/${encodeURIComponent(s.seatId)}`, o, [html`<a href="${url(r, '/report', o, { lang })}">${u.back}</a>`])}
${header(r, lang, u.studentReport)}
<section class="student-page"><h2>${s.name}${s.kicked ? html` <span class="muted">(${u.kicked})</span>` : ''}</h2>
<dl><dt>${u.team}</dt><dd>${t.index}. ${t.name}</dd><dt>${u.node}</dt><dd><code>${s.node}</code></dd><dt>${u.role}</dt><dd>${s.role}</dd>
<dt>${u.teamScore}</dt><dd>${s.teamScore}</dd><dt>${u.studentScore}</dt><dd class="big">${s.score}</dd></dl>
<h3>${u.score}</h3>${linesTable(r, s.lines, lang)}
<h3>${u.mistakes}</h3>${linesTable(r, s.mistakes, lang)}
<h3>${u.participation}</h3>
<dl><dt>${u.labDuration}</dt><dd>${fmtSim(p.durationMs)}</dd>
${isNode ? html`<dt>${u.inMembership}</dt><dd>${fmtSim(p.inMembershipMs)} (${pct(p.inMembershipPct)})</dd><dt>${u.absent}</dt><dd>${fmtSim(p.absentMs)}</dd><dt>${u.excused}</dt><dd>${fmtSim(p.excusedMs)}</dd><dt>${u.presence}</dt><dd>${pct(p.presencePct)}</dd>` : ''}
<dt>${u.votes}</dt><dd>${p.votes.right} / ${p.votes.cast}</dd>
<dt>${u.commands}</dt><dd>${p.commands.total} (${p.commands.ok} ${u.ok}) — ${p.commands.distinct.join(', ')}</dd></dl>
${p.votes.list.length ? html`<h3>${u.voteList}</h3><table><thead><tr><th class="n">${u.time}</th><th class="n">#</th><th>${u.target}</th><th>${u.answer}</th><th>${u.quorate}</th><th>${u.right}</th></tr></thead><tbody>
${p.votes.list.map((v) => html`<tr><td class="n">${fmtSim(v.at)}</td><td class="n">${v.seq}</td><td>${v.target}</td><td>${v.yes ? u.yes : u.no}</td><td>${v.quorate ? u.yes : u.no}</td><td class="${v.right ? 'pos' : 'neg'}">${v.right ? u.yes : u.no}</td></tr>\n`)}</tbody></table>` : ''}
${p.commands.list.length ? html`<h3>${u.commands}</h3><table><thead><tr><th class="n">${u.time}</th><th class="n">#</th><th>${u.line}</th><th>${u.ok}</th></tr></thead><tbody>
${p.commands.list.map((c) => html`<tr><td class="n">${fmtSim(c.at)}</td><td class="n">${c.seq}</td><td><code>${c.line}</code></td><td class="${c.ok ? 'pos' : 'neg'}">${c.ok ? u.yes : u.no}</td></tr>\n`)}</tbody></table>${p.commands.listTruncated ? html`<p class="muted">${u.listTruncated}</p>` : ''}` : ''}
<h3>${u.incidents} — ${u.team} ${t.index}</h3>${incidentsTable(t, lang)}
</section>
${footer(r, lang)}`;
  return page(lang, `${u.studentReport} — ${s.name} (${r.lab.code})`, body);
}
