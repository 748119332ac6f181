// Scenario presets that follow the course (cours 12 — Clustering Proxmox), and the function that
// turns a preset plus the lab's settings into the engine's ClusterConfig. Pure data and pure code.
//
// Conventions shared by every preset: nodes pve1..pveN have nodeid N and corosync IP
// 10.0.10.(10+N) (VLAN 10 of the course); the QDevice host is 10.0.10.50; VMIDs start at 100, HA
// guests live on shared storage, VMIDs 110+ are the non-HA "side" guests. Times are simulation
// milliseconds since the lab started. Objectives are checked by objectives.ts.
import { timingFor } from './timing.js';
import { wholeClassFromId } from './whole-class.js';
import type {
  ClusterConfig,
  I18nText,
  NodeConfig,
  NodeName,
  Objective,
  ObjectiveCheck,
  Scenario,
  TimingProfileName,
  VmConfig,
  VoteMode,
  VotequorumOptions,
} from './types.js';

/** Course concepts a scenario can show, with the labels reports print. */
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
};

// ---------------------------------------------------------------- small builders

const node = (i: number, votes = 1): NodeConfig => ({ name: `pve${i}`, nodeid: i, votes, ip: `10.0.10.${10 + i}` });
const nodes = (count: number): NodeConfig[] => Array.from({ length: count }, (_, i) => node(i + 1));

interface VmOpts {
  storage?: 'shared' | 'local';
  ha?: boolean;
  running?: boolean;
  memoryMb?: number;
  diskGb?: number;
}
const vm = (vmid: number, name: string, on: NodeName, o: VmOpts = {}): VmConfig => ({
  vmid,
  name,
  node: on,
  memoryMb: o.memoryMb ?? 2048,
  diskGb: o.diskGb ?? 32,
  storage: o.storage ?? 'shared',
  ha: o.ha ?? true,
  running: o.running ?? true,
});

// Proxmox writes none of the votequorum options: wait_for_all is left to its default.
const NO_OPTIONS: VotequorumOptions = {
  two_node: false,
  auto_tie_breaker: false,
  last_man_standing: false,
};

const QDEVICE_IP = '10.0.10.50';

const obj = (id: string, points: number, fr: string, en: string, check: ObjectiveCheck): Objective => ({
  id,
  points,
  title: { fr, en },
  check,
});

// Objectives several presets share.
const noSplitBrain = (points: number) =>
  obj('no-split-brain', points, 'Aucun split-brain pendant le labo', 'No split-brain during the lab', { kind: 'no-split-brain' });
const noForcedExpected = (points: number) =>
  obj(
    'no-forced-expected',
    points,
    'Ne pas forcer le quorum avec pvecm expected',
    'Do not force quorum with pvecm expected',
    { kind: 'no-event', type: 'expected-changed', match: { reason: 'command' } },
  );
const allQuorateAtEnd = (points: number) =>
  obj(
    'all-quorate-at-end',
    points,
    'À la fin, tous les nœuds sont allumés et ont le quorum',
    'At the end, every node is up and quorate',
    { kind: 'all-quorate-at-end' },
  );
const ranCommand = (id: string, points: number, line: string, fr: string, en: string, on?: NodeName) =>
  obj(id, points, fr, en, { kind: 'event', type: 'command', match: on ? { node: on, line, ok: true } : { line, ok: true } });
const recovered = (vmid: number, name: string, points: number) =>
  obj(
    `recovered-${vmid}`,
    points,
    `La HA redémarre ${name} (${vmid}) sur un autre nœud`,
    `${name} (${vmid}) is restarted on another node by HA`,
    { kind: 'event', type: 'recovered', match: { vmid } },
  );
const runningAtEnd = (vmid: number, name: string, points: number) =>
  obj(
    `running-${vmid}`,
    points,
    `${name} (${vmid}) tourne sur un seul nœud à la fin`,
    `${name} (${vmid}) runs on exactly one node at the end`,
    { kind: 'vm-running-at-end', vmid },
  );

/** The two checkpoints of a preset: the healthy cluster (the quorum arithmetic), then the moment
 * the failure has been detected (what each node sees, and what HA will do). */
const checkpoints = (failureAtMs: number, detectMs = 15_000) => [
  {
    id: 'before',
    atMs: 20_000,
    pause: true,
    title: { fr: 'Avant la panne : le calcul du quorum', en: 'Before the failure: the quorum arithmetic' },
    questions: ['votes-present' as const, 'votes-required' as const, 'quorate' as const],
  },
  {
    id: 'after',
    atMs: failureAtMs + detectMs,
    pause: true,
    title: { fr: 'La panne est détectée : que voit votre nœud, que va-t-il se passer ?', en: 'The failure is detected: what does your node see, what happens next?' },
    questions: ['quorate' as const, 'votes-present' as const, 'cfs-writable' as const, 'ha-fate' as const, 'ha-when' as const, 'who-fences' as const],
  },
];

// ---------------------------------------------------------------- presets

