// The room's side of the Worker's seat memory (src/rooms/vouches.ts).
import { describe, expect, it } from 'vitest';
import { STALE_SEAT, Vouches } from '../../src/rooms/vouches';

describe('Vouches', () => {
  it('lets in a remembered seat only with the token the LabObject last vouched for', () => {
    const v = new Vouches();
    expect(v.admit('s1', 'h1', 'cache')).toBe(STALE_SEAT); // never vouched here (or evicted since)
    expect(v.admit('s1', 'h1', 'lab')).toBeNull();
    expect(v.admit('s1', 'h1', 'cache')).toBeNull();
    expect(v.admit('s1', 'h0', 'cache')).toBe(STALE_SEAT); // an older token of the same seat
    expect(v.admit('s2', 'h1', 'cache')).toBe(STALE_SEAT); // another seat
    expect(v.admit('s1', null, 'lab')).toBe(STALE_SEAT); // no hash: not from the Worker's door
    expect(v.admit('s9', 'h1', null)).toBe(STALE_SEAT);
  });

  it('forgets a moved or taken-back seat (asked again), and never lets a kicked or freed one back', () => {
    const v = new Vouches();
    for (const [seat, code, then] of [['moved', 'moved', STALE_SEAT], ['back', 'replaced', STALE_SEAT], ['kicked', 'kicked', 'seat_gone'], ['freed', 'released', 'seat_gone']] as const) {
      expect(v.admit(seat, 'h', 'lab')).toBeNull();
      v.forget(seat, code);
      expect(v.admit(seat, 'h', 'cache')).toBe(then);
    }
    expect(v.admit('moved', 'h', 'lab')).toBeNull();
    expect(v.admit('back', 'h2', 'lab')).toBeNull();
    // The LabObject answered before the kick reached the room: the room heard of the kick first.
    expect(v.admit('kicked', 'h', 'lab')).toBe('seat_gone');
    expect(v.admit('freed', 'h', 'lab')).toBe('seat_gone');
    expect(v.refusal('kicked', new Request('https://room/', { headers: { 'X-Quorum-Token-Hash': 'h', 'X-Quorum-Vouched': 'lab' } }))!.status).toBe(403);
    expect(v.refusal('other', new Request('https://room/', { headers: { 'X-Quorum-Token-Hash': 'h', 'X-Quorum-Vouched': 'cache' } }))!.status).toBe(409);
  });
});
