// rules/fence-votes: human vote mode.
import { describe, expect, it } from 'vitest';
import { timingFor } from '../../../../src/sim/index';
import { Harness, haVm, mkConfig } from '../harness';

const T = timingFor('course', 3);
/** Time for a silent node to leave the membership: dead after 10 s, seen on the next tick. */
const DETECT = T.deadAfterMs + T.tickMs;

describe('human vote mode', () => {
  const humanCluster = (n: number, vms = [haVm(100, 'pve1')]) => {
    const h = new Harness(mkConfig({ nodes: n, vms, voteMode: 'human', autoNodes: [] }));
    for (const x of h.s.config.nodes) h.manual.add(x.name);
    return h;
  };

  it('a silent node opens a vote; yes votes ≥ quorum pass it and recovery follows', () => {
    const h = humanCluster(3, [haVm(100, 'pve1'), haVm(103, 'pve3')]);
    h.advance(20_000);
    h.manual.delete('pve3'); // the student's laptop lid closes
    h.until(() => h.of('vote-opened').length > 0, 30_000);
    const opened = h.first('vote-opened')!;
    expect(opened).toMatchObject({ target: 'pve3', partition: ['pve1', 'pve2'], quorum: 2 });
    expect(h.s.nodes.pve3!.power).toBe('on'); // still running, only silent
    // No recovery without the vote, even long after the lock delay.
    h.advance(5000);
    expect(h.input({ type: 'vote', at: h.now, node: 'pve1', voteId: opened.voteId, yes: true }).error).toBeUndefined();
    expect(h.first('vote-closed')).toBeUndefined(); // 1 yes < quorum 2
    expect(h.input({ type: 'vote', at: h.now, node: 'pve3', voteId: opened.voteId, yes: true }).error?.code).toBe('not_voter');
    expect(h.input({ type: 'vote', at: h.now, node: 'pve1', voteId: opened.voteId, yes: true }).error?.code).toBe('already_voted');
    h.input({ type: 'vote', at: h.now, node: 'pve2', voteId: opened.voteId, yes: true });
    expect(h.first('vote-closed')).toMatchObject({ status: 'passed', yes: 2, quorum: 2 });
    h.advance(1000);
    expect(h.first('fenced')).toMatchObject({ node: 'pve3' });
    expect(h.first('recovered')).toMatchObject({ vmid: 103, from: 'pve3' });
    // The vote is the fencing decision: the silent node is power-cycled, so the VM never runs twice.
    expect(h.s.nodes.pve3!.power).toBe('booting');
    expect(h.runningOn(103)).toHaveLength(1);
  });

  it('without enough yes votes nothing is recovered', () => {
    const h = humanCluster(3, [haVm(103, 'pve3')]);
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.manual.delete('pve3');
    h.until(() => h.of('vote-opened').length > 0, 30_000);
    const id = h.first('vote-opened')!.voteId;
    h.input({ type: 'vote', at: h.now, node: 'pve1', voteId: id, yes: true });
    h.input({ type: 'vote', at: h.now, node: 'pve2', voteId: id, yes: false });
    expect(h.first('vote-closed')).toMatchObject({ status: 'rejected', yes: 1 });
    h.advance(T.fenceLockMs + 5000);
    expect(h.of('recovered')).toEqual([]);
    // A failed vote is asked again while the node is still to be fenced.
    expect(h.of('vote-opened').length).toBeGreaterThan(1);
  });

  it('votes in an inquorate partition never pass', () => {
    const h = humanCluster(5, [haVm(104, 'pve4')]);
    h.advance(5000);
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2', 'pve3'], ['pve4'], ['pve5']] });
    h.until(() => h.of('vote-opened').length >= 2, 30_000);
    const minority = h.first('vote-opened', (e) => e.partition.join() === 'pve5')!;
    const majority = h.first('vote-opened', (e) => e.partition.join() === 'pve1,pve2,pve3')!;
    expect(minority).toBeDefined();
    h.input({ type: 'vote', at: h.now, node: 'pve5', voteId: minority.voteId, yes: true });
    h.advance(5000);
    expect(h.of('vote-closed', (e) => e.voteId === minority.voteId).map((e) => e.status)).not.toContain('passed');
    expect(h.of('recovered')).toEqual([]);
    for (const n of ['pve1', 'pve2', 'pve3']) h.input({ type: 'vote', at: h.now, node: n, voteId: majority.voteId, yes: true });
    expect(h.first('vote-closed', (e) => e.voteId === majority.voteId)).toMatchObject({ status: 'passed' });
    h.advance(1000);
    expect(h.first('recovered')).toMatchObject({ vmid: 104, from: 'pve4' });
    expect(h.s.votes.filter((v) => v.partition.join() === 'pve5').every((v) => v.status !== 'passed')).toBe(true);
  });

  it('autopilot seats vote like votequorum (yes when quorate)', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(103, 'pve3')], voteMode: 'human' }));
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.advance(DETECT + 1000);
    expect(h.first('vote-closed')).toMatchObject({ status: 'passed', yes: 2 });
    expect(h.first('recovered')).toMatchObject({ vmid: 103 });
  });
});

describe('human fencing vote with a QDevice', () => {
  it('{pve1}+QDevice can fence pve2: the QDevice vote backs the yes of pve1', () => {
    const h = new Harness(mkConfig({ nodes: 2, qdevice: 'ffsplit', voteMode: 'human', autoNodes: [], vms: [haVm(100, 'pve2')] }));
    h.manual.add('pve1').add('pve2');
    h.advance(3000);
    h.manual.delete('pve2');
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    const opened = h.until(() => h.of('vote-opened').length > 0);
    const vote = h.first('vote-opened')!;
    expect(vote.partition).toEqual(['pve1']);
    expect(vote.quorum).toBe(2);
    expect(h.s.votes[0]!.quorate).toBe(true);
    expect(opened).toBeGreaterThan(0);
    const r = h.input({ type: 'vote', at: h.now, node: 'pve1', voteId: vote.voteId, yes: true });
    expect(r.error).toBeUndefined();
    h.advance(1000);
    expect(h.first('vote-closed')).toMatchObject({ status: 'passed', yes: 2, quorum: 2 });
    h.until(() => h.runningOn(100).includes('pve1'), 10_000);
  });

  it('a no from pve1 rejects it (the QDevice does not vote yes alone)', () => {
    const h = new Harness(mkConfig({ nodes: 2, qdevice: 'ffsplit', voteMode: 'human', autoNodes: [], vms: [haVm(100, 'pve2')] }));
    h.manual.add('pve1').add('pve2');
    h.advance(3000);
    h.manual.delete('pve2');
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.until(() => h.of('vote-opened').length > 0);
    const vote = h.first('vote-opened')!;
    h.input({ type: 'vote', at: h.now, node: 'pve1', voteId: vote.voteId, yes: false });
    h.advance(1000);
    expect(h.first('vote-closed')).toMatchObject({ status: 'rejected', yes: 0 });
    expect(h.runningOn(100)).toEqual([]);
  });
});
