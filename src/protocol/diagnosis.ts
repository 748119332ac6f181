// The diagnosis vocabulary, shared by the node page's "submit a diagnosis" card, the frame schema,
// the drills (src/sim/drills.ts) and the grading (src/scoring/diagnosis.ts): fault families, the
// concrete causes in each, and the course rules a student may name. No imports: the browser
// bundles this file.

export interface Words {
  fr: string;
  en: string;
}

/** Incident drill families (the teacher picks one; each team gets a cause drawn from it). */
export const DRILL_FAMILIES = ['network', 'power', 'qdevice', 'time', 'storage', 'human'] as const;
export type DrillFamily = (typeof DRILL_FAMILIES)[number];

export const FAMILY_WORDS: Record<DrillFamily, Words> = {
  network: { fr: 'Réseau', en: 'Network' },
  power: { fr: 'Alimentation', en: 'Power' },
  qdevice: { fr: 'QDevice', en: 'QDevice' },
  time: { fr: 'Horloge', en: 'Time' },
  storage: { fr: 'Stockage', en: 'Storage' },
  human: { fr: 'Erreur humaine', en: 'Human error' },
};

/** What happened, as a student names it. Each cause belongs to exactly one family. */
export const CAUSES = {
  'node-isolated': { fr: 'Un nœud est isolé du réseau corosync', en: 'A node is cut off the corosync network', family: 'network' },
  'link-cut': { fr: 'Un lien entre deux nœuds est coupé', en: 'A link between two nodes is cut', family: 'network' },
  'link-degraded': { fr: 'Un lien perd des paquets / a trop de latence', en: 'A link loses packets / has too much latency', family: 'network' },
  'power-loss': { fr: 'Un nœud a perdu le courant', en: 'A node lost power', family: 'power' },
  'hard-reset': { fr: 'Un nœud a subi un reset matériel', en: 'A node was hard-reset', family: 'power' },
  'qnetd-down': { fr: 'Le service qnetd (QDevice) est arrêté', en: 'The qnetd service (QDevice) is down', family: 'qdevice' },
  'qdevice-unreachable': { fr: 'Un nœud ne joint plus le QDevice', en: 'A node can no longer reach the QDevice', family: 'qdevice' },
  'clock-skew': { fr: 'L’horloge d’un nœud est décalée', en: 'A node’s clock is off', family: 'time' },
  'storage-down': { fr: 'Le stockage partagé est en panne', en: 'The shared storage is down', family: 'storage' },
  'admin-shutdown': { fr: 'Quelqu’un a éteint un nœud (arrêt propre)', en: 'Someone shut a node down (clean shutdown)', family: 'human' },
  'admin-reboot': { fr: 'Quelqu’un a redémarré un nœud', en: 'Someone rebooted a node', family: 'human' },
} as const satisfies Record<string, Words & { family: DrillFamily }>;
export type CauseId = keyof typeof CAUSES;
export const CAUSE_IDS = Object.keys(CAUSES) as CauseId[];

/** The course rule that explains what the cluster did. */
export const RULES = {
  majority: { fr: 'Majorité : une partition n’a le quorum qu’avec plus de la moitié des votes', en: 'Majority: a partition has quorum only with more than half of the votes' },
  token: { fr: 'Membership corosync : un nœud dont les heartbeats n’arrivent plus (token) sort de l’anneau', en: 'Corosync membership: a node whose heartbeats stop arriving (token) leaves the ring' },
  fencing: { fr: 'Fencing : HA clôture le nœud perdu avant de relancer ses VM ailleurs', en: 'Fencing: HA fences the lost node before recovering its VMs elsewhere' },
  qdevice: { fr: 'QDevice : un vote de plus, donné à une seule partition ; sans lui, la marge disparaît', en: 'QDevice: one extra vote, given to one partition only; without it the margin is gone' },
  clock: { fr: 'Horloge : un décalage ne casse pas le quorum, mais trouble HA, journaux et certificats', en: 'Clock: skew does not break quorum, but it disturbs HA, logs and certificates' },
  storage: { fr: 'Stockage : sans stockage partagé, HA ne peut pas relancer une VM ailleurs', en: 'Storage: without shared storage, HA cannot recover a VM elsewhere' },
} as const satisfies Record<string, Words>;
export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];

/** A student's diagnosis (the `diagnosis` frame). */
export interface Diagnosis {
  cause: CauseId;
  nodes: string[];
  rule: RuleId;
}
