// Engine events and faults as bilingual sentences: the ONE place that phrases them, for the
// student's journal, the teacher's feed and lists, and the reports. Every `switch` here ends in an
// exhaustiveness check, so a new event or fault kind cannot ship without its French and English
// sentence. Names and free text are inserted raw: each renderer escapes (DOM text, reports' esc).
// `self` is the reader: a node name or "qdevice" for a student (sentences about their own node
// say "you"), null for the teacher and the reports. Which events are worth a line is each page's
// choice. Runtime imports: only ./vocabulary (the browser bundles this file).
import type { Fault, SimEvent } from '../sim/types.js';
import { POWER, REASON, VOTE_STATUS, word, type Words } from './vocabulary.js';
import { CAUSES, FAMILY_WORDS, RULES, type Diagnosis } from './diagnosis.js';
import { harmText } from './harm.js';

export { harmText };

export type { Words };
export type Tone = 'ok' | 'warn' | 'bad' | 'info';
/** The icons an event line may carry (web/lib/icons.ts draws them; a type check there keeps them in step). */
export type EventIcon =
  | 'check' | 'cross' | 'warn' | 'power' | 'timer' | 'clock' | 'lock' | 'pencil' | 'play' | 'stop'
  | 'ballot' | 'swap' | 'refresh' | 'arrow' | 'dot' | 'wrench' | 'hash' | 'plug' | 'bolt';
export interface Line extends Words {
  tone: Tone;
  icon: EventIcon;
}

export const line = (tone: Tone, icon: EventIcon, fr: string, en: string): Line => ({ tone, icon, fr, en });

/** knet's journal lines (`[KNET  ] link: host: 2 link: 0 is down`, `host: host: 2 (passive) best
 * link: 1 (pri: 20)`), said once for both languages. */
function knetLine(e: Extract<SimEvent, { type: 'knet-link' }>): Line {
  const links = (xs: number[]) => xs.join(', ');
  const parts: Words[] = [];
  if (e.down.length) parts.push(w(`lien ${links(e.down)} coupé`, `link ${links(e.down)} down`));
  if (e.up.length) parts.push(w(`lien ${links(e.up)} rétabli`, `link ${links(e.up)} up`));
  const what = { fr: parts.map((p) => p.fr).join(', '), en: parts.map((p) => p.en).join(', ') };
  const head = (x: string) => (x ? `${x} ; ` : '');
  const headEn = (x: string) => (x ? `${x}; ` : '');
  if (e.best === null)
    return line('bad', 'cross', `[KNET] ${e.node} → ${e.peer} : ${head(what.fr)}plus aucun lien corosync.`, `[KNET] ${e.node} → ${e.peer}: ${headEn(what.en)}no corosync link left.`);
  return line(
    e.down.length ? 'warn' : 'ok',
    'swap',
    `[KNET] ${e.node} → ${e.peer} : ${head(what.fr)}le trafic passe par le lien ${e.best} (priorité ${e.priority}).`,
    `[KNET] ${e.node} → ${e.peer}: ${headEn(what.en)}traffic goes over link ${e.best} (priority ${e.priority}).`,
  );
}
const w = (fr: string, en: string): Words => ({ fr, en });

const list = (xs: readonly (string | number)[] | null | undefined) => (xs && xs.length ? xs.join(', ') : '—');
/** Milliseconds as seconds with at most one decimal ("3,5" / "3.5"). */
export function seconds(ms: number): Words {
  if (!Number.isFinite(ms)) return w('?', '?');
  const f = (loc: string) => (ms / 1000).toLocaleString(loc, { maximumFractionDigits: 1 });
  return w(f('fr-FR'), f('en-GB'));
}
/** "1 vote" / "2 votes" in each language (French: 0 and 1 are singular). */
const count = (n: number, fr: [string, string], en: [string, string]): Words => w(`${n} ${n >= 2 ? fr[1] : fr[0]}`, `${n} ${n === 1 ? en[0] : en[1]}`);

