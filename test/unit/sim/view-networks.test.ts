// view: the networks a node page and the teacher's dashboard are shown (addresses, VLANs, roles,
// a port cut, a network saturated); a cluster without networks shows none.
import { describe, expect, it } from 'vitest';
import { nodeView, teacherSnapshot } from '../../../src/sim/view';
import type { NetworkConfig } from '../../../src/sim/types';
import { Harness, mkConfig } from './harness';

const NETS: NetworkConfig[] = [
  { id: 'vlan10', vlan: 10, subnet: '10.0.10.0/24', roles: ['management'], addrs: { pve1: '10.0.10.11', pve2: '10.0.10.12', pve3: '10.0.10.13' } },
  { id: 'vlan20', vlan: 20, subnet: '10.0.20.0/24', roles: ['corosync'], addrs: { pve1: '10.0.20.11', pve2: '10.0.20.12', pve3: '10.0.20.13' } },
  { id: 'nic-sto', subnet: '10.0.30.0/24', roles: ['storage', 'migration'], addrs: { pve1: '10.0.30.11', pve2: '10.0.30.12' } },
];

describe('view: networks', () => {
  it('each node sees its own address per network and whether its port is up', () => {
    const h = new Harness({ ...mkConfig({ nodes: 3 }), networks: NETS });
    h.advance(2000);
    h.fault({ kind: 'net-port', network: 'vlan20', node: 'pve2', up: false });
    const v2 = nodeView(h.s, 'pve2');
    expect(v2.networks).toEqual([
      { id: 'vlan10', vlan: 10, subnet: '10.0.10.0/24', roles: ['management'], addr: '10.0.10.12', up: true },
      { id: 'vlan20', vlan: 20, subnet: '10.0.20.0/24', roles: ['corosync'], addr: '10.0.20.12', up: false },
      { id: 'nic-sto', vlan: null, subnet: '10.0.30.0/24', roles: ['storage', 'migration'], addr: '10.0.30.12', up: true },
    ]);
    // pve3 has no address on the storage NIC; its vlan20 port is up.
    const v3 = nodeView(h.s, 'pve3');
    expect(v3.networks!.map((n) => [n.id, n.addr, n.up])).toEqual([
      ['vlan10', '10.0.10.13', true],
      ['vlan20', '10.0.20.13', true],
      ['nic-sto', null, true],
    ]);
  });

  it('the teacher sees every network with its ports down and its saturation', () => {
    const h = new Harness({ ...mkConfig({ nodes: 3 }), networks: NETS });
    h.advance(2000);
    h.fault({ kind: 'net-port', network: 'vlan20', node: 'pve2', up: false });
    h.fault({ kind: 'net-saturate', network: 'nic-sto', on: true });
    const nets = teacherSnapshot(h.s).networks!;
    expect(nets.map((n) => [n.id, n.vlan, n.down, n.saturated])).toEqual([
      ['vlan10', 10, [], false],
      ['vlan20', 20, ['pve2'], false],
      ['nic-sto', null, [], true],
    ]);
    expect(nets[1]!.addrs.pve2).toBe('10.0.20.12');
    // The snapshot is a copy: a later fault does not change what was handed out.
    h.fault({ kind: 'net-port', network: 'vlan20', node: 'pve2', up: true });
    expect(nets[1]!.down).toEqual(['pve2']);
    expect(teacherSnapshot(h.s).networks![1]!.down).toEqual([]);
  });

  it('a cluster without networks shows none', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    h.advance(1000);
    expect('networks' in nodeView(h.s, 'pve1')).toBe(false);
    expect('networks' in teacherSnapshot(h.s)).toBe(false);
  });
});
