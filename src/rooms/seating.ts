// Where a joining student sits: the seats a team offers and which team has room. Pure, and built
// once per join from the active seats, so a 100-team lab does not rescan every seat per team.
import type { Scenario } from '../sim/types';

export interface Slot {
  node: string;
  role: 'node' | 'qdevice';
}

/** Seats a team offers, in the order they are handed out: nodes first, then the QDevice. */
export function seatOffer(scenario: Scenario, teamSize: number): Slot[] {
  const list: Slot[] = scenario.cluster.nodes.map((n) => ({ node: n.name, role: 'node' }));
  if (scenario.qdeviceSeat) list.push({ node: 'qdevice', role: 'qdevice' });
  return list.slice(0, teamSize);
}

/** The free slots of teams 1..teamCount (a team missing from the answer has none). */
export function freeSlots(offer: Slot[], active: readonly { team: number; node: string }[], teamCount: number): Map<number, Slot[]> {
  const taken = new Set(active.map((s) => `${s.team}:${s.node}`));
  const out = new Map<number, Slot[]>();
  for (let t = 1; t <= teamCount; t++) {
    const free = offer.filter((o) => !taken.has(`${t}:${o.node}`));
    if (free.length) out.set(t, free);
  }
  return out;
}

/** The emptiest team, the lowest number on a tie, so teams stay balanced; null when all are full. */
export function emptiestTeam(free: ReadonlyMap<number, Slot[]>): number | null {
  let chosen: number | null = null;
  for (const [t, slots] of free) if (chosen === null || slots.length > free.get(chosen)!.length || (slots.length === free.get(chosen)!.length && t < chosen)) chosen = t;
  return chosen;
}
