// Grading: the one module that owns every weight and every right answer (reports gather and render).
export { DEFAULT_WEIGHTS, PARTS, RULES, round1, weightsFrom, weightsSchema, type Part, type Weights } from './weights';
export { teamContext, teamContexts, gradeTeam, combine, decisionsOf, type TeamContext, type TeamGrade, type TeamInput, type ObjectiveGrade } from './team';
export { gradeStudent, mergeStudentGrades, type StudentGrade } from './student';
export { commandKey, commandNotion, isRelevant } from './notions';
export { runBaseline, runBaselines, faultsOf } from './baseline';
export { judge, reallyQuorate } from './decisions';
export { seatIntervals, holderAt, presenceOf, type SeatInterval } from './seats';
export type { Grade, GradeLine } from './types';
