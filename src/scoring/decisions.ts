// Right answers, judged against the configured cluster: its real node votes, its QDevice as the
// algorithm would cast it, and votequorum's arithmetic — never against a quorum a mistake forced
// (`pvecm expected 1` makes a minority "quorate"; that flag is not the right answer). Also the
// causes a penalty rests on, each with the consequences it led to. Pure, from the log alone.
import { lowestNodeidName, partitionQuorum, qdeviceVoteCount, twoNodeInForce, type ClusterState, type NodeName, type SimEvent } from './sim';

type Config = ClusterState['config'];
const key = (p: readonly NodeName[]) => [...p].sort().join(',');

/** Does `members` hold quorum in the configured cluster (QDevice vote where its algorithm puts it)? */
export function reallyQuorate(config: Config, members: readonly NodeName[], qdevice: { present: boolean; choice: NodeName[] | null }): boolean {
  const q = config.qdevice;
  const qdVotes = q && qdevice.present ? qdeviceVoteCount(q.algorithm, config.nodes.length) : 0;
  const nodeVotes = config.nodes.reduce((a, n) => a + n.votes, 0);
  const own = config.nodes.filter((n) => members.includes(n.name)).reduce((a, n) => a + n.votes, 0);
  const withQd = qdevice.choice && key(qdevice.choice) === key(members) ? qdVotes : 0;
  const lowest = lowestNodeidName(config.nodes);
  return partitionQuorum({
    total: own + withQd,
    expected: nodeVotes + qdVotes,
    nodeCount: config.nodes.length,
    twoNode: twoNodeInForce(config.options.two_node, config.nodes.length, qdVotes > 0),
    waitForAllPending: false,
    autoTieBreaker: config.options.auto_tie_breaker,
    hasLowestNodeid: lowest !== undefined && members.includes(lowest),
  }).quorate;
}

export interface JudgedVote {
  seq: number;
  at: number;
  node: NodeName;
  voteId: number;
  target: NodeName;
  yes: boolean;
  partition: NodeName[];
  /** the voters' partition really held quorum: yes is right exactly then */
  realQuorate: boolean;
  right: boolean;
  /** a vote asked again (same voter, target and partition) is graded once: the first ballot */
  repeat: boolean;
}

export interface QdeviceDecision {
  seq: number;
  at: number;
  partition: NodeName[];
  algorithmChoice: NodeName[];
  right: boolean;
  repeat: boolean;
}

export interface Cause {
  kind: 'forced-expected' | 'qdevice-minority';
  seq: number;
  at: number;
  node: NodeName;
  line: string;
  consequences: SimEvent[];
}

export interface Judgement {
  votes: JudgedVote[];
  qdevice: QdeviceDecision[];
  causes: Cause[];
}

const FORCE = /^\s*(pvecm\s+expected|corosync-quorumtool\s+.*-e)\b/;

