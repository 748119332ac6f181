// Comments cite the repository's own docs, by file and chapter, and never a file outside it: the
// figures a comment relies on live in docs/ (docs/sim.md has one chapter per rules/ file).
import { describe, expect, it } from 'vitest';
import { docCitations, docExists, headings, outsideRefs, ruleFiles } from './doc-refs-scan.mjs';

describe('doc references', () => {
  it('every docs/… file a comment cites exists, and every cited chapter is a heading of it', () => {
    const cites = docCitations();
    expect(cites.filter((c: { chapter: string | null }) => c.chapter).length).toBeGreaterThan(10);
    const broken = cites.filter((c: { doc: string; chapter: string | null }) => !docExists(c.doc) || (c.chapter !== null && !headings(c.doc).some((h: string) => h.startsWith(c.chapter!))));
    expect(broken).toEqual([]);
  });

  it('docs/sim.md has a chapter naming each file of src/sim/rules', () => {
    const rules: string[] = ruleFiles();
    expect(rules.length).toBeGreaterThan(10);
    const h = headings('sim.md').join('\n');
    expect(rules.filter((f) => !h.includes(`rules/${f}`))).toEqual([]);
  });

  it('no source file points outside the repository', () => {
    expect(outsideRefs()).toEqual([]);
  });
});
