import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/sim/index';
import { createCluster, step, timingFor } from '../../src/sim/index';
import { CLEAR_SCREEN, LAB_EPOCH_MS, ctime } from '../../src/sim/format';
import type { ClusterConfig, ClusterState, CommandResult, Fault, SimEvent, VmConfig, VotequorumOptions } from '../../src/sim/types';

// ---------------------------------------------------------------- a small lab driver

interface LabOpts {
  nodes?: number;
  qdevice?: { configured: boolean; installed?: boolean; ip?: string };
  vms?: VmConfig[];
  options?: Partial<VotequorumOptions>;
}

const vm = (vmid: number, name: string, node: string, extra: Partial<VmConfig> = {}): VmConfig => ({
  vmid,
  name,
  node,
  memoryMb: 2048,
  diskGb: 32,
  storage: 'shared',
  ha: true,
  running: true,
  ...extra,
});

function config(o: LabOpts = {}): ClusterConfig {
  const count = o.nodes ?? 3;
  const nodes = Array.from({ length: count }, (_, i) => ({ name: `pve${i + 1}`, nodeid: i + 1, votes: 1, ip: `10.0.10.${11 + i}` }));
  return {
    clusterName: 'salle-b',
    nodes,
    ...(o.qdevice
      ? { qdevice: { algorithm: 'ffsplit' as const, ip: o.qdevice.ip ?? '10.0.10.20', configured: o.qdevice.configured, installed: o.qdevice.installed ?? true } }
      : {}),
    vms: o.vms ?? [vm(100, 'web01', 'pve1'), vm(101, 'db01', 'pve2', { ha: false, storage: 'local', memoryMb: 1024, diskGb: 16 })],
    timing: timingFor('course', count),
    voteMode: 'auto',
    options: { two_node: false, wait_for_all: false, auto_tie_breaker: false, last_man_standing: false, ...o.options },
    autoNodes: nodes.map((n) => n.name),
  };
}

class Lab {
  s: ClusterState;
  t = 0;
  events: SimEvent[] = [];
  constructor(o: LabOpts = {}) {
    this.s = createCluster(config(o), 'cmd-tests');
    this.run(3000);
  }
  run(ms: number): void {
    const end = this.t + ms;
    while (this.t < end) {
      this.t += 1000;
      this.events.push(...step(this.s, { type: 'tick', at: this.t }).events);
    }
  }
  fault(f: Fault): void {
    this.events.push(...step(this.s, { type: 'fault', at: this.t, fault: f }).events);
  }
  cmd(node: string, line: string): CommandResult & { events: SimEvent[] } {
    const r = step(this.s, { type: 'command', at: this.t, node, line });
    this.events.push(...r.events);
    return { ...r.command!, events: r.events };
  }
  out(node: string, line: string): string {
    return this.cmd(node, line).output;
  }
  lines(node: string, line: string): string[] {
    return this.out(node, line).split('\n');
  }
}

const clock = (lab: Lab, skew = 0) => ctime(LAB_EPOCH_MS + lab.t + skew);

// ---------------------------------------------------------------- pvecm

