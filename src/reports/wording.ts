// Bilingual wording of reports: one sentence per event, the course concept an event or command
// shows, and the short explanations printed beside grade lines. Pure data and pure functions.
import type { I18nText, ObjectiveCheck, SimEvent } from '../sim/types';
import { commandKey, commandNotion, incidentCause, INCIDENT_KIND } from '../scoring';
import { POWER, REASON, VOTE_STATUS, word } from '../protocol/vocabulary';
import { CAUSES, FAMILY_WORDS, RULES, type Diagnosis } from '../protocol/diagnosis';

export { commandKey };

const t = (fr: string, en: string): I18nText => ({ fr, en });

/** A diagnosis in words: the cause, the nodes named, the rule. */
export function diagnosisWords(d: Diagnosis): I18nText {
  const c = CAUSES[d.cause];
  const r = RULES[d.rule];
  const nodes = d.nodes.length ? d.nodes.join(', ') : null;
  return t(`${c.fr} ; nœud(s) : ${nodes ?? 'aucun'} ; règle : ${r.fr}`, `${c.en}; node(s): ${nodes ?? 'none'}; rule: ${r.en}`);
}

/** Sim time as m:ss (h:mm:ss past an hour). */
export function fmtSim(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A duration in words: "45 s", "3 min 05 s". */
export function fmtDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return `${total} s`;
  return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`;
}

const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : '∅');

/** The course concept an event shows (keys of CONCEPTS in src/sim/scenarios.ts). */
export function eventConcept(type: SimEvent['type']): string | undefined {
  switch (type) {
    case 'heartbeat-lost':
    case 'node-dead':
    case 'membership-changed':
      return 'heartbeat';
    case 'quorum-lost':
    case 'quorum-regained':
    case 'vote-opened':
    case 'vote-cast':
    case 'vote-closed':
      return 'quorum';
    case 'expected-changed':
      return 'expected-votes';
    case 'qdevice-vote':
    case 'qdevice-configured':
      return 'qdevice';
    case 'watchdog-armed':
    case 'watchdog-disarmed':
    case 'self-fenced':
    case 'node-fence':
    case 'fenced':
      return 'fencing';
    case 'recovered':
    case 'recovery-stuck':
    case 'vm-started':
    case 'vm-stopped':
    case 'service-state':
      return 'ha';
    case 'migrated':
      return 'live-migration';
    case 'maintenance':
      return 'maintenance';
    case 'split-brain-started':
    case 'split-brain-ended':
      return 'split-brain';
    case 'pmxcfs-write':
    case 'pmxcfs-refused':
    case 'pmxcfs-merge':
      return 'pmxcfs';
    case 'clock-skew':
    case 'clock-synced':
      return 'ntp';
    default:
      return undefined;
  }
}

/** The concept a command shows (the notion table lives in src/scoring/notions.ts). */
export function commandConcept(line: string): string {
  return commandNotion(line) ?? 'quorum';
}

/** The concept an objective shows. */
export function objectiveConcept(check: ObjectiveCheck): string {
  switch (check.kind) {
    case 'no-split-brain':
      return 'split-brain';
    case 'vm-running-at-end':
      return 'ha';
    case 'qdevice-configured-at-end':
      return 'qdevice';
    case 'all-quorate-at-end':
      return 'quorum';
    case 'skew-fixed-at-end':
      return 'ntp';
    case 'migrated-before-event':
      return 'maintenance';
    case 'event':
    case 'no-event':
      if (check.type === 'command' && typeof check.match?.line === 'string') return commandConcept(check.match.line);
      return eventConcept(check.type) ?? 'quorum';
  }
}

/** An incident kind in words (`two-quorate` → "two quorate partitions"). */
export const incidentKind = (kind: string): I18nText => INCIDENT_KIND[kind] ?? t(kind, kind);

const yesNo = (yes: boolean) => t(yes ? 'oui' : 'non', yes ? 'yes' : 'no');

/** One sentence per event, in both languages. Names and free text are inserted raw: renderers escape. */
export function describeEvent(e: SimEvent): I18nText {
  switch (e.type) {
    case 'heartbeat-lost':
      return t(`${e.node} n’entend plus ${e.peer}`, `${e.node} no longer hears ${e.peer}`);
    case 'node-dead':
      return t(`${e.node} déclaré mort par ${list(e.by)}`, `${e.node} declared dead by ${list(e.by)}`);
    case 'membership-changed':
      return t(`Nouvelle membership (anneau ${e.ringId}) : ${list(e.members)}`, `New membership (ring ${e.ringId}): ${list(e.members)}`);
    case 'quorum-lost':
      return t(`${e.node} perd le quorum (${e.votes} votes, quorum ${e.quorum})`, `${e.node} loses quorum (${e.votes} votes, quorum ${e.quorum})`);
    case 'quorum-regained':
      return t(`${e.node} a le quorum (${e.votes} votes, quorum ${e.quorum})`, `${e.node} is quorate (${e.votes} votes, quorum ${e.quorum})`);
    case 'expected-changed': {
      const why = { command: t('commande', 'command'), lms: t('last_man_standing', 'last_man_standing'), merge: t('fusion', 'merge'), downscale: t('allow_downscale, départ propre', 'allow_downscale, clean leave') }[e.reason];
      return t(`Votes attendus de ${e.node} : ${e.expected} (${why.fr})`, `Expected votes of ${e.node}: ${e.expected} (${why.en})`);
    }
    case 'qdevice-vote':
      return e.partition
        ? t(`Le QDevice vote pour ${list(e.partition)}`, `The QDevice votes for ${list(e.partition)}`)
        : t('Le QDevice ne vote pour personne', 'The QDevice votes for nobody');
    case 'vote-opened':
      return t(
        `Vote n°${e.voteId} ouvert : clôturer ${e.target} ? (${list(e.partition)}, quorum ${e.quorum})`,
        `Vote #${e.voteId} opened: fence ${e.target}? (${list(e.partition)}, quorum ${e.quorum})`,
      );
    case 'vote-cast':
      return t(`${e.node} vote ${yesNo(e.yes).fr} (vote n°${e.voteId})`, `${e.node} votes ${yesNo(e.yes).en} (vote #${e.voteId})`);
    case 'vote-closed':
      return t(
        `Vote n°${e.voteId} sur ${e.target} clos : ${word(VOTE_STATUS, e.status).fr} (${e.yes} oui, quorum ${e.quorum})`,
        `Vote #${e.voteId} on ${e.target} closed: ${word(VOTE_STATUS, e.status).en} (${e.yes} yes, quorum ${e.quorum})`,
      );
    case 'watchdog-armed':
      return t(`Watchdog armé sur ${e.node} (reset à ${fmtSim(e.resetAt)})`, `Watchdog armed on ${e.node} (reset at ${fmtSim(e.resetAt)})`);
    case 'watchdog-disarmed':
      return t(`Watchdog désarmé sur ${e.node}`, `Watchdog disarmed on ${e.node}`);
    case 'self-fenced':
      return t(`${e.node} s’auto-clôture (watchdog)`, `${e.node} fences itself (watchdog)`);
    case 'node-fence':
      return t(`${list(e.by)} marquent ${e.node} à clôturer`, `${list(e.by)} mark ${e.node} for fencing`);
    case 'fenced':
      return t(`${e.node} clôturé par ${list(e.by)}`, `${e.node} fenced by ${list(e.by)}`);
    case 'recovered':
      return t(`${e.sid} repris de ${e.from} vers ${e.to}`, `${e.sid} recovered from ${e.from} to ${e.to}`);
    case 'recovery-stuck':
      return t(`Reprise de ${e.sid} bloquée : ${e.reason}`, `Recovery of ${e.sid} stuck: ${e.reason}`);
    case 'vm-started':
      return t(`VM ${e.vmid} démarrée sur ${e.node} (${word(REASON, e.reason).fr})`, `VM ${e.vmid} started on ${e.node} (${word(REASON, e.reason).en})`);
    case 'vm-stopped':
      return t(`VM ${e.vmid} arrêtée sur ${e.node} (${word(REASON, e.reason).fr})`, `VM ${e.vmid} stopped on ${e.node} (${word(REASON, e.reason).en})`);
    case 'migrated':
      return t(`VM ${e.vmid} migrée de ${e.from} vers ${e.to}`, `VM ${e.vmid} migrated from ${e.from} to ${e.to}`);
    case 'service-state':
      return t(`${e.sid} : ${e.state} sur ${e.node}`, `${e.sid}: ${e.state} on ${e.node}`);
    case 'maintenance':
      return e.enabled ? t(`${e.node} en maintenance`, `${e.node} in maintenance`) : t(`${e.node} sort de maintenance`, `${e.node} leaves maintenance`);
    case 'split-brain-started': {
      const c = incidentCause(e.cause);
      const k = incidentKind(e.kind);
      return t(`Split-brain (${k.fr}) : ${c.fr}`, `Split-brain (${k.en}): ${c.en}`);
    }
    case 'split-brain-ended':
      return t(`Fin du split-brain (${incidentKind(e.kind).fr}) après ${fmtDuration(e.durationMs)}`, `Split-brain (${incidentKind(e.kind).en}) over after ${fmtDuration(e.durationMs)}`);
    case 'pmxcfs-write':
      return t(`${e.node} écrit ${e.path}`, `${e.node} writes ${e.path}`);
    case 'pmxcfs-refused':
      return t(`Écriture refusée sur ${e.node} (${e.path}) : pas de quorum`, `Write refused on ${e.node} (${e.path}): no quorum`);
    case 'pmxcfs-merge':
      return t(
        `/etc/pve fusionné (version ${e.version}), ${e.lost.length} écriture(s) perdue(s)`,
        `/etc/pve merged (version ${e.version}), ${e.lost.length} write(s) lost`,
      );
    case 'clock-skew':
      return t(`Horloge de ${e.node} décalée de ${Math.round(e.skewMs / 1000)} s`, `Clock of ${e.node} off by ${Math.round(e.skewMs / 1000)} s`);
    case 'clock-synced':
      return t(`Horloge de ${e.node} resynchronisée`, `Clock of ${e.node} back in sync`);
    case 'command':
      return t(`${e.node} $ ${e.line}${e.ok ? '' : ' (échec)'}`, `${e.node} $ ${e.line}${e.ok ? '' : ' (failed)'}`);
    case 'fault-applied':
      return describeFault(e.fault, e.by);
    case 'node-power':
      return t(`${e.node} : ${word(POWER, e.power).fr} (${word(REASON, e.reason).fr})`, `${e.node}: ${word(POWER, e.power).en} (${word(REASON, e.reason).en})`);
    case 'qdevice-configured':
      return e.enabled
        ? t(`QDevice configuré depuis ${e.node}`, `QDevice set up from ${e.node}`)
        : t(`QDevice retiré depuis ${e.node}`, `QDevice removed from ${e.node}`);
    case 'seat-taken':
      return t(`Un étudiant prend la place de ${e.node}`, `A student takes the seat of ${e.node}`);
    case 'seat-left':
      return e.reason === 'kicked'
        ? t(`L’étudiant de ${e.node} est retiré`, `The student of ${e.node} is removed`)
        : e.reason === 'moved'
          ? t(`L’étudiant de ${e.node} change d’équipe`, `The student of ${e.node} moves to another team`)
          : t(`L’étudiant de ${e.node} quitte sa place`, `The student of ${e.node} leaves the seat`);
    case 'presence':
      return t(`${e.node} : ${e.heard} heartbeat(s) reçus sur ${e.ticks} ticks`, `${e.node}: ${e.heard} heartbeat(s) received over ${e.ticks} ticks`);
    case 'checkpoint-opened':
      return t(
        `Point d’étape « ${e.checkpoint} » ouvert${e.by === 'teacher' ? ' par l’enseignant' : ''} : questions à ${e.nodes.join(', ') || 'personne'}`,
        `Checkpoint "${e.checkpoint}" opened${e.by === 'teacher' ? ' by the teacher' : ''}: questions to ${e.nodes.join(', ') || 'nobody'}`,
      );
    case 'checkpoint-closed': {
      const per = Object.entries(e.results).map(([n, rs]) => `${n} ${rs.filter((r) => r.ok).length}/${rs.length}`).join(', ');
      const why = e.reason === 'teacher' ? t('par l’enseignant', 'by the teacher') : e.reason === 'all-answered' ? t('tout le monde a répondu', 'everyone answered') : t('temps écoulé', 'time is up');
      return t(`Point d’étape « ${e.checkpoint} » fermé (${why.fr}) : ${per || 'aucune réponse'}`, `Checkpoint "${e.checkpoint}" closed (${why.en}): ${per || 'no answers'}`);
    }
    case 'diagnosis': {
      const d = diagnosisWords(e);
      return t(`Diagnostic de ${e.node} : ${d.fr}`, `Diagnosis from ${e.node}: ${d.en}`);
    }
    case 'drill-drawn': {
      const f = describeFault(e.fault);
      return t(`Exercice d’incident (${FAMILY_WORDS[e.family].fr}) : tiré au sort pour cette équipe, à ${fmtSim(e.atMs)} — ${f.fr}`, `Incident drill (${FAMILY_WORDS[e.family].en}): drawn for this team, at ${fmtSim(e.atMs)} — ${f.en}`);
    }
    default: {
      const _exhaustive: never = e;
      return _exhaustive;
    }
  }
}