const threeNodePowerLoss: Scenario = {
  id: 'three-node-power-loss',
  title: { fr: "3 nœuds — panne de courant d'un nœud", en: '3 nodes — a node loses power' },
  description: {
    fr:
      "Le cluster salle-a compte trois nœuds et quatre VM en haute disponibilité sur le stockage partagé. " +
      "À la première minute, pve3 perd son alimentation d'un coup : plus aucun heartbeat. Après 10 secondes, " +
      "pve1 et pve2 le déclarent mort, gardent le quorum (2 votes sur 3), le clôturent (fencing) puis " +
      "redémarrent ses VM HA sur le nœud qui en a le moins. La VM build01, sur le disque local de pve3 et " +
      'hors HA, ne peut pas repartir ailleurs : elle attend le retour de son nœud.',
    en:
      'The salle-a cluster has three nodes and four high-availability VMs on shared storage. At the first ' +
      'minute, pve3 suddenly loses power: no more heartbeats. After 10 seconds pve1 and pve2 declare it dead, ' +
      'keep quorum (2 votes out of 3), fence it, then restart its HA VMs on the node that runs the fewest. ' +
      'build01, on the local disk of pve3 and not HA-managed, cannot start elsewhere: it waits for its node.',
  },
  goals: {
    fr: [
      'Expliquer pourquoi pve1 et pve2 gardent le quorum (2 votes sur 3).',
      'Suivre le fencing puis la reprise des VM HA de pve3 avec ha-manager status.',
      'Comprendre pourquoi build01 (stockage local, hors HA) reste arrêtée.',
      "Une fois pve3 rallumé, vérifier qu'il rejoint le cluster et redémarrer build01 (qm start 110).",
    ],
    en: [
      'Explain why pve1 and pve2 keep quorum (2 votes out of 3).',
      "Follow the fencing and the recovery of pve3's HA VMs with ha-manager status.",
      'Understand why build01 (local storage, not HA) stays stopped.',
      'Once pve3 is powered on again, check that it rejoins the cluster and start build01 (qm start 110).',
    ],
  },
  concepts: ['heartbeat', 'quorum', 'ha', 'fencing', 'shared-storage'],
  cluster: {
    clusterName: 'salle-a',
    nodes: nodes(3),
    vms: [
      vm(100, 'web01', 'pve1'),
      vm(101, 'db01', 'pve2', { memoryMb: 4096, diskGb: 64 }),
      vm(102, 'web02', 'pve3'),
      vm(103, 'app01', 'pve3'),
      vm(110, 'build01', 'pve3', { storage: 'local', ha: false, diskGb: 100 }),
    ],
    options: NO_OPTIONS,
  },
  qdeviceSeat: false,
  timeline: [
    {
      atMs: 60_000,
      fault: { kind: 'power', node: 'pve3', action: 'off' },
      note: { fr: "Panne de courant : pve3 s'éteint brutalement.", en: 'Power failure: pve3 goes down hard.' },
    },
    {
      atMs: 240_000,
      fault: { kind: 'power', node: 'pve3', action: 'on' },
      note: { fr: 'Le courant revient : pve3 redémarre.', en: 'Power is back: pve3 boots again.' },
    },
  ],
  checkpoints: checkpoints(60_000),
  objectives: [
    recovered(102, 'web02', 20),
    recovered(103, 'app01', 20),
    ranCommand('ha-status', 10, 'ha-manager status', "Consulter l'état de la HA avec ha-manager status", 'Check the HA state with ha-manager status'),
    noSplitBrain(20),
    allQuorateAtEnd(15),
    runningAtEnd(110, 'build01', 15),
  ],
};

