// Bilingual wording of reports: one sentence per event, the course concept an event or command
// shows, and the short explanations printed beside grade lines. Pure data and pure functions.
import type { I18nText, ObjectiveCheck, SimEvent } from '../sim/types';

const t = (fr: string, en: string): I18nText => ({ fr, en });

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

/** What the explanations say, keyed by the kind of line. */
export const EXPLAIN = {
  objective: t(
    'Objectif du scénario, vérifié sur le journal des événements et l’état final.',
    'Scenario objective, checked against the event log and the final state.',
  ),
  objectiveMissed: t('Objectif non atteint : aucun point.', 'Objective missed: no points.'),
  availability: t(
    'Part du temps où chaque VM HA tournait sur exactement un nœud ; une VM qui tourne deux fois compte comme arrêtée.',
    'Share of the time each HA VM ran on exactly one node; a VM running twice counts as down.',
  ),
  splitBrain: t(
    'Deux partitions ont eu le quorum en même temps : chacune pouvait démarrer les mêmes VM et écrire dans /etc/pve.',
    'Two partitions held quorum at once: each could start the same VMs and write to /etc/pve.',
  ),
  forcedExpected: t(
    'pvecm expected abaisse les votes attendus : une partition minoritaire se donne un quorum que la majorité a déjà.',
    'pvecm expected lowers the expected votes: a minority partition grants itself a quorum the majority already holds.',
  ),
  expectedQuorate: t(
    'Votes attendus changés à la main dans une partition qui avait le quorum : à éviter, même quand c’est sans danger.',
    'Expected votes changed by hand in a partition that held quorum: best avoided, even when harmless.',
  ),
  skew: t(
    'Une horloge décalée de plus de 10 s perturbe corosync et les journaux ; chrony doit la resynchroniser.',
    'A clock more than 10 s off disturbs corosync and the logs; chrony must bring it back in sync.',
  ),
  vote: t(
    'La bonne réponse : oui quand la partition du votant avait le quorum à l’ouverture du vote (elle seule peut clôturer), non sinon.',
    'The right answer: yes when the voter’s partition held quorum when the vote opened (only it may fence), no otherwise.',
  ),
  team: t(
    'Chaque membre reçoit le résultat de son équipe : le cluster réussit ou échoue ensemble.',
    'Every member gets the team result: the cluster succeeds or fails as a whole.',
  ),
  presence: t(
    'Temps où le nœud de l’élève était dans une membership corosync avec d’autres nœuds, rapporté au temps où ses heartbeats pouvaient être entendus.',
    'Time the student’s node was in a corosync membership with other nodes, over the time its heartbeats could have been heard.',
  ),
  command: t(
    'Commande utilisée avec succès (un point par commande différente, plafonné).',
    'Command used successfully (one point per distinct command, capped).',
  ),
  qdeviceRight: t(
    'Le vote du QDevice est allé là où ffsplit/lms l’aurait donné.',
    'The QDevice vote went where ffsplit/lms would have given it.',
  ),
  qdeviceWrong: t(
    'Le vote du QDevice est allé ailleurs que là où ffsplit/lms l’aurait donné : il peut rendre une minorité quorate.',
    'The QDevice vote went elsewhere than ffsplit/lms would have given it: it can make a minority quorate.',
  ),
} satisfies Record<string, I18nText>;

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

/** A command line cut to its tool and subcommand: `qm migrate 100 pve2` → `qm migrate`. */
export function commandKey(line: string): string {
  const words = line.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '';
  const second = words[1];
  return second && /^[a-z][a-z-]*$/i.test(second) ? `${words[0]} ${second}` : words[0]!;
}

