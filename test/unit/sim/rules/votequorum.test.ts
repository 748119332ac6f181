// rules/votequorum and quorum.ts against the figures of docs/sim.md (course timing unless said).
import { describe, expect, it } from 'vitest';
import { partitionInfo, partitionOf, runCommand, timingFor } from '../../../../src/sim/index';
import type { TimingProfileName } from '../../../../src/sim/types';
import { expectedChangeError, partitionQuorum, quorumFor } from '../../../../src/sim/quorum';
import { Harness, haVm, mkConfig } from '../harness';

const T = timingFor('course', 3);
/** Time for a silent node to leave the membership: dead after 10 s, seen on the next tick. */
const DETECT = T.deadAfterMs + T.tickMs;
/** Time for a heal to merge: one token time of hearing each other, seen on the next tick. */
const MERGE = T.tokenMs + T.tickMs;

describe('votequorum arithmetic', () => {
  it('quorum is 2,2,3,3,4,4 for E = 2..7', () => {
    expect([2, 3, 4, 5, 6, 7].map((e) => quorumFor(e, 0))).toEqual([2, 2, 3, 3, 4, 4]);
    expect([2, 3, 4, 5, 6, 7].map((e) => quorumFor(e, e))).toEqual([2, 2, 3, 3, 4, 4]);
  });

  it('quorum follows T when the votes present exceed E', () => {
    expect(quorumFor(3, 7)).toBe(4);
  });

  it('two_node gives quorum 1 only with exactly two nodes', () => {
    const base = { total: 1, expected: 2, twoNode: true, waitForAllPending: false, autoTieBreaker: false, hasLowestNodeid: false };
    expect(partitionQuorum({ ...base, nodeCount: 2 })).toMatchObject({ quorum: 1, quorate: true });
    expect(partitionQuorum({ ...base, nodeCount: 3 })).toMatchObject({ quorum: 2, quorate: false });
  });

  it('pvecm expected is refused below the votes present, or when it would break a quorate partition', () => {
    expect(expectedChangeError(1, 2, true)).toMatch(/CS_ERR_INVALID_PARAM/);
    expect(expectedChangeError(2, 3, false)).toMatch(/CS_ERR_INVALID_PARAM/);
    expect(expectedChangeError(7, 3, true)).toMatch(/CS_ERR_INVALID_PARAM/); // quorum 4 > 3 votes
    expect(expectedChangeError(0, 0, false)).toMatch(/Invalid/);
    expect(expectedChangeError(1, 1, false)).toBeNull(); // the isolated node's classic `-e 1`
    expect(expectedChangeError(3, 3, true)).toBeNull();
    expect(expectedChangeError(4, 3, true)).toBeNull(); // quorum 3 ≤ 3
  });
});

