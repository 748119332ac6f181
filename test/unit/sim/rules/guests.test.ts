// rules/guests, rules/ha-config, rules/corosync-conf: the named actions the shell calls. Each is
// tested directly (the action alone changes the state) and through the command that calls it.
import { describe, expect, it } from 'vitest';
import { createGuest, destroyGuest, guestRuntime, migrateGuest, startGuest } from '../../../../src/sim/rules/guests';
import { haAddResource, haMoveService, haPutGroup, haRemoveGroup, haSetMaintenance, haUpdateResource } from '../../../../src/sim/rules/ha-config';
import { removeQdevice, setupQdevice } from '../../../../src/sim/rules/corosync-conf';
import { cfsTouch } from '../../../../src/sim/rules/pmxcfs';
import type { Ctx } from '../../../../src/sim/kernel';
import type { CfsVm } from '../../../../src/sim/types';
import { Lab, vm } from '../shell/lab';

const ctx = (lab: Lab): Ctx => ({ s: lab.s, events: [] });
const conf = (vmid: number, node: string): CfsVm => ({ vmid, name: `t${vmid}`, node, memoryMb: 512, diskGb: 4, storage: 'shared' });
const everyCopy = (lab: Lab) => Object.values(lab.s.nodes).map((n) => n.cfs);

describe('guests', () => {
  it('createGuest writes the config on every copy of the partition and makes a runtime; refused without quorum', () => {
    const lab = new Lab();
    const c = ctx(lab);
    expect(createGuest(c, 'pve1', conf(300, 'pve1'), 'qm create 300')).toBe(true);
    for (const db of everyCopy(lab)) expect(db.vms['300']).toMatchObject({ node: 'pve1', name: 't300' });
    expect(lab.s.vms['300']).toEqual({ vmid: 300, runningOn: [], ioError: false });
    expect(c.events.map((e) => e.type)).toEqual(['pmxcfs-write']);
    lab.fault({ kind: 'isolate', node: 'pve3' });
    lab.run(15_000);
    const c2 = ctx(lab);
    expect(createGuest(c2, 'pve3', conf(301, 'pve3'), 'qm create 301')).toBe(false);
    expect(lab.s.vms['301']).toBeUndefined();
    expect(c2.events.map((e) => e.type)).toEqual(['pmxcfs-refused']);
  });

  it('startGuest starts a guest never started; guestRuntime reads without creating an entry', () => {
    const lab = new Lab({ vms: [] });
    expect(guestRuntime(lab.s, 400)).toEqual({ vmid: 400, runningOn: [], ioError: false });
    expect(lab.s.vms['400']).toBeUndefined();
    expect(lab.cmd('pve1', 'qm status 400').exitCode).toBe(2);
    expect(lab.s.vms['400']).toBeUndefined();
    createGuest(ctx(lab), 'pve1', conf(400, 'pve1'), 'qm create 400');
    delete lab.s.vms['400'];
    const c = ctx(lab);
    expect(startGuest(c, 400, 'pve1', 'qm start')).toBe(true);
    expect(lab.s.vms['400']!.runningOn).toEqual(['pve1']);
    expect(c.events.map((e) => e.type)).toEqual(['vm-started']);
  });

  it('migrateGuest moves the config at once and locks a running guest until the copy ends; destroyGuest drops config, HA entry and runtime', () => {
    const lab = new Lab({ vms: [vm(100, 'web01', 'pve1', { ha: false })] });
    const c = ctx(lab);
    expect(migrateGuest(c, 'pve1', 100, 'pve2', 'qm migrate 100 pve2 --online')).toBe(true);
    for (const db of everyCopy(lab)) expect(db.vms['100']!.node).toBe('pve2');
    expect(lab.s.vms['100']).toMatchObject({ runningOn: ['pve1'], migrating: { to: 'pve2', until: lab.s.now + lab.s.config.timing.migrateMs } });
    lab.run(lab.s.config.timing.migrateMs + 1000);
    expect(lab.s.vms['100']!.runningOn).toEqual(['pve2']);
    expect(lab.cmd('pve2', 'qm stop 100').exitCode).toBe(0);
    expect(destroyGuest(ctx(lab), 'pve2', 100, 'qm destroy 100')).toBe(true);
    for (const db of everyCopy(lab)) expect(db.vms['100']).toBeUndefined();
    expect(lab.s.vms['100']).toBeUndefined();
  });
});

