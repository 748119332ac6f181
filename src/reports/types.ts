// Shapes of a graded lab report (plain JSON: the `report.json` route returns it as is).
import type { I18nText, NodeName } from '../sim/types';

/** What the builder reads: rows as stored in D1 (src/db/schema.ts), kept structural so this
 * module needs no database import. */
export interface LabRowIn {
  id: string;
  code: string;
  title: string;
  scenarioId: string;
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

/** One line of a grade: points, what happened, why it matters, and the event it rests on. */
export interface ReportLine {
  kind: 'objective' | 'availability' | 'safety' | 'decision' | 'team' | 'presence' | 'commands' | 'mistake';
  points: number;
  text: I18nText;
  explain: I18nText;
  concept?: string;
  seq?: number;
  at?: number;
}

export interface IncidentReport {
  id: number;
  kind: string;
  cause: string;
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
  score: { total: number; availability: number; storedTotal: number | null; lines: ReportLine[] };
  incidents: IncidentReport[];
  objectives: ObjectiveReport[];
  timeline: TimelineEntry[];
  timelineTruncated: boolean;
  seatIds: string[];
}

export interface VoteRecord {
  seq: number;
  at: number;
  voteId: number;
  target: NodeName;
  yes: boolean;
  /** the voter's partition held quorum when the vote opened */
  quorate: boolean;
  right: boolean;
}

export interface CommandRecord {
  seq: number;
  at: number;
  line: string;
  ok: boolean;
}

export interface Participation {
  durationMs: number;
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
  commands: { total: number; ok: number; failed: number; distinct: string[]; list: CommandRecord[]; listTruncated: boolean };
  /** QDevice seat in human vote mode: choices compared with the algorithm's */
  qdeviceChoices?: { right: number; wrong: number };
}

export interface StudentReport {
  seatId: string;
  name: string;
  team: number;
  teamId: string;
  teamName: string;
  node: string;
  role: 'node' | 'qdevice';
  kicked: boolean;
  joinedAt: number;
  teamScore: number;
  score: number;
  lines: ReportLine[];
  mistakes: ReportLine[];
  participation: Participation;
}

export interface LabReport {
  v: 1;
  generatedAt: number;
  /** the lab has not ended: figures run to the last event so far */
  partial: boolean;
  lab: {
    code: string;
    title: string;
    status: LabRowIn['status'];
    scenario: { id: string; title: I18nText };
    options: { voteMode: string; heartbeatMode: string; timing: string; timeScale: number };
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
