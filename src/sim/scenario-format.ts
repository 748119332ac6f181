// Scenario files printed tidily: what fits on a line stays on one line. No imports, so the
// teacher page (web/teacher-lib/authoring.ts) prints the same text as the preset files.

/** Longest scenario text accepted (the biggest preset is about 7 KB). */
export const MAX_SCENARIO_CHARS = 64 * 1024;

/** Tidy JSON: an object or array that fits on one line of `width` stays on one line. */
export function formatScenarioJson(value: unknown, width = 140): string {
  const inline = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
    if (v && typeof v === 'object') {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined);
      return entries.length ? `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')} }` : '{}';
    }
    return JSON.stringify(v);
  };
  const block = (v: unknown, indent: string, lead: number): string => {
    const one = inline(v);
    if (indent.length + lead + one.length <= width || v === null || typeof v !== 'object') return one;
    const inner = indent + '  ';
    if (Array.isArray(v)) return `[\n${v.map((x) => inner + block(x, inner, 0)).join(',\n')}\n${indent}]`;
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${block(x, inner, JSON.stringify(k).length + 2)}`).join(',\n')}\n${indent}}`;
  };
  return block(value, '', 0) + '\n';
}
