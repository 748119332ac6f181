// Plain-JSON types of the cluster engine. Everything here must survive JSON.stringify/parse
// unchanged: a Durable Object persists ClusterState as-is and a replay rebuilds it from inputs.
import type { CorosyncLink, NetRuntime, NetworkConfig } from './network-types.js';
export type { CorosyncLink, NetRuntime, NetworkConfig, NetworkRole } from './network-types.js';

export type NodeName = string; // "pve1", "pve2", …
export type Ms = number; // simulation time in milliseconds since the session started

export type TimingProfileName = 'course' | 'real';
export interface Timing {
  profile: TimingProfileName;
  heartbeatMs: Ms; // how often a node sends a heartbeat (auto nodes, and the browser's cadence)
  deadAfterMs: Ms; // a peer not heard for this long leaves the membership
  tokenMs: Ms; // a heartbeat delayed longer than this (link latency) is lost, like a lost token
  watchdogMs: Ms; // an inquorate node with active HA services resets after this (self-fencing)
  fenceLockMs: Ms; // the quorate side recovers a lost node's services this long after losing it
  /** a lost node stays `unknown` this long before the CRM marks it `fence` (real 60 s; course =
   * watchdogMs). Optional only so states stored before it existed still load (then: watchdogMs). */
  fenceDelayMs?: Ms;
  bootMs: Ms; // a node takes this long to boot after power-on or a reset
  migrateMs: Ms; // a live migration takes this long
  lmsWindowMs: Ms; // last_man_standing window before expected votes step down
  voteDeadlineMs: Ms; // human vote mode: how long a fence vote stays open
  tickMs: Ms; // the engine's tick period
}

export type VoteMode = 'auto' | 'human';
export type QdeviceAlgorithm = 'ffsplit' | 'lms';

export interface NodeConfig {
  name: NodeName;
  nodeid: number;
  votes: number;
  ip: string;
  /** what /etc/hosts maps the node's own name to, when it is wrong (a `pvecm add` trap) */
  hostsIp?: string;
}

export interface QdeviceConfig {
  algorithm: QdeviceAlgorithm;
  ip: string;
  /** false: the scenario expects students to run `pvecm qdevice setup`. */
  configured: boolean;
  /** qnetd is installed on the host (setup fails otherwise). */
  installed: boolean;
  /** The course's trap: a second qnetd runs as a guest of a cluster node (its address, that node,
   * the guest). When set, the cluster starts configured on this one; re-homing it means `pvecm
   * qdevice remove` then `pvecm qdevice setup <ip>` with the external host's address. */
  vm?: { ip: string; node: NodeName; vmid: number };
}

export interface VmConfig {
  vmid: number;
  name: string;
  node: NodeName;
  memoryMb: number;
  diskGb: number;
  storage: 'shared' | 'local';
  ha: boolean; // listed in ha/resources.cfg
  running: boolean; // initial state
}

export interface VotequorumOptions {
  two_node: boolean;
  /** absent: on exactly when two_node is (votequorum's default); 0 with two_node lets a node
   * that starts alone be quorate at once */
  wait_for_all?: boolean;
  auto_tie_breaker: boolean;
  last_man_standing: boolean;
  /** ms the membership must stay stable before last_man_standing lowers E (default 10 000) */
  last_man_standing_window?: number;
  /** votequorum allow_downscale: a CLEAN leave lowers the partition's expected votes */
  allow_downscale?: boolean;
}

/** corosync.conf `totem` timings (ms). Real profile: the effective token is
 * token + (nodes − 2) × token_coefficient; detection ≈ 2.2 × that (docs/sim.md, "Timing"). */
export interface TotemConfig {
  token: number;
  token_coefficient: number;
}

/** datacenter.cfg `ha: shutdown_policy=…`: what HA does with the services of a node that is shut
 * down or rebooted cleanly (docs/sim.md, "HA"). */
export type ShutdownPolicy = 'conditional' | 'freeze' | 'failover' | 'migrate';

