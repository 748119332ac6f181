// QDevice: corosync-qdevice on the nodes and the qnetd server's vote (docs/sim.md, "QDevice").
import { emit, linkKey, nodeid, nodelistOf, partitionKey, partitionOf, type Ctx } from '../kernel.js';
import type { ClusterState, NodeName, NodeRuntime } from '../types.js';
import { qdeviceVoteCount } from '../quorum.js';
import { corosyncRuns, membershipOf } from './membership.js';

/** Votes the QDevice brings: 1 with ffsplit, nodes − 1 with lms; 0 when not configured
 * (`n`: counted from that node's nodelist). */
export function qdeviceVotes(s: ClusterState, n?: NodeRuntime): number {
  const q = s.config.qdevice;
  if (!q || !s.qdevice?.present) return 0;
  return qdeviceVoteCount(q.algorithm, (n && nodelistOf(s, n)?.length) || s.config.nodes.length);
}

/**
 * The node's corosync-qdevice daemon is alive and registered with votequorum: its /etc/pve
 * configures a QDevice, corosync runs and nobody stopped the daemon. Whether qnetd answers does not
 * matter (that is the A/NA flag of `corosync-quorumtool -s`: qnetd down still shows `A,NV,NMW`).
 */
export function qdeviceDaemonUp(s: ClusterState, name: NodeName): boolean {
  const n = s.nodes[name];
  return !!n && corosyncRuns(n) && !!n.cfs.qdevice?.configured && !n.qdeviceStopped && n.qdevicePkg !== false;
}

/** Which qnetd an address names: the external host, the guest on a cluster node (the course's
 * trap, `QdeviceConfig.vm`), or none. */
export function qnetdHome(s: ClusterState, ip: string): 'host' | 'vm' | null {
  const q = s.config.qdevice;
  if (!q) return null;
  if (q.vm?.ip === ip) return 'vm';
  return q.ip === ip ? 'host' : null;
}

/** The qnetd at `ip` runs and node `name` reaches it on TCP 5403. The external host: up and not
 * cut off from the node. The guest: running on some node (it dies with that node: two votes lost
 * at once), and the node is that one or still talks to it. */
export function qnetdReachableAt(s: ClusterState, ip: string, name: NodeName): boolean {
  const q = s.qdevice;
  if (!q || !q.reach[name]) return false;
  const home = qnetdHome(s, ip);
  if (home === 'host') return q.hostUp;
  if (home !== 'vm') return false;
  const host = s.vms[String(s.config.qdevice!.vm!.vmid)]?.runningOn[0];
  if (host === undefined) return false;
  if (host === name) return true;
  const there = s.links[linkKey(name, host)];
  const back = s.links[linkKey(host, name)];
  return !!there && !!back && !there.cut && !back.cut;
}

/** The node's daemon is connected to the qnetd its /etc/pve names: alive and reaching it. Only
 * such nodes take part in qnetd's decision and get its ACK/NACK. */
export function qnetdConnected(s: ClusterState, name: NodeName): boolean {
  const ip = s.nodes[name]?.cfs.qdevice?.ip;
  return ip !== undefined && qdeviceDaemonUp(s, name) && qnetdReachableAt(s, ip, name);
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
  // Only partitions with a member connected to a running qnetd are candidates: none, no vote.
  if (q.present) {
    const anyMember = s.partitions[0]?.[0];
    const nodeCount = (anyMember && nodelistOf(s, s.nodes[anyMember]!)?.length) || s.config.nodes.length;
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
