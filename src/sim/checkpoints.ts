// Predict-and-explain checkpoints: questions a student answers about THEIR OWN node, with the
// right answer computed by the engine for that seat at the moment the checkpoint opens. Present
// facts (quorum, votes, /etc/pve) are read from the node's partition; predictions ("what will HA do
// with vm:101, and when?", "who will fence?") are found by running a copy of the cluster forward on
// autopilot, so they follow the engine's own rules and never a second copy of them. Pure.
import { step } from './engine.js';
import { partitionOf, serviceId } from './kernel.js';
import { partitionInfo } from './rules/votequorum.js';
import type { ClusterState, I18nText, NodeName, QuestionId, SimEvent } from './types.js';
export type { QuestionId } from './types.js';

export const QUESTION_IDS: readonly QuestionId[] = ['quorate', 'votes-present', 'votes-required', 'cfs-writable', 'ha-fate', 'ha-when', 'who-fences'];

export type HaFate = 'keeps-running' | 'restarted-elsewhere' | 'restarted-same-node' | 'stays-stopped';
export const HA_FATES: readonly HaFate[] = ['keeps-running', 'restarted-elsewhere', 'restarted-same-node', 'stays-stopped'];

/** What a student submits for one question. */
export type Answer = { kind: 'choice'; value: string } | { kind: 'number'; value: number } | { kind: 'nodes'; value: NodeName[] };

/** One question as asked to one seat, with its right answer (kept server-side until the reveal). */
export interface SeatQuestion {
  id: QuestionId;
  kind: Answer['kind'];
  text: I18nText;
  /** for `choice`: the allowed values and their labels */
  choices?: { value: string; label: I18nText }[];
  /** for `nodes`: the nodes one may pick (the empty pick means "none") */
  nodes?: NodeName[];
  /** the VM the question is about (ha-fate, ha-when) */
  vmid?: number;
  right: Answer;
  /** for `number`: answers within this distance count as right */
  tolerance?: number;
  /** one line that says why, shown at the reveal */
  why: I18nText;
}

const YES_NO = [
  { value: 'yes', label: { fr: 'Oui', en: 'Yes' } },
  { value: 'no', label: { fr: 'Non', en: 'No' } },
];
const FATE_LABELS: Record<HaFate, I18nText> = {
  'keeps-running': { fr: 'Elle continue de tourner où elle est', en: 'It keeps running where it is' },
  'restarted-elsewhere': { fr: 'Elle est arrêtée puis redémarrée sur un autre nœud', en: 'It is stopped, then restarted on another node' },
  'restarted-same-node': { fr: 'Elle redémarre sur le même nœud quand il revient', en: 'It restarts on the same node once that node is back' },
  'stays-stopped': { fr: 'Elle reste arrêtée (personne ne la redémarre)', en: 'It stays stopped (nobody restarts it)' },
};

/** How far ahead a prediction looks: long enough for a watchdog, a fence delay and a recovery. */
export function predictionHorizonMs(s: ClusterState): number {
  const t = s.config.timing;
  return 3 * Math.max(t.fenceLockMs, t.watchdogMs) + t.bootMs + t.deadAfterMs;
}

/** Runs a copy of the cluster forward with every powered node on autopilot (students keep their
 * tabs open, nobody types): what the rules alone will do. */
export function runForward(s: ClusterState, ms: number): SimEvent[] {
  const copy = JSON.parse(JSON.stringify(s)) as ClusterState;
  copy.config.autoNodes = copy.config.nodes.map((n) => n.name);
  if (copy.qdevice) copy.qdevice.auto = true;
  const events: SimEvent[] = [];
  const end = copy.now + ms;
  const dt = copy.config.timing.tickMs;
  while (copy.now + dt <= end) events.push(...step(copy, { type: 'tick', at: copy.now + dt }).events);
  return events;
}

/** The VM a seat's HA questions are about: an HA VM on its own node, else one on a node its
 * partition does not see (the one HA would have to act on), else the first HA VM. */
export function vmFor(s: ClusterState, node: NodeName): number | null {
  const db = s.nodes[node]!.cfs;
  const ha = Object.values(db.ha).filter((x) => x.requested === 'started').sort((a, b) => a.vmid - b.vmid);
  const mine = ha.find((x) => x.node === node);
  if (mine) return mine.vmid;
  const p = partitionOf(s, node) ?? [node];
  return (ha.find((x) => !p.includes(x.node)) ?? ha[0])?.vmid ?? null;
}

interface Prediction {
  fate: HaFate;
  /** seconds until the VM runs again (0 when it keeps running; null when it stays stopped) */
  backInS: number | null;
  fenced: NodeName[];
}

