// ClusterObject: one team's simulated cluster. A thin adapter around src/sim: sockets
// (Hibernation API), one alarm multiplexed into named deadlines, SQLite storage for the sim state
// and its append-only event log, and batched flushes of that log to D1.
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { createCluster, openPrompts, promptsFor, seatView, seesEvent, teacherSnapshot, upcomingFaults } from '../sim/index';
// `step` is the engine's, logged for replays (src/rooms/input-log.ts).
import { flushInputs, readInputs, saveInputs, startInputLog, step } from './input-log';
import type { CheckpointDef, ClusterConfig, ClusterState, Fault, ScheduledFault, SimEvent, SimEventBody, SimInput, StepResult } from '../sim/types';
import { parseClientMessage, type StudentMessage, type LabSettings, type LabStatus, type RoomSnapshot, type SeatInfo, type ServerMessage } from '../protocol/messages';
import { RATE_BURST, RATE_PER_SEC, RATE_STRIKES_BEFORE_CLOSE } from '../protocol/limits';
import { flushEvents } from '../db/queries';
import { objectivesMet, teamScore, type ObjectiveMet } from '../scoring/score';
import { getScenario } from '../sim/scenarios';
import { fail, faultRefused, teacherActionRefused, type LabError } from './door';
import { allAnswered, answerRefused, asked, counts, logResults, openCheckpoint, resultsOf, type OpenCheckpoint } from './checkpoint';
import { journalOf, PRESENCE_SILENT_MS, pushTerminal } from './backlog';
import type { Presence, TerminalEntry } from '../protocol/messages';
import { PRESENCE_SAMPLE_TICKS, type SeatLogBody } from './seat-log';

/** Small, versioned socket attachment (it survives hibernation; keep it well under 2 KiB). */
export type Attachment =
  | { v: 1; role: 'student'; seat: SeatInfo; rejoinCode?: string }
  | { v: 1; role: 'teacher' };

export interface ClusterMeta {
  labId: string;
  code: string;
  team: number;
  teamId: string;
  status: LabStatus;
  settings: LabSettings;
  /** handed to the sim once (`schedule` input); the sim fires the faults and keeps the index */
  timeline: ScheduledFault[];
  /** unused since the sim owns the timeline; kept so stored metas still parse */
  timelineNext: number;
  flushedSeq: number;
  /** seats held by students (node or "qdevice") and the heartbeats counted since the last sample */
  holders?: Record<string, { seatId: string; heard: number; ticks: number }>;
  /** the open checkpoint (src/rooms/checkpoint.ts), and the scenario's checkpoints already opened */
  checkpoint?: OpenCheckpoint | null;
  checkpointsDone?: string[];
}

type Deadline = 'tick' | 'flush' | 'teacher';
const FLUSH_EVERY_MS = 10_000;
const TEACHER_MIN_GAP_MS = 250; // at most 4 teacher snapshots per second
const PING_FRESH_MS = 2500;
const TEACHER_BACKLOG = 200;
/** Close codes of a seat's socket closed by the server: see docs/protocol.md. */
const CLOSE_REPLACED = 4001;
type Bucket = { tokens: number; at: number; strikes: number };

