// Writes to corosync.conf (kept in /etc/pve, so quorate writes only): `pvecm qdevice setup` and
// `pvecm qdevice remove` (docs/sim.md, "corosync.conf").
import { emit, type Ctx } from '../kernel.js';
import type { CommandResult, NodeName, QdeviceAlgorithm } from '../types.js';
import { cfsCommit } from './pmxcfs.js';
import { reloadExpectedWithoutQdevice } from './votequorum.js';

export const COROSYNC_CONF = 'corosync.conf';

/** `pvecm qdevice setup`: the device section is added; every node's daemon starts with it. */
export function setupQdevice(c: Ctx, node: NodeName, ip: string, algorithm: QdeviceAlgorithm, what: string): boolean {
  const ok = cfsCommit(c, node, COROSYNC_CONF, what, (db) => {
    db.qdevice = { configured: true, ip, algorithm };
  });
  if (ok) emit(c, { type: 'qdevice-configured', node, enabled: true, ip });
  return ok;
}

/** `pvecm qdevice remove`: the device section goes, and reloading corosync.conf recomputes the
 * expected votes of the partition `p` from the node list. */
export function removeQdevice(c: Ctx, node: NodeName, p: NodeName[], what: string): boolean {
  const ok = cfsCommit(c, node, COROSYNC_CONF, what, (db) => {
    db.qdevice = null;
  });
  if (!ok) return false;
  reloadExpectedWithoutQdevice(c.s, p);
  emit(c, { type: 'qdevice-configured', node, enabled: false });
  return true;
}

/** The page's editor saved `path` (an `edit` input): corosync.conf is parsed and checked like
 * corosync does, then written through pmxcfs (quorate only) and reloaded on every node when its
 * config_version went up. */
export function saveEdit(c: Ctx, node: NodeName, path: string, text: string): CommandResult {
  void c;
  void node;
  void text;
  return { output: `nano: saving ${path} is not simulated yet`, exitCode: 1 };
}
