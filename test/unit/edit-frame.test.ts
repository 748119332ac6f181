// The `edit` frame: its schema (one editable path, MAX_EDIT_CHARS) and the page's own size check,
// which must refuse before the server's 4 KiB cap would close the socket.
import { describe, expect, it } from 'vitest';
import { parseClientMessage } from '../../src/protocol/messages';
import { EDITABLE_PATHS, MAX_EDIT_CHARS, MAX_FRAME_BYTES } from '../../src/protocol/limits';
import { editFrameBytes, editOf } from '../../web/node/edit-frame';

const PATH = EDITABLE_PATHS[0];
/** A corosync.conf-like text of exactly n characters: short indented lines. */
const confText = (n: number) => '  key: value\n'.repeat(Math.ceil(n / 13)).slice(0, n);

describe('the edit frame', () => {
  it('takes an editable path and up to MAX_EDIT_CHARS characters', () => {
    expect(parseClientMessage(JSON.stringify({ type: 'edit', path: PATH, text: 'totem {\n}\n', id: 4 }), 'student')).toEqual({
      ok: true,
      msg: { type: 'edit', path: PATH, text: 'totem {\n}\n', id: 4 },
    });
    const wrong = parseClientMessage(JSON.stringify({ type: 'edit', path: '/etc/pve/../passwd', text: '' }), 'student');
    expect(wrong).toMatchObject({ ok: false, code: 'bad_fields' });
    expect(!wrong.ok && wrong.message).toContain(`the editor saves only ${PATH}`);
    const big = parseClientMessage(JSON.stringify({ type: 'edit', path: PATH, text: 'x'.repeat(MAX_EDIT_CHARS + 1) }), 'student');
    expect(big).toMatchObject({ ok: false, code: 'bad_fields' });
    expect(!big.ok && big.message).toContain(`limited to ${MAX_EDIT_CHARS} characters`);
  });

  it('a full file of plain text fits in one frame; the page catches multibyte text before the server closes the socket', () => {
    const full = confText(MAX_EDIT_CHARS);
    expect(editFrameBytes(PATH, full)).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    expect(parseClientMessage(JSON.stringify({ type: 'edit', path: PATH, text: full, id: 999_999 }), 'student')).toMatchObject({ ok: true });
    // Accented comments: under the character limit, over the byte cap. The page's count says so
    // first; the server would answer frame_too_big and close.
    const accents = `# ${'é'.repeat(2100)}\n`;
    expect(accents.length).toBeLessThan(MAX_EDIT_CHARS);
    expect(editFrameBytes(PATH, accents)).toBeGreaterThan(MAX_FRAME_BYTES);
    expect(parseClientMessage(JSON.stringify({ type: 'edit', path: PATH, text: accents, id: 1 }), 'student')).toMatchObject({ ok: false, code: 'frame_too_big' });
  });

  it('the page opens the editor only on a well-formed output.edit', () => {
    expect(editOf({ path: PATH, text: 'x' })).toEqual({ path: PATH, text: 'x' });
    for (const bad of [null, undefined, 'x', { path: PATH }, { path: 3, text: 'x' }, { text: 'x' }]) expect(editOf(bad)).toBeNull();
  });
});
