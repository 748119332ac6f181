// Builds a graded lab report from stored rows (lab, teams, seats, events). It gathers: grades come
// from src/scoring (the one place that owns weights and right answers), wording from ./wording.
// Pure: the API loads the rows (src/api/reports.ts), this turns them into a LabReport, renderers print it.
import { checkpointAnswers, diagnosisReports, drillReport } from './teach';
import { DEFAULT_WEIGHTS, decisionsOf, gradeStudent, round1, gradeTeam, mergeStudentGrades, teamContexts, weightsFrom, type StudentGrade, type TeamContext, type Weights } from '../scoring';
import { isSeatLogEvent, type SeatLogEvent } from '../rooms/seat-log';
import { CONCEPTS, scenarioOfLab } from '../sim/scenarios';
import type { I18nText, SimEvent, TimingProfileName, VoteMode } from '../sim/types';
import { foldLog, initialState, type LogFold } from './derive';
import { quorumChart } from './chart';
import type {
  CommandRecord,
  EventRowIn,
  IncidentReport,
  LabReport,
  ObjectiveReport,
  Participation,
  ReportInput,
  SeatRowIn,
  StudentReport,
  TeamReport,
  TimelineEntry,
  VoteRecord,
} from './types';
import { LIMITATIONS, TIMELINE_TYPES, commandKey, eventConcept, objectiveConcept } from './wording';
import { describeEvent, incidentCause } from '../protocol/wording';
import { LAB_STATUS, word } from '../protocol/vocabulary';

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
/** A wording line without its page styling (tone, icon): the report's text. */
const words = (l: I18nText): I18nText => t(l.fr, l.en);

interface LabOptions {
  voteMode: VoteMode;
  heartbeatMode: string;
  timing: TimingProfileName;
  timeScale: number;
  graded: boolean;
  weights: Weights;
  weightsAreDefault: boolean;
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
    graded: o.graded === true,
    weights: weightsFrom(o),
    weightsAreDefault: JSON.stringify(weightsFrom(o)) === JSON.stringify(DEFAULT_WEIGHTS),
  };
}

/** data_json back into an event (the engine's or a room's seat event); the row's own seq and time
 * win. Null when unreadable. */
export function parseEventRow(row: EventRowIn): SimEvent | SeatLogEvent | null {
  try {
    const v = JSON.parse(row.dataJson) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    const e = v as Record<string, unknown>;
    if (typeof e.type !== 'string' || e.type !== row.type) return null;
    return { ...(e as unknown as SimEvent | SeatLogEvent), seq: row.seq, at: row.atMs };
  } catch {
    return null;
  }
}