const threeNodeIsolation: Scenario = {
  id: 'three-node-isolation',
  title: { fr: "3 nœuds — isolement réseau d'un nœud", en: '3 nodes — a node is cut off the network' },
  description: {
    fr:
      "Le port du commutateur de pve2 sur le réseau corosync (VLAN 10) tombe. pve2 fonctionne toujours, ses VM " +
      "aussi, mais il n'entend plus personne : seul avec 1 vote sur 3, il perd le quorum et /etc/pve passe en " +
      'lecture seule. Comme il porte des VM HA, son watchdog le réinitialise (auto-fencing) avant que pve1 et ' +
      "pve3, majoritaires, redémarrent ses VM. C'est exactement ce qui empêche une VM de tourner deux fois.",
    en:
      "The switch port of pve2 on the corosync network (VLAN 10) fails. pve2 is still running, and so are its " +
      'VMs, but it hears nobody: alone with 1 vote out of 3 it loses quorum and /etc/pve becomes read-only. ' +
      'Because it runs HA VMs, its watchdog resets it (self-fencing) before pve1 and pve3, the majority, ' +
      'restart its VMs. This is exactly what prevents a VM from running twice.',
  },
  goals: {
    fr: [
      'Depuis pve2, constater la perte de quorum avec pvecm status.',
      "Expliquer pourquoi pve2 se réinitialise tout seul (watchdog) au lieu d'attendre.",
      "Ne pas « réparer » pve2 avec pvecm expected : l'autre côté a déjà le quorum.",
      'Vérifier que chaque VM HA tourne sur un seul nœud après le retour du réseau.',
    ],
    en: [
      'From pve2, see the loss of quorum with pvecm status.',
      'Explain why pve2 resets itself (watchdog) instead of waiting.',
      'Do not “fix” pve2 with pvecm expected: the other side already holds quorum.',
      'Check that every HA VM runs on a single node once the network is back.',
    ],
  },
  concepts: ['heartbeat', 'quorum', 'split-brain', 'fencing', 'ha', 'pmxcfs'],
  cluster: {
    clusterName: 'salle-b',
    nodes: nodes(3),
    vms: [
      vm(100, 'web01', 'pve1'),
      vm(101, 'db01', 'pve2', { memoryMb: 4096, diskGb: 64 }),
      vm(102, 'mail01', 'pve2'),
      vm(103, 'app01', 'pve3'),
      vm(110, 'cache01', 'pve2', { storage: 'local', ha: false, memoryMb: 1024, diskGb: 16 }),
    ],
    options: NO_OPTIONS,
  },
  qdeviceSeat: false,
  timeline: [
    {
      atMs: 60_000,
      fault: { kind: 'isolate', node: 'pve2' },
      note: {
        fr: 'Le port réseau corosync de pve2 tombe : pve2 est isolé des autres nœuds.',
        en: 'The corosync network port of pve2 fails: pve2 is cut off from the other nodes.',
      },
    },
    {
      atMs: 180_000,
      fault: { kind: 'heal' },
      note: { fr: 'Le port est réparé : le réseau corosync est rétabli.', en: 'The port is fixed: the corosync network is back.' },
    },
  ],
  checkpoints: checkpoints(60_000),
  objectives: [
    ranCommand('pve2-status', 10, 'pvecm status', 'Depuis pve2, constater la perte de quorum (pvecm status)', 'From pve2, see the loss of quorum (pvecm status)', 'pve2'),
    noForcedExpected(20),
    noSplitBrain(25),
    recovered(101, 'db01', 15),
    runningAtEnd(101, 'db01', 10),
    runningAtEnd(102, 'mail01', 10),
    allQuorateAtEnd(10),
  ],
};

const twoNodeNoQdevice: Scenario = {
  id: 'two-node-no-qdevice',
  title: { fr: '2 nœuds sans QDevice — le piège de pvecm expected', en: '2 nodes without a QDevice — the pvecm expected trap' },
  description: {
    fr:
      "Un petit cluster de deux nœuds, sans QDevice (déjà, 2 nœuds, ce n'est pas recommandé). Le câble du " +
      "réseau corosync entre pve1 et pve2 est débranché : chacun croit l'autre en panne, mais avec 1 vote sur 2, " +
      "aucun n'a le quorum. Les deux se réinitialisent (watchdog) et plus rien ne redémarre. La tentation : " +
      'taper pvecm expected 1. Fait des deux côtés, chaque nœud se croit seul maître et relance les VM de ' +
      "l'autre : VM en double, corruption de données. pvecm expected 1 ne se justifie que si l'autre nœud est " +
      'réellement éteint.',
    en:
      'A small two-node cluster without a QDevice (two nodes is already not recommended). The corosync cable ' +
      'between pve1 and pve2 is unplugged: each one believes the other failed, but with 1 vote out of 2 neither ' +
      'has quorum. Both reset themselves (watchdog) and nothing restarts. The temptation: typing pvecm ' +
      "expected 1. Done on both sides, each node believes it is alone in charge and starts the other one's VMs: " +
      'duplicate VMs, corrupted data. pvecm expected 1 is only justified when the other node is really off.',
  },
  goals: {
    fr: [
      "Constater qu'avec 2 nœuds, la perte d'un lien fait perdre le quorum aux deux.",
      "Résister à pvecm expected 1 tant que l'autre nœud n'est pas réellement éteint.",
      'Expliquer pourquoi un QDevice (ou un 3e nœud) règle le problème.',
      'Retrouver un cluster sain quand le câble est rebranché.',
    ],
    en: [
      'See that with 2 nodes, losing one link makes both lose quorum.',
      'Resist pvecm expected 1 while the other node is not really off.',
      'Explain why a QDevice (or a third node) solves the problem.',
      'Get a healthy cluster back once the cable is plugged in again.',
    ],
  },
  concepts: ['quorum', 'split-brain', 'expected-votes', 'even-node-count', 'fencing', 'qdevice'],
  cluster: {
    clusterName: 'duo',
    nodes: nodes(2),
    vms: [
      vm(100, 'web01', 'pve1'),
      vm(101, 'db01', 'pve2', { memoryMb: 4096, diskGb: 64 }),
      vm(110, 'dev01', 'pve1', { storage: 'local', ha: false, memoryMb: 1024, diskGb: 20 }),
    ],
    options: NO_OPTIONS,
  },
  qdeviceSeat: false,
  timeline: [
    {
      atMs: 60_000,
      fault: { kind: 'link', a: 'pve1', b: 'pve2', cut: true },
      note: {
        fr: 'Le câble corosync entre pve1 et pve2 est débranché.',
        en: 'The corosync cable between pve1 and pve2 is unplugged.',
      },
    },
    {
      atMs: 240_000,
      fault: { kind: 'heal' },
      note: { fr: 'Le câble est rebranché.', en: 'The cable is plugged back in.' },
    },
  ],
  checkpoints: checkpoints(60_000),
  objectives: [
    ranCommand('status', 10, 'pvecm status', 'Diagnostiquer avec pvecm status', 'Diagnose with pvecm status'),
    noSplitBrain(40),
    noForcedExpected(20),
    runningAtEnd(100, 'web01', 15),
    allQuorateAtEnd(15),
  ],
};

