// shell/pvecm: status, nodes, expected, qdevice setup / remove.
import { describe, expect, it } from 'vitest';
import { Lab, clock } from './lab';

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
    // A = the node's own corosync-qdevice daemon, alive whatever qnetd does; NV and 0 votes: no vote cast.
    expect(down.slice(-4)).toEqual([
      '    Nodeid      Votes    Qdevice Name',
      '0x00000001          1   A,NV,NMW 10.0.10.11',
      '0x00000002          1   A,NV,NMW 10.0.10.12 (local)',
      '0x00000000          0            Qdevice (votes 1)',
    ]);
    expect(lab.lines('pve2', 'pvecm nodes').slice(-1)).toEqual(['         0          0            Qdevice (votes 1)']);
  });

  it('shows the partition that lost the QDevice vote with NV and `Qdevice (votes 1)`, the winner with V', () => {
    const lab = new Lab({ nodes: 4, qdevice: { configured: true }, vms: [] });
    lab.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] });
    lab.run(15_000);
    // 2|2 split, both halves reach qnetd: ffsplit gives the vote to the half with the lowest node id.
    expect(lab.lines('pve1', 'pvecm status').slice(-3)).toEqual([
      '0x00000001          1    A,V,NMW 10.0.10.11 (local)',
      '0x00000002          1    A,V,NMW 10.0.10.12',
      '0x00000000          1            Qdevice',
    ]);
    expect(lab.lines('pve3', 'pvecm status').slice(-3)).toEqual([
      '0x00000003          1   A,NV,NMW 10.0.10.13 (local)',
      '0x00000004          1   A,NV,NMW 10.0.10.14',
      '0x00000000          0            Qdevice (votes 1)',
    ]);
  });

  it('shows NR for a node whose corosync-qdevice is stopped (it unregisters), and the vote follows the daemons', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: true }, vms: [] });
    expect(lab.cmd('pve2', 'systemctl stop corosync-qdevice').exitCode).toBe(0);
    expect(lab.cmd('pve2', 'systemctl is-active corosync-qdevice')).toMatchObject({ output: 'inactive', exitCode: 3 });
    const st = lab.lines('pve2', 'pvecm status');
    expect(st).toContain('Flags:            Quorate');
    expect(st.slice(-4)).toEqual([
      '    Nodeid      Votes    Qdevice Name',
      '0x00000001          1    A,V,NMW 10.0.10.11',
      '0x00000002          1         NR 10.0.10.12 (local)',
      '0x00000000          0            Qdevice (votes 1)',
    ]);
    expect(lab.lines('pve1', 'pvecm status').slice(-1)).toEqual(['0x00000000          1            Qdevice']);
    // pve1's daemon gone too: nobody asks qnetd, the vote is not cast.
    lab.cmd('pve1', 'systemctl stop corosync-qdevice');
    expect(lab.lines('pve1', 'pvecm status')).toContain('Total votes:      2');
    lab.cmd('pve1', 'systemctl start corosync-qdevice');
    lab.cmd('pve2', 'systemctl start corosync-qdevice');
    expect(lab.lines('pve2', 'pvecm status')).toContain('Total votes:      3');
    expect(lab.lines('pve2', 'pvecm status')).toContain('Flags:            Quorate Qdevice');
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
    lab.run(lab.s.config.timing.tokenMs + 1000); // a heal merges after one token time
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