describe('pvecm status / nodes', () => {
  it('prints the full layout on a quorate node', () => {
    const lab = new Lab();
    const ring = `1.${lab.s.nodes.pve1!.ringId.toString(16)}`;
    const r = lab.cmd('pve1', 'pvecm status');
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe(
      [
        'Cluster information',
        '-------------------',
        'Name:             salle-b',
        `Config Version:   ${lab.s.nodes.pve1!.cfs.version}`,
        'Transport:        knet',
        'Secure auth:      on',
        '',
        'Quorum information',
        '------------------',
        'Date:             Tue Mar  3 10:00:03 2026',
        'Quorum provider:  corosync_votequorum',
        'Nodes:            3',
        'Node ID:          0x00000001',
        `Ring ID:          ${ring}`,
        'Quorate:          Yes',
        '',
        'Votequorum information',
        '----------------------',
        'Expected votes:   3',
        'Highest expected: 3',
        'Total votes:      3',
        'Quorum:           2',
        'Flags:            Quorate',
        '',
        'Membership information',
        '----------------------',
        '    Nodeid      Votes Name',
        '0x00000001          1 10.0.10.11 (local)',
        '0x00000002          1 10.0.10.12',
        '0x00000003          1 10.0.10.13',
      ].join('\n'),
    );
    // Another node marks itself local.
    expect(lab.lines('pve3', 'pvecm status')).toContain('0x00000003          1 10.0.10.13 (local)');
    expect(lab.lines('pve3', 'pvecm status')).toContain('Node ID:          0x00000003');
  });

  it('shows the inquorate view of an isolated node and the majority view of the others', () => {
    const lab = new Lab();
    lab.fault({ kind: 'isolate', node: 'pve1' });
    lab.run(12_000);
    const mine = lab.lines('pve1', 'pvecm status');
    expect(mine).toContain('Nodes:            1');
    expect(mine).toContain('Quorate:          No');
    expect(mine).toContain('Total votes:      1');
    expect(mine).toContain('Expected votes:   3');
    expect(mine).toContain('Quorum:           2 Activity blocked');
    expect(mine).toContain('Flags:');
    expect(mine.slice(-2)).toEqual(['    Nodeid      Votes Name', '0x00000001          1 10.0.10.11 (local)']);
    expect(mine).toContain(`Date:             ${clock(lab)}`);

    const theirs = lab.lines('pve2', 'pvecm status');
    expect(theirs).toContain('Nodes:            2');
    expect(theirs).toContain('Total votes:      2');
    expect(theirs).toContain('Quorum:           2');
    expect(theirs).toContain('Flags:            Quorate');
    expect(theirs.slice(-3)).toEqual(['    Nodeid      Votes Name', '0x00000002          1 10.0.10.12 (local)', '0x00000003          1 10.0.10.13']);
    const ring = theirs.find((l) => l.startsWith('Ring ID:'))!;
    expect(ring).toBe(`Ring ID:          2.${lab.s.nodes.pve2!.ringId.toString(16)}`);
  });

  it('pvecm nodes lists the partition with decimal ids and names', () => {
    const lab = new Lab();
    expect(lab.out('pve2', 'pvecm nodes')).toBe(
      [
        'Membership information',
        '----------------------',
        '    Nodeid      Votes Name',
        '         1          1 pve1',
        '         2          1 pve2 (local)',
        '         3          1 pve3',
      ].join('\n'),
    );
  });

  it('shows QDevice flags and the Qdevice row', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: true }, vms: [] });
    const st = lab.lines('pve1', 'pvecm status');
    expect(st).toContain('Flags:            Quorate Qdevice');
    expect(st).toContain('Expected votes:   3');
    expect(st).toContain('Total votes:      3');
    expect(st.slice(-4)).toEqual([
      '    Nodeid      Votes    Qdevice Name',
      '0x00000001          1    A,V,NMW 10.0.10.11 (local)',
      '0x00000002          1    A,V,NMW 10.0.10.12',
      '0x00000000          1            Qdevice',
    ]);
    expect(lab.lines('pve2', 'pvecm nodes').slice(-1)).toEqual(['         0          1            Qdevice']);

    // qnetd down: nobody reaches it, the vote is not cast, the cluster stays quorate 2/3.
    lab.fault({ kind: 'qdevice-host', up: false });
    lab.run(1000);
    const down = lab.lines('pve2', 'pvecm status');
    expect(down).toContain('Total votes:      2');
    expect(down).toContain('Quorate:          Yes');
    expect(down).toContain('0x00000002          1  NA,NV,NMW 10.0.10.12 (local)');
  });

  it('rejects unknown subcommands and bad arguments with usage', () => {
    const lab = new Lab();
    const r = lab.cmd('pve1', 'pvecm foo');
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toMatch(/^ERROR: unknown command 'pvecm foo'\nUSAGE: pvecm <COMMAND>/);
    const e = lab.cmd('pve1', 'pvecm expected abc');
    expect(e.exitCode).not.toBe(0);
    expect(e.output).toContain("expected: type check ('integer') failed - got 'abc'");
    expect(lab.cmd('pve1', 'pvecm expected').output).toContain('400 not enough arguments');
    expect(lab.cmd('pve1', 'pvecm').exitCode).toBe(255);
  });
});

describe('pvecm expected', () => {
  it('is refused in the 2-node quorate partition and accepted on an isolated node (split-brain)', () => {
    const lab = new Lab();
    lab.fault({ kind: 'isolate', node: 'pve1' });
    lab.run(12_000);
    expect(lab.s.nodes.pve1!.quorate).toBe(false);
    expect(lab.s.nodes.pve2!.quorate).toBe(true);

    const refused = lab.cmd('pve2', 'pvecm expected 1');
    expect(refused.exitCode).not.toBe(0);
    expect(refused.output.split('\n')[0]).toBe('Unable to set expected votes: CS_ERR_INVALID_PARAM');
    expect(lab.s.nodes.pve2!.expected).toBe(3);
    expect(refused.events.some((e) => e.type === 'expected-changed')).toBe(false);

    const ok = lab.cmd('pve1', 'pvecm expected 1');
    expect(ok).toMatchObject({ output: '', exitCode: 0 });
    expect(ok.events).toContainEqual(expect.objectContaining({ type: 'expected-changed', node: 'pve1', expected: 1, reason: 'command' }));
    expect(lab.s.nodes.pve1!.quorate).toBe(true);
    expect(lab.s.nodes.pve1!.expectedOverride).toBe(`pvecm expected 1 on pve1 at t=${lab.t / 1000} s`);
    const inc = lab.s.incidents.find((i) => i.kind === 'two-quorate' && i.endedAt === null);
    expect(inc).toBeDefined();
    expect(inc!.cause).toContain('pvecm expected 1 on pve1');
    expect(ok.events).toContainEqual(expect.objectContaining({ type: 'split-brain-started', kind: 'two-quorate' }));

    const st = lab.lines('pve1', 'pvecm status');
    expect(st).toContain('Expected votes:   1');
    expect(st).toContain('Quorum:           1');
    expect(st).toContain('Flags:            Quorate');

    // Healing merges the partitions: expected returns to the highest value and the incident ends.
    lab.fault({ kind: 'heal' });
    lab.run(3000);
    expect(lab.s.nodes.pve1!.expected).toBe(3);
    expect(lab.s.incidents.find((i) => i.kind === 'two-quorate')!.endedAt).not.toBeNull();
  });

  it('applies to every node of the partition and refuses a value that breaks a quorate partition', () => {
    const lab = new Lab({ nodes: 4, vms: [] });
    lab.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] });
    lab.run(12_000);
    expect(lab.s.nodes.pve1!.quorate).toBe(false);
    const r = lab.cmd('pve1', 'corosync-quorumtool -e 2');
    expect(r.exitCode).toBe(0);
    expect(lab.s.nodes.pve2!.expected).toBe(2);
    expect(lab.s.nodes.pve1!.quorate && lab.s.nodes.pve2!.quorate).toBe(true);
    expect(lab.s.nodes.pve2!.expectedOverride).toContain('corosync-quorumtool -e 2 on pve1');
    // Now quorate with 2 votes: raising to 5 would need quorum 3 > 2 votes.
    const bad = lab.cmd('pve2', 'pvecm expected 5');
    expect(bad.exitCode).not.toBe(0);
    expect(bad.output).toContain('CS_ERR_INVALID_PARAM');
  });
});

