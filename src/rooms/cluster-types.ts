// Types and constants shared by the modules of ClusterObject (cluster.ts and the files it is built
// from: cluster-room.ts, cluster-checkpoints.ts, cluster-store.ts).
import { getScenario } from '../sim/scenarios';
import type { Scenario, ScheduledFault } from '../sim/types';
import { nextRandom, seedFrom } from '../sim/rng';
import type { LabSettings, LabStatus, SeatInfo } from '../protocol/messages';
import type { OpenCheckpoint } from './checkpoint';
import type { Diagnosis } from '../protocol/diagnosis';

/** Small, versioned socket attachment (it survives hibernation; keep it well under 2 KiB). */
export type Attachment =
  | { v: 1; role: 'student'; seat: SeatInfo; rejoinCode?: string }
  | { v: 1; role: 'teacher' };

export interface ClusterMeta {
  labId: string;
  code: string;
  team: number;
  teamId: string;
  status: LabStatus;
  settings: LabSettings;
  /** handed to the sim once (`schedule` input); the sim fires the faults and keeps the index */
  timeline: ScheduledFault[];
  /** unused since the sim owns the timeline; kept so stored metas still parse */
  timelineNext: number;
  flushedSeq: number;
  /** seats held by students (node or "qdevice") and the heartbeats counted since the last sample
   * (stored in a row of its own: it changes every tick, the rest of the meta seldom) */
  holders?: Record<string, { seatId: string; heard: number; ticks: number }>;
  /** the open checkpoint (src/rooms/checkpoint.ts), and the scenario's checkpoints already opened */
  checkpoint?: OpenCheckpoint | null;
  checkpointsDone?: string[];
  /** diagnosis mode: seatId -> the diagnosis it submitted (src/rooms/diagnosis.ts) */
  diagnoses?: Record<string, { diagnosis: Diagnosis; at: number }>;
  /** a teacher's own scenario (absent: the preset settings.scenarioId) */
  scenario?: Scenario;
}

/** The scenario this team plays: the teacher's own, else the preset named in the settings. */
export const scenarioOf = (m: ClusterMeta): Scenario | undefined => m.scenario ?? getScenario(m.settings.scenarioId);

/** (A room stored before 2026-11-30 may hold a `teacher` deadline: it is dropped when due.) */
export type Deadline = 'tick' | 'flush';

/** The room copies its new log entries to D1 this often (with the next tick when a checkpoint
 * closes, at once when the lab ends). The log itself is safe in the object's storage; reports of
 * a running lab read the unflushed tail from the room (src/api/reports.ts). */
export const FLUSH_EVERY_MS = 60_000;
/** A room's first flush comes between 0.5 and 1.5 FLUSH_EVERY_MS after the lab starts, at a phase
 * of its own drawn from its team id (the engine's seeded draw, src/sim/rng.ts), and the next ones
 * keep that phase: the teams of a lab started together do not all write to D1 in the same second
 * (at 400 teams that burst took a fifth of the runtime's JavaScript time during a reconnect storm,
 * docs/performance.md). */
export function firstFlushInMs(teamId: string): number {
  return Math.round(FLUSH_EVERY_MS * (0.5 + nextRandom({ rng: seedFrom(teamId) })));
}
export const TEACHER_MIN_GAP_MS = 250; // at most 4 teacher snapshots per second
/** Browsers ping every wall-clock second whatever the time scale; 2.5 s tolerates one lost ping
 * and timer jitter. A tab that stops pinging (asleep, offline) goes silent. */
export const PING_FRESH_MS = 2500;
export const TEACHER_BACKLOG = 200;
/** Close code of a seat's socket replaced by a newer one: see docs/protocol.md. */
export const CLOSE_REPLACED = 4001;
/** A tick more than this many periods late is not caught up: the clock resyncs to now. */
export const MAX_TICK_LAG = 5;
/** A steady cluster ticks at most this many sim ticks at once. src/sim/deadline.ts bounds it by the
 * membership timeout less one tick (9 in the course profile): a student whose tab sleeps is still
 * dropped one timeout after the last heartbeat the room credited. This cap bounds how stale the
 * sim clock is when an input arrives mid-jump (it lands at the last tick's time). */
export const MAX_STEADY_TICKS = 10;
