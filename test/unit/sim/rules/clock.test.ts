// rules/clock: skew warnings and chrony.
import { describe, expect, it } from 'vitest';
import { SKEW_DANGER_MS } from '../../../../src/sim/index';
import { startChrony, stepClock, stopChrony } from '../../../../src/sim/rules/clock';
import { Harness, mkConfig } from '../harness';

describe('rules/clock', () => {
  it('a skew beyond the danger threshold warns once; within it, nothing', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.fault({ kind: 'clock-skew', node: 'pve2', skewMs: SKEW_DANGER_MS });
    expect(h.of('clock-skew')).toEqual([]);
    h.fault({ kind: 'clock-skew', node: 'pve2', skewMs: SKEW_DANGER_MS + 1 });
    h.fault({ kind: 'clock-skew', node: 'pve2', skewMs: 60_000 });
    expect(h.of('clock-skew').map((e) => e.node)).toEqual(['pve2']);
    expect(h.of('quorum-lost')).toEqual([]); // corosync does not use wall-clock time
  });

  it('starting chrony steps the clock back and says so; stopping it leaves the skew', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.fault({ kind: 'clock-skew', node: 'pve1', skewMs: 30_000 });
    const n = h.s.nodes.pve1!;
    stopChrony(n);
    expect(n).toMatchObject({ chronyRunning: false, skewMs: 30_000 });
    const c = { s: h.s, events: [] as typeof h.events };
    startChrony(c, n);
    expect(n).toMatchObject({ chronyRunning: true, skewMs: 0, skewWarned: false });
    expect(c.events.map((e) => e.type)).toEqual(['clock-synced']);
    stepClock(c, n);
    expect(c.events).toHaveLength(1);
  });
});
