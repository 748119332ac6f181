// The node page's state, shared by its modules: who this seat is, the lab's settings and status,
// the last view, and the sim clock extrapolated between frames (countdowns read it).
import type { DiagnosisNodeView, LabSettings, LabStatus, NodeView, SeatInfo } from '../../src/protocol/messages';
import type { Timing } from '../../src/protocol/messages';
import { el } from '../lib/dom';
import type { QdView } from '../lib/qdevice-panel';

export const page = {
  seat: null as SeatInfo | null,
  settings: null as LabSettings | null,
  /** the engine's timing profile, from `welcome` (sim ms) */
  timing: null as Timing | null,
  status: null as LabStatus | null,
  /** diagnosis mode: the server sends a view without verdicts (src/sim/view.ts) */
  view: null as NodeView | DiagnosisNodeView | null,
  qview: null as QdView | null,
};

/** sim clock anchor: sim time `sim` was current at local time `local` */
let clock = { sim: 0, local: Date.now() };

const timeScale = () => page.settings?.timeScale ?? 1;
export function anchor(sim: unknown): void {
  if (typeof sim === 'number' && Number.isFinite(sim)) clock = { sim, local: Date.now() };
}
/** The sim clock now, extrapolated between frames while the lab runs. */
export function simNow(): number {
  return page.status === 'running' ? clock.sim + (Date.now() - clock.local) * timeScale() : clock.sim;
}
/** A sim duration as the wall-clock time a student waits. */
export const wall = (simMs: number) => simMs / timeScale();

/** Diagnosis mode (a lab option, drills too): the page hides every computed verdict. */
export const diagnosing = () => page.settings?.diagnosis === true && page.seat?.role === 'node';

/** A countdown span refreshed by the clock loop: remaining sim time until `untilSim`. */
export function countdown(untilSim: number): HTMLSpanElement {
  const s = el('span', { class: 'countdown', attrs: { 'data-until': String(untilSim) } });
  paintCountdown(s);
  return s;
}
/** Elapsed time since `sinceSim`. */
export function elapsed(sinceSim: number): HTMLSpanElement {
  const s = el('span', { class: 'countdown', attrs: { 'data-since': String(sinceSim) } });
  paintCountdown(s);
  return s;
}
export function paintCountdown(s: HTMLElement): void {
  const now = simNow();
  const until = s.dataset.until;
  const ms = until !== undefined ? Math.max(0, wall(Number(until) - now)) : Math.max(0, wall(now - Number(s.dataset.since)));
  // Whole seconds, rounded up for countdowns (a screen showing 0 means "now").
  const shown = String(until !== undefined ? Math.ceil(ms / 1000) : Math.floor(ms / 1000));
  if (s.dataset.shown === shown) return;
  s.dataset.shown = shown;
  s.textContent = `${shown} s`;
}