const twoNodeQdevice: Scenario = {
  id: 'two-node-qdevice',
  title: { fr: '2 nœuds + QDevice', en: '2 nodes + QDevice' },
  description: {
    fr:
      'Même cluster à deux nœuds, mais cette fois une petite machine externe (10.0.10.50) a corosync-qnetd ' +
      "installé et démarré. Il reste à l'ajouter au cluster depuis un des nœuds avec " +
      'pvecm qdevice setup 10.0.10.50, pendant que les deux nœuds sont en ligne. Vers 2 min 30, pve2 tombe en ' +
      'panne : grâce au vote du QDevice, pve1 garde le quorum (2 votes sur 3) et reprend les VM HA de pve2. Plus ' +
      "tard, qnetd s'arrête : le cluster garde le quorum (2 votes sur 3) tant qu'aucun nœud ne tombe.",
    en:
      'The same two-node cluster, but this time a small external machine (10.0.10.50) has corosync-qnetd ' +
      'installed and running. It still has to be added to the cluster from one of the nodes with ' +
      'pvecm qdevice setup 10.0.10.50, while both nodes are online. Around 2:30, pve2 fails: thanks to the ' +
      "QDevice vote, pve1 keeps quorum (2 votes out of 3) and takes over pve2's HA VMs. Later qnetd stops: the " +
      'cluster stays quorate (2 out of 3) as long as no node fails.',
  },
  goals: {
    fr: [
      'Ajouter le QDevice avant la panne : pvecm qdevice setup 10.0.10.50.',
      'Vérifier avec pvecm status les 3 votes attendus et le drapeau Qdevice.',
      'Observer pve1 garder le quorum et reprendre db01 quand pve2 tombe.',
      "Expliquer pourquoi le QDevice ne doit jamais être une VM d'un des nœuds.",
    ],
    en: [
      'Add the QDevice before the failure: pvecm qdevice setup 10.0.10.50.',
      'Check with pvecm status the 3 expected votes and the Qdevice flag.',
      'Watch pve1 keep quorum and take over db01 when pve2 fails.',
      'Explain why the QDevice must never be a VM on one of the nodes.',
    ],
  },
  concepts: ['qdevice', 'quorum', 'even-node-count', 'ha', 'fencing'],
  cluster: {
    clusterName: 'duo-qdev',
    nodes: nodes(2),
    qdevice: { algorithm: 'ffsplit', ip: QDEVICE_IP, configured: false, installed: true },
    vms: [vm(100, 'web01', 'pve1'), vm(101, 'db01', 'pve2', { memoryMb: 4096, diskGb: 64 })],
    options: NO_OPTIONS,
  },
  qdeviceSeat: true,
  timeline: [
    {
      atMs: 150_000,
      fault: { kind: 'power', node: 'pve2', action: 'off' },
      note: { fr: "Panne de pve2 (bloc d'alimentation grillé).", en: 'pve2 fails (burnt power supply).' },
    },
    {
      atMs: 300_000,
      fault: { kind: 'power', node: 'pve2', action: 'on' },
      note: { fr: "Bloc d'alimentation remplacé : pve2 redémarre.", en: 'Power supply replaced: pve2 boots.' },
    },
    {
      atMs: 390_000,
      fault: { kind: 'qdevice-host', up: false },
      note: {
        fr: "Le service corosync-qnetd s'arrête sur 10.0.10.50.",
        en: 'The corosync-qnetd service stops on 10.0.10.50.',
      },
    },
    {
      atMs: 450_000,
      fault: { kind: 'qdevice-host', up: true },
      note: { fr: 'corosync-qnetd redémarre.', en: 'corosync-qnetd is running again.' },
    },
  ],
  checkpoints: checkpoints(150_000),
  objectives: [
    obj(
      'qdevice-setup',
      30,
      'Configurer le QDevice (pvecm qdevice setup 10.0.10.50)',
      'Configure the QDevice (pvecm qdevice setup 10.0.10.50)',
      { kind: 'event', type: 'qdevice-configured', match: { enabled: true } },
    ),
    recovered(101, 'db01', 25),
    obj(
      'pve1-never-reset',
      10,
      'pve1 ne se réinitialise jamais : il garde le quorum grâce au QDevice',
      'pve1 never resets: it keeps quorum thanks to the QDevice',
      { kind: 'no-event', type: 'self-fenced', match: { node: 'pve1' } },
    ),
    obj('qdevice-at-end', 10, 'Le QDevice est toujours configuré à la fin', 'The QDevice is still configured at the end', {
      kind: 'qdevice-configured-at-end',
    }),
    noSplitBrain(15),
    allQuorateAtEnd(10),
  ],
};

