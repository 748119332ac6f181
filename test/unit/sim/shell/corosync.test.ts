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
