// Timing profiles: how long heartbeats, tokens, watchdogs and locks take (docs/sim.md, "Timing profiles").
import type { Timing, TimingProfileName } from './types.js';

/** Timing profiles. `course` follows the course notes (1 s heartbeat, dead after 10 s) with
 * compressed fencing; `real` follows the defaults listed in docs/sim.md (token 3 s + 650 ms per
 * node above 2, membership after ≈ 2.2 × token, watchdog 60 s, lock ≈ 120 s). */
export function timingFor(profile: TimingProfileName, nodeCount: number): Timing {
  if (profile === 'real') {
    const token = 3000 + Math.max(0, nodeCount - 2) * 650;
    return {
      profile,
      heartbeatMs: 1000,
      deadAfterMs: Math.round(token * 2.2),
      tokenMs: token,
      watchdogMs: 60_000,
      fenceLockMs: 120_000,
      fenceDelayMs: 60_000,
      bootMs: 60_000,
      migrateMs: 10_000,
      lmsWindowMs: 10_000,
      voteDeadlineMs: 60_000,
      tickMs: 1000,
    };
  }
  return {
    profile,
    heartbeatMs: 1000,
    deadAfterMs: 10_000,
    tokenMs: 3000,
    watchdogMs: 20_000,
    fenceLockMs: 30_000,
    fenceDelayMs: 20_000,
    bootMs: 15_000,
    migrateMs: 5000,
    lmsWindowMs: 10_000,
    voteDeadlineMs: 30_000,
    tickMs: 1000,
  };
}

