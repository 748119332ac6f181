// One team at a glance: what the dashboard's summary grid, the "teams in trouble" order and the
// leaderboard need, and nothing more (a few hundred bytes, where a full snapshot is kilobytes).
// Each ClusterObject derives it from its snapshot and pushes it to its LabObject when it changes
// (src/rooms/summary-push.ts); the lab keeps the latest per team and serves them all at once.
// Pure: the browser bundles it too, so the grid and an open panel read a team the same way.
import type { LabStatus, Presence, RoomSnapshot } from './messages.js';

export interface TeamSummary {
  team: number;
  status: LabStatus;
  /** sim ms of the snapshot it was taken from */
  now: number;
  /** every partition quorate ("quorate"), some ("partial"), none or nothing powered ("none") */
  quorum: 'quorate' | 'partial' | 'none';
  nodes: number;
  nodesOn: number;
  /** nodes in a partition without quorum, and nodes not powered on */
  noQuorum: string[];
  down: string[];
  /** split-brain incidents in progress, and all incidents so far */
  splitBrain: number;
  incidents: number;
  votesOpen: number;
  score: number;
  availability: number;
  presence: Record<string, Presence>;
  checkpoint: RoomSnapshot['checkpoint'] | null;
}

export function summarize(s: RoomSnapshot): TeamSummary {
  const quorate = s.partitions.filter((p) => p.quorate).length;
  return {
    team: s.team,
    status: s.status,
    now: s.now,
    quorum: quorate === 0 ? 'none' : quorate === s.partitions.length ? 'quorate' : 'partial',
    nodes: s.nodes.length,
    nodesOn: s.nodes.filter((n) => n.power === 'on').length,
    noQuorum: s.partitions.filter((p) => !p.quorate).flatMap((p) => p.members),
    down: s.nodes.filter((n) => n.power !== 'on').map((n) => n.name),
    splitBrain: s.incidents.filter((i) => i.endedAt === null).length,
    incidents: s.incidents.length,
    votesOpen: s.votes.filter((v) => v.status === 'open').length,
    score: s.score.total,
    availability: s.score.availability,
    presence: s.presence ?? {},
    checkpoint: s.checkpoint ?? null,
  };
}

/** What changed enough to tell the lab: everything but the sim clock and presence ages. */
export function summaryKey(s: TeamSummary): string {
  const presence = Object.entries(s.presence).map(([n, p]) => [n, p.online]);
  return JSON.stringify({ ...s, now: 0, presence });
}
