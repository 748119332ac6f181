// rules/cluster-build: standalone nodes (pmxcfs local mode), nodelists in /etc/pve, joins that
// replace the joiner's /etc/pve, two clusters that never merge, delnode, and the build objectives.
import { describe, expect, it } from 'vitest';
import { checkObjective } from '../../../../src/sim/objectives';
import { nodeView } from '../../../../src/sim/view';
import { guestsOn, inCluster, writeHostsLine } from '../../../../src/sim/rules/cluster-build';
import type { Objective } from '../../../../src/sim/types';
import { Lab, vm } from '../shell/lab';

const objective = (check: Objective['check']): Objective => ({ id: 'o', points: 1, title: { fr: 'o', en: 'o' }, check });

describe('rules/cluster-build', () => {
  it('standalone nodes run no corosync, count as quorate (local mode) and keep only their guests', () => {
    const lab = new Lab({ standalone: true });
    expect(lab.s.partitions).toEqual([]);
    for (const n of ['pve1', 'pve2', 'pve3']) {
      expect(inCluster(lab.s, n)).toBe(false);
      expect(lab.s.nodes[n]!.quorate).toBe(true);
      expect(lab.s.nodes[n]!.members).toEqual([]);
    }
    expect(guestsOn(lab.s, 'pve1')).toEqual([100]);
    expect(guestsOn(lab.s, 'pve2')).toEqual([101]);
    expect(Object.keys(lab.s.nodes.pve3!.cfs.vms)).toEqual([]);
    expect(lab.events.filter((e) => e.type === 'membership-changed' || e.type === 'quorum-lost')).toEqual([]);
    // What the student sees: no cluster, no votequorum, but a writable /etc/pve.
    expect(nodeView(lab.s, 'pve2')).toMatchObject({ inCluster: false, quorate: false, cfsWritable: true });
    lab.cmd('pve2', 'pvecm create solo');
    lab.run(2000);
    expect(nodeView(lab.s, 'pve2')).toMatchObject({ inCluster: true, quorate: true, votes: 1, expected: 1, quorum: 1 });
  });

  it('two clusters created side by side never merge, whatever the network', () => {
    const lab = new Lab({ standalone: true, nodes: 4, vms: [] });
    lab.cmd('pve1', 'pvecm create rouge');
    lab.cmd('pve3', 'pvecm create bleu');
    lab.run(3000);
    lab.cmd('pve2', 'pvecm add 10.0.10.11');
    lab.cmd('pve4', 'pvecm add 10.0.10.13');
    lab.run(10_000);
    expect(lab.s.partitions).toEqual([
      ['pve1', 'pve2'],
      ['pve3', 'pve4'],
    ]);
    expect(lab.lines('pve4', 'pvecm status')).toContain('Name:             bleu');
    expect(lab.s.nodes.pve1!.expected).toBe(2);
    // Adding a member of another cluster is refused: it is in a cluster already.
    expect(lab.out('pve3', 'pvecm add 10.0.10.11')).toContain("* cluster config '/etc/pve/corosync.conf' already exists");
  });

  it('a join replaces the joiner’s /etc/pve by the cluster’s (so it must be empty)', () => {
    const lab = new Lab({ standalone: true, vms: [vm(100, 'web01', 'pve1')] });
    lab.cmd('pve3', 'pvecm create salle-b');
    lab.run(2000);
    lab.cmd('pve2', 'qm create 300 --name scratch');
    lab.cmd('pve2', 'qm destroy 300');
    expect(lab.s.nodes.pve2!.cfs.version).toBeGreaterThan(lab.s.nodes.pve3!.cfs.version);
    lab.cmd('pve2', 'pvecm add 10.0.10.13');
    lab.run(5000);
    expect(lab.s.nodes.pve2!.cfs.nodelist).toEqual(['pve2', 'pve3']);
    expect(lab.s.nodes.pve2!.cfs.clusterName).toBe('salle-b');
    expect(lab.events.filter((e) => e.type === 'pmxcfs-merge' && e.lost.length > 0)).toEqual([]);
  });

  it('/etc/hosts lines naming the node change what its name resolves to; others are ignored', () => {
    const lab = new Lab({ standalone: true, hostsIp: { pve2: '192.168.1.2' } });
    expect(lab.s.nodes.pve2!.hostsIp).toBe('192.168.1.2');
    expect(writeHostsLine(lab.s, 'pve2', ['10.0.10.99', 'pve9'])).toBe(false);
    expect(writeHostsLine(lab.s, 'pve2', ['10.0.10.12', 'pve2.lab.local', 'pve2'])).toBe(true);
    expect(lab.s.nodes.pve2!.hostsIp).toBeUndefined();
  });

  it('build objectives: the order of steps and the complete cluster at the end', () => {
    const lab = new Lab({ standalone: true, vms: [] });
    const order = objective({
      kind: 'events-in-order',
      steps: [
        { type: 'cluster-created', match: { node: 'pve1' } },
        { type: 'node-joined', match: { node: 'pve2' } },
        { type: 'node-joined', match: { node: 'pve3' } },
      ],
    });
    const complete = objective({ kind: 'cluster-complete-at-end' });
    expect(checkObjective(complete, lab.events, lab.s).met).toBe(false);
    lab.cmd('pve1', 'pvecm create salle-b');
    lab.run(2000);
    lab.cmd('pve3', 'pvecm add 10.0.10.11');
    lab.run(5000);
    lab.cmd('pve2', 'pvecm add 10.0.10.11');
    lab.run(5000);
    expect(checkObjective(complete, lab.events, lab.s).met).toBe(true);
    // pve3 joined before pve2: the order objective is not met.
    expect(checkObjective(order, lab.events, lab.s).met).toBe(false);
    const swapped = objective({
      kind: 'events-in-order',
      steps: [
        { type: 'cluster-created', match: { node: 'pve1' } },
        { type: 'node-joined', match: { node: 'pve3' } },
        { type: 'node-joined', match: { node: 'pve2' } },
      ],
    });
    const r = checkObjective(swapped, lab.events, lab.s);
    expect(r.met).toBe(true);
    expect(lab.events.find((e) => e.seq === r.evidenceSeq)).toMatchObject({ type: 'node-joined', node: 'pve2' });
    lab.fault({ kind: 'power', node: 'pve2', action: 'off' });
    lab.run(15_000);
    expect(checkObjective(complete, lab.events, lab.s).met).toBe(false);
  });
});
