// The scenario files (scenarios/*.json) against the schema, and malformed files: every problem
// comes back at its line and column, with its path and a French and English message; never a throw.
import { describe, expect, it } from 'vitest';
import * as INDEX from '../../../scenarios/index';
import { SCENARIOS } from '../../../src/sim/scenarios';
import { readScenario as read, scenarioFiles } from './read-scenarios.mjs';
import { errorLine, formatScenarioJson, lineColumn, MAX_SCENARIO_CHARS, parseScenarioText, type ScenarioError } from '../../../src/sim/scenario-text';

const files = scenarioFiles();
const BASE = read('three-node-power-loss.json');

/** Position of the n-th (0-based) occurrence of `needle` in `text`. */
function at(text: string, needle: string, nth = 0): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`test setup: "${needle}" not in the text`);
  return lineColumn(text, i);
}

function errorsOf(text: string): ScenarioError[] {
  const r = parseScenarioText(text);
  if (r.ok) throw new Error('expected the file to be refused');
  for (const e of r.errors) {
    expect(e.message.fr.length).toBeGreaterThan(3);
    expect(e.message.en.length).toBeGreaterThan(3);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
  }
  return r.errors;
}

describe('preset files', () => {
  it('every file in scenarios/ is valid, listed in the index once, and loaded as a preset', () => {
    expect(files.length).toBe(SCENARIOS.length);
    const indexed = Object.values(INDEX as Record<string, { id: string }>).map((s) => s.id);
    expect(new Set(indexed).size).toBe(indexed.length);
    for (const f of files) {
      const r = parseScenarioText(read(f));
      expect(r.ok ? [] : r.errors.map((e) => errorLine(e, 'en')), f).toEqual([]);
      if (!r.ok) continue;
      expect(r.scenario.id, 'the file is named after its id').toBe(f.replace(/\.json$/, ''));
      expect(indexed).toContain(r.scenario.id);
      expect(SCENARIOS.find((s) => s.id === r.scenario.id)).toEqual(r.scenario);
    }
  });

  it('keeps the course order of the index (p01, p02, …)', () => {
    expect(SCENARIOS[0]!.id).toBe('three-node-power-loss');
    expect(SCENARIOS.map((s) => s.id)).toEqual(Object.keys(INDEX).sort().map((k) => (INDEX as Record<string, { id: string }>)[k]!.id));
  });

  it('prints a scenario back as JSON that parses to the same scenario', () => {
    for (const s of SCENARIOS) {
      const r = parseScenarioText(formatScenarioJson(s));
      expect(r.ok && r.scenario).toEqual(s);
    }
  });
});