const fourNodeSplitNoQdevice: Scenario = {
  id: 'four-node-split-no-qdevice',
  title: { fr: '4 nœuds — coupure 2|2 sans QDevice', en: '4 nodes — a 2|2 split without a QDevice' },
  description: {
    fr:
      'Quatre nœuds répartis dans deux baies, reliées par un seul commutateur. Le lien entre les baies tombe : ' +
      "pve1 et pve2 d'un côté, pve3 et pve4 de l'autre. Chaque moitié a 2 votes sur 4, il en faut 3 : " +
      "personne n'a le quorum. Tous les nœuds qui portent des VM HA se réinitialisent et le service est " +
      "entièrement coupé jusqu'à la réparation. Un nombre pair de nœuds sans QDevice est un risque.",
    en:
      'Four nodes in two racks joined by a single switch. The link between the racks fails: pve1 and pve2 on ' +
      'one side, pve3 and pve4 on the other. Each half has 2 votes out of 4 and needs 3: nobody has quorum. ' +
      'Every node running HA VMs resets and the service is fully down until the repair. An even node count ' +
      'without a QDevice is a risk.',
  },
  goals: {
    fr: [
      'Calculer le quorum de 4 votes attendus : floor(4/2) + 1 = 3.',
      "Constater qu'aucune moitié ne peut agir, et pourquoi c'est voulu.",
      'Ne forcer le quorum dans aucune moitié (pvecm expected).',
      'Proposer la correction : un QDevice, ou un 5e nœud.',
    ],
    en: [
      'Compute the quorum for 4 expected votes: floor(4/2) + 1 = 3.',
      'See that neither half can act, and why that is on purpose.',
      'Do not force quorum in either half (pvecm expected).',
      'Propose the fix: a QDevice, or a fifth node.',
    ],
  },
  concepts: ['quorum', 'even-node-count', 'split-brain', 'fencing', 'expected-votes'],
  cluster: {
    clusterName: 'baies',
    nodes: nodes(4),
    vms: [
      vm(100, 'web01', 'pve1'),
      vm(101, 'web02', 'pve2'),
      vm(102, 'db01', 'pve3', { memoryMb: 4096, diskGb: 64 }),
      vm(103, 'db02', 'pve4', { memoryMb: 4096, diskGb: 64 }),
      vm(110, 'ci01', 'pve4', { storage: 'local', ha: false, memoryMb: 4096, diskGb: 80 }),
    ],
    options: NO_OPTIONS,
  },
  qdeviceSeat: false,
  timeline: [
    {
      atMs: 60_000,
      fault: { kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] },
      note: {
        fr: 'Le lien entre les deux baies tombe : {pve1, pve2} | {pve3, pve4}.',
        en: 'The link between the two racks fails: {pve1, pve2} | {pve3, pve4}.',
      },
    },
    {
      atMs: 210_000,
      fault: { kind: 'heal' },
      note: { fr: 'Le lien entre les baies est réparé.', en: 'The link between the racks is repaired.' },
    },
  ],
  checkpoints: checkpoints(60_000),
  objectives: [
    ranCommand('status', 10, 'pvecm status', 'Diagnostiquer avec pvecm status', 'Diagnose with pvecm status'),
    noSplitBrain(30),
    noForcedExpected(25),
    runningAtEnd(100, 'web01', 10),
    runningAtEnd(102, 'db01', 10),
    allQuorateAtEnd(15),
  ],
};

