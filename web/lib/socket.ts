// A student WebSocket that reconnects with backoff after a drop. A policy close (1008: kicked,
// revoked or unknown token, rate limit) is not retried blindly: the page decides.
export interface SocketHooks {
  onOpen(): void;
  onMessage(data: unknown): void;
  /** The socket dropped; a new attempt starts in `retryInMs`. */
  onDown(info: { code: number; reason: string; retryInMs: number }): void;
  /** Close code 1008. Resolve true to reconnect (e.g. the seat was only moved), false to stop. */
  onPolicyClose(reason: string): Promise<boolean>;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;

export class LabSocket {
  private ws: WebSocket | null = null;
  private attempts = 0;
  private timer: number | undefined;
  private stopped = false;
  /** a policy close is being looked into: no automatic retry meanwhile */
  private holding = false;

  constructor(
    private readonly url: () => string,
    private readonly hooks: SocketHooks,
  ) {
    // Coming back online or to a visible tab: no point waiting out a long backoff.
    addEventListener('online', () => this.retryNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.retryNow();
    });
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close(1000, 'bye');
    this.ws = null;
  }

  /** Drops the current socket (it looks dead) and connects again at once. */
  restart(): void {
    if (this.stopped) return;
    const old = this.ws;
    this.ws = null; // its close event is ignored from now on
    try {
      old?.close(4000, 'no pong');
    } catch {
      /* already closing */
    }
    this.connect();
  }

  /** Sends a frame; false when the socket is not open (the caller tells the student). */
  send(frame: object): boolean {
    return this.sendRaw(JSON.stringify(frame));
  }

  sendRaw(text: string): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    try {
      this.ws.send(text);
      return true;
    } catch {
      return false;
    }
  }

  private retryNow(): void {
    if (this.stopped || this.holding || this.ws) return;
    clearTimeout(this.timer);
    this.connect();
  }

  private connect(): void {
    clearTimeout(this.timer);
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.scheduleRetry(1006, '');
      return;
    }
    this.ws = ws;
    ws.addEventListener('open', () => {
      this.attempts = 0;
      this.hooks.onOpen();
    });
    ws.addEventListener('message', (e) => {
      if (typeof e.data !== 'string') return;
      let data: unknown;
      try {
        data = JSON.parse(e.data);
      } catch {
        return;
      }
      this.hooks.onMessage(data);
    });
    ws.addEventListener('close', (e) => {
      if (this.ws !== ws) return; // an old socket
      this.ws = null;
      if (this.stopped) return;
      if (e.code === 1008) {
        this.holding = true;
        void this.hooks.onPolicyClose(e.reason).then((again) => {
          this.holding = false;
          if (again && !this.stopped) this.scheduleRetry(e.code, e.reason);
          else this.stopped = true;
        });
        return;
      }
      this.scheduleRetry(e.code, e.reason);
    });
  }

  private scheduleRetry(code: number, reason: string): void {
    // Exponential backoff with jitter so a classroom whose Wi-Fi comes back does not reconnect
    // in one burst.
    const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempts);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempts++;
    this.hooks.onDown({ code, reason, retryInMs: delay });
    this.timer = window.setTimeout(() => this.connect(), delay);
  }
}

export function studentSocketUrl(code: string, token: string): string {
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${proto}://${location.host}/ws/labs/${encodeURIComponent(code)}/student?token=${encodeURIComponent(token)}`;
}