describe('corosync-quorumtool', () => {
  it('-s prints the votequorum summary with decimal ids and names, -l the membership', () => {
    const lab = new Lab();
    const s = lab.lines('pve2', 'corosync-quorumtool -s');
    expect(s[0]).toBe('Quorum information');
    expect(s).toContain('Node ID:          2');
    expect(s).toContain('Quorum provider:  corosync_votequorum');
    expect(s).toContain('Flags:            Quorate');
    expect(s).toContain('         2          1 pve2 (local)');
    expect(lab.lines('pve2', 'corosync-quorumtool -siH')).toContain('0x00000002          1 10.0.10.12 (local)');
    expect(lab.out('pve2', 'corosync-quorumtool -l')).toBe(lab.out('pve2', 'pvecm nodes'));
    expect(lab.cmd('pve2', 'corosync-quorumtool -e x')).toMatchObject({ output: 'Invalid expected votes value', exitCode: 1 });
    expect(lab.cmd('pve2', 'corosync-quorumtool -e').output).toContain("option requires an argument -- 'e'");
    const bad = lab.cmd('pve2', 'corosync-quorumtool -z');
    expect(bad.exitCode).toBe(1);
    expect(bad.output).toContain("invalid option -- 'z'");
  });

  it('shows option flags', () => {
    const lab = new Lab({ nodes: 2, options: { two_node: true }, vms: [] });
    expect(lab.lines('pve1', 'corosync-quorumtool -s')).toContain('Flags:            2Node Quorate WaitForAll');
    expect(lab.out('pve1', 'cat /etc/pve/corosync.conf')).toContain('  two_node: 1');
  });
});

// ---------------------------------------------------------------- QDevice setup

describe('pvecm qdevice setup / remove', () => {
  it('configures the QDevice through /etc/pve and shows it everywhere', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: false }, vms: [] });
    expect(lab.lines('pve1', 'pvecm status')).toContain('Flags:            Quorate');
    const r = lab.cmd('pve1', 'pvecm qdevice setup 10.0.10.20');
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain('INFO: add QDevice to cluster configuration');
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'qdevice-configured', node: 'pve1', enabled: true }));
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'pmxcfs-write', path: 'corosync.conf' }));
    expect(lab.s.nodes.pve2!.cfs.qdevice).toEqual({ configured: true, ip: '10.0.10.20', algorithm: 'ffsplit' });
    lab.run(1000);
    const st = lab.lines('pve2', 'pvecm status');
    expect(st).toContain('Flags:            Quorate Qdevice');
    expect(st).toContain('Total votes:      3');
    const conf = lab.out('pve2', 'cat /etc/pve/corosync.conf');
    expect(conf).toContain('  device {\n    model: net\n    net {\n      algorithm: ffsplit\n      host: 10.0.10.20\n      tls: on\n    }\n    votes: 1\n  }');

    const again = lab.cmd('pve2', 'pvecm qdevice setup 10.0.10.20');
    expect(again).toMatchObject({ output: 'QDevice already configured!', exitCode: 255 });

    const rm = lab.cmd('pve2', 'pvecm qdevice remove');
    expect(rm.exitCode).toBe(0);
    expect(rm.events).toContainEqual(expect.objectContaining({ type: 'qdevice-configured', enabled: false }));
    lab.run(1000);
    expect(lab.lines('pve1', 'pvecm status')).toContain('Flags:            Quorate');
    expect(lab.out('pve1', 'cat /etc/pve/corosync.conf')).not.toContain('device');
    expect(lab.cmd('pve1', 'pvecm qdevice remove').output).toBe('No QDevice configured!');
  });

  it('refuses with an odd node count unless --force', () => {
    const lab = new Lab({ nodes: 3, qdevice: { configured: false }, vms: [] });
    const r = lab.cmd('pve1', 'pvecm qdevice setup 10.0.10.20');
    expect(r.exitCode).toBe(255);
    expect(r.output.split('\n')[0]).toBe('Clusters with an odd node count are not officially supported!');
    expect(lab.cmd('pve1', 'pvecm qdevice setup 10.0.10.20 --force').exitCode).toBe(0);
  });

  it('refuses while a node is offline', () => {
    const lab = new Lab({ nodes: 4, qdevice: { configured: false }, vms: [] });
    lab.fault({ kind: 'power', node: 'pve4', action: 'off' });
    lab.run(2000);
    expect(lab.s.nodes.pve1!.quorate).toBe(true);
    const r = lab.cmd('pve1', 'pvecm qdevice setup 10.0.10.20');
    expect(r).toMatchObject({ output: 'All nodes must be online! Node pve4 is offline, aborting.', exitCode: 255 });
  });

  it('refuses without quorum with the pmxcfs error', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: false }, vms: [] });
    lab.fault({ kind: 'isolate', node: 'pve1' });
    lab.run(12_000);
    const r = lab.cmd('pve1', 'pvecm qdevice setup 10.0.10.20');
    expect(r).toMatchObject({ output: 'cluster not ready - no quorum?', exitCode: 255 });
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'pmxcfs-refused', node: 'pve1' }));
  });

  it('fails over ssh when qnetd is not there', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: false }, vms: [] });
    const wrong = lab.cmd('pve1', 'pvecm qdevice setup 10.0.10.99');
    expect(wrong.exitCode).toBe(255);
    expect(wrong.output).toContain('ssh: connect to host 10.0.10.99 port 22: No route to host');
    lab.fault({ kind: 'qdevice-host', up: false });
    expect(lab.out('pve1', 'pvecm qdevice setup 10.0.10.20')).toContain('No route to host');
    expect(lab.s.nodes.pve1!.cfs.qdevice).toBeNull();

    const lab2 = new Lab({ nodes: 2, qdevice: { configured: false, installed: false }, vms: [] });
    const r = lab2.cmd('pve1', 'pvecm qdevice setup 10.0.10.20');
    expect(r.exitCode).toBe(255);
    expect(r.output).toContain('corosync-qnetd-certutil: command not found');
    expect(lab2.s.nodes.pve1!.cfs.qdevice).toBeNull();

    const noQ = new Lab({ nodes: 2, vms: [] });
    expect(noQ.out('pve1', 'pvecm qdevice setup 10.0.10.20')).toContain('No route to host');
    expect(noQ.cmd('pve1', 'pvecm qdevice setup 10.0.10.256').output).toContain('does not look like a valid IP address');
  });
});