describe('malformed files', () => {
  it('a syntax error: the line and column of the missing comma', () => {
    const bad = BASE.replace('"clusterName": "salle-a",', '"clusterName": "salle-a"');
    const [e] = errorsOf(bad);
    expect(e!.line).toBe(at(bad, '"nodes"').line);
    expect(e!.message.en).toMatch(/Invalid JSON: comma expected/);
    expect(e!.message.fr).toMatch(/JSON invalide : virgule attendue/);
  });

  it('an unterminated string, a comment, trailing text, an empty file', () => {
    expect(errorsOf('{ "id": "x')[0]!.message.en).toMatch(/unterminated string/);
    expect(errorsOf('// hello\n{}')[0]!.message.en).toMatch(/comments are not allowed/);
    expect(errorsOf('{} {}')[0]!.message.en).toMatch(/extra text/);
    expect(errorsOf('')[0]!.message.en).toMatch(/Empty file|value expected/);
    expect(errorsOf('   ')[0]!.line).toBe(1);
  });

  it('a wrong type points at the value, with both types named', () => {
    const bad = BASE.replace('"name": "pve2", "nodeid": 2, "votes": 1', '"name": "pve2", "nodeid": 2, "votes": "1"');
    const [e] = errorsOf(bad);
    expect(e!.path).toBe('cluster.nodes.1.votes');
    expect(e).toMatchObject(at(bad, '"1"'));
    expect(e!.message.en).toBe('expected number, got string');
    expect(e!.message.fr).toBe('attendu : un nombre, trouvé : un texte');
  });

  it('an unknown node in the timeline points at that node and lists the real ones', () => {
    const bad = BASE.replace('"kind": "power", "node": "pve3", "action": "off"', '"kind": "power", "node": "pve9", "action": "off"');
    const [e] = errorsOf(bad);
    expect(e!.path).toBe('timeline.0.fault.node');
    expect(e).toMatchObject(at(bad, '"pve9"'));
    expect(e!.message.en).toBe('unknown node "pve9" (the cluster has: pve1, pve2, pve3)');
    expect(e!.message.fr).toContain('nœud inconnu « pve9 »');
  });

  it('an objective about a VM the cluster does not have', () => {
    const bad = BASE.replace('"kind": "vm-running-at-end", "vmid": 110', '"kind": "vm-running-at-end", "vmid": 999');
    const [e] = errorsOf(bad);
    expect(e!.path).toMatch(/^objectives\.\d+\.check\.vmid$/);
    expect(e).toMatchObject(at(bad, '999'));
    expect(e!.message.en).toMatch(/^unknown VM 999 \(the cluster has: 100, 101, 102, 103, 110\)$/);
  });

  it('an unknown fault kind, an unknown event type, an unknown question', () => {
    const kind = BASE.replace('"kind": "power", "node": "pve3", "action": "off"', '"kind": "flood", "node": "pve3", "action": "off"');
    expect(errorsOf(kind)[0]).toMatchObject({ path: 'timeline.0.fault.kind', ...at(kind, '"flood"') });
    expect(errorsOf(kind)[0]!.message.en).toBe('unknown "kind": "flood"');
    const type = BASE.replace('"type": "recovered"', '"type": "recovred"');
    const [t] = errorsOf(type);
    expect(t!.path).toBe('objectives.0.check.type');
    expect(t!.message.en).toMatch(/^value "recovred" not allowed; allowed: "heartbeat-lost", /);
    const q = BASE.replace('"votes-present", "votes-required"', '"votes-present", "votes-needed"');
    expect(errorsOf(q)[0]!.path).toBe('checkpoints.0.questions.1');
  });

  it('a misspelt field points at the key itself', () => {
    const bad = BASE.replace('"atMs": 60000', '"atMS": 60000');
    const errs = errorsOf(bad);
    expect(errs.find((e) => /unknown field: atMS/.test(e.message.en))).toMatchObject({ path: 'timeline.0.atMS', ...at(bad, '"atMS"') });
    expect(errs.find((e) => e.message.en === 'required field is missing')!.path).toBe('timeline.0.atMs');
  });

  it('duplicates, a bad IP, qdevice faults without a QDevice, every problem at once and sorted by line', () => {
    let bad = BASE.replace('"nodeid": 3, "votes": 1, "ip": "10.0.10.13"', '"nodeid": 2, "votes": 1, "ip": "10.0.10.300"');
    bad = bad.replace('"fault": { "kind": "power", "node": "pve3", "action": "on" }', '"fault": { "kind": "qdevice-host", "up": false }');
    const errs = errorsOf(bad);
    expect(errs.map((e) => e.path)).toEqual(['cluster.nodes.2.nodeid', 'cluster.nodes.2.ip', 'timeline.1.fault.kind']);
    expect(errs[1]!.message.fr).toBe('"10.0.10.300" refusé ; attendu : une adresse IPv4 comme 10.0.10.11');
    bad = bad.replace('10.0.10.300', '10.0.10.13');
    const cross = errorsOf(bad);
    expect(cross.map((e) => e.path)).toEqual(['cluster.nodes.2.nodeid', 'timeline.1.fault.kind']);
    expect(cross[0]!.message.en).toBe('duplicate nodeid: 2');
    expect(cross[1]!.message.fr).toBe('qdevice-host sans QDevice dans le cluster');
    expect(cross[0]!.line).toBeLessThan(cross[1]!.line);
  });

  it('refuses a file that is too long or not an object, without throwing', () => {
    expect(errorsOf(' '.repeat(MAX_SCENARIO_CHARS + 1))[0]!.message.en).toMatch(/too long/);
    expect(errorsOf('[1, 2]')[0]!.message.en).toBe('expected object, got array');
    expect(errorsOf('null')[0]!.message.fr).toMatch(/attendu : un objet/);
    expect(() => parseScenarioText('{"__proto__": {"x": 1}}')).not.toThrow();
    // Too broken to cross-check: the shape errors come back, nothing throws.
    const broken = errorsOf('{"id": "x", "cluster": {"nodes": [1, "a", null], "vms": "none"}, "timeline": [{"fault": 3}], "objectives": [{}]}');
    expect(broken.map((e) => e.path)).toContain('cluster.nodes.0');
  });

  it('prints errors as "line:column path — message"', () => {
    expect(errorLine({ line: 12, column: 7, path: 'timeline.0.fault.node', message: { fr: 'nœud inconnu', en: 'unknown node' } }, 'fr')).toBe(
      '12:7 timeline.0.fault.node — nœud inconnu',
    );
  });
});