function predict(s: ClusterState, vmid: number | null, events: SimEvent[]): Prediction {
  const fenced = [
    ...new Set(events.filter((e): e is Extract<SimEvent, { type: 'self-fenced' | 'fenced' }> => e.type === 'self-fenced' || e.type === 'fenced').map((e) => e.node)),
  ].sort();
  if (vmid === null) return { fate: 'stays-stopped', backInS: null, fenced };
  const rt = s.vms[String(vmid)];
  const before = rt?.runningOn ?? [];
  const home = s.nodes[Object.keys(s.nodes)[0]!]!.cfs.vms[String(vmid)]?.node ?? before[0];
  const stopped = events.find((e) => e.type === 'vm-stopped' && e.vmid === vmid);
  const wasRunning = before.length > 0;
  if (wasRunning && !stopped) return { fate: 'keeps-running', backInS: 0, fenced };
  const from = stopped && stopped.type === 'vm-stopped' ? stopped.at : s.now;
  const start = events.find((e) => e.type === 'vm-started' && e.vmid === vmid && e.at >= from);
  if (!start || start.type !== 'vm-started') return { fate: 'stays-stopped', backInS: null, fenced };
  const where = start.node;
  const fate: HaFate = where === (stopped && stopped.type === 'vm-stopped' ? stopped.node : home) ? 'restarted-same-node' : 'restarted-elsewhere';
  return { fate, backInS: Math.round((start.at - s.now) / 1000), fenced };
}

const yesNo = (b: boolean): Answer => ({ kind: 'choice', value: b ? 'yes' : 'no' });

/**
 * The questions of a checkpoint for one seat, with right answers and why-lines computed from the
 * state at the moment it opens. `forward` may be passed when several seats share one run.
 */
export function questionsFor(s: ClusterState, node: NodeName, ids: readonly QuestionId[], forward?: SimEvent[]): SeatQuestion[] {
  const n = s.nodes[node]!;
  const p = n.power === 'on' ? partitionOf(s, node) : null;
  const info = p ? partitionInfo(s, p) : null;
  // A standalone node (build lab) runs no votequorum, yet pmxcfs in local mode writes /etc/pve.
  const standalone = n.cfs.nodelist === null;
  const quorate = n.power === 'on' && n.quorate && !standalone;
  const writable = n.power === 'on' && n.quorate;
  const votes = info?.total ?? 0;
  const quorum = info?.quorum ?? 0;
  const expected = info?.expected ?? n.expected;
  const vmid = ids.some((q) => q === 'ha-fate' || q === 'ha-when') ? vmFor(s, node) : null;
  const needsForward = ids.some((q) => q === 'ha-fate' || q === 'ha-when' || q === 'who-fences');
  const pred = needsForward ? predict(s, vmid, forward ?? runForward(s, predictionHorizonMs(s))) : null;
  const vmName = vmid === null ? '' : serviceId(vmid);
  const out: SeatQuestion[] = [];
  for (const id of ids) {
    switch (id) {
      case 'quorate':
        out.push({
          id,
          kind: 'choice',
          text: { fr: `Votre nœud (${node}) a-t-il le quorum ?`, en: `Does your node (${node}) have quorum?` },
          choices: YES_NO,
          right: yesNo(quorate),
          why: {
            fr: `${node} compte ${votes} vote(s) présent(s) ; il en faut ${quorum} (attendus : ${expected}) → ${quorate ? 'quorum' : 'pas de quorum'}.`,
            en: `${node} counts ${votes} vote(s) present; it needs ${quorum} (expected: ${expected}) → ${quorate ? 'quorate' : 'not quorate'}.`,
          },
        });
        break;
      case 'votes-present':
        out.push({
          id,
          kind: 'number',
          text: { fr: `Combien de votes sont présents dans la partition de ${node} ?`, en: `How many votes are present in ${node}'s partition?` },
          right: { kind: 'number', value: votes },
          tolerance: 0,
          why: {
            fr: `La partition de ${node} : ${p?.join(', ') ?? '—'}${info?.qdeviceVote ? ' + le QDevice' : ''} = ${votes} vote(s).`,
            en: `${node}'s partition: ${p?.join(', ') ?? '—'}${info?.qdeviceVote ? ' + the QDevice' : ''} = ${votes} vote(s).`,
          },
        });
        break;
      case 'votes-required':
        out.push({
          id,
          kind: 'number',
          text: { fr: `Combien de votes faut-il à la partition de ${node} pour avoir le quorum ?`, en: `How many votes does ${node}'s partition need for quorum?` },
          right: { kind: 'number', value: quorum },
          tolerance: 0,
          why: {
            fr: `Quorum = max(⌊attendus/2⌋+1, ⌊présents/2⌋+1) = max(⌊${expected}/2⌋+1, ⌊${votes}/2⌋+1) = ${quorum}.`,
            en: `Quorum = max(⌊expected/2⌋+1, ⌊present/2⌋+1) = max(⌊${expected}/2⌋+1, ⌊${votes}/2⌋+1) = ${quorum}.`,
          },
        });
        break;
      case 'cfs-writable':
        out.push({
          id,
          kind: 'choice',
          text: { fr: `${node} peut-il écrire dans /etc/pve ?`, en: `Can ${node} write to /etc/pve?` },
          choices: YES_NO,
          right: yesNo(writable),
          why: standalone && writable
            ? { fr: `${node} n'est dans aucun cluster : pmxcfs en mode local, /etc/pve est en lecture-écriture.`, en: `${node} is in no cluster: pmxcfs in local mode, /etc/pve is read-write.` }
            : {
                fr: quorate ? `${node} a le quorum : /etc/pve est en lecture-écriture.` : `Sans quorum, pmxcfs passe /etc/pve en lecture seule sur ${node}.`,
                en: quorate ? `${node} is quorate: /etc/pve is read-write.` : `Without quorum, pmxcfs makes /etc/pve read-only on ${node}.`,
              },
        });
        break;
      case 'ha-fate':
        if (vmid === null || !pred) break;
        out.push({
          id,
          kind: 'choice',
          vmid,
          text: { fr: `Que va faire la HA de ${vmName} ?`, en: `What will HA do with ${vmName}?` },
          choices: HA_FATES.map((f) => ({ value: f, label: FATE_LABELS[f] })),
          right: { kind: 'choice', value: pred.fate },
          why: fateWhy(vmName, pred),
        });
        break;
      case 'ha-when':
        if (vmid === null || !pred) break;
        out.push({
          id,
          kind: 'number',
          vmid,
          text: {
            fr: `Dans combien de secondes environ ${vmName} tournera-t-elle de nouveau ? (0 si elle ne s'arrête pas, -1 si elle reste arrêtée)`,
            en: `In about how many seconds will ${vmName} run again? (0 if it never stops, -1 if it stays stopped)`,
          },
          right: { kind: 'number', value: pred.backInS ?? -1 },
          // A prediction to a few seconds is what matters: the watchdog, fence and lock delays.
          tolerance: pred.backInS === null || pred.backInS === 0 ? 0 : Math.max(5, Math.round(pred.backInS * 0.2)),
          why: fateWhy(vmName, pred),
        });
        break;
      case 'who-fences':
        if (!pred) break;
        out.push({
          id,
          kind: 'nodes',
          text: { fr: 'Quel(s) nœud(s) vont être clôturés (fencing) ? Aucun : ne rien cocher.', en: 'Which node(s) will be fenced? None: tick nothing.' },
          nodes: s.config.nodes.map((x) => x.name),
          right: { kind: 'nodes', value: pred.fenced },
          why: pred.fenced.length
            ? {
                fr: `${pred.fenced.join(', ')} : sans quorum avec des services HA actifs, le watchdog réinitialise le nœud.`,
                en: `${pred.fenced.join(', ')}: without quorum and with active HA services, the watchdog resets the node.`,
              }
            : { fr: 'Aucun nœud sans quorum ne porte de service HA actif : personne n’est clôturé.', en: 'No node without quorum runs an active HA service: nobody is fenced.' },
        });
        break;
      default: {
        const _exhaustive: never = id;
        throw new Error(`unknown question ${String(_exhaustive)}`);
      }
    }
  }
  return out;
}

