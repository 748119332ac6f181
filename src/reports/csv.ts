// Gradebook CSV, one row per student, RFC 4180: CRLF line ends, inner quotes doubled, every text
// cell quoted (a name like `x;=1+2;y` stays one cell whatever the delimiter). Two dialects:
// `en` (comma, decimal point) and `fr` (semicolon, decimal comma: French spreadsheets split on `;`).
// Formula guard on every cell (OWASP, "CSV injection"): a cell starting with = + - @, tab or CR gets
// a leading apostrophe, so a spreadsheet shows it as text. Grades are never negative, so numbers
// stay numbers. Starts with a UTF-8 byte order mark so spreadsheets read accents right.
import type { LabReport } from './types';

export type Cell = string | number | boolean | null | undefined;
export type Dialect = 'en' | 'fr';

const SEPARATOR: Record<Dialect, string> = { en: ',', fr: ';' };
const FORMULA_START = /^[=+\-@\t\r]/;

/** A number in the dialect's notation: 102.5 or 102,5. */
export function csvNumber(v: number, dialect: Dialect): string {
  if (!Number.isFinite(v)) return '';
  const s = String(v);
  return dialect === 'fr' ? s.replace('.', ',') : s;
}

export function csvCell(v: Cell, dialect: Dialect = 'en'): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    const s = csvNumber(v, dialect);
    return FORMULA_START.test(s) ? `"'${s}"` : s;
  }
  const s = typeof v === 'boolean' ? (v ? 'true' : 'false') : v;
  const guarded = FORMULA_START.test(s) ? `'${s}` : s;
  return `"${guarded.replace(/"/g, '""')}"`;
}

export function csvRow(cells: Cell[], dialect: Dialect = 'en'): string {
  return cells.map((c) => csvCell(c, dialect)).join(SEPARATOR[dialect]);
}

/** Column names (stable, English: an import maps them once). `student_id` is the key column a
 * gradebook (Moodle: "ID number" or e-mail) matches on, when the lab asked for it at join. */
export const CSV_COLUMNS = [
  'lab_code',
  'team',
  'team_name',
  'student',
  'student_id',
  'seat_id',
  'role',
  'node',
  'kicked',
  'grade_20',
  'grade_pct',
  'outcome_pct',
  'competence_pct',
  'participation_pct',
  'team_grade_20',
  'team_grade_pct',
  'weights',
  'heartbeats_pct',
  'presence_pct',
  'held_s',
  'lab_duration_s',
  'votes_graded',
  'votes_right',
  'relevant_commands',
  'penalties',
  'partial',
] as const;

export function renderCsv(r: LabReport, dialect: Dialect = 'en'): string {
  const s = (ms: number) => Math.round(ms / 1000);
  const w = r.lab.weights;
  const rows = [csvRow([...CSV_COLUMNS], dialect)];
  for (const st of r.students) {
    const p = st.participation;
    rows.push(
      csvRow(
        [
          r.lab.code,
          st.team,
          st.teamName,
          st.name,
          st.studentId ?? '',
          st.seatId,
          st.role,
          st.node,
          st.kicked,
          st.grade.outOf20,
          st.grade.percent,
          st.grade.parts.outcome,
          st.grade.parts.competence,
          st.grade.parts.participation,
          st.teamGrade.outOf20,
          st.teamGrade.percent,
          `outcome=${w.outcome} competence=${w.competence} participation=${w.participation}`,
          p.heartbeats?.pct ?? null,
          p.presencePct,
          s(p.heldMs),
          s(p.durationMs),
          p.votes.cast,
          p.votes.right,
          p.commands.relevant.length,
          st.lines.filter((l) => l.kind === 'penalty').length,
          r.partial,
        ],
        dialect,
      ),
    );
  }
  return '\uFEFF' + rows.join('\r\n') + '\r\n';
}
