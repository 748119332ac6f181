// The event catalogue: everything the engine reports, one comment per event. Events are durable
// (stored, replayed by reports) and each carries its "why": the rule, the votes, the peers that
// decided. Add a field rather than change one: stored logs and the browser read old fields.
import type { CfsWrite, CorosyncLink, CrmServiceState, Fault, FenceVote, I18nText, Incident, Ms, NodeName, PowerState, QuestionId } from './types.js';
import type { Answer } from './checkpoints.js';
import type { CauseId, DrillFamily, RuleId } from '../protocol/diagnosis.js';
import type { QuorumRule } from './quorum.js';

export type { QuorumRule };

/** Why a recovery went to that node (docs/sim.md, "HA"): the candidates with their service
 * counts, fewest first, ties by name; a guest on local storage can only go back to its node; a
 * guest in an HA group goes to its highest-priority online member (`group-priority`). */
export interface RecoveryWhy {
  rule: 'fewest-services' | 'local-storage' | 'group-priority';
  /** candidates in order of preference (`priority`: the node's priority in the group) */
  candidates: { node: NodeName; services: number; priority?: number }[];
  /** the first two candidates were equal (priority and services): the node name decided */
  tieByName?: boolean;
  /** the service's HA group, when it has one */
  group?: string;
}

interface EventBase {
  seq: number;
  at: Ms;
}

