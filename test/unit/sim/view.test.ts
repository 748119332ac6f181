// view: what each seat sees, and which events and prompts reach it.
import { describe, expect, it } from 'vitest';
import { openPrompts, promptsFor, qdeviceSeatView, seatView, seesEvent, upcomingFaults, type Seat } from '../../../src/sim/index';
import { Harness, haVm, mkConfig } from './harness';

const node = (n: string): Seat => ({ role: 'node', node: n });
const QD: Seat = { role: 'qdevice', node: 'qdevice' };

describe('view: events reaching a seat', () => {
  it('an isolated node learns only what its own side decided', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1')] }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => h.of('node-fence', (e) => e.node === 'pve1').length > 0);
    const seen = (seat: Seat) => h.events.filter((e) => seesEvent(h.s, e, seat));
    const mine = seen(node('pve1'));
    // The majority declared pve1 dead and marked it for fencing: pve1 cannot know that.
    expect(mine.filter((e) => e.type === 'node-dead' && e.node === 'pve1')).toEqual([]);
    expect(mine.filter((e) => e.type === 'node-fence')).toEqual([]);
    // Its own ring losing the others: that it sees.
    expect(mine.filter((e) => e.type === 'node-dead').map((e) => (e as { node: string }).node).sort()).toEqual(['pve2', 'pve3']);
    // The majority sees both.
    const theirs = seen(node('pve2'));
    expect(theirs.some((e) => e.type === 'node-dead' && e.node === 'pve1')).toBe(true);
    expect(theirs.some((e) => e.type === 'node-fence' && e.node === 'pve1')).toBe(true);
  });

  it('a recovery off an isolated node reaches its target, not the isolated node', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1')] }));
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => h.of('recovered').length > 0);
    const r = h.first('recovered')!;
    expect(seesEvent(h.s, r, node(r.to))).toBe(true);
    expect(seesEvent(h.s, r, node('pve1'))).toBe(false);
  });

  it('commands, incidents and faults are not pushed to students; the QDevice seat sees its vote', () => {
    const h = new Harness(mkConfig({ nodes: 4, qdevice: 'ffsplit' }));
    h.advance(3000);
    h.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] });
    h.advance(15_000);
    const fault = h.first('fault-applied')!;
    expect(seesEvent(h.s, fault, node('pve1'))).toBe(false);
    const vote = h.first('qdevice-vote')!;
    expect(seesEvent(h.s, vote, QD)).toBe(true);
    expect(seesEvent(h.s, vote, node('pve1'))).toBe(true);
    expect(seesEvent(h.s, vote, node('pve3'))).toBe(false);
  });
});

describe('view: prompts and seat views', () => {
  it('vote prompts go to the members of the asking partition, and again to a socket that joins', () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1')], voteMode: 'human', autoNodes: ['pve1'] }));
    h.manual = new Set(['pve2', 'pve3']);
    h.advance(3000);
    h.fault({ kind: 'isolate', node: 'pve1' });
    h.until(() => h.of('vote-opened').length > 0);
    const p2 = promptsFor(h.events, node('pve2'));
    expect(p2).toHaveLength(1);
    expect(p2[0]).toMatchObject({ target: 'pve1', partition: ['pve2', 'pve3'] });
    expect(promptsFor(h.events, node('pve1'))).toEqual([]);
    expect(promptsFor(h.events, QD)).toEqual([]);
    expect(openPrompts(h.s, node('pve3')).map((p) => p.voteId)).toEqual([p2[0]!.voteId]);
    h.input({ type: 'vote', at: h.now, node: 'pve3', voteId: p2[0]!.voteId, yes: true });
    expect(openPrompts(h.s, node('pve3'))).toEqual([]);
  });

  it('the QDevice seat chooses only in human vote mode off autopilot; vote-mode is an input', () => {
    const h = new Harness(mkConfig({ nodes: 2, qdevice: 'ffsplit' }));
    h.advance(2000);
    expect(qdeviceSeatView(h.s)).toMatchObject({ choosing: false, voteMode: 'auto', algorithm: 'ffsplit' });
    h.input({ type: 'vote-mode', at: h.now, mode: 'human' });
    h.input({ type: 'set-auto', at: h.now, node: 'qdevice', auto: false });
    expect(qdeviceSeatView(h.s)).toMatchObject({ choosing: true, voteMode: 'human' });
    h.advance(1000); // the vote follows the seat's (empty) choice
    const a = seatView(h.s, QD);
    h.advance(1000);
    expect(seatView(h.s, QD).key).toBe(a.key); // only the clock moved
    expect('members' in seatView(h.s, node('pve1')).view).toBe(true);
  });
});

describe('timeline: scheduled faults are inputs', () => {
  it('fire on the first tick at or after their time, by "timeline", in order', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.input({
      type: 'schedule',
      at: 0,
      faults: [
        { atMs: 5000, fault: { kind: 'isolate', node: 'pve3' }, note: { fr: 'a', en: 'a' } },
        { atMs: 5000, fault: { kind: 'qdevice-host', up: false }, note: { fr: 'b', en: 'b' } },
        { atMs: 20_000, fault: { kind: 'heal' }, note: { fr: 'c', en: 'c' } },
      ],
    });
    expect(upcomingFaults(h.s, 5)).toHaveLength(3);
    h.advance(4000);
    expect(h.of('fault-applied')).toEqual([]);
    h.advance(1000);
    expect(h.of('fault-applied').map((e) => [e.at, e.fault.kind, e.by])).toEqual([
      [5000, 'isolate', 'timeline'],
      [5000, 'qdevice-host', 'timeline'],
    ]);
    expect(upcomingFaults(h.s, 5).map((f) => f.fault.kind)).toEqual(['heal']);
    h.advance(20_000);
    expect(h.of('fault-applied').map((e) => e.fault.kind)).toEqual(['isolate', 'qdevice-host', 'heal']);
    expect(upcomingFaults(h.s, 5)).toEqual([]);
  });

  it('`next` skips faults already fired', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.input({
      type: 'schedule',
      at: 0,
      next: 1,
      faults: [
        { atMs: 1000, fault: { kind: 'isolate', node: 'pve3' }, note: { fr: 'a', en: 'a' } },
        { atMs: 2000, fault: { kind: 'heal' }, note: { fr: 'b', en: 'b' } },
      ],
    });
    h.advance(3000);
    expect(h.of('fault-applied').map((e) => e.fault.kind)).toEqual(['heal']);
  });
});
