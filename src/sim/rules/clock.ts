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

/** chronyd starts with makestep: a large offset is stepped away at once. */
export function startChrony(c: Ctx, n: NodeRuntime): void {
  n.chronyRunning = true;
  stepClock(c, n);
}

/** chronyd stopped: the clock is no longer disciplined (the skew stays as it is). */
export function stopChrony(n: NodeRuntime): void {
  n.chronyRunning = false;
}

/** `chronyc makestep`: the offset is corrected at once. */
export function stepClock(c: Ctx, n: NodeRuntime): void {
  n.skewMs = 0;
  updateSkew(c, n);
}
