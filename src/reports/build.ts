// Builds a graded lab report from stored rows (lab, teams, seats, events). Pure: the API loads the
// rows (src/api/reports.ts), this turns them into a LabReport, renderers print it.
import { teamScore, type ScoreLine } from '../scoring/score';
import { checkObjectives } from '../sim/objectives';
import { CONCEPTS, getScenario } from '../sim/scenarios';
import type { I18nText, Scenario, SimEvent, TimingProfileName, VoteMode } from '../sim/types';
import { foldLog, initialState, type LogFold } from './derive';
import type {
  CommandRecord,
  EventRowIn,
  IncidentReport,
  LabReport,
  ObjectiveReport,
  Participation,
  ReportInput,
  ReportLine,
  SeatRowIn,
  StudentReport,
  TeamReport,
  TimelineEntry,
  VoteRecord,
} from './types';
import { EXPLAIN, LIMITATIONS, TIMELINE_TYPES, commandConcept, commandKey, describeEvent, eventConcept, fmtSim, objectiveConcept } from './wording';

/** Points of a student's own lines, added to their team's result. */
export const STUDENT_WEIGHTS = {
  /** at 100 % presence */
  presence: 10,
  commandEach: 1,
  commandsMax: 5,
  rightVote: 2,
  wrongVote: -2,
  forcedExpectedInMinority: -10,
  qdeviceRight: 1,
  qdeviceWrong: -2,
};

export const TIMELINE_MAX = 300;
export const COMMANDS_LISTED_MAX = 200;

export class ReportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const t = (fr: string, en: string): I18nText => ({ fr, en });
const round1 = (x: number) => Math.round(x * 10) / 10;

interface LabOptions {
  voteMode: VoteMode;
  heartbeatMode: string;
  timing: TimingProfileName;
  timeScale: number;
}

function parseOptions(json: string): LabOptions {
  let o: Record<string, unknown> = {};
  try {
    const v = JSON.parse(json) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) o = v as Record<string, unknown>;
  } catch {
    /* defaults below */
  }
  return {
    voteMode: o.voteMode === 'human' ? 'human' : 'auto',
    heartbeatMode: o.heartbeatMode === 'pulse' ? 'pulse' : 'auto',
    timing: o.timing === 'real' ? 'real' : 'course',
    timeScale: typeof o.timeScale === 'number' && Number.isFinite(o.timeScale) ? o.timeScale : 1,
  };
}

/** data_json back into a SimEvent; the row's own seq and time win. Null when unreadable. */
export function parseEventRow(row: EventRowIn): SimEvent | null {
  try {
    const v = JSON.parse(row.dataJson) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    const e = v as Record<string, unknown>;
    if (typeof e.type !== 'string' || e.type !== row.type) return null;
    return { ...(e as unknown as SimEvent), seq: row.seq, at: row.atMs };
  } catch {
    return null;
  }
}

