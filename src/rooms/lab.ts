// LabObject: one per lab (addressed by its join code). Roster, seating, tokens, lab status,
// teacher commands fanned out to the team clusters, leaderboard. Its SQLite storage is the
// source of truth for seats and tokens; D1 gets a copy for reports.
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { buildClusterConfig, getScenario } from '../sim/scenarios';
import type { Fault, Scenario } from '../sim/types';
import type { LabSettings, LabStatus, SeatInfo } from '../protocol/messages';
import { MAX_SEATS_PER_LAB, MAX_TEAMS } from '../protocol/limits';
import { insertSeat, insertTeam, setLabStatus, updateSeat, saveScores, updateLabOptions } from '../db/queries';
import { randomToken, sha256Hex } from '../api/crypto';

export interface LabMeta {
  labId: string;
  code: string;
  title: string;
  scenarioId: string;
  status: LabStatus;
  settings: LabSettings;
  /** fixed number of teams, or null: teams open as earlier ones fill up */
  fixedTeams: number | null;
  teamSize: number;
  teamCount: number;
  locked: boolean;
  teacherSecretHash: string;
  createdAt: number;
}

export interface SeatRow {
  id: string;
  team: number;
  node: string;
  role: 'node' | 'qdevice';
  name: string;
  tokenHash: string;
  joinedAt: number;
  kicked: number;
}

/** Labs end by themselves this long after they started (a class never lasts that long). */
export const AUTO_END_MS = 8 * 3_600_000;

export type LabError = { error: { code: string; message: string; status: number } };
const fail = (status: number, code: string, message: string): LabError => ({ error: { code, message, status } });

export class LabObject extends DurableObject<Env> {
  private meta: LabMeta | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      try {
        const sql = ctx.storage.sql;
        sql.exec(`CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)`);
        sql.exec(`CREATE TABLE IF NOT EXISTS seats (
          id TEXT PRIMARY KEY, team INTEGER NOT NULL, node TEXT NOT NULL, role TEXT NOT NULL,
          name TEXT NOT NULL, name_key TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
          joined_at INTEGER NOT NULL, kicked INTEGER NOT NULL DEFAULT 0)`);
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
    const s = getScenario(this.meta!.scenarioId);
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
    const seated = this.seats().filter((s) => s.team === team && !s.kicked && s.role === 'node').map((s) => s.node);
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
        timeline: meta.settings.timeline ? scenario.timeline : [],
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
    for (let t = 1; t <= meta.teamCount; t++) await this.openTeam(t);
  }

