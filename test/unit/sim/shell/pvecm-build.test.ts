// shell/pvecm-build: pvecm create / add / delnode on standalone nodes — texts and refusals.
import { describe, expect, it } from 'vitest';
import { Lab, vm } from './lab';

const empty = (o: { hostsIp?: Record<string, string> } = {}) => new Lab({ standalone: true, vms: [vm(100, 'web01', 'pve1')], ...o });

describe('a standalone node', () => {
  it('has no corosync.conf: pvecm status says so, corosync tools cannot connect', () => {
    const lab = empty();
    const st = lab.cmd('pve2', 'pvecm status');
    expect(st.exitCode).toBe(2);
    expect(st.output.split('\n')[0]).toBe("Error: Corosync config '/etc/pve/corosync.conf' does not exist - is this node part of a cluster?");
    expect(lab.lines('pve2', 'corosync-quorumtool -s')[0]).toBe('Cannot initialize CMAP service');
    expect(lab.out('pve2', 'corosync-quorumtool -s')).toContain('astuce : ce nœud n’est dans aucun cluster');
    expect(lab.out('pve2', 'cat /etc/pve/corosync.conf')).toBe('cat: /etc/pve/corosync.conf: No such file or directory');
    expect(lab.lines('pve2', 'ls /etc/pve')).not.toContain('corosync.conf');
    // pmxcfs in local mode: writable.
    expect(lab.cmd('pve2', 'qm create 200 --name test').exitCode).toBe(0);
    expect(lab.s.nodes.pve1!.cfs.vms['200']).toBeUndefined();
  });
});

describe('pvecm create', () => {
  it('writes corosync.conf and starts a one-node cluster, quorate 1 of 1', () => {
    const lab = empty();
    const r = lab.cmd('pve1', 'pvecm create salle-b');
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe(
      [
        'Corosync Cluster Engine Authentication key generator.',
        'Gathering 2048 bits for key from /dev/urandom.',
        'Writing corosync key to /etc/corosync/authkey.',
        'Writing corosync config to /etc/pve/corosync.conf',
        'Restart corosync and cluster filesystem',
      ].join('\n'),
    );
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'cluster-created', node: 'pve1', name: 'salle-b' }));
    lab.run(3000);
    const st = lab.lines('pve1', 'pvecm status');
    expect(st).toContain('Name:             salle-b');
    expect(st).toContain('Nodes:            1');
    expect(st).toContain('Expected votes:   1');
    expect(st).toContain('Quorate:          Yes');
    expect(lab.out('pve1', 'cat /etc/pve/corosync.conf')).toContain('  cluster_name: salle-b');
  });

  it('refuses a second create, bad names and missing arguments', () => {
    const lab = empty();
    lab.cmd('pve1', 'pvecm create salle-b');
    expect(lab.cmd('pve1', 'pvecm create autre')).toEqual(expect.objectContaining({ exitCode: 255, output: "cluster config '/etc/pve/corosync.conf' already exists" }));
    expect(lab.out('pve2', 'pvecm create un-nom-bien-trop-long')).toContain('clustername: value may only be 15 characters long');
    expect(lab.out('pve2', 'pvecm create bad_name')).toContain('clustername: invalid format');
    expect(lab.out('pve2', 'pvecm create')).toContain('400 not enough arguments');
  });
});

