// A generated scenario: the whole class is one cluster. One node per student (up to 64, autopilot
// for the nodes nobody holds), optionally a QDevice; the teacher "cuts the room in two" at 1 min
// and heals it at 3 min. It stays code (the presets are data): its size is a parameter.
//
// Ids: `whole-class-<n>` and `whole-class-<n>-qdevice`. getScenario (scenarios.ts) resolves them.
// Same conventions as the presets: pveN has nodeid N and IP 10.0.10.(10+N); the QDevice host is
// 10.0.10.250 here (10.0.10.50 would be pve40's).
import type { CheckpointDef, NodeConfig, Objective, Scenario, ScheduledFault, VmConfig } from './types.js';

export const WHOLE_CLASS_MIN = 2;
export const WHOLE_CLASS_MAX = 64;
const PREFIX = 'whole-class-';
const QDEVICE_IP = '10.0.10.250';
const SPLIT_AT_MS = 60_000;
const HEAL_AT_MS = 180_000;

export interface WholeClassOptions {
  /** a QDevice (ffsplit) configured from the start; it needs an even node count, as
   * `pvecm qdevice setup` does without --force (docs/sim.md) */
  qdevice?: boolean;
}

export function wholeClassId(n: number, opts: WholeClassOptions = {}): string {
  return `${PREFIX}${n}${opts.qdevice ? '-qdevice' : ''}`;
}

/** Why this size/option pair cannot be generated, or null. Bilingual: the dashboard shows it. */
export function wholeClassRefusal(n: number, opts: WholeClassOptions = {}): string | null {
  if (!Number.isInteger(n) || n < WHOLE_CLASS_MIN || n > WHOLE_CLASS_MAX)
    return `un cluster de classe compte de ${WHOLE_CLASS_MIN} à ${WHOLE_CLASS_MAX} nœuds / a whole-class cluster has ${WHOLE_CLASS_MIN} to ${WHOLE_CLASS_MAX} nodes`;
  if (opts.qdevice && n % 2 === 1)
    return 'un QDevice demande un nombre pair de nœuds / a QDevice needs an even node count';
  return null;
}

const made = new Map<string, Scenario>();

/** The scenario an id names, or undefined when it is not a (valid) whole-class id. Built once per
 * id (the room looks its scenario up on every tick). */
export function wholeClassFromId(id: string): Scenario | undefined {
  const hit = made.get(id);
  if (hit) return hit;
  const m = /^whole-class-(\d{1,2})(-qdevice)?$/.exec(id);
  if (!m) return undefined;
  const n = Number(m[1]);
  const opts = { qdevice: !!m[2] };
  if (wholeClassRefusal(n, opts)) return undefined;
  const sc = wholeClassScenario(n, opts);
  made.set(id, sc);
  return sc;
}

const node = (i: number): NodeConfig => ({ name: `pve${i}`, nodeid: i, votes: 1, ip: `10.0.10.${10 + i}` });

