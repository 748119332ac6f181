// shell/cmapctl: corosync-cmapctl keys from corosync.conf and the runtime.
import { describe, expect, it } from 'vitest';
import { Lab } from './lab';

describe('corosync-cmapctl', () => {
  it('lists quorum.* and totem.* keys read from corosync.conf, typed like coroparse', () => {
    const lab = new Lab({ nodes: 2, options: { two_node: true }, vms: [] });
    expect(lab.lines('pve1', 'corosync-cmapctl quorum.')).toEqual(['quorum.provider (str) = corosync_votequorum', 'quorum.two_node (u8) = 1']);
    expect(lab.lines('pve1', 'corosync-cmapctl totem.')).toEqual([
      'totem.cluster_name (str) = salle-b',
      'totem.config_version (u64) = 1',
      'totem.ip_version (str) = ipv4-6',
      'totem.link_mode (str) = passive',
      'totem.secauth (str) = on',
      'totem.version (u32) = 2',
    ]);
    expect(lab.lines('pve1', 'corosync-cmapctl nodelist.node.1')).toEqual([
      'nodelist.node.1.name (str) = pve2',
      'nodelist.node.1.nodeid (u32) = 2',
      'nodelist.node.1.quorum_votes (u32) = 1',
      'nodelist.node.1.ring0_addr (str) = 10.0.10.12',
    ]);
  });

  it('shows the QDevice keys once configured and the runtime votequorum keys of this node', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: true }, vms: [] });
    expect(lab.lines('pve2', 'corosync-cmapctl quorum.device')).toEqual([
      'quorum.device.model (str) = net',
      'quorum.device.net.algorithm (str) = ffsplit',
      'quorum.device.net.host (str) = 10.0.10.20',
      'quorum.device.net.tls (str) = on',
      'quorum.device.votes (u32) = 1',
    ]);
    expect(lab.lines('pve2', 'corosync-cmapctl runtime.votequorum.')).toEqual([
      'runtime.votequorum.ev_barrier (u32) = 3',
      'runtime.votequorum.highest_node_id (u32) = 2',
      'runtime.votequorum.lowest_node_id (u32) = 1',
      'runtime.votequorum.this_node_id (u32) = 2',
      'runtime.votequorum.two_node (u8) = 0',
      'runtime.votequorum.wait_for_all_status (u8) = 0',
    ]);
    expect(lab.out('pve2', 'corosync-cmapctl -g runtime.config.totem.token')).toBe('runtime.config.totem.token (u32) = 3000');
  });

  it('-g of a missing key and a prefix without keys fail like the tool', () => {
    const lab = new Lab({ vms: [] });
    expect(lab.cmd('pve1', 'corosync-cmapctl -g totem.token')).toMatchObject({ output: "Can't get key totem.token. Error CS_ERR_NOT_EXIST", exitCode: 1 });
    expect(lab.cmd('pve1', 'corosync-cmapctl nosuch.')).toMatchObject({ output: '', exitCode: 1 });
    expect(lab.cmd('pve1', 'corosync-cmapctl -s totem.token u32 5000').exitCode).toBe(1);
    expect(lab.cmd('pve1', 'corosync-cmapctl | grep -c ^runtime.members').output).toBe('12');
  });
});
