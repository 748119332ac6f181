// rules/qdevice: the course's trap — a qnetd running as a guest of a cluster node (qnetdHome,
// qnetdReachableAt) — and re-homing it on the external host with pvecm qdevice remove / setup.
import { describe, expect, it } from 'vitest';
import { checkObjective } from '../../../../src/sim/objectives';
import { qnetdHome, qnetdReachableAt } from '../../../../src/sim/rules/qdevice';
import { Lab, vm } from '../shell/lab';

const EXTERNAL = '10.0.10.50';
const GUEST = '10.0.10.60';
const trap = () =>
  new Lab({
    nodes: 2,
    qdevice: { configured: true, ip: EXTERNAL, vm: { ip: GUEST, node: 'pve1', vmid: 150 } },
    vms: [vm(100, 'web01', 'pve2'), vm(150, 'qnetd', 'pve1', { ha: false, storage: 'local', memoryMb: 512, diskGb: 8 })],
  });

describe('a QDevice running as a VM on pve1', () => {
  it('starts configured on the guest, which votes while pve1 runs', () => {
    const lab = trap();
    expect(lab.s.nodes.pve2!.cfs.qdevice?.ip).toBe(GUEST);
    expect(qnetdHome(lab.s, GUEST)).toBe('vm');
    expect(qnetdHome(lab.s, EXTERNAL)).toBe('host');
    expect(qnetdHome(lab.s, '10.0.10.99')).toBeNull();
    expect(qnetdReachableAt(lab.s, GUEST, 'pve2')).toBe(true);
    const st = lab.lines('pve2', 'pvecm status');
    expect(st).toContain('Total votes:      3');
    expect(st).toContain('Flags:            Quorate Qdevice');
  });

  it('pve1 dies and takes two votes with it: pve2 is left with 1 of 3, not quorate', () => {
    const lab = trap();
    lab.fault({ kind: 'power', node: 'pve1', action: 'off' });
    lab.run(15_000);
    expect(qnetdReachableAt(lab.s, GUEST, 'pve2')).toBe(false);
    expect(lab.s.nodes.pve2!.quorate).toBe(false);
    const st = lab.lines('pve2', 'pvecm status');
    expect(st).toContain('Total votes:      1');
    expect(st).toContain('Expected votes:   3');
    expect(st).toContain('Quorum:           2 Activity blocked');
    expect(lab.out('pve2', 'ping -c 1 10.0.10.60')).toContain('Destination Host Unreachable');
  });

  it('the same cluster with its QDevice outside keeps pve2 quorate', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: true, ip: EXTERNAL } });
    lab.fault({ kind: 'power', node: 'pve1', action: 'off' });
    lab.run(15_000);
    expect(lab.s.nodes.pve2!.quorate).toBe(true);
  });

  it('a cut between pve2 and pve1 also cuts pve2 from the guest qnetd', () => {
    const lab = trap();
    lab.fault({ kind: 'link', a: 'pve1', b: 'pve2', cut: true });
    lab.run(15_000);
    expect(qnetdReachableAt(lab.s, GUEST, 'pve2')).toBe(false);
    expect(lab.s.nodes.pve1!.quorate).toBe(true);
    expect(lab.s.nodes.pve2!.quorate).toBe(false);
  });

  it('re-homing: remove, then setup on the external host; pve2 then survives pve1', () => {
    const lab = trap();
    // The qnetd host only lists clients connected to itself, not to the guest.
    expect(lab.out('qnetd', 'corosync-qnetd-tool -s')).toContain('Connected clients:\t\t0');
    expect(lab.cmd('pve2', `pvecm qdevice setup ${EXTERNAL}`).output).toBe('QDevice already configured!');
    expect(lab.cmd('pve2', 'pvecm qdevice remove').exitCode).toBe(0);
    const setup = lab.cmd('pve2', `pvecm qdevice setup ${EXTERNAL}`);
    expect(setup.exitCode).toBe(0);
    expect(setup.events).toContainEqual(expect.objectContaining({ type: 'qdevice-configured', enabled: true, ip: EXTERNAL }));
    lab.run(3000);
    expect(lab.out('qnetd', 'corosync-qnetd-tool -s')).toContain('Connected clients:\t\t2');
    const moved = { id: 'o', points: 1, title: { fr: 'o', en: 'o' }, check: { kind: 'qdevice-configured-at-end' as const, ip: EXTERNAL } };
    expect(checkObjective(moved, lab.events, lab.s).met).toBe(true);
    lab.fault({ kind: 'power', node: 'pve1', action: 'off' });
    lab.run(15_000);
    expect(lab.s.nodes.pve2!.quorate).toBe(true);
    const survivor = { ...moved, check: { kind: 'node-quorate-at-end' as const, node: 'pve2' } };
    expect(checkObjective(survivor, lab.events, lab.s).met).toBe(true);
    expect(checkObjective({ ...survivor, check: { kind: 'node-quorate-at-end', node: 'pve1' } }, lab.events, lab.s).met).toBe(false);
  });

  it('setup on the guest fails like an unreachable host while the guest is stopped', () => {
    const lab = trap();
    lab.cmd('pve1', 'pvecm qdevice remove');
    lab.cmd('pve1', 'qm stop 150');
    const r = lab.cmd('pve1', `pvecm qdevice setup ${GUEST}`);
    expect(r.exitCode).toBe(255);
    expect(r.output).toContain(`ssh: connect to host ${GUEST} port 22: No route to host`);
    // The objective pins the address: configured on the guest does not count as moved outside.
    const lab2 = trap();
    const moved = { id: 'o', points: 1, title: { fr: 'o', en: 'o' }, check: { kind: 'qdevice-configured-at-end' as const, ip: EXTERNAL } };
    expect(checkObjective(moved, lab2.events, lab2.s).met).toBe(false);
  });
});
