// The outcome part: what the cluster went through (HA availability, split-brain, data lost),
// measured against autopilot alone on the same scenario and timeline. The baseline scores
// RULES.outcome.baseline; a team gains above it for availability it added, and loses for
// availability it cost and for each kind of harm the baseline did not suffer (once per kind).
import type { Baseline } from './baseline';
import type { ClusterState, SimEvent } from './sim';
import type { GradeLine } from './types';
import { RULES, clamp, round1 } from './weights';

type HarmKind = keyof typeof RULES.outcome.harm;

export interface OutcomeFigures {
  /** 0..1, time-weighted over HA VMs: running on exactly one node, without I/O errors */
  availability: number;
  /** first event of each kind of harm */
  harms: Partial<Record<HarmKind, SimEvent>>;
}

/** Fraction of time each HA VM ran on exactly one node (running twice counts as down). */
export function availability(events: readonly SimEvent[], config: ClusterState['config'], endMs: number): number {
  const haVms = config.vms.filter((v) => v.ha);
  if (haVms.length === 0 || endMs <= 0) return 1;
  let sum = 0;
  for (const vm of haVms) {
    const running = new Set<string>(vm.running ? [vm.node] : []);
    let last = 0;
    let up = 0;
    for (const e of events) {
      if (e.at > endMs) break;
      if (e.type === 'migrated' && e.vmid === vm.vmid && running.has(e.from)) {
        running.delete(e.from);
        running.add(e.to);
        continue;
      }
      if ((e.type !== 'vm-started' && e.type !== 'vm-stopped') || e.vmid !== vm.vmid) continue;
      if (running.size === 1) up += e.at - last;
      last = e.at;
      if (e.type === 'vm-started') running.add(e.node);
      else running.delete(e.node);
    }
    if (running.size === 1) up += endMs - last;
    sum += up / endMs;
  }
  return sum / haVms.length;
}

export function outcomeFigures(events: readonly SimEvent[], config: ClusterState['config'], endMs: number): OutcomeFigures {
  const harms: OutcomeFigures['harms'] = {};
  for (const e of events) {
    if (e.type === 'split-brain-started') harms[e.kind] ??= e;
    if (e.type === 'pmxcfs-merge' && e.lost.length > 0) harms['writes-lost'] ??= e;
  }
  return { availability: availability(events, config, endMs), harms };
}

const t = (fr: string, en: string) => ({ fr, en });
const pctTxt = (x: number) => round1(x * 100);

const HARM_TEXT: Record<HarmKind, { fr: string; en: string }> = {
  'two-quorate': t('Deux partitions ont eu le quorum en même temps (split-brain)', 'Two partitions held quorum at once (split-brain)'),
  'vm-twice': t('Une VM a tourné sur deux nœuds à la fois (données corrompues)', 'A VM ran on two nodes at once (corrupted data)'),
  'cfs-diverged': t('/etc/pve a divergé entre les partitions', '/etc/pve diverged between the partitions'),
  'writes-lost': t('Des écritures dans /etc/pve ont été perdues à la fusion', 'Writes to /etc/pve were lost at the merge'),
};

export const EXPLAIN_OUTCOME = {
  baseline: t(
    'Point de départ : ce que le pilote automatique seul obtient sur le même scénario et les mêmes pannes. Une équipe inactive reste ici.',
    'Starting point: what autopilot alone achieves on the same scenario and faults. An idle team stays here.',
  ),
  availability: t(
    'Disponibilité des VM HA (sur exactement un nœud) comparée à celle du pilote automatique seul.',
    'Availability of the HA VMs (on exactly one node) compared with autopilot alone.',
  ),
  harm: t('Dégât que le pilote automatique seul n’a pas subi ; compté une fois par sorte.', 'Harm autopilot alone did not suffer; counted once per kind.'),
};

/** Outcome lines and the part's score (0–100). */
export function gradeOutcome(team: OutcomeFigures, base: OutcomeFigures): { score: number; lines: GradeLine[] } {
  const R = RULES.outcome;
  const lines: GradeLine[] = [
    { part: 'outcome', kind: 'baseline', points: R.baseline, text: t('Référence : pilote automatique seul', 'Reference: autopilot alone'), explain: EXPLAIN_OUTCOME.baseline },
  ];
  const a = team.availability;
  const b = base.availability;
  const gain = a >= b ? (b < 1 ? (a - b) / (1 - b) : 0) : b > 0 ? (a - b) / b : 0;
  lines.push({
    part: 'outcome',
    kind: 'availability',
    points: round1(R.availability * clamp(gain, -1, 1)),
    text: t(`VM HA disponibles ${pctTxt(a)} % du temps (pilote automatique seul : ${pctTxt(b)} %)`, `HA VMs available ${pctTxt(a)} % of the time (autopilot alone: ${pctTxt(b)} %)`),
    explain: EXPLAIN_OUTCOME.availability,
    concept: 'ha',
  });
  for (const k of Object.keys(R.harm) as HarmKind[]) {
    const e = team.harms[k];
    if (!e || base.harms[k]) continue;
    lines.push({ part: 'outcome', kind: 'harm', points: -R.harm[k], text: HARM_TEXT[k], explain: EXPLAIN_OUTCOME.harm, concept: k === 'cfs-diverged' || k === 'writes-lost' ? 'pmxcfs' : 'split-brain', seq: e.seq, at: e.at });
  }
  return { score: round1(clamp(lines.reduce((s, l) => s + l.points, 0), 0, 100)), lines };
}

/** The baseline's figures, for reports that show them. */
export const baselineFigures = (b: Baseline, config: ClusterState['config'], endMs: number) => outcomeFigures(b.events, config, endMs);
