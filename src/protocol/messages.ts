// WebSocket protocol: JSON text frames with a `type`. One schema per direction; every incoming
// frame goes through `parseClientMessage`. See docs/protocol.md.
import { z } from 'zod';
import { EDITABLE_PATHS, MAX_COMMAND_CHARS, MAX_EDIT_CHARS, MAX_FRAME_BYTES } from './limits.js';
import type { ObjectiveMet, TeamScore } from '../scoring/score.js';
import type { DiagnosisNodeView, NodeView, QdeviceSeatView, TeacherSnapshot } from '../sim/view.js';
import type { Fault, I18nText, ScheduledFault, SimEvent, Timing } from '../sim/types.js';
import type { AnsweredQuestion, AskedQuestion } from '../rooms/checkpoint.js';
import type { Answer } from '../sim/checkpoints.js';
import { CAUSE_IDS, RULE_IDS, type CauseId, type Diagnosis, type DrillFamily, type RuleId } from './diagnosis.js';

// The types the pages read in frames, so that web/ imports types from src/protocol only.
export type { Answer, AnsweredQuestion, AskedQuestion, DiagnosisNodeView, Fault, NodeView, ObjectiveMet, QdeviceSeatView, SimEvent, TeamScore, Timing };

/** What a student socket receives in `view` frames: its node's view, or the QDevice seat's. */
export type SeatView = NodeView | DiagnosisNodeView | QdeviceSeatView;

/** The teacher socket's `snapshot` frame: ground truth, team, status, next faults, score. */
export type RoomSnapshot = TeacherSnapshot & {
  team: number;
  status: LabStatus;
  /** the next scheduled faults (at most five) */
  upcoming: ScheduledFault[];
  /** node -> its student's browser (connected, or gone since when) */
  presence?: Record<string, Presence>;
  score: TeamScore;
  /** the open checkpoint and how many answers came in (src/rooms/checkpoint.ts) */
  checkpoint?: { id: string; title: I18nText; answered: number; expected: number; deadline: number } | null;
};

const nodeName = z.string().regex(/^pve\d{1,3}$/);

export const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('power'), node: nodeName, action: z.enum(['on', 'off', 'reset', 'reboot', 'shutdown']) }),
  z.object({ kind: z.literal('link'), a: nodeName, b: nodeName, cut: z.boolean(), oneWay: z.boolean().optional() }),
  z.object({ kind: z.literal('partition'), groups: z.array(z.array(nodeName).max(64)).min(2).max(8) }),
  z.object({ kind: z.literal('isolate'), node: nodeName }),
  z.object({ kind: z.literal('heal') }),
  z.object({
    kind: z.literal('link-quality'),
    a: nodeName,
    b: nodeName,
    loss: z.number().min(0).max(1),
    latencyMs: z.number().int().min(0).max(60_000),
  }),
  z.object({ kind: z.literal('clock-skew'), node: nodeName, skewMs: z.number().int().min(-86_400_000).max(86_400_000) }),
  z.object({ kind: z.literal('qdevice-host'), up: z.boolean() }),
  z.object({ kind: z.literal('qdevice-reach'), node: nodeName, reachable: z.boolean() }),
  z.object({ kind: z.literal('storage'), up: z.boolean() }),
  z.object({ kind: z.literal('disk-corrupt'), vmid: z.number().int().min(100).max(999_999_999) }),
  z.object({ kind: z.literal('net-port'), network: z.string().min(1).max(40), node: nodeName, up: z.boolean() }),
  z.object({ kind: z.literal('net-saturate'), network: z.string().min(1).max(40), on: z.boolean() }),
]);

