// Engine events (src/sim/types.ts SimEventBody) as bilingual lines for the teacher's feed. The
// browser cannot import src/sim at run time, so events arrive as `unknown` and are read
// defensively: a field of an unexpected type prints as "?".
import { describeFault } from './faults-text';
import type { Bi } from './i18n';

export type Tone = 'ok' | 'warn' | 'bad' | 'info';
export interface Line extends Bi {
  tone: Tone;
  icon: string;
}

type Ev = Record<string, unknown>;
const s = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '?');
const list = (v: unknown) => (Array.isArray(v) && v.length ? v.map(s).join(', ') : '—');
const secs = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(Math.round(v / 1000)) : '?');
const L = (tone: Tone, icon: string, fr: string, en: string): Line => ({ tone, icon, fr, en });

export const INCIDENT_KIND: Record<string, Bi> = {
  'two-quorate': { fr: 'deux partitions quorate', en: 'two quorate partitions' },
  'vm-twice': { fr: 'VM lancée deux fois', en: 'VM running twice' },
  'cfs-diverged': { fr: '/etc/pve a divergé', en: '/etc/pve diverged' },
};

const VOTE_STATUS: Record<string, Bi> = {
  open: { fr: 'ouvert', en: 'open' },
  passed: { fr: 'adopté', en: 'passed' },
  rejected: { fr: 'rejeté', en: 'rejected' },
  expired: { fr: 'expiré', en: 'expired' },
  cancelled: { fr: 'annulé', en: 'cancelled' },
};
export const voteStatus = (st: string): Bi => VOTE_STATUS[st] ?? { fr: st, en: st };

const POWER: Record<string, Bi> = {
  on: { fr: 'allumé', en: 'on' },
  off: { fr: 'éteint', en: 'off' },
  booting: { fr: 'en démarrage', en: 'booting' },
};
export const powerText = (p: string): Bi => POWER[p] ?? { fr: p, en: p };

