// The small vocabularies the server sends as codes (power states, reasons, vote and lab statuses)
// in both languages: one table each, for the event wording (src/protocol/wording.ts, pages and
// reports alike) and the pages' labels. No imports: the browser bundles this file.

export interface Words {
  fr: string;
  en: string;
}

/** Why a node changed power or a VM started or stopped (src/sim/rules); commands (qm …) stay as they are. */
export const REASON: Record<string, [string, string]> = {
  booted: ['démarrage terminé', 'booted'],
  'power on': ['mise sous tension', 'power on'],
  on: ['mise sous tension', 'power on'],
  off: ['coupure de courant', 'power cut'],
  shutdown: ['arrêt propre', 'clean shutdown'],
  reboot: ['redémarrage propre', 'clean reboot'],
  reset: ['reset matériel', 'hard reset'],
  'power loss': ['perte de courant', 'power loss'],
  'watchdog reset': ['reset par le watchdog', 'watchdog reset'],
  'fenced by the cluster': ['clôturé par le cluster', 'fenced by the cluster'],
  fenced: ['nœud clôturé', 'node fenced'],
  'self-fence': ['auto-fencing', 'self-fence'],
  'ha recovery': ['reprise HA', 'HA recovery'],
  'ha start': ['démarrage HA', 'HA start'],
  'ha stop': ['arrêt HA', 'HA stop'],
  'split-brain cleanup': ['nettoyage après split-brain', 'split-brain cleanup'],
};

export const VOTE_STATUS: Record<string, [string, string]> = {
  open: ['ouvert', 'open'],
  passed: ['adopté', 'passed'],
  rejected: ['rejeté', 'rejected'],
  expired: ['expiré', 'expired'],
  cancelled: ['annulé', 'cancelled'],
};

export const POWER: Record<string, [string, string]> = {
  on: ['allumé', 'on'],
  off: ['éteint', 'off'],
  booting: ['en démarrage', 'booting'],
};

export const LAB_STATUS: Record<string, [string, string]> = {
  lobby: ['en attente du démarrage', 'waiting to start'],
  running: ['en cours', 'running'],
  paused: ['en pause', 'paused'],
  ended: ['terminé', 'ended'],
};

/** A word of a small vocabulary in both languages; an unknown word stays as it is. */
export function word(table: Record<string, [string, string]>, key: unknown): Words {
  const k = typeof key === 'string' || typeof key === 'number' ? String(key) : '';
  const w = table[k];
  return w ? { fr: w[0], en: w[1] } : { fr: k, en: k };
}

/** What a network carries (NetworkConfig.roles, src/sim/types.ts). */
export const NETWORK_ROLE: Record<string, [string, string]> = {
  corosync: ['corosync', 'corosync'],
  storage: ['stockage', 'storage'],
  migration: ['migration', 'migration'],
  management: ['gestion', 'management'],
  vm: ['VM', 'VM'],
};

/** A network as the pages name it: "vlan20 (VLAN 20 · corosync)", "nic-sto (carte dédiée · stockage)". */
export function networkWords(n: { id: string; vlan?: number | null; roles: readonly string[] }): Words {
  const [fr, en] = ([0, 1] as const).map((l) => {
    const roles = n.roles.map((r) => NETWORK_ROLE[r]?.[l] ?? r).join(', ');
    const how = n.vlan !== undefined && n.vlan !== null ? `VLAN ${n.vlan}` : l === 0 ? 'carte dédiée' : 'own NIC';
    return `${n.id} (${how}${roles ? ` · ${roles}` : ''})`;
  });
  return { fr: fr!, en: en! };
}
