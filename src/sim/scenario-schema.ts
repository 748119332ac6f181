// The scenario file format (docs/scenarios.md): a zod schema for the shape, then the checks that
// need the whole file (a timeline fault or an objective naming a node or a VM the cluster does not
// have, duplicate ids). Every problem comes back with its path and a message in French and English;
// scenario-text.ts maps paths to line:column. Pure.
import { z } from 'zod';
import { CONCEPTS } from './concepts.js';
import type { I18nText, Scenario, SimEventType } from './types.js';
import type { QuestionId } from './types.js';

/** Every event type an objective can look for (the catalogue is src/sim/events.ts; the two checks
 * below keep this list and that union equal). */
export const EVENT_TYPES = [
  'heartbeat-lost', 'node-dead', 'membership-changed', 'quorum-lost', 'quorum-regained', 'expected-changed',
  'qdevice-vote', 'vote-opened', 'vote-cast', 'vote-closed', 'watchdog-armed', 'watchdog-disarmed',
  'self-fenced', 'node-fence', 'fenced', 'recovered', 'recovery-stuck', 'vm-started', 'vm-stopped',
  'migrated', 'service-state', 'maintenance', 'split-brain-started', 'split-brain-ended', 'pmxcfs-write',
  'pmxcfs-refused', 'pmxcfs-merge', 'clock-skew', 'clock-synced', 'command', 'fault-applied', 'node-power',
  'qdevice-configured', 'seat-taken', 'seat-left', 'presence', 'checkpoint-opened', 'checkpoint-closed',
  'cluster-created', 'node-joined', 'node-removed', 'package-installed', 'backup-created', 'vm-restored',
  'diagnosis', 'drill-drawn', 'knet-link',
] as const satisfies readonly SimEventType[];
type MissingEventType = Exclude<SimEventType, (typeof EVENT_TYPES)[number]>;
const everyEventType: [MissingEventType] extends [never] ? true : MissingEventType = true;
void everyEventType;

const QUESTIONS = ['quorate', 'votes-present', 'votes-required', 'cfs-writable', 'ha-fate', 'ha-when', 'who-fences'] as const satisfies readonly QuestionId[];
type MissingQuestion = Exclude<QuestionId, (typeof QUESTIONS)[number]>;
const everyQuestion: [MissingQuestion] extends [never] ? true : MissingQuestion = true;
void everyQuestion;

/** A lab never lasts more than 8 hours (src/rooms/lab.ts AUTO_END_MS). */
const MAX_MS = 8 * 3_600_000;

/** French for the format rules below (their English is the zod message). */
const FORMAT_FR: Record<string, string> = {
  'lowercase letters, digits and dashes (at most 48)': 'minuscules, chiffres et tirets (48 au plus)',
  'a host name: lowercase letters, digits and dashes': "un nom d'hôte : minuscules, chiffres et tirets",
  'an IPv4 address such as 10.0.10.11': 'une adresse IPv4 comme 10.0.10.11',
  'a VM name: letters, digits, dots and dashes': 'un nom de VM : lettres, chiffres, points et tirets',
  'a cluster name: letters, digits and dashes, at most 15': 'un nom de cluster : lettres, chiffres et tirets, 15 au plus',
};
const text = (max: number) => z.string().trim().min(1).max(max);
const i18n = (max = 400) => z.strictObject({ fr: text(max), en: text(max) });
const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'lowercase letters, digits and dashes (at most 48)');
const nodeName = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a host name: lowercase letters, digits and dashes');
const ipv4 = z.string().regex(/^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/, 'an IPv4 address such as 10.0.10.11');
const ms = z.int().min(0).max(MAX_MS);
const vmid = z.int().min(100).max(999_999_999);

