// rules/networks: which knet link carries corosync, failover, saturation, port cuts, knet events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { carrier, inSubnet, knetLinkState, linksOf } from '../../../../src/sim/rules/networks';
import type { ClusterConfig, CorosyncLink, Fault, NetworkConfig } from '../../../../src/sim/types';
import { step } from '../../../../src/sim/index';
import { Harness, haVm, mkConfig } from '../harness';
import { Lab } from '../shell/lab';

const NAMES = ['pve1', 'pve2', 'pve3'];
const on = (net: number) => Object.fromEntries(NAMES.map((n, i) => [n, `10.0.${net}.${11 + i}`]));
const NETWORKS: NetworkConfig[] = [
  { id: 'vlan10', vlan: 10, subnet: '10.0.10.0/24', roles: ['corosync'], addrs: on(10) },
  { id: 'vlan20', vlan: 20, subnet: '10.0.20.0/24', roles: ['storage'], addrs: on(20) },
];

/** Three nodes on VLAN 10 and VLAN 20; corosync links as given (default: link0 on VLAN 20 alone). */
function netConfig(links: CorosyncLink[] = [{ linknumber: 0, addrs: on(20) }]): ClusterConfig {
  return { ...mkConfig({ nodes: 3, vms: [haVm(100, 'pve2')] }), networks: NETWORKS, corosyncLinks: links };
}
const TWO_LINKS: CorosyncLink[] = [
  { linknumber: 0, addrs: on(20) },
  { linknumber: 1, priority: 10, addrs: on(10) },
];

describe('knet links', () => {
  it('a cluster without networks keeps link0 on NodeConfig.ip, and the pairwise cut as before', () => {
    const h = new Harness(mkConfig({ nodes: 3 }));
    expect(linksOf(h.s, h.s.nodes.pve1!)).toEqual([{ linknumber: 0, addrs: { pve1: '10.0.10.11', pve2: '10.0.10.12', pve3: '10.0.10.13' } }]);
    expect(carrier(h.s, 'pve1', 'pve2')).toBe(0);
    h.fault({ kind: 'link', a: 'pve1', b: 'pve2', cut: true, oneWay: true });
    expect(carrier(h.s, 'pve1', 'pve2')).toBeNull();
    expect(carrier(h.s, 'pve2', 'pve1')).toBe(0);
    expect(h.s.nodes.pve1!.knet).toBeUndefined();
    h.advance(30_000);
    expect(h.of('knet-link')).toEqual([]);
  });

  it('each reason a link does not carry: no address, another network, a port down, saturation', () => {
    const h = new Harness(netConfig([{ linknumber: 0, addrs: { ...on(20), pve3: '10.0.10.13' } }]));
    const link = linksOf(h.s, h.s.nodes.pve1!)[0]!;
    expect(knetLinkState(h.s, 'pve1', 'pve2', link)).toBe('up');
    expect(knetLinkState(h.s, 'pve1', 'pve3', link)).toBe('other-network');
    expect(knetLinkState(h.s, 'pve1', 'pve2', { linknumber: 1, addrs: on(10) })).toBe('no-address');
    h.fault({ kind: 'net-port', network: 'vlan20', node: 'pve2', up: false });
    expect(knetLinkState(h.s, 'pve1', 'pve2', link)).toBe('port-down');
    h.fault({ kind: 'net-port', network: 'vlan20', node: 'pve2', up: true });
    h.fault({ kind: 'net-saturate', network: 'vlan20', on: true });
    expect(knetLinkState(h.s, 'pve1', 'pve2', link)).toBe('saturated');
  });

  it('one link on the storage network: saturating it breaks membership and quorum (the course’s reason)', () => {
    const h = new Harness(netConfig());
    h.advance(5_000);
    h.fault({ kind: 'net-saturate', network: 'vlan20', on: true });
    h.until(() => !h.quorate('pve1') && !h.quorate('pve2') && !h.quorate('pve3'), 30_000);
    expect(h.first('knet-link', (e) => e.node === 'pve1' && e.peer === 'pve2')).toMatchObject({ down: [0], up: [], best: null, priority: null });
  });

  it('a second link on a dedicated network: saturating storage or cutting a port changes nothing for quorum', () => {
    const h = new Harness(netConfig(TWO_LINKS));
    expect(carrier(h.s, 'pve1', 'pve2')).toBe(1); // priority 10 beats the default 1
    h.advance(5_000);
    h.fault({ kind: 'net-saturate', network: 'vlan20', on: true });
    h.fault({ kind: 'net-port', network: 'vlan20', node: 'pve2', up: false });
    h.advance(60_000);
    for (const n of NAMES) expect(h.quorate(n)).toBe(true);
    expect(h.of('membership-changed')).toEqual([]);
    // the links went down, the best link stayed link 1
    expect(h.first('knet-link', (e) => e.node === 'pve1' && e.peer === 'pve2')).toMatchObject({ down: [0], best: 1, priority: 10 });
  });

  it('passive link_mode fails over to the next link when the best one fails, and back when it returns', () => {
    const h = new Harness(netConfig(TWO_LINKS));
    h.advance(5_000);
    h.fault({ kind: 'net-port', network: 'vlan10', node: 'pve3', up: false });
    expect(carrier(h.s, 'pve1', 'pve3')).toBe(0);
    expect(carrier(h.s, 'pve1', 'pve2')).toBe(1);
    expect(h.first('knet-link', (e) => e.node === 'pve3' && e.peer === 'pve1')).toMatchObject({ down: [1], best: 0, priority: 1 });
    h.advance(30_000);
    expect(h.quorate('pve3')).toBe(true);
    h.fault({ kind: 'net-port', network: 'vlan10', node: 'pve3', up: true });
    expect(carrier(h.s, 'pve1', 'pve3')).toBe(1);
    expect(h.of('knet-link', (e) => e.node === 'pve3' && e.peer === 'pve1').at(-1)).toMatchObject({ up: [1], down: [], best: 1 });
    // ties on priority: the lowest linknumber
    const tie = new Harness(netConfig([{ linknumber: 1, addrs: on(10) }, { linknumber: 0, addrs: on(20) }]));
    expect(carrier(tie.s, 'pve1', 'pve2')).toBe(0);
  });

  it('cutting every link of one node isolates it (both links down) and heal brings them back', () => {
    const h = new Harness(netConfig(TWO_LINKS));
    h.advance(5_000);
    h.fault({ kind: 'net-port', network: 'vlan10', node: 'pve2', up: false });
    h.fault({ kind: 'net-port', network: 'vlan20', node: 'pve2', up: false });
    h.until(() => !h.quorate('pve2'), 30_000);
    expect(h.quorate('pve1')).toBe(true);
    h.fault({ kind: 'heal' });
    h.until(() => h.quorate('pve2'), 30_000);
    expect(h.s.nets!.vlan10!.down).toEqual([]);
  });

  it('knet events come only on change: a steady minute emits none', () => {
    const h = new Harness(netConfig(TWO_LINKS));
    h.fault({ kind: 'net-saturate', network: 'vlan20', on: true });
    const n = h.of('knet-link').length;
    expect(n).toBe(6); // every directed pair lost link 0 once
    h.advance(60_000);
    expect(h.of('knet-link')).toHaveLength(n);
  });

  it('inSubnet', () => {
    expect(inSubnet('10.0.10.11', '10.0.10.0/24')).toBe(true);
    expect(inSubnet('10.0.11.11', '10.0.10.0/24')).toBe(false);
    expect(inSubnet('10.0.11.11', '10.0.0.0/16')).toBe(true);
    expect(inSubnet('nonsense', '10.0.0.0/16')).toBe(false);
  });
});

