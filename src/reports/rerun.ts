// Rebuilds a team's cluster from its input log (src/rooms/input-log.ts) with the live room's own
// rules: createCluster, then step over every stored input. No second implementation: whatever the
// engine does live, it does here. Pure (runs in the Worker and bundles for the replay page).
import { createCluster, step } from '../sim/index';
import type { ClusterConfig, ClusterState, NodeName, SimEvent, SimInput } from '../sim/types';

/** One stored row. `create`: the first row. Otherwise: set seq, apply `hb` heartbeats (at the
 * clock before the input), then `input` (absent on a row written when the room saved between
 * inputs), then set seq to `after` when the room numbered events of its own right after it. */
export type InputLogRow =
  | { create: { config: ClusterConfig; seed: string } }
  | { seq: number; now: number; hb?: NodeName[]; input?: SimInput; after?: number };


export class RerunError extends Error {
  constructor(
    readonly code: 'no_input_log' | 'diverged',
    message: string,
  ) {
    super(message);
  }
}

export interface RerunHooks {
  /** after each row: the state (do not keep it: it goes on changing) and the events it made */
  onRow?(s: ClusterState, row: InputLogRow, events: SimEvent[]): void;
}

/** Runs the rows in order and returns the final state. Rows come oldest first, the first one the
 * `create` row. A row whose clock or sequence the replay has already passed means the log does not
 * describe this engine's run (a gap, or another engine version): RerunError `diverged`. */
export function rerun(rows: InputLogRow[], hooks: RerunHooks = {}): ClusterState {
  const first = rows[0];
  if (!first || !('create' in first)) throw new RerunError('no_input_log', 'this session has no input log (it was played before replays were recorded)');
  const s = createCluster(first.create.config, first.create.seed);
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i]!;
    if ('create' in row) throw new RerunError('diverged', `row ${i}: a second create row`);
    if (row.seq < s.seq || row.now !== s.now) throw new RerunError('diverged', `row ${i}: log at t=${row.now} seq ${row.seq}, replay at t=${s.now} seq ${s.seq}`);
    s.seq = row.seq; // the room numbered events of its own in between (seats, presence, checkpoints)
    const events: SimEvent[] = [];
    for (const node of row.hb ?? []) step(s, { type: 'heartbeat', at: s.now, node });
    if (row.input) events.push(...step(s, row.input).events);
    if (row.after !== undefined) {
      if (row.after < s.seq) throw new RerunError('diverged', `row ${i}: the room's events after it start at seq ${row.after}, replay at seq ${s.seq}`);
      s.seq = row.after;
    }
    hooks.onRow?.(s, row, events);
  }
  return s;
}