const nodeSchema = z.strictObject({ name: nodeName, nodeid: z.int().min(1).max(1000), votes: z.int().min(0).max(10), ip: ipv4, hostsIp: ipv4.optional() });
const vmSchema = z.strictObject({
  vmid,
  name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}$/, 'a VM name: letters, digits, dots and dashes'),
  node: nodeName,
  memoryMb: z.int().min(64).max(1_048_576),
  diskGb: z.int().min(1).max(100_000),
  storage: z.enum(['shared', 'local']),
  ha: z.boolean(),
  running: z.boolean(),
});
const clusterSchema = z.strictObject({
  clusterName: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,14}$/, 'a cluster name: letters, digits and dashes, at most 15'),
  nodes: z.array(nodeSchema).min(2).max(64),
  qdevice: z
    .strictObject({
      algorithm: z.enum(['ffsplit', 'lms']),
      ip: ipv4,
      configured: z.boolean(),
      installed: z.boolean(),
      vm: z.strictObject({ ip: ipv4, node: nodeName, vmid }).optional(),
    })
    .optional(),
  vms: z.array(vmSchema).max(64),
  options: z.strictObject({
    two_node: z.boolean(),
    wait_for_all: z.boolean().optional(),
    auto_tie_breaker: z.boolean(),
    last_man_standing: z.boolean(),
    last_man_standing_window: z.int().min(1).max(MAX_MS).optional(),
    allow_downscale: z.boolean().optional(),
  }),
  shutdownPolicy: z.enum(['conditional', 'freeze', 'failover', 'migrate']).optional(),
  totem: z.strictObject({ token: z.int().min(1).max(600_000), token_coefficient: z.int().min(0).max(600_000) }).optional(),
  coldStart: z.boolean().optional(),
  standalone: z.boolean().optional(),
  networks: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,19}$/, 'a network id: lower-case letters, digits and dashes, at most 20'),
        vlan: z.int().min(1).max(4094).optional(),
        subnet: z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'a subnet like 10.0.10.0/24'),
        roles: z.array(z.enum(['corosync', 'storage', 'migration', 'management', 'vm'])).max(5),
        addrs: z.record(nodeName, ipv4),
      }),
    )
    .max(8)
    .optional(),
  corosyncLinks: z
    .array(z.strictObject({ linknumber: z.int().min(0).max(7), priority: z.int().min(0).max(255).optional(), addrs: z.record(nodeName, ipv4) }))
    .min(1)
    .max(8)
    .optional(),
});

const faultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('power'), node: nodeName, action: z.enum(['on', 'off', 'reset', 'reboot', 'shutdown']) }),
  z.strictObject({ kind: z.literal('link'), a: nodeName, b: nodeName, cut: z.boolean(), oneWay: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('partition'), groups: z.array(z.array(nodeName).min(1)).min(2) }),
  z.strictObject({ kind: z.literal('isolate'), node: nodeName }),
  z.strictObject({ kind: z.literal('heal') }),
  z.strictObject({ kind: z.literal('link-quality'), a: nodeName, b: nodeName, loss: z.number().min(0).max(1), latencyMs: z.int().min(0).max(60_000) }),
  z.strictObject({ kind: z.literal('clock-skew'), node: nodeName, skewMs: z.int().min(-MAX_MS).max(MAX_MS) }),
  z.strictObject({ kind: z.literal('qdevice-host'), up: z.boolean() }),
  z.strictObject({ kind: z.literal('qdevice-reach'), node: nodeName, reachable: z.boolean() }),
  z.strictObject({ kind: z.literal('storage'), up: z.boolean() }),
  z.strictObject({ kind: z.literal('disk-corrupt'), vmid }),
  z.strictObject({ kind: z.literal('net-port'), network: z.string().min(1).max(40), node: nodeName, up: z.boolean() }),
  z.strictObject({ kind: z.literal('net-saturate'), network: z.string().min(1).max(40), on: z.boolean() }),
]);

const eventType = z.enum(EVENT_TYPES);
const match = z.record(z.string().max(40), z.unknown()).optional();
const checkSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('no-split-brain') }),
  z.strictObject({ kind: z.literal('event'), type: eventType, match }),
  z.strictObject({ kind: z.literal('no-event'), type: eventType, match }),
  z.strictObject({ kind: z.literal('vm-running-at-end'), vmid }),
  z.strictObject({ kind: z.literal('qdevice-configured-at-end'), ip: ipv4.optional() }),
  z.strictObject({ kind: z.literal('node-quorate-at-end'), node: nodeName }),
  z.strictObject({ kind: z.literal('vm-data-intact-at-end'), vmid }),
  z.strictObject({ kind: z.literal('cluster-complete-at-end') }),
  z.strictObject({ kind: z.literal('events-in-order'), steps: z.array(z.strictObject({ type: eventType, match })).min(2).max(12) }),
  z.strictObject({ kind: z.literal('all-quorate-at-end') }),
  z.strictObject({ kind: z.literal('skew-fixed-at-end') }),
  z.strictObject({ kind: z.literal('migrated-before-event'), vmid, from: nodeName, before: eventType }),
  z.strictObject({ kind: z.literal('corosync-link-at-end'), network: z.string().min(1).max(40), preferred: z.boolean().optional() }),
]);