// ---------------------------------------------------------------- /etc/pve

describe('/etc/pve reads and writes', () => {
  it('refuses writes without quorum and still allows reads', () => {
    const lab = new Lab();
    lab.fault({ kind: 'isolate', node: 'pve1' });
    lab.run(12_000);
    const t = lab.cmd('pve1', 'touch /etc/pve/x');
    expect(t).toMatchObject({ output: "touch: cannot touch '/etc/pve/x': Permission denied", exitCode: 1 });
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'pmxcfs-refused', node: 'pve1' }));
    expect(lab.cmd('pve1', 'echo hello > /etc/pve/test.txt')).toMatchObject({ output: '-bash: /etc/pve/test.txt: Permission denied', exitCode: 1 });
    expect(lab.cmd('pve1', 'rm /etc/pve/storage.cfg').output).toBe("rm: cannot remove '/etc/pve/storage.cfg': Permission denied");
    expect(lab.cmd('pve1', 'qm create 300 --name test')).toMatchObject({ output: 'cluster not ready - no quorum?', exitCode: 255 });
    expect(lab.cmd('pve1', 'ha-manager add vm:101')).toMatchObject({ output: "cfs-lock 'domain-ha' error: no quorum!", exitCode: 255 });
    expect(lab.cmd('pve1', 'qm start 100').output.split('\n')).toEqual([
      'Requesting HA start for VM 100',
      "cfs-lock 'domain-ha' error: no quorum!",
      "command 'ha-manager set vm:100 --state started' failed: exit code 255",
    ]);
    // Reads still work.
    expect(lab.cmd('pve1', 'cat /etc/pve/corosync.conf').exitCode).toBe(0);
    expect(lab.out('pve1', 'ls /etc/pve/nodes/pve1/qemu-server')).toBe('100.conf');
    const members = JSON.parse(lab.out('pve1', 'cat /etc/pve/.members'));
    expect(members).toMatchObject({ nodename: 'pve1', cluster: { name: 'salle-b', nodes: 3, quorate: 0 } });
    expect(members.nodelist.pve1).toMatchObject({ id: 1, online: 1, ip: '10.0.10.11' });
    expect(members.nodelist.pve2).toMatchObject({ id: 2, online: 0 });
    // The quorate side writes fine.
    const ok = lab.cmd('pve2', 'touch /etc/pve/x');
    expect(ok).toMatchObject({ output: '', exitCode: 0 });
    expect(ok.events).toContainEqual(expect.objectContaining({ type: 'pmxcfs-write', node: 'pve2' }));
  });

  it('renders corosync.conf, resources.cfg, a VM config and directory listings', () => {
    const lab = new Lab();
    const conf = lab.out('pve2', 'cat /etc/pve/corosync.conf');
    expect(conf).toContain('  node {\n    name: pve2\n    nodeid: 2\n    quorum_votes: 1\n    ring0_addr: 10.0.10.12\n  }');
    expect(conf).toContain('quorum {\n  provider: corosync_votequorum\n}');
    expect(conf).toContain('totem {\n  cluster_name: salle-b\n  config_version: 1\n');
    expect(lab.out('pve3', 'cat /etc/pve/ha/resources.cfg')).toBe('vm: 100\n\tstate started');
    const vmconf = lab.out('pve3', 'cat /etc/pve/nodes/pve1/qemu-server/100.conf');
    expect(vmconf).toContain('name: web01');
    expect(vmconf).toContain('memory: 2048');
    expect(vmconf).toContain('scsi0: shared:vm-100-disk-0,size=32G');
    // /etc/pve/qemu-server is this node's own directory.
    expect(lab.cmd('pve1', 'cat /etc/pve/qemu-server/100.conf').exitCode).toBe(0);
    expect(lab.cmd('pve2', 'cat /etc/pve/qemu-server/100.conf')).toMatchObject({
      output: 'cat: /etc/pve/qemu-server/100.conf: No such file or directory',
      exitCode: 1,
    });
    const ls = lab.out('pve1', 'ls /etc/pve');
    expect(ls.split('  ')).toEqual(expect.arrayContaining(['corosync.conf', 'ha', 'nodes', 'storage.cfg', 'qemu-server']));
    expect(ls).not.toContain('.members');
    expect(lab.out('pve1', 'ls -a /etc/pve')).toContain('.members');
    expect(lab.out('pve1', 'ls /etc/pve/nodes')).toBe('pve1  pve2  pve3');
    expect(lab.out('pve1', 'ls /etc/pve/nodes/pve2/qemu-server')).toBe('101.conf');
    expect(lab.cmd('pve1', 'ls /nope')).toMatchObject({ output: "ls: cannot access '/nope': No such file or directory", exitCode: 2 });
    expect(lab.cmd('pve1', 'cat /etc/pve')).toMatchObject({ output: 'cat: /etc/pve: Is a directory', exitCode: 1 });
    expect(lab.out('pve1', 'ls -l /etc/pve')).toMatch(/lrwxr-xr-x 1 root www-data +\d+ .* local -> nodes\/pve1/);
  });
});

