// Bilingual wording of grade lines: causes, consequences, decisions and the "why" beside each line.
// An event's own sentence (a consequence) is src/protocol/wording.ts, shared with the pages.
import { describeEvent } from '../protocol/wording';
import type { Cause, JudgedVote, QdeviceDecision } from './decisions';
import type { I18nText, SimEvent } from './sim';
import type { GradeLine } from './types';

const t = (fr: string, en: string): I18nText => ({ fr, en });

export const EXPLAIN = {
  idle: t('Une équipe ou un élève qui n’agit pas ne gagne aucun point de compétence.', 'A team or student who does not act earns no competence points.'),
  checkpoint: t(
    'Questions d’un point d’étape sur votre propre nœud : la bonne réponse est celle que le moteur calcule pour ce nœud à ce moment.',
    'Checkpoint questions about your own node: the right answer is the one the engine computes for that node at that moment.',
  ),
  diagnosis: t(
    'Diagnostic noté sur quatre points contre la panne appliquée avant lui : la famille, la cause exacte, les nœuds touchés, la règle du cours.',
    'Diagnosis marked on four points against the fault applied before it: the family, the exact cause, the nodes hit, the course rule.',
  ),
  objective: t('Objectif du scénario que le pilote automatique seul n’atteint pas.', 'Scenario objective that autopilot alone does not meet.'),
  objectiveWindow: t(
    'Observation comptée seulement après l’événement observé et avant la fin de la situation.',
    'Observation counted only after the event it observes and before the situation ends.',
  ),
  vote: t(
    'Bonne réponse : oui quand la partition du votant a réellement la majorité des votes configurés (QDevice compris), non sinon — jamais d’après un quorum forcé par pvecm expected.',
    'Right answer: yes when the voter’s partition really holds a majority of the configured votes (QDevice included), no otherwise — never from a quorum forced with pvecm expected.',
  ),
  qdevice: t('Le vote du QDevice comparé à ce que son algorithme (ffsplit/lms) aurait fait.', 'The QDevice vote compared with what its algorithm (ffsplit/lms) would have done.'),
  forcedExpected: t(
    'pvecm expected dans une minorité : elle se donne un quorum que la majorité a déjà. Une seule pénalité, plafonnée, retirée de la note entière ; ses conséquences sont listées dessous.',
    'pvecm expected in a minority: it grants itself a quorum the majority already holds. One capped penalty, taken off the whole grade; its consequences are listed under it.',
  ),
  qdeviceMinority: t(
    'Le vote du QDevice donné à la main à une partition sans majorité réelle. Une seule pénalité, plafonnée, retirée de la note entière.',
    'The QDevice vote given by hand to a partition with no real majority. One capped penalty, taken off the whole grade.',
  ),
  presence: t(
    'Part des ticks où la salle a reçu les heartbeats (ou les pulsations) du navigateur de l’élève, pendant qu’il tenait la place.',
    'Share of ticks in which the room received heartbeats (or pulses) from the student’s browser while they held the seat.',
  ),
  presenceMembership: t(
    'Journal sans échantillons de présence : temps dans une membership corosync, rapporté au temps mesurable.',
    'Log without presence samples: time in a corosync membership over the time that could be measured.',
  ),
  commands: t(
    'Commandes distinctes liées aux notions du scénario (help, hostname… ne comptent pas).',
    'Distinct commands tied to the scenario’s notions (help, hostname… do not count).',
  ),
  teamParticipation: t('Participation de l’équipe : moyenne de celle de ses élèves.', 'Team participation: the mean of its students’.'),
};

/** A consequence (split-brain, lost writes) in the team's grade: the event's own sentence. */
export function consequenceText(e: SimEvent): I18nText {
  const l = describeEvent(e);
  return t(l.fr, l.en);
}

export function causeText(c: Cause): I18nText {
  return c.kind === 'forced-expected'
    ? t(`« ${c.line} » lancé sur ${c.node} dans une minorité`, `“${c.line}” run on ${c.node} in a minority`)
    : t(`Vote du QDevice donné à la main à ${c.line}, sans majorité réelle`, `QDevice vote given by hand to ${c.line}, with no real majority`);
}

export function decisionLine(d: JudgedVote | QdeviceDecision, points: number): GradeLine {
  const ok = t(d.right ? 'juste' : 'faux', d.right ? 'right' : 'wrong');
  if ('voteId' in d)
    return {
      part: 'competence',
      kind: 'decision',
      points,
      text: t(`${d.node} a voté ${d.yes ? 'oui' : 'non'} pour clôturer ${d.target} (${ok.fr})`, `${d.node} voted ${d.yes ? 'yes' : 'no'} on fencing ${d.target} (${ok.en})`),
      explain: EXPLAIN.vote,
      concept: 'fencing',
      seq: d.seq,
      at: d.at,
    };
  return {
    part: 'competence',
    kind: 'decision',
    points,
    text: t(
      `Vote du QDevice pour ${d.partition.join(', ')} (algorithme : ${d.algorithmChoice.join(', ')} ; ${ok.fr})`,
      `QDevice vote for ${d.partition.join(', ')} (algorithm: ${d.algorithmChoice.join(', ')}; ${ok.en})`,
    ),
    explain: EXPLAIN.qdevice,
    concept: 'qdevice',
    seq: d.seq,
    at: d.at,
  };
}