const scenarioShape = z.strictObject({
  id,
  title: i18n(120),
  description: i18n(3000),
  goals: z.strictObject({ fr: z.array(text(400)).max(12), en: z.array(text(400)).max(12) }),
  concepts: z.array(z.enum(Object.keys(CONCEPTS) as [string, ...string[]])).max(20),
  cluster: clusterSchema,
  qdeviceSeat: z.boolean(),
  timeline: z.array(z.strictObject({ atMs: ms, fault: faultSchema, note: i18n(400) })).max(100),
  objectives: z.array(z.strictObject({ id, title: i18n(200), points: z.int().min(0).max(100), check: checkSchema })).min(1).max(30),
  checkpoints: z.array(z.strictObject({ id, atMs: ms, pause: z.boolean(), title: i18n(200), questions: z.array(z.enum(QUESTIONS)).min(1).max(QUESTIONS.length) })).max(10),
});

/** The whole schema: its output is a Scenario (the compiler checks the two stay equal). */
export const scenarioSchema: z.ZodType<Scenario> = scenarioShape.superRefine((s, ctx) => {
  // Zod runs this even when a nested field failed; a file too broken to cross-check already has its
  // errors, so a throw here only means "nothing more to say".
  let problems: Problem[] = [];
  try {
    problems = crossProblems(s);
  } catch {
    return;
  }
  for (const p of problems) ctx.addIssue({ code: 'custom', path: p.path, message: p.message.en, params: { fr: p.message.fr } });
});

type Path = (string | number)[];
interface Problem {
  path: Path;
  message: I18nText;
}