/** Incident kinds of the split-brain checkers (src/sim/rules/incidents.ts). */
export const INCIDENT_KIND: Record<string, Words> = {
  'two-quorate': w('deux partitions quorate', 'two quorate partitions'),
  'vm-twice': w('VM en double', 'VM running twice'),
  'cfs-diverged': w('/etc/pve divergent', '/etc/pve diverged'),
};
export const incidentKind = (k: string): Words => INCIDENT_KIND[k] ?? w(k, k);

/** The cause an incident checker wrote (English, src/sim/rules/incidents.ts), in both languages. */
export function incidentCause(cause: string): Words {
  let m: RegExpExecArray | null;
  if ((m = /^(.*) (\d+) on (\S+) at t=(\d+) s$/.exec(cause))) return w(`${m[1]} ${m[2]} sur ${m[3]} à t=${m[4]} s`, cause);
  if ((m = /^two_node: both halves keep quorum after the split at t=(\d+) s$/.exec(cause)))
    return w(`two_node : les deux moitiés gardent le quorum après la coupure à t=${m[1]} s`, cause);
  if ((m = /^last_man_standing lowered expected votes, then the halves met others at t=(\d+) s$/.exec(cause)))
    return w(`last_man_standing a abaissé les votes attendus, puis les moitiés en ont rencontré d’autres à t=${m[1]} s`, cause);
  if ((m = /^QDevice vote given by hand at t=(\d+) s$/.exec(cause))) return w(`Vote du QDevice donné à la main à t=${m[1]} s`, cause);
  if ((m = /^two partitions quorate at t=(\d+) s$/.exec(cause))) return w(`Deux partitions avec quorum à t=${m[1]} s`, cause);
  if ((m = /^VM (\d+) running on (.+) at t=(\d+) s$/.exec(cause))) return w(`VM ${m[1]} en marche sur ${m[2]!.replace(/ and /g, ' et ')} à t=${m[3]} s`, cause);
  return w(cause, cause);
}

export const voteStatus = (st: unknown): Words => word(VOTE_STATUS, st);
export const powerText = (p: unknown): Words => word(POWER, p);
const reason = (r: unknown): Words => word(REASON, r);

type Ev<T extends SimEvent['type']> = Extract<SimEvent, { type: T }>;

/** The votequorum rule that decided, when it is not plain vote counting (events say why). */
function ruleNote(e: Ev<'quorum-lost' | 'quorum-regained'>): Words {
  switch (e.rule) {
    case undefined:
    case 'votes':
      return w('', '');
    case 'two_node':
      return w(', two_node', ', two_node');
    case 'wait_for_all':
      return w(', wait_for_all : tous les nœuds doivent s’être vus une fois', ', wait_for_all: every node must have been seen once');
    case 'auto_tie_breaker':
      return w(', auto_tie_breaker', ', auto_tie_breaker');
    case 'expected_override':
      return w(', votes attendus forcés', ', forced expected votes');
    case 'qdevice_vote':
      return w(', vote du QDevice', ', QDevice vote');
    default: {
      const _x: never = e.rule;
      return w(String(_x), String(_x));
    }
  }
}

/** Why a recovery went to that node (RecoveryWhy in src/sim/events.ts). */
function recoveryNote(e: Ev<'recovered'>): Words {
  const r = e.why?.rule;
  switch (r) {
    case undefined:
      return w('', '');
    case 'fewest-services':
      return w(' ; le nœud qui avait le moins de services', '; the node with the fewest services');
    case 'local-storage':
      return w(' ; disque local : seul son nœud peut la relancer', '; local disk: only its own node can restart it');
    case 'group-priority':
      return w(` ; priorité la plus haute du groupe HA ${e.why?.group ?? ''}`.trimEnd(), `; highest priority in HA group ${e.why?.group ?? ''}`.trimEnd());
    default: {
      const _x: never = r;
      return w(String(_x), String(_x));
    }
  }
}

