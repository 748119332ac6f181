// The rubric's parts and their default weights: shared by the grading module and the teacher
// dashboard (which may import this file: no imports here). Every other weight is in weights.ts.

export type Part = 'outcome' | 'competence' | 'participation';
export const PARTS: readonly Part[] = ['outcome', 'competence', 'participation'];

/** Relative weights of the three parts (any non-negative numbers, not all zero; shown as %). */
export type Weights = Record<Part, number>;

export const DEFAULT_WEIGHTS: Weights = { outcome: 40, competence: 40, participation: 20 };
