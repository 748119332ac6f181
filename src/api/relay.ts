// The Worker relays each room socket instead of handing the room's socket to the browser.
//
// Why: when a Durable Object closes a hibernatable WebSocket itself (kick, move, seat taken back,
// frame too big, flood), workerd sends the close frame and receives the browser's answer, but keeps
// the TCP connection open for as long as the object stays awake — and a running lab's object never
// sleeps (one tick a second). Measured with a raw socket against `wrangler dev`: no FIN after 30 s.
// When the Worker holds the browser's end in a pair of its own, closing that end after the room's
// close completes the handshake and the connection ends at once (test/e2e/abuse.test.ts).
// The room still hibernates: pings pass through and are answered by its auto-response.

const closeCode = (code: number) => (code === 1005 || code === 1006 || code === 1015 ? 1000 : code);

function quietClose(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(closeCode(code), reason);
  } catch {
    /* already closed */
  }
}

function quietSend(ws: WebSocket, data: string | ArrayBuffer): void {
  try {
    ws.send(data);
  } catch {
    /* closing: its close event follows */
  }
}

/** The room's 101 answer, relayed through a socket pair this Worker owns. */
export function relaySocket(room: Response): Response {
  const upstream = room.webSocket;
  if (!upstream) return room; // an HTTP error from the room: passed on as is
  const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
  server.accept();
  upstream.accept();
  server.addEventListener('message', (e) => quietSend(upstream, e.data as string | ArrayBuffer));
  upstream.addEventListener('message', (e) => quietSend(server, e.data as string | ArrayBuffer));
  upstream.addEventListener('close', (e) => quietClose(server, e.code, e.reason));
  server.addEventListener('close', (e) => quietClose(upstream, e.code, e.reason));
  upstream.addEventListener('error', () => quietClose(server, 1011, 'room unreachable'));
  server.addEventListener('error', () => quietClose(upstream, 1011, 'client error'));
  return new Response(null, { status: 101, webSocket: client });
}
