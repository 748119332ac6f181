// The replay's frames: a team's input log re-run with the engine's own rules (src/reports/rerun.ts)
// and one picture per sim instant — the truth (teacher snapshot) and each side's own view (one node
// of every partition: its ring, its /etc/pve version, the HA state it believes). Pure.
import { rerun, type InputLogRow } from '../../src/reports/rerun';
import { nodeView, teacherSnapshot, type ClusterState, type NodeView, type TeacherSnapshot } from '../../src/sim/index';

export interface ReplayFrame {
  at: number;
  snap: TeacherSnapshot;
  /** one view per partition (its first member), in partition order */
  sides: NodeView[];
}

export function replayFrames(rows: InputLogRow[]): ReplayFrame[] {
  const frames: ReplayFrame[] = [];
  const take = (s: ClusterState) => {
    const frame = { at: s.now, snap: teacherSnapshot(s), sides: s.partitions.map((p) => nodeView(s, p[0]!)) };
    // One frame per instant: the last state at that time (a fault and the tick after it share it).
    if (frames.at(-1)?.at === s.now) frames[frames.length - 1] = frame;
    else frames.push(frame);
  };
  const end = rerun(rows, { onRow: (s) => take(s) });
  if (!frames.length) take(end);
  return frames;
}

/** The frame shown at sim time `t`: the last one at or before it. */
export function frameAt(frames: ReplayFrame[], t: number): number {
  let lo = 0;
  let hi = frames.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (frames[mid]!.at <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
