// What a reloaded node page gets back (src/rooms/backlog.ts), and the browser's language default.
import { describe, expect, it } from 'vitest';
import { JOURNAL_KEEP, TERMINAL_KEEP, TERMINAL_MAX_CHARS, journalOf, pushTerminal, resumePoint } from '../../src/rooms/backlog';
import { browserLang } from '../../web/lib/lang';

describe('terminal ring', () => {
  it('keeps the last commands in order', () => {
    let ring = pushTerminal([], { line: 'a', output: '1', exitCode: 0 });
    ring = pushTerminal(ring, { line: 'b', output: '2', exitCode: 1 });
    expect(ring).toEqual([
      { line: 'a', output: '1', exitCode: 0 },
      { line: 'b', output: '2', exitCode: 1 },
    ]);
  });
  it('drops the oldest entries past its count and its size', () => {
    let ring: ReturnType<typeof pushTerminal> = [];
    for (let i = 0; i < TERMINAL_KEEP + 5; i++) ring = pushTerminal(ring, { line: `c${i}`, output: 'x', exitCode: 0 });
    expect(ring).toHaveLength(TERMINAL_KEEP);
    expect(ring[0]!.line).toBe('c5');
    const big = 'y'.repeat(TERMINAL_MAX_CHARS / 2);
    ring = pushTerminal(pushTerminal(pushTerminal([], { line: 'p', output: big, exitCode: 0 }), { line: 'q', output: big, exitCode: 0 }), { line: 'r', output: big, exitCode: 0 });
    expect(ring.map((e) => e.line)).toEqual(['r']);
    expect(pushTerminal([], { line: 'huge', output: 'z'.repeat(TERMINAL_MAX_CHARS * 2), exitCode: 0 })[0]!.output).toHaveLength(TERMINAL_MAX_CHARS);
  });
});

describe('journal backlog', () => {
  it('keeps the last events that concern the seat, oldest first', () => {
    const log = Array.from({ length: 100 }, (_, i) => ({ seq: i + 1, mine: i % 2 === 0 }));
    const j = journalOf(log, (e) => e.mine);
    expect(j).toHaveLength(JOURNAL_KEEP);
    expect(j.every((e) => e.mine)).toBe(true);
    expect(j.at(-1)!.seq).toBe(99);
    expect(j[0]!.seq).toBeLessThan(j[1]!.seq);
  });

  it('after a resume point: only the later events, still at most JOURNAL_KEEP', () => {
    const log = Array.from({ length: 100 }, (_, i) => ({ seq: i + 1, mine: i % 2 === 0 }));
    expect(journalOf(log, (e) => e.mine, 90).map((e) => e.seq)).toEqual([91, 93, 95, 97, 99]);
    expect(journalOf(log, (e) => e.mine, 100)).toEqual([]);
    expect(journalOf(log, (e) => e.mine, 0)).toEqual(journalOf(log, (e) => e.mine));
  });

  it('reads a resume point only for this team, and only well formed', () => {
    const at = (q: string) => resumePoint(`https://room/ws/labs/ABC/student?token=t&${q}`, 3);
    expect(at('resume=3.120')).toBe(120);
    expect(at('resume=3.0')).toBe(0);
    expect(at('resume=4.120')).toBeNull(); // sequence numbers are per team
    for (const bad of ['', 'resume=', 'resume=3', 'resume=3.-1', 'resume=3.1e3', 'resume=3.12.5', 'resume=abc', `resume=3.${'9'.repeat(12)}`]) expect(at(bad)).toBeNull();
  });
});

describe('browser language', () => {
  it('takes the first of French or English the browser prefers, English otherwise', () => {
    expect(browserLang(['en-US', 'fr'])).toBe('en');
    expect(browserLang(['fr-CA'])).toBe('fr');
    expect(browserLang(['de-DE', 'fr-FR', 'en'])).toBe('fr');
    expect(browserLang(['de-DE'])).toBe('en');
    expect(browserLang([])).toBe('en');
  });
});
