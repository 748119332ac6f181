// Which seats a team's room lets in from a Worker's memory (src/api/student-socket.ts explains the
// flow). In memory only: an evicted room remembers nothing, so every Worker asks the LabObject
// again, which costs a question and never lets in a seat it would refuse.

/** How the Worker tells the room where a seat comes from (headers only the Worker sets: the room
 * has no public route): the hash of the socket's token, and who vouched for its seat. */
export const TOKEN_HASH_HEADER = 'X-Quorum-Token-Hash';
export const VOUCHED_HEADER = 'X-Quorum-Vouched';
export type Vouched = 'lab' | 'cache';
/** The room's answer to a remembered seat it does not hold (any more): ask the LabObject. */
export const STALE_SEAT = 'stale_seat';

export type VouchRefusal = typeof STALE_SEAT | 'seat_gone';

export class Vouches {
  /** seat id → the hash of the token the LabObject last vouched for */
  private hashes = new Map<string, string>();
  /** seats kicked or freed: their ids are never given again */
  private gone = new Set<string>();

  /** null: let the socket in. */
  admit(seatId: string, tokenHash: string | null, vouched: string | null): VouchRefusal | null {
    // A kick that lands between the LabObject's answer and this socket's arrival still holds.
    if (this.gone.has(seatId)) return 'seat_gone';
    if (!tokenHash) return STALE_SEAT;
    if (vouched === ('lab' satisfies Vouched)) {
      this.hashes.set(seatId, tokenHash);
      return null;
    }
    return this.hashes.get(seatId) === tokenHash ? null : STALE_SEAT;
  }

  /** The answer to a student socket's request that may not come in (null: it may). */
  refusal(seatId: string, request: Request): Response | null {
    const refused = this.admit(seatId, request.headers.get(TOKEN_HASH_HEADER), request.headers.get(VOUCHED_HEADER));
    if (!refused) return null;
    const stale = refused === STALE_SEAT;
    return Response.json({ error: { code: refused, message: stale ? 'ask the lab for this seat' : 'this seat was freed' } }, { status: stale ? 409 : 403 });
  }

  /** The seat's sockets were closed by the LabObject: its token is asked again next time. */
  forget(seatId: string, code: 'kicked' | 'moved' | 'replaced' | 'released'): void {
    this.hashes.delete(seatId);
    if (code === 'kicked' || code === 'released') this.gone.add(seatId);
  }
}
