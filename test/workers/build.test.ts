// A build-the-cluster lab in workerd: the QDevice seat types on the QDevice host's terminal, the
// nodes build the cluster, and a teacher's disk-corrupt fault names a VM the team has.
import { describe, expect, it } from 'vitest';
import { createLab, join, openSocket, simState, teacher, ticks } from './helpers';

describe('build-cluster in a real room', () => {
  it('the QDevice student installs qnetd on its host; pve1 creates the cluster, pve2 joins', async () => {
    const lab = await createLab({ scenario: 'build-cluster', teamSize: 5, timeline: false });
    const seats = await Promise.all(['Ana', 'Bo', 'Cy', 'Di', 'Ed'].map((n) => join(lab, n, 1)));
    const qd = seats.find((j) => j.seat.role === 'qdevice')!;
    const p1 = seats.find((j) => j.seat.node === 'pve1')!;
    const p2 = seats.find((j) => j.seat.node === 'pve2')!;
    const [wq, w1, w2] = await Promise.all([qd, p1, p2].map((j) => openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`)));
    for (const w of [wq!, w1!, w2!]) await w.waitFor((m) => m.type === 'welcome', 'welcome');
    await teacher(lab, 'start');
    wq!.send({ type: 'command', line: 'apt install corosync-qnetd', id: 1 });
    const out = await wq!.waitFor((m) => m.type === 'output' && m.id === 1, 'qnetd output');
    expect(out.exitCode).toBe(0);
    expect(out.output).toContain('Setting up corosync-qnetd (3.0.3-1) ...');
    expect((await simState(lab)).sim!.qdevice!.qnetdInstalled).toBe(true);
    w1!.send({ type: 'command', line: 'pvecm create salle-b', id: 2 });
    expect((await w1!.waitFor((m) => m.type === 'output' && m.id === 2, 'create output')).exitCode).toBe(0);
    w2!.send({ type: 'command', line: 'pvecm add 10.0.10.11', id: 3 });
    const add = await w2!.waitFor((m) => m.type === 'output' && m.id === 3, 'add output');
    expect(add.output).toContain("successfully added node 'pve2' to cluster.");
    await ticks(lab, 6, [w1!, w2!]);
    const sim = (await simState(lab)).sim!;
    expect(sim.partitions).toContainEqual(['pve1', 'pve2']);
    expect(sim.nodes.pve1!.quorate).toBe(true);
    for (const w of [wq!, w1!, w2!]) w.close();
  });

  it('a disk-corrupt fault needs a VM the team has: 400 unknown_vm, else applied', async () => {
    const lab = await createLab({ scenario: 'not-a-backup', timeline: false });
    await teacher(lab, 'start');
    const bad = await teacher(lab, 'faults', { team: 1, fault: { kind: 'disk-corrupt', vmid: 999 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('unknown_vm');
    const ok = await teacher(lab, 'faults', { team: 1, fault: { kind: 'disk-corrupt', vmid: 101 } });
    expect(ok.status).toBe(200);
    expect((await simState(lab)).sim!.vms['101']!.corrupt).toBe(true);
  });
});
