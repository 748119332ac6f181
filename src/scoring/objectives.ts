// Scenario objectives with time windows. An observation (an objective met by a command, e.g.
// "from pve2, see the loss of quorum with pvecm status") counts only after the event it observes —
// the first fault of the session — and before its deadline, the fault that ends the situation
// (network healed, node powered back) or the end of the lab. Objectives autopilot alone meets are
// no one's merit: they belong to the outcome part, not to competence.
import { checkObjective, type ClusterState, type Objective, type SimEvent } from './sim';

export interface Window {
  from: number;
  to: number;
  fromSeq: number;
  toSeq: number;
}

const isObservation = (o: Objective) => o.check.kind === 'event' && o.check.type === 'command';

/** The window of an observation objective; undefined for other objectives; null when the event
 * it observes never happened (then it cannot be met). */
export function windowOf(o: Objective, events: readonly SimEvent[], endMs: number): Window | null | undefined {
  if (!isObservation(o)) return undefined;
  const start = events.find((e) => e.type === 'fault-applied');
  if (!start) return null;
  const end = events.find(
    (e) =>
      e.seq > start.seq &&
      e.type === 'fault-applied' &&
      (e.fault.kind === 'heal' || (e.fault.kind === 'power' && e.fault.action === 'on') || (e.fault.kind === 'link' && !e.fault.cut) || (e.fault.kind === 'qdevice-host' && e.fault.up) || (e.fault.kind === 'storage' && e.fault.up)),
  );
  return { from: start.at, to: end?.at ?? endMs, fromSeq: start.seq, toSeq: end?.seq ?? Infinity };
}

export interface ObjectiveOutcome {
  objective: Objective;
  met: boolean;
  evidenceSeq: number | null;
  window: Window | null | undefined;
}

export function checkWindowed(o: Objective, events: readonly SimEvent[], final: ClusterState, endMs: number): ObjectiveOutcome {
  const w = windowOf(o, events, endMs);
  if (w === null) return { objective: o, met: false, evidenceSeq: null, window: null };
  const inWindow = w ? events.filter((e) => e.seq > w.fromSeq && e.seq < w.toSeq) : (events as SimEvent[]);
  const r = checkObjective(o, inWindow, final);
  return { objective: o, met: r.met, evidenceSeq: r.evidenceSeq ?? null, window: w };
}
