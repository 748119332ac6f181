// Shapes of a grade (plain JSON: reports embed them as they are; docs/protocol.md, "Grades").
import type { I18nText } from './sim';
import type { Part, Weights } from './weights';

/** One line of a grade: the rubric part it belongs to, its points in that part (out of 100), what
 * happened and why it counts, the event it rests on, and for a penalty what its cause led to.
 * A penalty's points are deducted from the whole grade (percentage points), not from its part. */
export interface GradeLine {
  part: Part;
  kind: 'baseline' | 'availability' | 'harm' | 'objective' | 'decision' | 'checkpoint' | 'diagnosis' | 'penalty' | 'idle' | 'presence' | 'commands';
  points: number;
  text: I18nText;
  explain: I18nText;
  concept?: string;
  seq?: number;
  at?: number;
  /** for a penalty: what its cause led to (listed, not counted again) */
  consequences?: { text: I18nText; seq: number; at: number }[];
}

export interface Grade {
  /** 0–100, one decimal */
  percent: number;
  /** 0–20, one decimal */
  outOf20: number;
  /** each part 0–100 before weighting */
  parts: Record<Part, number>;
  weights: Weights;
  /** percentage points deducted for mistakes (one capped penalty per cause), after weighting */
  penalty: number;
}

export interface Graded {
  grade: Grade;
  lines: GradeLine[];
}