/** The concept a command shows. */
export function commandConcept(line: string): string {
  const k = commandKey(line);
  if (k === 'pvecm expected' || (k.startsWith('corosync-quorumtool') && /\s-e\b/.test(line))) return 'expected-votes';
  if (/^pvecm qdevice$/.test(k)) return 'qdevice';
  if (/^(pvecm|corosync-quorumtool|corosync-cfgtool)\b/.test(k)) return 'quorum';
  if (/^ha-manager\b/.test(k)) return /crm-command/.test(line) && /maintenance/.test(line) ? 'maintenance' : 'ha';
  if (/^(qm|pct) (migrate|remote-migrate)$/.test(k)) return 'live-migration';
  if (/^(chronyc|timedatectl|date|systemctl)\b/.test(k) && /chrony|ntp|time|date|makestep/.test(line)) return 'ntp';
  if (/\/etc\/pve|pmxcfs/.test(line)) return 'pmxcfs';
  if (/^(qm|pct)\b/.test(k)) return 'ha';
  return 'quorum';
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
        `Vote n°${e.voteId} sur ${e.target} clos : ${e.status} (${e.yes} oui, quorum ${e.quorum})`,
        `Vote #${e.voteId} on ${e.target} closed: ${e.status} (${e.yes} yes, quorum ${e.quorum})`,
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
      return t(`VM ${e.vmid} démarrée sur ${e.node} (${e.reason})`, `VM ${e.vmid} started on ${e.node} (${e.reason})`);
    case 'vm-stopped':
      return t(`VM ${e.vmid} arrêtée sur ${e.node} (${e.reason})`, `VM ${e.vmid} stopped on ${e.node} (${e.reason})`);
    case 'migrated':
      return t(`VM ${e.vmid} migrée de ${e.from} vers ${e.to}`, `VM ${e.vmid} migrated from ${e.from} to ${e.to}`);
    case 'service-state':
      return t(`${e.sid} : ${e.state} sur ${e.node}`, `${e.sid}: ${e.state} on ${e.node}`);
    case 'maintenance':
      return e.enabled ? t(`${e.node} en maintenance`, `${e.node} in maintenance`) : t(`${e.node} sort de maintenance`, `${e.node} leaves maintenance`);
    case 'split-brain-started':
      return t(`Split-brain (${e.kind}) : ${e.cause}`, `Split-brain (${e.kind}): ${e.cause}`);
    case 'split-brain-ended':
      return t(`Fin du split-brain (${e.kind}) après ${fmtDuration(e.durationMs)}`, `Split-brain (${e.kind}) over after ${fmtDuration(e.durationMs)}`);
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
      return t(`${e.node} : ${e.power} (${e.reason})`, `${e.node}: ${e.power} (${e.reason})`);
    case 'qdevice-configured':
      return e.enabled
        ? t(`QDevice configuré depuis ${e.node}`, `QDevice set up from ${e.node}`)
        : t(`QDevice retiré depuis ${e.node}`, `QDevice removed from ${e.node}`);
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
    'Les élèves sont rattachés au nœud et à l’équipe de leur place actuelle : un élève déplacé est noté sur sa nouvelle place pour toute la séance, et le temps où le nœud était en pilote automatique (avant l’arrivée ou après une exclusion) lui est compté.',
    'Students are attributed by their seat’s current node and team: a moved student is graded on the new seat for the whole session, and time the node spent on autopilot (before they joined or after a kick) counts for them.',
  ),
  t(
    'Les heartbeats ne sont pas enregistrés : la présence se déduit des changements de membership. Quand tous les pairs joignables sont seuls eux aussi, ce temps n’est compté ni pour ni contre l’élève.',
    'Heartbeats are not stored: presence is read from membership changes. When every reachable peer is alone too, that time counts neither for nor against the student.',
  ),
  t(
    'L’état final est reconstruit depuis le journal (processus des VM, alimentation, quorum, votes, horloges ; une configuration du QDevice est supposée atteindre tous les nœuds) : le total peut différer un peu du score enregistré par la salle, affiché à côté.',
    'The final state is rebuilt from the log (VM processes, power, quorum, votes, clocks; a QDevice setup is taken to reach every node): the total may differ slightly from the score the room stored, shown beside it.',
  ),
  t(
    'Le rôle du QDevice et les votes humains sont jugés selon le mode de vote choisi à la création du labo.',
    'QDevice choices and human votes are judged by the vote mode chosen when the lab was created.',
  ),
];
