// Plain-JSON types of the networks of a cluster (the network design lab: docs/sim.md, "Networks"),
// kept apart from types.ts, which re-exports them.
import type { NodeName } from './types.js';

/** What a network carries: the course's corosync, storage, management and VM networks, plus live
 * migration traffic (docs/sim.md, "Networks"). */
export type NetworkRole = 'corosync' | 'storage' | 'migration' | 'management' | 'vm';

/** One network the nodes share: a VLAN on a bond or a NIC of its own. */
export interface NetworkConfig {
  /** stable id used by faults and files ("vlan10", "nic-sto") */
  id: string;
  vlan?: number;
  /** "10.0.10.0/24" */
  subnet: string;
  roles: NetworkRole[];
  /** each node's address on this network */
  addrs: Record<NodeName, string>;
}

/** One knet link of corosync.conf: `totem.interface { linknumber; knet_link_priority }` and each
 * node's `ring<linknumber>_addr`. */
export interface CorosyncLink {
  linknumber: number;
  /** knet_link_priority (absent: 1); in passive link_mode the highest connected one carries the
   * traffic */
  priority?: number;
  addrs: Record<NodeName, string>;
}

/** A network as it is right now (faults): a node's port on it down, or the network saturated by
 * bulk traffic (storage, migration) so that anything else on it waits past the token. */
export interface NetRuntime {
  down: NodeName[];
  saturated: boolean;
}
