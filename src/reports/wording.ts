// Bilingual wording of reports: the course concept an event or command shows, the timeline's
// event types and the limitations printed beside grades. Pure data and pure functions. The
// sentence of each event is src/protocol/wording.ts (shared with the pages).
import type { I18nText, ObjectiveCheck, SimEvent } from '../sim/types';
import { commandKey, commandNotion } from '../scoring';

export { commandKey };

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
    case 'knet-link':
      return 'networks';
    case 'backup-created':
    case 'vm-restored':
      return 'backup';
    case 'cluster-created':
    case 'node-joined':
    case 'node-removed':
      return 'cluster-build';
    case 'package-installed':
      return 'qdevice';
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
    // Commands are tied to their concept by their line (commandConcept); faults, power changes
    // and room events show no one concept.
    case 'command':
    case 'fault-applied':
    case 'node-power':
    case 'seat-taken':
    case 'seat-left':
    case 'presence':
    case 'checkpoint-opened':
    case 'checkpoint-closed':
    case 'diagnosis':
    case 'drill-drawn':
      return undefined;
    default: {
      const _exhaustive: never = type;
      return _exhaustive;
    }
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
    case 'vm-data-intact-at-end':
      return 'backup';
    case 'qdevice-configured-at-end':
      return 'qdevice';
    case 'all-quorate-at-end':
    case 'node-quorate-at-end':
      return 'quorum';
    case 'cluster-complete-at-end':
      return 'cluster-build';
    case 'events-in-order':
      return eventConcept(check.steps[0]?.type ?? 'command') ?? 'quorum';
    case 'skew-fixed-at-end':
      return 'ntp';
    case 'migrated-before-event':
      return 'maintenance';
    case 'corosync-link-at-end':
      return 'networks';
    case 'event':
    case 'no-event':
      if (check.type === 'command' && typeof check.match?.line === 'string') return commandConcept(check.match.line);
      return eventConcept(check.type) ?? 'quorum';
    default: {
      const _exhaustive: never = check;
      return _exhaustive;
    }
  }
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
  'backup-created',
  'vm-restored',
  'cluster-created',
  'node-joined',
  'node-removed',
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