export interface ClusterConfig {
  clusterName: string;
  nodes: NodeConfig[];
  qdevice?: QdeviceConfig;
  vms: VmConfig[];
  timing: Timing;
  voteMode: VoteMode;
  options: VotequorumOptions;
  /** Nodes whose heartbeats the engine sends itself (autopilot). Others wait for `heartbeat` inputs. */
  autoNodes: NodeName[];
  /** datacenter.cfg shutdown_policy (absent: conditional); copied into /etc/pve at creation */
  shutdownPolicy?: ShutdownPolicy;
  /** corosync.conf totem timings (absent: token 3000, token_coefficient 650) */
  totem?: TotemConfig;
  /** every node starts standalone, outside any cluster (the build-the-cluster lab): students run
   * `pvecm create` and `pvecm add`; corosync-qdevice and corosync-qnetd are not installed yet */
  standalone?: boolean;
  /** every node starts powered off (the timeline or the teacher boots them, in the order that
   * wait_for_all makes matter) */
  coldStart?: boolean;
  /** the nodes' networks (absent: one flat network, each node at NodeConfig.ip) */
  networks?: NetworkConfig[];
  /** corosync.conf's knet links at the start (absent: one link0 on each node's NodeConfig.ip) */
  corosyncLinks?: CorosyncLink[];
}

// ---------------------------------------------------------------- pmxcfs

/** A guest's config file in /etc/pve (nodes/<node>/qemu-server/<vmid>.conf). */
export type CfsVm = Omit<VmConfig, 'ha' | 'running'>;

export type HaRequestedState = 'started' | 'stopped' | 'disabled' | 'ignored';
export type CrmServiceState =
  | 'started'
  | 'stopped'
  | 'request_stop'
  | 'fence'
  | 'recovery'
  | 'migrate'
  | 'relocate'
  | 'freeze'
  | 'error';
export type CrmNodeState = 'online' | 'maintenance' | 'unknown' | 'fence' | 'gone';

export interface HaService {
  sid: string; // "vm:100"
  vmid: number;
  requested: HaRequestedState;
  state: CrmServiceState;
  node: NodeName;
  target?: NodeName; // migrate / relocate target
  since: Ms;
  until?: Ms; // when a migrate/relocate completes
  /** a `recovery-stuck` event was emitted for the current recovery (reported once) */
  stuckReported?: boolean;
  /** node the service was moved away from by maintenance mode, to return on disable */
  maintenanceFrom?: NodeName;
  /** HA group (ha/groups.cfg) that chooses where it runs and is recovered */
  group?: string;
  /** resources.cfg max_restart / max_relocate, as set (shown by `ha-manager config`) */
  maxRestart?: number;
  maxRelocate?: number;
}

/** One HA group of ha/groups.cfg (PVE ≤ 8): member nodes with priorities (higher first). */
export interface HaGroup {
  nodes: Record<NodeName, number>;
  restricted?: boolean;
  nofailback?: boolean;
  comment?: string;
}

export interface CfsWrite {
  id: string; // "<node>:<counter>" unique cluster-wide
  at: Ms;
  node: NodeName;
  path: string;
  what: string;
}

/** One node's copy of /etc/pve. Nodes of one quorate partition share identical copies.
 * Copy-on-write: a rule puts a new copy in place (cfsCommit, runHaManager, mergeCfs), it never
 * edits a node's copy (the room's store serialises a copy once; test/unit/sim/cfs-copy-on-write.test.ts). */
export interface CfsDb {
  version: number;
  vms: Record<string, CfsVm>; // keyed by vmid
  ha: Record<string, HaService>; // keyed by sid: ha/resources.cfg + manager_status in one
  /** CRM node states; `lostAt`: when the node left; `released`: it stopped cleanly and its LRM
   * gave up its lock (no fencing needed: its services are recovered after the fence delay) */
  haNodes: Record<NodeName, { state: CrmNodeState; since: Ms; lostAt?: Ms; released?: boolean }>;
  /** ha/groups.cfg (absent: no group defined) */
  groups?: Record<string, HaGroup>;
  /** datacenter.cfg `ha: shutdown_policy=…` (absent: conditional, the default) */
  shutdownPolicy?: ShutdownPolicy;
  maintenance: NodeName[];
  qdevice: { configured: boolean; ip: string; algorithm: QdeviceAlgorithm } | null;
  /** corosync.conf's nodelist: absent = every configured node (the cluster exists from the start);
   * null = no corosync.conf (a standalone node, pmxcfs in local mode: writable, no corosync) */
  nodelist?: NodeName[] | null;
  /** corosync.conf's cluster_name, when `pvecm create` chose it (absent: the scenario's) */
  clusterName?: string;
  /** corosync.conf's knet links (absent: ClusterConfig.corosyncLinks, else link0 on each node's
   * NodeConfig.ip) */
  links?: CorosyncLink[];
  /** corosync.conf's totem.config_version: every change of corosync.conf raises it (absent: 1) */
  configVersion?: number;
  /** last writes (bounded) so a merge can tell which changes were lost */
  log: CfsWrite[];
}

