// The scan behind doc-refs.test.ts (plain Node): what comments in src/ and web/ cite.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** @param {string} dir @returns {string[]} */
function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mjs|css|html)$/.test(p) ? [p] : [];
  });
}

/** Every `docs/<file>.md` a source file names, with the chapter when it names one (`docs/sim.md, "HA"`). */
export function docCitations() {
  const out = [];
  for (const f of ['src', 'web'].flatMap((d) => files(join(ROOT, d)))) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/docs\/([\w.-]+\.md)(?:, "([^"]+)")?/g)) out.push({ from: relative(ROOT, f), doc: m[1], chapter: m[2] ?? null });
  }
  return out;
}

/** Source lines that point outside the repository (the shared notes of the course's authors). */
export function outsideRefs() {
  const out = [];
  for (const f of ['src', 'web', 'test', 'scripts'].flatMap((d) => files(join(ROOT, d)))) {
    if (f.endsWith('doc-refs-scan.mjs')) continue;
    readFileSync(f, 'utf8')
      .split('\n')
      .forEach((l, i) => {
        if (/\.\.\/shared\b|\bDOMAIN\.md\b|\bSTYLE\.md\b|\bDESIGN\.md\b/.test(l)) out.push(`${relative(ROOT, f)}:${i + 1}`);
      });
  }
  return out;
}

export const docExists = (name) => existsSync(join(ROOT, 'docs', name));
export const headings = (name) =>
  readFileSync(join(ROOT, 'docs', name), 'utf8')
    .split('\n')
    .filter((l) => /^#+ /.test(l))
    .map((l) => l.replace(/^#+ /, ''));

/** The rule files of the engine (src/sim/rules/*.ts). */
export const ruleFiles = () => readdirSync(join(ROOT, 'src/sim/rules')).filter((f) => f.endsWith('.ts'));
