// One door for every teacher action, whether it comes over HTTP (LabObject) or over a teacher
// socket (ClusterObject): the same lab-status check and the same fault validation, so an ended
// lab never changes and an unknown node is refused the same way everywhere.
import type { LabStatus } from '../protocol/messages';
import type { Fault } from '../sim/types';

export type LabError = { error: { code: string; message: string; status: number } };
export const fail = (status: number, code: string, message: string): LabError => ({ error: { code, message, status } });

/** Refused when there is no lab, or when it has ended (the grades are stored: nothing may change). */
export function teacherActionRefused(status: LabStatus | undefined): LabError | null {
  if (status === undefined) return fail(404, 'not_found', 'no such lab');
  if (status === 'ended') return fail(409, 'lab_ended', 'this lab has ended');
  return null;
}

/** A fault naming a node the scenario does not have is refused; so is a network fault naming a
 * network the cluster does not have (none: one flat network), or a port a node has not there. */
export function faultRefused(fault: Fault, nodes: string[], vmids?: number[], networks: readonly { id: string; addrs: Record<string, string> }[] = []): LabError | null {
  // The guests exist at run time (students create and destroy them): the team room passes its own.
  if (fault.kind === 'disk-corrupt' && vmids && !vmids.includes(fault.vmid)) return fail(400, 'unknown_vm', `this cluster has no VM ${fault.vmid}`);
  const named = [
    ...('node' in fault ? [fault.node] : []),
    ...('a' in fault ? [fault.a, fault.b] : []),
    ...(fault.kind === 'partition' ? fault.groups.flat() : []),
  ];
  const unknown = named.find((n) => !nodes.includes(n));
  if (unknown) return fail(400, 'unknown_node', `this scenario has no node ${unknown}`);
  if (fault.kind !== 'net-port' && fault.kind !== 'net-saturate') return null;
  const net = networks.find((n) => n.id === fault.network);
  if (!net) return fail(400, 'unknown_network', networks.length ? `this cluster has no network ${fault.network} (${networks.map((n) => n.id).join(', ')})` : 'this cluster has a single flat network: no network faults');
  if (fault.kind === 'net-port' && net.addrs[fault.node] === undefined) return fail(400, 'unknown_port', `${fault.node} has no port on network ${fault.network}`);
  return null;
}

/** Settings: an ended lab still takes the grading ones (weights, graded): they change how the
 * stored session is graded, never the session itself. Anything else is refused like any action. */
export function settingsRefused(status: LabStatus | undefined, patch: Record<string, unknown>): LabError | null {
  if (status === 'ended') {
    const other = Object.keys(patch).filter((k) => patch[k] !== undefined && k !== 'weights' && k !== 'graded');
    return other.length ? fail(409, 'lab_ended', `this lab has ended: only weights and graded can still change (not ${other.join(', ')})`) : null;
  }
  return teacherActionRefused(status);
}