// ---------------------------------------------------------------- runtime (ground truth)

export type PowerState = 'on' | 'off' | 'booting';

export interface NodeRuntime {
  name: NodeName;
  power: PowerState;
  bootUntil?: Ms;
  /** milliseconds this node's wall clock is ahead (+) or behind (−) the true time */
  skewMs: number;
  skewWarned: boolean;
  /** arrival time of the last heartbeat heard from each peer (directed: this node hears peer) */
  heard: Record<NodeName, Ms>;
  /** start of the current stretch of hearing each peer without a gap longer than the timeout
   * (a merge waits one token time of it); absent in states stored before it existed */
  heardSince?: Record<NodeName, Ms>;
  /** the last heartbeat this node sent */
  lastSent: Ms | null;
  /** runtime expected votes (votequorum); -e and last_man_standing lower it */
  expected: number;
  /** true once wait_for_all is satisfied; re-armed whenever the node loses quorum */
  wfaDone: boolean;
  quorate: boolean;
  quorateSince: Ms | null;
  lostQuorumAt: Ms | null;
  /** self-fence deadline (watchdog) while inquorate with active HA services */
  watchdogAt: Ms | null;
  cfs: CfsDb;
  /** the node's view of the quorate partition it was last part of */
  members: NodeName[];
  ringId: number;
  /** set when `pvecm expected N` ran in this node's partition: names the command, node and time */
  expectedOverride: string | null;
  chronyRunning: boolean;
  /** partition members seen together for LMS stepping */
  lmsSince: Ms | null;
  /** ring members not heard for two heartbeat periods (a heartbeat-lost event was emitted) */
  missing?: NodeName[];
  /** `systemctl stop corosync` ran: the node is powered but out of every membership, inquorate
   * (absent: corosync runs; a boot starts it again) */
  corosyncStopped?: boolean;
  /** what /etc/hosts maps the node's own name to, when it differs from its IP (a `pvecm add` trap;
   * from NodeConfig.hostsIp, fixed by writing /etc/hosts) */
  hostsIp?: string;
  /** the corosync-qdevice package is installed (absent: yes; a standalone start: not yet) */
  qdevicePkg?: boolean;
  /** `systemctl stop corosync-qdevice` ran: its daemon unregistered from votequorum (absent: runs
   * wherever /etc/pve configures a QDevice; a boot starts it again) */
  qdeviceStopped?: boolean;
  /** what knet last reported per peer (rules/networks.ts): the working links and the one that
   * carries the traffic (absent: the scenario has no networks) */
  knet?: Record<NodeName, { up: number[]; best: number | null }>;
}

export interface LinkState {
  /** key "a>b": heartbeats from a to b */
  cut: boolean;
  loss: number; // 0..1 probability a heartbeat is dropped
  latencyMs: Ms;
}

export interface QdeviceRuntime {
  present: boolean; // configured in corosync (from cfs of the nodes)
  hostUp: boolean;
  /** per node: can reach qnetd (TCP 5403) */
  reach: Record<NodeName, boolean>;
  /** partition key (sorted members joined by ",") that holds the vote, if any */
  votedFor: string | null;
  /** human mode: the QDevice seat's choice (a node name, the vote goes to that node's partition) */
  humanChoice: NodeName | null;
  /** what ffsplit/lms would choose (recorded in human mode to score the QDevice seat) */
  algorithmChoice: string | null;
  /** false when a student holds the QDevice seat in human vote mode: their choice decides */
  auto: boolean;
  /** `apt install corosync-qnetd` ran on the host (absent: as the scenario's `installed`) */
  qnetdInstalled?: boolean;
}

export interface VmRuntime {
  vmid: number;
  /** nodes where a process of this VM runs right now (more than one = split-brain) */
  runningOn: NodeName[];
  ioError: boolean;
  /** an online migration in progress (non-HA guests; HA ones are tracked by the CRM) */
  migrating?: { to: NodeName; until: Ms };
  /** the guest's disk holds destroyed data (a `disk-corrupt` fault, or restored from an archive
   * taken after the damage): it still boots and HA still runs it — the data is gone all the same */
  corrupt?: boolean;
}

