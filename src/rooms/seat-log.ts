// Room events written into a team's log beside the engine's events: who held a seat when, and how
// many heartbeats (pings, heartbeat frames or pulses) the room actually received from it. The
// engine knows nodes, not students: these let grades follow the student who held the seat at each
// moment (moves, kicks, rejoins) and count presence from what arrived, not from the membership.
// Pure (no cloudflare imports): src/scoring reads these types.
import type { SimEvent, SimEventBody } from '../sim/types';

/** A presence sample covers this many ticks of a held seat (and is flushed when the seat is left or
 * the lab ends). Reports only sum them; the running counts are stored on every tick. */
export const PRESENCE_SAMPLE_TICKS = 60;

export type SeatLogBody = Extract<SimEventBody, { type: 'seat-taken' | 'seat-left' | 'presence' }>;

export type SeatLogEvent = Extract<SimEvent, { type: 'seat-taken' | 'seat-left' | 'presence' }>;

export const SEAT_LOG_TYPES: ReadonlySet<string> = new Set(['seat-taken', 'seat-left', 'presence']);

export function isSeatLogEvent(e: { type: string }): e is SeatLogEvent {
  return SEAT_LOG_TYPES.has(e.type);
}

/** Presence samples are for the reports only: no socket is sent them (the teacher's feed would
 * read one line per student per minute that says nothing new). */
export const toSockets = (e: { type: string }): boolean => e.type !== 'presence';
