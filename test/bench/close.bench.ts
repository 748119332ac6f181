// Why the Worker relays room sockets (src/api/relay.ts), measured: a hibernating Durable Object that
// stays awake (a running lab's room has an alarm) closes a client's socket, and this prints how long
// the client waits for its close event. Node's own WebSocket (undici) is the client: it fires
// `close` once the server ends the TCP connection, as a script or a probe would see it (Chromium
// gives up waiting after about 2 s). Three ways:
// - the object closes the socket from that socket's own event (the client sent a frame);
// - the object closes it from another request (a kick reaches a room this way);
// - the same kick, the socket passed through the Worker's relay.
//
//   npm run bench:close
import { startBenchWorker } from './load-bare-server';

const WAIT_MS = 15_000;

async function closeAfter(wsBase: string, route: 'ws' | 'relay', room: string, trigger: (ws: WebSocket) => Promise<void>): Promise<string> {
  const ws = new WebSocket(`${wsBase}/${route}/${room}`);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', reject, { once: true });
  });
  const closed = new Promise<number>((resolve) => ws.addEventListener('close', () => resolve(performance.now()), { once: true }));
  const t0 = performance.now();
  await trigger(ws);
  const at = await Promise.race([closed, new Promise<null>((r) => setTimeout(() => r(null), WAIT_MS))]);
  if (at === null) {
    ws.close();
    return `no close event after ${WAIT_MS / 1000} s (the TCP connection is still open)`;
  }
  return `close event after ${((at - t0) / 1000).toFixed(2)} s`;
}

const server = await startBenchWorker('close-repro', '/kick/probe');
try {
  const wsBase = server.base.replace('http', 'ws');
  const kick = (room: string) => async () => {
    await (await fetch(`${server.base}/kick/${room}`, { method: 'POST' })).text();
  };
  console.log('A hibernating Durable Object, kept awake by an alarm, closes a socket (client: Node WebSocket)');
  console.log(`  from the socket's own event        ${await closeAfter(wsBase, 'ws', 'own', async (ws) => ws.send('close-me'))}`);
  console.log(`  from another request (a kick)      ${await closeAfter(wsBase, 'ws', 'kick', kick('kick'))}`);
  console.log(`  the same kick, through the relay   ${await closeAfter(wsBase, 'relay', 'relayed', kick('relayed'))}`);
} finally {
  await server.stop();
}
