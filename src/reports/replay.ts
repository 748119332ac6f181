// Replay feed: every team's events in one time-ordered list, each tagged with its team index, for a
// player that steps through a session. Pure.
import { parseEventRow } from './build';
import type { EventRowIn, LabRowIn, SeatRowIn, TeamRowIn } from './types';
import type { SimEvent } from '../sim/types';
import type { SeatLogEvent } from '../rooms/seat-log';

export interface Replay {
  v: 1;
  partial: boolean;
  lab: { code: string; title: string; scenarioId: string; status: LabRowIn['status'] };
  teams: { index: number; id: string; name: string; events: number; lastAt: number }[];
  seats: { seatId: string; name: string; team: number; node: string; role: string; kicked: boolean }[];
  /** ordered by sim time, then team index, then seq */
  events: { team: number; seq: number; at: number; event: SimEvent | SeatLogEvent }[];
  skippedEvents: number;
}

export function buildReplay(lab: LabRowIn, teams: TeamRowIn[], seats: SeatRowIn[], rows: EventRowIn[]): Replay {
  const idx = new Map(teams.map((t) => [t.id, t.idx]));
  const seen = new Set<string>();
  const events: Replay['events'] = [];
  let skipped = 0;
  for (const row of rows) {
    const team = idx.get(row.teamId);
    const e = team === undefined ? null : parseEventRow(row);
    if (!e || team === undefined) {
      skipped++;
      continue;
    }
    const k = `${team}:${e.seq}`;
    if (seen.has(k)) continue;
    seen.add(k);
    events.push({ team, seq: e.seq, at: e.at, event: e });
  }
  events.sort((a, b) => a.at - b.at || a.team - b.team || a.seq - b.seq);
  return {
    v: 1,
    partial: lab.status !== 'ended',
    lab: { code: lab.code, title: lab.title, scenarioId: lab.scenarioId, status: lab.status },
    teams: [...teams]
      .sort((a, b) => a.idx - b.idx)
      .map((t) => {
        const mine = events.filter((e) => e.team === t.idx);
        return { index: t.idx, id: t.id, name: t.name, events: mine.length, lastAt: mine.at(-1)?.at ?? 0 };
      }),
    seats: seats.map((s) => ({ seatId: s.id, name: s.studentName, team: idx.get(s.teamId) ?? 0, node: s.nodeName, role: s.role, kicked: s.kicked !== 0 })),
    events,
    skippedEvents: skipped,
  };
}
