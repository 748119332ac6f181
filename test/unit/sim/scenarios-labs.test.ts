// The course presets of issue 13 (build-cluster, qdevice-vm-trap, not-a-backup, network-design): what
// alone does, and one scripted correct run meeting every objective (scripts: lab-plays.ts).
import { describe, expect, it } from 'vitest';
import { LAB_PLAYS, addVlan10Link, play } from './lab-plays';

describe('build-cluster', () => {
  it('autopilot alone: four standalone nodes, no cluster, nothing met but no split-brain', () => {
    const r = play('build-cluster', 600_000);
    expect(r.s.partitions.filter((p) => p.length > 1)).toEqual([]);
    expect(r.met).toEqual(['no-split-brain']);
  });

  it('played well: create, clean pve3, fix pve4, join, QDevice last; the cluster holds pve2’s power loss', () => {
    const r = play('build-cluster', 600_000, LAB_PLAYS['build-cluster']);
    for (const o of r.outputs) expect(o.exitCode, `${o.node}$ ${o.line}\n${o.output}`).toBe(0);
    expect(r.outputs.at(-1)!.output).toContain('Nodes:            4');
    expect(r.outputs.at(-1)!.output).toContain('Total votes:      5');
    expect(r.unmet).toEqual([]);
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'node-power', node: 'pve2', power: 'off' }));
    // pve2 down: 3 nodes + the QDevice = 4 of 5 votes, the cluster kept quorum.
    expect(r.events.filter((e) => e.type === 'quorum-lost' && e.at >= 450_000)).toEqual([]);
  });

  it('the traps refuse until fixed: pve3 with its VM, pve4 with its /etc/hosts, QDevice before the last join', () => {
    const r = play('build-cluster', 120_000, [
      [10_000, 'pve1', 'pvecm create salle-b'],
      [20_000, 'pve3', 'pvecm add 10.0.10.11'],
      [25_000, 'pve4', 'pvecm add 10.0.10.11'],
    ]);
    expect(r.outputs[1]!.output).toContain('* this host already contains virtual guests');
    expect(r.outputs[2]!.output).toContain("* local node address: cannot use IP '192.168.1.14', not found on local node!");
  });

  it('a node cannot join (nor be deleted) while a QDevice is configured: QDevice last', () => {
    // pve4 left out: three nodes, an odd count, so the setup needs --force.
    const script = LAB_PLAYS['build-cluster']!
      .filter(([, node, line]) => !(node === 'pve4' && line.startsWith('pvecm add')))
      .map(([at, node, line]): [number, string, string] => [at, node, line.startsWith('pvecm qdevice setup') ? `${line} --force` : line]);
    const r = play('build-cluster', 120_000, [...script, [100_000, 'pve4', 'pvecm add 10.0.10.11'], [101_000, 'pve1', 'pvecm delnode pve3']]);
    const add = r.outputs.at(-2)!;
    expect(add.exitCode).toBe(255);
    expect(add.output).toContain('An error occurred on the cluster node: cannot add a node to a cluster with a QDevice configured');
    expect(add.output).toContain('astuce : retirez d’abord le QDevice');
    expect(r.outputs.at(-1)!.output).toContain('cannot delete a node from a cluster with a QDevice configured');
    expect(r.unmet).toContain('order');
  });
});

describe('qdevice-vm-trap', () => {
  it('autopilot alone: pve1 takes two votes with it, pve2 loses quorum (and self-fences), and again at the end', () => {
    const r = play('qdevice-vm-trap', 600_000);
    const lost = r.events.find((e) => e.type === 'quorum-lost' && e.node === 'pve2');
    expect(lost).toMatchObject({ votes: 1, quorum: 2, expected: 3 });
    expect(lost!.at).toBeLessThan(140_000);
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'self-fenced', node: 'pve2' }));
    expect(r.s.nodes.pve2!.quorate).toBe(false);
    expect(r.unmet).toEqual(['diagnosed', 'moved', 'survived']);
  });

  it('played well: the QDevice re-homed on 10.0.10.50, pve2 keeps quorum when pve1 fails again', () => {
    const r = play('qdevice-vm-trap', 600_000, LAB_PLAYS['qdevice-vm-trap']);
    for (const o of r.outputs) expect(o.exitCode, `${o.node}$ ${o.line}\n${o.output}`).toBe(0);
    expect(r.outputs[0]!.output).toContain('Quorum:           2 Activity blocked');
    expect(r.unmet).toEqual([]);
    expect(r.s.nodes.pve1!.power).toBe('off');
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'recovered', vmid: 100, to: 'pve2' }));
  });
});

