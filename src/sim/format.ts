// Output formatting shared by the command interpreter and the UI. Pure: dates are computed from
// the simulation clock (state.now) plus a fixed lab epoch, never from the machine's clock.
import type { ClusterState, NodeName } from './types.js';

/** Wall-clock time at simulation time 0 (UTC). Every node's clock = epoch + state.now + skewMs. */
export const LAB_EPOCH_MS = Date.UTC(2026, 2, 3, 10, 0, 0);
/** The simulated nodes run in UTC (timedatectl shows Etc/UTC). */
export const LAB_TIMEZONE = 'UTC';
/** Output of `clear`: the terminal reset sequence (RIS). The UI clears its screen when it sees it. */
export { CLEAR_SCREEN } from './constants.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The wall clock of one node in epoch milliseconds (true time + its skew). */
export function nodeClock(s: ClusterState, node: NodeName): number {
  return LAB_EPOCH_MS + s.now + (s.nodes[node]?.skewMs ?? 0);
}

/** Epoch milliseconds of a simulation time as seen by a node with the given skew. */
export function wallClock(simMs: number, skewMs = 0): number {
  return LAB_EPOCH_MS + simMs + skewMs;
}

const p2 = (n: number) => String(n).padStart(2, '0');

function parts(ms: number) {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  return {
    dow: DAYS[d.getUTCDay()]!,
    mon: MONTHS[d.getUTCMonth()]!,
    monthNum: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    year: d.getUTCFullYear(),
    time: `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`,
  };
}

/** ctime(3) style, as corosync-quorumtool and ha-manager print: `Tue Mar  3 10:00:05 2026`. */
export function ctime(ms: number): string {
  const p = parts(ms);
  return `${p.dow} ${p.mon} ${String(p.day).padStart(2, ' ')} ${p.time} ${p.year}`;
}

/** date(1) default output: `Tue Mar  3 10:00:05 UTC 2026`. */
export function dateLine(ms: number): string {
  const p = parts(ms);
  return `${p.dow} ${p.mon} ${String(p.day).padStart(2, ' ')} ${p.time} ${LAB_TIMEZONE} ${p.year}`;
}

/** `2026-03-03 10:00:05` (qm migrate logs, timedatectl with the weekday in front). */
export function isoLocal(ms: number): string {
  const p = parts(ms);
  return `${p.year}-${p2(p.monthNum)}-${p2(p.day)} ${p.time}`;
}

/** `Tue 2026-03-03 10:00:05` as systemd prints. */
export function systemdTime(ms: number): string {
  return `${parts(ms).dow} ${isoLocal(ms)}`;
}

/** journalctl prefix: `Mar 03 10:00:05`. */
export function journalTime(ms: number): string {
  const p = parts(ms);
  return `${p.mon} ${p2(p.day)} ${p.time}`;
}

/** ls -l date: `Mar  3 10:00`. */
export function lsTime(ms: number): string {
  const p = parts(ms);
  return `${p.mon} ${String(p.day).padStart(2, ' ')} ${p.time.slice(0, 5)}`;
}

/** `0x00000001` as corosync prints node ids in hex mode. */
export function hex8(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

export const padL = (v: string | number, w: number): string => String(v).padStart(w, ' ');
export const padR = (v: string | number, w: number): string => String(v).padEnd(w, ' ');

/** Terminals do not show trailing blanks; dropping them keeps outputs easy to compare. */
export function trimLines(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n');
}

/** `1h 5min ago`-style duration as systemctl prints. */
export function agoText(ms: number): string {
  const sec = Math.max(0, Math.floor(ms / 1000));
  if (sec < 60) return `${sec}s ago`;
  const min = Math.floor(sec / 60);
  if (min < 60) return `${min}min ${sec % 60}s ago`;
  const h = Math.floor(min / 60);
  return `${h}h ${min % 60}min ago`;
}
