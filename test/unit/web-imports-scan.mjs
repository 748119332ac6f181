// The scan behind web-imports.test.ts (plain Node): the import edges of web/ and what the pages
// pull from src/ at run time (type-only imports are erased by the bundler and not followed).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const IMPORT = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"]([^'"]+)['"]/gm;

/** @param {string} dir @returns {string[]} */
function tsFiles(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** @param {string} file */
function edges(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  for (const m of text.matchAll(IMPORT)) {
    if (!m[4].startsWith('.')) continue;
    const typeOnly = !!m[2] || /^\{\s*(type\s+[\w$]+\s*(,\s*)?)+\}$/.test(m[3]);
    const to = relative(ROOT, resolve(dirname(file), m[4].replace(/\.js$/, ''))) + '.ts';
    out.push({ from: relative(ROOT, file), to, typeOnly });
  }
  return out;
}

/** Every relative import of the .ts files under `dir`. */
export function importsOf(dir) {
  return tsFiles(join(ROOT, dir)).flatMap(edges);
}

/** The src/ files the pages load at run time: value imports of web/, followed through src/. */
export function protocolRuntimeReach() {
  const seen = new Set();
  const todo = importsOf('web').filter((e) => !e.typeOnly && e.to.startsWith('src/')).map((e) => e.to);
  while (todo.length) {
    const f = todo.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    for (const e of edges(join(ROOT, f))) if (!e.typeOnly) todo.push(e.to);
  }
  return [...seen].sort();
}

/** The text of a repository file (`f` relative to the root). @param {string} f */
export function sourceOf(f) {
  return readFileSync(join(ROOT, f), 'utf8');
}
