// An ended lab: every report (whole lab in HTML, CSV, JSON; each student's page; the replay) and
// "new lab from the same settings". Report links carry the lab secret in the query, as the report
// routes allow (docs/protocol.md, "Reports"), and follow the page's language.
import { el } from '../lib/dom';
import { bi, onLang, type Lang } from '../lib/i18n';
import { glyph } from './ui';

export interface EndedSeat {
  seatId: string;
  name: string;
  team: number;
  node: string;
  role: string;
}

export function reportUrl(code: string, secret: string, path: string, lang: Lang): string {
  return `/api/labs/${encodeURIComponent(code)}${path}?secret=${encodeURIComponent(secret)}&lang=${lang}`;
}

/** The replay page of one team: the secret rides in the fragment (never sent to a server). */
export function replayUrl(code: string, secret: string, team: number): string {
  return `/replay.html?code=${encodeURIComponent(code)}&team=${team}#secret=${encodeURIComponent(secret)}`;
}

/** The "Reports" card of an ended lab. */
export function reportsCard(code: string, secret: string, seats: EndedSeat[]): HTMLElement {
  const link = (path: string, fr: string, en: string, cls = 't-btn') => {
    const a = el('a', { class: cls, attrs: { target: '_blank', rel: 'noopener' } }, bi(fr, en));
    onLang((l) => (a.href = reportUrl(code, secret, path, l)), a);
    return a;
  };
  const students = [...seats]
    .sort((a, b) => a.team - b.team || a.node.localeCompare(b.node, 'en', { numeric: true }))
    .map((s) => {
      const a = el('a', { text: s.name, attrs: { target: '_blank', rel: 'noopener' } });
      onLang((l) => (a.href = reportUrl(code, secret, `/report/students/${encodeURIComponent(s.seatId)}`, l)), a);
      return el('li', {}, a, el('span', { class: 't-muted' }, bi(` — équipe ${s.team}, ${s.role === 'qdevice' ? 'QDevice' : s.node}`, ` — team ${s.team}, ${s.role === 'qdevice' ? 'QDevice' : s.node}`)));
    });
  const teams = [...new Set([1, ...seats.map((s) => s.team)])].sort((a, b) => a - b);
  const replays = teams.map((t) => el('a', { class: 't-btn', attrs: { href: replayUrl(code, secret, t), target: '_blank', rel: 'noopener', 'data-replay': String(t) } }, glyph('⏵'), bi(`Rejeu équipe ${t}`, `Replay team ${t}`)));
  const again = el('a', { class: 't-btn', attrs: { href: `/teacher.html?from=${encodeURIComponent(code)}`, id: 'same-settings' } }, glyph('↻'), bi('Nouveau lab avec les mêmes réglages', 'New lab with the same settings'));
  return el(
    'section',
    { class: 't-card t-reports', attrs: { id: 'reports', 'aria-labelledby': 'reports-title' } },
    el('h2', { id: 'reports-title' }, glyph('▤'), bi('Lab terminé — rapports', 'Lab ended — reports')),
    el(
      'p',
      { class: 't-report-links' },
      link('/report', 'Rapport du lab (HTML, imprimable)', 'Lab report (HTML, printable)', 't-btn t-btn-primary'),
      link('/report.csv', 'Notes (CSV)', 'Grades (CSV)'),
      link('/report.json', 'Données (JSON)', 'Data (JSON)'),
      link('/replay', 'Rejeu (JSON)', 'Replay (JSON)'),
      again,
    ),
    el('p', { class: 't-report-links' }, ...replays),
    students.length
      ? el('details', { class: 't-student-reports' }, el('summary', {}, bi(`Rapports par élève (${students.length})`, `Student reports (${students.length})`)), el('ul', {}, ...students))
      : el('p', { class: 't-muted' }, bi('Aucun élève n’a rejoint ce lab.', 'No student joined this lab.')),
  );
}
