// Who held each seat when. Rooms log `seat-taken` / `seat-left` (src/rooms/seat-log.ts); logs
// written before those events existed fall back to the roster: each seat's current node for the
// whole session. Presence is read from the room's samples of heartbeats actually received.
import type { SeatLogEvent } from '../rooms/seat-log';
import type { NodeName } from './sim';

export interface SeatInterval {
  seatId: string;
  node: NodeName;
  from: number;
  to: number;
  /** log positions: events with fromSeq < seq < toSeq are the holder's */
  fromSeq: number;
  toSeq: number;
}

export interface RosterSeat {
  id: string;
  node: NodeName;
}

/** Intervals of one team's log, ending at `endMs` for seats still held. */
export function seatIntervals(log: readonly SeatLogEvent[], endMs: number, roster: readonly RosterSeat[]): SeatInterval[] {
  const marks = log.filter((e) => e.type === 'seat-taken' || e.type === 'seat-left');
  if (marks.length === 0) return roster.map((s) => ({ seatId: s.id, node: s.node, from: 0, to: endMs, fromSeq: 0, toSeq: Infinity }));
  const open = new Map<NodeName, { seatId: string; from: number; fromSeq: number }>();
  const out: SeatInterval[] = [];
  for (const e of marks) {
    const cur = open.get(e.node);
    if (cur) {
      out.push({ seatId: cur.seatId, node: e.node, from: cur.from, to: e.at, fromSeq: cur.fromSeq, toSeq: e.seq });
      open.delete(e.node);
    }
    if (e.type === 'seat-taken') open.set(e.node, { seatId: e.seatId, from: e.at, fromSeq: e.seq });
  }
  for (const [node, cur] of open) out.push({ seatId: cur.seatId, node, from: cur.from, to: endMs, fromSeq: cur.fromSeq, toSeq: Infinity });
  return out.sort((a, b) => a.from - b.from || a.node.localeCompare(b.node));
}

/** The seat that held `node` when the event numbered `seq` happened; null on autopilot. */
export function holderAt(intervals: readonly SeatInterval[], node: NodeName, seq: number): string | null {
  return intervals.find((i) => i.node === node && i.fromSeq < seq && seq < i.toSeq)?.seatId ?? null;
}

/** Heartbeats received over ticks held, from the room's samples; null when the log has none. */
export function presenceOf(log: readonly SeatLogEvent[], seatId: string): { heard: number; ticks: number } | null {
  let heard = 0;
  let ticks = 0;
  let any = false;
  for (const e of log)
    if (e.type === 'presence' && e.seatId === seatId) {
      any = true;
      heard += e.heard;
      ticks += e.ticks;
    }
  return any ? { heard, ticks } : null;
}