describe('votequorum options', () => {
  it('two_node: a split leaves both sides quorate and opens a two-quorate split-brain incident', () => {
    const h = new Harness(mkConfig({ nodes: 2, options: { two_node: true } }));
    h.advance(5000);
    h.fault({ kind: 'link', a: 'pve1', b: 'pve2', cut: true });
    h.advance(DETECT);
    expect(h.s.partitions).toEqual([['pve1'], ['pve2']]);
    expect(h.quorate('pve1') && h.quorate('pve2')).toBe(true);
    expect(h.first('split-brain-started')).toMatchObject({ kind: 'two-quorate' });
    expect(h.s.incidents.filter((i) => i.endedAt === null).map((i) => i.kind)).toEqual(['two-quorate']);
    h.fault({ kind: 'heal' });
    h.advance(MERGE);
    expect(h.first('split-brain-ended')).toMatchObject({ kind: 'two-quorate' });
  });

  it('two_node: one node killed leaves the survivor quorate', () => {
    const h = new Harness(mkConfig({ nodes: 2, options: { two_node: true } }));
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.advance(DETECT + 10_000);
    expect(h.quorate('pve1')).toBe(true);
    expect(h.of('split-brain-started')).toEqual([]);
  });

  it('two_node cold start: a node alone is not quorate until it has seen its peer (wait_for_all)', () => {
    const h = new Harness(mkConfig({ nodes: 2, options: { two_node: true } }));
    h.fault({ kind: 'power', node: 'pve1', action: 'off' });
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.advance(5000);
    h.fault({ kind: 'power', node: 'pve1', action: 'on' });
    h.advance(T.bootMs + 30_000);
    expect(h.s.nodes.pve1!.power).toBe('on');
    expect(h.quorate('pve1')).toBe(false);
    h.fault({ kind: 'power', node: 'pve2', action: 'on' });
    h.until(() => h.quorate('pve1') && h.quorate('pve2'), T.bootMs + 5000);
    // …and once seen, losing the peer keeps quorum (two_node).
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.advance(DETECT);
    expect(h.quorate('pve1')).toBe(true);
  });

  it('wait_for_all cold start: two of three nodes stay inquorate until all three were seen', () => {
    const run = (wfa: boolean) => {
      const h = new Harness(mkConfig({ nodes: 3, options: { wait_for_all: wfa } }));
      for (const n of ['pve1', 'pve2', 'pve3']) h.fault({ kind: 'power', node: n, action: 'off' });
      h.advance(5000);
      h.fault({ kind: 'power', node: 'pve1', action: 'on' });
      h.fault({ kind: 'power', node: 'pve2', action: 'on' });
      h.advance(T.bootMs + 10_000);
      return h;
    };
    const control = run(false);
    expect(control.s.partitions).toEqual([['pve1', 'pve2']]);
    expect(control.quorate('pve1')).toBe(true);
    const h = run(true);
    expect(h.s.partitions).toEqual([['pve1', 'pve2']]);
    expect(h.quorate('pve1') || h.quorate('pve2')).toBe(false);
    h.fault({ kind: 'power', node: 'pve3', action: 'on' });
    h.until(() => ['pve1', 'pve2', 'pve3'].every((n) => h.quorate(n)), T.bootMs + 5000);
  });

  it('wait_for_all re-arms: after a 1|2|3 split, {1,2} merging stays inquorate until all are back', () => {
    const h = new Harness(mkConfig({ nodes: 3, options: { wait_for_all: true } }));
    h.fault({ kind: 'partition', groups: [['pve1'], ['pve2'], ['pve3']] });
    h.advance(DETECT);
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3']] });
    h.advance(5000);
    expect(h.s.partitions).toEqual([['pve1', 'pve2'], ['pve3']]);
    expect(h.quorate('pve1')).toBe(false);
    h.fault({ kind: 'heal' });
    h.advance(MERGE);
    expect(h.quorate('pve1') && h.quorate('pve3')).toBe(true);
  });

  it('auto_tie_breaker: {1,2}|{3,4} leaves {1,2} quorate; with 1 and 2 killed, {3,4} is not', () => {
    const h = new Harness(mkConfig({ nodes: 4, options: { auto_tie_breaker: true } }));
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] });
    h.advance(DETECT);
    expect([h.quorate('pve1'), h.quorate('pve2'), h.quorate('pve3'), h.quorate('pve4')]).toEqual([true, true, false, false]);

    const k = new Harness(mkConfig({ nodes: 4, options: { auto_tie_breaker: true } }));
    k.fault({ kind: 'power', node: 'pve1', action: 'off' });
    k.fault({ kind: 'power', node: 'pve2', action: 'off' });
    k.advance(DETECT);
    expect(k.s.partitions).toEqual([['pve3', 'pve4']]);
    expect(k.quorate('pve3') || k.quorate('pve4')).toBe(false);
  });

  it('expected votes never go down by themselves', () => {
    const h = new Harness(mkConfig({ nodes: 5 }));
    h.fault({ kind: 'power', node: 'pve4', action: 'off' });
    h.fault({ kind: 'power', node: 'pve5', action: 'off' });
    h.advance(DETECT + 60_000);
    expect(partitionInfo(h.s, partitionOf(h.s, 'pve1')!)).toMatchObject({ total: 3, expected: 5, quorum: 3, quorate: true });
  });

  it('last_man_standing lowers E to the votes present after the window (one node lost: 5 → 4)', () => {
    const h = new Harness(mkConfig({ nodes: 5, options: { last_man_standing: true } }));
    h.fault({ kind: 'power', node: 'pve5', action: 'off' });
    h.advance(DETECT);
    h.advance(T.lmsWindowMs);
    expect(h.s.nodes.pve1!.expected).toBe(4);
    expect(h.of('expected-changed').every((e) => e.reason === 'lms')).toBe(true);
  });
});

