// Engine events (src/sim/types.ts, SimEventBody) as short sentences for the student's log.
// The browser may not import src/sim at runtime, so events arrive as `unknown` and are read
// defensively: a field of the wrong type prints as "?".
import type { Bi } from './i18n';
import type { IconName } from './icons';

export type Tone = 'ok' | 'warn' | 'bad' | 'info';
export interface Line extends Bi {
  tone: Tone;
  icon: IconName;
}

type Ev = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '?');
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);
const list = (v: unknown) => (Array.isArray(v) && v.length ? v.map(str).join(', ') : '—');
const s1 = (ms: number, l: 'fr' | 'en') =>
  Number.isFinite(ms) ? (ms / 1000).toLocaleString(l === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }) : '?';

function line(tone: Tone, icon: IconName, fr: string, en: string): Line {
  return { tone, icon, fr, en };
}

const VOTE_STATUS: Record<string, Bi> = {
  passed: { fr: 'adopté', en: 'passed' },
  rejected: { fr: 'rejeté', en: 'rejected' },
  expired: { fr: 'expiré', en: 'expired' },
  cancelled: { fr: 'annulé', en: 'cancelled' },
};

const POWER: Record<string, Bi> = {
  on: { fr: 'allumé', en: 'on' },
  off: { fr: 'éteint', en: 'off' },
  booting: { fr: 'en démarrage', en: 'booting' },
};

const SPLIT_KIND: Record<string, Bi> = {
  'two-quorate': { fr: 'deux partitions quorate', en: 'two quorate partitions' },
  'vm-twice': { fr: 'une VM tourne deux fois', en: 'a VM runs twice' },
  'cfs-diverged': { fr: '/etc/pve a divergé', en: '/etc/pve diverged' },
};