const EXPECTED_WHY: Record<Ev<'expected-changed'>['reason'], Words> = {
  command: w('commande pvecm expected', 'pvecm expected command'),
  lms: w('last_man_standing', 'last_man_standing'),
  merge: w('fusion des partitions', 'partitions merged'),
  downscale: w('allow_downscale, départ propre', 'allow_downscale, clean leave'),
};

const CHECKPOINT_CLOSED: Record<Ev<'checkpoint-closed'>['reason'], Words> = {
  teacher: w('par l’enseignant', 'by the teacher'),
  'all-answered': w('tout le monde a répondu', 'everyone answered'),
  'time-limit': w('temps écoulé', 'time is up'),
};

const SEAT_LEFT: Record<Ev<'seat-left'>['reason'], (node: string) => Words> = {
  kicked: (n) => w(`L’étudiant de ${n} est retiré.`, `The student of ${n} is removed.`),
  moved: (n) => w(`L’étudiant de ${n} change d’équipe.`, `The student of ${n} moves to another team.`),
  left: (n) => w(`L’étudiant de ${n} quitte sa place.`, `The student of ${n} leaves the seat.`),
};

function qdeviceVote(e: Ev<'qdevice-vote'>, self: string | null): Line {
  const to = e.partition;
  const algo = e.algorithmChoice;
  // What the algorithm would have done, when the vote went elsewhere (a human choice).
  const other = algo && list(algo) !== list(to) ? w(` (l’algorithme aurait choisi : ${list(algo)})`, ` (the algorithm would have picked: ${list(algo)})`) : w('', '');
  if (self === 'qdevice')
    return to
      ? line('info', 'ballot', `Mon vote va à : ${list(to)}${other.fr}.`, `My vote goes to: ${list(to)}${other.en}.`)
      : line('warn', 'ballot', `Mon vote ne va à personne${other.fr}.`, `My vote goes to nobody${other.en}.`);
  if (!to) return line('warn', 'ballot', `Le QDevice ne donne son vote à personne${other.fr}.`, `The QDevice gives its vote to nobody${other.en}.`);
  if (self && to.includes(self)) return line('ok', 'ballot', `Le QDevice donne son vote à votre partition (${list(to)})${other.fr}.`, `The QDevice gives its vote to your partition (${list(to)})${other.en}.`);
  if (self) return line('warn', 'ballot', `Le QDevice donne son vote à une autre partition : ${list(to)}${other.fr}.`, `The QDevice gives its vote to another partition: ${list(to)}${other.en}.`);
  return line('info', 'ballot', `Le QDevice vote pour ${list(to)}${other.fr}.`, `The QDevice votes for ${list(to)}${other.en}.`);
}

/** A diagnosis in words: the cause, the nodes named, the rule. */
export function diagnosisWords(d: Pick<Diagnosis, 'cause' | 'nodes' | 'rule'>): Words {
  const c = CAUSES[d.cause];
  const r = RULES[d.rule];
  const nodes = d.nodes.length ? d.nodes.join(', ') : null;
  return w(`${c.fr} ; nœud(s) : ${nodes ?? 'aucun'} ; règle : ${r.fr}`, `${c.en}; node(s): ${nodes ?? 'none'}; rule: ${r.en}`);
}

