// Shapes of a graded lab report (plain JSON: the `report.json` route returns it as is).
import type { I18nText, NodeName } from '../sim/types';
import type { Grade, GradeLine, Weights } from '../scoring';
import type { CheckpointAnswers, DiagnosisReport, DrillReport } from './teach';
import type { QuorumChart } from './chart';

/** What the builder reads: rows as stored in D1 (src/db/schema.ts), kept structural so this
 * module needs no database import. */
export interface LabRowIn {
  id: string;
  code: string;
  title: string;
  scenarioId: string;
  /** a teacher's own scenario frozen at creation (absent or null: the preset scenarioId) */
  scenarioJson?: string | null;
  status: 'lobby' | 'running' | 'paused' | 'ended';
  optionsJson: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
}
export interface TeamRowIn {
  id: string;
  name: string;
  idx: number;
}
export interface SeatRowIn {
  id: string;
  teamId: string;
  nodeName: string;
  role: 'node' | 'qdevice';
  studentName: string;
  joinedAt: number;
  kicked: number;
  /** the identifier (student number or e-mail) asked at join when the lab wants one */
  studentId?: string | null;
}
export interface EventRowIn {
  teamId: string;
  seq: number;
  atMs: number;
  type: string;
  node: string | null;
  dataJson: string;
}
export interface ScoreRowIn {
  teamId: string;
  seatId: string | null;
  kind: string;
  points: number;
}

export interface ReportInput {
  lab: LabRowIn;
  teams: TeamRowIn[];
  seats: SeatRowIn[];
  events: EventRowIn[];
  /** scores stored when the lab ended (the room's own totals, from its exact final state) */
  storedScores?: ScoreRowIn[];
  /** sim clock of each team's room (team id → ms) when it could be asked; else the last event */
  clocks?: Record<string, number>;
  /** wall-clock ms the report is generated at */
  generatedAt: number;
  /** extra notes from the loader (e.g. "the room could not be reached") */
  notes?: I18nText[];
}

/** One line of a grade (src/scoring): its rubric part, points in that part, what happened and why,
 * the event it rests on; a penalty lists its consequences. */
export type ReportLine = GradeLine;

export interface IncidentReport {
  id: number;
  kind: string;
  cause: string;
  /** the cause in both languages */
  causeText: I18nText;
  startSeq: number;
  startAt: number;
  endSeq: number | null;
  endAt: number | null;
  /** to the end of the log when still open */
  durationMs: number;
  open: boolean;
}

export interface ObjectiveReport {
  id: string;
  title: I18nText;
  met: boolean;
  points: number;
  maxPoints: number;
  evidenceSeq: number | null;
  concept: string;
  /** autopilot alone meets it: it counts in the outcome part, not in competence */
  byAutopilot: boolean;
  /** observation window (sim ms); null when the observed event never happened */
  window?: { from: number; to: number } | null;
}

export interface TimelineEntry {
  seq: number;
  at: number;
  type: string;
  node: NodeName | null;
  text: I18nText;
  concept?: string;
}

export interface TeamReport {
  index: number;
  id: string;
  name: string;
  /** sim time the report runs to, and where it comes from */
  endMs: number;
  clock: 'room' | 'log';
  eventCount: number;
  grade: Grade;
  /** every line, each tagged with its rubric part */
  lines: ReportLine[];
  /** HA availability (0..1) of the team and of autopilot alone on the same timeline */
  availability: { team: number; baseline: number };
  /** the live leaderboard total the room stored at the end (not a grade) */
  storedTotal: number | null;
  incidents: IncidentReport[];
  objectives: ObjectiveReport[];
  timeline: TimelineEntry[];
  timelineTruncated: boolean;
  /** quorum per node over time, faults, incidents and checkpoints marked (src/reports/chart.ts) */
  chart: QuorumChart;
  seatIds: string[];
  /** every node's answers to each closed checkpoint (src/reports/teach.ts) */
  checkpoints: CheckpointAnswers[];
  /** the diagnoses sent in diagnosis mode, graded */
  diagnoses: DiagnosisReport[];
  /** the incident drill's fault drawn for this team (null: not a drill) */
  drill: DrillReport | null;
}

export interface VoteRecord {
  seq: number;
  at: number;
  voteId: number;
  target: NodeName;
  yes: boolean;
  /** the voters' partition really held quorum (configured votes, never a forced expected) */
  realQuorate: boolean;
  right: boolean;
  /** the same vote asked again: listed, graded once */
  repeat: boolean;
}

export interface CommandRecord {
  seq: number;
  at: number;
  line: string;
  ok: boolean;
}

export interface Participation {
  durationMs: number;
  /** time the student held a seat */
  heldMs: number;
  /** heartbeats (or pulses) the room received while the seat was held; null for logs without samples */
  heartbeats: { heard: number; ticks: number; pct: number } | null;
  /** node in a corosync membership with at least one other node */
  inMembershipMs: number;
  /** alone while a reachable peer formed a membership without it: its heartbeats were not heard */
  absentMs: number;
  /** powered off, cut off by a fault, or no peer to tell: not held against the student */
  excusedMs: number;
  /** inMembershipMs / durationMs, in % (null for the QDevice seat) */
  inMembershipPct: number | null;
  /** inMembershipMs / (inMembershipMs + absentMs), in % (null when nothing could be measured) */
  presencePct: number | null;
  votes: { cast: number; right: number; wrong: number; list: VoteRecord[] };
  commands: { total: number; ok: number; failed: number; distinct: string[]; relevant: string[]; list: CommandRecord[]; listTruncated: boolean };
  /** QDevice seat in human vote mode: choices compared with the algorithm's */
  qdeviceChoices?: { right: number; wrong: number };
}

export interface StudentReport {
  seatId: string;
  name: string;
  /** gradebook key (student number or e-mail) given at join; null when the lab did not ask */
  studentId: string | null;
  team: number;
  teamId: string;
  teamName: string;
  node: string;
  role: 'node' | 'qdevice';
  kicked: boolean;
  joinedAt: number;
  grade: Grade;
  teamGrade: Grade;
  lines: ReportLine[];
  participation: Participation;
  /** the checkpoint answers of the nodes this student held when each checkpoint closed */
  checkpoints: CheckpointAnswers[];
  diagnoses: DiagnosisReport[];
}

export interface LabReport {
  v: 2;
  generatedAt: number;
  /** the lab has not ended: figures run to the last event so far */
  partial: boolean;
  lab: {
    code: string;
    title: string;
    status: LabRowIn['status'];
    scenario: { id: string; title: I18nText };
    options: { voteMode: string; heartbeatMode: string; timing: string; timeScale: number; graded: boolean };
    /** the part weights the grades used (the teacher's, or the defaults) */
    weights: Weights;
    weightsAreDefault: boolean;
    createdAt: number;
    startedAt: number | null;
    endedAt: number | null;
  };
  /** labels of the course concepts the lines refer to */
  concepts: Record<string, I18nText>;
  teams: TeamReport[];
  students: StudentReport[];
  notes: I18nText[];
  limitations: I18nText[];
  /** event rows whose data_json could not be read (skipped) */
  skippedEvents: number;
}
