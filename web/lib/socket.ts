// A WebSocket that reconnects with exponential backoff after a drop, pings so the connection (and,
// for a student, the node) stays alive, and notices a connection that went silent. A policy close
// (1008: kicked, moved, unknown token or secret, rate limit) is not retried blindly: the page
// decides; a socket replaced by a newer one for the same seat (4001) stops. Used by the node console (one socket) and the teacher dashboard (one per team).

export type Frame = Record<string, unknown> & { type: string };

export type SocketState =
  | { kind: 'connecting' }
  | { kind: 'open' }
  | { kind: 'down'; code: number; reason: string; retryInMs: number }
  | { kind: 'refused'; reason: string };

export interface SocketHooks {
  onMessage(frame: Frame): void;
  onState?(state: SocketState): void;
  /** Close code 1008. Resolve true to connect again (e.g. the seat was only moved), false to stop.
   * Without this hook the socket stops and reports `refused`. */
  onPolicyClose?(reason: string): Promise<boolean>;
}

export interface SocketOptions {
  /** How often to send the ping frame the runtime answers by itself (no wake-up of the room). */
  pingEveryMs: number;
  /** Nothing heard for this long on an open socket of a visible tab: it is dead, start again. */
  silentLimitMs: number;
}

/** Exactly this text: the server answers it without waking the room (setWebSocketAutoResponse). */
const PING = '{"type":"ping"}';
const BASE_DELAY_MS = 500;
/** Close code of a seat's socket replaced by a newer one (docs/protocol.md). */
const CLOSE_REPLACED = 4001;
const MAX_DELAY_MS = 15_000;

export class LabSocket {
  private ws: WebSocket | null = null;
  private attempts = 0;
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private lastHeard = 0;
  private stopped = true;
  /** a policy close is being looked into: no automatic retry meanwhile */
  private holding = false;

  constructor(
    private readonly url: () => string,
    private readonly hooks: SocketHooks,
    private opts: SocketOptions,
  ) {
    // Coming back online or to a visible tab: no point waiting out a long backoff.
    addEventListener('online', () => this.retryNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return;
      // Hidden tabs have their timers throttled, pings included: give the socket a fresh window.
      this.lastHeard = Date.now();
      this.retryNow();
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
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.ws?.close(1000, 'bye');
    this.ws = null;
  }

  /** Drops the current socket (it looks dead) and connects again at once. */
  restart(): void {
    if (this.stopped) return;
    const old = this.ws;
    this.ws = null; // its close event is ignored from now on
    try {
      old?.close(4000, 'silent');
    } catch {
      /* already closing */
    }
    this.connect();
  }

  /** Changes the ping cadence (heartbeat mode or time scale changed). */
  setPingEvery(ms: number): void {
    if (ms === this.opts.pingEveryMs) return;
    this.opts = { ...this.opts, pingEveryMs: ms };
    if (this.isOpen) this.startPinging();
  }

  /** Sends a frame; false when the socket is not open (the caller tells the user). */
  send(frame: object): boolean {
    return this.sendRaw(JSON.stringify(frame));
  }

  private sendRaw(text: string): boolean {
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
    clearTimeout(this.retryTimer);
    this.connect();
  }

  private startPinging(): void {
    clearInterval(this.pingTimer);
    this.pingTimer = window.setInterval(() => {
      if (document.visibilityState === 'visible' && Date.now() - this.lastHeard > this.opts.silentLimitMs) {
        console.info('nothing heard for a while: reconnecting');
        this.restart();
        return;
      }
      this.sendRaw(PING);
    }, this.opts.pingEveryMs);
  }

  private connect(): void {
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.hooks.onState?.({ kind: 'connecting' });
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.scheduleRetry(1006, '');
      return;
    }
    this.ws = ws;
    ws.addEventListener('open', () => {
      if (this.ws !== ws) return;
      this.attempts = 0;
      this.lastHeard = Date.now();
      this.startPinging();
      this.hooks.onState?.({ kind: 'open' });
    });
    ws.addEventListener('message', (e) => {
      if (this.ws !== ws) return;
      this.lastHeard = Date.now();
      if (typeof e.data !== 'string') return;
      let data: unknown;
      try {
        data = JSON.parse(e.data);
      } catch {
        return;
      }
      if (data && typeof data === 'object' && typeof (data as { type?: unknown }).type === 'string') this.hooks.onMessage(data as Frame);
    });
    ws.addEventListener('close', (e) => {
      if (this.ws !== ws) return; // an old socket
      this.ws = null;
      clearInterval(this.pingTimer);
      if (this.stopped) return;
      // 4001: this seat was opened in another tab or browser (one live socket per seat). Coming
      // back would push that one out in turn, so this one stops for good.
      if (e.code === CLOSE_REPLACED) {
        this.stopped = true;
        this.hooks.onState?.({ kind: 'refused', reason: e.reason });
        return;
      }
      if (e.code === 1008) {
        const ask = this.hooks.onPolicyClose;
        if (!ask) {
          this.stopped = true;
          this.hooks.onState?.({ kind: 'refused', reason: e.reason });
          return;
        }
        this.holding = true;
        void ask(e.reason).then((again) => {
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
    // Exponential backoff with jitter, so a classroom whose Wi-Fi comes back (or twenty team
    // sockets of one dashboard) do not reconnect in one burst.
    const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempts);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempts++;
    this.hooks.onState?.({ kind: 'down', code, reason, retryInMs: delay });
    clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.connect(), delay);
  }
}

/** ws(s)://host/ws/labs/CODE/<path>, on the page's own origin. */
export function socketUrl(code: string, path: string, query: Record<string, string | number>): string {
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  const q = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${proto}://${location.host}/ws/labs/${encodeURIComponent(code)}/${path}?${q}`;
}
