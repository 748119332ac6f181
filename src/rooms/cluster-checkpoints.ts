// ClusterObject's checkpoints (the rules live in src/rooms/checkpoint.ts): opened by the teacher or
// when sim time reaches them, answered by the students, closed by the teacher, the time limit, or
// the last answer.
import type { CheckpointDef } from '../sim/types';
import type { SeatInfo, StudentMessage } from '../protocol/messages';
import { fail, teacherActionRefused, type LabError } from './door';
import { allAnswered, answerRefused, asked, dueCheckpoint, logResults, openCheckpoint, resultsOf, type OpenCheckpoint } from './checkpoint';
import { diagnosisRefused } from './diagnosis';
import type { Diagnosis } from '../protocol/diagnosis';
import { ClusterRoom } from './cluster-room';
import { scenarioOf } from './cluster-types';

export abstract class ClusterCheckpoints extends ClusterRoom {
  protected abstract seatSockets(seatId: string): WebSocket[];

  /** The teacher opens (a scenario checkpoint by id, else the next one not yet opened) or closes. */
  protected checkpointAction(action: 'open' | 'close', id?: string): { refused?: LabError; id?: string } {
    const meta = this.meta!;
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
    const defs = scenarioOf(meta)?.checkpoints ?? [];
    const def = id !== undefined ? defs.find((d) => d.id === id) : defs.find((d) => !meta.checkpointsDone?.includes(d.id));
    if (!def) return { refused: id !== undefined ? fail(400, 'unknown_checkpoint', `this scenario has no checkpoint "${id.slice(0, 40)}"`) : fail(409, 'no_checkpoint', 'every checkpoint of this scenario was opened') };
    this.openCheckpointNow(def, 'teacher');
    return { id: def.id };
  }

  /** The scenario's checkpoints open when sim time reaches them (which ones: dueCheckpoint). */
  protected scheduledCheckpoint(): void {
    const meta = this.meta!;
    const scenario = scenarioOf(meta);
    // A drill: each team's fault comes at its own time; the teacher opens checkpoints by hand.
    if (!scenario || meta.checkpoint || meta.settings.drill) return;
    const def = dueCheckpoint(scenario.checkpoints, meta.settings.timeline, this.sim!.now, meta.checkpointsDone ?? []);
    if (def) this.openCheckpointNow(def, 'timeline');
  }

  /** Diagnosis mode: one diagnosis per seat, logged (graded from the log) and echoed to the seat. */
  protected onDiagnosis(ws: WebSocket, seat: SeatInfo, msg: Extract<StudentMessage, { type: 'diagnosis' }>): void {
    const meta = this.meta!;
    const diagnosis: Diagnosis = { cause: msg.cause, nodes: [...new Set(msg.nodes)].sort(), rule: msg.rule };
    const refused = diagnosisRefused(meta.settings, meta.status, seat, meta.diagnoses?.[seat.seatId], diagnosis, this.sim!.config.nodes.map((n) => n.name));
    if (refused) return this.send(ws, { type: 'error', ...refused });
    (meta.diagnoses ??= {})[seat.seatId] = { diagnosis, at: this.sim!.now };
    this.logRoomEvent(this.seatEvent({ type: 'diagnosis', node: seat.node, seatId: seat.seatId, ...diagnosis }));
    this.saveState();
    for (const s of this.seatSockets(seat.seatId)) this.send(s, { type: 'diagnosis', ...meta.diagnoses[seat.seatId]! });
    this.sendTeacherSnapshot(false);
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

  protected sendCheckpoint(ws: WebSocket, seat: SeatInfo, cp: OpenCheckpoint): void {
    if (!cp.questions[seat.node]) return;
    this.send(ws, { type: 'checkpoint', checkpoint: { id: cp.id, title: cp.title, pause: cp.pause, deadline: cp.deadline, questions: asked(cp, seat.node), answers: cp.answers[seat.node] ?? {} } });
  }

  protected closeCheckpoint(reason: 'teacher' | 'all-answered' | 'time-limit'): void {
    const meta = this.meta!;
    const cp = meta.checkpoint;
    if (!cp) return;
    meta.checkpoint = null;
    this.logRoomEvent(this.seatEvent({ type: 'checkpoint-closed', checkpoint: cp.id, reason, results: logResults(cp) }));
    this.saveState();
    // The projector's reveal reads the closed checkpoint from D1: copy it there with the next tick.
    void this.schedule('flush', Math.min(this.deadlines.flush ?? Infinity, this.deadlines.tick ?? Date.now()));
    for (const [ws, seat] of this.studentSockets())
      if (cp.questions[seat.node]) this.send(ws, { type: 'checkpoint-results', id: cp.id, title: cp.title, results: resultsOf(cp, seat.node) });
    this.sendTeacherSnapshot(false);
  }

  protected onAnswer(ws: WebSocket, seat: SeatInfo, msg: Extract<StudentMessage, { type: 'answer' }>): void {
    const cp = this.meta!.checkpoint;
    const refused = answerRefused(cp, seat.node, msg.checkpoint, msg.question, msg.answer);
    if (refused || !cp) return this.send(ws, { type: 'error', ...refused! });
    cp.answers[seat.node]![msg.question] = msg.answer;
    this.saveState();
    this.sendCheckpoint(ws, seat, cp);
    if (allAnswered(cp)) this.closeCheckpoint('all-answered');
    else this.sendTeacherSnapshot(false);
  }
}