/** One line for an engine (or room) event, as `self` reads it (null: the teacher, the reports). */
export function describeEvent(e: SimEvent, self: string | null = null): Line {
  const mine = self !== null && 'node' in e && e.node === self;
  switch (e.type) {
    case 'quorum-lost': {
      const r = ruleNote(e);
      return mine
        ? line('bad', 'cross', `Quorum perdu : ${count(e.votes, ['vote présent', 'votes présents'], ['', '']).fr}, il en faut ${e.quorum}${r.fr}. /etc/pve passe en lecture seule.`, `Quorum lost: ${count(e.votes, ['', ''], ['vote present', 'votes present']).en}, ${e.quorum} needed${r.en}. /etc/pve is now read-only.`)
        : line('bad', 'cross', `${e.node} perd le quorum (${count(e.votes, ['vote', 'votes'], ['vote', 'votes']).fr}, il en faut ${e.quorum}${r.fr}).`, `${e.node} lost quorum (${count(e.votes, ['vote', 'votes'], ['vote', 'votes']).en}, ${e.quorum} needed${r.en}).`);
    }
    case 'quorum-regained': {
      const r = ruleNote(e);
      return mine
        ? line('ok', 'check', `Quorum retrouvé : ${e.votes} votes (quorum ${e.quorum}${r.fr}). /etc/pve est de nouveau modifiable.`, `Quorum regained: ${e.votes} votes (quorum ${e.quorum}${r.en}). /etc/pve is writable again.`)
        : line('ok', 'check', `${e.node} retrouve le quorum (${e.votes} votes, quorum ${e.quorum}${r.fr}).`, `${e.node} regained quorum (${e.votes} votes, quorum ${e.quorum}${r.en}).`);
    }
    case 'node-dead':
      return mine
        ? // Each side of a split declares the other dead: say whose view it is, never "you are dead".
          e.by.length > 1
          ? line('bad', 'cross', `${list(e.by)} ne reçoivent plus vos heartbeats : de leur côté, votre nœud est compté comme mort.`, `${list(e.by)} no longer get your heartbeats: on their side, your node counts as dead.`)
          : line('bad', 'cross', `${list(e.by)} ne reçoit plus vos heartbeats : de son côté, votre nœud est compté comme mort.`, `${list(e.by)} no longer gets your heartbeats: on that side, your node counts as dead.`)
        : line('bad', 'cross', `${e.node} déclaré mort par ${list(e.by)} (plus de heartbeat).`, `${e.node} declared dead by ${list(e.by)} (no more heartbeats).`);
    case 'heartbeat-lost':
      return line('warn', 'warn', `${e.node} n’entend plus ${e.peer} (heartbeat perdu).`, `${e.node} no longer hears ${e.peer} (heartbeat lost).`);
    case 'knet-link':
      return knetLine(e);
    case 'membership-changed':
      return line('info', 'swap', `Nouvelle membership corosync (anneau ${e.ringId}) : ${list(e.members)}.`, `New corosync membership (ring ${e.ringId}): ${list(e.members)}.`);
    case 'expected-changed': {
      const why = EXPECTED_WHY[e.reason];
      return line(e.reason === 'command' ? 'bad' : 'warn', 'warn', `Votes attendus sur ${e.node} : ${e.expected} (${why.fr}).`, `Expected votes on ${e.node}: ${e.expected} (${why.en}).`);
    }
    case 'watchdog-armed': {
      const left = seconds(e.resetAt - e.at);
      return line('bad', 'timer', `Watchdog armé sur ${e.node} : auto-fencing dans ${left.fr} s si le quorum ne revient pas.`, `Watchdog armed on ${e.node}: self-fencing in ${left.en} s unless quorum comes back.`);
    }
    case 'watchdog-disarmed':
      return line('ok', 'check', `Watchdog désarmé sur ${e.node}.`, `Watchdog disarmed on ${e.node}.`);
    case 'self-fenced':
      return line('bad', 'power', `${e.node} s’est auto-clôturé (watchdog) : redémarrage forcé. VM arrêtées : ${list(e.vms)}.`, `${e.node} fenced itself (watchdog): forced reset. VMs stopped: ${list(e.vms)}.`);
    case 'node-fence':
      return mine
        ? line('bad', 'warn', `Fencing de votre nœud demandé par ${list(e.by)}.`, `Fencing of your node requested by ${list(e.by)}.`)
        : line('warn', 'warn', `Fencing de ${e.node} demandé par ${list(e.by)}.`, `Fencing of ${e.node} requested by ${list(e.by)}.`);
    case 'fenced':
      return mine
        ? line('bad', 'power', `Votre nœud a été clôturé (fenced) par ${list(e.by)} : ses VM HA vont être relancées ailleurs.`, `Your node was fenced by ${list(e.by)}: its HA VMs will be recovered elsewhere.`)
        : line('warn', 'power', `${e.node} clôturé (fenced) par ${list(e.by)} : ses VM HA peuvent être relancées ailleurs.`, `${e.node} fenced by ${list(e.by)}: its HA VMs may be recovered elsewhere.`);
    case 'recovered': {
      const why = recoveryNote(e);
      return line('ok', 'refresh', `${e.sid} relancée sur ${e.to} (venait de ${e.from}${why.fr}).`, `${e.sid} recovered on ${e.to} (was on ${e.from}${why.en}).`);
    }
    case 'recovery-stuck':
      return line('bad', 'warn', `${e.sid} ne peut pas être relancée : ${e.reason}.`, `${e.sid} cannot be recovered: ${e.reason}.`);
    case 'vm-started':
      return line('ok', 'play', `VM ${e.vmid} démarrée sur ${e.node} (${reason(e.reason).fr}).`, `VM ${e.vmid} started on ${e.node} (${reason(e.reason).en}).`);
    case 'vm-stopped':
      return line('warn', 'stop', `VM ${e.vmid} arrêtée sur ${e.node} (${reason(e.reason).fr}).`, `VM ${e.vmid} stopped on ${e.node} (${reason(e.reason).en}).`);
    case 'migrated':
      return line('info', 'arrow', `VM ${e.vmid} migrée de ${e.from} vers ${e.to}${e.online ? ' (à chaud)' : ''}.`, `VM ${e.vmid} migrated from ${e.from} to ${e.to}${e.online ? ' (online)' : ''}.`);
    case 'service-state':
      return line('info', 'dot', `Service ${e.sid} : état HA « ${e.state} » (${e.node}).`, `Service ${e.sid}: HA state “${e.state}” (${e.node}).`);
    case 'maintenance':
      return e.enabled
        ? line('info', 'wrench', `${e.node} passe en mode maintenance.`, `${e.node} enters maintenance mode.`)
        : line('info', 'wrench', `${e.node} sort du mode maintenance.`, `${e.node} leaves maintenance mode.`);
    case 'split-brain-started': {
      // A seat sees this event only when its own command opened it (src/sim/seat-events.ts).
      if (self !== null) {
        const h = harmText(e.cause, e.kind);
        return line('bad', 'warn', h.fr, h.en);
      }
      const k = incidentKind(e.kind);
      const c = incidentCause(e.cause);
      return line('bad', 'warn', `Split-brain (${k.fr}) : ${c.fr}.`, `Split-brain (${k.en}): ${c.en}.`);
    }
    case 'split-brain-ended': {
      const d = seconds(e.durationMs);
      const k = incidentKind(e.kind);
      return line('ok', 'check', `Fin du split-brain n°${e.incident} (${k.fr}) après ${d.fr} s.`, `Split-brain #${e.incident} (${k.en}) over after ${d.en} s.`);
    }
    case 'pmxcfs-write':
      return line('info', 'pencil', `/etc/pve : ${e.path} modifié par ${e.node} (${e.what}).`, `/etc/pve: ${e.path} written by ${e.node} (${e.what}).`);
    case 'pmxcfs-refused':
      return line('bad', 'lock', `${e.node} : écriture refusée dans /etc/pve (lecture seule sans quorum) : ${e.path}.`, `${e.node}: write refused in /etc/pve (read-only without quorum): ${e.path}.`);
    case 'pmxcfs-merge': {
      const lost = e.lost.length;
      return line('warn', 'swap', `/etc/pve resynchronisé sur la copie de ${list(e.winner)} (version ${e.version}) ; ${count(lost, ['écriture perdue', 'écritures perdues'], ['', '']).fr}.`, `/etc/pve resynchronised from ${list(e.winner)}’s copy (version ${e.version}); ${count(lost, ['', ''], ['write lost', 'writes lost']).en}.`);
    }
    case 'clock-skew': {
      const d = seconds(e.skewMs);
      const sign = e.skewMs > 0 ? '+' : '';
      return line('warn', 'clock', `Horloge de ${e.node} décalée de ${sign}${d.fr} s.`, `${e.node}’s clock is off by ${sign}${d.en} s.`);
    }
    case 'clock-synced':
      return line('ok', 'clock', `Horloge de ${e.node} resynchronisée.`, `${e.node}’s clock is back in sync.`);
    case 'node-power': {
      const p = powerText(e.power);
      return line(e.power === 'on' ? 'ok' : 'warn', 'power', `${e.node} : ${p.fr} (${reason(e.reason).fr}).`, `${e.node}: ${p.en} (${reason(e.reason).en}).`);
    }
    case 'cluster-created':
      return line('ok', 'check', `Cluster « ${e.name} » créé sur ${e.node}.`, `Cluster "${e.name}" created on ${e.node}.`);
    case 'node-joined':
      return line('ok', 'arrow', `${e.node} rejoint le cluster (via ${e.via}).`, `${e.node} joins the cluster (via ${e.via}).`);
    case 'node-removed':
      return line('warn', 'arrow', `${e.node} retiré du cluster depuis ${e.by}.`, `${e.node} removed from the cluster from ${e.by}.`);
    case 'package-installed':
      return line('info', 'wrench', `${e.pkg} installé sur ${e.node}.`, `${e.pkg} installed on ${e.node}.`);
    case 'backup-created':
      return e.corrupt
        ? line('warn', 'pencil', `Sauvegarde de ${e.vmid} depuis ${e.node} : ${e.volid} (disque déjà endommagé).`, `Backup of ${e.vmid} from ${e.node}: ${e.volid} (disk already damaged).`)
        : line('ok', 'pencil', `Sauvegarde de ${e.vmid} depuis ${e.node} : ${e.volid}.`, `Backup of ${e.vmid} from ${e.node}: ${e.volid}.`);
    case 'vm-restored':
      return e.corrupt
        ? line('warn', 'refresh', `${e.vmid} restaurée sur ${e.node} depuis ${e.volid}, avec des données déjà endommagées.`, `${e.vmid} restored on ${e.node} from ${e.volid}, with data already damaged.`)
        : line('ok', 'refresh', `${e.vmid} restaurée sur ${e.node} depuis ${e.volid}.`, `${e.vmid} restored on ${e.node} from ${e.volid}.`);
    case 'qdevice-configured':
      return e.enabled
        ? line('ok', 'check', `QDevice configuré depuis ${e.node}.`, `QDevice set up from ${e.node}.`)
        : line('warn', 'warn', `QDevice retiré depuis ${e.node}.`, `QDevice removed from ${e.node}.`);
    case 'qdevice-vote':
      return qdeviceVote(e, self);
    case 'vote-opened':
      return line('warn', 'ballot', `Vote n°${e.voteId} ouvert : clôturer ${e.target} ? (votants : ${list(e.partition)}, quorum ${e.quorum})`, `Vote #${e.voteId} opened: fence ${e.target}? (voters: ${list(e.partition)}, quorum ${e.quorum})`);
    case 'vote-cast':
      return line('info', 'ballot', `${e.node} a voté ${e.yes ? 'oui' : 'non'} (vote n°${e.voteId}).`, `${e.node} voted ${e.yes ? 'yes' : 'no'} (vote #${e.voteId}).`);
    case 'vote-closed': {
      const st = voteStatus(e.status);
      return line(e.status === 'passed' ? 'ok' : 'warn', 'ballot', `Vote n°${e.voteId} sur ${e.target} : ${st.fr} (${e.yes} oui, quorum ${e.quorum}).`, `Vote #${e.voteId} on ${e.target}: ${st.en} (${e.yes} yes, quorum ${e.quorum}).`);
    }
    case 'command':
      return line(e.ok ? 'info' : 'warn', 'hash', `${e.node} $ ${e.line}${e.ok ? '' : ' (échec)'}`, `${e.node} $ ${e.line}${e.ok ? '' : ' (failed)'}`);
    case 'fault-applied':
      return faultLine(e.fault, e.by);
    case 'seat-taken':
      return line('info', 'dot', `Un étudiant prend la place de ${e.node}.`, `A student takes the seat of ${e.node}.`);
    case 'seat-left': {
      const t = SEAT_LEFT[e.reason](e.node);
      return line('info', 'dot', t.fr, t.en);
    }
    case 'presence':
      return line('info', 'dot', `${e.node} : ${e.heard} heartbeat(s) reçus sur ${e.ticks} ticks.`, `${e.node}: ${e.heard} heartbeat(s) received over ${e.ticks} ticks.`);
    case 'checkpoint-opened':
      return line(
        'info',
        'pencil',
        `Point d’étape « ${e.checkpoint} » ouvert${e.by === 'teacher' ? ' par l’enseignant' : ''} : questions à ${list(e.nodes)}.`,
        `Checkpoint "${e.checkpoint}" opened${e.by === 'teacher' ? ' by the teacher' : ''}: questions to ${list(e.nodes)}.`,
      );
    case 'checkpoint-closed': {
      const per = Object.entries(e.results).map(([n, rs]) => `${n} ${rs.filter((r) => r.ok).length}/${rs.length}`).join(', ');
      const why = CHECKPOINT_CLOSED[e.reason];
      return line('info', 'pencil', `Point d’étape « ${e.checkpoint} » fermé (${why.fr}) : ${per || 'aucune réponse'}.`, `Checkpoint "${e.checkpoint}" closed (${why.en}): ${per || 'no answers'}.`);
    }
    case 'diagnosis': {
      const d = diagnosisWords(e);
      return line('info', 'pencil', `Diagnostic de ${e.node} : ${d.fr}`, `Diagnosis from ${e.node}: ${d.en}`);
    }
    case 'drill-drawn': {
      const f = describeFault(e.fault);
      const fam = FAMILY_WORDS[e.family];
      const at = seconds(e.atMs);
      return line('info', 'warn', `Exercice d’incident (${fam.fr}) tiré au sort pour cette équipe, à ${at.fr} s : ${f.fr}.`, `Incident drill (${fam.en}) drawn for this team, at ${at.en} s: ${f.en}.`);
    }
    default: {
      const _exhaustive: never = e;
      // An event from a newer server (or an old stored log): its type as it is.
      const type = String((_exhaustive as { type?: unknown }).type);
      return line('info', 'dot', type, type);
    }
  }
}

