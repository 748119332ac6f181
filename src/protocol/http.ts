// HTTP request bodies, validated at the edge with zod (see src/api).
import { z } from 'zod';
import { MAX_NAME_CHARS, MAX_TEAMS, NAME_RULE } from './limits.js';
import { faultSchema } from './messages.js';
import { DRILL_FAMILIES } from './diagnosis.js';
import { weightsSchema } from '../scoring/weights.js';

export const createLabBody = z
  .object({
    scenario: z.string().min(1).max(64),
    title: z.string().trim().max(80).optional(),
    teams: z.number().int().min(1).max(MAX_TEAMS).optional(),
    teamSize: z.number().int().min(1).max(64).optional(),
    voteMode: z.enum(['auto', 'human']).default('auto'),
    heartbeatMode: z.enum(['auto', 'pulse']).default('auto'),
    timing: z.enum(['course', 'real']).default('course'),
    timeScale: z.number().min(0.25).max(10).default(1),
    /** false: the scenario's scheduled faults are not played; the teacher injects faults by hand */
    timeline: z.boolean().default(true),
    /** graded session: the QDevice seat gets no "the algorithm would choose" hint */
    graded: z.boolean().default(false),
    /** rubric part weights (src/scoring/weights.ts); the defaults when absent */
    weights: weightsSchema.optional(),
    /** ask each student for an identifier at join (student number or e-mail): the gradebook key */
    askStudentId: z.boolean().default(false),
    /** diagnosis mode: the node page hides computed verdicts; students submit a diagnosis (graded) */
    diagnosis: z.boolean().default(false),
    /** incident drill: each team draws a fault of this family (src/sim/drills.ts); implies diagnosis mode */
    drill: z.enum(DRILL_FAMILIES).optional(),
  })
  .strict();
export type CreateLabBody = z.infer<typeof createLabBody>;

// A name is shown to the class: it must be readable. Only letters, combining marks, digits,
// punctuation, symbols and the plain space are allowed — so no control or invisible format
// character (zero-width spaces and joiners, bidi marks and overrides), no line or paragraph
// separator, no other kind of space, no unassigned or private-use code point — minus the Hangul
// fillers and the blank braille pattern, letters and symbols that render as nothing. And at least
// one letter or digit must be there to read.
const READABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$/u;
const BLANK_LOOKALIKES = /[\u115f\u1160\u3164\uffa0\u2800]/u;
const VISIBLE = /[\p{L}\p{N}]/u;
export const studentName = z
  .string()
  .transform((s) => s.normalize('NFC').trim())
  .pipe(
    z
      .string()
      .min(1, `${NAME_RULE.fr} / ${NAME_RULE.en}`)
      .max(MAX_NAME_CHARS, `names are limited to ${MAX_NAME_CHARS} characters`)
      .refine((s) => READABLE.test(s) && !BLANK_LOOKALIKES.test(s) && VISIBLE.test(s), `${NAME_RULE.fr} / ${NAME_RULE.en}`),
  );

/** A student number or an e-mail address: what a gradebook (Moodle: ID number, e-mail) matches on. */
export const studentId = z
  .string()
  .trim()
  .max(100, 'identifiers are limited to 100 characters')
  .regex(/^(?:[A-Za-z0-9][A-Za-z0-9._-]*|[^\s@]+@[^\s@]+\.[^\s@]+)$/, 'a student number or an e-mail address');

/** Six characters handed to each seat so its student can take it back from another browser. */
export const rejoinCode = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-HJ-NP-Z2-9]{6}$/, 'a rejoin code is 6 letters or digits'));

export const joinBody = z
  .object({ name: studentName, team: z.number().int().min(1).max(MAX_TEAMS).optional(), rejoinCode: rejoinCode.optional(), studentId: studentId.optional() })
  .strict();

export const faultBody = z.object({ team: z.number().int().min(1).max(MAX_TEAMS).optional(), fault: faultSchema }).strict();
export const checkpointBody = z.object({ action: z.enum(['open', 'close']), id: z.string().min(1).max(64).optional() }).strict();
export const kickBody = z.object({ seatId: z.string().min(1).max(64) }).strict();
/** `POST …/teacher/allow`: a kicked student may join again (same browser, same name). */
export const allowBody = kickBody;
export const moveBody = z.object({ seatId: z.string().min(1).max(64), team: z.number().int().min(1).max(MAX_TEAMS) }).strict();
export const settingsBody = z
  .object({
    voteMode: z.enum(['auto', 'human']).optional(),
    timeScale: z.number().min(0.25).max(10).optional(),
    locked: z.boolean().optional(),
    graded: z.boolean().optional(),
    askStudentId: z.boolean().optional(),
    /** rubric weights; allowed before, during and after the session: reports recompute */
    weights: weightsSchema.optional(),
  })
  .strict();

export function apiError(code: string, message: string) {
  return { error: { code, message } };
}
