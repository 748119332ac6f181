// Diagnosis mode and incident drills in a room. Platform-free: ClusterObject keeps the submitted
// diagnoses in its meta (one per seat, so it survives eviction), logs them as `diagnosis` events
// (graded from the log: src/scoring/diagnosis.ts) and sends the frames; LabObject gives each team
// its drilled timeline. The drill itself is drawn in src/sim/drills.ts.
import type { Diagnosis } from '../protocol/diagnosis';
import type { LabSettings, LabStatus, SeatInfo } from '../protocol/messages';
import { drawDrill, drillCluster, drillTimeline, type DrawnDrill } from '../sim/drills';
import type { NodeName, Scenario, ScheduledFault } from '../sim/types';
import type { SeatOptions } from '../sim/view';

/** Diagnosis mode is on: by the lab option, or because the lab is a drill. */
export const diagnosisMode = (s: LabSettings) => s.diagnosis === true || !!s.drill;

/** How the lab shows things to its seats (src/sim/view.ts): a graded lab hides the QDevice's
 * answer; diagnosis mode hides every computed verdict from views, events and checklists. */
export const seatOptions = (s: LabSettings): SeatOptions => ({ hideAnswers: !!s.graded, diagnosis: diagnosisMode(s) });

/** The team's drill (null: the lab is not a drill). The lab id seeds it, so it never changes. */
export function teamDrill(s: LabSettings, scenario: Scenario, labId: string, team: number): DrawnDrill | null {
  return s.drill ? drawDrill(s.drill, drillCluster(scenario), labId, team) : null;
}

/** What the team's clock plays: the drill's one fault, else the scenario's timeline when it is on. */
export function teamTimeline(s: LabSettings, scenario: Scenario, labId: string, team: number): ScheduledFault[] {
  const drill = teamDrill(s, scenario, labId, team);
  return drill ? drillTimeline(drill) : s.timeline ? scenario.timeline : [];
}

/** Why a seat's diagnosis is refused (null: store it). */
export function diagnosisRefused(s: LabSettings, status: LabStatus, seat: SeatInfo, already: unknown, d: Diagnosis, nodes: NodeName[]): { code: string; message: string } | null {
  if (!diagnosisMode(s)) return { code: 'not_diagnosis', message: 'this lab is not in diagnosis mode' };
  if (seat.role !== 'node') return { code: 'not_a_node', message: 'only nodes submit a diagnosis' };
  if (status !== 'running' && status !== 'paused') return { code: 'not_running', message: 'a diagnosis is submitted while the lab runs' };
  if (already) return { code: 'already_diagnosed', message: 'this seat already submitted its diagnosis' };
  const unknown = d.nodes.find((n) => !nodes.includes(n));
  if (unknown) return { code: 'bad_fields', message: `${unknown} is not a node of this cluster` };
  return null;
}