/** One vzdump archive on the backup storage (outside the cluster: it survives `qm destroy`). */
export interface BackupArchive {
  /** `backup:backup/vzdump-qemu-<vmid>-<YYYY_MM_DD-hh_mm_ss>.vma.zst` */
  volid: string;
  vmid: number;
  at: Ms;
  node: NodeName;
  /** the guest's config when it was backed up */
  conf: CfsVm;
  /** the disk was already damaged when the archive was made */
  corrupt: boolean;
}

export interface Incident {
  id: number;
  kind: 'two-quorate' | 'vm-twice' | 'cfs-diverged';
  cause: string;
  startedAt: Ms;
  endedAt: Ms | null;
  detail: Record<string, unknown>;
}

export interface FenceVote {
  id: number;
  target: NodeName;
  partition: NodeName[];
  openedAt: Ms;
  deadline: Ms;
  ballots: Record<NodeName, boolean>;
  status: 'open' | 'passed' | 'rejected' | 'expired' | 'cancelled';
  quorum: number;
  /** the partition held quorum when the vote opened: the right answer is yes exactly then */
  quorate: boolean;
}

export interface ClusterState {
  v: 1;
  config: ClusterConfig;
  now: Ms;
  rng: number; // seeded RNG state
  seq: number; // last event sequence number
  ringSeq: number;
  nodes: Record<NodeName, NodeRuntime>;
  links: Record<string, LinkState>;
  partitions: NodeName[][]; // current memberships (powered nodes only), sorted
  qdevice: QdeviceRuntime | null;
  storageUp: boolean;
  vms: Record<string, VmRuntime>;
  incidents: Incident[];
  votes: FenceVote[];
  writeCounter: number;
  /** the backup storage's vzdump archives (absent: none made yet) */
  backups?: BackupArchive[];
  /** per network id, its faults now (absent: the config has no networks) */
  nets?: Record<string, NetRuntime>;
  /** scheduled faults and the index of the next one to fire (absent: no timeline) */
  timeline?: { faults: ScheduledFault[]; next: number };
}

// ---------------------------------------------------------------- inputs

export type PowerAction = 'on' | 'off' | 'reset' | 'reboot' | 'shutdown';

export type Fault =
  | { kind: 'power'; node: NodeName; action: PowerAction }
  | { kind: 'link'; a: NodeName; b: NodeName; cut: boolean; oneWay?: boolean }
  | { kind: 'partition'; groups: NodeName[][] } // cut every link between groups
  | { kind: 'isolate'; node: NodeName }
  | { kind: 'heal' } // every link up, no loss/latency, qdevice reachable
  | { kind: 'link-quality'; a: NodeName; b: NodeName; loss: number; latencyMs: number }
  | { kind: 'clock-skew'; node: NodeName; skewMs: number }
  | { kind: 'qdevice-host'; up: boolean }
  | { kind: 'qdevice-reach'; node: NodeName; reachable: boolean }
  | { kind: 'storage'; up: boolean }
  /** a guest's disk is damaged (a bad script, ransomware): the data is gone wherever it runs */
  | { kind: 'disk-corrupt'; vmid: number }
  /** a node's port on one network goes down or back up ("cut VLAN 20 on pve2") */
  | { kind: 'net-port'; network: string; node: NodeName; up: boolean }
  /** bulk traffic fills a network (a storage sync, a migration storm) or stops */
  | { kind: 'net-saturate'; network: string; on: boolean };

export type SimInput =
  | { type: 'tick'; at: Ms }
  | { type: 'heartbeat'; at: Ms; node: NodeName }
  | { type: 'fault'; at: Ms; fault: Fault; by?: string }
  | { type: 'command'; at: Ms; node: NodeName; line: string }
  | { type: 'vote'; at: Ms; node: NodeName; voteId: number; yes: boolean }
  | { type: 'qdevice-choice'; at: Ms; node: NodeName | null }
  | { type: 'set-auto'; at: Ms; node: NodeName; auto: boolean }
  /** the teacher switched the vote mode (auto: votequorum decides; human: seats vote on fencing) */
  | { type: 'vote-mode'; at: Ms; mode: VoteMode }
  /** the scenario's timeline: each fault fires on the first tick at or after its time; `next`
   * skips faults already fired (a timeline handed over from an older room state) */
  | { type: 'schedule'; at: Ms; faults: ScheduledFault[]; next?: number }
  /** the page's editor saved a file that `nano` opened (CommandResult.edit): the new full text */
  | { type: 'edit'; at: Ms; node: NodeName; path: string; text: string };

// ---------------------------------------------------------------- events

