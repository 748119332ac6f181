// src/sim/quorum.ts: the votequorum figures that the engine, the shell and the grading all use
// (one definition each: the QDevice's votes, whether two_node is in force, the lowest nodeid).
import { describe, expect, it } from 'vitest';
import { lowestNodeidName, qdeviceVoteCount, twoNodeInForce } from '../../../src/sim/quorum';
import { reallyQuorate } from '../../../src/scoring';
import { mkConfig } from './harness';

describe('quorum figures', () => {
  it('a QDevice brings 1 vote with ffsplit, nodes − 1 (at least 1) with lms', () => {
    expect([2, 3, 4, 5].map((n) => qdeviceVoteCount('ffsplit', n))).toEqual([1, 1, 1, 1]);
    expect([1, 2, 3, 4, 5].map((n) => qdeviceVoteCount('lms', n))).toEqual([1, 1, 2, 3, 4]);
  });

  it('two_node is in force only when set, with exactly two nodes and no QDevice', () => {
    expect(twoNodeInForce(true, 2, false)).toBe(true);
    expect(twoNodeInForce(true, 2, true)).toBe(false);
    expect(twoNodeInForce(true, 3, false)).toBe(false);
    expect(twoNodeInForce(false, 2, false)).toBe(false);
  });

  it('the lowest nodeid decides auto_tie_breaker, whatever the order of the node list', () => {
    expect(lowestNodeidName([{ name: 'pve2', nodeid: 2 }, { name: 'pve9', nodeid: 1 }])).toBe('pve9');
    expect(lowestNodeidName([])).toBeUndefined();
  });

  it('grading agrees with the engine: with a QDevice, two_node no longer makes one node quorate', () => {
    const base = mkConfig({ nodes: 2, options: { two_node: true } });
    const withQd = { ...base, qdevice: { algorithm: 'ffsplit' as const, ip: '10.0.10.20', configured: true, installed: true } };
    // No QDevice: two_node gives each node quorum on its own.
    expect(reallyQuorate(base, ['pve1'], { present: false, choice: null })).toBe(true);
    // A QDevice turns two_node off: one node is quorate only with the QDevice's vote.
    expect(reallyQuorate(withQd, ['pve1'], { present: true, choice: ['pve2'] })).toBe(false);
    expect(reallyQuorate(withQd, ['pve1'], { present: true, choice: ['pve1'] })).toBe(true);
  });
});
