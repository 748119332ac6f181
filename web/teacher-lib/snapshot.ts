// The teacher socket's `snapshot` frame: TeacherSnapshot (src/sim/view.ts) plus team, status, the
// next scheduled faults and score. Only types come from src/sim; nothing of it runs in the browser.
import type { Presence } from '../../src/protocol/messages';
import type { Fault, I18nText } from '../../src/sim/types';
import type { TeacherSnapshot } from '../../src/sim/view';

export interface ScoreLine {
  kind: string;
  points: number;
  reason: string;
}

/** A fault of the scenario's timeline still to come (at most the next five). */
export interface Upcoming {
  atMs: number; // sim time
  fault: Fault;
  note: I18nText;
}

export type Snapshot = TeacherSnapshot & {
  team: number;
  status: string;
  upcoming?: Upcoming[];
  /** node -> its student's browser (servers before presence: absent) */
  presence?: Record<string, Presence>;
  score: { total: number; availability: number; lines: ScoreLine[] };
};

/** Mirrors SKEW_DANGER_MS in src/sim/engine.ts (a runtime value the browser may not import). */
export const SKEW_DANGER_MS = 10_000;

export function isSnapshot(v: unknown): v is Snapshot {
  if (!v || typeof v !== 'object') return false;
  const s = v as Record<string, unknown>;
  return typeof s.now === 'number' && Array.isArray(s.nodes) && Array.isArray(s.partitions) && Array.isArray(s.vms) && Array.isArray(s.incidents);
}

/** Directed links ("a>b") folded into node pairs: both directions cut shows as ↔, one as →. */
export function foldLinks(links: Snapshot['links']): { a: string; b: string; dir: '↔' | '→'; cut: boolean; loss: number; latencyMs: number }[] {
  const out: ReturnType<typeof foldLinks> = [];
  const seen = new Set<string>();
  const same = (x: Snapshot['links'][number], y: Snapshot['links'][number]) => x.cut === y.cut && x.loss === y.loss && x.latencyMs === y.latencyMs;
  for (const l of links) {
    const key = `${l.a}>${l.b}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const back = links.find((x) => x.a === l.b && x.b === l.a);
    if (back && same(l, back)) {
      seen.add(`${l.b}>${l.a}`);
      const [a, b] = l.a < l.b ? [l.a, l.b] : [l.b, l.a];
      out.push({ a, b, dir: '↔', cut: l.cut, loss: l.loss, latencyMs: l.latencyMs });
    } else out.push({ a: l.a, b: l.b, dir: '→', cut: l.cut, loss: l.loss, latencyMs: l.latencyMs });
  }
  return out.sort((x, y) => (x.a + x.b).localeCompare(y.a + y.b, 'en', { numeric: true }));
}