  async info(): Promise<null | { code: string; title: string; scenarioId: string; status: LabStatus; locked: boolean; teams: { team: number; seats: number; free: number }[]; settings: LabSettings }> {
    const meta = this.meta;
    if (!meta) return null;
    const seats = this.seats().filter((s) => !s.kicked);
    const size = this.seatsPerTeam().length;
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

  async checkTeacher(secretHash: string): Promise<boolean> {
    return !!this.meta && this.meta.teacherSecretHash === secretHash;
  }

  private seats(): SeatRow[] {
    return this.ctx.storage.sql
      .exec<{ id: string; team: number; node: string; role: string; name: string; token_hash: string; joined_at: number; kicked: number }>(`SELECT * FROM seats ORDER BY joined_at, id`)
      .toArray()
      .map((r) => ({ id: r.id, team: r.team, node: r.node, role: r.role as SeatRow['role'], name: r.name, tokenHash: r.token_hash, joinedAt: r.joined_at, kicked: r.kicked }));
  }

  /** Seats a team offers, in the order they are handed out: nodes first, then the QDevice. */
  private seatsPerTeam(): { node: string; role: 'node' | 'qdevice' }[] {
    const sc = this.scenario();
    const list: { node: string; role: 'node' | 'qdevice' }[] = sc.cluster.nodes.map((n) => ({ node: n.name, role: 'node' }));
    if (sc.qdeviceSeat) list.push({ node: 'qdevice', role: 'qdevice' });
    return list.slice(0, this.meta!.teamSize);
  }

  async join(name: string, team?: number, studentId?: string): Promise<LabError | { seat: SeatInfo; token: string }> {
    // Hash first: everything from the checks to the local insert below runs without an await, so
    // two students joining at the same instant can never be given the same seat (other requests
    // may be delivered while this one awaits D1 or another object).
    const token = randomToken(16);
    const tokenHash = await sha256Hex(token);
    const meta = this.meta;
    if (!meta) return fail(404, 'not_found', 'no such lab');
    if (meta.status === 'ended') return fail(409, 'lab_ended', 'this lab has ended');
    if (meta.locked) return fail(423, 'locked', 'the teacher has locked joining');
    if (meta.settings.askStudentId && !studentId) return fail(400, 'student_id_required', 'this lab asks for your student number or e-mail / ce labo demande votre numéro d’étudiant ou e-mail');
    const all = this.seats();
    const active = all.filter((s) => !s.kicked);
    if (all.length >= MAX_SEATS_PER_LAB) return fail(409, 'lab_full', 'this lab is full');
    const key = name.toLocaleLowerCase('fr');
    const taken = this.ctx.storage.sql.exec(`SELECT 1 FROM seats WHERE name_key = ? AND kicked = 0`, key).toArray().length > 0;
    if (taken) return fail(409, 'name_taken', 'this name is already used in this lab');
    const offer = this.seatsPerTeam();
    const freeIn = (t: number) => offer.filter((o) => !active.some((s) => s.team === t && s.node === o.node));
    let chosen: number | null = null;
    let newTeam = false;
    if (team !== undefined) {
      if (team > meta.teamCount) return fail(400, 'bad_team', `teams are numbered 1 to ${meta.teamCount}`);
      if (!freeIn(team).length) return fail(409, 'team_full', `team ${team} is full`);
      chosen = team;
    } else {
      // Fill the emptiest team first so teams stay balanced.
      for (let t = 1; t <= meta.teamCount; t++)
        if (freeIn(t).length && (chosen === null || freeIn(t).length > freeIn(chosen).length)) chosen = t;
      if (chosen === null) {
        if (meta.fixedTeams !== null || meta.teamCount >= MAX_TEAMS) return fail(409, 'lab_full', 'every seat is taken');
        chosen = ++meta.teamCount;
        newTeam = true;
        this.save();
      }
    }
    const slot = freeIn(chosen)[0]!;
    const id = crypto.randomUUID();
    const joinedAt = Date.now();
    this.ctx.storage.sql.exec(
      `INSERT INTO seats (id, team, node, role, name, name_key, token_hash, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      id, chosen, slot.node, slot.role, name, key, tokenHash, joinedAt,
    );
    // The seat is ours; the copies elsewhere follow.
    if (newTeam) {
      await insertTeam(this.env.DB, { id: this.teamId(chosen), labId: meta.labId, name: `Équipe ${chosen}`, idx: chosen });
      await this.openTeam(chosen);
    }
    await insertSeat(this.env.DB, { id, labId: meta.labId, teamId: this.teamId(chosen), nodeName: slot.node, role: slot.role, studentName: name, tokenHash, joinedAt, ...(meta.settings.askStudentId && studentId ? { studentId } : {}) });
    // slot.node is "qdevice" for the QDevice seat, which the engine's set-auto understands.
    await this.cluster(chosen).setSeatAuto(slot.node, false, id);
    return { seat: { seatId: id, name, team: chosen, node: slot.node, role: slot.role }, token };
  }

  /** Token → seat, or null when unknown or revoked (kicked). */
  async resolveToken(token: string): Promise<SeatInfo | null> {
    if (!this.meta || token.length > 200) return null;
    const h = await sha256Hex(token);
    const r = this.seats().find((s) => s.tokenHash === h && !s.kicked);
    return r ? { seatId: r.id, name: r.name, team: r.team, node: r.node, role: r.role } : null;
  }

  async roster(): Promise<{ seatId: string; name: string; team: number; node: string; role: string; kicked: boolean; joinedAt: number }[]> {
    return this.seats().map((s) => ({ seatId: s.id, name: s.name, team: s.team, node: s.node, role: s.role, kicked: !!s.kicked, joinedAt: s.joinedAt }));
  }

  async control(action: 'start' | 'pause' | 'resume' | 'end' | 'lock' | 'unlock'): Promise<LabError | { status: LabStatus; locked: boolean }> {
    const meta = this.meta;
    if (!meta) return fail(404, 'not_found', 'no such lab');
    if (action === 'lock' || action === 'unlock') {
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
    for (let t = 1; t <= meta.teamCount; t++) await this.cluster(t).setStatus(next);
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
    const board = await this.leaderboard();
    await saveScores(
      this.env.DB,
      this.meta!.labId,
      board.map((b) => ({ teamId: this.teamId(b.team), seatId: null, kind: 'team', points: b.total, detail: b })),
    );
  }

  async fault(fault: Fault, team?: number): Promise<LabError | { teams: number[] }> {
    const meta = this.meta;
    if (!meta) return fail(404, 'not_found', 'no such lab');
    if (meta.status === 'ended') return fail(409, 'lab_ended', 'this lab has ended');
    const nodes = this.scenario().cluster.nodes.map((n) => n.name);
    const named = [
      ...('node' in fault ? [fault.node] : []),
      ...('a' in fault ? [fault.a, fault.b] : []),
      ...(fault.kind === 'partition' ? fault.groups.flat() : []),
    ];
    const unknown = named.find((n) => !nodes.includes(n));
    if (unknown) return fail(400, 'unknown_node', `this scenario has no node ${unknown}`);
    if (team !== undefined && (team < 1 || team > meta.teamCount)) return fail(400, 'bad_team', `teams are numbered 1 to ${meta.teamCount}`);
    const teams = team !== undefined ? [team] : Array.from({ length: meta.teamCount }, (_, i) => i + 1);
    for (const t of teams) await this.cluster(t).fault(fault, 'teacher');
    return { teams };
  }

  async kick(seatId: string): Promise<LabError | { kicked: string }> {
    const seat = this.seats().find((s) => s.id === seatId);
    if (!this.meta || !seat) return fail(404, 'no_seat', 'no such seat');
    if (seat.kicked) return { kicked: seatId };
    this.ctx.storage.sql.exec(`UPDATE seats SET kicked = 1 WHERE id = ?`, seatId);
    await updateSeat(this.env.DB, seatId, { kicked: 1 });
    const c = this.cluster(seat.team);
    await c.closeSeat(seatId, 'removed by the teacher / retiré par l’enseignant');
    await c.setSeatAuto(seat.node, true, seatId, 'kicked');
    return { kicked: seatId };
  }

  async move(seatId: string, team: number): Promise<LabError | { seat: SeatInfo }> {
    const meta = this.meta;
    const seat = this.seats().find((s) => s.id === seatId && !s.kicked);
    if (!meta || !seat) return fail(404, 'no_seat', 'no such seat');
    if (team < 1 || team > meta.teamCount) return fail(400, 'bad_team', `teams are numbered 1 to ${meta.teamCount}`);
    const active = this.seats().filter((s) => !s.kicked);
    const slot = this.seatsPerTeam().find((o) => !active.some((s) => s.team === team && s.node === o.node));
    if (!slot) return fail(409, 'team_full', `team ${team} is full`);
    this.ctx.storage.sql.exec(`UPDATE seats SET team = ?, node = ?, role = ? WHERE id = ?`, team, slot.node, slot.role, seatId);
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
    if (!meta) return fail(404, 'not_found', 'no such lab');
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
    for (let t = 1; t <= meta.teamCount; t++) await this.cluster(t).settings(s);
    return { settings: meta.settings, locked: meta.locked };
  }

  async leaderboard(): Promise<{ team: number; total: number; availability: number; incidents: number }[]> {
    const meta = this.meta;
    if (!meta) return [];
    const out = [];
    for (let t = 1; t <= meta.teamCount; t++) {
      const snap = await this.cluster(t).getSnapshot();
      out.push({ team: t, total: snap.score.total, availability: snap.score.availability, incidents: snap.incidents.length });
    }
    return out.sort((a, b) => b.total - a.total || a.team - b.team);
  }

  async getMeta(): Promise<LabMeta | null> {
    return this.meta;
  }
}
