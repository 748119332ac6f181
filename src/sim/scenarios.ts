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

/** Problems with a cluster config (empty when it is valid): duplicates, dangling references. */
export function validateClusterConfig(c: ClusterConfig): string[] {
  const errs: string[] = [];
  const dup = <T>(xs: T[]) => xs.filter((x, i) => xs.indexOf(x) !== i);
  const names = c.nodes.map((n) => n.name);
  if (c.nodes.length < 2) errs.push('a cluster needs at least 2 nodes');
  for (const d of dup(names)) errs.push(`duplicate node name ${d}`);
  for (const d of dup(c.nodes.map((n) => n.nodeid))) errs.push(`duplicate nodeid ${d}`);
  const ips = c.nodes.map((n) => n.ip).concat(c.qdevice ? [c.qdevice.ip] : []);
  for (const d of dup(ips)) errs.push(`duplicate IP ${d}`);
  for (const n of c.nodes) {
    if (!Number.isInteger(n.nodeid) || n.nodeid < 1) errs.push(`${n.name}: nodeid must be a positive integer`);
    if (!Number.isInteger(n.votes) || n.votes < 0) errs.push(`${n.name}: votes must be a non-negative integer`);
    if (!/^(\d{1,3}\.){3}\d{1,3}$/.test(n.ip)) errs.push(`${n.name}: bad IP ${n.ip}`);
  }
  for (const d of dup(c.vms.map((v) => v.vmid))) errs.push(`duplicate VMID ${d}`);
  for (const v of c.vms) {
    if (!Number.isInteger(v.vmid) || v.vmid < 100) errs.push(`VM ${v.vmid}: VMIDs start at 100`);
    if (!names.includes(v.node)) errs.push(`VM ${v.vmid}: unknown node ${v.node}`);
  }
  for (const a of c.autoNodes) if (!names.includes(a)) errs.push(`autoNodes: unknown node ${a}`);
  if (c.options.two_node && c.nodes.length !== 2) errs.push('two_node needs exactly 2 nodes');
  errs.push(...clusterOptionErrors(c));
  return errs;
}

/** The per-scenario cluster options (totem, votequorum extras, cold start), checked with messages
 * that name the corosync.conf key at fault. */
function clusterOptionErrors(c: ClusterConfig): string[] {
  const errs: string[] = [];
  const o = c.options;
  const positiveInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
  if (c.totem) {
    if (!positiveInt(c.totem.token)) errs.push(`totem.token must be a positive whole number of ms (got ${String(c.totem.token)})`);
    const k = c.totem.token_coefficient;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0)
      errs.push(`totem.token_coefficient must be a whole number of ms, 0 or more (got ${String(k)})`);
  }
  if (o.last_man_standing_window !== undefined && !positiveInt(o.last_man_standing_window))
    errs.push(`quorum.last_man_standing_window must be a positive whole number of ms (got ${String(o.last_man_standing_window)})`);
  if (o.last_man_standing_window !== undefined && !o.last_man_standing)
    errs.push('quorum.last_man_standing_window is set but last_man_standing is off');
  for (const k of ['wait_for_all', 'allow_downscale'] as const)
    if (o[k] !== undefined && typeof o[k] !== 'boolean') errs.push(`quorum.${k} must be true or false`);
  if (o.allow_downscale && c.qdevice?.configured)
    errs.push('quorum.allow_downscale cannot be used with a QDevice (corosync refuses the configuration)');
  if (c.coldStart !== undefined && typeof c.coldStart !== 'boolean') errs.push('coldStart must be true or false');
  return errs;
}