describe('pvecm add', () => {
  it('a second add before the first one settles finds the cluster without quorum (expected 2, one member)', () => {
    const lab = new Lab({ standalone: true, vms: [] });
    lab.cmd('pve1', 'pvecm create salle-b');
    const joined = lab.cmd('pve2', 'pvecm add 10.0.10.11');
    // pve1 alone now expects 2 votes: it loses quorum until pve2's corosync joins (one token time).
    expect(joined.events).toContainEqual(expect.objectContaining({ type: 'quorum-lost', node: 'pve1', votes: 1, quorum: 2, rule: 'votes' }));
    expect(lab.out('pve3', 'pvecm add 10.0.10.11')).toContain('An error occurred on the cluster node: cluster not ready - no quorum?');
    lab.run(5000);
    expect(lab.s.nodes.pve1!.quorate).toBe(true);
    expect(lab.cmd('pve3', 'pvecm add 10.0.10.11').exitCode).toBe(0);
  });

  it('joins through a member: the real log, then pvecm status shows the cluster grow', () => {
    const lab = empty();
    lab.cmd('pve1', 'pvecm create salle-b');
    lab.run(2000);
    const r = lab.cmd('pve2', 'pvecm add 10.0.10.11');
    expect(r.exitCode).toBe(0);
    const lines = r.output.split('\n');
    expect(lines[0]).toBe("Please enter superuser (root) password for '10.0.10.11': ********");
    expect(lines).toContain("No cluster network links passed explicitly, fallback to local node IP '10.0.10.12'");
    expect(lines).toContain('waiting for quorum...OK');
    expect(lines.at(-1)).toBe("successfully added node 'pve2' to cluster.");
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'node-joined', node: 'pve2', via: 'pve1' }));
    lab.run(5000);
    expect(lab.lines('pve1', 'pvecm status')).toContain('Nodes:            2');
    expect(lab.lines('pve2', 'pvecm status')).toContain('Expected votes:   2');
    // The cluster's /etc/pve replaced the joiner's: pve1's guest is visible from pve2.
    expect(lab.s.nodes.pve2!.cfs.vms['100']?.node).toBe('pve1');
    expect(lab.cmd('pve3', 'pvecm add pve2').exitCode).toBe(0);
    lab.run(5000);
    const st = lab.lines('pve3', 'pvecm status');
    expect(st).toContain('Nodes:            3');
    expect(st).toContain('Quorum:           2');
    expect(lab.out('pve3', 'cat /etc/pve/corosync.conf').match(/ring0_addr/g)).toHaveLength(3);
  });

  it('refuses a node already in a cluster, with guests, or whose name resolves to a foreign IP', () => {
    const lab = empty({ hostsIp: { pve3: '192.168.1.3' } });
    lab.cmd('pve2', 'pvecm create salle-b');
    lab.run(2000);
    const busy = lab.cmd('pve1', 'pvecm add 10.0.10.12');
    expect(busy.exitCode).toBe(255);
    expect(busy.output.split('\n').slice(0, 3)).toEqual([
      'detected the following error(s):',
      '* this host already contains virtual guests',
      'Check if node may join a cluster failed!',
    ]);
    const member = lab.out('pve2', 'pvecm add 10.0.10.11').split('\n');
    expect(member).toEqual(
      expect.arrayContaining([
        "* authentication key '/etc/corosync/authkey' already exists",
        "* cluster config '/etc/pve/corosync.conf' already exists",
        '* corosync is already running, is this node already in a cluster?!',
      ]),
    );
    const hosts = lab.out('pve3', 'pvecm add 10.0.10.12');
    expect(hosts).toContain("* local node address: cannot use IP '192.168.1.3', not found on local node!");
    expect(lab.out('pve3', 'cat /etc/hosts')).toContain('192.168.1.3 pve3.lab.local pve3');
    lab.cmd('pve3', 'echo "10.0.10.13 pve3.lab.local pve3" > /etc/hosts');
    expect(lab.out('pve3', 'cat /etc/hosts')).toContain('10.0.10.13 pve3.lab.local pve3');
    expect(lab.cmd('pve3', 'pvecm add 10.0.10.12').exitCode).toBe(0);
  });

  it('refuses an unreachable target, a target outside any cluster, and a target without quorum', () => {
    const lab = new Lab({ standalone: true, nodes: 4, vms: [] });
    expect(lab.out('pve2', 'pvecm add 10.0.10.11').split('\n').slice(-2)).toEqual([
      "An error occurred on the cluster node: Corosync config '/etc/pve/corosync.conf' does not exist - is this node part of a cluster?",
      'Cluster join aborted!',
    ]);
    lab.cmd('pve1', 'pvecm create salle-b');
    lab.cmd('pve2', 'pvecm add 10.0.10.11');
    lab.run(5000);
    lab.fault({ kind: 'link', a: 'pve3', b: 'pve1', cut: true });
    const cut = lab.cmd('pve3', 'pvecm add 10.0.10.11');
    expect(cut.exitCode).toBe(255);
    expect(cut.output.split('\n').at(-1)).toBe("500 Can't connect to 10.0.10.11:8006 (No route to host)");
    lab.fault({ kind: 'heal' });
    // pve2 powered off: pve1 is left with 1 of 2 votes, no quorum.
    lab.fault({ kind: 'power', node: 'pve2', action: 'off' });
    lab.run(15_000);
    const r = lab.cmd('pve3', 'pvecm add 10.0.10.11');
    expect(r.output.split('\n').slice(-2)).toEqual(['An error occurred on the cluster node: cluster not ready - no quorum?', 'Cluster join aborted!']);
    expect(lab.out('pve4', 'pvecm add 10.0.10.99').split('\n').at(-1)).toBe("500 Can't connect to 10.0.10.99:8006 (No route to host)");
  });
});

describe('pvecm delnode', () => {
  it('removes an offline node; the members reload expected votes', () => {
    const lab = new Lab({ standalone: true, vms: [] });
    lab.cmd('pve1', 'pvecm create salle-b');
    lab.cmd('pve2', 'pvecm add 10.0.10.11');
    lab.run(5000);
    lab.cmd('pve3', 'pvecm add 10.0.10.11');
    lab.run(5000);
    lab.fault({ kind: 'power', node: 'pve3', action: 'shutdown' });
    lab.run(5000);
    const r = lab.cmd('pve1', 'pvecm delnode pve3');
    expect(r).toEqual(expect.objectContaining({ exitCode: 0, output: 'Could not kill node (error = CS_ERR_NOT_EXIST)' }));
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'node-removed', node: 'pve3', by: 'pve1' }));
    const st = lab.lines('pve2', 'pvecm status');
    expect(st).toContain('Expected votes:   2');
    expect(lab.out('pve1', 'pvecm delnode pve3')).toBe('Node/IP: pve3 is not a known host of the cluster.');
    expect(lab.out('pve1', 'pvecm delnode pve1')).toBe('Cannot delete myself from cluster!');
    expect(lab.out('pve1', 'pvecm delnode')).toContain('400 not enough arguments');
  });

  it('kills a node still running and refuses without quorum', () => {
    const lab = new Lab({ standalone: true, vms: [] });
    lab.cmd('pve1', 'pvecm create salle-b');
    lab.cmd('pve2', 'pvecm add 10.0.10.11');
    lab.run(5000);
    lab.cmd('pve3', 'pvecm add 10.0.10.11');
    lab.run(5000);
    expect(lab.out('pve1', 'pvecm delnode pve3')).toBe('Killing node 3');
    lab.run(3000);
    expect(lab.s.nodes.pve3!.quorate).toBe(false);
    expect(lab.lines('pve1', 'pvecm status')).toContain('Nodes:            2');
    lab.fault({ kind: 'link', a: 'pve1', b: 'pve2', cut: true });
    lab.run(15_000);
    expect(lab.out('pve1', 'pvecm delnode pve2')).toBe('cluster not ready - no quorum?');
  });
});
