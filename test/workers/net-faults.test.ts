// Faults per network through both teacher doors (HTTP through the LabObject, the teacher socket on
// the ClusterObject): applied to the cluster's networks, refused with a clear code when the network
// or the node's port does not exist, or when the cluster has one flat network.
import { describe, expect, it } from 'vitest';
import { call, createLab, openSocket, simState, teacher, TEACHER_KEY } from './helpers';

/** A lab of the three-node preset given two networks, through the custom-scenario API. */
async function networkLab() {
  const preset = await call('/api/scenarios/preset/three-node-isolation', { bearer: TEACHER_KEY });
  expect(preset.status).toBe(200);
  const s = JSON.parse(preset.body.source);
  s.timeline = [];
  s.cluster.networks = [
    { id: 'vlan20', vlan: 20, subnet: '10.0.20.0/24', roles: ['corosync'], addrs: { pve1: '10.0.20.11', pve2: '10.0.20.12', pve3: '10.0.20.13' } },
    { id: 'nic-sto', subnet: '10.0.30.0/24', roles: ['storage'], addrs: { pve2: '10.0.30.12', pve3: '10.0.30.13' } },
  ];
  const saved = await call('/api/scenarios/custom', { json: { text: JSON.stringify(s) }, bearer: TEACHER_KEY });
  expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  expect(saved.body.scenario.networks.map((n: { id: string }) => n.id)).toEqual(['vlan20', 'nic-sto']);
  const lab = await createLab({ scenario: saved.body.id, timeline: false });
  await teacher(lab, 'start');
  return lab;
}

describe('network faults', () => {
  it('over HTTP: a port cut and a saturation reach the cluster; unknown networks and ports are refused', async () => {
    const lab = await networkLab();
    const cut = await teacher(lab, 'faults', { team: 1, fault: { kind: 'net-port', network: 'vlan20', node: 'pve2', up: false } });
    expect(cut.status).toBe(200);
    const sat = await teacher(lab, 'faults', { fault: { kind: 'net-saturate', network: 'nic-sto', on: true } });
    expect(sat.status).toBe(200);
    let sim = (await simState(lab)).sim!;
    expect(sim.nets).toEqual({ vlan20: { down: ['pve2'], saturated: false }, 'nic-sto': { down: [], saturated: true } });

    const noNet = await teacher(lab, 'faults', { team: 1, fault: { kind: 'net-port', network: 'vlan99', node: 'pve2', up: false } });
    expect(noNet.status).toBe(400);
    expect(noNet.body.error.code).toBe('unknown_network');
    expect(noNet.body.error.message).toContain('vlan20, nic-sto');
    const noPort = await teacher(lab, 'faults', { team: 1, fault: { kind: 'net-port', network: 'nic-sto', node: 'pve1', up: false } });
    expect(noPort.status).toBe(400);
    expect(noPort.body.error.code).toBe('unknown_port');
    sim = (await simState(lab)).sim!;
    expect(sim.nets!['nic-sto']!.down).toEqual([]);
  });

  it('over the teacher socket: the same door, an error frame and the room goes on', async () => {
    const lab = await networkLab();
    const tws = await openSocket(`/ws/labs/${lab.code}/teacher?team=1&secret=${encodeURIComponent(lab.secret)}`);
    await tws.waitFor((m) => m.type === 'snapshot', 'snapshot');
    expect(tws.last('snapshot').snapshot.networks.map((n: { id: string }) => n.id)).toEqual(['vlan20', 'nic-sto']);
    tws.send({ type: 'fault', fault: { kind: 'net-saturate', network: 'nope', on: true } });
    expect((await tws.waitFor((m) => m.type === 'error', 'error')).code).toBe('unknown_network');
    tws.send({ type: 'fault', fault: { kind: 'net-port', network: 'vlan20', node: 'pve3', up: false } });
    await tws.waitFor((m) => m.type === 'event' && m.event.type === 'fault-applied' && m.event.fault.kind === 'net-port', 'fault-applied');
    expect((await simState(lab)).sim!.nets!.vlan20!.down).toEqual(['pve3']);
    tws.close();
  });

  it('a cluster with one flat network refuses network faults', async () => {
    const lab = await createLab({ scenario: 'three-node-isolation', timeline: false });
    await teacher(lab, 'start');
    const r = await teacher(lab, 'faults', { team: 1, fault: { kind: 'net-saturate', network: 'vlan20', on: true } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('unknown_network');
    expect(r.body.error.message).toContain('single flat network');
  });
});
