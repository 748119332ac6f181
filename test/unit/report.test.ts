import { describe, expect, it } from 'vitest';
import { buildReport, buildReplay, csvCell, csvRow, CSV_COLUMNS, esc, html, renderCsv, renderLabHtml, renderStudentHtml } from '../../src/reports';
import type { EventRowIn, ReportInput, SeatRowIn } from '../../src/reports';
import { getScenario } from '../../src/sim/scenarios';
import type { SimEvent, SimEventBody } from '../../src/sim/types';
import { parseCsv } from '../support/csv';

// ------------------------------------------------------------ a handcrafted session
// three-node-isolation (pve1..pve3, course timing: a peer is dead after 10 s). Alice holds pve1,
// Bruno pve2, pve3 is on autopilot. Bruno's tab sleeps from 30 s to 50 s; the teacher isolates
// pve1 at 60 s; Alice forces `pvecm expected 1` at 75 s (split-brain); the network heals at 90 s.

const LAB_ID = 'lab-1';
const TEAM = 'lab-1-t1';

function log(): SimEvent[] {
  const out: SimEvent[] = [];
  const at = (t: number, body: SimEventBody) => out.push({ seq: out.length + 1, at: t, ...body } as SimEvent);
  at(30_000, { type: 'node-dead', node: 'pve2', by: ['pve1', 'pve3'] });
  at(30_000, { type: 'membership-changed', members: ['pve1', 'pve3'], ringId: 2 });
  at(30_000, { type: 'membership-changed', members: ['pve2'], ringId: 3 });
  at(30_000, { type: 'quorum-lost', node: 'pve2', votes: 1, quorum: 2 });
  at(50_000, { type: 'membership-changed', members: ['pve1', 'pve2', 'pve3'], ringId: 4 });
  at(50_000, { type: 'quorum-regained', node: 'pve2', votes: 3, quorum: 2 });
  at(55_000, { type: 'command', node: 'pve2', line: 'pvecm status', ok: true });
  at(56_000, { type: 'command', node: 'pve2', line: 'ha-manager status', ok: true });
  at(57_000, { type: 'command', node: 'pve2', line: 'frobnicate', ok: false });
  at(60_000, { type: 'fault-applied', fault: { kind: 'isolate', node: 'pve1' }, by: 'teacher' });
  at(70_000, { type: 'node-dead', node: 'pve1', by: ['pve2', 'pve3'] });
  at(70_000, { type: 'membership-changed', members: ['pve1'], ringId: 5 });
  at(70_000, { type: 'membership-changed', members: ['pve2', 'pve3'], ringId: 6 });
  at(70_000, { type: 'quorum-lost', node: 'pve1', votes: 1, quorum: 2 });
  at(72_000, { type: 'vote-opened', voteId: 2, target: 'pve3', partition: ['pve1'], deadline: 102_000, quorum: 2 });
  at(73_000, { type: 'vote-cast', voteId: 2, node: 'pve1', yes: true }); // wrong: pve1 has no quorum
  at(75_000, { type: 'expected-changed', node: 'pve1', expected: 1, reason: 'command' });
  at(75_000, { type: 'command', node: 'pve1', line: 'pvecm expected 1', ok: true });
  at(75_000, { type: 'quorum-regained', node: 'pve1', votes: 1, quorum: 1 });
  at(75_000, { type: 'split-brain-started', incident: 1, kind: 'two-quorate', cause: 'pvecm expected 1 on pve1 at t=75 s' });
  at(80_000, { type: 'vote-opened', voteId: 3, target: 'pve1', partition: ['pve2', 'pve3'], deadline: 110_000, quorum: 2 });
  at(81_000, { type: 'vote-cast', voteId: 3, node: 'pve2', yes: true }); // right
  at(81_000, { type: 'vote-cast', voteId: 3, node: 'pve3', yes: false }); // wrong (autopilot seat, no student)
  at(90_000, { type: 'fault-applied', fault: { kind: 'heal' }, by: 'teacher' });
  at(92_000, { type: 'membership-changed', members: ['pve1', 'pve2', 'pve3'], ringId: 7 });
  at(92_000, { type: 'expected-changed', node: 'pve1', expected: 3, reason: 'merge' });
  at(92_000, { type: 'split-brain-ended', incident: 1, kind: 'two-quorate', durationMs: 17_000 });
  return out;
}

