// The student socket's way in: token → seat → the team's room.
//
// The seat behind a token is the LabObject's to say (src/rooms/lab.ts `resolveToken`), and there is
// one LabObject per lab: in a reconnect storm (wifi back, 300 sockets at once) asking it for every
// token queues 300 calls on one object. So this isolate remembers the seats the LabObject vouched
// for, and a reconnect goes straight to the room with the remembered seat. The room decides:
// - a seat the LabObject has just vouched for is remembered by the room with its token's hash;
// - a remembered seat is served only if the room holds that same hash for it. The room forgets a
//   seat's hash when the seat is kicked, freed, moved or taken back with its rejoin code (every
//   revocation closes the seat's sockets in its room: `closeSeat`), and when it is evicted;
// - otherwise the room answers `stale_seat` (409) and this Worker asks the LabObject again.
// So the cache only saves the question; it never lets in a seat the LabObject would refuse.
import type { Context } from 'hono';
import type { Env } from '../env';
import type { Lab } from '../db/schema';
import type { SeatInfo } from '../protocol/messages';
import type { Attachment } from '../rooms/cluster-types';
import { sha256Hex } from './crypto';
import { relaySocket } from './relay';
import { TOKEN_HASH_HEADER, VOUCHED_HEADER, type Vouched } from '../rooms/vouches';

type C = Context<{ Bindings: Env }>;
export type VouchedSeat = { seat: SeatInfo; rejoinCode: string };

const remembered = new Map<string, { me: VouchedSeat; at: number }>();
const REMEMBERED_MAX = 5000;
/** Only bounds the memory: the room checks every remembered seat. */
const REMEMBERED_MAX_AGE_MS = 30 * 60_000;
/** Reconnects served from memory and questions asked, in this isolate (tests, benchmarks). */
export const seatMemory = { hits: 0, asked: 0 };

function recall(token: string): VouchedSeat | null {
  const r = remembered.get(token);
  if (!r) return null;
  if (Date.now() - r.at > REMEMBERED_MAX_AGE_MS) {
    remembered.delete(token);
    return null;
  }
  return r.me;
}

function remember(token: string, me: VouchedSeat): void {
  remembered.delete(token);
  if (remembered.size >= REMEMBERED_MAX) remembered.delete(remembered.keys().next().value!);
  remembered.set(token, { me, at: Date.now() });
}

function toRoom(c: C, l: Lab, me: VouchedSeat, tokenHash: string, vouched: Vouched): Promise<Response> {
  const attachment: Attachment = { v: 1, role: 'student', seat: me.seat, rejoinCode: me.rejoinCode };
  const headers = new Headers(c.req.raw.headers);
  headers.set('X-Quorum-Attachment', encodeURIComponent(JSON.stringify(attachment)));
  headers.set(TOKEN_HASH_HEADER, tokenHash);
  headers.set(VOUCHED_HEADER, vouched);
  return c.env.CLUSTER.getByName(`${l.code}:${me.seat.team}`).fetch(new Request(c.req.raw.url, { headers }));
}

/** The LabObject's word on a token (null: unknown or revoked), remembered when it is a seat. */
export async function askLab(c: C, l: Lab, token: string): Promise<VouchedSeat | null> {
  seatMemory.asked++;
  const me = await c.env.LAB.getByName(l.code).resolveToken(token);
  if (me) remember(token, me);
  else remembered.delete(token);
  return me;
}

/**
 * A student's socket to its team's room, relayed (src/api/relay.ts), or null when the token is
 * unknown or revoked. A remembered seat the room no longer holds is asked of the LabObject again.
 */
export async function studentSocket(c: C, l: Lab, token: string): Promise<Response | null> {
  const tokenHash = await sha256Hex(token);
  const known = recall(token);
  if (known) {
    const r = await toRoom(c, l, known, tokenHash, 'cache');
    if (r.status === 101) {
      seatMemory.hits++;
      return relaySocket(r);
    }
    remembered.delete(token);
  }
  const me = await askLab(c, l, token);
  if (!me) return null;
  const r = await toRoom(c, l, me, tokenHash, 'lab');
  // 403: kicked or freed after the LabObject answered (the room heard of it first).
  return r.status === 403 ? null : relaySocket(r);
}
