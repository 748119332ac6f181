// Course concepts a scenario can show (Scenario.concepts), with the labels reports print.
import type { I18nText } from './types.js';

export const CONCEPTS: Record<string, I18nText> = {
  heartbeat: { fr: 'Heartbeats et détection de panne', en: 'Heartbeats and failure detection' },
  quorum: { fr: 'Quorum (majorité des votes)', en: 'Quorum (majority of votes)' },
  'split-brain': { fr: 'Split-brain', en: 'Split-brain' },
  'even-node-count': { fr: "Nombre pair de nœuds", en: 'Even node count' },
  'expected-votes': { fr: 'Votes attendus (pvecm expected)', en: 'Expected votes (pvecm expected)' },
  qdevice: { fr: 'QDevice (juge de paix)', en: 'QDevice (tie-breaker)' },
  ha: { fr: 'Haute disponibilité (ha-manager)', en: 'High availability (ha-manager)' },
  fencing: { fr: 'Fencing et watchdog', en: 'Fencing and watchdog' },
  'shared-storage': { fr: 'Stockage partagé', en: 'Shared storage' },
  pmxcfs: { fr: 'pmxcfs (/etc/pve)', en: 'pmxcfs (/etc/pve)' },
  maintenance: { fr: 'Maintenance sans interruption', en: 'Maintenance without downtime' },
  'live-migration': { fr: 'Migration à chaud', en: 'Live migration' },
  ntp: { fr: 'Synchronisation des horloges (NTP)', en: 'Clock synchronization (NTP)' },
  'cluster-build': { fr: 'Créer et agrandir un cluster (pvecm create / add)', en: 'Creating and growing a cluster (pvecm create / add)' },
  networks: { fr: 'Réseaux du cluster (corosync dédié, liens knet)', en: 'Cluster networks (dedicated corosync, knet links)' },
  backup: { fr: 'Un cluster n’est pas une sauvegarde (vzdump / qmrestore)', en: 'A cluster is not a backup (vzdump / qmrestore)' },
};
