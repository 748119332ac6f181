// Gradebook CSV: one row per student. RFC 4180 (CRLF line ends, fields with a comma, quote or line
// break wrapped in double quotes, inner quotes doubled). Text cells that a spreadsheet would read
// as a formula (= + - @, and tab or CR that some tools strip first) get a leading apostrophe
// (OWASP, "CSV injection"). Numbers are written as numbers, so a negative score stays a number.
import type { LabReport } from './types';

export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = v;
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(cells: Cell[]): string {
  return cells.map(csvCell).join(',');
}

export const CSV_COLUMNS = [
  'lab_code',
  'team',
  'team_name',
  'student',
  'seat_id',
  'role',
  'node',
  'kicked',
  'team_score',
  'student_score',
  'presence_pct',
  'in_membership_pct',
  'in_membership_s',
  'absent_s',
  'lab_duration_s',
  'votes_cast',
  'votes_right',
  'votes_wrong',
  'commands',
  'distinct_commands',
  'mistakes',
  'partial',
] as const;

/** The gradebook. Starts with a UTF-8 byte order mark so spreadsheet programs read accents right. */
export function renderCsv(r: LabReport): string {
  const s = (ms: number) => Math.round(ms / 1000);
  const rows = [csvRow([...CSV_COLUMNS])];
  for (const st of r.students) {
    const p = st.participation;
    const isNode = st.role === 'node';
    rows.push(
      csvRow([
        r.lab.code,
        st.team,
        st.teamName,
        st.name,
        st.seatId,
        st.role,
        st.node,
        st.kicked,
        st.teamScore,
        st.score,
        p.presencePct,
        p.inMembershipPct,
        isNode ? s(p.inMembershipMs) : null,
        isNode ? s(p.absentMs) : null,
        s(p.durationMs),
        p.votes.cast,
        p.votes.right,
        p.votes.wrong,
        p.commands.total,
        p.commands.distinct.length,
        st.mistakes.length,
        r.partial,
      ]),
    );
  }
  return '\uFEFF' + rows.join('\r\n') + '\r\n';
}
