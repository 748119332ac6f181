// The projector's HTTP frame (GET /api/labs/:code/projector, docs/protocol.md "Projector"), shared by
// the Worker (src/api/projector.ts) and the projector page (web/projector.ts).
import type { I18nText, ScheduledFault } from '../sim/types';
import type { TeacherSnapshot } from '../sim/view';
import type { LabStatus } from './messages';

export const PROJECTOR_MODES = ['lobby', 'live', 'question', 'podium'] as const;
export type ProjectorMode = (typeof PROJECTOR_MODES)[number];

export interface ProjectorTeam {
  index: number;
  /** students seated in the team (lobby) */
  students: string[];
  /** live and question modes: the team's cluster (ground truth) */
  snapshot: (Omit<TeacherSnapshot, 'votes'> & { next: ScheduledFault | null }) | null;
  /** the open checkpoint and its answers so far */
  checkpoint: { id: string; title: I18nText; answered: number; expected: number } | null;
  /** the last closed checkpoint: right answers out of asked questions (the reveal) */
  reveal: { id: string; right: number; asked: number } | null;
}

export interface ProjectorFrame {
  mode: ProjectorMode;
  lab: { code: string; title: string; status: LabStatus };
  teams: ProjectorTeam[];
  /** podium mode: the leaderboard, best first */
  board: { team: number; total: number; availability: number; incidents: number }[];
}
