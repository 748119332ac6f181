// The rule for student names (src/protocol/http.ts): readable, NFC, trimmed.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { joinBody, rejoinCode, studentName } from '../../src/protocol/http';

describe('studentName', () => {
  it('refuses names with invisible, bidi-mark, separator or filler characters, or nothing to read', () => {
    for (const name of ['\u200b', '\u3164', '\u115f', '\uffa0', 'Ali\u200bce', 'Bob\u200f', 'Bob\u202e', 'a\u2028b', 'a\u2029b', 'x\u00a0y', 'x\u3000y', '\u2800', 'Eve\ue000', 'Eve\u{e0001}', '\u0301', '-', '🙂', ' ', ''])
      expect([JSON.stringify(name), studentName.safeParse(name).success]).toEqual([JSON.stringify(name), false]);
  });

  it('keeps readable names, normalised to NFC and trimmed', () => {
    expect(studentName.parse('  Chloe\u0301 ')).toBe('Chloé');
    expect(studentName.parse('\ufeffEve')).toBe('Eve'); // a byte-order mark is trimmed like a space
    for (const name of ['Zoë', "O'Neil", 'Jean-Paul Sartre', '李雷', 'Ωmega 3', 'x;=1+2;y']) expect(studentName.parse(name)).toBe(name);
  });

  it('never lets through a name without a letter or digit, or with a character outside letters, marks, digits, punctuation, symbols and plain spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (s) => {
        const r = studentName.safeParse(s);
        if (!r.success) return;
        expect(r.data).toMatch(/[\p{L}\p{N}]/u);
        expect(r.data).toMatch(/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$/u);
        expect(r.data).not.toMatch(/[\u115f\u1160\u3164\uffa0\u2800]/u);
        expect(r.data).toBe(r.data.trim());
      }),
    );
  });

  it('takes rejoin codes in any case, and only from the code alphabet', () => {
    expect(rejoinCode.parse(' q7kd2m ')).toBe('Q7KD2M');
    expect(rejoinCode.safeParse('Q7KD2O').success).toBe(false); // no O
    expect(joinBody.parse({ name: 'Ana', rejoinCode: 'abcdef' })).toEqual({ name: 'Ana', rejoinCode: 'ABCDEF' });
  });
});