describe('not-a-backup', () => {
  it('autopilot alone: HA recovers db01 on another node, with its damaged disk', () => {
    const r = play('not-a-backup', 600_000);
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'recovered', vmid: 101 }));
    expect(r.s.vms['101']!.runningOn).toHaveLength(1);
    expect(r.s.vms['101']!.corrupt).toBe(true);
    expect(r.unmet.sort()).toEqual(['backed-up', 'intact', 'restored']);
  });

  it('played well: a backup before, a restore after; HA then moves good data', () => {
    const r = play('not-a-backup', 600_000, LAB_PLAYS['not-a-backup']);
    for (const o of r.outputs) expect(o.exitCode, `${o.node}$ ${o.line}\n${o.output}`).toBe(0);
    expect(r.unmet).toEqual([]);
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'recovered', vmid: 101 }));
  });

  it('a backup taken after the damage restores the damage', () => {
    const r = play('not-a-backup', 400_000, [
      [190_000, 'pve2', 'vzdump 101'],
      [200_000, 'pve2', 'ha-manager set vm:101 --state stopped'],
      [211_000, 'pve2', 'qmrestore vzdump-qemu-101-2026_03_03-10_03_10.vma.zst 101 --force'],
      [215_000, 'pve2', 'ha-manager set vm:101 --state started'],
    ]);
    expect(r.outputs.map((o) => o.exitCode)).toEqual([0, 0, 0, 0]);
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'vm-restored', vmid: 101, corrupt: true }));
    expect(r.unmet).toContain('intact');
  });
});

describe('network-design', () => {
  it('autopilot alone: the storage sync breaks every ring (corosync on VLAN 20), the port cut isolates pve2', () => {
    const r = play('network-design', 600_000);
    // saturation at 90 s: knet sees link 0 down on every pair, then the token times out
    expect(r.events.filter((e) => e.type === 'knet-link' && e.at === 90_000 && e.best === null)).toHaveLength(6);
    for (const n of ['pve1', 'pve2', 'pve3'])
      expect(r.events.find((e) => e.type === 'quorum-lost' && e.node === n)!.at).toBeLessThan(105_000);
    expect(r.events.filter((e) => e.type === 'self-fenced' && e.at < 125_000)).toHaveLength(3);
    // the cut at 400 s: pve2 alone, its watchdog resets it; pve1 and pve3 keep quorum
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'quorum-lost', node: 'pve2', votes: 1 }));
    expect(r.s.nodes.pve1!.quorate && r.s.nodes.pve3!.quorate).toBe(true);
    expect(r.unmet.sort()).toEqual(['all-quorate', 'link1', 'looked', 'pve2-quorate']);
  });

  it('played well: link1 on VLAN 10 preferred, config_version 2; the cut of pve2’s VLAN 20 costs nothing', () => {
    const r = play('network-design', 600_000, LAB_PLAYS['network-design']);
    for (const o of r.outputs) expect(o.exitCode, `${o.node}$ ${o.line}\n${o.output}`).toBe(0);
    expect(r.unmet).toEqual([]);
    const after = r.outputs.at(-1)!.output;
    expect(after).toContain('LINK ID 1 udp\n\taddr\t= 10.0.10.12');
    expect(r.events.filter((e) => e.type === 'quorum-lost' && e.at > 200_000)).toEqual([]);
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'knet-link', node: 'pve1', peer: 'pve2', down: [0], best: 1, at: 400_000 }));
  });

  it('a link1 at a lower priority also survives the cut, but is not the design asked for', () => {
    const lower = (t: string) => addVlan10Link(t).replace('knet_link_priority: 10', 'knet_link_priority: 0');
    const r = play('network-design', 600_000, [[200_000, 'pve1', 'nano /etc/pve/corosync.conf', lower]]);
    expect(r.outputs[0]!.exitCode).toBe(0);
    expect(r.s.nodes.pve2!.quorate).toBe(true);
    expect(r.unmet.sort()).toEqual(['link1', 'looked']);
  });
});