const toRow = (e: SimEvent): EventRowIn => ({
  teamId: TEAM,
  seq: e.seq,
  atMs: e.at,
  type: e.type,
  node: 'node' in e && typeof e.node === 'string' ? e.node : null,
  dataJson: JSON.stringify(e),
});

function input(over: Partial<ReportInput> = {}, seats?: SeatRowIn[]): ReportInput {
  return {
    lab: {
      id: LAB_ID,
      code: 'K7QXM4',
      title: 'Labo <b>quorum</b>',
      scenarioId: 'three-node-isolation',
      status: 'ended',
      optionsJson: JSON.stringify({ scenario: 'three-node-isolation', voteMode: 'human', timing: 'course', heartbeatMode: 'auto', timeScale: 1, timeline: false }),
      createdAt: Date.UTC(2026, 2, 3, 9, 0),
      startedAt: Date.UTC(2026, 2, 3, 9, 5),
      endedAt: Date.UTC(2026, 2, 3, 9, 7),
    },
    teams: [{ id: TEAM, name: 'Équipe 1', idx: 1 }],
    seats: seats ?? [
      { id: 'seat-a', teamId: TEAM, nodeName: 'pve1', role: 'node', studentName: 'Alice', joinedAt: 1, kicked: 0 },
      { id: 'seat-b', teamId: TEAM, nodeName: 'pve2', role: 'node', studentName: 'Bruno', joinedAt: 2, kicked: 0 },
    ],
    events: [...log().map(toRow), { teamId: TEAM, seq: 999, atMs: 99_000, type: 'command', node: 'pve1', dataJson: '{not json' }],
    storedScores: [{ teamId: TEAM, seatId: null, kind: 'team', points: 63 }],
    clocks: { [TEAM]: 100_000 },
    generatedAt: Date.UTC(2026, 2, 3, 10, 0),
    ...over,
  };
}

