// Engine events (src/sim/types.ts, SimEventBody) as short bilingual sentences, for the student's
// log and the teacher's feed. The browser may not import src/sim at run time, so events arrive as
// `unknown` and are read defensively: a field of an unexpected type prints as "?".
// `self` is the reader: a node name or "qdevice" for a student (sentences about their own node
// say "you"), null for the teacher. Which events are worth a line is each page's choice.
import type { Bi } from './i18n';
import type { IconName } from './icons';
import { POWER, REASON, VOTE_STATUS, word } from '../../src/protocol/vocabulary';
import { harmText } from './harm';
import { CAUSES, FAMILY_WORDS, RULES, type CauseId, type RuleId } from '../../src/protocol/diagnosis';

export { harmText };

export type Tone = 'ok' | 'warn' | 'bad' | 'info';
export interface Line extends Bi {
  tone: Tone;
  icon: IconName;
}

type Ev = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '?');
const list = (v: unknown) => (Array.isArray(v) && v.length ? v.map(str).join(', ') : '—');
const has = (v: unknown, name: string | null) => name !== null && Array.isArray(v) && v.includes(name);
/** Milliseconds as seconds with at most one decimal ("3,5" / "3.5"). */
const s1 = (v: unknown): Bi => {
  if (typeof v !== 'number' || !Number.isFinite(v)) return { fr: '?', en: '?' };
  const f = (loc: string) => (v / 1000).toLocaleString(loc, { maximumFractionDigits: 1 });
  return { fr: f('fr-FR'), en: f('en-GB') };
};

/** "1 vote" / "2 votes" in each language (French: 0 and 1 are singular). */
const count = (v: unknown, fr: [string, string], en: [string, string]): Bi => {
  const n = typeof v === 'number' ? v : Number.NaN;
  return { fr: `${str(v)} ${n >= 2 ? fr[1] : fr[0]}`, en: `${str(v)} ${n === 1 ? en[0] : en[1]}` };
};

export const line = (tone: Tone, icon: IconName, fr: string, en: string): Line => ({ tone, icon, fr, en });

const INCIDENT: Record<string, [string, string]> = {
  'two-quorate': ['deux partitions quorate', 'two quorate partitions'],
  'vm-twice': ['une VM tourne deux fois', 'a VM runs twice'],
  'cfs-diverged': ['/etc/pve a divergé', '/etc/pve diverged'],
};
const EXPECTED_WHY: Record<string, [string, string]> = {
  command: ['commande pvecm expected', 'pvecm expected command'],
  lms: ['last_man_standing', 'last_man_standing'],
  merge: ['fusion des partitions', 'partitions merged'],
};

const FAMILIES: Record<string, [string, string]> = Object.fromEntries(Object.entries(FAMILY_WORDS).map(([k, w]) => [k, [w.fr, w.en]]));

/** A diagnosis event's cause, nodes and rule, in both languages. */
function diagnosisText(e: Ev): Bi {
  const c = CAUSES[e.cause as CauseId];
  const r = RULES[e.rule as RuleId];
  return {
    fr: `${c?.fr ?? str(e.cause)} ; nœud(s) : ${list(e.nodes)} ; règle : ${r?.fr ?? str(e.rule)}`,
    en: `${c?.en ?? str(e.cause)}; node(s): ${list(e.nodes)}; rule: ${r?.en ?? str(e.rule)}`,
  };
}

export const incidentKind = (k: unknown): Bi => word(INCIDENT, k);
export const voteStatus = (st: unknown): Bi => word(VOTE_STATUS, st);
export const powerText = (p: unknown): Bi => word(POWER, p);

function qdeviceVote(e: Ev, self: string | null): Line {
  const to = Array.isArray(e.partition) ? e.partition : null;
  const algo = Array.isArray(e.algorithmChoice) ? e.algorithmChoice : null;
  // What the algorithm would have done, when the vote went elsewhere (a human choice).
  const other = algo && list(algo) !== list(to) ? { fr: ` (l’algorithme aurait choisi : ${list(algo)})`, en: ` (the algorithm would have picked: ${list(algo)})` } : { fr: '', en: '' };
  if (self === 'qdevice')
    return to
      ? line('info', 'ballot', `Mon vote va à : ${list(to)}${other.fr}.`, `My vote goes to: ${list(to)}${other.en}.`)
      : line('warn', 'ballot', `Mon vote ne va à personne${other.fr}.`, `My vote goes to nobody${other.en}.`);
  if (!to) return line('warn', 'ballot', `Le QDevice ne donne son vote à personne${other.fr}.`, `The QDevice gives its vote to nobody${other.en}.`);
  if (self && has(to, self)) return line('ok', 'ballot', `Le QDevice donne son vote à votre partition (${list(to)})${other.fr}.`, `The QDevice gives its vote to your partition (${list(to)})${other.en}.`);
  if (self) return line('warn', 'ballot', `Le QDevice donne son vote à une autre partition : ${list(to)}${other.fr}.`, `The QDevice gives its vote to another partition: ${list(to)}${other.en}.`);
  return line('info', 'ballot', `Le QDevice vote pour ${list(to)}${other.fr}.`, `The QDevice votes for ${list(to)}${other.en}.`);
}