/** The cluster of the whole class: n nodes, one HA guest per four nodes on shared storage. */
export function wholeClassScenario(n: number, opts: WholeClassOptions = {}): Scenario {
  const refused = wholeClassRefusal(n, opts);
  if (refused) throw new Error(refused);
  const nodes = Array.from({ length: n }, (_, i) => node(i + 1));
  const vms: VmConfig[] = Array.from({ length: Math.ceil(n / 4) }, (_, i) => ({
    vmid: 100 + i,
    name: `svc${String(i + 1).padStart(2, '0')}`,
    node: `pve${1 + ((i * 4) % n)}`,
    memoryMb: 2048,
    diskGb: 32,
    storage: 'shared',
    ha: true,
    running: true,
  }));
  // The room is cut in two: without a QDevice the first half keeps one node more (it stays
  // quorate); with one, the halves are equal and the QDevice's vote decides (ffsplit).
  const big = opts.qdevice ? n / 2 : Math.floor(n / 2) + 1;
  const groups = [nodes.slice(0, big).map((x) => x.name), nodes.slice(big).map((x) => x.name)];
  const timeline: ScheduledFault[] = n > 2 || opts.qdevice
    ? [
        {
          atMs: SPLIT_AT_MS,
          fault: { kind: 'partition', groups },
          note: { fr: `La salle est coupée en deux : ${groups[0]!.length} nœuds d'un côté, ${groups[1]!.length} de l'autre.`, en: `The room is cut in two: ${groups[0]!.length} nodes on one side, ${groups[1]!.length} on the other.` },
        },
        { atMs: HEAL_AT_MS, fault: { kind: 'heal' }, note: { fr: 'Le réseau est réparé.', en: 'The network is repaired.' } },
      ]
    : [];
  const objectives: Objective[] = [
    { id: 'no-split-brain', points: 40, title: { fr: 'Aucun split-brain pendant le labo', en: 'No split-brain during the lab' }, check: { kind: 'no-split-brain' } },
    { id: 'pvecm-status', points: 20, title: { fr: 'Lire les votes avec pvecm status', en: 'Read the votes with pvecm status' }, check: { kind: 'event', type: 'command', match: { line: 'pvecm status', ok: true } } },
    { id: 'all-quorate-at-end', points: 40, title: { fr: 'À la fin, tous les nœuds sont allumés et ont le quorum', en: 'At the end, every node is up and quorate' }, check: { kind: 'all-quorate-at-end' } },
  ];
  const checkpoints: CheckpointDef[] = [
    { id: 'before', atMs: 20_000, pause: true, title: { fr: 'Avant la coupure : le calcul du quorum', en: 'Before the cut: the quorum arithmetic' }, questions: ['votes-present', 'votes-required', 'quorate'] },
    { id: 'after', atMs: SPLIT_AT_MS + 15_000, pause: true, title: { fr: 'La salle est coupée : votre moitié a-t-elle le quorum ?', en: 'The room is cut: does your half hold quorum?' }, questions: ['quorate', 'votes-present', 'cfs-writable'] },
  ];
  const qd = opts.qdevice ? ' + QDevice' : '';
  return {
    id: wholeClassId(n, opts),
    title: { fr: `Toute la classe — un cluster de ${n} nœuds${qd}`, en: `The whole class — one ${n}-node cluster${qd}` },
    description: {
      fr:
        `Chaque étudiant est un nœud d'un seul cluster de ${n} nœuds (les places libres sont en pilote automatique). ` +
        `À la première minute, la salle est coupée en deux : ${opts.qdevice ? 'deux moitiés égales, et le vote du QDevice décide laquelle garde le quorum' : 'la moitié la plus grande garde le quorum, l’autre le perd'}. ` +
        'À trois minutes, le réseau revient et les deux moitiés se rejoignent.',
      en:
        `Every student is a node of one ${n}-node cluster (free seats run on autopilot). ` +
        `At the first minute the room is cut in two: ${opts.qdevice ? 'two equal halves, and the QDevice vote decides which keeps quorum' : 'the larger half keeps quorum, the other loses it'}. ` +
        'At three minutes the network is back and both halves merge.',
    },
    goals: {
      fr: ['Compter les votes de sa moitié et dire si elle a le quorum.', 'Lire pvecm status avant et après la coupure.', 'Vérifier que tout le cluster est quorate après la réparation.'],
      en: ['Count the votes of your half and say whether it holds quorum.', 'Read pvecm status before and after the cut.', 'Check that the whole cluster is quorate after the repair.'],
    },
    concepts: opts.qdevice ? ['quorum', 'qdevice', 'even-node-count', 'heartbeat'] : ['quorum', 'heartbeat', 'ha'],
    cluster: {
      clusterName: 'classe',
      nodes,
      ...(opts.qdevice ? { qdevice: { algorithm: 'ffsplit' as const, ip: QDEVICE_IP, configured: true, installed: true } } : {}),
      vms,
      options: { two_node: false, auto_tie_breaker: false, last_man_standing: false },
    },
    qdeviceSeat: !!opts.qdevice,
    timeline,
    objectives,
    checkpoints,
  };
}
