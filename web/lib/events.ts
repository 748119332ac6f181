// The pages' door to the event wording: the sentences themselves live in src/protocol/wording.ts
// (one module for the pages and the reports). Here: the guard for events that arrive in frames
// (read as `unknown`), and which events the pages leave out.
import type { SimEvent } from '../../src/protocol/messages';
import { describeEvent as sentence, type Tone, type Words } from '../../src/protocol/wording';
import type { IconName } from './icons';

export { harmText, incidentKind, powerText, voteStatus } from '../../src/protocol/wording';

/** A journal or feed line: an event's (any icon the wording names is drawn: a type error below
 * otherwise), or one a page writes itself (lab status, connection…) with any icon. */
export interface Line extends Words {
  tone: Tone;
  icon: IconName;
}

/** Room bookkeeping for grades (src/rooms/seat-log.ts): the roster shows seats, no page a line. */
const NOT_ON_PAGES: ReadonlySet<string> = new Set<SimEvent['type']>(['seat-taken', 'seat-left', 'presence']);

/** One line for an event from a frame, seen by `self` (null: the teacher), or null for no line. */
export function describeEvent(raw: unknown, self: string | null = null): Line | null {
  if (!raw || typeof raw !== 'object' || typeof (raw as { type?: unknown }).type !== 'string') return null;
  const e = raw as SimEvent;
  if (NOT_ON_PAGES.has(e.type)) return null;
  try {
    return sentence(e, self);
  } catch {
    // A malformed event (an old stored journal): its type, rather than nothing.
    return { tone: 'info', icon: 'dot', fr: e.type, en: e.type };
  }
}
