// Writes to corosync.conf (kept in /etc/pve, so quorate writes only): `pvecm qdevice setup`,
// `pvecm qdevice remove`, the cluster build's nodelist, and the editor's save (docs/sim.md,
// "corosync.conf"). Every write raises config_version.
import { readConf, MAX_CONF_BYTES, type ConfModel } from '../corosync-parse.js';
import { configVersionOf, emit, nodeid, nodelistOf, type Ctx } from '../kernel.js';
import type { CfsDb, ClusterState, NodeName, NodeRuntime, QdeviceAlgorithm } from '../types.js';
import { linksOf, nodeAddrs } from './networks.js';
import { cfsCommit, cfsRefuse } from './pmxcfs.js';
import { reloadExpectedWithoutQdevice } from './votequorum.js';

export const COROSYNC_CONF = 'corosync.conf';

/** A write of corosync.conf through pmxcfs (quorate only): `mutate`, then config_version becomes
 * `version` (a file written whole: `pvecm create`, the editor) or goes up by one (the tools). */
export function commitCorosyncConf(c: Ctx, node: NodeName, what: string, mutate: (db: CfsDb) => void, version?: number): boolean {
  return cfsCommit(
    c,
    node,
    COROSYNC_CONF,
    what,
    (db) => {
      mutate(db);
      db.configVersion = version ?? configVersionOf(db) + 1;
    },
    (db) => (db.links ? { links: db.links } : {}),
  );
}

/** `pvecm qdevice setup`: the device section is added; every node's daemon starts with it. */
export function setupQdevice(c: Ctx, node: NodeName, ip: string, algorithm: QdeviceAlgorithm, what: string): boolean {
  const ok = commitCorosyncConf(c, node, what, (db) => {
    db.qdevice = { configured: true, ip, algorithm };
  });
  if (ok) emit(c, { type: 'qdevice-configured', node, enabled: true, ip });
  return ok;
}

/** `pvecm qdevice remove`: the device section goes, and reloading corosync.conf recomputes the
 * expected votes of the partition `p` from the node list. */
export function removeQdevice(c: Ctx, node: NodeName, p: NodeName[], what: string): boolean {
  const ok = commitCorosyncConf(c, node, what, (db) => {
    db.qdevice = null;
  });
  if (!ok) return false;
  reloadExpectedWithoutQdevice(c.s, p);
  emit(c, { type: 'qdevice-configured', node, enabled: false });
  return true;
}

/** The page's editor saved `path` (an `edit` input; shell/editor.ts prints the outcome):
 * corosync.conf is written through pmxcfs (quorate only), read like corosync reads it
 * (src/sim/corosync-parse.ts) and checked against the cluster, then committed and reloaded on every member when its config_version went up: the new
 * knet links carry the traffic at once. A file corosync would refuse is not saved (the lab keeps
 * the class's cluster bootable); the output says what nano, pmxcfs and corosync would say. */