/** One log line for an engine event, or null for events not worth a line. */
export function describeEvent(raw: unknown): Line | null {
  if (!raw || typeof raw !== 'object') return null;
  const e = raw as Ev;
  const node = str(e.node);
  switch (e.type) {
    case 'quorum-lost':
      return line('bad', 'cross', `Quorum perdu : ${str(e.votes)} vote(s) présent(s), il en faut ${str(e.quorum)}. /etc/pve passe en lecture seule.`, `Quorum lost: ${str(e.votes)} vote(s) present, ${str(e.quorum)} needed. /etc/pve is now read-only.`);
    case 'quorum-regained':
      return line('ok', 'check', `Quorum retrouvé : ${str(e.votes)} votes (quorum ${str(e.quorum)}). /etc/pve est de nouveau modifiable.`, `Quorum regained: ${str(e.votes)} votes (quorum ${str(e.quorum)}). /etc/pve is writable again.`);
    case 'node-dead':
      return line('bad', 'cross', `${node} déclaré mort par ${list(e.by)} (plus de heartbeat).`, `${node} declared dead by ${list(e.by)} (no more heartbeats).`);
    case 'heartbeat-lost':
      return line('warn', 'warn', `Heartbeat perdu entre ${node} et ${str(e.peer)}.`, `Heartbeat lost between ${node} and ${str(e.peer)}.`);
    case 'membership-changed':
      return line('info', 'swap', `Nouvelle membership corosync : ${list(e.members)}.`, `New corosync membership: ${list(e.members)}.`);
    case 'expected-changed': {
      const why: Bi = e.reason === 'command' ? { fr: 'commande pvecm expected', en: 'pvecm expected command' } : e.reason === 'lms' ? { fr: 'last_man_standing', en: 'last_man_standing' } : { fr: 'fusion des partitions', en: 'partitions merged' };
      return line('warn', 'warn', `Votes attendus sur ${node} : ${str(e.expected)} (${why.fr}).`, `Expected votes on ${node}: ${str(e.expected)} (${why.en}).`);
    }
    case 'watchdog-armed': {
      const left = num(e.resetAt) - num(e.at);
      return line('bad', 'timer', `Watchdog armé sur ${node} : auto-fencing dans ${s1(left, 'fr')} s si le quorum ne revient pas.`, `Watchdog armed on ${node}: self-fencing in ${s1(left, 'en')} s unless quorum comes back.`);
    }
    case 'watchdog-disarmed':
      return line('ok', 'check', `Watchdog désarmé sur ${node}.`, `Watchdog disarmed on ${node}.`);
    case 'self-fenced':
      return line('bad', 'power', `${node} s'est auto-clôturé (watchdog) : redémarrage forcé. VM arrêtées : ${list(e.vms)}.`, `${node} fenced itself (watchdog): forced reset. VMs stopped: ${list(e.vms)}.`);
    case 'node-fence':
      return line('warn', 'warn', `Fencing de ${node} demandé par ${list(e.by)}.`, `Fencing of ${node} requested by ${list(e.by)}.`);
    case 'fenced':
      return line('warn', 'power', `${node} clôturé (fenced) par ${list(e.by)} : ses VM HA peuvent être relancées ailleurs.`, `${node} fenced by ${list(e.by)}: its HA VMs may be recovered elsewhere.`);
    case 'recovered':
      return line('ok', 'refresh', `${str(e.sid)} relancée sur ${str(e.to)} (venait de ${str(e.from)}).`, `${str(e.sid)} recovered on ${str(e.to)} (was on ${str(e.from)}).`);
    case 'recovery-stuck':
      return line('bad', 'warn', `${str(e.sid)} ne peut pas être relancée : ${str(e.reason)}.`, `${str(e.sid)} cannot be recovered: ${str(e.reason)}.`);
    case 'vm-started':
      return line('ok', 'play', `VM ${str(e.vmid)} démarrée sur ${node} (${str(e.reason)}).`, `VM ${str(e.vmid)} started on ${node} (${str(e.reason)}).`);
    case 'vm-stopped':
      return line('warn', 'stop', `VM ${str(e.vmid)} arrêtée sur ${node} (${str(e.reason)}).`, `VM ${str(e.vmid)} stopped on ${node} (${str(e.reason)}).`);
    case 'migrated':
      return line('info', 'arrow', `VM ${str(e.vmid)} migrée de ${str(e.from)} vers ${str(e.to)}${e.online ? ' (à chaud)' : ''}.`, `VM ${str(e.vmid)} migrated from ${str(e.from)} to ${str(e.to)}${e.online ? ' (online)' : ''}.`);
    case 'service-state':
      return line('info', 'dot', `Service ${str(e.sid)} : état HA « ${str(e.state)} » (${node}).`, `Service ${str(e.sid)}: HA state “${str(e.state)}” (${node}).`);
    case 'maintenance':
      return e.enabled
        ? line('info', 'wrench', `${node} passe en mode maintenance.`, `${node} enters maintenance mode.`)
        : line('info', 'wrench', `${node} sort du mode maintenance.`, `${node} leaves maintenance mode.`);
    case 'split-brain-started': {
      const k = SPLIT_KIND[str(e.kind)] ?? { fr: str(e.kind), en: str(e.kind) };
      return line('bad', 'warn', `SPLIT-BRAIN : ${k.fr} (${str(e.cause)}).`, `SPLIT-BRAIN: ${k.en} (${str(e.cause)}).`);
    }
    case 'split-brain-ended':
      return line('ok', 'check', `Fin du split-brain après ${s1(num(e.durationMs), 'fr')} s.`, `Split-brain over after ${s1(num(e.durationMs), 'en')} s.`);
    case 'pmxcfs-write':
      return line('info', 'pencil', `/etc/pve : ${str(e.path)} modifié (${str(e.what)}).`, `/etc/pve: ${str(e.path)} written (${str(e.what)}).`);
    case 'pmxcfs-refused':
      return line('bad', 'lock', `Écriture refusée dans /etc/pve (lecture seule sans quorum) : ${str(e.path)}.`, `Write refused in /etc/pve (read-only without quorum): ${str(e.path)}.`);
    case 'pmxcfs-merge':
      return line('warn', 'swap', `/etc/pve resynchronisé (version ${str(e.version)}) ; ${Array.isArray(e.lost) ? e.lost.length : 0} écriture(s) perdue(s).`, `/etc/pve resynchronised (version ${str(e.version)}); ${Array.isArray(e.lost) ? e.lost.length : 0} write(s) lost.`);
    case 'clock-skew': {
      const ms = num(e.skewMs);
      const sign = ms > 0 ? '+' : '';
      return line('warn', 'clock', `Horloge de ${node} décalée de ${sign}${s1(ms, 'fr')} s.`, `${node}'s clock is off by ${sign}${s1(ms, 'en')} s.`);
    }
    case 'clock-synced':
      return line('ok', 'clock', `Horloge de ${node} resynchronisée.`, `${node}'s clock is back in sync.`);
    case 'node-power': {
      const p = POWER[str(e.power)] ?? { fr: str(e.power), en: str(e.power) };
      return line(e.power === 'on' ? 'ok' : 'warn', 'power', `${node} : ${p.fr} (${str(e.reason)}).`, `${node}: ${p.en} (${str(e.reason)}).`);
    }
    case 'qdevice-configured':
      return e.enabled
        ? line('ok', 'check', `QDevice configuré depuis ${node}.`, `QDevice set up from ${node}.`)
        : line('warn', 'warn', `QDevice retiré depuis ${node}.`, `QDevice removed from ${node}.`);
    case 'qdevice-vote':
      return Array.isArray(e.partition)
        ? line('info', 'ballot', `Le QDevice donne son vote à : ${list(e.partition)}.`, `The QDevice gives its vote to: ${list(e.partition)}.`)
        : line('warn', 'ballot', 'Le QDevice ne donne son vote à personne.', 'The QDevice gives its vote to nobody.');
    case 'vote-opened':
      return line('warn', 'ballot', `Vote n°${str(e.voteId)} ouvert : clôturer ${str(e.target)} ?`, `Vote #${str(e.voteId)} opened: fence ${str(e.target)}?`);
    case 'vote-cast':
      return line('info', 'ballot', `${node} a voté ${e.yes ? 'oui' : 'non'} (vote n°${str(e.voteId)}).`, `${node} voted ${e.yes ? 'yes' : 'no'} (vote #${str(e.voteId)}).`);
    case 'vote-closed': {
      const st = VOTE_STATUS[str(e.status)] ?? { fr: str(e.status), en: str(e.status) };
      return line(e.status === 'passed' ? 'ok' : 'warn', 'ballot', `Vote n°${str(e.voteId)} sur ${str(e.target)} : ${st.fr} (${str(e.yes)} oui, quorum ${str(e.quorum)}).`, `Vote #${str(e.voteId)} on ${str(e.target)}: ${st.en} (${str(e.yes)} yes, quorum ${str(e.quorum)}).`);
    }
    case 'command':
    case 'fault-applied':
      return null; // the terminal already shows commands; faults are the teacher's secret
    default:
      return typeof e.type === 'string' ? line('info', 'dot', e.type, e.type) : null;
  }
}
