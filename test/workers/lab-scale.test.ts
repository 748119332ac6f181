// One lab of 60 teams (a 180-student lecture in teams of 3): the LabObject fans teacher commands
// out to 60 ClusterObjects, and the leaderboard and the dashboard's grid read the summaries the
// teams push, not 60 snapshots. Timings are printed for docs/performance.md ("Lab fan-out").
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { MAX_TEAMS } from '../../src/protocol/limits';
import { call, clusterStub, createLab, simState, teacher, ticks, type Lab } from './helpers';

const TEAMS = 60;
const teams = Array.from({ length: TEAMS }, (_, i) => i + 1);

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  console.log(`[lab-scale] ${what}: ${Math.round(performance.now() - t0)} ms`);
  return r;
}

const summaries = (lab: Lab, after = 0) => call(`/api/labs/${lab.code}/teacher/summaries?after=${after}`, { bearer: lab.secret });

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe(`a lab of ${TEAMS} teams`, () => {
  it('starts every team, faults all of them at once, and ranks them from cached summaries', async () => {
    const lab = await timed(`create a lab of ${TEAMS} teams`, () => createLab({ scenario: 'three-node-isolation', teams: TEAMS, timeline: false }));
    expect((await call(`/api/labs/${lab.code}`)).body.teams).toHaveLength(TEAMS);

    // The grid's first read: every team, even those that never pushed anything yet.
    const first = await timed(`first summaries (read from ${TEAMS} clusters)`, () => summaries(lab));
    expect(first.status).toBe(200);
    expect(first.body.teams.map((s: { team: number }) => s.team)).toEqual(teams);
    expect(first.body.teams.every((s: { status: string; quorum: string }) => s.status === 'lobby' && s.quorum === 'quorate')).toBe(true);
    const again = await timed('summaries again (cached)', () => summaries(lab, first.body.version));
    expect(again.body.teams).toEqual([]);

    expect((await timed(`start ${TEAMS} teams`, () => teacher(lab, 'start'))).status).toBe(200);
    const states = await Promise.all(teams.map((t) => simState(lab, t)));
    expect(states.map((s) => s.meta!.status)).toEqual(teams.map(() => 'running'));
    expect(states.every((s) => s.deadlines.tick !== undefined)).toBe(true);

    // One fault to every team: each cluster logs it once.
    const f = await timed(`power off pve2 on ${TEAMS} teams`, () => teacher(lab, 'faults', { fault: { kind: 'power', node: 'pve2', action: 'off' } }));
    expect(f.status).toBe(200);
    expect(f.body.teams).toEqual(teams);
    const logs = await Promise.all(teams.map((t) => clusterStub(lab, t).getEvents(0)));
    for (const log of logs) expect(log.filter((e) => e.type === 'fault-applied' && (e as { fault?: { node?: string } }).fault?.node === 'pve2')).toHaveLength(1);

    // Each team pushed its new summary to the lab: the grid's next poll gets all 60, pve2 down.
    const changed = await until(
      'every team to report pve2 down',
      () => summaries(lab, first.body.version),
      (r) => r.body.teams.length === TEAMS && r.body.teams.every((s: { down: string[] }) => s.down.includes('pve2')),
    );
    expect(changed.body.version).toBeGreaterThan(first.body.version);

    // A refused fault (unknown node) changes no team.
    const bad = await teacher(lab, 'faults', { fault: { kind: 'isolate', node: 'pve9' } });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'unknown_node']);

    // Team 7 alone loses a second node: only team 7 changes after the last version.
    expect((await teacher(lab, 'faults', { team: 7, fault: { kind: 'power', node: 'pve3', action: 'off' } })).status).toBe(200);
    await ticks(lab, 1, [], 7);
    const seven = await until('team 7 alone to change', () => summaries(lab, changed.body.version), (r) => r.body.teams.some((s: { down: string[] }) => s.down.length === 2));
    expect(seven.body.teams.map((s: { team: number }) => s.team)).toEqual([7]);
    expect(seven.body.teams[0]).toMatchObject({ team: 7, nodesOn: 1, down: ['pve2', 'pve3'] });

    const board = await timed(`leaderboard of ${TEAMS} teams`, () => call(`/api/labs/${lab.code}/teacher/leaderboard`, { bearer: lab.secret }));
    expect(board.body.teams).toHaveLength(TEAMS);
    expect(board.body.teams.map((r: { team: number }) => r.team).sort((a: number, b: number) => a - b)).toEqual(teams);
    const totals = board.body.teams.map((r: { total: number }) => r.total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));

    // The end reads every team's final score afresh and stores one row per team.
    expect((await timed(`end ${TEAMS} teams`, () => teacher(lab, 'end'))).status).toBe(200);
    const stored = await env.DB.prepare(`SELECT COUNT(*) AS n FROM scores WHERE lab_id = ? AND kind = 'team'`).bind(lab.labId).first<{ n: number }>();
    expect(stored?.n).toBe(TEAMS);
    const ended = await summaries(lab);
    expect(ended.body.teams.every((s: { status: string }) => s.status === 'ended')).toBe(true);
  }, 120_000);

  it(`accepts up to ${MAX_TEAMS} teams and refuses more`, async () => {
    const over = await call('/api/labs', { json: { scenario: 'three-node-isolation', teams: MAX_TEAMS + 1 }, bearer: 'test-teacher-key' });
    expect(over.status).toBe(400);
    expect(MAX_TEAMS).toBeGreaterThanOrEqual(100);
  });
});