// ---------------------------------------------------------------- qm

describe('qm', () => {
  it('lists local guests with the real layout', () => {
    const lab = new Lab({
      vms: [vm(101, 'web01', 'pve1'), vm(102, 'stopped-vm', 'pve1', { running: false, ha: false, memoryMb: 512, diskGb: 8 }), vm(200, 'other', 'pve2')],
    });
    const out = lab.out('pve1', 'qm list');
    const lines = out.split('\n');
    expect(lines[0]).toBe('      VMID NAME                 STATUS     MEM(MB)    BOOTDISK(GB) PID');
    expect(lines[1]).toMatch(/^       101 web01                running    2048              32\.00 \d+$/);
    expect(lines[2]).toBe('       102 stopped-vm           stopped    512                8.00 0');
    expect(lines).toHaveLength(3);
    // The PID is stable.
    expect(lab.out('pve1', 'qm list')).toBe(out);
    // No local guest: no output at all.
    expect(lab.out('pve3', 'qm list')).toBe('');
  });

  it('refuses a duplicate VMID cluster-wide and creates a new VM visible everywhere', () => {
    const lab = new Lab();
    const dup = lab.cmd('pve1', 'qm create 101 --name copy');
    expect(dup).toMatchObject({ output: "VM 101 already exists on node 'pve2'", exitCode: 255 });
    const ok = lab.cmd('pve3', 'qm create 300 --name test01 --memory 1024 --storage shared');
    expect(ok.exitCode).toBe(0);
    expect(ok.output).toBe("scsi0: successfully created disk 'shared:vm-300-disk-0,size=32G'");
    expect(lab.out('pve3', 'qm list')).toContain('       300 test01               stopped    1024              32.00 0');
    expect(lab.out('pve1', 'cat /etc/pve/nodes/pve3/qemu-server/300.conf')).toContain('name: test01');
    expect(lab.cmd('pve1', 'qm create 300').output).toBe("VM 300 already exists on node 'pve3'");
    expect(lab.cmd('pve1', 'qm create 42').output).toContain('vmid: value must have a minimum value of 100');
    expect(lab.cmd('pve1', 'qm create 301 --name bad_name').output).toContain('does not look like a valid DNS name');
    expect(lab.cmd('pve1', 'qm create 301 --bogus 1').output).toMatch(/^Unknown option: bogus\n400 unable to parse option/);
    expect(lab.cmd('pve1', 'qm create 301 --storage ceph').output).toContain("storage 'ceph' does not exist");
  });

  it('starts and stops non-HA guests directly, HA guests through the HA stack', () => {
    const lab = new Lab();
    expect(lab.cmd('pve2', 'qm stop 101')).toMatchObject({ output: '', exitCode: 0 });
    expect(lab.s.vms['101']!.runningOn).toEqual([]);
    expect(lab.cmd('pve2', 'qm shutdown 101')).toMatchObject({ output: 'VM 101 not running', exitCode: 255 });
    expect(lab.cmd('pve2', 'qm start 101').exitCode).toBe(0);
    expect(lab.s.vms['101']!.runningOn).toEqual(['pve2']);
    expect(lab.cmd('pve2', 'qm start 101').output).toBe('VM 101 already running');
    expect(lab.out('pve2', 'qm status 101')).toBe('status: running');

    const stop = lab.cmd('pve1', 'qm stop 100');
    expect(stop).toMatchObject({ output: 'Requesting HA stop for VM 100', exitCode: 0 });
    expect(lab.s.nodes.pve3!.cfs.ha['vm:100']!.requested).toBe('stopped');
    expect(lab.s.vms['100']!.runningOn).toEqual([]);
    expect(lab.out('pve1', 'ha-manager status')).toContain('service vm:100 (pve1, stopped)');
    expect(lab.cmd('pve1', 'qm start 100').output).toBe('Requesting HA start for VM 100');
    expect(lab.s.vms['100']!.runningOn).toEqual(['pve1']);

    expect(lab.cmd('pve3', 'qm start 100')).toMatchObject({
      output: "Configuration file 'nodes/pve3/qemu-server/100.conf' does not exist",
    });
    expect(lab.cmd('pve3', 'qm start 100').exitCode).not.toBe(0);
    expect(lab.cmd('pve1', 'qm start abc').output).toContain('vmid: invalid format');
  });

  it('migrates: refuses a running VM without --online, forwards HA guests, moves stopped ones at once', () => {
    const lab = new Lab({
      vms: [vm(100, 'web01', 'pve1'), vm(101, 'app', 'pve2', { ha: false }), vm(102, 'cold', 'pve2', { ha: false, running: false, storage: 'local' })],
    });
    expect(lab.cmd('pve2', 'qm migrate 101 pve3')).toMatchObject({ output: "can't migrate running VM without --online", exitCode: 255 });
    const online = lab.cmd('pve2', 'qm migrate 101 pve3 --online');
    expect(online.exitCode).toBe(0);
    expect(online.output).toContain("starting migration of VM 101 to node 'pve3' (10.0.10.13)");
    expect(lab.s.vms['101']!.migrating?.to).toBe('pve3');
    lab.run(lab.s.config.timing.migrateMs + 1000);
    expect(lab.s.vms['101']!.runningOn).toEqual(['pve3']);
    expect(lab.out('pve3', 'qm list')).toMatch(/101 app +running/);
    expect(lab.events).toContainEqual(expect.objectContaining({ type: 'migrated', vmid: 101, from: 'pve2', to: 'pve3', online: true }));

    const cold = lab.cmd('pve2', 'qm migrate 102 pve1');
    expect(cold.exitCode).toBe(0);
    expect(cold.output).toContain('migration finished successfully');
    expect(lab.s.nodes.pve1!.cfs.vms['102']!.node).toBe('pve1');

    const ha = lab.cmd('pve1', 'qm migrate 100 pve2');
    expect(ha).toMatchObject({ output: 'Requesting HA migration for VM 100 to node pve2', exitCode: 0 });
    expect(lab.s.nodes.pve1!.cfs.ha['vm:100']).toMatchObject({ state: 'migrate', target: 'pve2' });
    lab.run(lab.s.config.timing.migrateMs + 1000);
    expect(lab.s.vms['100']!.runningOn).toEqual(['pve2']);
    expect(lab.out('pve1', 'ha-manager status')).toContain('service vm:100 (pve2, started)');

    expect(lab.cmd('pve2', 'qm migrate 100 pve2').output).toBe('target is local node.');
    expect(lab.cmd('pve2', 'qm migrate 100 pve9').output).toBe("no such cluster node 'pve9'");
  });

  it('destroys a stopped VM cluster-wide and refuses a running one', () => {
    const lab = new Lab();
    expect(lab.cmd('pve1', 'qm destroy 100')).toMatchObject({ output: 'VM 100 is running - destroy failed', exitCode: 255 });
    lab.cmd('pve1', 'qm stop 100');
    const r = lab.cmd('pve1', 'qm destroy 100');
    expect(r.exitCode).toBe(0);
    expect(lab.s.nodes.pve3!.cfs.vms['100']).toBeUndefined();
    expect(lab.s.nodes.pve3!.cfs.ha['vm:100']).toBeUndefined();
    expect(lab.out('pve1', 'qm list')).toBe('');
  });
});