/** Student → server. */
export const studentMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('heartbeat') }),
  z.object({ type: z.literal('pulse') }),
  z.object({ type: z.literal('vote'), voteId: z.number().int().positive(), yes: z.boolean() }),
  z.object({ type: z.literal('command'), line: z.string().max(MAX_COMMAND_CHARS), id: z.number().int().optional() }),
  z.object({ type: z.literal('qdevice-choice'), node: nodeName.nullable() }),
  /** the page's editor saved a file that `nano` opened (`output.edit`): its whole new text */
  z.object({
    type: z.literal('edit'),
    path: z.enum(EDITABLE_PATHS, { error: `the editor saves only ${EDITABLE_PATHS.join(', ')}` }),
    text: z.string().max(MAX_EDIT_CHARS, { error: `a saved file is limited to ${MAX_EDIT_CHARS} characters` }),
    id: z.number().int().optional(),
  }),
  z.object({ type: z.literal('hello'), lang: z.enum(['fr', 'en']).optional() }),
  z.object({
    type: z.literal('answer'),
    checkpoint: z.string().min(1).max(64),
    question: z.enum(['quorate', 'votes-present', 'votes-required', 'cfs-writable', 'ha-fate', 'ha-when', 'who-fences']),
    answer: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('choice'), value: z.string().max(64) }),
      z.object({ kind: z.literal('number'), value: z.number().finite().min(-1_000_000).max(1_000_000) }),
      z.object({ kind: z.literal('nodes'), value: z.array(nodeName).max(64) }),
    ]),
  }),
  /** diagnosis mode: what happened, which nodes, which course rule (src/protocol/diagnosis.ts) */
  z.object({
    type: z.literal('diagnosis'),
    cause: z.enum(CAUSE_IDS as [CauseId, ...CauseId[]]),
    nodes: z.array(nodeName).max(64),
    rule: z.enum(RULE_IDS as [RuleId, ...RuleId[]]),
  }),
]);
export type StudentMessage = z.infer<typeof studentMessage>;

/** Teacher → server (teacher socket on a cluster). */
export const teacherMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('fault'), fault: faultSchema }),
  z.object({ type: z.literal('snapshot') }),
]);
export type TeacherMessage = z.infer<typeof teacherMessage>;

export const TEACHER_ONLY_TYPES = new Set(['fault', 'snapshot', 'start', 'pause', 'resume', 'end', 'kick', 'move', 'settings']);

export type ParseResult<T> = { ok: true; msg: T } | { ok: false; code: string; message: string; close?: number };

export function parseClientMessage(raw: string | ArrayBuffer, role: 'student'): ParseResult<StudentMessage>;
export function parseClientMessage(raw: string | ArrayBuffer, role: 'teacher'): ParseResult<TeacherMessage>;
export function parseClientMessage(raw: string | ArrayBuffer, role: 'student' | 'teacher'): ParseResult<StudentMessage | TeacherMessage> {
  if (typeof raw !== 'string') return { ok: false, code: 'binary_frame', message: 'send JSON text frames' };
  // A UTF-16 code unit is 1–3 UTF-8 bytes: only frames near the cap pay for an exact count
  // (heartbeat frames, the hot path, never do).
  if (raw.length > MAX_FRAME_BYTES || (raw.length * 3 > MAX_FRAME_BYTES && new TextEncoder().encode(raw).byteLength > MAX_FRAME_BYTES))
    return { ok: false, code: 'frame_too_big', message: `frames are limited to ${MAX_FRAME_BYTES} bytes` };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'bad_json', message: 'the frame is not valid JSON' };
  }
  if (!data || typeof data !== 'object' || typeof (data as { type?: unknown }).type !== 'string')
    return { ok: false, code: 'bad_frame', message: 'a frame is a JSON object with a string "type"' };
  const type = (data as { type: string }).type;
  if (role === 'student' && TEACHER_ONLY_TYPES.has(type))
    return { ok: false, code: 'forbidden', message: `"${type.slice(0, 40)}" is a teacher action` };
  const schema = role === 'student' ? studentMessage : teacherMessage;
  const r = schema.safeParse(data);
  if (!r.success) {
    const known = (schema.options as readonly { shape: { type: { value: string } } }[]).some((o) => o.shape.type.value === type);
    return known
      ? { ok: false, code: 'bad_fields', message: `invalid "${type}" frame: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` }
      : { ok: false, code: 'unknown_type', message: `unknown frame type "${type.slice(0, 40)}"` };
  }
  return { ok: true, msg: r.data };
}

