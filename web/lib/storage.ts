// A student's seat, remembered per lab so a reload keeps the same node:
// localStorage["quorum-lab:<CODE>"] = {"token": "…", "seat": {…}}.
import type { SeatInfo } from '../../src/protocol/messages';

export interface StoredSeat {
  token: string;
  seat: SeatInfo;
  /** the seat's rejoin code, when the server gives one (name + code take the seat back anywhere) */
  rejoinCode?: string;
}

const key = (code: string) => `quorum-lab:${code}`;

function isSeat(x: unknown): x is SeatInfo {
  const s = x as SeatInfo | null;
  return !!s && typeof s.seatId === 'string' && typeof s.name === 'string' && typeof s.team === 'number' && typeof s.node === 'string' && (s.role === 'node' || s.role === 'qdevice');
}

export function loadSeat(code: string): StoredSeat | null {
  try {
    const raw = localStorage.getItem(key(code));
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<StoredSeat>;
    if (typeof v.token !== 'string' || !v.token || !isSeat(v.seat)) return null;
    return { token: v.token, seat: v.seat, ...(typeof v.rejoinCode === 'string' ? { rejoinCode: v.rejoinCode } : {}) };
  } catch {
    return null;
  }
}

export function saveSeat(code: string, value: StoredSeat): boolean {
  try {
    localStorage.setItem(key(code), JSON.stringify(value));
    return true;
  } catch {
    return false; // blocked storage: the seat still works until the tab closes
  }
}

export function forgetSeat(code: string): void {
  try {
    localStorage.removeItem(key(code));
  } catch {
    /* nothing stored */
  }
}

export { isSeat };
