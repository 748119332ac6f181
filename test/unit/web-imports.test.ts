// The browser imports from the server side only through src/protocol: the wire types, the shared
// constants and the event wording live there once, and no page re-declares them. What
// src/protocol bundles for the browser at run time stays free of server code (zod, the engine).
import { describe, expect, it } from 'vitest';
import { importsOf, protocolRuntimeReach } from './web-imports-scan.mjs';

describe('web/ imports only src/protocol', () => {
  it('every import of a web/ file that leaves web/ points into src/protocol', () => {
    const outside = importsOf('web').filter((i) => !i.to.startsWith('web/'));
    expect(outside.length).toBeGreaterThan(10);
    expect(outside.filter((i) => !i.to.startsWith('src/protocol/')).map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('what the pages bundle from src/protocol at run time reaches no server module', () => {
    // Value imports, followed through src/: only files that have no imports of their own.
    const reach = protocolRuntimeReach();
    expect(reach).toContain('src/protocol/wording.ts');
    expect(reach.filter((f) => !/^src\/(protocol\/(wording|vocabulary|constants|limits|lobby)|sim\/constants|scoring\/rubric)\.ts$/.test(f))).toEqual([]);
  });
});
