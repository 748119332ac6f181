// rules/corosync-conf saveEdit (through the `edit` input): the edited corosync.conf is written by
// pmxcfs (quorate only), checked like corosync, applied when config_version went up.
import { describe, expect, it } from 'vitest';
import { createCluster, step } from '../../../../src/sim/index';
import { carrier } from '../../../../src/sim/rules/networks';
import { buildClusterConfig, getScenario } from '../../../../src/sim/scenarios';
import type { ClusterState, SimEvent } from '../../../../src/sim/types';
import { addVlan10Link } from '../lab-plays';
import { Lab } from '../shell/lab';

const PATH = '/etc/pve/corosync.conf';

class NetLab {
  s: ClusterState;
  t = 0;
  events: SimEvent[] = [];
  constructor() {
    this.s = createCluster(buildClusterConfig(getScenario('network-design')!, { timing: 'course', voteMode: 'auto' }), 'net');
    this.run(3000);
  }
  run(ms: number) {
    for (const end = this.t + ms; this.t < end; ) {
      this.t += 1000;
      this.events.push(...step(this.s, { type: 'tick', at: this.t }).events);
    }
  }
  cmd(node: string, line: string) {
    const r = step(this.s, { type: 'command', at: this.t, node, line });
    this.events.push(...r.events);
    return r.command!;
  }
  /** nano on `node`, then save `edit(text)` */
  save(node: string, edit: (text: string) => string, path = PATH) {
    const opened = this.cmd(node, `nano ${PATH}`);
    const r = step(this.s, { type: 'edit', at: this.t, node, path, text: edit(opened.edit!.text) });
    this.events.push(...r.events);
    return { ...r.command!, events: r.events };
  }
}