function describeFault(f: Extract<SimEvent, { type: 'fault-applied' }>['fault'], by?: string): I18nText {
  const who = by === 'timeline' ? t(' (scénario)', ' (scenario)') : by === 'teacher' ? t(' (enseignant)', ' (teacher)') : by ? t(` (${by})`, ` (${by})`) : t('', '');
  let what: I18nText;
  switch (f.kind) {
    case 'power':
      what = t(`Panne : ${f.action} sur ${f.node}`, `Fault: ${f.action} on ${f.node}`);
      break;
    case 'link':
      what = t(`Lien ${f.a}–${f.b} ${f.cut ? 'coupé' : 'rétabli'}${f.oneWay ? ' (un sens)' : ''}`, `Link ${f.a}–${f.b} ${f.cut ? 'cut' : 'restored'}${f.oneWay ? ' (one way)' : ''}`);
      break;
    case 'partition':
      what = t(`Partition réseau : ${f.groups.map((g) => `{${g.join(', ')}}`).join(' | ')}`, `Network partition: ${f.groups.map((g) => `{${g.join(', ')}}`).join(' | ')}`);
      break;
    case 'isolate':
      what = t(`${f.node} isolé du réseau`, `${f.node} cut off the network`);
      break;
    case 'heal':
      what = t('Réseau rétabli', 'Network healed');
      break;
    case 'link-quality':
      what = t(`Lien ${f.a}–${f.b} : ${Math.round(f.loss * 100)} % de pertes, ${f.latencyMs} ms`, `Link ${f.a}–${f.b}: ${Math.round(f.loss * 100)} % loss, ${f.latencyMs} ms`);
      break;
    case 'clock-skew':
      what = t(`Horloge de ${f.node} décalée de ${Math.round(f.skewMs / 1000)} s`, `Clock of ${f.node} shifted by ${Math.round(f.skewMs / 1000)} s`);
      break;
    case 'qdevice-host':
      what = t(`Hôte QDevice ${f.up ? 'rallumé' : 'arrêté'}`, `QDevice host ${f.up ? 'up' : 'down'}`);
      break;
    case 'qdevice-reach':
      what = t(`QDevice ${f.reachable ? 'joignable' : 'injoignable'} depuis ${f.node}`, `QDevice ${f.reachable ? 'reachable' : 'unreachable'} from ${f.node}`);
      break;
    case 'storage':
      what = t(`Stockage partagé ${f.up ? 'rétabli' : 'en panne'}`, `Shared storage ${f.up ? 'back' : 'down'}`);
      break;
  }
  return t(what.fr + who.fr, what.en + who.en);
}