/** One line for an event, or null for events too chatty for the feed. */
export function describeEvent(raw: unknown): Line | null {
  if (!raw || typeof raw !== 'object') return null;
  const e = raw as Ev;
  const node = s(e.node);
  switch (e.type) {
    case 'fault-applied': {
      const f = describeFault(e.fault);
      const who: Bi = e.by === 'timeline' ? { fr: 'scénario', en: 'scenario' } : e.by === 'teacher' ? { fr: 'enseignant', en: 'teacher' } : { fr: s(e.by ?? '—'), en: s(e.by ?? '—') };
      return L('warn', '⚡', `Panne (${who.fr}) : ${f.fr}.`, `Fault (${who.en}): ${f.en}.`);
    }
    case 'node-dead':
      return L('bad', '✗', `${node} déclaré mort par ${list(e.by)}.`, `${node} declared dead by ${list(e.by)}.`);
    case 'membership-changed':
      return L('info', '↔', `Nouvelle membership : ${list(e.members)}.`, `New membership: ${list(e.members)}.`);
    case 'quorum-lost':
      return L('bad', '✗', `${node} perd le quorum (${s(e.votes)} vote(s), il en faut ${s(e.quorum)}).`, `${node} lost quorum (${s(e.votes)} vote(s), ${s(e.quorum)} needed).`);
    case 'quorum-regained':
      return L('ok', '✓', `${node} retrouve le quorum (${s(e.votes)} votes, quorum ${s(e.quorum)}).`, `${node} regained quorum (${s(e.votes)} votes, quorum ${s(e.quorum)}).`);
    case 'expected-changed': {
      const why: Bi = e.reason === 'command' ? { fr: 'pvecm expected', en: 'pvecm expected' } : e.reason === 'lms' ? { fr: 'last_man_standing', en: 'last_man_standing' } : { fr: 'fusion', en: 'merge' };
      return L(e.reason === 'command' ? 'bad' : 'warn', '⚠', `Votes attendus sur ${node} : ${s(e.expected)} (${why.fr}).`, `Expected votes on ${node}: ${s(e.expected)} (${why.en}).`);
    }
    case 'qdevice-vote':
      return Array.isArray(e.partition)
        ? L('info', '⚖', `Le QDevice vote pour ${list(e.partition)}.`, `The QDevice votes for ${list(e.partition)}.`)
        : L('warn', '⚖', 'Le QDevice ne vote pour personne.', 'The QDevice votes for nobody.');
    case 'vote-opened':
      return L('warn', '☑', `Vote n°${s(e.voteId)} ouvert : clôturer ${s(e.target)} ? (${list(e.partition)})`, `Vote #${s(e.voteId)} opened: fence ${s(e.target)}? (${list(e.partition)})`);
    case 'vote-cast':
      return L('info', '☑', `${node} vote ${e.yes ? 'oui' : 'non'} (n°${s(e.voteId)}).`, `${node} votes ${e.yes ? 'yes' : 'no'} (#${s(e.voteId)}).`);
    case 'vote-closed': {
      const st = voteStatus(s(e.status));
      return L(e.status === 'passed' ? 'ok' : 'warn', '☑', `Vote n°${s(e.voteId)} sur ${s(e.target)} : ${st.fr} (${s(e.yes)} oui, quorum ${s(e.quorum)}).`, `Vote #${s(e.voteId)} on ${s(e.target)}: ${st.en} (${s(e.yes)} yes, quorum ${s(e.quorum)}).`);
    }
    case 'watchdog-armed':
      return L('bad', '⚠', `Watchdog armé sur ${node} : reset dans ${secs(typeof e.resetAt === 'number' && typeof e.at === 'number' ? e.resetAt - e.at : NaN)} s sans quorum.`, `Watchdog armed on ${node}: reset in ${secs(typeof e.resetAt === 'number' && typeof e.at === 'number' ? e.resetAt - e.at : NaN)} s without quorum.`);
    case 'watchdog-disarmed':
      return L('ok', '✓', `Watchdog désarmé sur ${node}.`, `Watchdog disarmed on ${node}.`);
    case 'self-fenced':
      return L('bad', '↯', `${node} s’auto-clôture (watchdog). VM arrêtées : ${list(e.vms)}.`, `${node} fenced itself (watchdog). VMs stopped: ${list(e.vms)}.`);
    case 'node-fence':
      return L('warn', '⚠', `Fencing de ${node} demandé par ${list(e.by)}.`, `Fencing of ${node} requested by ${list(e.by)}.`);
    case 'fenced':
      return L('warn', '↯', `${node} clôturé par ${list(e.by)}.`, `${node} fenced by ${list(e.by)}.`);
    case 'recovered':
      return L('ok', '↻', `${s(e.sid)} relancée sur ${s(e.to)} (depuis ${s(e.from)}).`, `${s(e.sid)} recovered on ${s(e.to)} (from ${s(e.from)}).`);
    case 'recovery-stuck':
      return L('bad', '⚠', `${s(e.sid)} bloquée : ${s(e.reason)}.`, `${s(e.sid)} stuck: ${s(e.reason)}.`);
    case 'vm-started':
      return L('ok', '▶', `VM ${s(e.vmid)} démarrée sur ${node} (${s(e.reason)}).`, `VM ${s(e.vmid)} started on ${node} (${s(e.reason)}).`);
    case 'vm-stopped':
      return L('warn', '■', `VM ${s(e.vmid)} arrêtée sur ${node} (${s(e.reason)}).`, `VM ${s(e.vmid)} stopped on ${node} (${s(e.reason)}).`);
    case 'migrated':
      return L('info', '→', `VM ${s(e.vmid)} migrée de ${s(e.from)} vers ${s(e.to)}.`, `VM ${s(e.vmid)} migrated from ${s(e.from)} to ${s(e.to)}.`);
    case 'maintenance':
      return e.enabled ? L('info', '⚒', `${node} en maintenance.`, `${node} in maintenance.`) : L('info', '⚒', `${node} sort de maintenance.`, `${node} leaves maintenance.`);
    case 'split-brain-started': {
      const k = INCIDENT_KIND[s(e.kind)] ?? { fr: s(e.kind), en: s(e.kind) };
      return L('bad', '⚠', `SPLIT-BRAIN : ${k.fr} — ${s(e.cause)}`, `SPLIT-BRAIN: ${k.en} — ${s(e.cause)}`);
    }
    case 'split-brain-ended':
      return L('ok', '✓', `Fin de l’incident n°${s(e.incident)} après ${secs(e.durationMs)} s.`, `Incident #${s(e.incident)} over after ${secs(e.durationMs)} s.`);
    case 'pmxcfs-refused':
      return L('warn', '⊘', `${node} : écriture refusée dans /etc/pve (${s(e.path)}).`, `${node}: write refused in /etc/pve (${s(e.path)}).`);
    case 'pmxcfs-merge':
      return L('warn', '↔', `/etc/pve fusionné (gagnant ${list(e.winner)}), ${Array.isArray(e.lost) ? e.lost.length : 0} écriture(s) perdue(s).`, `/etc/pve merged (winner ${list(e.winner)}), ${Array.isArray(e.lost) ? e.lost.length : 0} write(s) lost.`);
    case 'clock-skew':
      return L('warn', '◷', `Horloge de ${node} décalée (${secs(e.skewMs)} s).`, `${node}’s clock is off (${secs(e.skewMs)} s).`);
    case 'clock-synced':
      return L('ok', '◷', `Horloge de ${node} resynchronisée.`, `${node}’s clock back in sync.`);
    case 'node-power': {
      const p = powerText(s(e.power));
      return L(e.power === 'on' ? 'ok' : 'warn', e.power === 'on' ? '●' : e.power === 'booting' ? '↻' : '○', `${node} : ${p.fr} (${s(e.reason)}).`, `${node}: ${p.en} (${s(e.reason)}).`);
    }
    case 'qdevice-configured':
      return e.enabled ? L('ok', '✓', `QDevice configuré depuis ${node}.`, `QDevice set up from ${node}.`) : L('warn', '⚠', `QDevice retiré depuis ${node}.`, `QDevice removed from ${node}.`);
    case 'command':
      return L(e.ok ? 'info' : 'warn', '›', `${node} $ ${s(e.line)}`, `${node} $ ${s(e.line)}`);
    case 'service-state':
    case 'pmxcfs-write':
    case 'heartbeat-lost':
      return null; // follow from other lines; too chatty for a classroom feed
    default:
      return typeof e.type === 'string' ? L('info', '•', e.type, e.type) : null;
  }
}
