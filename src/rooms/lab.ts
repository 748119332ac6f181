// LabObject: one per lab (addressed by its join code). Roster, seating, tokens, lab status,
// teacher commands fanned out to the team clusters, leaderboard. Its SQLite storage is the
// source of truth for seats and tokens; D1 gets a copy for reports.
import type { LeaderboardRow, LobbyInfo } from '../protocol/lobby';
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { buildClusterConfig, getScenario } from '../sim/scenarios';
import type { Fault, Scenario } from '../sim/types';
import type { LabSettings, LabStatus, SeatInfo } from '../protocol/messages';
import { MAX_SEAT_RECORDS_PER_LAB, MAX_SEATS_PER_LAB, MAX_TEAMS } from '../protocol/limits';
import { insertSeat, insertTeam, setLabStatus, updateSeat, saveScores, updateLabOptions } from '../db/queries';
import { randomToken, sha256Hex } from '../api/crypto';
import type { JoinRequest, JoinResult, LabMeta } from './lab-meta';
import { teamTimeline } from './diagnosis';
import { fail, faultRefused, settingsRefused, teacherActionRefused, type LabError } from './door';
import { newRejoinCode, nameKey, SEAT_ACTIVE, SEAT_KICKED, SEAT_RELEASED, SeatStore, seatInfo, type SeatRow } from './seats';
import { allTeams, fanOut } from './fan-out';
import { emptiestTeam, freeSlots, seatOffer } from './seating';
import { SummaryStore } from './summaries';
import { summarize, type TeamSummary } from '../protocol/summary';

export type { LabError } from './door';
export type { JoinRequest, JoinResult, LabMeta } from './lab-meta';

const KICKED_MESSAGE = 'the teacher removed you from this lab; ask them to let you back in / l’enseignant vous a retiré de ce lab ; demandez-lui de vous réadmettre';

/** Labs end by themselves this long after they started (a class never lasts that long). */
export const AUTO_END_MS = 8 * 3_600_000;