describe('report builder', () => {
  it('measures each student’s presence in a membership from the log', () => {
    const r = buildReport(input());
    const alice = r.students.find((s) => s.name === 'Alice')!;
    const bruno = r.students.find((s) => s.name === 'Bruno')!;
    expect(r.teams[0]!.endMs).toBe(100_000);
    expect(r.teams[0]!.clock).toBe('room');
    // Bruno: in the ring 0–30 s and 50–100 s; alone 30–50 s while pve1+pve3 ran without him.
    expect(bruno.participation).toMatchObject({ durationMs: 100_000, inMembershipMs: 80_000, absentMs: 20_000, excusedMs: 0, inMembershipPct: 80, presencePct: 80 });
    // Alice: in the ring until the peers drop her (70 s), cut off 70–90 s (not held against her),
    // 2 s of grace to rejoin after the heal, back in the ring from 92 s.
    expect(alice.participation).toMatchObject({ inMembershipMs: 78_000, absentMs: 0, excusedMs: 22_000, inMembershipPct: 78, presencePct: 100 });
    // Without the room's heartbeat samples (an old log), the presence line falls back on the membership.
    const presence = bruno.lines.find((l) => l.kind === 'presence')!;
    expect(presence).toMatchObject({ part: 'participation', points: 40, concept: 'heartbeat' });
    expect(bruno.participation.heartbeats).toBeNull();
  });

  it('judges votes against the configured cluster, per seat, and lists commands', () => {
    const r = buildReport(input());
    const alice = r.students.find((s) => s.name === 'Alice')!;
    const bruno = r.students.find((s) => s.name === 'Bruno')!;
    expect(bruno.participation.votes).toMatchObject({ cast: 1, right: 1, wrong: 0 });
    expect(bruno.participation.votes.list[0]).toMatchObject({ voteId: 3, target: 'pve1', yes: true, realQuorate: true, right: true, repeat: false });
    // Alice's partition {pve1} had 1 vote of 3 when she voted: wrong, whatever quorum she forced later.
    expect(alice.participation.votes.list[0]).toMatchObject({ voteId: 2, realQuorate: false, right: false });
    expect(bruno.participation.commands).toMatchObject({ total: 3, ok: 2, failed: 1, distinct: ['pvecm status', 'ha-manager status'], relevant: ['pvecm status', 'ha-manager status'] });
    // pve3's ballot was autopilot's (no student held it): nobody's decision.
    expect(r.teams[0]!.lines.filter((l) => l.kind === 'decision').map((l) => l.text.en)).toEqual(['pve1 voted yes on fencing pve3 (wrong)', 'pve2 voted yes on fencing pve1 (right)']);
  });

  it('charges one capped penalty for the forced quorum and lists the split-brain under it', () => {
    const r = buildReport(input());
    const alice = r.students.find((s) => s.name === 'Alice')!;
    const penalties = alice.lines.filter((l) => l.kind === 'penalty');
    expect(penalties).toHaveLength(1);
    expect(penalties[0]).toMatchObject({ part: 'competence', seq: 18, points: -15, concept: 'expected-votes' });
    expect(penalties[0]!.text.fr).toContain('pvecm expected 1');
    expect(penalties[0]!.consequences!.map((c) => c.seq)).toEqual([20]);
    expect(penalties[0]!.consequences![0]!.text.fr).toBe('Split-brain (deux partitions quorate) : pvecm expected 1 sur pve1 à t=75 s.');
    expect(penalties[0]!.explain.fr.length).toBeGreaterThan(10);
    // A forced `pvecm expected` is no relevant command, and Bruno has no penalty.
    expect(alice.participation.commands.relevant).toEqual([]);
    expect(r.students.find((s) => s.name === 'Bruno')!.lines.filter((l) => l.kind === 'penalty')).toEqual([]);
    expect(r.concepts['expected-votes']).toEqual({ fr: 'Votes attendus (pvecm expected)', en: 'Expected votes (pvecm expected)' });
  });

  it('grades the team on the rubric: outcome against autopilot, competence, participation; lines tagged with their part', () => {
    const r = buildReport(input());
    const team = r.teams[0]!;
    expect(r.lab.weights).toEqual({ outcome: 40, competence: 40, participation: 20 });
    expect(r.lab.weightsAreDefault).toBe(true);
    // Outcome: the baseline's 50, availability as good as autopilot's, −25 for the split-brain it did not have.
    expect(team.lines.filter((l) => l.part === 'outcome').map((l) => [l.kind, l.points])).toEqual([
      ['baseline', 50],
      ['availability', 0],
      ['harm', -25],
    ]);
    expect(team.grade.parts.outcome).toBe(25);
    // Competence: the right vote earns 10 of 45 points (objectives autopilot misses 25 + two decisions);
    // the penalty (15 percentage points) comes off the whole grade.
    expect(team.grade.parts.competence).toBe(22.2);
    expect(team.grade.penalty).toBe(15);
    expect(team.grade).toMatchObject({ percent: expect.any(Number), outOf20: expect.any(Number) });
    expect(team.grade.outOf20).toBe(Math.round(team.grade.percent * 2) / 10);
    expect(team.grade.percent).toBeCloseTo(Math.max(0, 0.4 * 25 + 0.4 * (1000 / 45) + 0.2 * team.grade.parts.participation - 15), 1);
    expect(team.lines.every((l) => l.text.fr && l.text.en && l.explain.fr && l.explain.en)).toBe(true);
    expect(team.lines.filter((l) => l.kind === 'penalty' || l.kind === 'decision' || l.kind === 'harm').every((l) => typeof l.seq === 'number')).toBe(true);
    expect(team.storedTotal).toBe(63);
    expect(team.incidents).toEqual([
      {
        id: 1,
        kind: 'two-quorate',
        cause: 'pvecm expected 1 on pve1 at t=75 s',
        causeText: { fr: 'pvecm expected 1 sur pve1 à t=75 s', en: 'pvecm expected 1 on pve1 at t=75 s' },
        startSeq: 20,
        startAt: 75_000,
        endSeq: 27,
        endAt: 92_000,
        durationMs: 17_000,
        open: false,
      },
    ]);
    const byId = Object.fromEntries(team.objectives.map((o) => [o.id, o]));
    // `pvecm status` at 55 s came before the isolation it should observe (60–90 s): not met.
    expect(byId['pve2-status']).toMatchObject({ met: false, window: { from: 60_000, to: 90_000 }, byAutopilot: false });
    expect(byId['no-split-brain']).toMatchObject({ met: false, evidenceSeq: 20, byAutopilot: true });
    expect(byId['running-101']).toMatchObject({ met: true, byAutopilot: true });
    expect(team.timeline.some((e) => e.type === 'split-brain-started')).toBe(true);
    expect(team.timeline.some((e) => e.type === 'command')).toBe(false);
    const alice = r.students.find((s) => s.name === 'Alice')!;
    const bruno = r.students.find((s) => s.name === 'Bruno')!;
    expect(bruno.grade.percent).toBeGreaterThan(alice.grade.percent);
    expect(bruno.grade.parts.competence).toBeGreaterThan(0);
    expect(alice.grade.penalty).toBe(15);
    expect(bruno.grade.penalty).toBe(0);
    for (const s of [alice, bruno]) {
      expect(s.grade.parts.outcome).toBe(25);
      expect(s.teamGrade).toEqual(team.grade);
      expect(s.lines.every((l) => ['outcome', 'competence', 'participation'].includes(l.part))).toBe(true);
    }
    expect(r.skippedEvents).toBe(1);
    expect(r.partial).toBe(false);
  });

  it('recomputes with the teacher’s weights and says which were used', () => {
    const base = input();
    const r = buildReport({ ...base, lab: { ...base.lab, optionsJson: JSON.stringify({ voteMode: 'human', weights: { outcome: 0, competence: 0, participation: 100 } }) } });
    const team = r.teams[0]!;
    expect(r.lab.weightsAreDefault).toBe(false);
    expect(team.grade.weights).toEqual({ outcome: 0, competence: 0, participation: 100 });
    expect(team.grade.percent).toBe(Math.round((team.grade.parts.participation - team.grade.penalty) * 10) / 10);
    // Invalid weights fall back to the defaults.
    const bad = buildReport({ ...base, lab: { ...base.lab, optionsJson: JSON.stringify({ weights: { outcome: -1, competence: 0, participation: 0 } }) } });
    expect(bad.lab.weights).toEqual({ outcome: 40, competence: 40, participation: 20 });
    expect(renderLabHtml(r, { lang: 'fr' })).toContain('choisie par l’enseignant');
  });

  it('follows seats through seat events: a ballot belongs to whoever held the node then', () => {
    const base = input();
    // Bruno holds pve2 until 80 s (before the vote at 81 s); Chloé takes it then, just before the vote opens.
    const seatRows = [
      { type: 'seat-taken', node: 'pve1', seatId: 'seat-a', seq: 100, at: 0 },
      { type: 'seat-taken', node: 'pve2', seatId: 'seat-b', seq: 101, at: 0 },
      { type: 'seat-left', node: 'pve2', seatId: 'seat-b', reason: 'kicked', seq: 102, at: 80_000 },
      { type: 'seat-taken', node: 'pve2', seatId: 'seat-c', seq: 103, at: 80_000 },
      { type: 'presence', node: 'pve2', seatId: 'seat-b', heard: 3, ticks: 4, seq: 104, at: 80_000 },
    ];
    // Seat events interleave with the engine's by seq: renumber so they sit at their times.
    const events = log();
    const merged = [...events.map((e) => ({ e, key: e.seq })), ...seatRows.map((e) => ({ e, key: e.at === 0 ? 0.5 : 20.5 }))].sort((a, b) => a.key - b.key);
    const rows = merged.map(({ e }, i) => ({ teamId: TEAM, seq: i + 1, atMs: e.at, type: e.type, node: (e as { node?: string }).node ?? null, dataJson: JSON.stringify({ ...e, seq: i + 1 }) }));
    const seats: SeatRowIn[] = [
      { id: 'seat-a', teamId: TEAM, nodeName: 'pve1', role: 'node', studentName: 'Alice', joinedAt: 1, kicked: 0 },
      { id: 'seat-b', teamId: TEAM, nodeName: 'pve2', role: 'node', studentName: 'Bruno', joinedAt: 2, kicked: 1 },
      { id: 'seat-c', teamId: TEAM, nodeName: 'pve2', role: 'node', studentName: 'Chloé', joinedAt: 3, kicked: 0 },
    ];
    const r = buildReport({ ...base, seats, events: rows });
    const bruno = r.students.find((s) => s.name === 'Bruno')!;
    const chloe = r.students.find((s) => s.name === 'Chloé')!;
    expect(chloe.participation.votes.list.map((v) => v.target)).toEqual(['pve1']);
    expect(bruno.participation.votes.list).toEqual([]);
    expect(bruno.participation.commands.total).toBe(3); // typed at 55–57 s, while he held pve2
    expect(chloe.participation.commands.total).toBe(0);
    expect(bruno.participation.heldMs).toBe(80_000);
    expect(chloe.participation.heldMs).toBe(20_000);
    // Presence counts the heartbeats the room received: 3 of 4 ticks.
    expect(bruno.participation.heartbeats).toEqual({ heard: 3, ticks: 4, pct: 75 });
    expect(chloe.participation.heartbeats).toBeNull();
  });

  it('runs to the last event without a room clock, and says a running lab’s report is partial', () => {
    const base = input();
    const r = buildReport({ ...base, clocks: {}, lab: { ...base.lab, status: 'running', endedAt: null } });
    expect(r.teams[0]!.endMs).toBe(92_000);
    expect(r.teams[0]!.clock).toBe('log');
    expect(r.partial).toBe(true);
    expect(r.notes[0]!.en).toMatch(/Partial report/);
  });

  it('orders the replay across teams and tags each event with its team index', () => {
    const base = input();
    const other = 'lab-1-t2';
    const rows = [
      ...base.events,
      { teamId: other, seq: 1, atMs: 10_000, type: 'fault-applied', node: null, dataJson: JSON.stringify({ seq: 1, at: 10_000, type: 'fault-applied', fault: { kind: 'heal' } }) },
    ];
    const replay = buildReplay(base.lab, [...base.teams, { id: other, name: 'Équipe 2', idx: 2 }], base.seats, [...rows, rows[0]!]);
    expect(replay.events[0]).toMatchObject({ team: 2, seq: 1, at: 10_000 });
    expect(replay.events.filter((e) => e.team === 1).length).toBe(log().length);
    const ats = replay.events.map((e) => e.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(replay.teams.map((t) => t.events)).toEqual([log().length, 1]);
  });
});

describe('CSV renderer', () => {
  it('quotes per RFC 4180 and guards against formula injection', () => {
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;b', 'fr')).toBe('"a;b"');
    expect(csvCell(102.5, 'fr')).toBe('102,5');
    expect(csvCell(102.5, 'en')).toBe('102.5');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+33 6 12')).toBe(`"'+33 6 12"`);
    expect(csvCell('-cmd')).toBe(`"'-cmd"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('\t=1')).toBe(`"'\t=1"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell(-12.5)).toBe(`"'-12.5"`); // the guard covers every cell; grades are never negative
    expect(csvCell(null)).toBe('');
    expect(csvRow(['a', 1.5, true, undefined], 'fr')).toBe('"a";1,5;"true";');
  });


  it('writes one row per student with grades, in both dialects, parsed back into the same cells', () => {
    const hostile = ['x;=1+2;y', 'Bruno, "le grand"\nsecond line', '-2+3', '@SUM(A1)', '\t=1'];
    const seats: SeatRowIn[] = hostile.map((name, i) => ({ id: `seat-${i}`, teamId: TEAM, nodeName: `pve${(i % 3) + 1}`, role: 'node', studentName: name, joinedAt: i, kicked: 0 }));
    const r = buildReport(input({}, seats));
    const en = renderCsv(r, 'en');
    const fr = renderCsv(r, 'fr');
    for (const [text, sep] of [[en, ','], [fr, ';']] as const) {
      expect(text.startsWith('\uFEFF')).toBe(true);
      expect(text.endsWith('\r\n')).toBe(true);
      const rows = parseCsv(text.slice(1), sep);
      expect(rows[0]).toEqual([...CSV_COLUMNS]);
      expect(rows.length).toBe(1 + hostile.length);
      expect(rows.every((row) => row.length === CSV_COLUMNS.length)).toBe(true);
      const col = (row: string[], name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)]!;
      // Each hostile name is one cell, formula-guarded, otherwise intact.
      expect(rows.slice(1).map((row) => col(row, 'student'))).toEqual(["x;=1+2;y", 'Bruno, "le grand"\nsecond line', "'-2+3", "'@SUM(A1)", "'\t=1"]);
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    const rowsEn = parseCsv(en.slice(1), ',');
    const rowsFr = parseCsv(fr.slice(1), ';');
    const c = (rows: string[][], name: (typeof CSV_COLUMNS)[number]) => rows[1]![CSV_COLUMNS.indexOf(name)]!;
    const st = r.students[0]!;
    expect(c(rowsEn, 'grade_20')).toBe(String(st.grade.outOf20));
    expect(c(rowsFr, 'grade_20')).toBe(String(st.grade.outOf20).replace('.', ','));
    expect(c(rowsEn, 'lab_code')).toBe('K7QXM4');
    expect(c(rowsEn, 'weights')).toBe('outcome=40 competence=40 participation=20');
    // Same cells in both dialects, numbers aside.
    expect(rowsFr.map((row) => row.map((x) => x.replace(/^(\d+),(\d+)$/, '$1.$2')))).toEqual(rowsEn);
    // Every text cell is quoted in the file itself.
    expect(fr.split('\r\n')[1]).toMatch(/^"K7QXM4";1;"Équipe 1";"x;=1\+2;y";/);
  });
});

describe('HTML renderer', () => {
  const hostile = '<script>alert(1)</script>';

  it('escapes through one helper, and the template tag escapes every interpolation', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html`<p title="${'" onmouseover="x'}">${hostile}</p>`.value).toBe('<p title="&quot; onmouseover=&quot;x">&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(html`<ul>${['<i>', html`<li>ok</li>`]}</ul>`.value).toBe('<ul>&lt;i&gt;<li>ok</li></ul>');
  });

  it('prints a hostile student name as text, in French and English', () => {
    const seats: SeatRowIn[] = [
      { id: 'seat-"x"', teamId: TEAM, nodeName: 'pve1', role: 'node', studentName: hostile, joinedAt: 1, kicked: 0 },
      { id: 'seat-b', teamId: TEAM, nodeName: 'pve2', role: 'node', studentName: 'Bruno', joinedAt: 2, kicked: 0 },
    ];
    const r = buildReport(input({ teams: [{ id: TEAM, name: '<img src=x onerror=alert(2)>', idx: 1 }] }, seats));
    for (const lang of ['fr', 'en'] as const) {
      const page = renderLabHtml(r, { lang, linkQuery: { secret: 's&"<' } });
      expect(page).not.toContain('<script>');
      expect(page).not.toContain('<img');
      expect(page).not.toContain('<b>quorum</b>');
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page).toContain(`<html lang="${lang}">`);
      expect(page).toContain(lang === 'fr' ? 'pvecm expected 1 sur pve1 à t=75 s' : 'pvecm expected 1 on pve1 at t=75 s'); // the split-brain cause, in the page's language
      expect(page).toContain('@media print');
      // Links carry the secret, encoded then escaped.
      expect(page).toContain('secret=s%26%22%3C');
      expect(page).toContain('seat-%22x%22');
    }
    const fr = renderLabHtml(r, { lang: 'fr' });
    const en = renderLabHtml(r, { lang: 'en' });
    for (const w of ['Résultat', 'Compétence', 'Participation', 'Pondération', '/ 20']) expect(fr).toContain(w);
    for (const w of ['Outcome', 'Competence', 'Participation', 'Weights', '/ 20']) expect(en).toContain(w);
    // No English cause or objective title in the French page; numbers with a decimal comma.
    expect(fr).not.toContain(' on pve1 at t=');
    expect(fr).not.toContain('two-quorate');
    expect(fr).toContain('deux partitions quorate');
    expect(fr).not.toContain('From pve2, see the loss of quorum');
    expect(fr).toContain('Depuis pve2, constater la perte de quorum');
    const frac = r.teams[0]!.grade.outOf20;
    if (!Number.isInteger(frac)) {
      expect(fr).toContain(String(frac).replace('.', ','));
      expect(en).toContain(String(frac));
    }
    const one = renderStudentHtml(r, 'seat-"x"', { lang: 'en' })!;
    expect(one).not.toContain('<script>');
    expect(one).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(one).toContain('Expected votes (pvecm expected)');
    expect(renderStudentHtml(r, 'nobody', { lang: 'fr' })).toBeNull();
  });
});

describe('scenario used by these tests', () => {
  it('is the isolation preset with the objectives counted above', () => {
    const sc = getScenario('three-node-isolation')!;
    expect(sc.objectives.map((o) => o.id)).toEqual(['pve2-status', 'no-forced-expected', 'no-split-brain', 'recovered-101', 'running-101', 'running-102', 'all-quorate-at-end']);
  });
});
