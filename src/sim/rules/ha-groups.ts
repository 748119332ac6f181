// HA placement: where the CRM starts, recovers and fails back a service — HA groups (node
// priorities, restricted, nofailback), fewest services, ties by name (docs/sim.md, "HA").
import type { RecoveryWhy } from '../events.js';
import { serviceId } from '../kernel.js';
import type { CfsDb, ClusterState, HaGroup, NodeName } from '../types.js';

/** Services are counted per node to pick a target (fewest first, ties by name). */
export function serviceCount(db: CfsDb, node: NodeName): number {
  let n = 0;
  for (const x of Object.values(db.ha)) if (x.node === node && x.state !== 'stopped' && x.requested !== 'disabled') n++;
  return n;
}

/** The group of a service, if it names one that exists in this /etc/pve copy. */
export function groupOf(db: CfsDb, vmid: number): { name: string; group: HaGroup } | null {
  const name = db.ha[serviceId(vmid)]?.group;
  const group = name ? db.groups?.[name] : undefined;
  return name && group ? { name, group } : null;
}

export interface Placement {
  /** where the service may go, best first (empty: nowhere) */
  targets: NodeName[];
  why: RecoveryWhy;
  /** no target because of a restricted group with no member online */
  restrictedEmpty?: boolean;
}

const byName = (a: NodeName, b: NodeName) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Where a service may run in partition `p` (minus `exclude`): its own node only for a guest on
 * local storage; else the online members of its group by priority (restricted: only them), then
 * the fewest HA services, then the name.
 */
export function placement(s: ClusterState, db: CfsDb, p: NodeName[], vmid: number, exclude?: NodeName): Placement {
  const vm = db.vms[String(vmid)];
  const none: Placement = { targets: [], why: { rule: 'fewest-services', candidates: [] } };
  if (!vm) return none;
  const usable = (m: NodeName) => m !== exclude && p.includes(m) && s.nodes[m]?.power === 'on' && !db.maintenance.includes(m);
  // A guest on local storage can only run where its disk is: a recovery waits for that node.
  if (vm.storage === 'local') {
    const ok = usable(vm.node);
    return { targets: ok ? [vm.node] : [], why: { rule: 'local-storage', candidates: ok ? [{ node: vm.node, services: serviceCount(db, vm.node) }] : [] } };
  }
  if (!s.storageUp) return none;
  const online = p.filter(usable);
  const count = new Map(online.map((m) => [m, serviceCount(db, m)] as const));
  const g = groupOf(db, vmid);
  const members = g ? online.filter((m) => g.group.nodes[m] !== undefined) : [];
  if (g && (members.length || g.group.restricted)) {
    const prio = (m: NodeName) => g.group.nodes[m]!;
    members.sort((a, b) => prio(b) - prio(a) || count.get(a)! - count.get(b)! || byName(a, b));
    const candidates = members.map((node) => ({ node, services: count.get(node)!, priority: prio(node) }));
    const [a, b] = candidates;
    return {
      targets: members,
      why: { rule: 'group-priority', candidates, group: g.name, ...(a && b && a.priority === b.priority && a.services === b.services ? { tieByName: true } : {}) },
      ...(members.length ? {} : { restrictedEmpty: true }),
    };
  }
  online.sort((a, b) => count.get(a)! - count.get(b)! || byName(a, b));
  const candidates = online.map((node) => ({ node, services: count.get(node)! }));
  const [a, b] = candidates;
  return {
    targets: online,
    why: { rule: 'fewest-services', candidates, ...(g ? { group: g.name } : {}), ...(a && b && a.services === b.services ? { tieByName: true } : {}) },
  };
}

/** The node a running grouped service should fail back to (a higher-priority member is online and
 * nofailback is off), or null. */
export function failbackTarget(s: ClusterState, db: CfsDb, p: NodeName[], vmid: number, current: NodeName): NodeName | null {
  const g = groupOf(db, vmid);
  if (!g || g.group.nofailback) return null;
  const best = placement(s, db, p, vmid).targets[0];
  if (!best || best === current) return null;
  const prio = (m: NodeName) => g.group.nodes[m] ?? -1;
  return prio(best) > prio(current) ? best : null;
}
