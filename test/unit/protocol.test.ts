import { describe, expect, it } from 'vitest';
import { parseClientMessage } from '../../src/protocol/messages';
import { MAX_FRAME_BYTES } from '../../src/protocol/limits';

describe('parseClientMessage', () => {
  it('accepts valid frames of each direction', () => {
    expect(parseClientMessage('{"type":"heartbeat"}', 'student')).toEqual({ ok: true, msg: { type: 'heartbeat' } });
    expect(parseClientMessage('{"type":"command","line":"pvecm status","id":3}', 'student')).toMatchObject({ ok: true });
    expect(parseClientMessage('{"type":"fault","fault":{"kind":"isolate","node":"pve1"}}', 'teacher')).toMatchObject({ ok: true });
    expect(parseClientMessage('{"type":"fault","fault":{"kind":"disk-corrupt","vmid":100}}', 'teacher')).toMatchObject({ ok: true });
    expect(parseClientMessage('{"type":"fault","fault":{"kind":"disk-corrupt","vmid":"100; rm"}}', 'teacher')).toMatchObject({ ok: false, code: 'bad_fields' });
    expect(parseClientMessage('{"type":"fault","fault":{"kind":"disk-corrupt","vmid":7}}', 'teacher')).toMatchObject({ ok: false, code: 'bad_fields' });
  });

  it('counts the cap in UTF-8 bytes, not characters', () => {
    const under = JSON.stringify({ type: 'command', line: 'é'.repeat(240) });
    expect(parseClientMessage(under, 'student')).toMatchObject({ ok: true });
    // 2,100 two-byte characters: under 4,096 characters, over 4,096 bytes.
    const over = JSON.stringify({ type: 'command', line: 'é'.repeat(2100) });
    expect(over.length).toBeLessThan(MAX_FRAME_BYTES);
    expect(parseClientMessage(over, 'student')).toMatchObject({ ok: false, code: 'frame_too_big' });
  });

  it('names what is wrong', () => {
    expect(parseClientMessage('nope', 'student')).toMatchObject({ ok: false, code: 'bad_json' });
    expect(parseClientMessage('[1]', 'student')).toMatchObject({ ok: false, code: 'bad_frame' });
    expect(parseClientMessage(new ArrayBuffer(4), 'student')).toMatchObject({ ok: false, code: 'binary_frame' });
    expect(parseClientMessage('{"type":"warp"}', 'student')).toMatchObject({ ok: false, code: 'unknown_type' });
    expect(parseClientMessage('{"type":"vote","voteId":-1,"yes":true}', 'student')).toMatchObject({ ok: false, code: 'bad_fields' });
    expect(parseClientMessage('{"type":"fault","fault":{"kind":"heal"}}', 'student')).toMatchObject({ ok: false, code: 'forbidden' });
    expect(parseClientMessage('{"type":"fault","fault":{"kind":"isolate","node":"x; rm -rf /"}}', 'teacher')).toMatchObject({ ok: false, code: 'bad_fields' });
  });
});