const fourNodeSplitQdevice: Scenario = {
  id: 'four-node-split-qdevice',
  title: { fr: '4 nœuds — coupure 2|2 avec QDevice', en: '4 nodes — a 2|2 split with a QDevice' },
  description: {
    fr:
      "Les mêmes quatre nœuds, avec un QDevice (algorithme ffsplit, 1 vote) sur une machine externe. Lors " +
      "d'une coupure 2|2, le QDevice donne son vote à une seule moitié : 3 votes sur 5, elle garde le quorum et " +
      "reprend les VM de l'autre. À égalité, c'est la moitié qui contient le plus petit nodeid (pve1) qui " +
      "l'emporte. Plus tard, pve1 et pve2 perdent l'accès au QDevice avant une nouvelle coupure : cette fois, " +
      "seule la moitié qui joint qnetd reçoit le vote.",
    en:
      'The same four nodes, with a QDevice (ffsplit algorithm, 1 vote) on an external machine. In a 2|2 split ' +
      'the QDevice gives its vote to one half only: with 3 votes out of 5 it keeps quorum and takes over the ' +
      "other half's VMs. On a tie, the half holding the lowest nodeid (pve1) wins. Later pve1 and pve2 lose " +
      'access to the QDevice before another split: this time only the half that reaches qnetd gets the vote.',
  },
  goals: {
    fr: [
      'Calculer les votes attendus avec le QDevice : 4 + 1 = 5, quorum 3.',
      'Prédire quelle moitié reçoit le vote du QDevice, puis le vérifier.',
      "Suivre la reprise des VM HA de la moitié perdante.",
      'Expliquer la deuxième coupure : seule la moitié qui joint qnetd gagne.',
    ],
    en: [
      'Compute the expected votes with the QDevice: 4 + 1 = 5, quorum 3.',
      'Predict which half gets the QDevice vote, then check it.',
      "Follow the recovery of the losing half's HA VMs.",
      'Explain the second split: only the half that reaches qnetd wins.',
    ],
  },
  concepts: ['qdevice', 'quorum', 'even-node-count', 'ha', 'fencing', 'split-brain'],
  cluster: {
    clusterName: 'baies-qdev',
    nodes: nodes(4),
    qdevice: { algorithm: 'ffsplit', ip: QDEVICE_IP, configured: true, installed: true },
    vms: [
      vm(100, 'web01', 'pve1'),
      vm(101, 'web02', 'pve2'),
      vm(102, 'db01', 'pve3', { memoryMb: 4096, diskGb: 64 }),
      vm(103, 'db02', 'pve4', { memoryMb: 4096, diskGb: 64 }),
    ],
    options: NO_OPTIONS,
  },
  qdeviceSeat: true,
  timeline: [
    {
      atMs: 60_000,
      fault: { kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] },
      note: {
        fr: 'Coupure entre les baies : {pve1, pve2} | {pve3, pve4}. Les deux moitiés joignent le QDevice.',
        en: 'Split between the racks: {pve1, pve2} | {pve3, pve4}. Both halves reach the QDevice.',
      },
    },
    {
      atMs: 180_000,
      fault: { kind: 'heal' },
      note: { fr: 'Le lien entre les baies est réparé.', en: 'The link between the racks is repaired.' },
    },
    {
      atMs: 240_000,
      fault: { kind: 'qdevice-reach', node: 'pve1', reachable: false },
      note: { fr: 'pve1 ne joint plus le QDevice (port TCP 5403 filtré).', en: 'pve1 can no longer reach the QDevice (TCP port 5403 filtered).' },
    },
    {
      atMs: 240_000,
      fault: { kind: 'qdevice-reach', node: 'pve2', reachable: false },
      note: { fr: 'pve2 ne joint plus le QDevice non plus.', en: 'pve2 cannot reach the QDevice either.' },
    },
    {
      atMs: 270_000,
      fault: { kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] },
      note: {
        fr: 'Nouvelle coupure 2|2 : seuls pve3 et pve4 joignent le QDevice.',
        en: 'Another 2|2 split: only pve3 and pve4 reach the QDevice.',
      },
    },
    {
      atMs: 390_000,
      fault: { kind: 'heal' },
      note: { fr: 'Tout est réparé : liens et accès au QDevice.', en: 'Everything is repaired: links and QDevice access.' },
    },
  ],
  checkpoints: checkpoints(60_000),
  objectives: [
    noSplitBrain(30),
    recovered(102, 'db01', 15),
    obj(
      'qdevice-to-reachable-half',
      15,
      'Le QDevice vote pour {pve3, pve4}, la seule moitié qui le joint',
      'The QDevice votes for {pve3, pve4}, the only half that reaches it',
      { kind: 'event', type: 'qdevice-vote', match: { partition: ['pve3', 'pve4'] } },
    ),
    noForcedExpected(5),
    runningAtEnd(100, 'web01', 10),
    runningAtEnd(102, 'db01', 10),
    allQuorateAtEnd(15),
  ],
};