/** Event types that make the team timeline (the rest stays in the replay). */
export const TIMELINE_TYPES: ReadonlySet<SimEvent['type']> = new Set<SimEvent['type']>([
  'fault-applied',
  'node-power',
  'node-dead',
  'membership-changed',
  'quorum-lost',
  'quorum-regained',
  'expected-changed',
  'qdevice-vote',
  'qdevice-configured',
  'vote-opened',
  'vote-closed',
  'self-fenced',
  'fenced',
  'recovered',
  'recovery-stuck',
  'migrated',
  'maintenance',
  'split-brain-started',
  'split-brain-ended',
  'pmxcfs-merge',
  'clock-skew',
  'clock-synced',
]);

export const LIMITATIONS: I18nText[] = [
  t(
    'Présence, commandes et votes reviennent à l’élève qui tenait la place à ce moment (déplacements, exclusions et retours compris). Les journaux antérieurs à l’enregistrement des places attribuent toute la séance à la place actuelle.',
    'Presence, commands and votes belong to the student who held the seat at that moment (moves, kicks and rejoins included). Logs older than seat recording attribute the whole session to the current seat.',
  ),
  t(
    'La présence compte les heartbeats (ou pulsations) que la salle a reçus, échantillonnés tous les 10 ticks ; sans échantillons, elle se déduit des changements de membership.',
    'Presence counts the heartbeats (or pulses) the room received, sampled every 10 ticks; without samples it is read from membership changes.',
  ),
  t(
    'La référence « pilote automatique seul » rejoue le même scénario et les mêmes pannes sur le moteur, sans élève. L’état final de l’équipe est reconstruit depuis le journal (une configuration du QDevice est supposée atteindre tous les nœuds).',
    'The “autopilot alone” reference replays the same scenario and faults on the engine, without students. The team’s final state is rebuilt from the log (a QDevice setup is taken to reach every node).',
  ),
  t(
    'Les votes humains et le rôle du QDevice sont jugés selon le mode de vote choisi à la création du labo.',
    'Human votes and QDevice choices are judged by the vote mode chosen when the lab was created.',
  ),
];
