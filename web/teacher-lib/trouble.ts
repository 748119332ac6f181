// Why a team needs the teacher now, from its snapshot: the reasons shown on a compact team card
// and used by the "teams in trouble" filter. Empty: the team is fine.
import type { Bi } from '../lib/i18n';
import type { Snapshot } from './snapshot';

export function troubles(s: Snapshot, students: ReadonlyMap<string, string>): Bi[] {
  const out: Bi[] = [];
  const split = s.incidents.filter((i) => i.endedAt === null).length;
  if (split) out.push({ fr: 'split-brain en cours', en: 'split-brain in progress' });
  const noQuorum = s.partitions.filter((p) => !p.quorate).flatMap((p) => p.members);
  if (noQuorum.length) out.push({ fr: `sans quorum : ${noQuorum.join(', ')}`, en: `no quorum: ${noQuorum.join(', ')}` });
  const down = s.nodes.filter((n) => n.power !== 'on').map((n) => n.name);
  if (down.length) out.push({ fr: `éteint : ${down.join(', ')}`, en: `down: ${down.join(', ')}` });
  const votes = s.votes.filter((v) => v.status === 'open').length;
  if (votes) out.push(votes === 1 ? { fr: 'un vote ouvert', en: 'one open vote' } : { fr: `${votes} votes ouverts`, en: `${votes} open votes` });
  const presence = s.presence ?? {};
  const gone = [...students.keys()].filter((node) => presence[node] && !presence[node]!.online);
  if (gone.length) out.push({ fr: `élève déconnecté : ${gone.map((n) => students.get(n)).join(', ')}`, en: `student disconnected: ${gone.map((n) => students.get(n)).join(', ')}` });
  return out;
}