export function buildReport(input: ReportInput): LabReport {
  const scenario = getScenario(input.lab.scenarioId);
  if (!scenario) throw new ReportError('unknown_scenario', `no scenario "${input.lab.scenarioId}"`);
  const options = parseOptions(input.lab.optionsJson);
  let skipped = 0;
  const byTeam = new Map<string, Map<number, SimEvent>>();
  for (const row of input.events) {
    const e = parseEventRow(row);
    if (!e) {
      skipped++;
      continue;
    }
    let m = byTeam.get(row.teamId);
    if (!m) byTeam.set(row.teamId, (m = new Map()));
    m.set(e.seq, e); // a row read twice (D1 and the room's tail) counts once
  }
  const used = new Set<string>();
  const teams: TeamReport[] = [];
  const students: StudentReport[] = [];
  for (const team of [...input.teams].sort((a, b) => a.idx - b.idx)) {
    const events = [...(byTeam.get(team.id)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
    const lastAt = events.at(-1)?.at ?? 0;
    const roomClock = input.clocks?.[team.id];
    const endMs = Math.max(lastAt, roomClock ?? 0);
    const fold = foldLog(initialState(scenario, options.timing, options.voteMode), events, endMs, { humanVotes: options.voteMode === 'human' });
    const bySeq = new Map(events.map((e) => [e.seq, e]));
    const score = teamScore(events, fold.final, scenario);
    const lines = score.lines.map((l) => teamLine(l, scenario, bySeq, fold, events));
    for (const l of lines) if (l.concept) used.add(l.concept);
    const stored = input.storedScores?.find((s) => s.teamId === team.id && s.seatId === null && s.kind === 'team');
    const objectives = objectivesOf(scenario, events, fold);
    for (const o of objectives) used.add(o.concept);
    const timelineAll = events.filter((e) => TIMELINE_TYPES.has(e.type));
    const seats = input.seats.filter((s) => s.teamId === team.id).sort((a, b) => a.joinedAt - b.joinedAt || a.id.localeCompare(b.id));
    const teamReport: TeamReport = {
      index: team.idx,
      id: team.id,
      name: team.name,
      endMs,
      clock: roomClock !== undefined ? 'room' : 'log',
      eventCount: events.length,
      score: { total: score.total, availability: score.availability, storedTotal: stored ? stored.points : null, lines },
      incidents: fold.incidents.map(
        (i): IncidentReport => ({
          id: i.id,
          kind: i.kind,
          cause: i.cause,
          startSeq: i.startSeq,
          startAt: i.startedAt,
          endSeq: i.endSeq,
          endAt: i.endedAt,
          durationMs: (i.endedAt ?? endMs) - i.startedAt,
          open: i.endedAt === null,
        }),
      ),
      objectives,
      timeline: timelineAll.slice(0, TIMELINE_MAX).map(
        (e): TimelineEntry => ({
          seq: e.seq,
          at: e.at,
          type: e.type,
          node: 'node' in e && typeof e.node === 'string' ? e.node : null,
          text: describeEvent(e),
          ...(eventConcept(e.type) ? { concept: eventConcept(e.type)! } : {}),
        }),
      ),
      timelineTruncated: timelineAll.length > TIMELINE_MAX,
      seatIds: seats.map((s) => s.id),
    };
    if (teamReport.incidents.length) used.add('split-brain');
    teams.push(teamReport);
    for (const seat of seats) {
      const st = studentReport(seat, teamReport, events, fold);
      for (const l of [...st.lines, ...st.mistakes]) if (l.concept) used.add(l.concept);
      students.push(st);
    }
  }
  const notes = [...(input.notes ?? [])];
  const partial = input.lab.status !== 'ended';
  if (partial)
    notes.unshift(
      t(
        `Rapport partiel : le labo n’est pas terminé (état : ${input.lab.status}). Les chiffres s’arrêtent au dernier événement connu.`,
        `Partial report: the lab has not ended (status: ${input.lab.status}). Figures stop at the last known event.`,
      ),
    );
  if (skipped) notes.push(t(`${skipped} événement(s) illisible(s) ignoré(s).`, `${skipped} unreadable event(s) skipped.`));
  return {
    v: 1,
    generatedAt: input.generatedAt,
    partial,
    lab: {
      code: input.lab.code,
      title: input.lab.title,
      status: input.lab.status,
      scenario: { id: scenario.id, title: scenario.title },
      options: { voteMode: options.voteMode, heartbeatMode: options.heartbeatMode, timing: options.timing, timeScale: options.timeScale },
      createdAt: input.lab.createdAt,
      startedAt: input.lab.startedAt,
      endedAt: input.lab.endedAt,
    },
    concepts: Object.fromEntries([...used].filter((k) => CONCEPTS[k]).sort().map((k) => [k, CONCEPTS[k]!])),
    teams,
    students,
    notes,
    limitations: LIMITATIONS,
    skippedEvents: skipped,
  };
}

// ------------------------------------------------------------ team

/** A line of teamScore with its bilingual wording, its concept and the event it rests on. */
function teamLine(l: ScoreLine, scenario: Scenario, bySeq: Map<number, SimEvent>, fold: LogFold, events: SimEvent[]): ReportLine {
  const e = l.seq !== undefined ? bySeq.get(l.seq) : undefined;
  const base = { points: l.points, ...(l.seq !== undefined ? { seq: l.seq } : {}), ...(e ? { at: e.at } : {}) };
  switch (l.kind) {
    case 'objective': {
      const o = scenario.objectives.find((x) => x.title.en === l.reason);
      return {
        kind: 'objective',
        ...base,
        text: o ? t(`Objectif atteint : ${o.title.fr}`, `Objective met: ${o.title.en}`) : t(l.reason, l.reason),
        explain: EXPLAIN.objective,
        concept: o ? objectiveConcept(o.check) : 'quorum',
      };
    }
    case 'availability': {
      const pct = (Number.parseFloat(/([\d.]+) %/.exec(l.reason)?.[1] ?? '') || 0).toFixed(1);
      return { kind: 'availability', ...base, text: t(`VM HA disponibles ${pct} % du temps`, `HA VMs available ${pct} % of the time`), explain: EXPLAIN.availability, concept: 'ha' };
    }
    case 'decision':
      if (e?.type === 'vote-cast') {
        const v = fold.votes.find((x) => x.seq === e.seq);
        return { kind: 'decision', ...base, text: voteText(e.node, e.yes, v?.target ?? '?', l.points > 0), explain: EXPLAIN.vote, concept: 'quorum' };
      }
      break;
    case 'safety':
      if (e?.type === 'split-brain-started')
        return { kind: 'safety', ...base, text: t(`Split-brain (${e.kind}) : ${e.cause}`, `Split-brain (${e.kind}): ${e.cause}`), explain: EXPLAIN.splitBrain, concept: 'split-brain' };
      if (e?.type === 'expected-changed') {
        const forced = fold.forcedExpected.find((f) => f.seq > e.seq && f.at === e.at);
        return {
          kind: 'safety',
          ...base,
          text: t(`Votes attendus forcés à ${e.expected} sur ${e.node}`, `Expected votes forced to ${e.expected} on ${e.node}`),
          explain: forced && forced.quorate ? EXPLAIN.expectedQuorate : EXPLAIN.forcedExpected,
          concept: 'expected-votes',
        };
      }
      if (l.seq === undefined) {
        // Clock still off at the end: teamScore names no event; link the node's last warning.
        const node = Object.values(fold.final.nodes).find((n) => n.skewWarned && l.reason.includes(`of ${n.name} `));
        const warn = node ? [...events].reverse().find((x) => x.type === 'clock-skew' && x.node === node.name) : undefined;
        const secs = node ? Math.round(node.skewMs / 1000) : 0;
        return {
          kind: 'safety',
          points: l.points,
          ...(warn ? { seq: warn.seq, at: warn.at } : {}),
          text: node ? t(`Horloge de ${node.name} encore décalée de ${secs} s à la fin`, `Clock of ${node.name} still off by ${secs} s at the end`) : t(l.reason, l.reason),
          explain: EXPLAIN.skew,
          concept: 'ntp',
        };
      }
      break;
  }
  return { kind: l.kind, ...base, text: t(l.reason, l.reason), explain: t('', ''), ...(l.concept ? { concept: l.concept } : {}) };
}

function voteText(node: string, yes: boolean, target: string, right: boolean): I18nText {
  return t(
    `${node} a voté ${yes ? 'oui' : 'non'} pour clôturer ${target} (${right ? 'juste' : 'faux'})`,
    `${node} voted ${yes ? 'yes' : 'no'} on fencing ${target} (${right ? 'right' : 'wrong'})`,
  );
}

function objectivesOf(scenario: Scenario, events: SimEvent[], fold: LogFold): ObjectiveReport[] {
  const results = checkObjectives(scenario, events, fold.final);
  return scenario.objectives.map((o) => {
    const r = results.find((x) => x.id === o.id)!;
    return { id: o.id, title: o.title, met: r.met, points: r.points, maxPoints: r.maxPoints, evidenceSeq: r.evidenceSeq ?? null, concept: objectiveConcept(o.check) };
  });
}

// ------------------------------------------------------------ student

function studentReport(seat: SeatRowIn, team: TeamReport, events: SimEvent[], fold: LogFold): StudentReport {
  const node = seat.nodeName;
  const isNode = seat.role === 'node';
  const lines: ReportLine[] = [];
  const mistakes: ReportLine[] = [];
  lines.push({ kind: 'team', points: team.score.total, text: t(`Résultat de l’équipe ${team.name}`, `Result of team ${team.name}`), explain: EXPLAIN.team });

  // Presence in a membership.
  const pres = isNode ? fold.presence[node] : undefined;
  const durationMs = team.endMs;
  const measured = pres ? pres.inMembershipMs + pres.absentMs : 0;
  const presencePct = pres && measured > 0 ? round1((pres.inMembershipMs / measured) * 100) : null;
  if (isNode && presencePct !== null)
    lines.push({
      kind: 'presence',
      points: round1((STUDENT_WEIGHTS.presence * presencePct) / 100),
      text: t(
        `Présence dans la membership : ${presencePct} % (${fmtSim(pres!.inMembershipMs)} sur ${fmtSim(measured)})`,
        `Presence in the membership: ${presencePct} % (${fmtSim(pres!.inMembershipMs)} out of ${fmtSim(measured)})`,
      ),
      explain: EXPLAIN.presence,
      concept: 'heartbeat',
      ...(pres!.firstAbsentSeq !== null ? { seq: pres!.firstAbsentSeq } : {}),
    });

  // Commands typed on their node.
  const cmds: CommandRecord[] = isNode
    ? events.filter((e): e is Extract<SimEvent, { type: 'command' }> => e.type === 'command' && e.node === node).map((e) => ({ seq: e.seq, at: e.at, line: e.line, ok: e.ok }))
    : [];
  // A command that was a mistake (expected votes forced in a minority) earns nothing.
  const faulty = new Set(fold.forcedExpected.filter((f) => !f.quorate).map((f) => f.seq));
  const firstOk = new Map<string, CommandRecord>();
  for (const c of cmds) if (c.ok && !faulty.has(c.seq) && commandKey(c.line) && !firstOk.has(commandKey(c.line))) firstOk.set(commandKey(c.line), c);
  for (const [k, c] of [...firstOk].slice(0, STUDENT_WEIGHTS.commandsMax))
    lines.push({ kind: 'commands', points: STUDENT_WEIGHTS.commandEach, text: t(`Commande utilisée : ${k}`, `Command used: ${k}`), explain: EXPLAIN.command, concept: commandConcept(c.line), seq: c.seq, at: c.at });

  // Fence votes (human vote mode; autopilot ballots of the seat count too, see the limitations).
  const votes: VoteRecord[] = isNode
    ? fold.votes.filter((v) => v.node === node).map((v) => ({ seq: v.seq, at: v.at, voteId: v.voteId, target: v.target, yes: v.yes, quorate: v.quorate, right: v.yes === v.quorate }))
    : [];
  for (const v of votes) {
    const line: ReportLine = {
      kind: v.right ? 'decision' : 'mistake',
      points: v.right ? STUDENT_WEIGHTS.rightVote : STUDENT_WEIGHTS.wrongVote,
      text: voteText(node, v.yes, v.target, v.right),
      explain: EXPLAIN.vote,
      concept: 'fencing',
      seq: v.seq,
      at: v.at,
    };
    (v.right ? lines : mistakes).push(line);
  }

  // pvecm expected forced while the node's partition had no quorum.
  if (isNode)
    for (const f of fold.forcedExpected.filter((x) => x.node === node && !x.quorate))
      mistakes.push({
        kind: 'mistake',
        points: STUDENT_WEIGHTS.forcedExpectedInMinority,
        text: t(`« ${f.line} » lancé sur ${node} sans quorum (minorité)`, `“${f.line}” run on ${node} without quorum (a minority)`),
        explain: EXPLAIN.forcedExpected,
        concept: 'expected-votes',
        seq: f.seq,
        at: f.at,
      });

  // The QDevice seat: where its vote went, against the algorithm.
  let qdeviceChoices: Participation['qdeviceChoices'];
  if (!isNode) {
    qdeviceChoices = { right: 0, wrong: 0 };
    for (const q of fold.qdeviceChoices) {
      q.right ? qdeviceChoices.right++ : qdeviceChoices.wrong++;
      const line: ReportLine = {
        kind: q.right ? 'decision' : 'mistake',
        points: q.right ? STUDENT_WEIGHTS.qdeviceRight : STUDENT_WEIGHTS.qdeviceWrong,
        text: t(
          `Vote du QDevice pour ${q.partition.join(', ')} (algorithme : ${q.algorithmChoice.join(', ')})`,
          `QDevice vote for ${q.partition.join(', ')} (algorithm: ${q.algorithmChoice.join(', ')})`,
        ),
        explain: q.right ? EXPLAIN.qdeviceRight : EXPLAIN.qdeviceWrong,
        concept: 'qdevice',
        seq: q.seq,
        at: q.at,
      };
      (q.right ? lines : mistakes).push(line);
    }
  }

  const score = round1([...lines, ...mistakes].reduce((a, l) => a + l.points, 0));
  const participation: Participation = {
    durationMs,
    inMembershipMs: pres?.inMembershipMs ?? 0,
    absentMs: pres?.absentMs ?? 0,
    excusedMs: pres?.excusedMs ?? 0,
    inMembershipPct: pres && durationMs > 0 ? round1((pres.inMembershipMs / durationMs) * 100) : null,
    presencePct,
    votes: { cast: votes.length, right: votes.filter((v) => v.right).length, wrong: votes.filter((v) => !v.right).length, list: votes },
    commands: {
      total: cmds.length,
      ok: cmds.filter((c) => c.ok).length,
      failed: cmds.filter((c) => !c.ok).length,
      distinct: [...new Set(cmds.filter((c) => c.ok).map((c) => commandKey(c.line)).filter(Boolean))],
      list: cmds.slice(0, COMMANDS_LISTED_MAX),
      listTruncated: cmds.length > COMMANDS_LISTED_MAX,
    },
    ...(qdeviceChoices ? { qdeviceChoices } : {}),
  };
  return {
    seatId: seat.id,
    name: seat.studentName,
    team: team.index,
    teamId: team.id,
    teamName: team.name,
    node,
    role: seat.role,
    kicked: seat.kicked !== 0,
    joinedAt: seat.joinedAt,
    teamScore: team.score.total,
    score,
    lines,
    mistakes,
    participation,
  };
}