// ---------------------------------------------------------------- ha-manager

describe('ha-manager', () => {
  it('shows the quorate and the inquorate views', () => {
    const lab = new Lab();
    const ts = clock(lab);
    expect(lab.out('pve2', 'ha-manager status')).toBe(
      [
        'quorum OK',
        `master pve1 (active, ${ts})`,
        `lrm pve1 (active, ${ts})`,
        `lrm pve2 (idle, ${ts})`,
        `lrm pve3 (idle, ${ts})`,
        'service vm:100 (pve1, started)',
      ].join('\n'),
    );
    lab.fault({ kind: 'isolate', node: 'pve3' });
    lab.run(12_000);
    const inq = lab.lines('pve3', 'ha-manager status');
    expect(inq[0]).toBe("quorum No quorum on node 'pve3'!");
    expect(inq.some((l) => /^lrm pve3 \(old timestamp - dead\?, /.test(l))).toBe(true);
    const q = lab.lines('pve1', 'ha-manager status');
    expect(q[0]).toBe('quorum OK');
    expect(q.some((l) => /^lrm pve3 \(old timestamp - dead\?, /.test(l))).toBe(true);
    expect(q).toContain(`lrm pve1 (active, ${clock(lab)})`);
  });

  it('adds, sets, removes resources', () => {
    const lab = new Lab();
    expect(lab.cmd('pve1', 'ha-manager add vm:100').output).toBe("resource ID 'vm:100' already defined");
    expect(lab.cmd('pve1', 'ha-manager add vm:999').output).toBe("resource 'vm:999' does not exist in cluster");
    expect(lab.cmd('pve1', 'ha-manager add 101 --state stopped').exitCode).toBe(0);
    expect(lab.s.nodes.pve2!.cfs.ha['vm:101']).toMatchObject({ requested: 'stopped', node: 'pve2' });
    expect(lab.s.vms['101']!.runningOn).toEqual([]);
    expect(lab.out('pve3', 'cat /etc/pve/ha/resources.cfg')).toBe('vm: 100\n\tstate started\n\nvm: 101\n\tstate stopped');
    expect(lab.cmd('pve3', 'ha-manager set vm:101 --state started').exitCode).toBe(0);
    expect(lab.s.vms['101']!.runningOn).toEqual(['pve2']);
    expect(lab.cmd('pve3', 'ha-manager set vm:101 --state bogus').output).toContain("state: value 'bogus' does not have a value in the enumeration");
    expect(lab.cmd('pve3', 'ha-manager remove vm:101').exitCode).toBe(0);
    expect(lab.s.nodes.pve1!.cfs.ha['vm:101']).toBeUndefined();
    expect(lab.s.vms['101']!.runningOn).toEqual(['pve2']);
    expect(lab.cmd('pve3', 'ha-manager remove vm:101').output).toBe("no such resource 'vm:101'");
    expect(lab.cmd('pve3', 'ha-manager frob').output).toMatch(/^ERROR: unknown command 'ha-manager frob'/);
    expect(lab.cmd('pve3', 'ha-manager add nonsense').output).toContain("unable to parse service ID 'nonsense'");
  });

  it('maintenance mode moves services away and brings them back', () => {
    const lab = new Lab();
    const en = lab.cmd('pve2', 'ha-manager crm-command node-maintenance enable pve1');
    expect(en).toMatchObject({ output: '', exitCode: 0 });
    expect(en.events).toContainEqual(expect.objectContaining({ type: 'maintenance', node: 'pve1', enabled: true }));
    expect(lab.s.nodes.pve1!.cfs.maintenance).toEqual(['pve1']);
    const during = lab.lines('pve1', 'ha-manager status');
    expect(during.some((l) => l.startsWith('lrm pve1 (maintenance mode, '))).toBe(true);
    expect(during).toContain('service vm:100 (pve1, migrate)');
    const ms = lab.s.config.timing.migrateMs;
    lab.run(ms - 1000);
    expect(lab.s.vms['100']!.runningOn).toEqual(['pve1']);
    lab.run(2000);
    expect(lab.s.vms['100']!.runningOn).toEqual(['pve2']);
    expect(lab.out('pve3', 'ha-manager status')).toContain('service vm:100 (pve2, started)');
    expect(lab.out('pve2', 'qm list')).toMatch(/100 web01 +running/);

    const dis = lab.cmd('pve3', 'ha-manager crm-command node-maintenance disable pve1');
    expect(dis.events).toContainEqual(expect.objectContaining({ type: 'maintenance', node: 'pve1', enabled: false }));
    lab.run(ms + 1000);
    expect(lab.s.vms['100']!.runningOn).toEqual(['pve1']);
    expect(lab.out('pve3', 'ha-manager status')).toContain('service vm:100 (pve1, started)');
    expect(lab.cmd('pve3', 'ha-manager crm-command node-maintenance enable pve7').output).toBe("no such cluster node 'pve7'");
  });

  it('migrate and relocate go through the CRM', () => {
    const lab = new Lab();
    expect(lab.cmd('pve3', 'ha-manager relocate vm:100 pve3').exitCode).toBe(0);
    expect(lab.s.nodes.pve3!.cfs.ha['vm:100']).toMatchObject({ state: 'relocate', target: 'pve3' });
    lab.run(lab.s.config.timing.migrateMs + 1000);
    expect(lab.s.vms['100']!.runningOn).toEqual(['pve3']);
    expect(lab.cmd('pve3', 'ha-manager migrate vm:100 pve3').output).toContain('service already on target node');
    lab.fault({ kind: 'power', node: 'pve2', action: 'off' });
    lab.run(1000);
    expect(lab.cmd('pve3', 'ha-manager migrate vm:100 pve2').output).toBe('crm command error - node not online: migrate vm:100 pve2');
  });
});

// ---------------------------------------------------------------- time and services

describe('clock and services', () => {
  it('detects skew and chrony fixes it', () => {
    const lab = new Lab();
    lab.fault({ kind: 'clock-skew', node: 'pve2', skewMs: 30_000 });
    expect(lab.events).toContainEqual(expect.objectContaining({ type: 'clock-skew', node: 'pve2' }));
    const td = lab.lines('pve2', 'timedatectl');
    expect(td).toContain('System clock synchronized: no');
    expect(td).toContain('              NTP service: active');
    expect(td[0]).toBe('               Local time: Tue 2026-03-03 10:00:33 UTC');
    const tr = lab.lines('pve2', 'chronyc tracking');
    expect(tr).toContain('System time     : 30.000000000 seconds fast of NTP time');
    expect(tr).toContain('Leap status     : Not synchronised');
    expect(lab.out('pve2', 'ha-manager status')).toContain('detected time drift!');
    expect(lab.out('pve1', 'ha-manager status')).not.toContain('detected time drift!');
    expect(lab.out('pve2', 'pvecm status')).toContain(`Date:             ${clock(lab, 30_000)}`);

    const fix = lab.cmd('pve2', 'systemctl restart chrony');
    expect(fix).toMatchObject({ output: '', exitCode: 0 });
    expect(fix.events).toContainEqual(expect.objectContaining({ type: 'clock-synced', node: 'pve2' }));
    expect(lab.s.nodes.pve2!.skewMs).toBe(0);
    expect(lab.lines('pve2', 'timedatectl')).toContain('System clock synchronized: yes');
    expect(lab.lines('pve2', 'chronyc tracking')).toContain('Leap status     : Normal');
  });

  it('a small skew is unsynchronised but not a danger; chronyc makestep also fixes it', () => {
    const lab = new Lab();
    lab.fault({ kind: 'clock-skew', node: 'pve3', skewMs: -2500 });
    expect(lab.lines('pve3', 'timedatectl')).toContain('System clock synchronized: no');
    expect(lab.lines('pve3', 'chronyc tracking')).toContain('System time     : 2.500000000 seconds slow of NTP time');
    expect(lab.out('pve3', 'ha-manager status')).not.toContain('drift');
    expect(lab.out('pve3', 'chronyc makestep')).toBe('200 OK');
    expect(lab.s.nodes.pve3!.skewMs).toBe(0);
    lab.cmd('pve3', 'systemctl stop chrony');
    expect(lab.lines('pve3', 'timedatectl')).toContain('System clock synchronized: no');
    expect(lab.cmd('pve3', 'chronyc tracking')).toMatchObject({ output: '506 Cannot talk to daemon', exitCode: 1 });
    expect(lab.cmd('pve3', 'systemctl status chrony').exitCode).toBe(3);
    lab.cmd('pve3', 'systemctl start chrony');
    expect(lab.cmd('pve3', 'systemctl is-active chronyd')).toMatchObject({ output: 'active', exitCode: 0 });
  });

  it('systemctl restart corosync leaves and rejoins the membership', () => {
    const lab = new Lab();
    const r = lab.cmd('pve3', 'systemctl restart corosync');
    expect(r).toMatchObject({ output: '', exitCode: 0 });
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'membership-changed', members: ['pve3'] }));
    lab.run(2000);
    expect(lab.s.partitions).toEqual([['pve1', 'pve2', 'pve3']]);
    expect(lab.s.nodes.pve3!.quorate).toBe(true);
  });

  it('restarting corosync undoes a pvecm expected made on an isolated node', () => {
    const lab = new Lab({ vms: [] });
    lab.fault({ kind: 'isolate', node: 'pve1' });
    lab.run(12_000);
    lab.cmd('pve1', 'pvecm expected 1');
    expect(lab.s.nodes.pve1!.quorate).toBe(true);
    lab.cmd('pve1', 'systemctl restart corosync');
    lab.run(1000);
    expect(lab.s.nodes.pve1!.quorate).toBe(false);
    expect(lab.s.nodes.pve1!.expectedOverride).toBeNull();
    expect(lab.lines('pve1', 'pvecm status')).toContain('Expected votes:   3');
  });

  it('systemctl status shows realistic units and quorum log lines', () => {
    const lab = new Lab();
    const st = lab.cmd('pve1', 'systemctl status corosync');
    expect(st.exitCode).toBe(0);
    expect(st.output).toMatch(/^● corosync\.service - Corosync Cluster Engine\n +Loaded: loaded/);
    expect(st.output).toContain('Active: active (running)');
    expect(st.output).toContain('[QUORUM] This node is within the primary component and will provide service.');
    lab.fault({ kind: 'isolate', node: 'pve1' });
    lab.run(12_000);
    expect(lab.out('pve1', 'systemctl status corosync')).toContain('will NOT provide service.');
    expect(lab.out('pve1', 'systemctl status pve-cluster')).toContain('[status] notice: node lost quorum');
    expect(lab.out('pve1', 'systemctl status pve-ha-lrm')).toContain('watchdog running');
    expect(lab.cmd('pve1', 'systemctl status foo')).toMatchObject({ output: 'Unit foo.service could not be found.', exitCode: 4 });
  });
});

