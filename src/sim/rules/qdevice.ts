// QDevice: corosync-qdevice on the nodes and the qnetd server's vote (docs/sim.md, "QDevice").
import { emit, nodeid, partitionKey, partitionOf, type Ctx } from '../kernel.js';
import type { ClusterState, NodeName, NodeRuntime } from '../types.js';
import { qdeviceVoteCount } from '../quorum.js';
import { corosyncRuns, membershipOf } from './membership.js';

/** Votes the QDevice brings: 1 with ffsplit, nodes − 1 with lms; 0 when not configured. */
export function qdeviceVotes(s: ClusterState): number {
  const q = s.config.qdevice;
  if (!q || !s.qdevice?.present) return 0;
  return qdeviceVoteCount(q.algorithm, s.config.nodes.length);
}

/**
 * The node's corosync-qdevice daemon is alive and registered with votequorum: its /etc/pve
 * configures a QDevice, corosync runs and nobody stopped the daemon. Whether qnetd answers does not
 * matter (that is the A/NA flag of `corosync-quorumtool -s`: qnetd down still shows `A,NV,NMW`).
 */
export function qdeviceDaemonUp(s: ClusterState, name: NodeName): boolean {
  const n = s.nodes[name];
  return !!n && corosyncRuns(n) && !!n.cfs.qdevice?.configured && !n.qdeviceStopped;
}

/** The node's daemon is connected to qnetd: alive, qnetd host up, TCP 5403 reachable. Only such
 * nodes take part in qnetd's decision and get its ACK/NACK. */
export function qnetdConnected(s: ClusterState, name: NodeName): boolean {
  return !!s.qdevice?.hostUp && !!s.qdevice.reach[name] && qdeviceDaemonUp(s, name);
}

/** `systemctl stop corosync-qdevice`: the daemon unregisters from votequorum and leaves qnetd.
 * False when it was not running. */
export function stopQdeviceDaemon(s: ClusterState, n: NodeRuntime): boolean {
  if (!qdeviceDaemonUp(s, n.name)) return false;
  n.qdeviceStopped = true;
  return true;
}

/** `systemctl start corosync-qdevice`: false when it was running already. */
export function startQdeviceDaemon(n: NodeRuntime): boolean {
  if (!n.qdeviceStopped) return false;
  delete n.qdeviceStopped;
  return true;
}

export function updateQdeviceVote(c: Ctx): void {
  const s = c.s;
  const q = s.qdevice;
  if (!q) return;
  // corosync-qdevice runs on nodes whose /etc/pve says a QDevice is configured.
  q.present = s.config.nodes.some((n) => s.nodes[n.name]!.cfs.qdevice?.configured);
  const algo = s.config.qdevice!.algorithm;
  let choice: NodeName[] | null = null;
  if (q.present && q.hostUp) {
    const nodeCount = s.config.nodes.length;
    // qnetd sees the membership corosync reports, a member that is dying but not yet timed out included.
    const size = (p: NodeName[]) => membershipOf(s, p).length;
    const candidates = s.partitions.filter(
      (p) =>
        p.some((m) => qnetdConnected(s, m)) &&
        (algo === 'lms' || size(p) * 2 >= nodeCount),
    );
    const reachCount = (p: NodeName[]) => p.filter((m) => qnetdConnected(s, m)).length;
    const wasQuorate = (p: NodeName[]) => (p.some((m) => s.nodes[m]!.quorate) ? 1 : 0);
    const lowest = (p: NodeName[]) => Math.min(...p.map((m) => nodeid(s, m)));
    candidates.sort(
      (a, b) =>
        size(b) - size(a) ||
        reachCount(b) - reachCount(a) ||
        wasQuorate(b) - wasQuorate(a) ||
        lowest(a) - lowest(b),
    );
    choice = candidates[0] ?? null;
    const algoKey = choice ? partitionKey(choice) : null;
    let voted: string | null = algoKey;
    if (s.config.voteMode === 'human' && !q.auto) {
      const hp = q.humanChoice ? partitionOf(s, q.humanChoice) : null;
      voted = hp && hp.some((m) => qnetdConnected(s, m)) ? partitionKey(hp) : null;
    }
    if (voted !== q.votedFor || algoKey !== q.algorithmChoice) {
      const votedP = voted ? s.partitions.find((p) => partitionKey(p) === voted)! : null;
      q.votedFor = voted;
      q.algorithmChoice = algoKey;
      emit(c, { type: 'qdevice-vote', partition: votedP ? [...votedP] : null, algorithmChoice: choice ? [...choice] : null });
    }
    return;
  }
  if (q.votedFor !== null) {
    q.votedFor = null;
    q.algorithmChoice = null;
    emit(c, { type: 'qdevice-vote', partition: null, algorithmChoice: null });
  }
}