export type SimEventBody =
  /** `node` has not heard `peer` for two heartbeat periods (before the membership drops it). */
  | { type: 'heartbeat-lost'; node: NodeName; peer: NodeName }
  /** knet on `node` saw its links to `peer` change (rules/networks.ts): links that went `down` or
   * came `up`, and the link that now carries the traffic (passive link_mode: the highest priority;
   * null: no link left, the peer is unreachable). Only in scenarios with networks. */
  | { type: 'knet-link'; node: NodeName; peer: NodeName; down: number[]; up: number[]; best: number | null; priority: number | null }
  /** The token timed out: the members `by` formed a new ring without `node`. */
  | { type: 'node-dead'; node: NodeName; by: NodeName[] }
  /** A new corosync ring (`ringId`) formed with these members. */
  | { type: 'membership-changed'; members: NodeName[]; ringId: number }
  /** `node` lost quorum: `votes` present below `quorum`, or the `rule` named (wait_for_all…). */
  | { type: 'quorum-lost'; node: NodeName; votes: number; quorum: number; rule?: QuorumRule; expected?: number }
  /** `node` became quorate again, by the `rule` named (votes, two_node, auto_tie_breaker…). */
  | { type: 'quorum-regained'; node: NodeName; votes: number; quorum: number; rule?: QuorumRule; expected?: number }
  /** Expected votes of `node` changed: by a command, last_man_standing, a merge (highest wins), or
   * allow_downscale after a peer left cleanly (`downscale`). */
  | { type: 'expected-changed'; node: NodeName; expected: number; reason: 'command' | 'lms' | 'merge' | 'downscale' }
  /** qnetd gave its vote to `partition` (null: to nobody); `algorithmChoice` is what its algorithm picked. */
  | { type: 'qdevice-vote'; partition: NodeName[] | null; algorithmChoice: NodeName[] | null }
  /** Human vote mode: `partition` is asked whether to fence `target` before `deadline`. */
  | { type: 'vote-opened'; voteId: number; target: NodeName; partition: NodeName[]; deadline: Ms; quorum: number }
  /** A seat voted (autopilot seats vote as votequorum would: yes when quorate). */
  | { type: 'vote-cast'; voteId: number; node: NodeName; yes: boolean }
  /** A fence vote closed: passed with `yes` ≥ `quorum`, rejected, expired, or cancelled (target back). */
  | { type: 'vote-closed'; voteId: number; target: NodeName; status: FenceVote['status']; yes: number; quorum: number }
  /** An active LRM lost quorum: the node resets at `resetAt` unless quorum comes back. */
  | { type: 'watchdog-armed'; node: NodeName; resetAt: Ms }
  /** Quorum came back before the watchdog fired. */
  | { type: 'watchdog-disarmed'; node: NodeName }
  /** The watchdog fired: the node reset itself, stopping `vms`. */
  | { type: 'self-fenced'; node: NodeName; vms: number[] }
  /** The CRM of partition `by` marked `node` to be fenced (it owned active HA services). */
  | { type: 'node-fence'; node: NodeName; by: NodeName[] }
  /** Fencing of `node` completed (lock held long enough, or the vote passed): services recover. */
  | { type: 'fenced'; node: NodeName; by: NodeName[] }
  /** HA recovered service `sid` from `from` onto `to`; `why` says why that node. */
  | { type: 'recovered'; sid: string; vmid: number; from: NodeName; to: NodeName; why?: RecoveryWhy }
  /** A recovery cannot proceed (local storage, shared storage down, no online node). */
  | { type: 'recovery-stuck'; sid: string; vmid: number; reason: string }
  /** A guest process started on `node`. */
  | { type: 'vm-started'; vmid: number; node: NodeName; reason: string }
  /** A guest process stopped on `node` (command, HA, power loss, self-fence…). */
  | { type: 'vm-stopped'; vmid: number; node: NodeName; reason: string }
  /** A guest moved (online: its process moved with it). */
  | { type: 'migrated'; vmid: number; from: NodeName; to: NodeName; online: boolean }
  /** The CRM changed the state of service `sid`. */
  | { type: 'service-state'; sid: string; state: CrmServiceState; node: NodeName }
  /** HA maintenance mode of `node` was switched on or off. */
  | { type: 'maintenance'; node: NodeName; enabled: boolean }
  /** A split-brain checker opened an incident (two quorate partitions, a VM twice, /etc/pve diverged). */
  | { type: 'split-brain-started'; incident: number; kind: Incident['kind']; cause: string }
  /** The incident is over. */
  | { type: 'split-brain-ended'; incident: number; kind: Incident['kind']; durationMs: Ms }
  /** A quorate write to /etc/pve (new `version`, copied to the partition); a write of corosync.conf
   * that lists knet links carries them (the report rebuilds the links in force from the log). */
  | { type: 'pmxcfs-write'; node: NodeName; path: string; what: string; version: number; links?: CorosyncLink[] }
  /** pmxcfs refused a write: the node has no quorum (/etc/pve is read-only). */
  | { type: 'pmxcfs-refused'; node: NodeName; path: string; what: string }
  /** Partitions met: the copy of `winner` (highest version, then lowest nodeid) won; `lost` writes vanished. */
  | { type: 'pmxcfs-merge'; winner: NodeName[]; version: number; lost: CfsWrite[] }
  /** The clock of `node` is off by more than the danger threshold. */
  | { type: 'clock-skew'; node: NodeName; skewMs: number }
  /** The clock of `node` is back within the threshold. */
  | { type: 'clock-synced'; node: NodeName }
  /** A student typed a command on `node` (truncated line; ok = exit code 0). */
  | { type: 'command'; node: NodeName; line: string; ok: boolean }
  /** The teacher (or the schedule, `by`) applied a fault. */
  | { type: 'fault-applied'; fault: Fault; by?: string }
  /** `node` changed power state, with the reason (power on, booted, fenced, watchdog reset…). */
  | { type: 'node-power'; node: NodeName; power: PowerState; reason: string }
  /** `pvecm create`: `node` wrote a corosync.conf listing itself alone, cluster `name`. */
  | { type: 'cluster-created'; node: NodeName; name: string }
  /** `pvecm add`: `node` joined the cluster through member `via`. */
  | { type: 'node-joined'; node: NodeName; via: NodeName }
  /** `pvecm delnode`: `node` was removed from corosync.conf from member `by`. */
  | { type: 'node-removed'; node: NodeName; by: NodeName }
  /** `apt install`: `pkg` installed on `node` (or on the QDevice host, `qnetd`). */
  | { type: 'package-installed'; node: NodeName; pkg: string }
  /** vzdump wrote an archive of `vmid` from `node` to the backup storage (`corrupt`: of a disk
   * already damaged — such a backup brings nothing back). */
  | { type: 'backup-created'; node: NodeName; vmid: number; volid: string; corrupt: boolean }
  /** qmrestore recreated `vmid` on `node` from an archive (`corrupt`: the archive held damaged data). */
  | { type: 'vm-restored'; node: NodeName; vmid: number; volid: string; corrupt: boolean }
  /** A QDevice was set up (or removed) from `node`; `ip`: the qnetd it was set up with. */
  | { type: 'qdevice-configured'; node: NodeName; enabled: boolean; ip?: string }
  // Room events: written by the room (src/rooms/seat-log.ts) into the same numbered log, never by the
  // engine. Grades follow students with them; no seat is shown them.
  /** A student took the seat of `node`. */
  | { type: 'seat-taken'; node: NodeName; seatId: string }
  /** The student of seat `seatId` left `node` (kicked, moved to another team, or gone for good). */
  | { type: 'seat-left'; node: NodeName; seatId: string; reason: 'kicked' | 'moved' | 'left' }
  /** Of `ticks` ticks while the seat was held, `heard` had a fresh heartbeat from its browser. */
  | { type: 'presence'; node: NodeName; seatId: string; heard: number; ticks: number }
  /** A checkpoint opened (`by` the scenario's clock or the teacher); `nodes`: the students' nodes asked.
   * Students get `checkpoint` frames instead. */
  | { type: 'checkpoint-opened'; checkpoint: string; nodes: NodeName[]; by: 'timeline' | 'teacher' }
  /** A checkpoint closed (by the teacher, once every seat answered, or at the time limit), with
   * each seat's answers, the right ones computed for that node, and whether they matched. */
  | { type: 'checkpoint-closed'; checkpoint: string; reason: 'teacher' | 'all-answered' | 'time-limit'; results: Record<NodeName, CheckpointResult[]> }
  /** Diagnosis mode: the student of seat `seatId`, on `node`, named a cause, the nodes hit and the
   * course rule. Graded from the log against the faults applied before it (src/scoring/diagnosis.ts). */
  | { type: 'diagnosis'; node: NodeName; seatId: string; cause: CauseId; nodes: NodeName[]; rule: RuleId }
  /** An incident drill drew this team's fault from `family`; it fires at `atMs` (src/sim/drills.ts). */
  | { type: 'drill-drawn'; family: DrillFamily; fault: Fault; atMs: Ms };

/** One question of a closed checkpoint for one seat (src/rooms/checkpoint.ts). */
export interface CheckpointResult {
  question: QuestionId;
  right: Answer;
  answer: Answer | null;
  ok: boolean;
  /** the question, the right answer and the seat's in words, and the why-line (logs since the end
   * screen; older logs lack them) */
  text?: I18nText;
  rightText?: I18nText;
  answerText?: I18nText | null;
  why?: I18nText;
}

export type SimEvent = EventBase & SimEventBody;
export type SimEventType = SimEventBody['type'];
