// Every weight of the rubric, in one place. A grade is made of three parts shown apart (outcome,
// competence, participation), each scored 0–100; the grade is their weighted mean, in % and /20.
// The teacher may change the three part weights per lab (teacher settings API, `weights`), before
// or after the session: reports recompute and print which weights they used.
import { z } from 'zod';
import { DEFAULT_WEIGHTS, type Weights } from './rubric';
// The parts and default weights live in rubric.ts (no imports: the dashboard imports it too).
export { DEFAULT_WEIGHTS, PARTS, type Part, type Weights } from './rubric';

export const weightsSchema = z
  .object({
    outcome: z.number().finite().min(0).max(100),
    competence: z.number().finite().min(0).max(100),
    participation: z.number().finite().min(0).max(100),
  })
  .strict()
  .refine((w) => w.outcome + w.competence + w.participation > 0, 'at least one part needs a weight above 0');

/** Weights from lab options (stored JSON): the teacher's when valid, the defaults otherwise. */
export function weightsFrom(options: unknown): Weights {
  const w = options && typeof options === 'object' ? (options as { weights?: unknown }).weights : undefined;
  const r = weightsSchema.safeParse(w);
  return r.success ? r.data : { ...DEFAULT_WEIGHTS };
}

/** The rules inside each part (points out of the part's 100). Not teacher-set: documented in
 * docs/protocol.md, "Grades". */
export const RULES = {
  outcome: {
    /** what autopilot alone does on the same scenario and timeline scores this much */
    baseline: 50,
    /** availability above the baseline's earns up to +50, below it loses up to −50 */
    availability: 50,
    /** harm the baseline did not suffer, once per kind */
    harm: { 'two-quorate': 25, 'vm-twice': 25, 'cfs-diverged': 15, 'writes-lost': 10 },
  },
  competence: {
    /** objective points come from the scenario; a decision (fence vote, QDevice choice) is worth */
    decision: 10,
    /** each checkpoint question asked to the seat (src/rooms/checkpoint.ts): right earns it, wrong or unanswered does not */
    checkpointAnswer: 5,
    /** each of a diagnosis's four marks (family, cause, nodes, rule: src/scoring/diagnosis.ts) */
    diagnosisMark: 5,
    /** one penalty per cause, deducted from the whole grade (percentage points: 15 = 3/20), capped */
    penalty: { 'forced-expected': 15, 'qdevice-minority': 10 },
    penaltyCap: 15,
    /** all penalties together never take more than this */
    penaltiesMax: 30,
  },
  participation: {
    /** share of the part for presence (heartbeats received while holding the seat) */
    presence: 50,
    /** share for relevant commands: distinct commands of the scenario's notions, up to `commandsFull` */
    commands: 50,
    commandsFull: 3,
  },
} as const;

export const round1 = (x: number) => Math.round(x * 10) / 10;
export const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
