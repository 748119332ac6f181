// The core of ClusterObject (cluster.ts builds on it): the state in memory and in storage, the one
// door into the engine (`apply`), the multiplexed alarm, the tick, and the fan-out of what changed
// to the sockets. It decides nothing a student could ask "why" about: src/sim does.
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { promptsFor, seatView, seesEvent, teacherSnapshot, upcomingFaults } from '../sim/index';
// `step` is the engine's, logged for replays (src/rooms/input-log.ts).
import { saveInputs, step } from './input-log';
import { ticksToCover } from '../sim/deadline';
import type { ClusterState, SimEvent, SimEventBody, SimInput, StepResult } from '../sim/types';
import type { RoomSnapshot, SeatInfo, ServerMessage } from '../protocol/messages';
import { objectivesMet, teamScore, type ObjectiveMet } from '../scoring/score';
import { counts } from './checkpoint';
import { PRESENCE_SAMPLE_TICKS, toSockets, type SeatLogBody } from './seat-log';
import { ClusterStore } from './cluster-store';
import { Hearing } from './hearing';
import { seatOptions } from './diagnosis';
import { SummaryPush } from './summary-push';
import { summarize } from '../protocol/summary';
import { FLUSH_EVERY_MS, firstFlushInMs, MAX_STEADY_TICKS, MAX_TICK_LAG, scenarioOf, TEACHER_MIN_GAP_MS, type Attachment, type ClusterMeta, type Deadline } from './cluster-types';

