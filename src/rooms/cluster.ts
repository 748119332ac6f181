// ClusterObject: one team's simulated cluster. A thin adapter around src/sim: sockets
// (Hibernation API), one alarm multiplexed into named deadlines, SQLite storage for the sim state
// and its append-only event log, and batched flushes of that log to D1. Built in layers:
// cluster-store.ts (storage), cluster-room.ts (engine door, alarm, tick, fan-out),
// cluster-checkpoints.ts (checkpoints); this file holds the RPC surface and the sockets.
import type { Env } from '../env';
import { createCluster, openPrompts, QNETD_HOST, seesEvent } from '../sim/index';
import type { ClusterConfig, Fault, SimEvent, SimInput, StepResult } from '../sim/types';
import { parseClientMessage, type LabSettings, type LabStatus, type SeatInfo, type ServerMessage, type TerminalEntry } from '../protocol/messages';
import { RATE_BURST, RATE_PER_SEC, RATE_STRIKES_BEFORE_CLOSE } from '../protocol/limits';
import { faultRefused, teacherActionRefused, type LabError } from './door';
import { journalOf, pushTerminal, resumePoint } from './backlog';
import { ClusterCheckpoints } from './cluster-checkpoints';
import { Vouches } from './vouches';
import { CLOSE_REPLACED, FLUSH_EVERY_MS, firstFlushInMs, scenarioOf, TEACHER_BACKLOG, type Attachment, type ClusterMeta } from './cluster-types';
import { seatOptions, teamDrill } from './diagnosis';
import { readInputs, startInputLog } from './input-log';
import { toSockets } from './seat-log';

export type { Attachment, ClusterMeta } from './cluster-types';

type Bucket = { tokens: number; at: number; strikes: number };