export function saveEdit(c: Ctx, node: NodeName, path: string, text: string): SaveOutcome {
  const s = c.s;
  const n = s.nodes[node]!;
  const fail = (lines: string[], en: string, fr: string): SaveOutcome => ({ ok: false, lines, hint: { en, fr } });
  if (path !== CONF_PATH || n.cfs.nodelist === null)
    return fail([`[ Error writing ${path}: No such file or directory ]`], `this lab saves ${CONF_PATH} of a cluster node only`, `ce lab n’enregistre que ${CONF_PATH} d’un nœud en cluster`);
  if (typeof text !== 'string' || text.length > MAX_CONF_BYTES)
    return fail([`[ Error writing ${path}: File too large ]`], `corosync.conf stays under ${MAX_CONF_BYTES} bytes`, `corosync.conf reste sous ${MAX_CONF_BYTES} octets`);
  const what = `nano ${CONF_PATH}`;
  if (!n.quorate) {
    cfsRefuse(c, node, COROSYNC_CONF, what);
    return fail([`[ Error writing ${path}: Permission denied ]`], 'no quorum: /etc/pve is read-only; restore quorum first', 'pas de quorum : /etc/pve est en lecture seule ; rétablissez d’abord le quorum');
  }
  const read = readConf(text);
  const notSaved = '[ Not saved: corosync would refuse this file (corosync-cfgtool -R fails, corosync would not restart) ]';
  if ('error' in read) {
    const at = read.error.line ? `corosync.conf:${read.error.line}: ` : '';
    return fail([`corosync: [MAIN  ] ${at}${read.error.message}`, notSaved], 'fix the line named, keep the braces balanced', 'corrigez la ligne indiquée, gardez les accolades équilibrées');
  }
  const conf = read.conf;
  const problem = clusterProblem(s, n, conf);
  if (problem) return fail([`corosync: [MAIN  ] ${problem.message}`, notSaved], problem.en, problem.fr);
  const now = configVersionOf(n.cfs);
  const v = conf.configVersion ?? 0;
  if (v < now)
    return fail(
      [`[ Wrote ${lineCount(text)} lines ]`, 'pmxcfs: [dcdb] crit: local corosync.conf is newer', `(config_version ${v} < ${now}: the change is not applied)`],
      `raise config_version above ${now} in the same edit`,
      `augmentez config_version au-dessus de ${now} dans la même modification`,
    );
  if (v === now)
    return fail(
      [`[ Wrote ${lineCount(text)} lines ]`, `pmxcfs: config_version is still ${now}: corosync keeps its running configuration, the change is not applied`],
      `every change of corosync.conf raises config_version (here to ${now + 1})`,
      `chaque modification de corosync.conf augmente config_version (ici à ${now + 1})`,
    );
  const before = linksOf(s, n).map((l) => l.linknumber);
  commitCorosyncConf(c, node, what, (db) => {
    db.links = conf.links;
  }, v);
  const added = conf.links.filter((l) => !before.includes(l.linknumber));
  return {
    ok: true,
    lines: [
      `[ Wrote ${lineCount(text)} lines ]`,
      `pmxcfs: [dcdb] notice: wrote new corosync config '/etc/corosync/corosync.conf' (version = ${v})`,
      `corosync: [CFG   ] Config reload requested by node ${nodeid(s, node)}`,
      ...added.map((l) => `corosync: [TOTEM ] Configuring link ${l.linknumber}`),
    ],
  };
}

/** What saving printed (nano, pmxcfs and corosync's journal lines) and, when refused, the hint. */
export type SaveOutcome = { ok: true; lines: string[] } | { ok: false; lines: string[]; hint: { en: string; fr: string } };

const CONF_PATH = '/etc/pve/corosync.conf';
const lineCount = (text: string) => text.replace(/\n$/, '').split('\n').length;

/** What this cluster cannot take from the file: nodes other than its nodelist (pvecm add and
 * delnode change those), or an address that is not the node's (knet cannot bind it). */
function clusterProblem(s: ClusterState, n: NodeRuntime, conf: ConfModel): { message: string; en: string; fr: string } | null {
  const listed = nodelistOf(s, n) ?? [];
  const names = conf.nodes.map((x) => x.name);
  for (const x of conf.nodes) {
    const cfg = s.config.nodes.find((m) => m.name === x.name);
    if (!cfg || !listed.includes(cfg.name))
      return { message: `node ${x.name ?? '(no name)'} is not in this cluster (${listed.join(', ')})`, en: 'nodes join with pvecm add, never by editing corosync.conf', fr: 'un nœud rejoint avec pvecm add, jamais en éditant corosync.conf' };
    if (x.nodeid !== cfg.nodeid)
      return { message: `node ${cfg.name}: nodeid ${x.nodeid ?? '(none)'} differs from its nodeid ${cfg.nodeid}`, en: 'keep each node’s nodeid as it is', fr: 'gardez le nodeid de chaque nœud tel quel' };
  }
  const missing = listed.find((m) => !names.includes(m));
  if (missing) return { message: `node ${missing} is missing from the nodelist`, en: 'nodes leave with pvecm delnode, never by editing corosync.conf', fr: 'un nœud quitte le cluster avec pvecm delnode, jamais en éditant corosync.conf' };
  for (const x of conf.nodes)
    for (const [k, addr] of Object.entries(x.rings)) {
      const own = nodeAddrs(s, x.name!);
      if (!own.includes(addr))
        return {
          message: `totemknet: ring${k}_addr ${addr} of ${x.name}: Cannot assign requested address (its addresses: ${own.join(', ')})`,
          en: `each ringN_addr is one of that node’s own addresses, on the network link N should use (ip -br addr on ${x.name})`,
          fr: `chaque ringN_addr est une adresse du nœud lui-même, sur le réseau que le lien N doit utiliser (ip -br addr sur ${x.name})`,
        };
    }
  return null;
}