export function judge(config: Config, events: readonly SimEvent[]): Judgement {
  const ring: Record<NodeName, NodeName[]> = {};
  for (const n of config.nodes) ring[n.name] = config.nodes.map((x) => x.name);
  let qdPresent = !!config.qdevice?.configured;
  let qdChoice: NodeName[] | null = null;
  const opened = new Map<number, { target: NodeName; partition: NodeName[]; realQuorate: boolean }>();
  const seenVotes = new Set<string>();
  const seenQd = new Set<string>();
  const out: Judgement = { votes: [], qdevice: [], causes: [] };
  let pending: NodeName | null = null; // expected-changed by a command, waiting for its command event
  /** open incident id → the cause it is a consequence of */
  const incidentCause = new Map<number, Cause>();
  let lastCause: Cause | null = null;
  for (const e of events) {
    switch (e.type) {
      case 'membership-changed':
        for (const m of e.members) if (ring[m]) ring[m] = [...e.members];
        break;
      case 'node-power':
        if (e.power !== 'on' && ring[e.node]) ring[e.node] = [];
        break;
      case 'qdevice-configured':
        qdPresent = e.enabled;
        break;
      case 'qdevice-vote':
        qdChoice = e.algorithmChoice;
        if (e.partition && e.algorithmChoice) {
          const k = `${key(e.partition)}|${key(e.algorithmChoice)}`;
          const right = key(e.partition) === key(e.algorithmChoice);
          out.qdevice.push({ seq: e.seq, at: e.at, partition: e.partition, algorithmChoice: e.algorithmChoice, right, repeat: seenQd.has(k) });
          seenQd.add(k);
          // A vote given by hand to a partition that has no real majority with it is a cause.
          if (!right && !reallyQuorate(config, e.partition, { present: qdPresent, choice: e.algorithmChoice })) {
            const withHand = reallyQuorate(config, e.partition, { present: qdPresent, choice: e.partition });
            if (withHand) out.causes.push((lastCause = { kind: 'qdevice-minority', seq: e.seq, at: e.at, node: 'qdevice', line: e.partition.join(', '), consequences: [] }));
          }
        }
        break;
      case 'expected-changed':
        if (e.reason === 'command') pending = e.node;
        break;
      case 'command':
        if (pending && e.node === pending && e.ok && FORCE.test(e.line) && !reallyQuorate(config, ring[e.node] ?? [e.node], { present: qdPresent, choice: qdChoice }))
          out.causes.push((lastCause = { kind: 'forced-expected', seq: e.seq, at: e.at, node: e.node, line: e.line, consequences: [] }));
        pending = null;
        break;
      case 'vote-opened':
        opened.set(e.voteId, { target: e.target, partition: [...e.partition], realQuorate: reallyQuorate(config, e.partition, { present: qdPresent, choice: qdChoice }) });
        break;
      case 'vote-cast': {
        const v = opened.get(e.voteId);
        if (!v) break;
        const k = `${e.node}|${v.target}|${key(v.partition)}`;
        out.votes.push({ seq: e.seq, at: e.at, node: e.node, voteId: e.voteId, target: v.target, yes: e.yes, partition: v.partition, realQuorate: v.realQuorate, right: e.yes === v.realQuorate, repeat: seenVotes.has(k) });
        seenVotes.add(k);
        break;
      }
      case 'split-brain-started': {
        // A two-quorate split names the override that caused it; what happens while it lasts
        // (a VM started twice, /etc/pve diverging) follows from the same cause.
        const named = out.causes.filter((c) => c.kind === 'forced-expected' && e.cause.includes(` on ${c.node} `)).at(-1);
        const during = [...incidentCause.values()].at(-1);
        const byHand = e.cause.startsWith('QDevice vote given by hand') ? out.causes.filter((c) => c.kind === 'qdevice-minority').at(-1) : undefined;
        const cause = e.kind === 'two-quorate' ? (named ?? byHand) : (during ?? (e.kind === 'cfs-diverged' ? lastCause ?? undefined : undefined));
        if (cause) {
          cause.consequences.push(e);
          incidentCause.set(e.incident, cause);
        }
        break;
      }
      case 'split-brain-ended':
        incidentCause.delete(e.incident);
        break;
      case 'pmxcfs-merge':
        if (e.lost.length && lastCause) lastCause.consequences.push(e);
        break;
      // Events that bear on no decision.
      case 'heartbeat-lost': case 'node-dead': case 'quorum-lost': case 'quorum-regained':
      case 'vote-closed': case 'watchdog-armed': case 'watchdog-disarmed': case 'self-fenced':
      case 'node-fence': case 'fenced': case 'recovered': case 'recovery-stuck': case 'vm-started':
      case 'vm-stopped': case 'migrated': case 'service-state': case 'maintenance': case 'pmxcfs-write':
      case 'pmxcfs-refused': case 'clock-skew': case 'clock-synced': case 'fault-applied': case 'seat-taken':
      case 'seat-left': case 'presence': case 'checkpoint-opened': case 'checkpoint-closed':
      case 'cluster-created': case 'node-joined': case 'node-removed': case 'package-installed':
      case 'backup-created': case 'vm-restored': case 'diagnosis': case 'drill-drawn': case 'knet-link':
        break;
      default: {
        const _exhaustive: never = e;
        void _exhaustive;
      }
    }
    if (e.type !== 'expected-changed' && e.type !== 'command') pending = null;
  }
  return out;
}
