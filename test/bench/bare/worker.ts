// Bare baseline for the load benchmark: one hibernating Durable Object per room, pings answered
// by the runtime (they never wake the object), and a broadcast on demand standing in for "a fault
// changed every view". Whatever the real app costs above this is the app's own work. `/relay/`
// serves the same sockets through the Worker's relay, as the app's are (`--relay-baseline`).
import { DurableObject } from 'cloudflare:workers';
import { relaySocket } from '../../../src/api/relay';

interface Env {
  ROOM: DurableObjectNamespace<BareRoom>;
}

export class BareRoom extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
  }

  override async fetch(req: Request): Promise<Response> {
    if (req.headers.get('upgrade')?.toLowerCase() === 'websocket') {
      const pair = new WebSocketPair();
      this.ctx.acceptWebSocket(pair[1]);
      pair[1].send('{"type":"welcome"}');
      return new Response(null, { status: 101, webSocket: pair[0] });
    }
    const frame = JSON.stringify({ type: 'view', at: Date.now() });
    for (const ws of this.ctx.getWebSockets()) ws.send(frame);
    return new Response('ok');
  }

  override webSocketMessage(): void {}

  override webSocketClose(ws: WebSocket, code: number): void {
    try {
      ws.close(code === 1005 ? 1000 : code, 'bye');
    } catch {
      /* already closed */
    }
  }
}

export default {
  fetch(req: Request, env: Env): Promise<Response> | Response {
    const m = /^\/(ws|relay|broadcast)\/([\w-]{1,40})$/.exec(new URL(req.url).pathname);
    if (!m) return new Response('not found', { status: 404 });
    const room = env.ROOM.getByName(m[2]!);
    // /relay/: the socket through the Worker's relay, as the app's are (--relay-baseline).
    return m[1] === 'relay' ? room.fetch(req).then(relaySocket) : room.fetch(req);
  },
} satisfies ExportedHandler<Env>;
