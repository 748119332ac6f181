// The lab side of a 100-team class: bounded parallel fan-out, seating from one pass over the
// seats, team summaries derived from a real engine snapshot, and the push that keeps the lab's
// copy current without rebuilding it on quiet ticks.
import { describe, expect, it } from 'vitest';
import { allTeams, fanOut, FAN_OUT_CONCURRENCY } from '../../src/rooms/fan-out';
import { emptiestTeam, freeSlots, seatOffer } from '../../src/rooms/seating';
import { SUMMARY_MIN_GAP_MS, SUMMARY_REFRESH_MS, SummaryPush } from '../../src/rooms/summary-push';
import { summarize, summaryKey, type TeamSummary } from '../../src/protocol/summary';
import { buildClusterConfig, getScenario } from '../../src/sim/scenarios';
import { createCluster, step, teacherSnapshot } from '../../src/sim/index';
import { teamScore } from '../../src/scoring/score';
import type { RoomSnapshot } from '../../src/protocol/messages';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('fanOut', () => {
  it('runs every item, never more than the limit at once, and keeps the order of the items', async () => {
    let running = 0;
    let peak = 0;
    const out = await fanOut(allTeams(60), async (t) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, (t * 7) % 5));
      running--;
      return t * 10;
    });
    expect(out).toEqual(allTeams(60).map((t) => t * 10));
    expect(peak).toBe(FAN_OUT_CONCURRENCY);
  });

  it('calls every team even when one fails, then throws the first error', async () => {
    const seen: number[] = [];
    await expect(
      fanOut(allTeams(10), async (t) => {
        seen.push(t);
        if (t === 3 || t === 8) throw new Error(`team ${t} down`);
        return t;
      }),
    ).rejects.toThrow('team 3 down');
    expect(seen.sort((a, b) => a - b)).toEqual(allTeams(10));
  });

  it('handles no item and a limit larger than the list', async () => {
    expect(await fanOut([], async () => 1)).toEqual([]);
    expect(await fanOut([1, 2], async (x) => x + 1, 50)).toEqual([2, 3]);
  });
});

describe('seating', () => {
  const scenario = getScenario('two-node-qdevice')!;
  const offer = seatOffer(scenario, 3);

  it('offers nodes first, then the QDevice seat', () => {
    expect(offer).toEqual([
      { node: 'pve1', role: 'node' },
      { node: 'pve2', role: 'node' },
      { node: 'qdevice', role: 'qdevice' },
    ]);
    expect(seatOffer(scenario, 2).map((o) => o.node)).toEqual(['pve1', 'pve2']);
  });

  it('fills the emptiest team, the lowest number on a tie, and says when every team is full', () => {
    const active = [
      { team: 1, node: 'pve1' },
      { team: 2, node: 'pve1' },
      { team: 2, node: 'pve2' },
    ];
    const free = freeSlots(offer, active, 3);
    expect(free.get(1)!.map((s) => s.node)).toEqual(['pve2', 'qdevice']);
    expect(free.get(2)!.map((s) => s.node)).toEqual(['qdevice']);
    expect(emptiestTeam(free)).toBe(3);
    expect(emptiestTeam(freeSlots(offer, [...active, { team: 3, node: 'pve1' }], 3))).toBe(1);
    const full = allTeams(100).flatMap((team) => offer.map((o) => ({ team, node: o.node })));
    expect(emptiestTeam(freeSlots(offer, full, 100))).toBeNull();
  });
});

/** A real team: the isolation scenario on autopilot, pve3 powered off, some ticks later. */
function snapshotAfterPowerLoss(ticks: number): RoomSnapshot {
  const scenario = getScenario('three-node-isolation')!;
  const sim = createCluster(buildClusterConfig(scenario, { timing: 'course', voteMode: 'auto' }), 'summary-test');
  step(sim, { type: 'fault', at: sim.now, fault: { kind: 'power', node: 'pve3', action: 'off' } });
  const events = [];
  for (let i = 0; i < ticks; i++) events.push(...step(sim, { type: 'tick', at: sim.now + sim.config.timing.tickMs }).events);
  return { team: 4, status: 'running', ...teacherSnapshot(sim), upcoming: [], presence: { pve1: { online: false, agoMs: 3000 } }, score: teamScore(events, sim, scenario), checkpoint: null };
}

