// Timing profiles: how long heartbeats, tokens, watchdogs and locks take (docs/sim.md, "Timing profiles").
import type { Timing, TimingProfileName, TotemConfig, VotequorumOptions } from './types.js';

/** corosync's defaults for totem.token and totem.token_coefficient (ms). */
export const DEFAULT_TOTEM: TotemConfig = { token: 3000, token_coefficient: 650 };
/** votequorum's default last_man_standing_window (ms). */
export const DEFAULT_LMS_WINDOW_MS = 10_000;

/** The cluster settings a profile reads: the scenario's totem block and votequorum options. */
export interface TimingSettings {
  totem?: TotemConfig;
  options?: Pick<VotequorumOptions, 'last_man_standing_window'>;
}

/** corosync's effective token: token + (nodes − 2) × token_coefficient. */
export function effectiveToken(totem: TotemConfig, nodeCount: number): number {
  return totem.token + Math.max(0, nodeCount - 2) * totem.token_coefficient;
}

/** Timing profiles. `course` follows the course notes (1 s heartbeat, dead after 10 s) with
 * compressed fencing, whatever the totem block says; `real` follows the defaults listed in
 * docs/sim.md (effective token from the totem block, membership after ≈ 2.2 × token, watchdog
 * 60 s, lock ≈ 120 s). Both take last_man_standing_window from the options. */
export function timingFor(profile: TimingProfileName, nodeCount: number, settings: TimingSettings = {}): Timing {
  if (profile === 'real') {
    const token = effectiveToken(settings.totem ?? DEFAULT_TOTEM, nodeCount);
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
      lmsWindowMs: settings.options?.last_man_standing_window ?? DEFAULT_LMS_WINDOW_MS,
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
    lmsWindowMs: settings.options?.last_man_standing_window ?? DEFAULT_LMS_WINDOW_MS,
    voteDeadlineMs: 30_000,
    tickMs: 1000,
  };
}