describe('saving corosync.conf', () => {
  it('nano opens the file pmxcfs shares: link0 on VLAN 20, config_version 1', () => {
    const lab = new NetLab();
    const r = lab.cmd('pve1', `nano ${PATH}`);
    expect(r.edit!.path).toBe(PATH);
    expect(r.edit!.text).toContain('    ring0_addr: 10.0.20.11\n');
    expect(r.edit!.text).not.toContain('ring1_addr');
    expect(r.edit!.text).toContain('  config_version: 1\n  interface {\n    linknumber: 0\n  }\n');
  });

  it('a valid file with a higher config_version is committed to the partition and the new link carries at once', () => {
    const lab = new NetLab();
    const before = lab.cmd('pve1', `nano ${PATH}`).edit!.text;
    const r = lab.save('pve1', addVlan10Link);
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe(
      [
        '[ Wrote 48 lines ]',
        "pmxcfs: [dcdb] notice: wrote new corosync config '/etc/corosync/corosync.conf' (version = 2)",
        'corosync: [CFG   ] Config reload requested by node 1',
        'corosync: [TOTEM ] Configuring link 1',
      ].join('\n'),
    );
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'pmxcfs-write', node: 'pve1', path: 'corosync.conf', what: `nano ${PATH}` }));
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'knet-link', node: 'pve3', peer: 'pve2', up: [1], best: 1, priority: 10 }));
    for (const n of ['pve1', 'pve2', 'pve3']) {
      expect(lab.s.nodes[n]!.cfs.configVersion).toBe(2);
      expect(lab.cmd(n, 'pvecm status').output).toContain('Config Version:   2');
    }
    expect(carrier(lab.s, 'pve2', 'pve3')).toBe(1);
    const cat = lab.cmd('pve3', `cat ${PATH}`).output;
    expect(cat).toContain('    ring0_addr: 10.0.20.13\n    ring1_addr: 10.0.10.13\n');
    expect(cat).toContain('  interface {\n    linknumber: 1\n    knet_link_priority: 10\n  }');
    // the file read back is the file saved: the rendering round-trips
    expect(cat).toBe(addVlan10Link(before));
    expect(lab.cmd('pve1', 'corosync-cmapctl totem.interface.1').output).toBe('totem.interface.1.knet_link_priority (u8) = 10');
  });

  it('without quorum /etc/pve is read-only: Permission denied, pmxcfs-refused, nothing changes', () => {
    const lab = new NetLab();
    step(lab.s, { type: 'fault', at: lab.t, fault: { kind: 'net-port', network: 'vlan20', node: 'pve2', up: false } });
    lab.run(15_000);
    expect(lab.s.nodes.pve2!.quorate).toBe(false);
    const r = lab.save('pve2', addVlan10Link);
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain(`[ Error writing ${PATH}: Permission denied ]`);
    expect(r.output).toContain('astuce : pas de quorum');
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'pmxcfs-refused', node: 'pve2', path: 'corosync.conf' }));
    expect(lab.s.nodes.pve2!.cfs.links).toBeUndefined();
  });

  it('config_version not raised: pmxcfs does not apply it; lower: "local corosync.conf is newer"', () => {
    const lab = new NetLab();
    const same = lab.save('pve1', (t) => addVlan10Link(t).replace('config_version: 2', 'config_version: 1'));
    expect(same.exitCode).toBe(1);
    expect(same.output).toContain('config_version is still 1');
    expect(same.output).toContain('hint: every change of corosync.conf raises config_version (here to 2)');
    expect(lab.s.nodes.pve1!.cfs.links).toBeUndefined();
    lab.save('pve1', addVlan10Link);
    const lower = lab.save('pve1', (t) => t.replace('config_version: 2', 'config_version: 1'));
    expect(lower.output).toContain('pmxcfs: [dcdb] crit: local corosync.conf is newer');
    expect(lab.s.nodes.pve1!.cfs.configVersion).toBe(2);
  });

  it('what corosync refuses is not saved: parse errors, and this cluster’s nodes and addresses', () => {
    const lab = new NetLab();
    const cases: [(t: string) => string, string][] = [
      [(t) => addVlan10Link(t).replace('nodelist {', 'nodelist'), 'parser error: Unexpected closing brace'],
      [(t) => addVlan10Link(t).replace('    ring1_addr: 10.0.10.12\n', ''), 'parse error in config: Not all nodes have the same number of links'],
      [(t) => addVlan10Link(t).replace('nodeid: 3', 'nodeid: 2'), 'Nodeid 2 appears twice in corosync.conf'],
      [(t) => addVlan10Link(t).replace('nodeid: 3', 'nodeid: 7'), 'node pve3: nodeid 7 differs from its nodeid 3'],
      [(t) => addVlan10Link(t).replace(/name: pve3/, 'name: pve9'), 'node pve9 is not in this cluster (pve1, pve2, pve3)'],
      [(t) => addVlan10Link(t).replace('ring1_addr: 10.0.10.12', 'ring1_addr: 10.0.40.12'), 'totemknet: ring1_addr 10.0.40.12 of pve2: Cannot assign requested address (its addresses: 10.0.2.12, 10.0.10.12, 10.0.20.12)'],
    ];
    for (const [edit, message] of cases) {
      const r = lab.save('pve1', edit);
      expect(r.exitCode, message).toBe(1);
      expect(r.output).toContain(message);
      expect(r.output).toContain('[ Not saved: corosync would refuse this file');
      expect(r.output).toMatch(/hint: .+\nastuce : .+/);
    }
    const missing = lab.save('pve1', (t) => t.replace(/ {2}node \{\n {4}name: pve3[^}]*\}\n/, ''));
    expect(missing.output).toContain('node pve3 is missing from the nodelist');
    expect(lab.s.nodes.pve1!.cfs.configVersion).toBeUndefined();
  });

  it('any text gets an answer: too large, another file, garbage', () => {
    const lab = new NetLab();
    expect(lab.save('pve1', () => 'x'.repeat(5000)).output).toContain('File too large');
    expect(lab.save('pve1', (t) => t, '/etc/pve/storage.cfg').output).toContain('[ Error writing /etc/pve/storage.cfg: No such file or directory ]');
    const junk = lab.save('pve1', () => '}{}}{ ::: \u0000 {');
    expect(junk.exitCode).toBe(1);
    expect(lab.s.nodes.pve1!.quorate).toBe(true);
  });

  it('a cluster without networks: its only addresses are the nodes’ IPs; a bumped save keeps it running', () => {
    const lab = new Lab();
    const text = lab.cmd('pve2', `nano ${PATH}`).edit!.text;
    const wrong = step(lab.s, { type: 'edit', at: lab.t, node: 'pve2', path: PATH, text: text.replace('ring0_addr: 10.0.10.13', 'ring0_addr: 10.0.20.13').replace('config_version: 1', 'config_version: 2') });
    expect(wrong.command!.output).toContain('ring0_addr 10.0.20.13 of pve3: Cannot assign requested address (its addresses: 10.0.10.13)');
    const ok = step(lab.s, { type: 'edit', at: lab.t, node: 'pve2', path: PATH, text: text.replace('config_version: 1', 'config_version: 2') });
    expect(ok.command!.exitCode).toBe(0);
    lab.run(30_000);
    expect(Object.values(lab.s.nodes).every((n) => n.quorate && n.cfs.configVersion === 2)).toBe(true);
    expect(lab.out('pve1', `cat ${PATH}`)).toBe(text.replace('config_version: 1', 'config_version: 2'));
  });
});