export abstract class ClusterRoom extends DurableObject<Env> {
  protected meta: ClusterMeta | null = null;
  protected sim: ClusterState | null = null;
  protected store: ClusterStore;
  protected deadlines: Partial<Record<Deadline, number>> = {};
  /** the alarm time last set (null: none, or unknown after a wake-up) */
  private armedAt: number | null = null;
  /** inside alarm(): deadlines are collected and the alarm armed once at the end */
  private batching = false;
  private lastView = new WeakMap<WebSocket, string>();
  /** each socket's attachment, deserialised once (see attachmentOf) */
  private attachments = new WeakMap<WebSocket, Attachment | null>();
  private lastTeacherSend = 0;
  protected teacherTimer: ReturnType<typeof setTimeout> | null = null;
  private lastTeacherKey = '';
  /** what the room hears of the students' browsers (src/rooms/hearing.ts) */
  protected readonly hearing = new Hearing((ws) => this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0);
  /** In-memory copy of the event log for scoring, read once after a wake-up, then appended to. */
  protected logCache: SimEvent[] | null = null;
  /** objectives met and team score, recomputed only when the log grew (`n` events) */
  private metMemo: { n: number; met: ObjectiveMet[]; key: string } | null = null;
  private scoreMemo: { n: number; score: RoomSnapshot['score'] } | null = null;
  /** sim ticks the armed tick covers (more than 1: a steady cluster sleeps, see planTicks) */
  private plannedTicks = 1;
  private untold: SimEvent[] = []; // a catch-up's events, sent with its input's
  /** wall ms of the last tick (in memory: after a wake-up the next tick is a single one) */
  private lastTickWall = 0;
  /** the lab's copy of this team's summary (dashboard grid, leaderboard): src/rooms/summary-push.ts */
  protected readonly summaryPush = new SummaryPush((s) => this.env.LAB.getByName(this.meta!.code).teamSummary(s));

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ClusterStore(ctx.storage.sql);
  }

  protected load(): void {
    this.meta = this.store.loadMeta();
    this.sim = this.store.loadSim();
    this.deadlines = this.store.loadDeadlines();
    // A room stored before the sim owned the timeline: hand it over where it stopped.
    if (this.sim && this.meta && !this.sim.timeline && this.meta.timeline.length)
      this.apply({ type: 'schedule', at: this.sim.now, faults: this.meta.timeline, next: this.meta.timelineNext });
  }

  /** After a wake-up: the alarm as stored by the runtime. A `tick` stored as 0 ("due when the
   * alarm fires") takes the alarm's time, so re-arming does not set an alarm in the past. */
  protected async loadAlarm(): Promise<void> {
    const at = await this.ctx.storage.getAlarm();
    this.armedAt = at;
    if (this.deadlines.tick === 0) this.deadlines.tick = at ?? Date.now();
  }

  /** The one door into the engine: every input the room gives the sim passes here (a replay log
   * of inputs can be kept at this point). */
  /** Steps the engine. An input other than the clock's own lands at the sim time of now: in the
   * middle of a steady jump, the ticks of the jump already due run first (`catchUp`). */
  protected apply(input: SimInput): StepResult {
    if (input.type !== 'tick' && input.type !== 'heartbeat' && input.type !== 'schedule') {
      this.catchUp();
      input = { ...input, at: this.sim!.now };
    }
    return step(this.sim!, input);
  }

  /** Writes what changed: the sim's changed parts, the meta when it changed. */
  protected saveState(): void {
    if (this.sim) this.store.saveSim(this.sim);
    if (this.sim) saveInputs(this.ctx.storage.sql, this.sim);
    if (this.meta) this.store.saveMeta(this.meta);
  }

  /** Appends events to the durable log. Runs before anyone is told (the output gate holds
   * outgoing messages until these writes are committed). */
  protected appendEvents(events: SimEvent[]): void {
    if (this.logCache) this.logCache.push(...events);
    this.store.appendEvents(events);
  }

  // ------------------------------------------------------------ alarm (multiplexed deadlines)

  protected async schedule(name: Deadline, at: number | null): Promise<void> {
    if (at === null) delete this.deadlines[name];
    else this.deadlines[name] = at;
    if (!this.batching) await this.arm();
  }

  /** One row write when the set of deadlines changed, one setAlarm when the earliest one moved. */
  private async arm(): Promise<void> {
    this.store.saveDeadlines(this.deadlines);
    const times = Object.values(this.deadlines);
    const next = times.length ? Math.min(...times) : null;
    if (next === this.armedAt) return;
    this.armedAt = next;
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  override async alarm(): Promise<void> {
    this.armedAt = null; // a fired alarm is cleared by the runtime
    this.batching = true;
    try {
      const entries = Object.entries(this.deadlines) as [Deadline, number][];
      if (entries.length === 0) return;
      // The alarm fires for the earliest deadline; anything due by then runs too. Each handler is
      // idempotent: a retried alarm re-checks state before acting.
      const cutoff = Math.max(Date.now(), Math.min(...entries.map(([, t]) => t)));
      const due = new Map(entries.filter(([, t]) => t <= cutoff));
      for (const name of due.keys()) delete this.deadlines[name];
      if (due.has('tick')) await this.onTick(due.get('tick')!);
      if (due.has('flush')) await this.onFlush();
    } catch (err) {
      console.error('ClusterObject.alarm failed', err);
      throw err;
    } finally {
      this.batching = false;
      await this.arm();
    }
  }

  protected tickWallMs(): number {
    return Math.max(100, Math.round(this.sim!.config.timing.tickMs / this.meta!.settings.timeScale));
  }

  /** The next tick, re-armed from the one just due (no drift: a late alarm does not push the
   * clock back), never more than one period ahead (an alarm run early, as tests do, does not run
   * the clock ahead), and resynced to now when the room is far behind (after an eviction). */
  private nextTick(due: number): number {
    const now = Date.now();
    const period = this.tickWallMs();
    const next = Math.min(due + period, now + period);
    return next < now - MAX_TICK_LAG * period ? now + period : next;
  }

  private async onTick(due: number): Promise<void> {
    if (!this.sim || !this.meta || this.meta.status !== 'running') return;
    const cp = this.meta.checkpoint;
    if (cp && Date.now() >= cp.deadline) this.closeCheckpoint('time-limit');
    else if (cp?.pause) {
      // A pausing checkpoint: the cluster stands still (a prediction stays a prediction).
      this.plannedTicks = 1;
      await this.schedule('tick', this.nextTick(due));
      return;
    }
    // A steady cluster's tick covers several sim ticks at once (src/sim/deadline.ts) when it fires
    // on time (an alarm run early, as tests do, covers one).
    const period = this.tickWallMs();
    this.commit(this.advance(Date.now() >= due - period / 2 ? this.plannedTicks : 1, Date.now()));
    this.scheduledCheckpoint();
    this.plannedTicks = this.planTicks();
    await this.schedule('tick', this.nextTick(due) + (this.plannedTicks - 1) * period);
    if (this.deadlines.flush === undefined) await this.schedule('flush', Date.now() + firstFlushInMs(this.meta.teamId));
  }

  /** An input during a steady jump: the whole ticks already due run first (a shorter jump from the
   * same steady state), the alarm at the jump's end covers the rest, and the clock keeps the wall.
   * (`advance` applies only heartbeats and ticks: no recursion.) */
  private catchUp(): void {
    if (this.plannedTicks <= 1 || this.meta?.status !== 'running' || this.meta.checkpoint) return;
    const period = this.tickWallMs();
    const m = Math.min(this.plannedTicks - 1, Math.floor((Date.now() - this.lastTickWall) / period));
    if (m < 1) return;
    this.plannedTicks -= m;
    const events = this.advance(m, this.lastTickWall + m * period);
    // Stored now; told with the input's own events (one view per seat, one teacher snapshot).
    this.appendEvents(events);
    this.saveState();
    this.untold.push(...events);
  }

  /** `n` sim ticks at once, the students' heartbeats first; `wall`: the wall time they end at. */
  private advance(n: number, wall: number): SimEvent[] {
    const sim = this.sim!;
    const meta = this.meta!;
    const period = this.tickWallMs();
    const at = sim.now + n * sim.config.timing.tickMs;
    const events: SimEvent[] = [];
    // Heartbeats of student-held nodes (src/rooms/hearing.ts): heard now, at the tick's time; heard
    // during the jump but quiet now (a dropped socket), at the last whole tick it was heard.
    const settings = meta.settings;
    const pulse = settings.heartbeatMode === 'pulse';
    const heard = this.hearing.heardNow(this.studentSockets(), pulse ? sim.config.timing.deadAfterMs / settings.timeScale : null, Date.now());
    if (!pulse) {
      if (n > 2) {
        const jump = { simNow: sim.now, tickMs: sim.config.timing.tickMs, n, lastTickWall: this.lastTickWall, periodMs: period };
        for (const q of this.hearing.quietDuringJump(heard, sim.nodes, jump)) this.apply({ type: 'heartbeat', at: q.at, node: q.node });
      }
      for (const node of heard) if (sim.nodes[node]) this.apply({ type: 'heartbeat', at: n > 1 ? at : sim.now, node });
    }
    events.push(...this.apply({ type: 'tick', at }).events);
    for (const [node, h] of Object.entries(meta.holders ?? {})) {
      h.ticks += n;
      if (heard.has(node)) h.heard += n;
      if (h.ticks >= PRESENCE_SAMPLE_TICKS) events.push(this.presenceSample(node));
    }
    this.lastTickWall = wall;
    return events;
  }

  /** (Re)starts the clock: one single tick one period from now (start, resume, new time scale). */
  protected armTick(): Promise<void> {
    this.plannedTicks = 1;
    return this.schedule('tick', Date.now() + this.tickWallMs());
  }

  /** How many sim ticks the next tick may cover: 1 while anything is in motion (or in pulse mode,
   * or with a checkpoint open), else up to the steady horizon, the next deadline, MAX_STEADY_TICKS. */
  private planTicks(): number {
    const sim = this.sim!;
    const meta = this.meta!;
    if (meta.settings.heartbeatMode === 'pulse' || meta.checkpoint) return 1;
    return ticksToCover(sim, MAX_STEADY_TICKS);
  }

  /** After an input: a steady jump already armed is cut back to the next single tick if the
   * cluster is now in motion (a fault, a command). */
  private replanTick(): void {
    if (this.plannedTicks <= 1 || this.deadlines.tick === undefined || this.meta?.status !== 'running') return;
    if (this.planTicks() > 1) return;
    this.plannedTicks = 1;
    void this.schedule('tick', Math.max(Date.now(), this.lastTickWall + this.tickWallMs()));
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
    if (failed || this.meta.status === 'running' || this.meta.status === 'paused') await this.schedule('flush', Date.now() + FLUSH_EVERY_MS);
  }

  /** The log and inputs to D1 (ClusterStore.flushToD1). */
  protected flushToD1(): Promise<number> {
    return this.store.flushToD1(this.env.DB, this.meta!);
  }

  // ------------------------------------------------------------ commit and fan-out

  /** Persist state and events, then tell the sockets. */
  protected commit(events: SimEvent[]): void {
    this.appendEvents(events);
    this.saveState();
    this.broadcast(this.untold.length ? [...this.untold.splice(0), ...events] : events);
    if (!this.batching) this.replanTick();
  }

  protected send(ws: WebSocket, msg: ServerMessage): void {
    try {
      ws.send(JSON.stringify(msg));
    } catch {
      // The socket is closing; its close handler cleans up.
    }
  }

  /** A socket's attachment, deserialised once: it is set when the socket is accepted and never
   * changes, and a tick reads every socket's several times (after a wake-up the sockets are new
   * objects, read afresh). */
  protected attachmentOf(ws: WebSocket): Attachment | null {
    let a = this.attachments.get(ws);
    if (a === undefined) this.attachments.set(ws, (a = (ws.deserializeAttachment() as Attachment | null) ?? null));
    return a;
  }

  protected *studentSockets(): Generator<[WebSocket, SeatInfo]> {
    for (const ws of this.ctx.getWebSockets('student')) {
      const a = this.attachmentOf(ws);
      if (a?.role === 'student') yield [ws, a.seat];
    }
  }

  private broadcast(events: SimEvent[]): void {
    const sim = this.sim!;
    const opts = seatOptions(this.meta!.settings);
    for (const [ws, seat] of this.studentSockets()) {
      this.pushView(ws, seat);
      for (const p of promptsFor(events, seat)) this.send(ws, { type: 'prompt', ...p });
      for (const e of events) if (seesEvent(sim, e, seat, opts)) this.send(ws, { type: 'event', event: e });
    }
    const told = events.filter(toSockets);
    if (told.length) for (const ws of this.ctx.getWebSockets('teacher')) for (const e of told) this.send(ws, { type: 'event', event: e });
    const before = this.metMemo?.key;
    const met = this.objectivesMet();
    // Diagnosis mode: the checklist would tell what happened (the page shows none).
    if (this.metMemo!.key !== before && !opts.diagnosis) for (const ws of this.ctx.getWebSockets('student')) this.send(ws, { type: 'objectives', met });
    this.sendTeacherSnapshot(false);
  }

  /** The scenario objectives met so far (scoring/score.ts decides), for the checklists and the score. */
  protected objectivesMet(): ObjectiveMet[] {
    this.logCache ??= this.store.readEvents(0);
    if (this.metMemo?.n === this.logCache.length) return this.metMemo.met;
    const scenario = scenarioOf(this.meta!);
    const met = scenario ? objectivesMet(this.logCache, this.sim!, scenario) : [];
    this.metMemo = { n: this.logCache.length, met, key: JSON.stringify(met) };
    return met;
  }

  protected pushView(ws: WebSocket, seat: SeatInfo, force = false): void {
    // Graded session: the QDevice seat is graded against its algorithm's choice, so it is not shown.
    const { view, key } = seatView(this.sim!, seat, seatOptions(this.meta!.settings));
    if (!force && this.lastView.get(ws) === key) return;
    this.lastView.set(ws, key);
    this.send(ws, { type: 'view', view });
  }

  /** A snapshot to the teacher sockets when it changed (at most one per TEACHER_MIN_GAP_MS; `due`:
   * the coalescing timer fired). The timer lives in memory, not in the alarm: a burst (a reconnect
   * storm) costs no storage write; should the object be evicted meanwhile, the next tick sends it. */
  protected sendTeacherSnapshot(due: boolean): void {
    // Whatever reaches the teacher sockets may change the team's summary: the lab hears of it too.
    if (this.meta && this.sim) this.summaryPush.update(() => summarize(this.snapshot()), `${this.sim.seq}:${this.meta.status}:${this.ctx.getWebSockets('student').length}:${this.hearing.leftAt.size}`, Date.now());
    const teachers = this.ctx.getWebSockets('teacher');
    if (!teachers.length || !this.sim) return;
    const now = Date.now();
    if (!due && now - this.lastTeacherSend < TEACHER_MIN_GAP_MS) {
      // Coalesce: one snapshot when the gap is over.
      this.teacherTimer ??= setTimeout(() => {
        this.teacherTimer = null;
        this.sendTeacherSnapshot(true);
      }, this.lastTeacherSend + TEACHER_MIN_GAP_MS - now);
      return;
    }
    const snapshot = this.snapshot();
    // Unchanged but for the clock and presence ages (counted in 10 s steps): nothing to send.
    const presence = Object.fromEntries(Object.entries(snapshot.presence ?? {}).map(([n, p]) => [n, [p.online, p.agoMs === null ? null : Math.floor(p.agoMs / 10_000)]]));
    const key = JSON.stringify({ ...snapshot, now: 0, presence });
    if (key === this.lastTeacherKey) return;
    this.lastTeacherKey = key;
    this.lastTeacherSend = now;
    const msg: ServerMessage = { type: 'snapshot', snapshot };
    for (const ws of teachers) this.send(ws, msg);
  }

  protected snapshot(): RoomSnapshot {
    const sim = this.sim!;
    const meta = this.meta!;
    const met = this.objectivesMet();
    const n = this.logCache!.length;
    if (this.scoreMemo?.n !== n) this.scoreMemo = { n, score: teamScore(this.logCache!, sim, scenarioOf(meta), met) };
    const cp = meta.checkpoint;
    return {
      team: meta.team,
      status: meta.status,
      ...teacherSnapshot(sim),
      upcoming: upcomingFaults(sim, 5),
      presence: this.hearing.presence(this.studentSockets(), Date.now()),
      score: this.scoreMemo.score,
      checkpoint: cp ? { id: cp.id, title: cp.title, deadline: cp.deadline, ...counts(cp) } : null,
    };
  }

  // ------------------------------------------------------------ room events (seat log)

  /** A room event in the team's log, numbered after the engine's (they share one sequence). Only
   * reports read them: sockets are not told. */
  protected seatEvent(body: SeatLogBody | Extract<SimEventBody, { type: 'checkpoint-opened' | 'checkpoint-closed' | 'diagnosis' | 'drill-drawn' }>): SimEvent {
    const sim = this.sim!;
    return { ...body, seq: ++sim.seq, at: sim.now };
  }

  protected presenceSample(node: string): SimEvent {
    const h = this.meta!.holders![node]!;
    const e = this.seatEvent({ type: 'presence', node, seatId: h.seatId, heard: h.heard, ticks: h.ticks });
    h.heard = 0;
    h.ticks = 0;
    return e;
  }

  /** A room event the teacher's feed shows too (students get their own frames). */
  protected logRoomEvent(e: SimEvent): void {
    this.appendEvents([e]);
    for (const ws of this.ctx.getWebSockets('teacher')) this.send(ws, { type: 'event', event: e });
  }

  // Checkpoints live in cluster-checkpoints.ts; the tick needs these two.
  protected abstract closeCheckpoint(reason: 'teacher' | 'all-answered' | 'time-limit'): void;
  protected abstract scheduledCheckpoint(): void;
}
