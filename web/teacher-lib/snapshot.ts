// The teacher socket's `snapshot` frame (RoomSnapshot, src/protocol/messages.ts) and helpers to
// draw it. Only types come from src/; the one runtime constant comes from src/sim/constants.ts.
import type { RoomSnapshot } from '../../src/protocol/messages';

export type Snapshot = RoomSnapshot;
export type Upcoming = RoomSnapshot['upcoming'][number];
export type ScoreLine = RoomSnapshot['score']['lines'][number];
export { SKEW_DANGER_MS } from '../../src/protocol/constants';

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
