// Graded lab reports from stored sessions: build (pure), then render as JSON, CSV or HTML.
export { buildReport, parseEventRow, ReportError } from './build';
export { renderCsv, csvCell, csvRow, csvNumber, CSV_COLUMNS, type Dialect } from './csv';
export { renderLabHtml, renderStudentHtml, esc, html, Html, type Lang } from './html';
export type * from './types';
export { buildReplay, type Replay } from './replay';