const fiveNodeSplit: Scenario = {
  id: 'five-node-split-3-2',
  title: { fr: '5 nœuds — coupure 3|2', en: '5 nodes — a 3|2 split' },
  description: {
    fr:
      'Cinq nœuds, quorum de 3. Une coupure sépare {pve1, pve2, pve3} de {pve4, pve5}. La majorité garde le ' +
      'quorum et reprend les VM HA de la minorité, qui se réinitialise. files01 est en HA mais sur le disque ' +
      "local de pve5 : aucun autre nœud n'a ses données, elle reste bloquée en « recovery » jusqu'au retour " +
      'de pve5. La HA ne remplace pas le stockage partagé.',
    en:
      'Five nodes, quorum 3. A split separates {pve1, pve2, pve3} from {pve4, pve5}. The majority keeps quorum ' +
      'and takes over the HA VMs of the minority, which resets. files01 is HA-managed but on the local disk of ' +
      'pve5: no other node has its data, so it stays stuck in “recovery” until pve5 is back. HA does not ' +
      'replace shared storage.',
  },
  goals: {
    fr: [
      'Calculer le quorum de 5 votes : floor(5/2) + 1 = 3.',
      'Observer la majorité reprendre app01 et mail01.',
      'Expliquer pourquoi files01 (stockage local) reste en recovery.',
      "Vérifier avec ha-manager status que tout revient à la normale après la réparation.",
    ],
    en: [
      'Compute the quorum of 5 votes: floor(5/2) + 1 = 3.',
      'Watch the majority take over app01 and mail01.',
      'Explain why files01 (local storage) stays in recovery.',
      'Check with ha-manager status that everything is back to normal after the repair.',
    ],
  },
  concepts: ['quorum', 'ha', 'fencing', 'shared-storage', 'split-brain'],
  cluster: {
    clusterName: 'salle-c',
    nodes: nodes(5),
    vms: [
      vm(100, 'web01', 'pve1'),
      vm(101, 'web02', 'pve2'),
      vm(102, 'db01', 'pve3', { memoryMb: 4096, diskGb: 64 }),
      vm(103, 'app01', 'pve4'),
      vm(104, 'mail01', 'pve5'),
      vm(105, 'files01', 'pve5', { storage: 'local', diskGb: 200 }),
    ],
    options: NO_OPTIONS,
  },
  qdeviceSeat: false,
  timeline: [
    {
      atMs: 60_000,
      fault: { kind: 'partition', groups: [['pve1', 'pve2', 'pve3'], ['pve4', 'pve5']] },
      note: {
        fr: 'Coupure réseau : {pve1, pve2, pve3} | {pve4, pve5}.',
        en: 'Network split: {pve1, pve2, pve3} | {pve4, pve5}.',
      },
    },
    {
      atMs: 240_000,
      fault: { kind: 'heal' },
      note: { fr: 'Le réseau est réparé.', en: 'The network is repaired.' },
    },
  ],
  checkpoints: checkpoints(60_000),
  objectives: [
    noSplitBrain(25),
    recovered(103, 'app01', 15),
    recovered(104, 'mail01', 15),
    obj(
      'files01-stuck',
      10,
      'Constater que files01 (stockage local) ne peut pas être relancée ailleurs',
      'See that files01 (local storage) cannot be restarted elsewhere',
      { kind: 'event', type: 'recovery-stuck', match: { vmid: 105 } },
    ),
    ranCommand('ha-status', 10, 'ha-manager status', "Consulter l'état de la HA avec ha-manager status", 'Check the HA state with ha-manager status'),
    runningAtEnd(105, 'files01', 10),
    allQuorateAtEnd(15),
  ],
};

const plannedMaintenance: Scenario = {
  id: 'planned-maintenance',
  title: { fr: 'Maintenance planifiée sans interruption', en: 'Planned maintenance without downtime' },
  description: {
    fr:
      'Des mises à jour du noyau exigent de redémarrer pve2 à la 5e minute. Sans préparation, db01 et web02 ' +
      "seraient gelées puis arrêtées pendant tout le redémarrage. Avant l'heure, passez pve2 en mode maintenance " +
      '(ha-manager crm-command node-maintenance enable pve2) : la HA migre ses VM à chaud vers les autres ' +
      "nœuds. Après le redémarrage, désactivez la maintenance et les VM reviennent. test01, hors HA sur " +
      "le disque local, n'est pas déplacée par la HA.",
    en:
      'Kernel updates require a reboot of pve2 at minute 5. Without preparation, db01 and web02 would be frozen ' +
      'and stopped for the whole reboot. Before then, put pve2 in maintenance mode (ha-manager crm-command ' +
      'node-maintenance enable pve2): HA live-migrates its VMs to the other nodes. After the reboot, disable ' +
      'maintenance and the VMs come back. test01, not HA-managed and on local disk, is not moved by HA.',
  },
  goals: {
    fr: [
      'Activer le mode maintenance de pve2 avant le redémarrage planifié.',
      'Suivre la migration à chaud de db01 et web02 (ha-manager status).',
      'Désactiver la maintenance après le redémarrage et voir les VM revenir.',
      'Expliquer pourquoi test01 ne bouge pas.',
    ],
    en: [
      'Enable maintenance mode on pve2 before the scheduled reboot.',
      'Follow the live migration of db01 and web02 (ha-manager status).',
      'Disable maintenance after the reboot and watch the VMs come back.',
      'Explain why test01 does not move.',
    ],
  },
  concepts: ['maintenance', 'live-migration', 'ha', 'shared-storage'],
  cluster: {
    clusterName: 'salle-d',
    nodes: nodes(3),
    vms: [
      vm(100, 'web01', 'pve1'),
      vm(101, 'db01', 'pve2', { memoryMb: 4096, diskGb: 64 }),
      vm(102, 'web02', 'pve2'),
      vm(103, 'app01', 'pve3'),
      vm(110, 'test01', 'pve2', { storage: 'local', ha: false, memoryMb: 1024, diskGb: 16 }),
    ],
    options: NO_OPTIONS,
  },
  qdeviceSeat: false,
  timeline: [
    {
      atMs: 300_000,
      fault: { kind: 'power', node: 'pve2', action: 'reboot' },
      note: {
        fr: 'Redémarrage planifié de pve2 pour les mises à jour du noyau.',
        en: 'Scheduled reboot of pve2 for kernel updates.',
      },
    },
  ],
  checkpoints: checkpoints(300_000, 5_000),
  objectives: [
    obj('maintenance-on', 20, 'Mettre pve2 en mode maintenance', 'Put pve2 in maintenance mode', {
      kind: 'event',
      type: 'maintenance',
      match: { node: 'pve2', enabled: true },
    }),
    obj('db01-moved', 20, 'db01 quitte pve2 avant le redémarrage', 'db01 leaves pve2 before the reboot', {
      kind: 'migrated-before-event',
      vmid: 101,
      from: 'pve2',
      before: 'node-power',
    }),
    obj('web02-moved', 20, 'web02 quitte pve2 avant le redémarrage', 'web02 leaves pve2 before the reboot', {
      kind: 'migrated-before-event',
      vmid: 102,
      from: 'pve2',
      before: 'node-power',
    }),
    obj('maintenance-off', 15, 'Sortir pve2 du mode maintenance après le redémarrage', 'Take pve2 out of maintenance after the reboot', {
      kind: 'event',
      type: 'maintenance',
      match: { node: 'pve2', enabled: false },
    }),
    noSplitBrain(10),
    allQuorateAtEnd(15),
  ],
};