describe('ha-config', () => {
  it('add, update, move and maintenance change every copy; the move and maintenance announce themselves', () => {
    const lab = new Lab({ vms: [vm(100, 'web01', 'pve1', { ha: false })] });
    const c = ctx(lab);
    expect(haAddResource(c, 'pve2', 100, 'vm:100', 'started', { maxRestart: 2 }, 'ha-manager add vm:100')).toBe(true);
    for (const db of everyCopy(lab)) expect(db.ha['vm:100']).toMatchObject({ node: 'pve1', state: 'started', requested: 'started', maxRestart: 2 });
    expect(haUpdateResource(c, 'pve2', 'vm:100', { requested: 'stopped', dels: ['maxRestart'] }, 'ha-manager set vm:100 --state stopped')).toBe(true);
    expect(lab.s.nodes.pve3!.cfs.ha['vm:100']).not.toHaveProperty('maxRestart');
    expect(lab.s.nodes.pve3!.cfs.ha['vm:100']!.requested).toBe('stopped');
    haUpdateResource(c, 'pve2', 'vm:100', { requested: 'started' }, 'ha-manager set vm:100 --state started');
    expect(haMoveService(c, 'pve2', 'vm:100', 'pve3', 'migrate', true, 'ha-manager migrate vm:100 pve3')).toBe(true);
    expect(lab.s.nodes.pve1!.cfs.ha['vm:100']).toMatchObject({ state: 'migrate', target: 'pve3', node: 'pve1' });
    expect(haSetMaintenance(c, 'pve1', 'pve2', true, 'ha-manager crm-command node-maintenance enable pve2')).toBe(true);
    expect(lab.s.nodes.pve3!.cfs.maintenance).toEqual(['pve2']);
    expect(c.events.filter((e) => e.type !== 'pmxcfs-write')).toEqual([
      expect.objectContaining({ type: 'service-state', sid: 'vm:100', state: 'migrate', node: 'pve1' }),
      expect.objectContaining({ type: 'maintenance', node: 'pve2', enabled: true }),
    ]);
  });

  it('groups are put whole and removed; a stopped service only has its config moved', () => {
    const lab = new Lab({ vms: [vm(100, 'web01', 'pve1', { running: false })] });
    const c = ctx(lab);
    expect(haPutGroup(c, 'pve1', 'prefer3', { nodes: { pve3: 2, pve2: 1 }, nofailback: true }, 'ha-manager groupadd prefer3')).toBe(true);
    expect(lab.s.nodes.pve2!.cfs.groups).toEqual({ prefer3: { nodes: { pve3: 2, pve2: 1 }, nofailback: true } });
    expect(haRemoveGroup(c, 'pve1', 'prefer3', 'ha-manager groupremove prefer3')).toBe(true);
    expect(lab.s.nodes.pve2!.cfs.groups).toEqual({});
    expect(haMoveService(c, 'pve1', 'vm:100', 'pve2', 'relocate', false, 'ha-manager relocate vm:100 pve2')).toBe(true);
    for (const db of everyCopy(lab)) {
      expect(db.ha['vm:100']).toMatchObject({ node: 'pve2', state: 'stopped' });
      expect(db.vms['100']!.node).toBe('pve2');
    }
    expect(c.events.every((e) => e.type === 'pmxcfs-write')).toBe(true);
  });

  it('ha-manager groupset keeps the other flags, sets the given ones and deletes the --delete ones', () => {
    const lab = new Lab();
    lab.cmd('pve1', 'ha-manager groupadd g1 --nodes pve1:2,pve2 --restricted 1 --comment first');
    expect(lab.cmd('pve1', 'ha-manager groupset g1 --nofailback 1 --delete comment').exitCode).toBe(0);
    expect(lab.s.nodes.pve3!.cfs.groups).toEqual({ g1: { nodes: { pve1: 2, pve2: 0 }, restricted: true, nofailback: true } });
  });
});

describe('corosync-conf and pmxcfs touch', () => {
  it('setupQdevice / removeQdevice write corosync.conf, announce it, and the removal brings expected votes back down', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: false } });
    const c = ctx(lab);
    expect(setupQdevice(c, 'pve1', '10.0.10.20', 'ffsplit', 'qdevice setup 10.0.10.20')).toBe(true);
    for (const db of everyCopy(lab)) expect(db.qdevice).toEqual({ configured: true, ip: '10.0.10.20', algorithm: 'ffsplit' });
    lab.run(5000);
    expect(lab.s.nodes.pve1!.expected).toBe(3);
    const c2 = ctx(lab);
    expect(removeQdevice(c2, 'pve1', ['pve1', 'pve2'], 'qdevice remove')).toBe(true);
    for (const db of everyCopy(lab)) expect(db.qdevice).toBeNull();
    expect(lab.s.nodes.pve1!.expected).toBe(2);
    expect([...c.events, ...c2.events].filter((e) => e.type === 'qdevice-configured').map((e) => 'enabled' in e && e.enabled)).toEqual([true, false]);
  });

  it('cfsTouch makes a new version with nothing else changed', () => {
    const lab = new Lab();
    const before = JSON.parse(JSON.stringify(lab.s.nodes.pve1!.cfs));
    expect(cfsTouch(ctx(lab), 'pve1', 'notes.txt', 'touch /etc/pve/notes.txt')).toBe(true);
    const after = lab.s.nodes.pve2!.cfs;
    expect(after.version).toBe(before.version + 1);
    expect({ ...after, version: 0, log: [] }).toEqual({ ...before, version: 0, log: [] });
    expect(after.log.at(-1)).toMatchObject({ node: 'pve1', path: 'notes.txt', what: 'touch /etc/pve/notes.txt' });
  });
});
