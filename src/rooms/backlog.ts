// What a student's page gets back after a reload (welcome.backlog): its terminal (recent commands
// with their output, per seat) and its journal (recent events that concern the seat). Pure
// helpers; ClusterObject keeps the terminal ring in its storage and sends both on welcome.
import type { TerminalEntry } from '../protocol/messages';

/** Enough scrollback to find one's bearings again; the whole ring stays far below 128 KiB. */
export const TERMINAL_KEEP = 40;
export const TERMINAL_MAX_CHARS = 40_000;
export const JOURNAL_KEEP = 40;

/** The ring with `entry` appended, oldest entries dropped past TERMINAL_KEEP or TERMINAL_MAX_CHARS. */
export function pushTerminal(ring: readonly TerminalEntry[], entry: TerminalEntry): TerminalEntry[] {
  const next = [...ring, { ...entry, output: entry.output.slice(0, TERMINAL_MAX_CHARS) }].slice(-TERMINAL_KEEP);
  let chars = next.reduce((n, e) => n + e.line.length + e.output.length, 0);
  while (next.length > 1 && chars > TERMINAL_MAX_CHARS) chars -= next[0]!.line.length + next.shift()!.output.length;
  return next;
}

/** The last JOURNAL_KEEP events of `log` (in sequence order) that pass `concerns`, scanned from the
 * end; with `after`, only the events after that sequence number. */
export function journalOf<E extends { seq: number }>(log: readonly E[], concerns: (e: E) => boolean, after = 0): E[] {
  const out: E[] = [];
  for (let i = log.length - 1; i >= 0 && out.length < JOURNAL_KEEP && log[i]!.seq > after; i--) if (concerns(log[i]!)) out.push(log[i]!);
  return out.reverse();
}

/**
 * Where a reconnecting page's journal stops: the `resume` query of its socket, "<team>.<last event
 * seq it has>". Such a page keeps its terminal and its journal, so its welcome carries only the
 * events after that point and no terminal (a storm of reconnects is not 300 full backlogs). Null
 * for a first connection, a reload, or a page that was in another team (sequence numbers are per
 * team): the full backlog.
 */
export function resumePoint(url: string, team: number): number | null {
  const m = /^(\d{1,4})\.(\d{1,9})$/.exec(new URL(url).searchParams.get('resume') ?? '');
  return m && Number(m[1]) === team ? Number(m[2]) : null;
}

/** An open socket silent this long is a sleeping tab (pages ping every 1 s, or 5 s at most). */
export const PRESENCE_SILENT_MS = 12_000;