const clockSkew: Scenario = {
  id: 'clock-skew',
  title: { fr: "Décalage d'horloge", en: 'Clock skew' },
  description: {
    fr:
      "Le service chrony de pve3 s'est arrêté et son horloge avance de 45 secondes ; plus tard, celle de pve1 " +
      "retarde de 12 secondes. Le cours est clair : on ne tolère pas plus de 10 secondes de décalage. Le " +
      "cluster garde le quorum (corosync ne se sert pas de l'heure), mais les tickets de connexion, les " +
      'journaux et la HA deviennent peu fiables. Trouvez les nœuds fautifs et resynchronisez-les avec ' +
      'systemctl restart chrony.',
    en:
      "The chrony service of pve3 stopped and its clock runs 45 seconds ahead; later pve1's clock falls 12 " +
      'seconds behind. The course is clear: no more than 10 seconds of skew is tolerated. The cluster keeps ' +
      'quorum (corosync does not use the time of day), but login tickets, logs and HA become unreliable. Find ' +
      'the faulty nodes and resynchronize them with systemctl restart chrony.',
  },
  goals: {
    fr: [
      "Repérer les nœuds dont l'horloge est décalée de plus de 10 secondes.",
      'Les resynchroniser avec systemctl restart chrony.',
      "Expliquer pourquoi le quorum n'est pas perdu malgré le décalage.",
    ],
    en: [
      'Find the nodes whose clock is more than 10 seconds off.',
      'Resynchronize them with systemctl restart chrony.',
      'Explain why quorum is not lost despite the skew.',
    ],
  },
  concepts: ['ntp', 'quorum', 'ha'],
  cluster: {
    clusterName: 'salle-e',
    nodes: nodes(3),
    vms: [vm(100, 'web01', 'pve1'), vm(101, 'db01', 'pve2', { memoryMb: 4096, diskGb: 64 }), vm(102, 'app01', 'pve3')],
    options: NO_OPTIONS,
  },
  qdeviceSeat: false,
  timeline: [
    {
      atMs: 60_000,
      fault: { kind: 'clock-skew', node: 'pve3', skewMs: 45_000 },
      note: { fr: "L'horloge de pve3 avance de 45 s (chrony arrêté).", en: 'The clock of pve3 runs 45 s ahead (chrony stopped).' },
    },
    {
      atMs: 180_000,
      fault: { kind: 'clock-skew', node: 'pve1', skewMs: -12_000 },
      note: { fr: "L'horloge de pve1 retarde de 12 s.", en: 'The clock of pve1 falls 12 s behind.' },
    },
  ],
  checkpoints: checkpoints(60_000, 10_000),
  objectives: [
    obj('fix-pve3', 25, "Resynchroniser l'horloge de pve3", 'Resynchronize the clock of pve3', {
      kind: 'event',
      type: 'clock-synced',
      match: { node: 'pve3' },
    }),
    obj('fix-pve1', 25, "Resynchroniser l'horloge de pve1", 'Resynchronize the clock of pve1', {
      kind: 'event',
      type: 'clock-synced',
      match: { node: 'pve1' },
    }),
    obj('skew-fixed-at-end', 20, 'À la fin, aucun nœud ne dépasse 10 s de décalage', 'At the end, no node is more than 10 s off', {
      kind: 'skew-fixed-at-end',
    }),
    obj('quorum-kept', 15, "Le quorum n'est jamais perdu", 'Quorum is never lost', { kind: 'no-event', type: 'quorum-lost' }),
    noSplitBrain(15),
  ],
};

export const SCENARIOS: readonly Scenario[] = [
  threeNodePowerLoss,
  threeNodeIsolation,
  twoNodeNoQdevice,
  twoNodeQdevice,
  fourNodeSplitNoQdevice,
  fourNodeSplitQdevice,
  fiveNodeSplit,
  plannedMaintenance,
  clockSkew,
];

export function getScenario(id: string): Scenario | undefined {
  // Generated scenarios (src/sim/whole-class.ts) are named by their parameters.
  return SCENARIOS.find((s) => s.id === id) ?? wholeClassFromId(id);
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