// The event catalogue lives in events.ts (one comment per event); re-exported here so existing
// `import type { SimEvent } from '…/sim/types'` keep working.
export type { QuorumRule, RecoveryWhy, SimEvent, SimEventBody, SimEventType } from './events.js';
import type { SimEvent, SimEventBody } from './events.js';

export interface CommandResult {
  output: string;
  exitCode: number;
  /** `nano <file>` on a file the lab lets students edit: the page opens its editor on this text and
   * sends the saved text back as an `edit` input */
  edit?: { path: string; text: string };
}

export interface StepResult {
  events: SimEvent[];
  /** set for `command` and `edit` inputs: what the student's terminal prints */
  command?: CommandResult;
  /** set when the input was refused (unknown node, vote not open, …) */
  error?: { code: string; message: string };
}

// ---------------------------------------------------------------- scenarios

export interface I18nText {
  fr: string;
  en: string;
}

/** A check over the event log (and the final state) that tells whether a scenario goal was met. */
export type ObjectiveCheck =
  | { kind: 'no-split-brain' } // no split-brain-started event
  | { kind: 'event'; type: SimEventBody['type']; match?: Record<string, unknown> } // such an event happened
  | { kind: 'no-event'; type: SimEventBody['type']; match?: Record<string, unknown> }
  | { kind: 'vm-running-at-end'; vmid: number }
  /** every powered node's /etc/pve configures a QDevice (at `ip`, when given) */
  | { kind: 'qdevice-configured-at-end'; ip?: string }
  /** vmid runs on exactly one node at the end and its disk holds good data (restored from a
   * backup made before the damage, or never damaged) */
  | { kind: 'vm-data-intact-at-end'; vmid: number }
  /** every configured node is powered, in one corosync membership with all of them, and quorate */
  | { kind: 'cluster-complete-at-end' }
  /** these events happened in this order (each one after the previous step's) */
  | { kind: 'events-in-order'; steps: { type: SimEventBody['type']; match?: Record<string, unknown> }[] }
  /** `node` is powered and quorate at the end (e.g. the survivor of a late failure) */
  | { kind: 'node-quorate-at-end'; node: NodeName }
  | { kind: 'all-quorate-at-end' }
  | { kind: 'skew-fixed-at-end' } // every node within the danger limit at the end
  | { kind: 'migrated-before-event'; vmid: number; from: NodeName; before: SimEventBody['type'] }
  /** every powered node's corosync.conf has a knet link with every node's address on `network`
   * (and, when `preferred`, a knet_link_priority above every other link's) */
  | { kind: 'corosync-link-at-end'; network: string; preferred?: boolean };

export interface Objective {
  id: string;
  title: I18nText;
  points: number;
  check: ObjectiveCheck;
}

export interface ScheduledFault {
  atMs: Ms; // sim time after the lab starts
  fault: Fault;
  note: I18nText; // what the teacher dashboard and students see when it fires
}

/** Questions a checkpoint can ask a seat about its own node (answers: src/sim/checkpoints.ts). */
export type QuestionId =
  | 'quorate' // Does your node have quorum?
  | 'votes-present' // How many votes are present in your node's partition?
  | 'votes-required' // How many votes does your node's partition need (quorum)?
  | 'cfs-writable' // Can your node write to /etc/pve?
  | 'ha-fate' // What will HA do with vm:N (a VM your node cares about)?
  | 'ha-when' // In how many seconds will vm:N run again?
  | 'who-fences'; // Which node(s) will be fenced (watchdog reset or fenced by the cluster)?

/** A predict-and-explain moment of a scenario: at `atMs` the questions open for every seat. */
export interface CheckpointDef {
  id: string;
  atMs: Ms;
  /** the cluster stands still while the checkpoint is open (a prediction stays a prediction) */
  pause: boolean;
  title: I18nText;
  questions: QuestionId[];
}

export interface Scenario {
  id: string;
  title: I18nText;
  description: I18nText;
  goals: { fr: string[]; en: string[] };
  /** course concepts this scenario shows (keys used by reports) */
  concepts: string[];
  cluster: Omit<ClusterConfig, 'timing' | 'voteMode' | 'autoNodes'>;
  /** the QDevice is a seat a student can hold */
  qdeviceSeat: boolean;
  timeline: ScheduledFault[];
  objectives: Objective[];
  /** at least two per preset: one on the healthy cluster, one right after the failure */
  checkpoints: CheckpointDef[];
}
