// Why a team needs the teacher now, from its summary (src/protocol/summary.ts): the reasons shown
// on a team's tile and compact panel, and what puts a team in "teams in trouble". Empty: fine.
import type { Bi } from '../lib/i18n';
import type { TeamSummary } from '../../src/protocol/summary';

export function troubles(s: TeamSummary, students: ReadonlyMap<string, string>): Bi[] {
  const out: Bi[] = [];
  if (s.splitBrain) out.push({ fr: 'split-brain en cours', en: 'split-brain in progress' });
  if (s.noQuorum.length) out.push({ fr: `sans quorum : ${s.noQuorum.join(', ')}`, en: `no quorum: ${s.noQuorum.join(', ')}` });
  if (s.down.length) out.push({ fr: `éteint : ${s.down.join(', ')}`, en: `down: ${s.down.join(', ')}` });
  const votes = s.votesOpen;
  if (votes) out.push(votes === 1 ? { fr: 'un vote ouvert', en: 'one open vote' } : { fr: `${votes} votes ouverts`, en: `${votes} open votes` });
  const gone = [...students.keys()].filter((node) => s.presence[node] && !s.presence[node]!.online);
  if (gone.length) out.push({ fr: `élève déconnecté : ${gone.map((n) => students.get(n)).join(', ')}`, en: `student disconnected: ${gone.map((n) => students.get(n)).join(', ')}` });
  return out;
}