export function buildReport(input: ReportInput): LabReport {
  const scenario = scenarioOfLab(input.lab);
  if (!scenario) throw new ReportError('unknown_scenario', `no scenario "${input.lab.scenarioId}"`);
  const options = parseOptions(input.lab.optionsJson);
  let skipped = 0;
  const byTeam = new Map<string, Map<number, SimEvent | SeatLogEvent>>();
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
  const contexts: { team: TeamReport; ctx: TeamContext; fold: LogFold }[] = [];
  // Every team's log first, so their baselines (autopilot alone) run together.
  const gathered = [...input.teams]
    .sort((a, b) => a.idx - b.idx)
    .map((team) => {
      const all = [...(byTeam.get(team.id)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
      const events = all.filter((e): e is SimEvent => !isSeatLogEvent(e));
      const roomClock = input.clocks?.[team.id];
      const endMs = Math.max(all.at(-1)?.at ?? 0, roomClock ?? 0);
      const fold = foldLog(initialState(scenario, options.timing, options.voteMode), events, endMs, { humanVotes: options.voteMode === 'human' });
      const seats = input.seats.filter((s) => s.teamId === team.id).sort((a, b) => a.joinedAt - b.joinedAt || a.id.localeCompare(b.id));
      return { team, all, events, roomClock, endMs, fold, seats };
    });
  const ctxs = teamContexts(
    gathered.map((g) => ({
      scenario,
      timing: options.timing,
      voteMode: options.voteMode,
      seed: input.lab.id,
      events: g.events,
      seatLog: g.all.filter(isSeatLogEvent),
      final: g.fold.final,
      endMs: g.endMs,
      roster: g.seats.map((s) => ({ id: s.id, node: s.nodeName })),
      weights: options.weights,
    })),
  );
  for (const [gi, { team, all, events, roomClock, endMs, fold, seats }] of gathered.entries()) {
    const ctx = ctxs[gi]!;
    const stored = input.storedScores?.find((s) => s.teamId === team.id && s.seatId === null && s.kind === 'team');
    const objectives = ctx.objectives.map(
      (o): ObjectiveReport => ({
        id: o.objective.id,
        title: o.objective.title,
        met: o.met,
        points: o.met ? o.objective.points : 0,
        maxPoints: o.objective.points,
        evidenceSeq: o.evidenceSeq,
        concept: objectiveConcept(o.objective.check),
        byAutopilot: o.byAutopilot,
        ...(o.window !== undefined ? { window: o.window && { from: o.window.from, to: o.window.to } } : {}),
      }),
    );
    for (const o of objectives) used.add(o.concept);
    const timelineAll = events.filter((e) => TIMELINE_TYPES.has(e.type));
    const teamReport: TeamReport = {
      index: team.idx,
      id: team.id,
      name: team.name,
      endMs,
      clock: roomClock !== undefined ? 'room' : 'log',
      eventCount: all.length,
      grade: gradeTeam(ctx, []).grade, // participation filled in below, once students are graded
      lines: [],
      availability: ctx.availability,
      storedTotal: stored ? stored.points : null,
      incidents: fold.incidents.map(
        (i): IncidentReport => ({
          id: i.id,
          kind: i.kind,
          cause: i.cause,
          causeText: incidentCause(i.cause),
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
          text: words(describeEvent(e)),
          ...(eventConcept(e.type) ? { concept: eventConcept(e.type)! } : {}),
        }),
      ),
      timelineTruncated: timelineAll.length > TIMELINE_MAX,
      chart: quorumChart(initialState(scenario, options.timing, options.voteMode), all, endMs),
      seatIds: seats.map((s) => s.id),
      checkpoints: checkpointAnswers(ctx, scenario),
      diagnoses: diagnosisReports(ctx, null),
      drill: drillReport(all.filter((e): e is SimEvent => !isSeatLogEvent(e))),
    };
    if (teamReport.incidents.length) used.add('split-brain');
    teams.push(teamReport);
    contexts.push({ team: teamReport, ctx, fold });
  }
  // Students: graded in every team where they held a seat (a move splits the session).
  const students: StudentReport[] = [];
  const teamParticipation = new Map<string, number[]>();
  for (const seat of [...input.seats].sort((a, b) => a.joinedAt - b.joinedAt || a.id.localeCompare(b.id))) {
    const sat = contexts.filter((c) => c.ctx.intervals.some((i) => i.seatId === seat.id));
    const home = contexts.find((c) => c.team.id === seat.teamId);
    const where = sat.length ? sat : home ? [home] : [];
    if (where.length === 0) continue;
    const graded = where.map((c) => {
      const g = gradeStudent(seat.id, c.ctx, membershipPresence(c.fold, seat));
      if (c.ctx.intervals.some((i) => i.seatId === seat.id)) teamParticipation.set(c.team.id, [...(teamParticipation.get(c.team.id) ?? []), g.participation]);
      return g;
    });
    const st = studentReport(seat, home ?? where.at(-1)!, where, mergeStudentGrades(graded));
    for (const l of st.lines) if (l.concept) used.add(l.concept);
    students.push(st);
  }
  for (const c of contexts) {
    const g = gradeTeam(c.ctx, teamParticipation.get(c.team.id) ?? []);
    c.team.grade = g.grade;
    c.team.lines = g.lines;
    for (const l of g.lines) if (l.concept) used.add(l.concept);
  }
  for (const st of students) st.teamGrade = teams.find((x) => x.id === st.teamId)?.grade ?? st.teamGrade;
  const notes = [...(input.notes ?? [])];
  const partial = input.lab.status !== 'ended';
  if (partial)
    notes.unshift(
      t(
        `Rapport partiel : le labo n’est pas terminé (état : ${word(LAB_STATUS, input.lab.status).fr}). Les chiffres s’arrêtent au dernier événement connu.`,
        `Partial report: the lab has not ended (status: ${word(LAB_STATUS, input.lab.status).en}). Figures stop at the last known event.`,
      ),
    );
  if (skipped) notes.push(t(`${skipped} événement(s) illisible(s) ignoré(s).`, `${skipped} unreadable event(s) skipped.`));
  return {
    v: 2,
    generatedAt: input.generatedAt,
    partial,
    lab: {
      code: input.lab.code,
      title: input.lab.title,
      status: input.lab.status,
      scenario: { id: scenario.id, title: scenario.title },
      options: { voteMode: options.voteMode, heartbeatMode: options.heartbeatMode, timing: options.timing, timeScale: options.timeScale, graded: options.graded },
      weights: options.weights,
      weightsAreDefault: options.weightsAreDefault,
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

// ------------------------------------------------------------ student

/** Presence in a membership (0..1), for logs written before the room sampled heartbeats. */
function membershipPresence(fold: LogFold, seat: SeatRowIn): number | null {
  const p = seat.role === 'node' ? fold.presence[seat.nodeName] : undefined;
  const measured = p ? p.inMembershipMs + p.absentMs : 0;
  return p && measured > 0 ? p.inMembershipMs / measured : null;
}

function studentReport(seat: SeatRowIn, home: { team: TeamReport; ctx: TeamContext; fold: LogFold }, where: { ctx: TeamContext }[], g: StudentGrade): StudentReport {
  const { team, fold } = home;
  const node = seat.nodeName;
  const isNode = seat.role === 'node';
  // What the seat did while it held a node, in every team it sat in (scoring decides what is whose).
  const mine = where.map(({ ctx }) => decisionsOf(ctx, seat.id));
  const cmds: CommandRecord[] = mine.flatMap((d) => d.commands.map((e) => ({ seq: e.seq, at: e.at, line: e.line, ok: e.ok })));
  const votes: VoteRecord[] = mine
    .flatMap((d) => [...d.votes, ...d.repeats])
    .sort((x, y) => x.at - y.at || x.seq - y.seq)
    .map((v) => ({ seq: v.seq, at: v.at, voteId: v.voteId, target: v.target, yes: v.yes, realQuorate: v.realQuorate, right: v.right, repeat: v.repeat }));
  const qd = mine.flatMap((d) => d.qdevice);
  const pres = isNode ? fold.presence[node] : undefined;
  const measured = pres ? pres.inMembershipMs + pres.absentMs : 0;
  const graded = votes.filter((v) => !v.repeat);
  const participation: Participation = {
    durationMs: team.endMs,
    heldMs: g.heldMs,
    heartbeats: g.presence ? { ...g.presence, pct: g.presence.ticks ? round1((g.presence.heard / g.presence.ticks) * 100) : 0 } : null,
    inMembershipMs: pres?.inMembershipMs ?? 0,
    absentMs: pres?.absentMs ?? 0,
    excusedMs: pres?.excusedMs ?? 0,
    inMembershipPct: pres && team.endMs > 0 ? round1((pres.inMembershipMs / team.endMs) * 100) : null,
    presencePct: pres && measured > 0 ? round1((pres.inMembershipMs / measured) * 100) : null,
    votes: { cast: graded.length, right: graded.filter((v) => v.right).length, wrong: graded.filter((v) => !v.right).length, list: votes },
    commands: {
      total: cmds.length,
      ok: cmds.filter((c) => c.ok).length,
      failed: cmds.filter((c) => !c.ok).length,
      distinct: [...new Set(cmds.filter((c) => c.ok).map((c) => commandKey(c.line)).filter(Boolean))],
      relevant: g.relevantCommands,
      list: cmds.slice(0, COMMANDS_LISTED_MAX),
      listTruncated: cmds.length > COMMANDS_LISTED_MAX,
    },
    ...(seat.role === 'qdevice' ? { qdeviceChoices: { right: qd.filter((q) => q.right).length, wrong: qd.filter((q) => !q.right).length } } : {}),
  };
  return {
    seatId: seat.id,
    name: seat.studentName,
    studentId: seat.studentId ?? null,
    team: team.index,
    teamId: team.id,
    teamName: team.name,
    node,
    role: seat.role,
    kicked: seat.kicked !== 0,
    joinedAt: seat.joinedAt,
    grade: g.grade,
    teamGrade: team.grade,
    lines: g.lines,
    participation,
    checkpoints: where.flatMap(({ ctx }) => checkpointAnswers(ctx, ctx.input.scenario).filter((c) => c.seatId === seat.id)),
    diagnoses: where.flatMap(({ ctx }) => diagnosisReports(ctx, seat.id)),
  };
}
