// shell/qnetd: the QDevice host's terminal (the `qnetd` pseudo-node) and corosync-qnetd-tool.
import { describe, expect, it } from 'vitest';
import { step } from '../../../../src/sim/index';
import { QNETD_HOST } from '../../../../src/sim/shell/qnetd';
import { Lab } from './lab';

describe('corosync-qnetd-tool on the QDevice host', () => {
  it('-l lists each connected client with its membership and the vote it got (ACK / NACK)', () => {
    const lab = new Lab({ nodes: 4, qdevice: { configured: true }, vms: [] });
    lab.fault({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] });
    lab.run(15_000);
    const r = lab.cmd(QNETD_HOST, 'corosync-qnetd-tool -l');
    expect(r.exitCode).toBe(0);
    const client = (id: number, members: string, vote: string) => [
      `    Node ID ${id}:`,
      `        Client address:\t\t::ffff:10.0.10.${10 + id}:${54_000 + id}`,
      '        Configuration version:\t1',
      '        Configured node list:\t1, 2, 3, 4',
      `        Membership node list:\t${members}`,
      `        Vote:\t\t\t${vote}`,
    ];
    expect(r.output.split('\n')).toEqual([
      'Cluster "salle-b":',
      '    Algorithm:\t\tFifty-Fifty split',
      '    Tie-breaker:\tNode with lowest node ID',
      ...client(1, '1, 2', 'ACK (ACK)'),
      ...client(2, '1, 2', 'ACK (ACK)'),
      ...client(3, '3, 4', 'NACK (NACK)'),
      ...client(4, '3, 4', 'NACK (NACK)'),
    ]);
  });

  it('lists only the daemons connected to qnetd, and -s counts them', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: true }, vms: [] });
    lab.fault({ kind: 'qdevice-reach', node: 'pve2', reachable: false });
    lab.run(1000);
    const l = lab.lines(QNETD_HOST, 'corosync-qnetd-tool -l');
    expect(l.filter((x) => x.startsWith('    Node ID'))).toEqual(['    Node ID 1:']);
    expect(lab.lines(QNETD_HOST, 'corosync-qnetd-tool -s')).toEqual([
      'QNetd address:\t\t\t*:5403',
      'TLS:\t\t\t\tSupported (client certificate required)',
      'Connected clients:\t\t1',
      'Connected clusters:\t\t1',
    ]);
    expect(lab.out(QNETD_HOST, 'corosync-qnetd-tool -l | grep -c Vote')).toBe('1');
  });

  it('prints nothing before `pvecm qdevice setup`, and the host refuses other tools', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: false }, vms: [] });
    expect(lab.cmd(QNETD_HOST, 'corosync-qnetd-tool -l')).toMatchObject({ output: '', exitCode: 0 });
    expect(lab.cmd(QNETD_HOST, 'pvecm status')).toMatchObject({ exitCode: 127 });
    expect(lab.cmd(QNETD_HOST, 'pvecm status').output.split('\n')[0]).toBe('-bash: pvecm: command not found');
    expect(lab.out(QNETD_HOST, 'hostname -I')).toBe('10.0.10.20');
    expect(lab.cmd(QNETD_HOST, 'corosync-qnetd-tool')).toMatchObject({ output: 'usage: corosync-qnetd-tool [-Hhlsv] [-c cluster_name] [-p qnetd_ipc_socket_path]', exitCode: 1 });
  });

  it('is unreachable while the host is down; the pseudo-node exists only with a QDevice', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: true }, vms: [] });
    lab.fault({ kind: 'qdevice-host', up: false });
    expect(lab.cmd(QNETD_HOST, 'corosync-qnetd-tool -l')).toMatchObject({ exitCode: 255 });
    const plain = new Lab({ vms: [] });
    expect(step(plain.s, { type: 'command', at: plain.t, node: QNETD_HOST, line: 'hostname' }).error?.code).toBe('unknown_node');
  });
});
