// Which events and vote prompts reach each seat: only what its node would know (the teacher sees
// all), and in diagnosis mode only the harm the seat caused. Pure; the room sends what this says.
import { partitionOf } from './kernel.js';
import type { SimEvent } from './events.js';
import type { ClusterState, NodeName } from './types.js';
import type { Seat, SeatOptions } from './view.js';

/** A fence-vote prompt, as the `prompt` frame carries it. */
export interface VotePrompt {
  voteId: number;
  target: NodeName;
  deadline: number;
  quorum: number;
  partition: NodeName[];
}

/** Prompts that these events open for a seat: the voters are the members of the asking partition. */
export function promptsFor(events: SimEvent[], seat: Seat): VotePrompt[] {
  if (seat.role !== 'node') return [];
  const out: VotePrompt[] = [];
  for (const e of events)
    if (e.type === 'vote-opened' && e.partition.includes(seat.node))
      out.push({ voteId: e.voteId, target: e.target, deadline: e.deadline, quorum: e.quorum, partition: e.partition });
  return out;
}

/** Votes still waiting for this seat's ballot (sent again when a socket joins). */
export function openPrompts(s: ClusterState, seat: Seat): VotePrompt[] {
  if (seat.role !== 'node') return [];
  return s.votes
    .filter((v) => v.status === 'open' && v.partition.includes(seat.node) && v.ballots[seat.node] === undefined)
    .map((v) => ({ voteId: v.id, target: v.target, deadline: v.deadline, quorum: v.quorum, partition: v.partition }));
}

/** A forced expected vote's cause names its node (src/sim/shell/corosync.ts: "… on pve1 at …"). */
const forcedOn = (cause: string, me: NodeName) => cause.includes(` on ${me} at `);

/** `me` forced its expected votes and that opened the split-brain still open. */
function openedSplitBrain(s: ClusterState, me: NodeName): boolean {
  const cause = s.nodes[me]?.expectedOverride;
  return !!cause && forcedOn(cause, me) && s.incidents.some((i) => i.kind === 'two-quorate' && i.endedAt === null && i.cause === cause);
}

/** In diagnosis mode every event is a verdict but the harm this seat caused (src/protocol/harm.ts):
 * the split-brain its command opened, its consequences, then the writes its merge lost. */
function diagnosisHides(s: ClusterState, e: SimEvent, me: NodeName): boolean {
  if (e.type === 'split-brain-started') return false;
  return e.type !== 'pmxcfs-merge' || !s.incidents.some((i) => i.kind === 'two-quorate' && forcedOn(i.cause, me));
}

/**
 * Whether a seat's socket receives an event: only what its node would know (teachers see all).
 * Decisions taken by another partition (a node declared dead, fenced, its services recovered)
 * are not known on an isolated node; it sees its own ring lose the others instead.
 */
export function seesEvent(s: ClusterState, e: SimEvent, seat: Seat, opts: SeatOptions = {}): boolean {
  const me = seat.node;
  if (opts.diagnosis && seat.role === 'node' && diagnosisHides(s, e, me)) return false;
  if (seat.role === 'qdevice') return e.type === 'qdevice-vote' || e.type === 'membership-changed' || e.type === 'qdevice-configured';
  const withMe = (n: NodeName) => n === me || !!partitionOf(s, me)?.includes(n);
  switch (e.type) {
    case 'command':
      return false; // the sender gets its output frame
    case 'membership-changed':
      return e.members.includes(me);
    case 'node-dead':
    case 'node-fence':
    case 'fenced':
      return e.by.includes(me);
    case 'recovered':
      return e.to === me || (e.from === me && withMe(e.to));
    case 'migrated':
      return e.from === me || e.to === me;
    case 'vote-opened':
      return false; // the voters get a `prompt` frame instead
    case 'vote-closed':
      return !!s.votes.find((v) => v.id === e.voteId)?.partition.includes(me);
    case 'qdevice-vote':
      return !!e.partition?.includes(me) || !!e.algorithmChoice?.includes(me);
    case 'pmxcfs-merge':
      return e.winner.includes(me) || e.lost.some((w) => w.node === me);
    case 'split-brain-started':
      // Ground truth, except for the node whose forced expected vote opened it: its student is
      // told at once (the cause names the command, the node and the time: src/sim/shell/corosync.ts).
      // Its consequences (a VM now running twice, /etc/pve written on both sides: writes lost at the
      // merge) reach that seat too, while the split-brain it opened is still open.
      if (e.kind === 'two-quorate') return s.nodes[me]?.expectedOverride === e.cause && forcedOn(e.cause, me);
      return openedSplitBrain(s, me);
    case 'split-brain-ended':
    case 'fault-applied':
      return false; // ground truth: the teacher's
    case 'seat-taken':
    case 'seat-left':
    case 'presence':
      return false; // room bookkeeping for grades
    case 'checkpoint-opened':
    case 'checkpoint-closed':
      return false; // students get `checkpoint` and `checkpoint-results` frames instead
    case 'diagnosis':
    case 'drill-drawn':
      return false; // the student gets a `diagnosis` frame; the drawn fault is the teacher's secret
    case 'heartbeat-lost':
    case 'quorum-lost':
    case 'quorum-regained':
    case 'expected-changed':
    case 'vote-cast':
    case 'watchdog-armed':
    case 'watchdog-disarmed':
    case 'self-fenced':
    case 'recovery-stuck':
    case 'vm-started':
    case 'vm-stopped':
    case 'service-state':
    case 'maintenance':
    case 'pmxcfs-write':
    case 'pmxcfs-refused':
    case 'clock-skew':
    case 'clock-synced':
    case 'node-power':
    case 'qdevice-configured':
    case 'backup-created':
    case 'vm-restored':
    case 'cluster-created':
    case 'package-installed':
    case 'knet-link':
      return 'node' in e && e.node === me;
    case 'node-joined':
      return e.node === me || withMe(e.via);
    case 'node-removed':
      return e.node === me || withMe(e.by);
    default: {
      const _exhaustive: never = e;
      return _exhaustive;
    }
  }
}