describe('rules/votequorum: quorum events say which rule decided', () => {
  it('plain votes: an isolated node of three loses quorum with 1 vote of 2 needed, E = 3', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => !h.quorate('pve1'));
    const lost = h.first('quorum-lost', (e) => e.node === 'pve1')!;
    expect(lost).toMatchObject({ votes: 1, quorum: 2, rule: 'votes', expected: 3 });
  });

  it('auto_tie_breaker: the exact half holding the lowest nodeid stays quorate', () => {
    const h = new Harness(mkConfig({ nodes: 4, options: { auto_tie_breaker: true } }));
    h.advance(3000);
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] });
    h.until(() => !h.quorate('pve3'));
    expect(partitionInfo(h.s, partitionOf(h.s, 'pve1')!)).toMatchObject({ quorate: true, rule: 'auto_tie_breaker' });
    expect(h.first('quorum-lost', (e) => e.node === 'pve3')).toMatchObject({ rule: 'votes', votes: 2, quorum: 3 });
  });

  it('qdevice_vote: one node of two plus the QDevice vote is quorate only thanks to that vote', () => {
    const h = new Harness(mkConfig({ nodes: 2, qdevice: 'ffsplit' }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve2' });
    h.until(() => !h.quorate('pve2'));
    expect(partitionInfo(h.s, partitionOf(h.s, 'pve1')!)).toMatchObject({ quorate: true, rule: 'qdevice_vote' });
  });

  it('expected_override: `pvecm expected 1` on an isolated node names the override', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => !h.quorate('pve1'));
    h.input({ type: 'command', at: h.now, node: 'pve1', line: 'pvecm expected 1' });
    expect(h.first('quorum-regained', (e) => e.node === 'pve1')).toMatchObject({ rule: 'expected_override', expected: 1 });
  });

  it('wait_for_all: a booted node of a two_node cluster waits to see its peer', () => {
    const h = new Harness(mkConfig({ nodes: 2, options: { two_node: true } }));
    h.advance(3000);
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.fault({ kind: 'power', node: 'pve1', action: 'reboot' });
    h.until(() => h.s.nodes.pve1!.power === 'on');
    h.advance(3000);
    expect(partitionInfo(h.s, partitionOf(h.s, 'pve1')!)).toMatchObject({ quorate: false, rule: 'wait_for_all' });
  });
});