// ---------------------------------------------------------------- the shell itself

describe('shell', () => {
  it('answers unknown commands, long lines, control characters and empty lines', () => {
    const lab = new Lab();
    const unk = lab.cmd('pve1', 'frobnicate --now');
    expect(unk.exitCode).toBe(127);
    expect(unk.output.split('\n')[0]).toBe('-bash: frobnicate: command not found');
    expect(unk.output).toContain('help');
    expect(lab.cmd('pve1', '')).toEqual(expect.objectContaining({ output: '', exitCode: 0 }));
    expect(lab.cmd('pve1', '   ')).toEqual(expect.objectContaining({ output: '', exitCode: 0 }));
    const long = lab.cmd('pve1', 'echo ' + 'x'.repeat(600));
    expect(long.exitCode).not.toBe(0);
    expect(long.output).toContain('too long');
    const ctl = lab.cmd('pve1', 'pvecm\u0007 status');
    expect(ctl.exitCode).not.toBe(0);
    expect(ctl.output).toContain('control characters');
    expect(lab.cmd('pve1', "echo 'oops").output).toContain('unexpected EOF');
    expect(lab.cmd('pve1', 'pvecm status; rm -rf /').output).toContain("';' is not supported");
  });

  it('has help, hostname, clear, date and pipes', () => {
    const lab = new Lab();
    const help = lab.out('pve2', 'help');
    expect(help).toContain('Commandes disponibles / Available commands');
    expect(help).toContain('pvecm status');
    expect(lab.out('pve2', 'hostname')).toBe('pve2');
    expect(lab.out('pve2', 'hostname -I')).toBe('10.0.10.12');
    expect(lab.cmd('pve2', 'clear').output).toBe(CLEAR_SCREEN);
    expect(lab.out('pve2', 'date')).toBe('Tue Mar  3 10:00:03 UTC 2026');
    expect(lab.out('pve2', 'pvecm status | grep -i quorate')).toBe('Quorate:          Yes\nFlags:            Quorate');
    expect(lab.cmd('pve2', 'pvecm status | grep Nothing').exitCode).toBe(1);
    expect(lab.out('pve2', 'pvecm nodes | tail -n 1')).toBe('         3          1 pve3');
    expect(lab.out('pve2', 'sudo hostname')).toBe('pve2');
    expect(lab.cmd('pve2', 'pvecm status | frob').exitCode).toBe(127);
  });

  it('a powered-off node has no shell', () => {
    const lab = new Lab();
    lab.fault({ kind: 'power', node: 'pve3', action: 'off' });
    const r = lab.cmd('pve3', 'pvecm status');
    expect(r.exitCode).toBe(255);
    expect(r.output).toContain('No route to host');
  });

  it('ping follows the links', () => {
    const lab = new Lab();
    expect(lab.cmd('pve1', 'ping -c 2 pve2')).toMatchObject({ exitCode: 0 });
    lab.fault({ kind: 'isolate', node: 'pve1' });
    const r = lab.cmd('pve1', 'ping -c 2 10.0.10.12');
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('100% packet loss');
  });

  it('never throws and always returns an exit code, whatever is typed', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: false } });
    const words = ['pvecm', 'qm', 'ha-manager', 'status', 'expected', 'qdevice', 'setup', 'list', 'start', 'vm:100', '100', '--online', 'pve2', '-e', '|', 'grep', '>', '/etc/pve/x', "'", '"', 'cat', 'ls', '--state', 'crm-command', 'node-maintenance', 'enable', 'systemctl', 'restart', 'chrony', 'corosync-quorumtool', '-1', ''];
    fc.assert(
      fc.property(fc.oneof(fc.array(fc.constantFrom(...words), { maxLength: 6 }).map((w) => w.join(' ')), fc.string({ maxLength: 80 })), (line) => {
        const r = runCommand({ s: lab.s, events: [] }, 'pve1', line);
        expect(typeof r.output).toBe('string');
        expect(Number.isInteger(r.exitCode)).toBe(true);
        expect(r.output).not.toContain('internal error');
      }),
      { numRuns: 400 },
    );
  });
});
