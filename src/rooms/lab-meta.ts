// What a LabObject stores about its lab (the `meta` row) and what a join asks for and gets back.
import type { LabSettings, LabStatus, SeatInfo } from '../protocol/messages';
import type { Scenario } from '../sim/types';

export interface LabMeta {
  labId: string;
  code: string;
  title: string;
  scenarioId: string;
  status: LabStatus;
  settings: LabSettings;
  /** fixed number of teams, or null: teams open as earlier ones fill up */
  fixedTeams: number | null;
  teamSize: number;
  teamCount: number;
  locked: boolean;
  teacherSecretHash: string;
  createdAt: number;
  /** a teacher's own scenario, frozen at creation (absent: the preset `scenarioId`) */
  scenario?: Scenario;
}

/** What a join asks for (routes.ts fills it from the body, the cookie and the Bearer token). */
export interface JoinRequest {
  name: string;
  team?: number;
  /** take back the seat holding this code (the name must match) */
  rejoinCode?: string;
  /** a student number or e-mail, when the lab asks for it (gradebook key) */
  studentId?: string;
  /** hash of the browser's client cookie */
  clientHash?: string;
  /** hash of the token this browser held before in this lab (a kicked one keeps the ban) */
  priorTokenHash?: string;
}
export type JoinResult = { seat: SeatInfo; token: string; rejoinCode: string };
