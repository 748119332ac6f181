// The preset scenarios, which follow the course (cours 12 — Clustering Proxmox): one data file each
// under scenarios/ (format: docs/scenarios.md, checked by scenario-schema.ts), and the function that
// turns a scenario plus the lab's settings into the engine's ClusterConfig. Pure data and pure code.
//
// Conventions shared by every preset: nodes pve1..pveN have nodeid N and corosync IP
// 10.0.10.(10+N) (VLAN 10 of the course); the QDevice host is 10.0.10.50; VMIDs start at 100, HA
// guests live on shared storage, VMIDs 110+ are the non-HA "side" guests. Times are simulation
// milliseconds since the lab started. Objectives are checked by objectives.ts.
import * as PRESET_FILES from '../../scenarios/index.js';
import { checkScenario } from './scenario-schema.js';
import { timingFor } from './timing.js';
import { wholeClassFromId } from './whole-class.js';
import type { ClusterConfig, I18nText, NodeName, Scenario, TimingProfileName, VoteMode } from './types.js';

export { CONCEPTS } from './concepts.js';

/** Every preset file checked against the schema, in the index's order. A broken file stops the
 * worker at load with its name and first problem (test/unit/sim/scenario-files.test.ts sees it first). */
function loadPresets(): Scenario[] {
  const files = PRESET_FILES as Record<string, unknown>;
  return Object.keys(files)
    .sort()
    .map((k) => {
      const r = checkScenario(files[k]);
      if (!r.ok) throw new Error(`scenarios/index.ts ${k}: ${r.issues.map((i) => `${i.path.join('.')}: ${i.message.en}`).join('; ')}`);
      return r.scenario;
    });
}

export const SCENARIOS: readonly Scenario[] = loadPresets();

export function getScenario(id: string): Scenario | undefined {
  // Generated scenarios (src/sim/whole-class.ts) are named by their parameters.
  return SCENARIOS.find((s) => s.id === id) ?? wholeClassFromId(id);
}

/** The scenario of a lab as D1 keeps it: its frozen copy of a teacher's scenario (checked again),
 * else the preset of that id. */
export function scenarioOfLab(lab: { scenarioId: string; scenarioJson?: string | null }): Scenario | undefined {
  if (!lab.scenarioJson) return getScenario(lab.scenarioId);
  try {
    const r = checkScenario(JSON.parse(lab.scenarioJson));
    return r.ok ? r.scenario : undefined;
  } catch {
    return undefined;
  }
}

/** A lab's scenario title, for lists of labs: a preset's, or the one of the scenario frozen into the
 * lab (read without checking the whole scenario again: it was checked when the lab was made). */
export function scenarioTitleOfLab(lab: { scenarioId: string; scenarioJson?: string | null }): I18nText | null {
  if (!lab.scenarioJson) return getScenario(lab.scenarioId)?.title ?? null;
  try {
    const t = (JSON.parse(lab.scenarioJson) as { title?: Partial<I18nText> } | null)?.title;
    return t && typeof t.fr === 'string' && typeof t.en === 'string' ? { fr: t.fr, en: t.en } : null;
  } catch {
    return null;
  }
}

export interface BuildOptions {
  timing: TimingProfileName;
  voteMode: VoteMode;
  /** nodes the engine heartbeats for (unseated ones); defaults to every node */
  autoNodes?: NodeName[];
}

/** The engine config of a scenario for one lab. Throws on a node name that is not in the scenario. */
export function buildClusterConfig(scenario: Scenario, opts: BuildOptions): ClusterConfig {
  const cluster = JSON.parse(JSON.stringify(scenario.cluster)) as Scenario['cluster'];
  const names = cluster.nodes.map((n) => n.name);
  const auto = opts.autoNodes ?? names;
  for (const a of auto) if (!names.includes(a)) throw new Error(`buildClusterConfig: unknown node ${a} in autoNodes`);
  return {
    ...cluster,
    // The scenario's totem block and last_man_standing_window shape the timing.
    timing: timingFor(opts.timing, cluster.nodes.length, { totem: cluster.totem, options: cluster.options }),
    voteMode: opts.voteMode,
    // Kept in config order so the engine heartbeats in a stable order whatever the caller passed.
    autoNodes: names.filter((n) => auto.includes(n)),
  };
}
