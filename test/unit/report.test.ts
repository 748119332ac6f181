import { describe, expect, it } from 'vitest';
import { buildReport, buildReplay, csvCell, csvRow, CSV_COLUMNS, esc, html, renderCsv, renderLabHtml, renderStudentHtml, STUDENT_WEIGHTS } from '../../src/reports';
import type { EventRowIn, ReportInput, SeatRowIn } from '../../src/reports';
import { getScenario } from '../../src/sim/scenarios';
import type { SimEvent, SimEventBody } from '../../src/sim/types';

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

/** RFC 4180 reader for the checks below. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
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
    // The presence line links to the event after which Bruno went unheard.
    const presence = bruno.lines.find((l) => l.kind === 'presence')!;
    expect(presence.points).toBe(8);
    expect(presence.seq).toBe(3);
    expect(presence.concept).toBe('heartbeat');
  });

  it('counts votes against the quorum of the voter’s partition and commands per node', () => {
    const r = buildReport(input());
    const alice = r.students.find((s) => s.name === 'Alice')!;
    const bruno = r.students.find((s) => s.name === 'Bruno')!;
    expect(bruno.participation.votes).toMatchObject({ cast: 1, right: 1, wrong: 0 });
    expect(bruno.participation.votes.list[0]).toMatchObject({ voteId: 3, target: 'pve1', yes: true, quorate: true, right: true });
    expect(alice.participation.votes).toMatchObject({ cast: 1, right: 0, wrong: 1 });
    expect(bruno.participation.commands).toMatchObject({ total: 3, ok: 2, failed: 1, distinct: ['pvecm status', 'ha-manager status'] });
    expect(alice.participation.commands).toMatchObject({ total: 1, ok: 1 });
  });

  it('lists mistakes with their event, concept and a bilingual explanation', () => {
    const r = buildReport(input());
    const alice = r.students.find((s) => s.name === 'Alice')!;
    const forced = alice.mistakes.find((m) => m.concept === 'expected-votes')!;
    expect(forced.seq).toBe(18);
    expect(forced.points).toBe(STUDENT_WEIGHTS.forcedExpectedInMinority);
    expect(forced.text.fr).toContain('pvecm expected 1');
    expect(forced.explain.fr.length).toBeGreaterThan(10);
    expect(forced.explain.en.length).toBeGreaterThan(10);
    const vote = alice.mistakes.find((m) => m.concept === 'fencing')!;
    expect(vote).toMatchObject({ seq: 16, points: STUDENT_WEIGHTS.wrongVote });
    // A forced `pvecm expected` earns no "command used" point.
    expect(alice.lines.filter((l) => l.kind === 'commands')).toEqual([]);
    expect(r.students.find((s) => s.name === 'Bruno')!.mistakes).toEqual([]);
    expect(r.concepts['expected-votes']).toEqual({ fr: 'Votes attendus (pvecm expected)', en: 'Expected votes (pvecm expected)' });
  });

  it('scores the team from the log (teamScore on the rebuilt final state), with incidents, objectives and a timeline', () => {
    const r = buildReport(input());
    const team = r.teams[0]!;
    // objectives met: pve2-status 10, running-101 10, running-102 10, all-quorate-at-end 10;
    // availability 50; split-brain −20; forced expected −5; votes +2 −2 −2.
    expect(team.score.total).toBe(63);
    expect(team.score.storedTotal).toBe(63);
    expect(team.score.lines.every((l) => l.text.fr && l.text.en)).toBe(true);
    expect(team.score.lines.every((l) => !!l.concept && !!l.explain.fr && !!l.explain.en)).toBe(true);
    expect(team.score.lines.filter((l) => l.kind === 'safety' || l.kind === 'decision').every((l) => typeof l.seq === 'number')).toBe(true);
    expect(team.incidents).toEqual([
      { id: 1, kind: 'two-quorate', cause: 'pvecm expected 1 on pve1 at t=75 s', startSeq: 20, startAt: 75_000, endSeq: 27, endAt: 92_000, durationMs: 17_000, open: false },
    ]);
    const byId = Object.fromEntries(team.objectives.map((o) => [o.id, o]));
    expect(byId['pve2-status']).toMatchObject({ met: true, evidenceSeq: 7 });
    expect(byId['no-forced-expected']).toMatchObject({ met: false, evidenceSeq: 17 });
    expect(byId['no-split-brain']).toMatchObject({ met: false, evidenceSeq: 20 });
    expect(byId['recovered-101']).toMatchObject({ met: false });
    expect(team.timeline.some((e) => e.type === 'split-brain-started')).toBe(true);
    expect(team.timeline.some((e) => e.type === 'command')).toBe(false);
    // Each student: the team result plus their own lines.
    const alice = r.students.find((s) => s.name === 'Alice')!;
    const bruno = r.students.find((s) => s.name === 'Bruno')!;
    expect(alice.score).toBe(63 + 10 - 10 - 2);
    expect(bruno.score).toBe(63 + 8 + 2 + 2);
    expect(r.skippedEvents).toBe(1);
    expect(r.partial).toBe(false);
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
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+33 6 12')).toBe("'+33 6 12");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell(-12.5)).toBe('-12.5'); // numbers stay numbers
    expect(csvCell(null)).toBe('');
    expect(csvRow(['a', 1, true, undefined])).toBe('a,1,true,');
  });

  it('writes one row per student with the participation figures', () => {
    const seats: SeatRowIn[] = [
      { id: 'seat-a', teamId: TEAM, nodeName: 'pve1', role: 'node', studentName: '=cmd|"/c calc"!A1', joinedAt: 1, kicked: 0 },
      { id: 'seat-b', teamId: TEAM, nodeName: 'pve2', role: 'node', studentName: 'Bruno, "le grand"', joinedAt: 2, kicked: 0 },
    ];
    const text = renderCsv(buildReport(input({}, seats)));
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.length).toBe(3);
    const col = (row: string[], name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)];
    expect(col(rows[1]!, 'student')).toBe('\'=cmd|"/c calc"!A1');
    expect(col(rows[2]!, 'student')).toBe('Bruno, "le grand"');
    expect(col(rows[2]!, 'lab_code')).toBe('K7QXM4');
    expect(col(rows[2]!, 'team_score')).toBe('63');
    expect(col(rows[2]!, 'student_score')).toBe('75');
    expect(col(rows[2]!, 'presence_pct')).toBe('80');
    expect(col(rows[2]!, 'in_membership_s')).toBe('80');
    expect(col(rows[2]!, 'absent_s')).toBe('20');
    expect(col(rows[2]!, 'lab_duration_s')).toBe('100');
    expect(col(rows[2]!, 'votes_right')).toBe('1');
    expect(col(rows[1]!, 'mistakes')).toBe('2');
    // No cell of the file begins a formula.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+@\t\r]/);
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
      expect(page).toContain('pvecm expected 1 on pve1 at t=75 s'); // the split-brain cause
      expect(page).toContain('@media print');
      // Links carry the secret, encoded then escaped.
      expect(page).toContain('secret=s%26%22%3C');
      expect(page).toContain('seat-%22x%22');
    }
    expect(renderLabHtml(r, { lang: 'fr' })).toContain('Présence');
    expect(renderLabHtml(r, { lang: 'en' })).toContain('Presence');
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