/** Server → client frames. */
export type ServerMessage =
  | { type: 'welcome'; seat: SeatInfo; rejoinCode?: string; settings: LabSettings; serverTime: number; simTime: number; status: LabStatus; timing: Timing; backlog?: WelcomeBacklog }
  | { type: 'settings'; settings: LabSettings }
  | { type: 'events'; events: SimEvent[] }
  | { type: 'view'; view: SeatView }
  | ({ type: 'prompt' } & VotePrompt)
  /** a command's (or a save's) result; `edit`: `nano` opened a file, the page opens its editor on it */
  | { type: 'output'; id?: number; line: string; output: string; exitCode: number; edit?: { path: string; text: string } }
  | { type: 'event'; event: SimEvent }
  | { type: 'snapshot'; snapshot: RoomSnapshot }
  /** the team's scenario objectives met so far (the node page's checklist); sent when it changes */
  | { type: 'objectives'; met: ObjectiveMet[] }
  /** a checkpoint is open: this seat's questions (no right answers) and its answers so far;
   * sent at the opening, on (re)connection and after each stored answer */
  | { type: 'checkpoint'; checkpoint: CheckpointOpen }
  /** the checkpoint closed: this seat's questions with the right answer, why, its answer and ok */
  | { type: 'checkpoint-results'; id: string; title: I18nText; results: AnsweredQuestion[] }
  /** diagnosis mode: the diagnosis this seat submitted (sent once stored and on reconnection) */
  | { type: 'diagnosis'; diagnosis: Diagnosis; at: number }
  | { type: 'status'; status: LabStatus; simTime: number }
  | { type: 'error'; code: string; message: string }
  | { type: 'pong' };

/** A fence vote put to this seat (human vote mode): fence `target`? before `deadline` (sim ms). */
export interface VotePrompt {
  voteId: number;
  target: string;
  deadline: number;
  quorum: number;
  partition: string[];
}

/** An open checkpoint as one seat gets it: its questions (no right answers) and its answers so far. */
export interface CheckpointOpen {
  id: string;
  title: I18nText;
  pause: boolean;
  deadline: number;
  questions: AskedQuestion[];
  answers: Partial<Record<string, Answer>>;
}

/** One command of a seat's terminal, as the server ran it. */
export interface TerminalEntry {
  line: string;
  output: string;
  exitCode: number;
}
/** What a reloaded page gets back: its terminal and its journal (engine events, oldest first). */
export interface WelcomeBacklog {
  terminal: TerminalEntry[];
  journal: unknown[];
}

/** A seat's presence in the teacher snapshot (`presence[node]`): socket open and heard lately, or gone. */
export interface Presence {
  online: boolean;
  /** wall ms since the last ping (online) or since the socket closed (offline); null: unknown */
  agoMs: number | null;
}

export type LabStatus = 'lobby' | 'running' | 'paused' | 'ended';
export interface SeatInfo {
  seatId: string;
  name: string;
  team: number;
  node: string; // pveN, or "qdevice"
  role: 'node' | 'qdevice';
}
export interface LabSettings {
  scenarioId: string;
  voteMode: 'auto' | 'human';
  heartbeatMode: 'auto' | 'pulse';
  timing: 'course' | 'real';
  timeScale: number;
  timeline: boolean;
  /** graded session: answers are hidden (no QDevice algorithm hint) */
  graded?: boolean;
  /** rubric part weights chosen by the teacher (src/scoring/weights.ts) */
  weights?: { outcome: number; competence: number; participation: number };
  /** join asks for a student number or e-mail (the gradebook key column) */
  askStudentId?: boolean;
  /** diagnosis mode: the node page hides computed verdicts (quorum card, colours); students submit a diagnosis */
  diagnosis?: boolean;
  /** incident drill: each team gets a fault drawn from this family (src/sim/drills.ts); implies diagnosis */
  drill?: DrillFamily;
}
