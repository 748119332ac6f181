// Fence votes (human vote mode): the surviving partition votes before a lost node is fenced
// (docs/sim.md, "Fence votes").
import { emit, nodeConfig, partitionKey, partitionOf, type Ctx } from '../kernel.js';
import type { FenceVote, NodeName, StepResult } from '../types.js';
import { qdeviceVotes } from './qdevice.js';
import { partitionInfo } from './votequorum.js';

export function openFenceVote(c: Ctx, target: NodeName): void {
  const s = c.s;
  let nextId = s.votes.reduce((a, v) => Math.max(a, v.id), 0);
  for (const p of s.partitions) {
    if (p.includes(target)) continue;
    if (s.votes.some((v) => v.target === target && v.status === 'open' && partitionKey(v.partition) === partitionKey(p))) continue;
    const info = partitionInfo(s, p);
    const vote: FenceVote = {
      id: ++nextId,
      target,
      partition: [...p],
      openedAt: s.now,
      deadline: s.now + s.config.timing.voteDeadlineMs,
      ballots: {},
      status: 'open',
      quorum: info.quorum,
      quorate: info.quorate,
    };
    s.votes.push(vote);
    emit(c, { type: 'vote-opened', voteId: vote.id, target, partition: [...p], deadline: vote.deadline, quorum: vote.quorum });
  }
}

/** A ballot from a seat; returns why it was refused, or null (the engine then settles the state). */
export function castVote(c: Ctx, node: NodeName, voteId: number, yes: boolean): StepResult['error'] | null {
  const s = c.s;
  const v = s.votes.find((x) => x.id === voteId);
  if (!v || v.status !== 'open') return { code: 'vote_closed', message: 'this vote is not open' };
  if (!v.partition.includes(node)) return { code: 'not_voter', message: 'your node is not in this vote' };
  if (v.ballots[node] !== undefined) return { code: 'already_voted', message: 'you already voted' };
  v.ballots[node] = yes;
  emit(c, { type: 'vote-cast', voteId, node, yes });
  return null;
}

export function updateVotes(c: Ctx): void {
  const s = c.s;
  for (const v of s.votes) {
    if (v.status !== 'open') continue;
    // Autopilot seats vote as votequorum would: yes when their partition is quorate.
    for (const m of v.partition) {
      if (v.ballots[m] === undefined && s.config.autoNodes.includes(m) && s.nodes[m]!.power === 'on') {
        v.ballots[m] = s.nodes[m]!.quorate;
        emit(c, { type: 'vote-cast', voteId: v.id, node: m, yes: v.ballots[m]! });
      }
    }
    const current = partitionOf(s, v.partition[0]!);
    const nodeYes = Object.entries(v.ballots)
      .filter(([, y]) => y)
      .reduce((a, [m]) => a + (nodeConfig(s, m)?.votes ?? 0), 0);
    // The QDevice's vote is part of this partition's quorum while it is cast here: it backs the
    // partition's decision once a node has said yes (otherwise {pve1}+QDevice could never act).
    const qdYes = nodeYes > 0 && current && s.qdevice?.votedFor === partitionKey(current) ? qdeviceVotes(s) : 0;
    const yesVotes = nodeYes + qdYes;
    const stillQuorate = !!current && v.partition.every((m) => current.includes(m)) && s.nodes[v.partition[0]!]!.quorate;
    const targetBack = v.partition.some((m) => partitionOf(s, m)?.includes(v.target));
    let status: FenceVote['status'] | null = null;
    if (targetBack) status = 'cancelled';
    else if (stillQuorate && yesVotes >= v.quorum) status = 'passed';
    else if (s.now >= v.deadline) status = 'expired';
    else if (Object.keys(v.ballots).length >= v.partition.length && !(stillQuorate && yesVotes >= v.quorum)) status = 'rejected';
    if (!status) continue;
    v.status = status;
    emit(c, { type: 'vote-closed', voteId: v.id, target: v.target, status, yes: yesVotes, quorum: v.quorum });
  }
  // A failed vote is asked again while the node is still to be fenced.
  for (const p of s.partitions) {
    if (!p.every((m) => s.nodes[m]!.quorate)) continue;
    const db = s.nodes[p[0]!]!.cfs;
    for (const [name, hn] of Object.entries(db.haNodes)) {
      if (hn.state !== 'fence' || s.config.voteMode !== 'human') continue;
      const relevant = s.votes.filter((v) => v.target === name && partitionKey(v.partition) === partitionKey(p));
      if (!relevant.some((v) => v.status === 'open' || v.status === 'passed')) openFenceVote(c, name);
    }
  }
}

