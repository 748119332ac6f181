// Reads a file of docs/ for the unit tests (plain Node; the workers tsconfig has no node types).
import { readFileSync } from 'node:fs';

/** @param {string} name @returns {string} */
export function readDoc(name) {
  return readFileSync(new URL(`../../../../docs/${name}`, import.meta.url), 'utf8');
}
