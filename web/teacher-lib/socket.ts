// One teacher WebSocket per team (`/ws/labs/CODE/teacher?team=N&secret=…`), reconnecting with
// exponential backoff. A policy close (1008: wrong secret, no such team) is not retried.
export type SocketState = { kind: 'connecting' } | { kind: 'open' } | { kind: 'down'; retryInMs: number } | { kind: 'refused'; reason: string };

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
/** Keeps idle connections alive through proxies; answered by the runtime without waking the room. */
const PING_EVERY_MS = 25_000;
/** Nothing heard for this long (not even a pong): the connection is dead, start again. */
const SILENT_LIMIT_MS = 70_000;

export class TeacherSocket {
  private ws: WebSocket | null = null;
  private attempts = 0;
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private lastHeard = 0;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly onMessage: (msg: Record<string, unknown>) => void,
    private readonly onState: (s: SocketState) => void,
  ) {
    addEventListener('online', () => this.retryNow());
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.ws?.close(1000, 'bye');
    this.ws = null;
  }

  send(msg: unknown): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  private retryNow(): void {
    if (this.stopped || this.ws) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  private connect(): void {
    this.onState({ kind: 'connecting' });
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempts = 0;
      this.lastHeard = Date.now();
      this.onState({ kind: 'open' });
      clearInterval(this.pingTimer);
      this.pingTimer = window.setInterval(() => {
        if (Date.now() - this.lastHeard > SILENT_LIMIT_MS) {
          ws.close(4000, 'silent');
          return;
        }
        this.send({ type: 'ping' });
      }, PING_EVERY_MS);
    };
    ws.onmessage = (ev) => {
      this.lastHeard = Date.now();
      if (typeof ev.data !== 'string') return;
      let msg: unknown;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (msg && typeof msg === 'object' && typeof (msg as { type?: unknown }).type === 'string') this.onMessage(msg as Record<string, unknown>);
    };
    ws.onclose = (ev) => {
      clearInterval(this.pingTimer);
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      if (ev.code === 1008) {
        this.onState({ kind: 'refused', reason: ev.reason });
        return;
      }
      this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempts++);
    // Jitter so twenty team sockets do not all come back in the same instant.
    const delay = Math.round(exp * (0.75 + Math.random() * 0.5));
    this.onState({ kind: 'down', retryInMs: delay });
    clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.connect(), delay);
  }
}
