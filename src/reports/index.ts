// Graded lab reports from stored sessions: build (pure), then render as JSON, CSV or HTML.
export { buildReport, parseEventRow, ReportError, STUDENT_WEIGHTS } from './build';
export { renderCsv, csvCell, csvRow, CSV_COLUMNS } from './csv';
export { renderLabHtml, renderStudentHtml, esc, html, Html, type Lang } from './html';
export type * from './types';
export { buildReplay, type Replay } from './replay';