export class ClusterObject extends DurableObject<Env> {
  private meta: ClusterMeta | null = null;
  private sim: ClusterState | null = null;
  private deadlines: Partial<Record<Deadline, number>> = {};
  private lastView = new WeakMap<WebSocket, string>();
  /** Frame budgets: per seat for students (however many sockets it opens), per socket for teachers. */
  private seatBuckets = new Map<string, Bucket>();
  private teacherBuckets = new WeakMap<WebSocket, Bucket>();
  private lastTeacherSend = 0;
  private lastHeartbeatFrame = new Map<string, number>(); // node -> wall ms of last heartbeat frame
  /** In-memory copy of the event log for scoring, read once after a wake-up, then appended to. */
  private logCache: SimEvent[] | null = null;
  /** node -> wall ms its student's last socket closed (presence; lost on eviction, then unknown) */
  private leftAt = new Map<string, number>();
  /** the team's objectives met, recomputed only when the log grew (`n` events) */
  private metMemo: { n: number; met: ObjectiveMet[]; key: string } | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Pings are answered by the runtime without waking the object; liveness is read back with
    // getWebSocketAutoResponseTimestamp on each tick (docs/protocol.md, the `ping` frame).
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
    void ctx.blockConcurrencyWhile(async () => {
      try {
        this.load();
      } catch (err) {
        console.error('ClusterObject.constructor: load failed', err);
        throw err;
      }
    });
  }

  // ------------------------------------------------------------ storage

  private load(): void {
    const sql = this.ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)`);
    sql.exec(
      `CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, type TEXT NOT NULL, node TEXT, data TEXT NOT NULL)`,
    );
    const get = (k: string) => sql.exec<{ v: string }>(`SELECT v FROM kv WHERE k = ?`, k).toArray()[0]?.v;
    const meta = get('meta');
    const sim = get('sim');
    const dl = get('deadlines');
    this.meta = meta ? (JSON.parse(meta) as ClusterMeta) : null;
    this.sim = sim ? (JSON.parse(sim) as ClusterState) : null;
    this.deadlines = dl ? (JSON.parse(dl) as typeof this.deadlines) : {};
    // A room stored before the sim owned the timeline: hand it over where it stopped.
    if (this.sim && this.meta && !this.sim.timeline && this.meta.timeline.length)
      step(this.sim, { type: 'schedule', at: this.sim.now, faults: this.meta.timeline, next: this.meta.timelineNext });
  }

  private put(k: string, v: unknown): void {
    this.ctx.storage.sql.exec(`INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`, k, JSON.stringify(v));
  }

  private saveState(): void {
    if (this.sim) this.put('sim', this.sim);
    if (this.sim) saveInputs(this.ctx.storage.sql, this.sim);
    if (this.meta) this.put('meta', this.meta);
  }

  /** Appends events to the durable log. Runs before anyone is told (the output gate holds
   * outgoing messages until these writes are committed). */
  private appendEvents(events: SimEvent[]): void {
    const sql = this.ctx.storage.sql;
    if (this.logCache) this.logCache.push(...events);
    for (const e of events) {
      const node = 'node' in e && typeof e.node === 'string' ? e.node : null;
      sql.exec(`INSERT OR IGNORE INTO events (seq, at, type, node, data) VALUES (?, ?, ?, ?, ?)`, e.seq, e.at, e.type, node, JSON.stringify(e));
    }
  }

  private readEvents(afterSeq = 0, limit = 100_000): SimEvent[] {
    return this.ctx.storage.sql
      .exec<{ data: string }>(`SELECT data FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, afterSeq, limit)
      .toArray()
      .map((r) => JSON.parse(r.data) as SimEvent);
  }

  // ------------------------------------------------------------ alarm (multiplexed deadlines)

  private async schedule(name: Deadline, at: number | null): Promise<void> {
    if (at === null) delete this.deadlines[name];
    else this.deadlines[name] = at;
    this.put('deadlines', this.deadlines);
    const times = Object.values(this.deadlines);
    if (times.length === 0) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.min(...times));
  }

  override async alarm(): Promise<void> {
    try {
      const entries = Object.entries(this.deadlines) as [Deadline, number][];
      if (entries.length === 0) return;
      // The alarm fires for the earliest deadline; anything due by then runs too. Each handler is
      // idempotent: a retried alarm re-checks state before acting.
      const cutoff = Math.max(Date.now(), Math.min(...entries.map(([, t]) => t)));
      const due = entries.filter(([, t]) => t <= cutoff).map(([n]) => n);
      for (const name of due) delete this.deadlines[name];
      if (due.includes('tick')) await this.onTick();
      if (due.includes('flush')) await this.onFlush();
      if (due.includes('teacher')) this.sendTeacherSnapshot(true);
      // Re-arm what is left.
      const times = Object.values(this.deadlines);
      this.put('deadlines', this.deadlines);
      if (times.length) await this.ctx.storage.setAlarm(Math.min(...times));
    } catch (err) {
      console.error('ClusterObject.alarm failed', err);
      throw err;
    }
  }

  private tickWallMs(): number {
    const s = this.meta!.settings;
    return Math.max(100, Math.round(this.sim!.config.timing.tickMs / s.timeScale));
  }

  private async onTick(): Promise<void> {
    if (!this.sim || !this.meta || this.meta.status !== 'running') return;
    const sim = this.sim;
    const cp = this.meta.checkpoint;
    if (cp && Date.now() >= cp.deadline) this.closeCheckpoint('time-limit');
    else if (cp?.pause) {
      // A pausing checkpoint: the cluster stands still (a prediction stays a prediction).
      await this.schedule('tick', Date.now() + this.tickWallMs());
      return;
    }
    const at = sim.now + sim.config.timing.tickMs;
    const events: SimEvent[] = [];
    // Heartbeats of student-held nodes: a fresh auto-responded ping or heartbeat frame means
    // the browser is alive. A sleeping tab stops pinging, and its node really goes silent.
    const heard = new Set<string>();
    const now = Date.now();
    const pulse = this.meta.settings.heartbeatMode === 'pulse';
    for (const ws of this.ctx.getWebSockets('student')) {
      const a = ws.deserializeAttachment() as Attachment | null;
      if (!a || a.role !== 'student') continue;
      // Browsers ping every wall-clock second whatever the time scale; 2.5 s tolerates one lost
      // ping and timer jitter. A tab that stops pinging (asleep, offline) goes silent. In pulse
      // mode only the student's pulses count, while they keep the node alive (deadAfterMs).
      const pingAt = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
      const frameAt = this.lastHeartbeatFrame.get(a.seat.node) ?? 0;
      const fresh =
        pulse && a.seat.role === 'node' ? now - frameAt <= sim.config.timing.deadAfterMs / this.meta.settings.timeScale : now - Math.max(pingAt, frameAt) <= PING_FRESH_MS;
      if (fresh) heard.add(a.seat.node);
      if (!pulse && fresh && a.seat.role === 'node') step(sim, { type: 'heartbeat', at: sim.now, node: a.seat.node });
    }
    events.push(...step(sim, { type: 'tick', at }).events);
    for (const [node, h] of Object.entries(this.meta.holders ?? {})) {
      h.ticks++;
      if (heard.has(node)) h.heard++;
      if (h.ticks >= PRESENCE_SAMPLE_TICKS) events.push(this.presenceSample(node));
    }
    this.commit(events);
    this.scheduledCheckpoint();
    await this.schedule('tick', Date.now() + this.tickWallMs());
    if (this.deadlines.flush === undefined) await this.schedule('flush', Date.now() + FLUSH_EVERY_MS);
  }

  private async onFlush(): Promise<void> {
    if (!this.meta) return;
    let failed = false;
    try {
      await this.flushToD1();
    } catch (err) {
      // D1 unreachable: the log is safe in this object's storage; try again later.
      console.error('ClusterObject.onFlush: D1 flush failed, will retry', err);
      failed = true;
    }
    if (failed || this.meta.status === 'running' || this.meta.status === 'paused')
      await this.schedule('flush', Date.now() + FLUSH_EVERY_MS);
  }

  /** Copies new log entries to D1 in idempotent batches (the primary key makes re-sends no-ops). */
  private async flushToD1(): Promise<number> {
    const meta = this.meta!;
    let total = 0;
    for (;;) {
      const batch = this.readEvents(meta.flushedSeq, 500);
      if (batch.length === 0) break;
      await flushEvents(this.env.DB, meta.labId, meta.teamId, batch);
      meta.flushedSeq = batch.at(-1)!.seq;
      this.put('meta', meta);
      total += batch.length;
    }
    await flushInputs(this.ctx.storage.sql, this.env.DB, meta.labId, meta.teamId);
    return total;
  }

  // ------------------------------------------------------------ commit and fan-out

  /** Persist state and events, then tell the sockets. */
  private commit(events: SimEvent[]): void {
    this.appendEvents(events);
    this.saveState();
    this.broadcast(events);
  }

  private send(ws: WebSocket, msg: ServerMessage): void {
    try {
      ws.send(JSON.stringify(msg));
    } catch {
      // The socket is closing; its close handler cleans up.
    }
  }

  private broadcast(events: SimEvent[]): void {
    const sim = this.sim!;
    for (const ws of this.ctx.getWebSockets('student')) {
      const a = ws.deserializeAttachment() as Attachment | null;
      if (!a || a.role !== 'student') continue;
      this.pushView(ws, a.seat);
      for (const p of promptsFor(events, a.seat)) this.send(ws, { type: 'prompt', ...p });
      for (const e of events) if (seesEvent(sim, e, a.seat)) this.send(ws, { type: 'event', event: e });
    }
    if (events.length) for (const ws of this.ctx.getWebSockets('teacher')) for (const e of events) this.send(ws, { type: 'event', event: e });
    const before = this.metMemo?.key;
    const met = this.objectivesMet();
    if (this.metMemo!.key !== before) for (const ws of this.ctx.getWebSockets('student')) this.send(ws, { type: 'objectives', met });
    if (sim) this.sendTeacherSnapshot(false);
  }

  /** The scenario objectives met so far (scoring/score.ts decides), for the checklists and the score. */
  private objectivesMet(): ObjectiveMet[] {
    this.logCache ??= this.readEvents(0);
    if (this.metMemo?.n === this.logCache.length) return this.metMemo.met;
    const scenario = getScenario(this.meta!.settings.scenarioId);
    const met = scenario ? objectivesMet(this.logCache, this.sim!, scenario) : [];
    this.metMemo = { n: this.logCache.length, met, key: JSON.stringify(met) };
    return met;
  }

  private pushView(ws: WebSocket, seat: SeatInfo, force = false): void {
    // Graded session: the QDevice seat is graded against its algorithm's choice, so it is not shown.
    const { view, key } = seatView(this.sim!, seat, { hideAnswers: !!this.meta!.settings.graded });
    if (!force && this.lastView.get(ws) === key) return;
    this.lastView.set(ws, key);
    this.send(ws, { type: 'view', view });
  }

  private sendTeacherSnapshot(fromAlarm: boolean): void {
    const teachers = this.ctx.getWebSockets('teacher');
    if (!teachers.length || !this.sim) return;
    const now = Date.now();
    if (!fromAlarm && now - this.lastTeacherSend < TEACHER_MIN_GAP_MS) {
      // Coalesce: one snapshot when the gap is over.
      if (this.deadlines.teacher === undefined) void this.schedule('teacher', this.lastTeacherSend + TEACHER_MIN_GAP_MS);
      return;
    }
    this.lastTeacherSend = now;
    const msg: ServerMessage = { type: 'snapshot', snapshot: this.snapshot() };
    for (const ws of teachers) this.send(ws, msg);
  }

  // ------------------------------------------------------------ RPC (from the Worker and LabObject)

  async init(args: { meta: Omit<ClusterMeta, 'timelineNext' | 'flushedSeq'>; config: ClusterConfig; seed: string }): Promise<void> {
    if (this.meta && this.sim) return; // idempotent
    this.meta = { ...args.meta, timelineNext: 0, flushedSeq: 0 };
    this.sim = createCluster(args.config, args.seed);
    startInputLog(this.ctx.storage.sql, args.config, args.seed);
    if (args.meta.timeline.length) step(this.sim, { type: 'schedule', at: 0, faults: args.meta.timeline });
    this.saveState();
  }

  async setStatus(status: LabStatus): Promise<{ flushed: number }> {
    const meta = this.requireMeta();
    if (meta.status === status) return { flushed: 0 };
    if (meta.status === 'ended') throw new Error('lab already ended');
    meta.status = status;
    // The last partial presence samples go into the log before it is closed.
    if (status === 'ended') this.appendEvents(Object.entries(meta.holders ?? {}).filter(([, h]) => h.ticks > 0).map(([node]) => this.presenceSample(node)));
    this.saveState();
    let flushed = 0;
    if (status === 'running') {
      // Pulse mode grace: at start and after a pause every node counts as just heard, so nobody is
      // declared dead for the seconds it takes to get a hand back on the key.
      if (meta.settings.heartbeatMode === 'pulse') for (const n of this.sim!.config.nodes) step(this.sim!, { type: 'heartbeat', at: this.sim!.now, node: n.name });
      await this.schedule('tick', Date.now() + this.tickWallMs());
      await this.schedule('flush', Date.now() + FLUSH_EVERY_MS);
    } else {
      await this.schedule('tick', null);
      if (status === 'ended') {
        await this.schedule('flush', null);
        await this.schedule('teacher', null);
        try {
          flushed = await this.flushToD1();
        } catch (err) {
          console.error('ClusterObject.setStatus: final D1 flush failed, retrying by alarm', err);
          await this.schedule('flush', Date.now() + FLUSH_EVERY_MS);
        }
      }
    }
    const msg: ServerMessage = { type: 'status', status, simTime: this.sim!.now };
    for (const ws of this.ctx.getWebSockets()) this.send(ws, msg);
    return { flushed };
  }

  /** A teacher's fault, from LabObject (HTTP) or this object's teacher socket: one door, so an
   * ended lab or an unknown node is refused the same way (src/rooms/door.ts). */
  async fault(fault: Fault, by: string): Promise<{ events: number; refused?: LabError }> {
    const meta = this.requireMeta();
    const refused = teacherActionRefused(meta.status) ?? faultRefused(fault, this.sim!.config.nodes.map((n) => n.name));
    if (refused) return { events: 0, refused };
    const r = step(this.sim!, { type: 'fault', at: this.sim!.now, fault, by });
    this.commit(r.events);
    return { events: r.events.length };
  }

  // ------------------------------------------------------------ checkpoints (src/rooms/checkpoint.ts)

  /** The teacher opens (a scenario checkpoint by id, else the next one not yet opened) or closes. */
  async checkpoint(action: 'open' | 'close', id?: string): Promise<{ refused?: LabError; id?: string }> {
    const meta = this.requireMeta();
    const refused = teacherActionRefused(meta.status);
    if (refused) return { refused };
    if (meta.status === 'lobby') return { refused: fail(409, 'not_running', 'the lab has not started yet') };
    if (action === 'close') {
      if (!meta.checkpoint) return { refused: fail(409, 'no_checkpoint', 'no checkpoint is open') };
      const closed = meta.checkpoint.id;
      this.closeCheckpoint('teacher');
      return { id: closed };
    }
    if (meta.checkpoint) return { refused: fail(409, 'checkpoint_open', `checkpoint "${meta.checkpoint.id}" is already open`) };
    const defs = getScenario(meta.settings.scenarioId)?.checkpoints ?? [];
    const def = id !== undefined ? defs.find((d) => d.id === id) : defs.find((d) => !meta.checkpointsDone?.includes(d.id));
    if (!def) return { refused: id !== undefined ? fail(400, 'unknown_checkpoint', `this scenario has no checkpoint "${id.slice(0, 40)}"`) : fail(409, 'no_checkpoint', 'every checkpoint of this scenario was opened') };
    this.openCheckpointNow(def, 'teacher');
    return { id: def.id };
  }

  /** The scenario's checkpoints open when sim time reaches them, with the scheduled faults. */
  private scheduledCheckpoint(): void {
    const meta = this.meta!;
    if (!meta.settings.timeline || meta.checkpoint) return;
    const def = getScenario(meta.settings.scenarioId)?.checkpoints.find((d) => d.atMs <= this.sim!.now && !meta.checkpointsDone?.includes(d.id));
    if (def) this.openCheckpointNow(def, 'timeline');
  }

  private openCheckpointNow(def: CheckpointDef, by: 'timeline' | 'teacher'): void {
    const meta = this.meta!;
    const sim = this.sim!;
    const nodes = Object.keys(meta.holders ?? {}).filter((n) => sim.nodes[n]).sort();
    const cp = (meta.checkpoint = openCheckpoint(sim, def, nodes, Date.now()));
    (meta.checkpointsDone ??= []).push(def.id);
    this.logRoomEvent(this.seatEvent({ type: 'checkpoint-opened', checkpoint: def.id, nodes, by }));
    this.saveState();
    for (const [ws, seat] of this.studentSockets()) this.sendCheckpoint(ws, seat, cp);
    this.sendTeacherSnapshot(false);
  }

  private sendCheckpoint(ws: WebSocket, seat: SeatInfo, cp: OpenCheckpoint): void {
    if (!cp.questions[seat.node]) return;
    this.send(ws, { type: 'checkpoint', checkpoint: { id: cp.id, title: cp.title, pause: cp.pause, deadline: cp.deadline, questions: asked(cp, seat.node), answers: cp.answers[seat.node] ?? {} } });
  }

  private closeCheckpoint(reason: 'teacher' | 'all-answered' | 'time-limit'): void {
    const meta = this.meta!;
    const cp = meta.checkpoint;
    if (!cp) return;
    meta.checkpoint = null;
    this.logRoomEvent(this.seatEvent({ type: 'checkpoint-closed', checkpoint: cp.id, reason, results: logResults(cp) }));
    this.saveState();
    for (const [ws, seat] of this.studentSockets())
      if (cp.questions[seat.node]) this.send(ws, { type: 'checkpoint-results', id: cp.id, title: cp.title, results: resultsOf(cp, seat.node) });
    this.sendTeacherSnapshot(false);
  }

  private onAnswer(ws: WebSocket, seat: SeatInfo, msg: Extract<StudentMessage, { type: 'answer' }>): void {
    const cp = this.meta!.checkpoint;
    const refused = answerRefused(cp, seat.node, msg.checkpoint, msg.question, msg.answer);
    if (refused || !cp) return this.send(ws, { type: 'error', ...refused! });
    cp.answers[seat.node]![msg.question] = msg.answer;
    this.saveState();
    this.sendCheckpoint(ws, seat, cp);
    if (allAnswered(cp)) this.closeCheckpoint('all-answered');
    else this.sendTeacherSnapshot(false);
  }

  /** A room event the teacher's feed shows too (students get their own frames). */
  private logRoomEvent(e: SimEvent): void {
    this.appendEvents([e]);
    for (const ws of this.ctx.getWebSockets('teacher')) this.send(ws, { type: 'event', event: e });
  }

  private *studentSockets(): Generator<[WebSocket, SeatInfo]> {
    for (const ws of this.ctx.getWebSockets('student')) {
      const a = ws.deserializeAttachment() as Attachment | null;
      if (a?.role === 'student') yield [ws, a.seat];
    }
  }

  /** A student takes (`auto` false) or leaves a seat; the log records who held it from now on. */
  async setSeatAuto(node: string, auto: boolean, seatId?: string, reason: 'kicked' | 'moved' | 'left' = 'left'): Promise<void> {
    const meta = this.requireMeta();
    step(this.sim!, { type: 'set-auto', at: this.sim!.now, node, auto });
    const holders = (meta.holders ??= {});
    const events: SimEvent[] = [];
    const held = holders[node];
    if (held && (auto || held.seatId !== seatId)) {
      if (held.ticks > 0) events.push(this.presenceSample(node));
      events.push(this.seatEvent({ type: 'seat-left', node, seatId: held.seatId, reason }));
      delete holders[node];
    }
    if (!auto && seatId && !holders[node]) {
      holders[node] = { seatId, heard: 0, ticks: 0 };
      events.push(this.seatEvent({ type: 'seat-taken', node, seatId }));
    }
    this.appendEvents(events);
    this.saveState();
    if (auto) this.leftAt.delete(node);
    this.sendTeacherSnapshot(false); // lobby panels show the student's name at once
  }

  /** A room event in the team's log, numbered after the engine's (they share one sequence). Only
   * reports read them: sockets are not told. */
  private seatEvent(body: SeatLogBody | Extract<SimEventBody, { type: 'checkpoint-opened' | 'checkpoint-closed' }>): SimEvent {
    const sim = this.sim!;
    return { ...body, seq: ++sim.seq, at: sim.now };
  }

  private presenceSample(node: string): SimEvent {
    const h = this.meta!.holders![node]!;
    const e = this.seatEvent({ type: 'presence', node, seatId: h.seatId, heard: h.heard, ticks: h.ticks });
    h.heard = 0;
    h.ticks = 0;
    return e;
  }

  /** Closes every socket of a seat: `kicked` (token revoked), `released` (abandoned seat freed),
   * `moved` (reconnect with the same token) or `replaced` (taken back with its rejoin code). */
  async closeSeat(seatId: string, reason: string, code: 'kicked' | 'moved' | 'replaced' | 'released' = 'kicked'): Promise<number> {
    let closed = 0;
    for (const ws of this.seatSockets(seatId)) {
      this.send(ws, { type: 'error', code, message: reason });
      this.closeQuietly(ws, code === 'replaced' ? CLOSE_REPLACED : 1008, reason);
      closed++;
    }
    if (code !== 'moved') this.seatBuckets.delete(seatId);
    return closed;
  }

  /** The open sockets of a seat. */
  private seatSockets(seatId: string): WebSocket[] {
    return this.ctx.getWebSockets('student').filter((ws) => {
      const a = ws.deserializeAttachment() as Attachment | null;
      return a?.role === 'student' && a.seat.seatId === seatId;
    });
  }

  /** Close with a readable reason (≤ 123 bytes), ignoring a socket that is already closing. */
  private closeQuietly(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code, new TextDecoder().decode(new TextEncoder().encode(reason).slice(0, 120)).replace(/\uFFFD$/, ''));
    } catch {
      /* already closed */
    }
  }

  async settings(patch: Partial<LabSettings>): Promise<void> {
    const meta = this.requireMeta();
    meta.settings = { ...meta.settings, ...patch };
    if (patch.voteMode) step(this.sim!, { type: 'vote-mode', at: this.sim!.now, mode: patch.voteMode });
    this.saveState();
    if (meta.status === 'running' && patch.timeScale) await this.schedule('tick', Date.now() + this.tickWallMs());
    const msg: ServerMessage = { type: 'settings', settings: meta.settings };
    for (const ws of this.ctx.getWebSockets()) this.send(ws, msg);
    // A new vote mode changes what the QDevice seat may do: refresh every student's view.
    for (const ws of this.ctx.getWebSockets('student')) {
      const a = ws.deserializeAttachment() as Attachment | null;
      if (a?.role === 'student') this.pushView(ws, a.seat, true);
    }
  }

  snapshot(): RoomSnapshot {
    const sim = this.sim!;
    const meta = this.meta!;
    const upcoming = upcomingFaults(sim, 5);
    const met = this.objectivesMet();
    return { team: meta.team, status: meta.status, ...teacherSnapshot(sim), upcoming, presence: this.presence(), score: teamScore(this.logCache!, sim, getScenario(meta.settings.scenarioId), met), checkpoint: meta.checkpoint ? { id: meta.checkpoint.id, title: meta.checkpoint.title, deadline: meta.checkpoint.deadline, ...counts(meta.checkpoint) } : null };
  }

  // ------------------------------------------------------------ reloads and presence (src/rooms/backlog.ts)

  private backlogOf(seat: SeatInfo) {
    this.logCache ??= this.readEvents(0);
    const sim = this.sim!;
    const raw = this.ctx.storage.sql.exec<{ v: string }>(`SELECT v FROM kv WHERE k = ?`, `term:${seat.seatId}`).toArray()[0]?.v;
    return { terminal: raw ? (JSON.parse(raw) as TerminalEntry[]) : [], journal: journalOf(this.logCache, (e) => seesEvent(sim, e, seat)) };
  }

  private rememberOutput(seatId: string, entry: TerminalEntry): void {
    const raw = this.ctx.storage.sql.exec<{ v: string }>(`SELECT v FROM kv WHERE k = ?`, `term:${seatId}`).toArray()[0]?.v;
    this.put(`term:${seatId}`, pushTerminal(raw ? (JSON.parse(raw) as TerminalEntry[]) : [], entry));
  }

  /** node -> its student's presence, for every node a student holds or held. */
  private presence(): Record<string, Presence> {
    const now = Date.now();
    const out: Record<string, Presence> = {};
    for (const [node, at] of this.leftAt) out[node] = { online: false, agoMs: now - at };
    for (const ws of this.ctx.getWebSockets('student')) {
      const a = ws.deserializeAttachment() as Attachment | null;
      if (a?.role !== 'student') continue;
      const heard = Math.max(this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0, this.lastHeartbeatFrame.get(a.seat.node) ?? 0);
      const ago = heard ? now - heard : null;
      const p: Presence = { online: ago === null || ago < PRESENCE_SILENT_MS, agoMs: ago };
      if (!out[a.seat.node]?.online) out[a.seat.node] = p;
    }
    return out;
  }

  async getSnapshot() {
    this.requireMeta();
    return this.snapshot();
  }

  async getEvents(afterSeq = 0, limit = 100_000) {
    return this.readEvents(afterSeq, limit);
  }

  /** The engine's input log after `afterSeq` (replays: src/api/replay.ts). */
  async getInputs(afterSeq = -1, limit = 100_000) {
    return readInputs(this.ctx.storage.sql, afterSeq, limit);
  }

  /** For tests and support: the whole persisted state as JSON text. */
  async debugState(): Promise<string> {
    return JSON.stringify({ meta: this.meta, sim: this.sim, deadlines: this.deadlines });
  }

  private requireMeta(): ClusterMeta {
    if (!this.meta || !this.sim) throw new Error('cluster not initialised');
    return this.meta;
  }

  // ------------------------------------------------------------ WebSockets

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade') !== 'websocket') return Response.json({ error: { code: 'upgrade_required', message: 'WebSocket only' } }, { status: 426 });
    const raw = request.headers.get('X-Quorum-Attachment');
    if (!raw || !this.meta || !this.sim) return Response.json({ error: { code: 'not_found', message: 'no such cluster' } }, { status: 404 });
    // Set by the Worker only (the object has no public route); URI-encoded because headers are ASCII.
    const attachment = JSON.parse(decodeURIComponent(raw)) as Attachment;
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    if (attachment.role === 'student') {
      // One live socket per seat: a newer connection with the same token replaces the old one.
      for (const old of this.seatSockets(attachment.seat.seatId)) {
        this.send(old, { type: 'error', code: 'replaced', message: 'replaced by a newer connection / remplacé par une connexion plus récente' });
        this.closeQuietly(old, CLOSE_REPLACED, 'replaced by a newer connection');
      }
    }
    this.ctx.acceptWebSocket(server, [attachment.role]);
    server.serializeAttachment(attachment);
    if (attachment.role === 'student') {
      this.send(server, {
        type: 'welcome',
        seat: attachment.seat,
        ...(attachment.rejoinCode ? { rejoinCode: attachment.rejoinCode } : {}),
        settings: this.meta.settings,
        serverTime: Date.now(),
        simTime: this.sim.now,
        status: this.meta.status,
        timing: this.sim.config.timing,
        backlog: this.backlogOf(attachment.seat),
      });
      this.leftAt.delete(attachment.seat.node);
      this.sendTeacherSnapshot(false);
      this.pushView(server, attachment.seat, true);
      this.send(server, { type: 'objectives', met: this.objectivesMet() });
      if (this.meta.checkpoint) this.sendCheckpoint(server, attachment.seat, this.meta.checkpoint);
      for (const p of openPrompts(this.sim, attachment.seat)) this.send(server, { type: 'prompt', ...p });
    } else {
      this.send(server, { type: 'status', status: this.meta.status, simTime: this.sim.now });
      this.send(server, { type: 'snapshot', snapshot: this.snapshot() });
      // The recent past, so a reloaded dashboard's feed is not empty.
      this.logCache ??= this.readEvents(0);
      this.send(server, { type: 'events', events: this.logCache.slice(-TEACHER_BACKLOG) });
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Token bucket: RATE_PER_SEC sustained, RATE_BURST at once; per seat for students. */
  private bucket(ws: WebSocket, a: Attachment): Bucket {
    const now = Date.now();
    let b = a.role === 'student' ? this.seatBuckets.get(a.seat.seatId) : this.teacherBuckets.get(ws);
    if (!b) {
      b = { tokens: RATE_BURST, at: now, strikes: 0 };
      if (a.role === 'student') this.seatBuckets.set(a.seat.seatId, b);
      else this.teacherBuckets.set(ws, b);
    }
    b.tokens = Math.min(RATE_BURST, b.tokens + ((now - b.at) / 1000) * RATE_PER_SEC);
    b.at = now;
    return b;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    try {
      const a = ws.deserializeAttachment() as Attachment | null;
      if (!a || !this.sim || !this.meta) {
        ws.close(1011, 'room not ready');
        return;
      }
      const b = this.bucket(ws, a);
      if (b.tokens < 1) {
        b.strikes++;
        if (b.strikes >= RATE_STRIKES_BEFORE_CLOSE) this.closeQuietly(ws, 1008, 'rate limit exceeded');
        else this.send(ws, { type: 'error', code: 'rate_limited', message: `slow down: at most ${RATE_PER_SEC} frames per second` });
        return;
      }
      b.tokens -= 1;
      if (a.role === 'teacher') return this.onTeacherMessage(ws, message);
      const parsed = parseClientMessage(message, 'student');
      if (!parsed.ok) {
        this.send(ws, { type: 'error', code: parsed.code, message: parsed.message });
        if (parsed.code === 'frame_too_big') this.closeQuietly(ws, 1009, 'frame too big');
        return;
      }
      const msg = parsed.msg;
      const seat = a.seat;
      const sim = this.sim;
      const status = this.meta.status;
      switch (msg.type) {
        case 'hello':
          this.pushView(ws, seat, true);
          return;
        case 'answer':
          return this.onAnswer(ws, seat, msg);
        case 'heartbeat':
        case 'pulse':
          if (seat.role !== 'node') return this.send(ws, { type: 'error', code: 'not_a_node', message: 'the QDevice seat sends no heartbeats' });
          if (status !== 'running') return;
          this.lastHeartbeatFrame.set(seat.node, Date.now());
          step(sim, { type: 'heartbeat', at: sim.now, node: seat.node });
          return;
        case 'vote':
        case 'command':
        case 'qdevice-choice': {
          if (status !== 'running')
            return this.send(ws, { type: 'error', code: 'not_running', message: status === 'paused' ? 'the lab is paused' : status === 'lobby' ? 'the lab has not started yet' : 'the lab has ended' });
          let input: SimInput;
          if (msg.type === 'vote') {
            if (seat.role !== 'node') return this.send(ws, { type: 'error', code: 'not_a_node', message: 'only nodes vote on fencing' });
            input = { type: 'vote', at: sim.now, node: seat.node, voteId: msg.voteId, yes: msg.yes };
          } else if (msg.type === 'command') {
            if (seat.role !== 'node') return this.send(ws, { type: 'error', code: 'not_a_node', message: 'the QDevice host has no Proxmox shell' });
            input = { type: 'command', at: sim.now, node: seat.node, line: msg.line };
          } else {
            if (seat.role !== 'qdevice') return this.send(ws, { type: 'error', code: 'forbidden', message: 'only the QDevice seat chooses where its vote goes' });
            input = { type: 'qdevice-choice', at: sim.now, node: msg.node };
          }
          const r: StepResult = step(sim, input);
          if (r.error) this.send(ws, { type: 'error', code: r.error.code, message: r.error.message });
          this.commit(r.events);
          if (r.command && msg.type === 'command') {
            this.send(ws, { type: 'output', ...(msg.id !== undefined ? { id: msg.id } : {}), line: msg.line, output: r.command.output, exitCode: r.command.exitCode });
            this.rememberOutput(seat.seatId, { line: msg.line, output: r.command.output, exitCode: r.command.exitCode });
          }
          return;
        }
      }
    } catch (err) {
      console.error('ClusterObject.webSocketMessage failed', err);
      this.send(ws, { type: 'error', code: 'internal', message: 'internal error; the room goes on' });
    }
  }

  private async onTeacherMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const parsed = parseClientMessage(message, 'teacher');
    if (!parsed.ok) {
      this.send(ws, { type: 'error', code: parsed.code, message: parsed.message });
      if (parsed.code === 'frame_too_big') this.closeQuietly(ws, 1009, 'frame too big');
      return;
    }
    const msg = parsed.msg;
    if (msg.type === 'snapshot') return this.send(ws, { type: 'snapshot', snapshot: this.snapshot() });
    const r = await this.fault(msg.fault, 'teacher');
    if (r.refused) this.send(ws, { type: 'error', code: r.refused.error.code, message: r.refused.error.message });
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    const a = ws.deserializeAttachment() as Attachment | null;
    if (a?.role === 'student') {
      this.leftAt.set(a.seat.node, Date.now());
      if (this.sim) this.sendTeacherSnapshot(false);
    }
    try {
      // Reciprocate quietly; 1005/1006 cannot be sent back.
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      /* already closed */
    }
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    console.error('ClusterObject.webSocketError', error);
    try {
      ws.close(1011, 'socket error');
    } catch {
      /* already closed */
    }
  }
}
