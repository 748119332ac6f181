// shell/cfgtool: corosync-cfgtool -s / -b / -n, from the node's own view of its links.
import { describe, expect, it } from 'vitest';
import { Lab } from './lab';
import { addVlan10Link, play } from '../lab-plays';

describe('corosync-cfgtool', () => {
  it('-s prints the link status in the real layout (tabs included)', () => {
    const lab = new Lab({ vms: [] });
    expect(lab.lines('pve2', 'corosync-cfgtool -s')).toEqual([
      'Local node ID 2, transport knet',
      'LINK ID 0 udp',
      '\taddr\t= 10.0.10.12',
      '\tstatus:',
      '\t\tnodeid:          1:\tconnected',
      '\t\tnodeid:          2:\tlocalhost',
      '\t\tnodeid:          3:\tconnected',
    ]);
    expect(lab.lines('pve2', 'corosync-cfgtool -sb')).toEqual(['Local node ID 2, transport knet', 'LINK ID 0 udp', '\taddr\t= 10.0.10.12', '\tstatus\t= 3n3']);
  });

  it('shows a cut link as disconnected from each side, seconds before the membership changes', () => {
    const lab = new Lab({ vms: [] });
    lab.fault({ kind: 'link', a: 'pve1', b: 'pve3', cut: true });
    lab.run(3000);
    expect(lab.lines('pve1', 'corosync-cfgtool -s').slice(-3)).toEqual([
      '\t\tnodeid:          1:\tlocalhost',
      '\t\tnodeid:          2:\tconnected',
      '\t\tnodeid:          3:\tdisconnected',
    ]);
    expect(lab.lines('pve3', 'corosync-cfgtool -s')[4]).toBe('\t\tnodeid:          1:\tdisconnected');
    expect(lab.lines('pve1', 'corosync-cfgtool -n')).toEqual([
      'Local node ID 1, transport knet',
      'nodeid: 2 reachable   onwire (min/max/cur): 0, 1, 1',
      '   LINK: 0 udp (10.0.10.11->10.0.10.12) enabled connected mtu: 1397',
    ]);
  });

  it('answers usage errors like the tool', () => {
    const lab = new Lab({ vms: [] });
    expect(lab.cmd('pve1', 'corosync-cfgtool').exitCode).toBe(1);
    expect(lab.cmd('pve1', 'corosync-cfgtool -z').output.split('\n')[0]).toBe("corosync-cfgtool: invalid option -- 'z'");
    expect(lab.cmd('pve1', 'corosync-cfgtool -R').output).toBe('Reloading corosync.conf...\nDone');
  });

  it('one block per knet link: a cut port shows on its link only, the other link stays connected', () => {
    const r = play('network-design', 404_000, [
      [200_000, 'pve1', 'nano /etc/pve/corosync.conf', addVlan10Link],
      [404_000, 'pve1', 'corosync-cfgtool -s'],
      [404_000, 'pve1', 'corosync-cfgtool -sb'],
      [404_000, 'pve1', 'corosync-cfgtool -n'],
    ]);
    const [, s, b, n] = r.outputs.map((o) => o.output.split('\n'));
    expect(s).toEqual([
      'Local node ID 1, transport knet',
      'LINK ID 0 udp',
      '\taddr\t= 10.0.20.11',
      '\tstatus:',
      '\t\tnodeid:          1:\tlocalhost',
      '\t\tnodeid:          2:\tdisconnected',
      '\t\tnodeid:          3:\tconnected',
      'LINK ID 1 udp',
      '\taddr\t= 10.0.10.11',
      '\tstatus:',
      '\t\tnodeid:          1:\tlocalhost',
      '\t\tnodeid:          2:\tconnected',
      '\t\tnodeid:          3:\tconnected',
    ]);
    expect(b).toEqual(['Local node ID 1, transport knet', 'LINK ID 0 udp', '\taddr\t= 10.0.20.11', '\tstatus\t= n13', 'LINK ID 1 udp', '\taddr\t= 10.0.10.11', '\tstatus\t= n33']);
    expect(n).toEqual([
      'Local node ID 1, transport knet',
      'nodeid: 2 reachable   onwire (min/max/cur): 0, 1, 1',
      '   LINK: 0 udp (10.0.20.11->10.0.20.12) enabled mtu: 1397',
      '   LINK: 1 udp (10.0.10.11->10.0.10.12) enabled connected mtu: 1397',
      '',
      'nodeid: 3 reachable   onwire (min/max/cur): 0, 1, 1',
      '   LINK: 0 udp (10.0.20.11->10.0.20.13) enabled connected mtu: 1397',
      '   LINK: 1 udp (10.0.10.11->10.0.10.13) enabled connected mtu: 1397',
    ]);
  });
});
