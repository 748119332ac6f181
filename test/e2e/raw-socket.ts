// A WebSocket client on a bare TCP socket, to see what the server does on the wire: the close
// frame it sends, and whether it then closes the TCP connection (FIN), which a browser's
// WebSocket API hides.
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface RawSocket {
  socket: Socket;
  /** text frames received */
  texts: string[];
  /** the server's close frame, once received */
  closeFrame: { code: number; reason: string } | null;
  /** the server ended the TCP connection (FIN) */
  ended: boolean;
  /** sends a masked frame (clients must mask) */
  send(opcode: number, payload: Buffer): void;
}

export function openRaw(base: string, path: string): Promise<RawSocket> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const raw: RawSocket = {
      socket,
      texts: [],
      closeFrame: null,
      ended: false,
      send(opcode, payload) {
        const mask = randomBytes(4);
        const len = payload.length;
        const head = len < 126 ? Buffer.from([0x80 | opcode, 0x80 | len]) : Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 255]);
        const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
        socket.write(Buffer.concat([head, mask, body]));
      },
    };
    let buf = Buffer.alloc(0);
    let upgraded = false;
    socket.on('end', () => (raw.ended = true));
    socket.on('close', () => (raw.ended = true));
    socket.on('error', () => (raw.ended = true));
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const i = buf.indexOf('\r\n\r\n');
        if (i < 0) return;
        const head = buf.subarray(0, i).toString();
        buf = buf.subarray(i + 4);
        if (!/^HTTP\/1\.1 101/.test(head)) return reject(new Error(`no upgrade: ${head}`));
        upgraded = true;
        resolve(raw);
      }
      // Unmasked server frames.
      for (;;) {
        if (buf.length < 2) return;
        const opcode = buf[0]! & 0x0f;
        let len = buf[1]! & 0x7f;
        let off = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          off = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          off = 10;
        }
        if (buf.length < off + len) return;
        const payload = buf.subarray(off, off + len);
        buf = buf.subarray(off + len);
        if (opcode === 1) raw.texts.push(payload.toString());
        if (opcode === 8) raw.closeFrame = { code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString() };
      }
    });
    socket.on('connect', () => {
      socket.write(
        `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  });
}

export async function until(pred: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return pred();
}