export class LabObject extends DurableObject<Env> {
  private meta: LabMeta | null = null;
  private readonly store: SeatStore;
  /** every team's latest summary, pushed by its ClusterObject (grid, leaderboard) */
  private readonly summaries: SummaryStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new SeatStore(ctx.storage.sql);
    this.summaries = new SummaryStore(ctx.storage.sql);
    void ctx.blockConcurrencyWhile(async () => {
      try {
        const sql = ctx.storage.sql;
        sql.exec(`CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)`);
        this.store.migrate();
        this.summaries.migrate();
        const m = sql.exec<{ v: string }>(`SELECT v FROM kv WHERE k = 'meta'`).toArray()[0];
        this.meta = m ? (JSON.parse(m.v) as LabMeta) : null;
      } catch (err) {
        console.error('LabObject.constructor: load failed', err);
        throw err;
      }
    });
  }

  private save(): void {
    this.ctx.storage.sql.exec(`INSERT INTO kv (k, v) VALUES ('meta', ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`, JSON.stringify(this.meta));
  }

  private scenario(): Scenario {
    const s = this.meta!.scenario ?? getScenario(this.meta!.scenarioId);
    if (!s) throw new Error(`unknown scenario ${this.meta!.scenarioId}`);
    return s;
  }

  private cluster(team: number) {
    return this.env.CLUSTER.getByName(`${this.meta!.code}:${team}`);
  }

  teamId(team: number): string {
    return `${this.meta!.labId}-t${team}`;
  }

  /** Creates the clusters of a team (idempotent). */
  private async openTeam(team: number): Promise<void> {
    const meta = this.meta!;
    const scenario = this.scenario();
    const seated = this.store.active().filter((s) => s.team === team && s.role === 'node').map((s) => s.node);
    const config = buildClusterConfig(scenario, {
      timing: meta.settings.timing,
      voteMode: meta.settings.voteMode,
      autoNodes: scenario.cluster.nodes.map((n) => n.name).filter((n) => !seated.includes(n)),
    });
    await this.cluster(team).init({
      meta: {
        labId: meta.labId,
        code: meta.code,
        team,
        teamId: this.teamId(team),
        status: 'lobby',
        settings: meta.settings,
        timeline: teamTimeline(meta.settings, scenario, meta.labId, team),
        ...(meta.scenario ? { scenario: meta.scenario } : {}),
      },
      config,
      seed: `${meta.labId}:${team}`,
    });
    if (meta.status === 'running' || meta.status === 'paused') await this.cluster(team).setStatus(meta.status === 'running' ? 'running' : 'paused');
  }

  // ------------------------------------------------------------ RPC

  async create(meta: LabMeta): Promise<void> {
    if (this.meta) throw new Error('lab exists');
    this.meta = meta;
    this.save();
    await fanOut(allTeams(meta.teamCount), (t) => this.openTeam(t));
  }

  async info(): Promise<LobbyInfo | null> {
    const meta = this.meta;
    if (!meta) return null;
    const seats = this.store.active();
    const size = seatOffer(this.scenario(), meta.teamSize).length;
    return {
      code: meta.code,
      title: meta.title,
      scenarioId: meta.scenarioId,
      status: meta.status,
      locked: meta.locked,
      settings: meta.settings,
      teams: Array.from({ length: meta.teamCount }, (_, i) => {
        const n = seats.filter((s) => s.team === i + 1).length;
        return { team: i + 1, seats: n, free: Math.max(0, size - n) };
      }),
    };
  }

  /** A new seat, or (with `rejoinCode`) the same seat taken back with a new token. */
  async join(req: JoinRequest): Promise<LabError | JoinResult> {
    // Hash first: everything from the seat checks to the local insert below runs without an await, so
    // two students joining at the same instant can never be given the same seat (other requests
    // may be delivered while this one awaits D1 or another object).
    const token = randomToken(16);
    const tokenHash = await sha256Hex(token);
    const meta = this.meta;
    if (!meta) return fail(404, 'not_found', 'no such lab');
    if (meta.status === 'ended') return fail(409, 'lab_ended', 'this lab has ended');
    // Ghost seats (never connected) are freed first, whatever this join's outcome.
    const released = this.store.releaseAbandoned(Date.now());
    if (released.length) await this.freeSeats(released, 'seat released: never connected / place libérée : jamais connecté');
    if ((meta.status as LabStatus) === 'ended') return fail(409, 'lab_ended', 'this lab has ended'); // it may have ended meanwhile
    const key = nameKey(req.name);
    if (req.rejoinCode !== undefined) return this.rejoin(req.rejoinCode, key, req.clientHash, token, tokenHash);
    // A kick holds: not from the same browser, the same old token, or under the same name.
    if (this.store.bannedMatch({ clientHash: req.clientHash, priorTokenHash: req.priorTokenHash, nameKey: key })) return fail(403, 'kicked', KICKED_MESSAGE);
    if (meta.locked) return fail(423, 'locked', 'the teacher has locked joining');
    if (meta.settings.askStudentId && !req.studentId && req.rejoinCode === undefined) return fail(400, 'student_id_required', 'this lab asks for your student number or e-mail / ce labo demande votre numéro d’étudiant ou e-mail');
    const active = this.store.active();
    if (active.length >= MAX_SEATS_PER_LAB || this.store.count() >= MAX_SEAT_RECORDS_PER_LAB) return fail(409, 'lab_full', 'this lab is full');
    if (this.store.nameTaken(key)) return fail(409, 'name_taken', 'this name is already used in this lab');
    const offer = seatOffer(this.scenario(), meta.teamSize);
    const free = freeSlots(offer, active, meta.teamCount);
    let chosen: number | null = null;
    let newTeam = false;
    if (req.team !== undefined) {
      if (req.team > meta.teamCount) return fail(400, 'bad_team', `teams are numbered 1 to ${meta.teamCount}`);
      if (!free.has(req.team)) return fail(409, 'team_full', `team ${req.team} is full`);
      chosen = req.team;
    } else {
      chosen = emptiestTeam(free);
      if (chosen === null) {
        if (meta.fixedTeams !== null || meta.teamCount >= MAX_TEAMS) return fail(409, 'lab_full', 'every seat is taken');
        chosen = ++meta.teamCount;
        newTeam = true;
        this.save();
      }
    }
    const slot = (newTeam ? offer : free.get(chosen)!)[0]!;
    const id = crypto.randomUUID();
    const joinedAt = Date.now();
    let rejoinCode = newRejoinCode();
    while (this.store.rejoinCodeTaken(rejoinCode)) rejoinCode = newRejoinCode();
    this.store.insert({ id, team: chosen, node: slot.node, role: slot.role, name: req.name, nameKey: key, tokenHash, joinedAt, rejoinCode, clientHash: req.clientHash ?? null });
    // The seat is ours; the copies elsewhere follow.
    if (newTeam) {
      await insertTeam(this.env.DB, { id: this.teamId(chosen), labId: meta.labId, name: `Équipe ${chosen}`, idx: chosen });
      await this.openTeam(chosen);
    }
    await insertSeat(this.env.DB, { id, labId: meta.labId, teamId: this.teamId(chosen), nodeName: slot.node, role: slot.role, studentName: req.name, tokenHash, joinedAt, ...(meta.settings.askStudentId && req.studentId ? { studentId: req.studentId } : {}) });
    // slot.node is "qdevice" for the QDevice seat, which the engine's set-auto understands.
    await this.cluster(chosen).setSeatAuto(slot.node, false, id);
    return { seat: { seatId: id, name: req.name, team: chosen, node: slot.node, role: slot.role }, token, rejoinCode };
  }

  /** The seat holding `code` is taken back: new token, the old socket closed with a reason. */
  private async rejoin(code: string, key: string, clientHash: string | undefined, token: string, tokenHash: string): Promise<LabError | JoinResult> {
    const seat = this.store.byRejoinCode(code);
    if (!seat || seat.nameKey !== key) return fail(403, 'bad_rejoin_code', 'this rejoin code does not match this name in this lab');
    if (seat.banned) return fail(403, 'kicked', KICKED_MESSAGE);
    if (seat.kicked !== SEAT_ACTIVE) return fail(410, 'seat_gone', 'this seat was freed: join again without a code');
    this.store.setToken(seat.id, tokenHash, clientHash ?? null);
    await updateSeat(this.env.DB, seat.id, { tokenHash });
    await this.cluster(seat.team).closeSeat(seat.id, 'this seat was taken back with its rejoin code / place reprise avec son code de retour', 'replaced');
    return { seat: seatInfo(seat), token, rejoinCode: seat.rejoinCode };
  }

  /** Seats that left the game (kicked, released): sockets closed, nodes back on autopilot unless
   * another student already holds the same node. */
  private async freeSeats(seats: SeatRow[], reason: string, code: 'kicked' | 'released' = 'released'): Promise<void> {
    await fanOut(seats, async (seat) => {
      await updateSeat(this.env.DB, seat.id, { kicked: 1 });
      const c = this.cluster(seat.team);
      await c.closeSeat(seat.id, reason, code);
      if (!this.store.active().some((s) => s.team === seat.team && s.node === seat.node)) await c.setSeatAuto(seat.node, true, seat.id, code === 'kicked' ? 'kicked' : 'left');
    });
  }

  /** Token → seat and its rejoin code, or null when unknown or revoked (kicked, released, taken
   * back). Marks the seat as used, so it is not freed as abandoned. */
  async resolveToken(token: string): Promise<{ seat: SeatInfo; rejoinCode: string } | null> {
    if (!this.meta || token.length > 200) return null;
    const r = this.store.byToken(await sha256Hex(token));
    if (!r) return null;
    // Only whether a seat was ever used matters (a seat never connected is released): one write
    // per seat, not one per reconnect.
    if (r.seenAt === null) this.store.seen(r.id, Date.now());
    return { seat: seatInfo(r), rejoinCode: r.rejoinCode };
  }

  /** Active and kicked seats (released ghosts are left out: nobody was there). */
  async roster(): Promise<{ seatId: string; name: string; team: number; node: string; role: string; kicked: boolean; banned: boolean; rejoinCode: string; joinedAt: number }[]> {
    return this.store
      .all()
      .filter((s) => s.kicked !== SEAT_RELEASED)
      .map((s) => ({ ...seatInfo(s), kicked: s.kicked === SEAT_KICKED, banned: !!s.banned, rejoinCode: s.rejoinCode, joinedAt: s.joinedAt }));
  }

  async control(action: 'start' | 'pause' | 'resume' | 'end' | 'lock' | 'unlock'): Promise<LabError | { status: LabStatus; locked: boolean }> {
    const meta = this.meta;
    if (!meta) return fail(404, 'not_found', 'no such lab');
    if (action === 'lock' || action === 'unlock') {
      const refused = teacherActionRefused(meta.status);
      if (refused) return refused;
      meta.locked = action === 'lock';
      this.save();
      return { status: meta.status, locked: meta.locked };
    }
    const allowed: Record<string, LabStatus[]> = { start: ['lobby'], pause: ['running'], resume: ['paused'], end: ['lobby', 'running', 'paused'] };
    if (!allowed[action]!.includes(meta.status)) return fail(409, 'bad_transition', `cannot ${action} a lab that is ${meta.status}`);
    const next: LabStatus = action === 'start' || action === 'resume' ? 'running' : action === 'pause' ? 'paused' : 'ended';
    meta.status = next;
    this.save();
    // A lab left running overnight would tick every second for nothing: it ends by itself.
    if (action === 'start') await this.ctx.storage.setAlarm(Date.now() + AUTO_END_MS);
    if (next === 'ended') await this.ctx.storage.deleteAlarm();
    await fanOut(allTeams(meta.teamCount), (t) => this.cluster(t).setStatus(next));
    await setLabStatus(this.env.DB, meta.labId, next, Date.now());
    if (next === 'ended') await this.storeScores();
    return { status: next, locked: meta.locked };
  }

  override async alarm(): Promise<void> {
    try {
      if (this.meta && (this.meta.status === 'running' || this.meta.status === 'paused' || this.meta.status === 'lobby')) {
        console.log(`LabObject.alarm: lab ${this.meta.code} ended automatically after ${AUTO_END_MS / 3_600_000} h`);
        await this.control('end');
      }
    } catch (err) {
      console.error('LabObject.alarm failed', err);
      throw err;
    }
  }

  private async storeScores(): Promise<void> {
    await this.readSummaries(allTeams(this.meta!.teamCount));
    const board = await this.leaderboard();
    await saveScores(
      this.env.DB,
      this.meta!.labId,
      board.map((b) => ({ teamId: this.teamId(b.team), seatId: null, kind: 'team', points: b.total, detail: b })),
    );
  }

  async fault(fault: Fault, team?: number): Promise<LabError | { teams: number[] }> {
    const meta = this.meta;
    const refused = teacherActionRefused(meta?.status);
    if (refused || !meta) return refused!;
    const cluster = this.scenario().cluster;
    const unknown = faultRefused(fault, cluster.nodes.map((n) => n.name), undefined, cluster.networks);
    if (unknown) return unknown;
    if (team !== undefined && (team < 1 || team > meta.teamCount)) return fail(400, 'bad_team', `teams are numbered 1 to ${meta.teamCount}`);
    const teams = team !== undefined ? [team] : allTeams(meta.teamCount);
    // Every team goes through the same door (src/rooms/door.ts), so a refusal is the same everywhere.
    const first = (await fanOut(teams, (t) => this.cluster(t).fault(fault, 'teacher'))).find((r) => r.refused)?.refused;
    return first ?? { teams };
  }

  /** Opens or closes a checkpoint on every team (the same door as faults). */
  async checkpoint(action: 'open' | 'close', id?: string): Promise<LabError | { teams: number[]; id?: string }> {
    const meta = this.meta;
    const refused = teacherActionRefused(meta?.status);
    if (refused || !meta) return refused!;
    if (id !== undefined && !this.scenario().checkpoints.some((c) => c.id === id)) return fail(400, 'unknown_checkpoint', `this scenario has no checkpoint "${id.slice(0, 40)}"`);
    const teams = allTeams(meta.teamCount);
    let opened: string | undefined;
    let first: LabError | undefined;
    for (const r of await fanOut(teams, (t) => this.cluster(t).checkpoint(action, id))) {
      // One team may already be there (closed by its last answer): only a refusal everywhere is an error.
      if (r.refused) first ??= r.refused;
      else opened ??= r.id;
    }
    return opened === undefined ? first! : { teams, id: opened };
  }

  async kick(seatId: string): Promise<LabError | { kicked: string }> {
    const refused = teacherActionRefused(this.meta?.status);
    if (refused) return refused;
    const seat = this.store.get(seatId);
    if (!seat) return fail(404, 'no_seat', 'no such seat');
    if (seat.kicked === SEAT_KICKED) return { kicked: seatId };
    this.store.kick(seatId);
    await this.freeSeats([seat], 'removed by the teacher / retiré par l’enseignant', 'kicked');
    return { kicked: seatId };
  }

  /** A kicked student may join again (a new seat: from the same browser, under the same name). */
  async allowBack(seatId: string): Promise<LabError | { allowed: string }> {
    const refused = teacherActionRefused(this.meta?.status);
    if (refused) return refused;
    const seat = this.store.get(seatId);
    if (!seat || seat.kicked !== SEAT_KICKED) return fail(404, 'no_seat', 'no such kicked seat');
    this.store.allowBack(seatId);
    return { allowed: seatId };
  }

  async move(seatId: string, team: number): Promise<LabError | { seat: SeatInfo }> {
    const meta = this.meta;
    const refused = teacherActionRefused(meta?.status);
    if (refused || !meta) return refused!;
    const seat = this.store.get(seatId);
    if (!seat || seat.kicked !== SEAT_ACTIVE) return fail(404, 'no_seat', 'no such seat');
    if (team < 1 || team > meta.teamCount) return fail(400, 'bad_team', `teams are numbered 1 to ${meta.teamCount}`);
    const active = this.store.active();
    const slot = freeSlots(seatOffer(this.scenario(), meta.teamSize), active, meta.teamCount).get(team)?.[0];
    if (!slot) return fail(409, 'team_full', `team ${team} is full`);
    this.store.move(seatId, team, slot.node, slot.role);
    await updateSeat(this.env.DB, seatId, { teamId: this.teamId(team), nodeName: slot.node, role: slot.role });
    const old = this.cluster(seat.team);
    await old.closeSeat(seatId, 'moved to another team / déplacé dans une autre équipe', 'moved');
    await old.setSeatAuto(seat.node, true, seatId, 'moved');
    await this.cluster(team).setSeatAuto(slot.node, false, seatId);
    return { seat: { seatId, name: seat.name, team, node: slot.node, role: slot.role } };
  }

  async settings(patch: {
    voteMode?: 'auto' | 'human';
    timeScale?: number;
    locked?: boolean;
    graded?: boolean;
    askStudentId?: boolean;
    weights?: LabSettings['weights'];
  }): Promise<LabError | { settings: LabSettings; locked: boolean }> {
    const meta = this.meta;
    const refused = settingsRefused(meta?.status, patch);
    if (refused || !meta) return refused!;
    if (patch.locked !== undefined) meta.locked = patch.locked;
    const s: Partial<LabSettings> = {};
    if (patch.voteMode) s.voteMode = patch.voteMode;
    if (patch.timeScale) s.timeScale = patch.timeScale;
    if (patch.graded !== undefined) s.graded = patch.graded;
    if (patch.askStudentId !== undefined) s.askStudentId = patch.askStudentId;
    if (patch.weights) s.weights = patch.weights;
    meta.settings = { ...meta.settings, ...s };
    this.save();
    // Reports read options from D1: grades are recomputed with the new weights, even after the end.
    if (patch.weights || patch.graded !== undefined)
      await updateLabOptions(this.env.DB, meta.labId, { ...(patch.weights ? { weights: patch.weights } : {}), ...(patch.graded !== undefined ? { graded: patch.graded } : {}) });
    if (meta.status !== 'ended') await fanOut(allTeams(meta.teamCount), (t) => this.cluster(t).settings(s));
    return { settings: meta.settings, locked: meta.locked };
  }

  /** From the summaries the teams pushed (src/rooms/summary-push.ts): no call to 100 clusters. */
  async leaderboard(): Promise<LeaderboardRow[]> {
    return (await this.teamSummaries(0)).teams
      .map((s) => ({ team: s.team, total: s.score, availability: s.availability, incidents: s.incidents }))
      .sort((a, b) => b.total - a.total || a.team - b.team);
  }

  /** A ClusterObject's summary changed (it calls this; nobody waits on the answer). */
  async teamSummary(s: TeamSummary): Promise<void> {
    if (this.meta && Number.isInteger(s.team) && s.team >= 1 && s.team <= this.meta.teamCount) this.summaries.put(s);
  }

  /** The teams whose summary changed after `after` (a version from an earlier answer; 0: all).
   * Teams that never pushed one (a lab just created) are read once from their cluster. */
  async teamSummaries(after: number): Promise<{ version: number; teams: TeamSummary[] }> {
    const meta = this.meta;
    if (!meta) return { version: 0, teams: [] };
    await this.readSummaries(this.summaries.missing(meta.teamCount));
    return this.summaries.since(after, meta.teamCount);
  }

  /** Fresh summaries straight from the clusters (missing ones, and every team at the end). */
  private async readSummaries(teams: number[]): Promise<void> {
    await this.summaries.fill(teams, async (t) => summarize(await this.cluster(t).getSnapshot()));
  }


  async getMeta(): Promise<LabMeta | null> {
    return this.meta;
  }
}
