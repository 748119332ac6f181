// Reads the files of scenarios/ for the unit tests (plain Node; the workers tsconfig has no node types).
import { readFileSync, readdirSync } from 'node:fs';

const DIR = new URL('../../../scenarios/', import.meta.url);

/** @returns {string[]} the JSON file names, sorted */
export function scenarioFiles() {
  return readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
}

/** @param {string} name @returns {string} */
export function readScenario(name) {
  return readFileSync(new URL(name, DIR), 'utf8');
}
