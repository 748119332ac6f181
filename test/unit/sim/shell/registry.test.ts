import { describe, expect, it } from 'vitest';
import { COMMANDS, helpText, lookupCommand } from '../../../../src/sim/shell/registry';
import { readDoc } from './read-doc.mjs';

const doc: string = readDoc('commands.md');

describe('shell/registry', () => {
  it('docs/commands.md names every command and alias of the registry', () => {
    const missing = COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]).filter(
      (n) => !new RegExp('`' + n.replace(/[?]/g, '\\?') + '[` ]').test(doc),
    );
    expect(missing).toEqual([]);
  });

  it('names and aliases are unique', () => {
    const all = COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('help lists every listed command with its usage and both languages, and no unlisted one', () => {
    const help = helpText();
    for (const c of COMMANDS) {
      if (c.listed === false) {
        expect(help).not.toMatch(new RegExp(`^  ${c.name}\\b`, 'm'));
        continue;
      }
      for (const u of c.usage) expect(help).toContain(u);
      expect(help).toContain(`${c.help.fr} / ${c.help.en}`);
    }
    expect(help.startsWith('Commandes disponibles / Available commands:')).toBe(true);
  });

  it('aliases run the same handler as their command', () => {
    for (const c of COMMANDS) for (const a of c.aliases ?? []) expect(lookupCommand(a)).toBe(c);
    expect(lookupCommand('no-such-tool')).toBeUndefined();
  });
});