describe('property: one healthy corosync link between every pair keeps the cluster quorate', () => {
  // Link 1 on VLAN 10 stays healthy; anything may happen to VLAN 20 (link 0) and to the other
  // networks: port cuts, saturation, recoveries, in any order.
  const faultArb: fc.Arbitrary<Fault> = fc.oneof(
    fc.record({ kind: fc.constant('net-port' as const), network: fc.constantFrom('vlan20', 'vlan30'), node: fc.constantFrom(...NAMES), up: fc.boolean() }),
    fc.record({ kind: fc.constant('net-saturate' as const), network: fc.constantFrom('vlan20', 'vlan30'), on: fc.boolean() }),
  );
  const priorities = fc.record({ p0: fc.integer({ min: 0, max: 255 }), p1: fc.integer({ min: 0, max: 255 }) });
  it('holds for random fault schedules and link priorities', () => {
    fc.assert(
      fc.property(priorities, fc.array(fc.tuple(faultArb, fc.integer({ min: 0, max: 15_000 })), { maxLength: 12 }), ({ p0, p1 }, schedule) => {
        const config = netConfig([
          { linknumber: 0, priority: p0, addrs: on(20) },
          { linknumber: 1, priority: p1, addrs: on(10) },
        ]);
        config.networks = [...NETWORKS, { id: 'vlan30', vlan: 30, subnet: '10.0.30.0/24', roles: ['vm'], addrs: on(30) }];
        const h = new Harness(config);
        for (const [f, wait] of schedule) {
          h.fault(f);
          h.advance(wait);
          for (const n of NAMES) expect(h.quorate(n), `${n} after ${JSON.stringify(f)}`).toBe(true);
        }
        expect(h.of('quorum-lost')).toEqual([]);
        expect(h.of('membership-changed')).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('joining a cluster whose corosync.conf lists its links', () => {
  it('the joiner’s IP goes on link0 (pvecm add’s fallback) and the two nodes form one quorate ring', () => {
    const lab = new Lab({ nodes: 2, vms: [], standalone: true });
    expect(lab.cmd('pve1', 'pvecm create salle-b').exitCode).toBe(0);
    lab.run(5000);
    const text = lab.cmd('pve1', 'nano /etc/pve/corosync.conf').edit!.text;
    const saved = step(lab.s, { type: 'edit', at: lab.t, node: 'pve1', path: '/etc/pve/corosync.conf', text: text.replace('config_version: 1', 'config_version: 2') });
    expect(saved.command!.exitCode).toBe(0);
    expect(lab.s.nodes.pve1!.cfs.links).toEqual([{ linknumber: 0, addrs: { pve1: '10.0.10.11' } }]);
    expect(lab.cmd('pve2', 'pvecm add 10.0.10.11').exitCode).toBe(0);
    lab.run(20_000);
    expect(lab.s.nodes.pve1!.cfs.links).toEqual([{ linknumber: 0, addrs: { pve1: '10.0.10.11', pve2: '10.0.10.12' } }]);
    expect(lab.s.nodes.pve2!.members).toEqual(['pve1', 'pve2']);
    expect(lab.s.nodes.pve2!.quorate).toBe(true);
    expect(lab.out('pve2', 'cat /etc/pve/corosync.conf')).toContain('    name: pve2\n    nodeid: 2\n    quorum_votes: 1\n    ring0_addr: 10.0.10.12\n');
  });
});
