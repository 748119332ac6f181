// The browser imports from the server side through src/protocol (wire types, shared constants, the
// event wording), plus the pure engine where a page really runs it: the replay page re-runs the
// stored inputs with src/sim (the same rules as the room) and the scenario editor prints with the
// scenario formatter. Nothing a page bundles at run time reaches server code (zod, hono, drizzle,
// Durable Objects, D1).
import { describe, expect, it } from 'vitest';
import { importsOf, protocolRuntimeReach, sourceOf } from './web-imports-scan.mjs';

/** Where a page may import from outside web/ (types from src/reports are erased by the bundler). */
const ALLOWED = /^src\/(protocol\/|sim\/|reports\/(rerun|replay|student-result)\.ts$)/;
/** What a page may load at run time. */
const RUNTIME = /^src\/(protocol\/|sim\/|scoring\/rubric\.ts$|reports\/rerun\.ts$)/;
const SERVER_ONLY = /from\s+['"](zod|hono|drizzle-orm|cloudflare:[\w-]+)['"/]/;

describe('what web/ imports from the server side', () => {
  it('every import of a web/ file that leaves web/ points into src/protocol or the pure engine', () => {
    const outside = importsOf('web').filter((i) => !i.to.startsWith('web/'));
    expect(outside.length).toBeGreaterThan(10);
    expect(outside.filter((i) => !ALLOWED.test(i.to)).map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
    // Wire types come from src/protocol: no page reads a room or API module.
    expect(outside.filter((i) => /^src\/(rooms|api|db)\//.test(i.to))).toEqual([]);
  });

  it('what the pages bundle at run time reaches no server module', () => {
    // Value imports, followed through src/.
    const reach = protocolRuntimeReach();
    expect(reach).toContain('src/protocol/wording.ts');
    expect(reach.filter((f) => !RUNTIME.test(f))).toEqual([]);
    expect(reach.filter((f) => SERVER_ONLY.test(sourceOf(f)))).toEqual([]);
  });
});