describe('summarize', () => {
  it('tells a team at a glance from its snapshot', () => {
    const snap = snapshotAfterPowerLoss(20);
    const s = summarize(snap);
    expect(s).toMatchObject({ team: 4, status: 'running', nodes: 3, nodesOn: 2, down: ['pve3'], quorum: 'quorate', noQuorum: [], splitBrain: 0, votesOpen: 0 });
    expect(s.score).toBe(snap.score.total);
    expect(s.presence.pve1).toEqual({ online: false, agoMs: 3000 });
    // A few hundred bytes, where the snapshot is several times larger.
    expect(JSON.stringify(s).length).toBeLessThan(JSON.stringify(snap).length / 3);
  });

  it('keys on what the grid shows, not on the clock or presence ages', () => {
    const s = summarize(snapshotAfterPowerLoss(20));
    expect(summaryKey({ ...s, now: s.now + 5000, presence: { pve1: { online: false, agoMs: 9000 } } })).toBe(summaryKey(s));
    expect(summaryKey({ ...s, presence: { pve1: { online: true, agoMs: 0 } } })).not.toBe(summaryKey(s));
    expect(summaryKey({ ...s, score: s.score - 1 })).not.toBe(summaryKey(s));
  });

  it('reads partial quorum from the partitions', () => {
    const snap = snapshotAfterPowerLoss(1);
    const split: RoomSnapshot = {
      ...snap,
      partitions: [
        { members: ['pve1'], quorate: false, votes: 1, expected: 3, quorum: 2, qdevice: false },
        { members: ['pve2', 'pve3'], quorate: true, votes: 2, expected: 3, quorum: 2, qdevice: false },
      ],
    };
    expect(summarize(split)).toMatchObject({ quorum: 'partial', noQuorum: ['pve1'] });
    expect(summarize({ ...split, partitions: [split.partitions[0]!] }).quorum).toBe('none');
  });
});

describe('SummaryPush', () => {
  const base = summarize(snapshotAfterPowerLoss(20));

  it('rebuilds on a new mark or after the refresh period, and sends only what changed', async () => {
    const sent: TeamSummary[] = [];
    let builds = 0;
    const push = new SummaryPush(async (s) => void sent.push(s), 0);
    const build = (s: TeamSummary) => () => (builds++, s);
    push.update(build(base), 'm1', 0);
    await push.settled();
    expect(sent).toHaveLength(1);
    // A quiet tick: same mark, inside the refresh period: nothing is even built.
    push.update(build({ ...base, score: 1 }), 'm1', SUMMARY_REFRESH_MS - 1);
    expect(builds).toBe(1);
    // The period is over: rebuilt, and sent because the score moved.
    push.update(build({ ...base, score: 1 }), 'm1', SUMMARY_REFRESH_MS);
    await push.settled();
    expect(builds).toBe(2);
    expect(sent.map((s) => s.score)).toEqual([base.score, 1]);
    // A new mark with the same summary: built, not sent.
    push.update(build({ ...base, score: 1, now: base.now + 1000 }), 'm2', SUMMARY_REFRESH_MS + 1);
    await push.settled();
    expect(builds).toBe(3);
    expect(sent).toHaveLength(2);
  });

  it('sends one at a time, the newest winning, and sends again after a failure', async () => {
    const sent: number[] = [];
    let release: () => void = () => {};
    let fail = false;
    const push = new SummaryPush(async (s) => {
      if (fail) throw new Error('lab unreachable');
      await new Promise<void>((r) => (release = r));
      sent.push(s.score);
    }, 0);
    push.update(() => ({ ...base, score: 1 }), 'a', 0);
    push.update(() => ({ ...base, score: 2 }), 'b', 1);
    push.update(() => ({ ...base, score: 3 }), 'c', 2);
    await tick();
    release();
    await tick();
    release();
    await push.settled();
    expect(sent).toEqual([1, 3]);
    fail = true;
    push.update(() => ({ ...base, score: 4 }), 'd', 3);
    await push.settled();
    fail = false;
    push.update(() => ({ ...base, score: 4 }), 'e', 4);
    await tick();
    release();
    await push.settled();
    expect(sent).toEqual([1, 3, 4]);
  });

  it('sends at most one summary per gap: the changes of a burst go out as the newest one', async () => {
    const sent: number[] = [];
    let clock = 0;
    const sleeps: number[] = [];
    let wake: () => void = () => {};
    const push = new SummaryPush(
      async (s) => void sent.push(s.score),
      SUMMARY_MIN_GAP_MS,
      () => clock,
      (ms) => {
        sleeps.push(ms);
        return new Promise<void>((r) => (wake = () => ((clock += ms), r())));
      },
    );
    push.update(() => ({ ...base, score: 1 }), 'a', 0);
    await push.settled();
    expect(sent).toEqual([1]); // the first goes at once
    // Five sockets reconnect within 300 ms, more change while the push waits: one call, the newest.
    for (let i = 2; i <= 8; i++) {
      if (i <= 6) clock += 60;
      push.update(() => ({ ...base, score: i }), `m${i}`, clock);
      await tick();
    }
    expect(sent).toEqual([1]);
    expect(sleeps).toEqual([SUMMARY_MIN_GAP_MS - 60]);
    wake();
    await push.settled();
    expect(sent).toEqual([1, 8]);
  });
});
