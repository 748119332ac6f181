// What a ClusterObject hears of its students' browsers: the auto-answered pings (read from the
// runtime), heartbeat or pulse frames, connects and closes. From these: which seats are heard at
// a tick, which browser went quiet during a steady jump (and when it was last heard), and each
// seat's presence for the teacher. In memory only: after an eviction the next tick is a single
// one, and a socket's ping time is read afresh from the runtime.
import type { Presence, SeatInfo } from '../protocol/messages';
import { PRESENCE_SILENT_MS } from './backlog';
import { PING_FRESH_MS } from './cluster-types';

export class Hearing {
  /** node -> wall ms of its last heartbeat or pulse frame (or connect, outside pulse mode) */
  private frames = new Map<string, number>();
  /** node -> wall ms its browser was last heard, as of the last tick or the close of its socket */
  private last = new Map<string, number>();
  /** node -> wall ms its student's last socket closed */
  readonly leftAt = new Map<string, number>();

  /** `pingAt`: the wall ms of a socket's last auto-answered ping (0: none). */
  constructor(private readonly pingAt: (ws: WebSocket) => number) {}

  /** A student's socket opened. A connect counts as a heartbeat (not as a pulse): a reconnect
   * storm is not a storm of heartbeat-lost while each page waits for its first ping. */
  connected(node: string, pulse: boolean, now: number): void {
    this.leftAt.delete(node);
    if (!pulse) this.frames.set(node, now);
  }

  /** A heartbeat or pulse frame arrived. */
  frame(node: string, now: number): void {
    this.frames.set(node, now);
  }

  closed(ws: WebSocket, node: string, now: number): void {
    this.leftAt.set(node, now);
    this.last.set(node, Math.max(this.pingAt(ws), this.frames.get(node) ?? 0, this.last.get(node) ?? 0));
  }

  /** The seat went back to autopilot: nobody is missing from it. */
  released(node: string): void {
    this.leftAt.delete(node);
  }

  /** Seats (node names, or "qdevice") whose browser was heard lately. In pulse mode only the
   * student's pulses count, while they keep the node alive (`pulseFreshMs`). */
  heardNow(sockets: Iterable<[WebSocket, SeatInfo]>, pulseFreshMs: number | null, now: number): Set<string> {
    const heard = new Set<string>();
    for (const [ws, seat] of sockets) {
      const frameAt = this.frames.get(seat.node) ?? 0;
      if (pulseFreshMs !== null && seat.role === 'node') {
        if (now - frameAt <= pulseFreshMs) heard.add(seat.node);
        continue;
      }
      const last = Math.max(this.pingAt(ws), frameAt);
      this.last.set(seat.node, last);
      if (now - last <= PING_FRESH_MS) heard.add(seat.node);
    }
    return heard;
  }

  /** Nodes (of `nodes`) whose browser is not heard now but was after the last tick (`lastTickWall`),
   * with the sim time of the last whole tick at which it was, two ticks before the end of the jump
   * of `n` ticks at the latest, in order of time. */
  quietDuringJump(fresh: Set<string>, nodes: Record<string, unknown>, jump: { simNow: number; tickMs: number; n: number; lastTickWall: number; periodMs: number }): { node: string; at: number }[] {
    const quiet: { node: string; at: number }[] = [];
    for (const [node, wall] of this.last) {
      if (fresh.has(node) || !nodes[node] || wall <= jump.lastTickWall) continue;
      quiet.push({ node, at: jump.simNow + Math.min(jump.n - 2, Math.floor((wall - jump.lastTickWall) / jump.periodMs)) * jump.tickMs });
    }
    return quiet.sort((a, b) => a.at - b.at);
  }

  /** node -> its student's presence, for every node a student holds or held. */
  presence(sockets: Iterable<[WebSocket, SeatInfo]>, now: number): Record<string, Presence> {
    const out: Record<string, Presence> = {};
    for (const [node, at] of this.leftAt) out[node] = { online: false, agoMs: now - at };
    for (const [ws, seat] of sockets) {
      const heard = Math.max(this.pingAt(ws), this.frames.get(seat.node) ?? 0);
      const ago = heard ? now - heard : null;
      const p: Presence = { online: ago === null || ago < PRESENCE_SILENT_MS, agoMs: ago };
      if (!out[seat.node]?.online) out[seat.node] = p;
    }
    return out;
  }
}