export class ClusterObject extends ClusterCheckpoints {
  /** Frame budgets: per seat for students (however many sockets it opens), per socket for teachers. */
  private seatBuckets = new Map<string, Bucket>();
  private vouches = new Vouches();
  private teacherBuckets = new WeakMap<WebSocket, Bucket>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Pings are answered by the runtime without waking the object; liveness is read back with
    // getWebSocketAutoResponseTimestamp on each tick (docs/protocol.md, the `ping` frame).
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
    void ctx.blockConcurrencyWhile(async () => {
      try {
        this.load();
        await this.loadAlarm();
      } catch (err) {
        console.error('ClusterObject.constructor: load failed', err);
        throw err;
      }
    });
  }

  // ------------------------------------------------------------ RPC (from the Worker and LabObject)

  async init(args: { meta: Omit<ClusterMeta, 'timelineNext' | 'flushedSeq'>; config: ClusterConfig; seed: string }): Promise<void> {
    if (this.meta && this.sim) return; // idempotent
    this.meta = { ...args.meta, timelineNext: 0, flushedSeq: 0 };
    this.sim = createCluster(args.config, args.seed);
    startInputLog(this.ctx.storage.sql, args.config, args.seed);
    if (args.meta.timeline.length) this.apply({ type: 'schedule', at: 0, faults: args.meta.timeline });
    // An incident drill: the fault drawn for this team, recorded (the log reaches D1) before it fires.
    const scenario = scenarioOf(this.meta);
    const drill = scenario ? teamDrill(args.meta.settings, scenario, args.meta.labId, args.meta.team) : null;
    if (drill) this.appendEvents([this.seatEvent({ type: 'drill-drawn', family: drill.family, fault: drill.fault, atMs: drill.atMs })]);
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
      if (meta.settings.heartbeatMode === 'pulse') for (const n of this.sim!.config.nodes) this.apply({ type: 'heartbeat', at: this.sim!.now, node: n.name });
      await this.armTick();
      await this.schedule('flush', Date.now() + firstFlushInMs(meta.teamId));
    } else {
      await this.schedule('tick', null);
      if (status === 'ended') {
        await this.schedule('flush', null);
        if (this.teacherTimer) clearTimeout(this.teacherTimer);
        this.teacherTimer = null;
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
    const config = this.sim!.config;
    const refused = teacherActionRefused(meta.status) ?? faultRefused(fault, config.nodes.map((n) => n.name), Object.values(this.sim!.vms).map((v) => v.vmid), config.networks);
    if (refused) return { events: 0, refused };
    const r = this.apply({ type: 'fault', at: this.sim!.now, fault, by });
    this.commit(r.events);
    return { events: r.events.length };
  }

  /** The teacher opens (a scenario checkpoint by id, else the next one not yet opened) or closes. */
  async checkpoint(action: 'open' | 'close', id?: string): Promise<{ refused?: LabError; id?: string }> {
    this.requireMeta();
    return this.checkpointAction(action, id);
  }

  /** A student takes (`auto` false) or leaves a seat; the log records who held it from now on. */
  async setSeatAuto(node: string, auto: boolean, seatId?: string, reason: 'kicked' | 'moved' | 'left' = 'left'): Promise<void> {
    const meta = this.requireMeta();
    this.apply({ type: 'set-auto', at: this.sim!.now, node, auto });
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
    if (auto) this.hearing.released(node);
    this.sendTeacherSnapshot(false); // lobby panels show the student's name at once
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
    this.vouches.forget(seatId, code);
    return closed;
  }

  /** The open sockets of a seat. */
  protected seatSockets(seatId: string): WebSocket[] {
    return this.ctx.getWebSockets('student').filter((ws) => {
      const a = this.attachmentOf(ws);
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
    if (patch.voteMode) this.apply({ type: 'vote-mode', at: this.sim!.now, mode: patch.voteMode });
    this.saveState();
    if (meta.status === 'running' && patch.timeScale) await this.armTick();
    const msg: ServerMessage = { type: 'settings', settings: meta.settings };
    for (const ws of this.ctx.getWebSockets()) this.send(ws, msg);
    // A new vote mode changes what the QDevice seat may do: refresh every student's view.
    for (const ws of this.ctx.getWebSockets('student')) {
      const a = this.attachmentOf(ws);
      if (a?.role === 'student') this.pushView(ws, a.seat, true);
    }
  }

  // ------------------------------------------------------------ reloads and presence (src/rooms/backlog.ts)

  private backlogOf(seat: SeatInfo, resumeAt: number | null /* backlog.ts `resumePoint` */) {
    this.logCache ??= this.store.readEvents(0);
    const sim = this.sim!;
    const journal = journalOf(this.logCache, (e) => seesEvent(sim, e, seat, seatOptions(this.meta!.settings)), resumeAt ?? 0);
    return { terminal: resumeAt === null ? this.store.terminal(seat.seatId) : [], journal };
  }

  private rememberOutput(seatId: string, entry: TerminalEntry): void {
    this.store.put(`term:${seatId}`, pushTerminal(this.store.terminal(seatId), entry));
  }

  async getSnapshot() {
    this.requireMeta();
    return this.snapshot();
  }

  async getEvents(afterSeq = 0, limit = 100_000) {
    return this.store.readEvents(afterSeq, limit);
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
    const refused = attachment.role === 'student' ? this.vouches.refusal(attachment.seat.seatId, request) : null;
    if (refused) return refused;
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
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
        backlog: this.backlogOf(attachment.seat, resumePoint(request.url, this.meta.team)),
      });
      this.hearing.connected(attachment.seat.node, this.meta.settings.heartbeatMode === 'pulse', Date.now());
      this.sendTeacherSnapshot(false);
      this.pushView(server, attachment.seat, true);
      if (!seatOptions(this.meta.settings).diagnosis) this.send(server, { type: 'objectives', met: this.objectivesMet() });
      if (this.meta.checkpoint) this.sendCheckpoint(server, attachment.seat, this.meta.checkpoint);
      const diagnosed = this.meta.diagnoses?.[attachment.seat.seatId];
      if (diagnosed) this.send(server, { type: 'diagnosis', ...diagnosed });
      for (const p of openPrompts(this.sim, attachment.seat)) this.send(server, { type: 'prompt', ...p });
    } else {
      this.send(server, { type: 'status', status: this.meta.status, simTime: this.sim.now });
      this.send(server, { type: 'snapshot', snapshot: this.snapshot() });
      // The recent past, so a reloaded dashboard's feed is not empty.
      this.logCache ??= this.store.readEvents(0);
      this.send(server, { type: 'events', events: this.logCache.filter(toSockets).slice(-TEACHER_BACKLOG) });
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
      const a = this.attachmentOf(ws);
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
        case 'diagnosis':
          return this.onDiagnosis(ws, seat, msg);
        case 'heartbeat':
        case 'pulse':
          if (seat.role !== 'node') return this.send(ws, { type: 'error', code: 'not_a_node', message: 'the QDevice seat sends no heartbeats' });
          if (status !== 'running') return;
          this.hearing.frame(seat.node, Date.now());
          this.apply({ type: 'heartbeat', at: sim.now, node: seat.node });
          return;
        case 'vote':
        case 'command':
        case 'edit':
        case 'qdevice-choice': {
          if (status !== 'running')
            return this.send(ws, { type: 'error', code: 'not_running', message: status === 'paused' ? 'the lab is paused' : status === 'lobby' ? 'the lab has not started yet' : 'the lab has ended' });
          let input: SimInput;
          if (msg.type === 'vote') {
            if (seat.role !== 'node') return this.send(ws, { type: 'error', code: 'not_a_node', message: 'only nodes vote on fencing' });
            input = { type: 'vote', at: sim.now, node: seat.node, voteId: msg.voteId, yes: msg.yes };
          } else if (msg.type === 'command') {
            // The QDevice seat types on the QDevice host's terminal (corosync-qnetd-tool, apt install corosync-qnetd).
            input = { type: 'command', at: sim.now, node: seat.role === 'qdevice' ? QNETD_HOST : seat.node, line: msg.line };
          } else if (msg.type === 'edit') {
            // The page's editor saved what `nano` opened: a terminal input like a command (same door, same log).
            input = { type: 'edit', at: sim.now, node: seat.role === 'qdevice' ? QNETD_HOST : seat.node, path: msg.path, text: msg.text };
          } else {
            if (seat.role !== 'qdevice') return this.send(ws, { type: 'error', code: 'forbidden', message: 'only the QDevice seat chooses where its vote goes' });
            input = { type: 'qdevice-choice', at: sim.now, node: msg.node };
          }
          const r: StepResult = this.apply(input);
          if (r.error) this.send(ws, { type: 'error', code: r.error.code, message: r.error.message });
          this.commit(r.events);
          if (r.command && (msg.type === 'command' || msg.type === 'edit')) {
            const line = msg.type === 'command' ? msg.line : `nano ${msg.path}`;
            const edit = r.command.edit ? { edit: r.command.edit } : {};
            this.send(ws, { type: 'output', ...(msg.id !== undefined ? { id: msg.id } : {}), line, output: r.command.output, exitCode: r.command.exitCode, ...edit });
            this.rememberOutput(seat.seatId, { line, output: r.command.output, exitCode: r.command.exitCode });
          }
          return;
        }
        default: {
          const _exhaustive: never = msg;
          return _exhaustive;
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
    const a = this.attachmentOf(ws);
    if (a?.role === 'student') {
      this.hearing.closed(ws, a.seat.node, Date.now());
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