describe('rules/ha: recoveries say why that node', () => {
  it('the target has the fewest services, ties by name, and the candidates are listed', () => {
    const h = new Harness(mkConfig({ nodes: 4, vms: [haVm(100, 'pve1'), haVm(101, 'pve2')] }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => h.of('recovered').length > 0);
    const r = h.first('recovered')!;
    expect(r.to).toBe('pve3');
    expect(r.why).toEqual({
      rule: 'fewest-services',
      tieByName: true,
      candidates: [
        { node: 'pve3', services: 0 },
        { node: 'pve4', services: 0 },
        { node: 'pve2', services: 1 },
      ],
    });
  });
});

// ---------------------------------------------------------------- options of issue 6 §3 (7, 8)

const PROFILES: TimingProfileName[] = ['course', 'real'];
const status = (h: Harness, node: string) => runCommand({ s: h.s, events: [] }, node, 'pvecm status').output;

describe('wait_for_all is its own setting', () => {
  for (const profile of PROFILES) {
    it(`${profile}: two_node with wait_for_all 0 — a node that starts alone is quorate at once (1/2, quorum 1)`, () => {
      const h = new Harness(mkConfig({ nodes: 2, timing: profile, coldStart: true, options: { two_node: true, wait_for_all: false } }));
      expect(h.s.partitions).toEqual([]);
      h.fault({ kind: 'power', node: 'pve1', action: 'on' });
      h.until(() => h.s.nodes.pve1!.power === 'on', 120_000);
      expect(h.quorate('pve1')).toBe(true);
      expect(partitionInfo(h.s, partitionOf(h.s, 'pve1')!)).toMatchObject({ total: 1, expected: 2, quorum: 1, rule: 'two_node' });
      const st = status(h, 'pve1');
      expect(st).toContain('Total votes:      1');
      expect(st).toContain('Quorum:           1');
      expect(st).toContain('Flags:            2Node Quorate');
      expect(st).not.toContain('WaitForAll');
    });

    it(`${profile}: two_node alone turns wait_for_all on — a cold start alone is not quorate until the peer was seen`, () => {
      const h = new Harness(mkConfig({ nodes: 2, timing: profile, coldStart: true, options: { two_node: true } }));
      h.fault({ kind: 'power', node: 'pve1', action: 'on' });
      h.until(() => h.s.nodes.pve1!.power === 'on', 120_000);
      h.advance(30_000);
      expect(h.quorate('pve1')).toBe(false);
      expect(partitionInfo(h.s, partitionOf(h.s, 'pve1')!)).toMatchObject({ rule: 'wait_for_all' });
      expect(status(h, 'pve1')).toContain('Flags:            2Node WaitForAll');
      h.fault({ kind: 'power', node: 'pve2', action: 'on' });
      h.until(() => h.quorate('pve1') && h.quorate('pve2'), 120_000);
    });
  }

  it('cold start: boot order matters — with wait_for_all the first two nodes wait for the third', () => {
    const h = new Harness(mkConfig({ nodes: 3, coldStart: true, options: { wait_for_all: true } }));
    expect(Object.values(h.s.nodes).map((n) => n.power)).toEqual(['off', 'off', 'off']);
    h.fault({ kind: 'power', node: 'pve1', action: 'on' });
    h.fault({ kind: 'power', node: 'pve2', action: 'on' });
    h.until(() => h.s.partitions.length === 1 && h.s.partitions[0]!.length === 2, 60_000);
    h.advance(20_000);
    expect(h.quorate('pve1') || h.quorate('pve2')).toBe(false);
    h.fault({ kind: 'power', node: 'pve3', action: 'on' });
    h.until(() => ['pve1', 'pve2', 'pve3'].every((n) => h.quorate(n)), 60_000);
  });
});

describe('last_man_standing', () => {
  for (const profile of PROFILES)
    it(`${profile}: a double kill in one window lowers E 5 → 3 in one step, once the membership is stable`, () => {
      const h = new Harness(mkConfig({ nodes: 5, timing: profile, options: { last_man_standing: true } }));
      const t = h.s.config.timing;
      h.advance(5000);
      h.fault({ kind: 'power', node: 'pve5', action: 'off' });
      h.advance(2000);
      h.fault({ kind: 'power', node: 'pve4', action: 'off' });
      const formed = h.until(() => h.s.partitions[0]!.length === 3 && h.s.nodes.pve1!.members.length === 3, 60_000);
      h.advance(t.lmsWindowMs + 2 * t.tickMs);
      const lms = h.of('expected-changed', (e) => e.reason === 'lms');
      expect(lms.map((e) => `${e.node}:${e.expected}`)).toEqual(['pve1:3', 'pve2:3', 'pve3:3']);
      expect(lms[0]!.at - formed).toBeGreaterThanOrEqual(t.lmsWindowMs);
      expect(lms[0]!.at - formed).toBeLessThanOrEqual(t.lmsWindowMs + t.tickMs);
      expect(partitionInfo(h.s, h.s.partitions[0]!)).toMatchObject({ total: 3, expected: 3, quorum: 2, quorate: true });
    });

  it('never goes below 2 without auto_tie_breaker: the last node alone stays inquorate', () => {
    const h = new Harness(mkConfig({ nodes: 3, options: { last_man_standing: true } }));
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.advance(DETECT + T.lmsWindowMs + 2000);
    expect(h.s.nodes.pve1!.expected).toBe(2);
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.advance(DETECT + 3 * T.lmsWindowMs);
    expect(h.s.nodes.pve1!.expected).toBe(2);
    expect(h.quorate('pve1')).toBe(false);
  });

  it('with auto_tie_breaker the last node alone is quorate (1/1, quorum 1)', () => {
    const h = new Harness(mkConfig({ nodes: 4, options: { last_man_standing: true, auto_tie_breaker: true } }));
    for (const n of ['pve4', 'pve3', 'pve2']) {
      h.fault({ kind: 'power', node: n, action: 'off' });
      h.advance(DETECT + T.lmsWindowMs + 2000);
      expect(h.quorate('pve1')).toBe(true);
    }
    expect(partitionInfo(h.s, ['pve1'])).toMatchObject({ total: 1, expected: 1, quorum: 1, quorate: true });
    expect(status(h, 'pve1')).toContain('Expected votes:   1');
  });

  it('last_man_standing_window sets the wait (here 4 s)', () => {
    const h = new Harness(mkConfig({ nodes: 3, options: { last_man_standing: true, last_man_standing_window: 4000 } }));
    expect(h.s.config.timing.lmsWindowMs).toBe(4000);
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    const formed = h.until(() => h.s.nodes.pve1!.members.length === 2);
    h.until(() => h.s.nodes.pve1!.expected === 2);
    expect(h.now - formed).toBe(4000);
  });
});

describe('totem timings per scenario', () => {
  it('real profile: token = token + (nodes − 2) × token_coefficient, detection ≈ 2.2 × that', () => {
    const totem = { token: 1000, token_coefficient: 125 };
    expect(timingFor('real', 5, { totem })).toMatchObject({ tokenMs: 1375, deadAfterMs: 3025 });
    expect(timingFor('real', 5)).toMatchObject({ tokenMs: 4950, deadAfterMs: 10_890 });
    // The course profile keeps the course's numbers (dead after 10 s) whatever the totem block says.
    expect(timingFor('course', 5, { totem })).toMatchObject({ tokenMs: 3000, deadAfterMs: 10_000 });
    const h = new Harness(mkConfig({ nodes: 5, timing: 'real', totem }));
    h.advance(3000);
    h.fault({ kind: 'power', node: 'pve5', action: 'off' });
    const at = h.now;
    h.until(() => h.s.nodes.pve1!.members.length === 4);
    expect(h.now - at).toBe(4000); // first tick after 3 025 ms
  });
});

describe('allow_downscale', () => {
  it('a clean leave lowers the expected votes of the rest; an abrupt one does not', () => {
    const h = new Harness(mkConfig({ nodes: 3, options: { allow_downscale: true } }));
    h.advance(3000);
    h.fault({ kind: 'power', node: 'pve3', action: 'shutdown' });
    expect(h.of('expected-changed', (e) => e.reason === 'downscale').map((e) => `${e.node}:${e.expected}`)).toEqual(['pve1:2', 'pve2:2']);
    h.fault({ kind: 'power', node: 'pve2', action: 'shutdown' });
    h.advance(2000);
    expect(partitionInfo(h.s, ['pve1'])).toMatchObject({ total: 1, expected: 1, quorum: 1, quorate: true });
    // Without the option, E stays (never goes down by itself).
    const plain = new Harness(mkConfig({ nodes: 3 }));
    plain.fault({ kind: 'power', node: 'pve3', action: 'shutdown' });
    plain.advance(2000);
    expect(plain.s.nodes.pve1!.expected).toBe(3);
    // An abrupt stop is no clean leave.
    const abrupt = new Harness(mkConfig({ nodes: 3, options: { allow_downscale: true } }));
    abrupt.fault({ kind: 'power', node: 'pve3', action: 'off' });
    abrupt.advance(DETECT);
    expect(abrupt.s.nodes.pve1!.expected).toBe(3);
  });
});