/** One line for an engine event, seen by `self` (null: the teacher), or null for no line. */
export function describeEvent(raw: unknown, self: string | null = null): Line | null {
  if (!raw || typeof raw !== 'object') return null;
  const e = raw as Ev;
  const node = str(e.node);
  const mine = self !== null && e.node === self;
  switch (e.type) {
    case 'quorum-lost':
      return mine
        ? line('bad', 'cross', `Quorum perdu : ${count(e.votes, ['vote présent', 'votes présents'], ['', '']).fr}, il en faut ${str(e.quorum)}. /etc/pve passe en lecture seule.`, `Quorum lost: ${count(e.votes, ['', ''], ['vote present', 'votes present']).en}, ${str(e.quorum)} needed. /etc/pve is now read-only.`)
        : line('bad', 'cross', `${node} perd le quorum (${count(e.votes, ['vote', 'votes'], ['vote', 'votes']).fr}, il en faut ${str(e.quorum)}).`, `${node} lost quorum (${count(e.votes, ['vote', 'votes'], ['vote', 'votes']).en}, ${str(e.quorum)} needed).`);
    case 'quorum-regained':
      return mine
        ? line('ok', 'check', `Quorum retrouvé : ${str(e.votes)} votes (quorum ${str(e.quorum)}). /etc/pve est de nouveau modifiable.`, `Quorum regained: ${str(e.votes)} votes (quorum ${str(e.quorum)}). /etc/pve is writable again.`)
        : line('ok', 'check', `${node} retrouve le quorum (${str(e.votes)} votes, quorum ${str(e.quorum)}).`, `${node} regained quorum (${str(e.votes)} votes, quorum ${str(e.quorum)}).`);
    case 'node-dead':
      return mine
        ? // Each side of a split declares the other dead: say whose view it is, never "you are dead".
          Array.isArray(e.by) && e.by.length > 1
          ? line('bad', 'cross', `${list(e.by)} ne reçoivent plus vos heartbeats : de leur côté, votre nœud est compté comme mort.`, `${list(e.by)} no longer get your heartbeats: on their side, your node counts as dead.`)
          : line('bad', 'cross', `${list(e.by)} ne reçoit plus vos heartbeats : de son côté, votre nœud est compté comme mort.`, `${list(e.by)} no longer gets your heartbeats: on that side, your node counts as dead.`)
        : line('bad', 'cross', `${node} déclaré mort par ${list(e.by)} (plus de heartbeat).`, `${node} declared dead by ${list(e.by)} (no more heartbeats).`);
    case 'heartbeat-lost':
      return line('warn', 'warn', `Heartbeat perdu entre ${node} et ${str(e.peer)}.`, `Heartbeat lost between ${node} and ${str(e.peer)}.`);
    case 'membership-changed':
      return line('info', 'swap', `Nouvelle membership corosync : ${list(e.members)}.`, `New corosync membership: ${list(e.members)}.`);
    case 'expected-changed': {
      const why = word(EXPECTED_WHY, e.reason);
      return line(e.reason === 'command' ? 'bad' : 'warn', 'warn', `Votes attendus sur ${node} : ${str(e.expected)} (${why.fr}).`, `Expected votes on ${node}: ${str(e.expected)} (${why.en}).`);
    }
    case 'watchdog-armed': {
      const left = s1(typeof e.resetAt === 'number' && typeof e.at === 'number' ? e.resetAt - e.at : NaN);
      return line('bad', 'timer', `Watchdog armé sur ${node} : auto-fencing dans ${left.fr} s si le quorum ne revient pas.`, `Watchdog armed on ${node}: self-fencing in ${left.en} s unless quorum comes back.`);
    }
    case 'watchdog-disarmed':
      return line('ok', 'check', `Watchdog désarmé sur ${node}.`, `Watchdog disarmed on ${node}.`);
    case 'self-fenced':
      return line('bad', 'power', `${node} s’est auto-clôturé (watchdog) : redémarrage forcé. VM arrêtées : ${list(e.vms)}.`, `${node} fenced itself (watchdog): forced reset. VMs stopped: ${list(e.vms)}.`);
    case 'node-fence':
      return mine
        ? line('bad', 'warn', `Fencing de votre nœud demandé par ${list(e.by)}.`, `Fencing of your node requested by ${list(e.by)}.`)
        : line('warn', 'warn', `Fencing de ${node} demandé par ${list(e.by)}.`, `Fencing of ${node} requested by ${list(e.by)}.`);
    case 'fenced':
      return mine
        ? line('bad', 'power', `Votre nœud a été clôturé (fenced) par ${list(e.by)} : ses VM HA vont être relancées ailleurs.`, `Your node was fenced by ${list(e.by)}: its HA VMs will be recovered elsewhere.`)
        : line('warn', 'power', `${node} clôturé (fenced) par ${list(e.by)} : ses VM HA peuvent être relancées ailleurs.`, `${node} fenced by ${list(e.by)}: its HA VMs may be recovered elsewhere.`);
    case 'recovered':
      return line('ok', 'refresh', `${str(e.sid)} relancée sur ${str(e.to)} (venait de ${str(e.from)}).`, `${str(e.sid)} recovered on ${str(e.to)} (was on ${str(e.from)}).`);
    case 'recovery-stuck':
      return line('bad', 'warn', `${str(e.sid)} ne peut pas être relancée : ${str(e.reason)}.`, `${str(e.sid)} cannot be recovered: ${str(e.reason)}.`);
    case 'vm-started':
      return line('ok', 'play', `VM ${str(e.vmid)} démarrée sur ${node} (${word(REASON, e.reason).fr}).`, `VM ${str(e.vmid)} started on ${node} (${word(REASON, e.reason).en}).`);
    case 'vm-stopped':
      return line('warn', 'stop', `VM ${str(e.vmid)} arrêtée sur ${node} (${word(REASON, e.reason).fr}).`, `VM ${str(e.vmid)} stopped on ${node} (${word(REASON, e.reason).en}).`);
    case 'migrated':
      return line('info', 'arrow', `VM ${str(e.vmid)} migrée de ${str(e.from)} vers ${str(e.to)}${e.online ? ' (à chaud)' : ''}.`, `VM ${str(e.vmid)} migrated from ${str(e.from)} to ${str(e.to)}${e.online ? ' (online)' : ''}.`);
    case 'service-state':
      return line('info', 'dot', `Service ${str(e.sid)} : état HA « ${str(e.state)} » (${node}).`, `Service ${str(e.sid)}: HA state “${str(e.state)}” (${node}).`);
    case 'maintenance':
      return e.enabled
        ? line('info', 'wrench', `${node} passe en mode maintenance.`, `${node} enters maintenance mode.`)
        : line('info', 'wrench', `${node} sort du mode maintenance.`, `${node} leaves maintenance mode.`);
    case 'split-brain-started': {
      const k = incidentKind(e.kind);
      // A seat sees this event only when its own command opened it (src/sim/view.ts).
      if (self !== null) {
        const h = harmText(str(e.cause), str(e.kind));
        return line('bad', 'warn', h.fr, h.en);
      }
      return line('bad', 'warn', `SPLIT-BRAIN : ${k.fr} (${str(e.cause)}).`, `SPLIT-BRAIN: ${k.en} (${str(e.cause)}).`);
    }
    case 'split-brain-ended': {
      const d = s1(e.durationMs);
      return line('ok', 'check', `Fin du split-brain n°${str(e.incident)} après ${d.fr} s.`, `Split-brain #${str(e.incident)} over after ${d.en} s.`);
    }
    case 'pmxcfs-write':
      return line('info', 'pencil', `/etc/pve : ${str(e.path)} modifié par ${node} (${str(e.what)}).`, `/etc/pve: ${str(e.path)} written by ${node} (${str(e.what)}).`);
    case 'pmxcfs-refused':
      return line('bad', 'lock', `${node} : écriture refusée dans /etc/pve (lecture seule sans quorum) : ${str(e.path)}.`, `${node}: write refused in /etc/pve (read-only without quorum): ${str(e.path)}.`);
    case 'pmxcfs-merge': {
      const lost = Array.isArray(e.lost) ? e.lost.length : 0;
      return line('warn', 'swap', `/etc/pve resynchronisé sur la copie de ${list(e.winner)} (version ${str(e.version)}) ; ${count(lost, ['écriture perdue', 'écritures perdues'], ['', '']).fr}.`, `/etc/pve resynchronised from ${list(e.winner)}’s copy (version ${str(e.version)}); ${count(lost, ['', ''], ['write lost', 'writes lost']).en}.`);
    }
    case 'clock-skew': {
      const ms = typeof e.skewMs === 'number' ? e.skewMs : NaN;
      const d = s1(ms);
      const sign = ms > 0 ? '+' : '';
      return line('warn', 'clock', `Horloge de ${node} décalée de ${sign}${d.fr} s.`, `${node}’s clock is off by ${sign}${d.en} s.`);
    }
    case 'clock-synced':
      return line('ok', 'clock', `Horloge de ${node} resynchronisée.`, `${node}’s clock is back in sync.`);
    case 'node-power': {
      const p = powerText(e.power);
      return line(e.power === 'on' ? 'ok' : 'warn', 'power', `${node} : ${p.fr} (${word(REASON, e.reason).fr}).`, `${node}: ${p.en} (${word(REASON, e.reason).en}).`);
    }
    case 'qdevice-configured':
      return e.enabled
        ? line('ok', 'check', `QDevice configuré depuis ${node}.`, `QDevice set up from ${node}.`)
        : line('warn', 'warn', `QDevice retiré depuis ${node}.`, `QDevice removed from ${node}.`);
    case 'qdevice-vote':
      return qdeviceVote(e, self);
    case 'vote-opened':
      return line('warn', 'ballot', `Vote n°${str(e.voteId)} ouvert : clôturer ${str(e.target)} ? (votants : ${list(e.partition)}, quorum ${str(e.quorum)})`, `Vote #${str(e.voteId)} opened: fence ${str(e.target)}? (voters: ${list(e.partition)}, quorum ${str(e.quorum)})`);
    case 'vote-cast':
      return line('info', 'ballot', `${node} a voté ${e.yes ? 'oui' : 'non'} (vote n°${str(e.voteId)}).`, `${node} voted ${e.yes ? 'yes' : 'no'} (vote #${str(e.voteId)}).`);
    case 'vote-closed': {
      const st = voteStatus(e.status);
      return line(e.status === 'passed' ? 'ok' : 'warn', 'ballot', `Vote n°${str(e.voteId)} sur ${str(e.target)} : ${st.fr} (${str(e.yes)} oui, quorum ${str(e.quorum)}).`, `Vote #${str(e.voteId)} on ${str(e.target)}: ${st.en} (${str(e.yes)} yes, quorum ${str(e.quorum)}).`);
    }
    case 'command':
      return line(e.ok ? 'info' : 'warn', 'hash', `${node} $ ${str(e.line)}`, `${node} $ ${str(e.line)}`);
    case 'fault-applied':
      return null; // the teacher's feed words faults itself (teacher-lib/faults-text.ts)
    case 'seat-taken':
    case 'seat-left':
    case 'presence':
      return null; // room bookkeeping for grades (src/rooms/seat-log.ts): the roster shows seats
    case 'checkpoint-opened':
      return line('info', 'pencil', `Point d’étape « ${str(e.checkpoint)} » ouvert : questions à ${list(e.nodes)}.`, `Checkpoint "${str(e.checkpoint)}" opened: questions to ${list(e.nodes)}.`);
    case 'checkpoint-closed': {
      const r = e.results && typeof e.results === 'object' ? (e.results as Record<string, { ok?: unknown }[]>) : {};
      const per = Object.entries(r).map(([n, rs]) => `${n} ${Array.isArray(rs) ? rs.filter((x) => x?.ok === true).length : 0}/${Array.isArray(rs) ? rs.length : 0}`).join(', ');
      return line('info', 'pencil', `Point d’étape « ${str(e.checkpoint)} » fermé : ${per || 'aucune réponse'}.`, `Checkpoint "${str(e.checkpoint)}" closed: ${per || 'no answers'}.`);
    }
    case 'diagnosis': {
      const d = diagnosisText(e);
      return line('info', 'pencil', `Diagnostic de ${node} : ${d.fr}`, `Diagnosis from ${node}: ${d.en}`);
    }
    case 'drill-drawn':
      return line('info', 'warn', `Exercice d’incident tiré au sort : ${word(FAMILIES, e.family).fr}, à ${s1(e.atMs).fr} s.`, `Incident drill drawn: ${word(FAMILIES, e.family).en}, at ${s1(e.atMs).en} s.`);
    default:
      return typeof e.type === 'string' ? line('info', 'dot', e.type, e.type) : null;
  }
}