/** The checks that need the whole file: names and ids must refer to things the scenario has. */
function crossProblems(s: z.infer<typeof scenarioShape>): Problem[] {
  const out: Problem[] = [];
  const say = (path: Path, fr: string, en: string) => out.push({ path, message: { fr, en } });
  const names = s.cluster.nodes.map((n) => n.name);
  const vmids = s.cluster.vms.map((v) => v.vmid);
  const dupes = <T>(xs: T[], where: (i: number) => Path, what: I18nText) =>
    xs.forEach((x, i) => xs.indexOf(x) !== i && say(where(i), `${what.fr} en double : ${String(x)}`, `duplicate ${what.en}: ${String(x)}`));
  dupes(names, (i) => ['cluster', 'nodes', i, 'name'], { fr: 'nom de nœud', en: 'node name' });
  dupes(s.cluster.nodes.map((n) => n.nodeid), (i) => ['cluster', 'nodes', i, 'nodeid'], { fr: 'nodeid', en: 'nodeid' });
  dupes(s.cluster.nodes.map((n) => n.ip), (i) => ['cluster', 'nodes', i, 'ip'], { fr: 'adresse IP', en: 'IP address' });
  dupes(vmids, (i) => ['cluster', 'vms', i, 'vmid'], { fr: 'VMID', en: 'VMID' });
  dupes(s.objectives.map((o) => o.id), (i) => ['objectives', i, 'id'], { fr: "id d'objectif", en: 'objective id' });
  dupes(s.checkpoints.map((c) => c.id), (i) => ['checkpoints', i, 'id'], { fr: 'id de point d’étape', en: 'checkpoint id' });
  const node = (path: Path, n: unknown) => {
    if (typeof n === 'string' && !names.includes(n)) say(path, `nœud inconnu « ${n} » (le cluster a : ${names.join(', ')})`, `unknown node "${n}" (the cluster has: ${names.join(', ')})`);
  };
  const vm = (path: Path, v: unknown) => {
    if (typeof v === 'number' && !vmids.includes(v)) say(path, `VM inconnue ${v} (le cluster a : ${vmids.join(', ') || 'aucune'})`, `unknown VM ${v} (the cluster has: ${vmids.join(', ') || 'none'})`);
  };
  s.cluster.vms.forEach((v, i) => node(['cluster', 'vms', i, 'node'], v.node));
  const nets = s.cluster.networks ?? [];
  const netIds = nets.map((n) => n.id);
  dupes(netIds, (i) => ['cluster', 'networks', i, 'id'], { fr: 'id de réseau', en: 'network id' });
  nets.forEach((n, i) => Object.keys(n.addrs).forEach((m) => node(['cluster', 'networks', i, 'addrs', m], m)));
  (s.cluster.corosyncLinks ?? []).forEach((l, i) => Object.keys(l.addrs).forEach((m) => node(['cluster', 'corosyncLinks', i, 'addrs', m], m)));
  const network = (path: Path, id: string) => {
    if (!netIds.includes(id)) say(path, `réseau inconnu « ${id} » (le cluster a : ${netIds.join(', ') || 'aucun'})`, `unknown network "${id}" (the cluster has: ${netIds.join(', ') || 'none'})`);
  };
  if (s.cluster.qdevice && s.cluster.nodes.some((n) => n.ip === s.cluster.qdevice!.ip))
    say(['cluster', 'qdevice', 'ip'], "le QDevice doit avoir sa propre adresse, hors des nœuds", 'the QDevice needs its own address, not a node’s');
  const o = s.cluster.options;
  if (o.two_node && names.length !== 2) say(['cluster', 'options', 'two_node'], 'two_node exige exactement 2 nœuds', 'two_node needs exactly 2 nodes');
  if (o.last_man_standing_window !== undefined && !o.last_man_standing)
    say(['cluster', 'options', 'last_man_standing_window'], 'last_man_standing_window sans last_man_standing', 'last_man_standing_window is set but last_man_standing is off');
  if (o.allow_downscale && s.cluster.qdevice?.configured)
    say(['cluster', 'options', 'allow_downscale'], 'allow_downscale est refusé avec un QDevice (corosync refuse la configuration)', 'allow_downscale cannot be used with a QDevice (corosync refuses the configuration)');
  const trap = s.cluster.qdevice?.vm;
  if (trap) {
    node(['cluster', 'qdevice', 'vm', 'node'], trap.node);
    vm(['cluster', 'qdevice', 'vm', 'vmid'], trap.vmid);
    if (trap.ip === s.cluster.qdevice!.ip || names.some((n) => s.cluster.nodes.find((x) => x.name === n)!.ip === trap.ip))
      say(['cluster', 'qdevice', 'vm', 'ip'], "la VM QDevice doit avoir sa propre adresse", 'the QDevice VM needs its own address');
  }
  if (s.qdeviceSeat && !s.cluster.qdevice) say(['qdeviceSeat'], 'qdeviceSeat demande un QDevice dans cluster.qdevice', 'qdeviceSeat needs a QDevice in cluster.qdevice');
  if (s.goals.fr.length !== s.goals.en.length) say(['goals', 'en'], 'autant de buts en anglais qu’en français', 'as many goals in English as in French');

  s.timeline.forEach((t, i) => {
    const at = (k: string, ...rest: Path): Path => ['timeline', i, 'fault', k, ...rest];
    const f = t.fault;
    switch (f.kind) {
      case 'power':
      case 'isolate':
      case 'clock-skew':
      case 'qdevice-reach':
        node(at('node'), f.node);
        break;
      case 'link':
      case 'link-quality':
        node(at('a'), f.a);
        node(at('b'), f.b);
        break;
      case 'partition':
        f.groups.forEach((g, gi) => g.forEach((n, ni) => node(at('groups', gi, ni), n)));
        break;
      case 'heal':
      case 'qdevice-host':
      case 'storage':
        break;
      case 'disk-corrupt':
        vm(at('vmid'), f.vmid);
        break;
      case 'net-port':
        node(at('node'), f.node);
        network(at('network'), f.network);
        break;
      case 'net-saturate':
        network(at('network'), f.network);
        break;
      default: {
        const _exhaustive: never = f;
        return _exhaustive;
      }
    }
    if ((f.kind === 'qdevice-host' || f.kind === 'qdevice-reach') && !s.cluster.qdevice)
      say(['timeline', i, 'fault', 'kind'], `${f.kind} sans QDevice dans le cluster`, `${f.kind} but the cluster has no QDevice`);
  });
  s.objectives.forEach((ob, i) => {
    const at = (...rest: Path): Path => ['objectives', i, 'check', ...rest];
    const c = ob.check;
    if (c.kind === 'vm-running-at-end' || c.kind === 'vm-data-intact-at-end') vm(at('vmid'), c.vmid);
    if (c.kind === 'node-quorate-at-end') node(at('node'), c.node);
    if (c.kind === 'migrated-before-event') {
      vm(at('vmid'), c.vmid);
      node(at('from'), c.from);
    }
    // In a match, `qnetd` names the QDevice host's terminal (its commands, its apt install).
    const matchNode = (path: Path, n: unknown) => (n === 'qnetd' && s.cluster.qdevice ? undefined : node(path, n));
    if ((c.kind === 'event' || c.kind === 'no-event') && c.match) {
      vm(at('match', 'vmid'), c.match.vmid);
      matchNode(at('match', 'node'), c.match.node);
    }
    if (c.kind === 'events-in-order')
      c.steps.forEach((st, si) => {
        vm(at('steps', si, 'match', 'vmid'), st.match?.vmid);
        matchNode(at('steps', si, 'match', 'node'), st.match?.node);
      });
    if (c.kind === 'qdevice-configured-at-end' && !s.cluster.qdevice) say(at('kind'), 'cet objectif demande un QDevice dans le cluster', 'this objective needs a QDevice in the cluster');
    if (c.kind === 'corosync-link-at-end') network(at('network'), c.network);
  });
  return out;
}

