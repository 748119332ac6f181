// A hibernating Durable Object kept awake by a 1-second alarm, like a running lab's room. It closes
// its sockets either from the socket's own event (the client asked: "close-me") or from another
// request (`/kick/<room>`, as a teacher's kick reaches a room). `/relay/<room>` is the same socket
// passed through the Worker's relay (src/api/relay.ts).
import { DurableObject } from 'cloudflare:workers';
import { relaySocket } from '../../../src/api/relay';

interface Env {
  ROOM: DurableObjectNamespace<Room>;
}

export class Room extends DurableObject<Env> {
  /** The object ticks for a minute after its last connect, sockets or not (a lab's room ticks on). */
  private busyUntil = 0;

  override async fetch(req: Request): Promise<Response> {
    if (new URL(req.url).pathname.startsWith('/kick/')) {
      for (const ws of this.ctx.getWebSockets()) ws.close(4001, 'kicked');
      return new Response('kicked');
    }
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    this.busyUntil = Date.now() + 60_000;
    await this.ctx.storage.setAlarm(Date.now() + 1000);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async alarm(): Promise<void> {
    if (Date.now() < this.busyUntil) await this.ctx.storage.setAlarm(Date.now() + 1000);
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    if (message === 'close-me') ws.close(4001, 'closed from its own event');
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code === 1005 ? 1000 : code, reason);
    } catch {
      /* already closed */
    }
  }
}

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const m = /^\/(ws|relay|kick)\/([\w-]{1,40})$/.exec(new URL(req.url).pathname);
    if (!m) return new Response('not found', { status: 404 });
    const r = await env.ROOM.getByName(m[2]!).fetch(req);
    return m[1] === 'relay' ? relaySocket(r) : r;
  },
} satisfies ExportedHandler<Env>;
