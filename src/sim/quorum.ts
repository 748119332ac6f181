// votequorum arithmetic (corosync votequorum(5)), kept free of state so it can be unit-tested
// against the figures in docs/sim.md ("votequorum").

/** Votes a QDevice brings (corosync-qdevice(8)): 1 with ffsplit, nodes − 1 with lms. */
export function qdeviceVoteCount(algorithm: 'ffsplit' | 'lms', nodeCount: number): number {
  return algorithm === 'lms' ? Math.max(1, nodeCount - 1) : 1;
}

/** two_node is in force: set, exactly two nodes, and no QDevice (votequorum turns it off then). */
export function twoNodeInForce(twoNode: boolean, nodeCount: number, qdevicePresent: boolean): boolean {
  return twoNode && nodeCount === 2 && !qdevicePresent;
}

/** The name of the node with the lowest nodeid (auto_tie_breaker's default side). */
export function lowestNodeidName(nodes: readonly { name: string; nodeid: number }[]): string | undefined {
  return [...nodes].sort((a, b) => a.nodeid - b.nodeid)[0]?.name;
}

/** quorum = max(floor(E/2)+1, floor(T/2)+1). For E = 2..7: 2,2,3,3,4,4. */
export function quorumFor(expected: number, total: number): number {
  return Math.max(Math.floor(expected / 2) + 1, Math.floor(total / 2) + 1);
}

export interface PartitionQuorumInput {
  /** votes of the member nodes plus the QDevice vote if it is cast to this partition */
  total: number;
  /** expected votes (highest among members, raised to total when total exceeds it) */
  expected: number;
  nodeCount: number; // configured nodes in the cluster
  twoNode: boolean;
  waitForAllPending: boolean; // wait_for_all armed and not yet satisfied
  autoTieBreaker: boolean;
  hasLowestNodeid: boolean; // the partition holds the lowest configured nodeid
}

/**
 * The votequorum rule that decided a partition's quorum, carried by quorum events so a student can
 * ask "why?": plain `votes` against quorum, `two_node` (quorum 1), `wait_for_all` (not yet seen
 * all nodes), `auto_tie_breaker` (exact half with the lowest nodeid), `expected_override`
 * (`pvecm expected` in force), `qdevice_vote` (quorate only thanks to the QDevice vote).
 */
export type QuorumRule = 'votes' | 'two_node' | 'wait_for_all' | 'auto_tie_breaker' | 'expected_override' | 'qdevice_vote';

export interface PartitionQuorum {
  quorum: number;
  quorate: boolean;
  tieBreak: boolean; // quorate only thanks to auto_tie_breaker
  /** the arithmetic rule that decided (votequorum.ts refines `votes` with override / QDevice) */
  rule: QuorumRule;
}

export function partitionQuorum(p: PartitionQuorumInput): PartitionQuorum {
  let quorum = quorumFor(p.expected, p.total);
  // two_node: with exactly two nodes, quorum is 1 (and wait_for_all is implied).
  if (p.twoNode && p.nodeCount === 2) quorum = 1;
  let quorate = p.total >= quorum;
  let tieBreak = false;
  if (!quorate && p.autoTieBreaker && p.total * 2 === p.expected && p.hasLowestNodeid) {
    quorate = true;
    tieBreak = true;
  }
  if (p.waitForAllPending) quorate = false;
  const rule: QuorumRule = p.waitForAllPending
    ? 'wait_for_all'
    : tieBreak
      ? 'auto_tie_breaker'
      : p.twoNode && p.nodeCount === 2
        ? 'two_node'
        : 'votes';
  return { quorum, quorate, tieBreak, rule };
}

/**
 * `pvecm expected N` / `corosync-quorumtool -e N` refusal rules, as seen on corosync 3.1.7:
 * refused when N is below the partition's votes, or when the partition is quorate and the new
 * quorum would exceed its votes. Returns an error text or null when allowed.
 */
export function expectedChangeError(n: number, total: number, quorate: boolean): string | null {
  if (!Number.isInteger(n) || n < 1) return 'Invalid expected votes value';
  if (n < total) return 'Unable to set expected votes: CS_ERR_INVALID_PARAM';
  if (quorate && quorumFor(n, total) > total) return 'Unable to set expected votes: CS_ERR_INVALID_PARAM';
  return null;
}

/**
 * `corosync-quorumtool -v N` (votequorum setvotes): with the node's votes changed the partition
 * would hold `newTotal` votes; votequorum refuses (CS_ERR_INVALID_PARAM) when the quorum it then
 * computes — max(floor(E/2)+1, floor(T/2)+1), or 1 under two_node — exceeds those votes.
 */
export function votesChangeAllowed(expected: number, newTotal: number, twoNode: boolean): boolean {
  const quorum = twoNode ? 1 : quorumFor(expected, newTotal);
  return quorum <= newTotal && quorum >= newTotal / 2;
}