export interface ScenarioIssue {
  path: Path;
  message: I18nText;
  /** an unknown field: its name (the path is the object holding it) */
  key?: string;
}

/** The value at `path` inside `root` (undefined when the path does not exist). */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

const TYPE_FR: Record<string, string> = { string: 'un texte', number: 'un nombre', int: 'un nombre entier', boolean: 'true ou false', array: 'une liste [...]', object: 'un objet {...}' };
const kindOf = (v: unknown) => (v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const KIND_FR: Record<string, string> = { nothing: 'rien (champ absent)', null: 'null', array: 'une liste', object: 'un objet', string: 'un texte', number: 'un nombre', boolean: 'un booléen' };

/** A zod issue in both languages. */
function bilingual(issue: z.core.$ZodIssue, input: unknown): I18nText {
  const got = valueAt(input, issue.path);
  switch (issue.code) {
    case 'custom':
      return { fr: String((issue.params as { fr?: string } | undefined)?.fr ?? issue.message), en: issue.message };
    case 'invalid_type': {
      if (got === undefined) return { fr: 'champ obligatoire manquant', en: 'required field is missing' };
      const k = kindOf(got);
      return { fr: `attendu : ${TYPE_FR[issue.expected] ?? issue.expected}, trouvé : ${KIND_FR[k] ?? k}`, en: `expected ${issue.expected}, got ${k}` };
    }
    case 'unrecognized_keys':
      return { fr: `champ inconnu : ${issue.keys.join(', ')}`, en: `unknown field: ${issue.keys.join(', ')}` };
    case 'invalid_value': {
      const list = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return { fr: `valeur ${JSON.stringify(got)} refusée ; valeurs permises : ${list}`, en: `value ${JSON.stringify(got)} not allowed; allowed: ${list}` };
    }
    case 'invalid_union': {
      const disc = (issue as { discriminator?: string }).discriminator;
      if (disc) {
        const v = JSON.stringify(issue.path.at(-1) === disc ? got : valueAt(got, [disc])) ?? 'nothing';
        return { fr: `« ${disc} » inconnu : ${v}`, en: `unknown "${disc}": ${v}` };
      }
      return { fr: 'valeur refusée', en: 'value not allowed' };
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const n = String(small ? issue.minimum : issue.maximum);
      if (issue.origin === 'string') return small ? { fr: 'texte vide', en: 'empty text' } : { fr: `texte trop long (${n} caractères au plus)`, en: `text too long (at most ${n} characters)` };
      if (issue.origin === 'array') return small ? { fr: `au moins ${n} élément(s)`, en: `at least ${n} item(s)` } : { fr: `au plus ${n} éléments`, en: `at most ${n} items` };
      return small ? { fr: `doit valoir au moins ${n}`, en: `must be at least ${n}` } : { fr: `doit valoir au plus ${n}`, en: `must be at most ${n}` };
    }
    case 'invalid_format':
      return { fr: `${JSON.stringify(got)} refusé ; attendu : ${FORMAT_FR[issue.message] ?? issue.message}`, en: `${JSON.stringify(got)} not allowed; expected ${issue.message}` };
    // Other zod codes (not_multiple_of, invalid_key, invalid_element): zod's own English words.
    case 'not_multiple_of':
    case 'invalid_key':
    case 'invalid_element':
      return { fr: issue.message, en: issue.message };
    default: {
      const _exhaustive: never = issue;
      return { fr: String((_exhaustive as { message?: unknown }).message), en: String((_exhaustive as { message?: unknown }).message) };
    }
  }
}

/** Checks a parsed scenario value. Never throws. */
export function checkScenario(value: unknown): { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] } {
  const r = scenarioSchema.safeParse(value);
  if (r.success) return { ok: true, scenario: r.data };
  return {
    ok: false,
    issues: r.error.issues.slice(0, 50).map((i) => {
      const path = i.path.filter((k): k is string | number => typeof k !== 'symbol');
      const message = bilingual(i, value);
      // An unknown field points at its key; an unknown kind at the kind itself.
      if (i.code === 'unrecognized_keys') return { path, message, key: i.keys[0] };
      const disc = i.code === 'invalid_union' ? (i as { discriminator?: string }).discriminator : undefined;
      return { path: disc && path.at(-1) !== disc && valueAt(value, [...path, disc]) !== undefined ? [...path, disc] : path, message };
    }),
  };
}
