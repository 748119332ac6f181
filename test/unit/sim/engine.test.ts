// engine: inputs and their refusals.
import { describe, expect, it } from 'vitest';
import { createCluster, step, timingFor } from '../../../src/sim/index';
import { mkConfig } from './harness';

const T = timingFor('course', 3);
/** Time for a silent node to leave the membership: dead after 10 s, seen on the next tick. */
const DETECT = T.deadAfterMs + T.tickMs;

describe('inputs', () => {
  it('refuses unknown nodes and votes that are not open', () => {
    const s = createCluster(mkConfig({ nodes: 3 }), 'x');
    expect(step(s, { type: 'heartbeat', at: 1000, node: 'pve9' }).error?.code).toBe('unknown_node');
    expect(step(s, { type: 'command', at: 1000, node: 'pve9', line: 'pvecm status' }).error?.code).toBe('unknown_node');
    expect(step(s, { type: 'vote', at: 1000, node: 'pve1', voteId: 42, yes: true }).error?.code).toBe('vote_closed');
    expect(step(s, { type: 'qdevice-choice', at: 1000, node: 'pve1' }).error?.code).toBe('no_qdevice');
  });

  it('time never goes backwards', () => {
    const s = createCluster(mkConfig({ nodes: 3 }), 'x');
    step(s, { type: 'tick', at: 5000 });
    step(s, { type: 'tick', at: 3000 });
    expect(s.now).toBe(5000);
  });
});

// ---------------------------------------------------------------- scenarios and objectives

/** Runs a scenario for `ms` with its timeline applied right after each tick (like the room does),
 * and the given terminal commands [atMs, node, line] typed by the students. */
