// Clock: node clock skew and chrony (docs/sim.md, "Clock").
import { emit, type Ctx } from '../kernel.js';
import { SKEW_DANGER_MS } from '../constants.js';
import type { NodeRuntime } from '../types.js';

export { SKEW_DANGER_MS };


export function updateSkew(c: Ctx, n: NodeRuntime): void {
  const bad = Math.abs(n.skewMs) > SKEW_DANGER_MS;
  if (bad && !n.skewWarned) {
    n.skewWarned = true;
    emit(c, { type: 'clock-skew', node: n.name, skewMs: n.skewMs });
  } else if (!bad && n.skewWarned) {
    n.skewWarned = false;
    emit(c, { type: 'clock-synced', node: n.name });
  }
}
