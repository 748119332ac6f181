// shell/corosync: corosync-quorumtool.
import { describe, expect, it } from 'vitest';
import { Lab } from './lab';

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
    expect(lab.cmd('pve2', 'corosync-quorumtool -e x')).toMatchObject({ output: 'New expected votes value was not valid, try a positive number', exitCode: 1 });
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

describe('corosync-quorumtool -l / -m / -v and exit codes', () => {
  it('-l prints the membership list in the real layout', () => {
    const lab = new Lab();
    expect(lab.lines('pve1', 'corosync-quorumtool -l')).toEqual([
      'Membership information',
      '----------------------',
      '    Nodeid      Votes Name',
      '         1          1 pve1 (local)',
      '         2          1 pve2',
      '         3          1 pve3',
    ]);
  });

  it('-s exits 2 (EXIT_NOT_QUORATE) on an inquorate node, 0 on a quorate one', () => {
    const lab = new Lab();
    lab.fault({ kind: 'isolate', node: 'pve3' });
    lab.run(15_000);
    expect(lab.cmd('pve3', 'corosync-quorumtool -s').exitCode).toBe(2);
    expect(lab.cmd('pve1', 'corosync-quorumtool -s').exitCode).toBe(0);
    // pvecm status stays a successful command on both sides.
    expect(lab.cmd('pve3', 'pvecm status').exitCode).toBe(0);
  });

  it('-m prints one status snapshot and says it does not monitor', () => {
    const lab = new Lab();
    const r = lab.cmd('pve1', 'corosync-quorumtool -m');
    expect(r.exitCode).toBe(0);
    const lines = r.output.split('\n');
    expect(lines.slice(0, 2)).toEqual(['Quorum information', '------------------']);
    expect(lines).toContain('Quorate:          Yes');
    expect(lines.slice(-2)).toEqual([
      'hint: this terminal prints one snapshot instead of monitoring; run the command again to refresh',
      'astuce : ce terminal affiche un seul instantané au lieu de surveiller ; relancez la commande pour rafraîchir',
    ]);
  });

  it('-v N changes the votes when votequorum allows it and refuses with its error otherwise', () => {
    const lab = new Lab({ vms: [] });
    // Isolated pve3 (1 vote, E=3, quorum 2): 1 vote can never reach quorum.
    lab.fault({ kind: 'isolate', node: 'pve3' });
    lab.run(15_000);
    const no = lab.cmd('pve3', 'corosync-quorumtool -v 1');
    expect(no.exitCode).toBe(1);
    expect(no.output.split('\n')[0]).toBe('Unable to set votes 1 for nodeid: 3: CS_ERR_INVALID_PARAM');
    expect(lab.cmd('pve1', 'corosync-quorumtool -v 2 -n 9').output.split('\n')[0]).toBe('Unable to set votes 2 for nodeid: 9: CS_ERR_NAME_NOT_FOUND');
    expect(lab.cmd('pve1', 'corosync-quorumtool -v x')).toMatchObject({ output: 'New votes value was not valid, try a positive number or zero', exitCode: 1 });
    expect(lab.cmd('pve1', 'corosync-quorumtool -v 1 -n 0').output).toBe('The nodeid was not valid, try a positive number');
    // In the quorate {pve1, pve2}: pve1 gets 2 votes (T=3, E=3, quorum 2).
    expect(lab.cmd('pve1', 'corosync-quorumtool -v 2')).toMatchObject({ output: '', exitCode: 0 });
    expect(lab.lines('pve2', 'pvecm nodes')).toContain('         1          2 pve1');
    expect(lab.lines('pve2', 'pvecm status')).toContain('Total votes:      3');
  });

  it('with corosync stopped every corosync tool fails like on a real node', () => {
    const lab = new Lab({ vms: [] });
    lab.cmd('pve2', 'systemctl stop corosync');
    expect(lab.cmd('pve2', 'corosync-quorumtool -l').output.split('\n')[0]).toBe('Cannot initialize CMAP service');
    expect(lab.cmd('pve2', 'corosync-cfgtool -s')).toMatchObject({ output: 'Could not initialize corosync configuration API error 2', exitCode: 1 });
    expect(lab.cmd('pve2', 'corosync-cmapctl totem.')).toMatchObject({ output: 'Failed to initialize the cmap API. Error CS_ERR_LIBRARY', exitCode: 1 });
  });
});