const POWER_ACTION: Record<Extract<Fault, { kind: 'power' }>['action'], Words> = {
  on: w('allumage', 'power on'),
  off: w('coupure de courant', 'power cut'),
  reset: w('reset matériel', 'hard reset'),
  reboot: w('redémarrage propre', 'clean reboot'),
  shutdown: w('arrêt propre', 'clean shutdown'),
};

/** A fault as a short phrase (feed, scheduled faults, confirmations, reports). */
export function describeFault(f: Fault): Words {
  switch (f.kind) {
    case 'power': {
      const a = POWER_ACTION[f.action] ?? w(String(f.action), String(f.action));
      return w(`${f.node} : ${a.fr}`, `${f.node}: ${a.en}`);
    }
    case 'isolate':
      return w(`${f.node} isolé du réseau`, `${f.node} isolated from the network`);
    case 'partition': {
      const g = f.groups.map((x) => x.join(', ')).join(' | ');
      return w(`partition réseau : ${g}`, `network partition: ${g}`);
    }
    case 'link': {
      const arrow = f.oneWay ? '→' : '↔';
      return f.cut ? w(`lien ${f.a} ${arrow} ${f.b} coupé`, `link ${f.a} ${arrow} ${f.b} cut`) : w(`lien ${f.a} ${arrow} ${f.b} rétabli`, `link ${f.a} ${arrow} ${f.b} restored`);
    }
    case 'link-quality': {
      const loss = Math.round(f.loss * 100);
      return w(`lien ${f.a} ↔ ${f.b} : perte ${loss} %, latence ${f.latencyMs} ms`, `link ${f.a} ↔ ${f.b}: ${loss} % loss, ${f.latencyMs} ms latency`);
    }
    case 'clock-skew': {
      const sec = f.skewMs / 1000;
      const txt = `${sec > 0 ? '+' : ''}${sec} s`;
      return w(`horloge de ${f.node} décalée de ${txt}`, `${f.node}’s clock shifted by ${txt}`);
    }
    case 'qdevice-host':
      return f.up ? w('hôte QDevice rallumé', 'QDevice host back up') : w('hôte QDevice en panne', 'QDevice host down');
    case 'qdevice-reach':
      return f.reachable ? w(`${f.node} joint de nouveau le QDevice`, `${f.node} reaches the QDevice again`) : w(`${f.node} ne joint plus le QDevice`, `${f.node} cannot reach the QDevice`);
    case 'storage':
      return f.up ? w('stockage partagé rétabli', 'shared storage back') : w('stockage partagé en panne', 'shared storage down');
    case 'disk-corrupt':
      return w(`disque de la VM ${f.vmid} corrompu`, `disk of VM ${f.vmid} corrupted`);
    case 'heal':
      return w('réseau réparé (liens, pertes, latence, QDevice)', 'network healed (links, loss, latency, QDevice)');
    case 'net-port':
      return f.up
        ? w(`port de ${f.node} sur le réseau ${f.network} rétabli`, `${f.node}’s port on network ${f.network} back up`)
        : w(`port de ${f.node} sur le réseau ${f.network} coupé`, `${f.node}’s port on network ${f.network} cut`);
    case 'net-saturate':
      return f.on
        ? w(`réseau ${f.network} saturé (trafic de masse)`, `network ${f.network} saturated (bulk traffic)`)
        : w(`réseau ${f.network} de nouveau fluide`, `network ${f.network} no longer saturated`);
    default: {
      const _exhaustive: never = f;
      const kind = String((_exhaustive as { kind?: unknown }).kind);
      return w(kind, kind);
    }
  }
}

/** A "fault" that puts something back (power on, heal, link restored, QDevice or storage back). */
export function isRepair(f: Fault): boolean {
  return (f.kind === 'power' && f.action === 'on') || f.kind === 'heal' || (f.kind === 'link' && !f.cut) || (f.kind === 'qdevice-host' && f.up) || (f.kind === 'qdevice-reach' && f.reachable) || (f.kind === 'storage' && f.up) || (f.kind === 'net-port' && f.up) || (f.kind === 'net-saturate' && !f.on);
}

/** The line of a `fault-applied` event: who (teacher or scenario timeline) did what. */
export function faultLine(f: Fault, by?: string): Line {
  const d = describeFault(f);
  const who = by === 'timeline' ? w('scénario', 'scenario') : by === 'teacher' ? w('enseignant', 'teacher') : w(by ?? '—', by ?? '—');
  // Powering a node on or healing the network repairs: not announced as a fault.
  if (isRepair(f)) return line('info', 'plug', `Réparation (${who.fr}) : ${d.fr}.`, `Repair (${who.en}): ${d.en}.`);
  return line('warn', 'bolt', `Panne (${who.fr}) : ${d.fr}.`, `Fault (${who.en}): ${d.en}.`);
}