function fateWhy(vm: string, p: Prediction): I18nText {
  switch (p.fate) {
    case 'keeps-running':
      return { fr: `${vm} reste sur un nœud qui garde le quorum : la HA n'a rien à faire.`, en: `${vm} is on a node that keeps quorum: HA has nothing to do.` };
    case 'restarted-elsewhere':
      return {
        fr: `La partition qui a le quorum redémarre ${vm} ailleurs après le délai de fencing, dans ≈ ${p.backInS} s.`,
        en: `The quorate partition restarts ${vm} elsewhere after the fencing delay, in ≈ ${p.backInS} s.`,
      };
    case 'restarted-same-node':
      return { fr: `${vm} repart sur son nœud quand il revient, dans ≈ ${p.backInS} s.`, en: `${vm} starts again on its node once it is back, in ≈ ${p.backInS} s.` };
    case 'stays-stopped':
      return {
        fr: `Aucune partition n'a le quorum (ou le disque est local) : personne ne redémarre ${vm}.`,
        en: `No partition holds quorum (or the disk is local): nobody restarts ${vm}.`,
      };
    default: {
      const _exhaustive: never = p.fate;
      throw new Error(`unknown fate ${String(_exhaustive)}`);
    }
  }
}

/** Whether an answer is right (one place for every kind). */
export function isRight(q: SeatQuestion, a: Answer | undefined): boolean {
  if (!a || a.kind !== q.kind) return false;
  const r = q.right;
  if (a.kind === 'choice' && r.kind === 'choice') return a.value === r.value;
  if (a.kind === 'number' && r.kind === 'number') return Math.abs(a.value - r.value) <= (q.tolerance ?? 0);
  if (a.kind === 'nodes' && r.kind === 'nodes') {
    const x = [...new Set(a.value)].sort();
    return x.length === r.value.length && x.every((v, i) => v === r.value[i]);
  }
  return false;
}

/** The questions every seat of a cluster gets, sharing one forward run. */
export function questionsForAll(s: ClusterState, seats: readonly NodeName[], ids: readonly QuestionId[]): Record<NodeName, SeatQuestion[]> {
  const needsForward = ids.some((q) => q === 'ha-fate' || q === 'ha-when' || q === 'who-fences');
  const forward = needsForward ? runForward(s, predictionHorizonMs(s)) : undefined;
  return Object.fromEntries(seats.map((n) => [n, questionsFor(s, n, ids, forward)]));
}
