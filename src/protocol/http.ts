// HTTP request bodies, validated at the edge with zod (see src/api).
import { z } from 'zod';
import { MAX_NAME_CHARS, MAX_TEAMS } from './limits.js';
import { faultSchema } from './messages.js';
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
  })
  .strict();
export type CreateLabBody = z.infer<typeof createLabBody>;

// Control characters (C0, DEL, C1) and bidi overrides have no place in a name shown to others.
// eslint-disable-next-line no-control-regex
const BAD_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
export const studentName = z
  .string()
  .transform((s) => s.trim().normalize('NFC'))
  .pipe(
    z
      .string()
      .min(1, 'name is empty')
      .max(MAX_NAME_CHARS, `names are limited to ${MAX_NAME_CHARS} characters`)
      .refine((s) => !BAD_NAME_CHARS.test(s), 'name contains control characters'),
  );

/** A student number or an e-mail address: what a gradebook (Moodle: ID number, e-mail) matches on. */
export const studentId = z
  .string()
  .trim()
  .max(100, 'identifiers are limited to 100 characters')
  .regex(/^(?:[A-Za-z0-9][A-Za-z0-9._-]*|[^\s@]+@[^\s@]+\.[^\s@]+)$/, 'a student number or an e-mail address');

export const joinBody = z.object({ name: studentName, team: z.number().int().min(1).max(MAX_TEAMS).optional(), studentId: studentId.optional() }).strict();

export const faultBody = z.object({ team: z.number().int().min(1).max(MAX_TEAMS).optional(), fault: faultSchema }).strict();
export const kickBody = z.object({ seatId: z.string().min(1).max(64) }).strict();
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
