// shell/ha-manager.
import { describe, expect, it } from 'vitest';
import { Lab, clock, vm } from './lab';

describe('ha-manager', () => {
  it('shows the quorate and the inquorate views', () => {
    const lab = new Lab();
    const ts = clock(lab);
    expect(lab.out('pve2', 'ha-manager status')).toBe(
      [
        'quorum OK',
        `master pve1 (active, ${ts})`,
        `lrm pve1 (active, ${ts})`,
        `lrm pve2 (idle, ${ts})`,
        `lrm pve3 (idle, ${ts})`,
        'service vm:100 (pve1, started)',
      ].join('\n'),
    );
    lab.fault({ kind: 'isolate', node: 'pve3' });
    lab.run(12_000);
    const inq = lab.lines('pve3', 'ha-manager status');
    expect(inq[0]).toBe("quorum No quorum on node 'pve3'!");
    expect(inq.some((l) => /^lrm pve3 \(old timestamp - dead\?, /.test(l))).toBe(true);
    const q = lab.lines('pve1', 'ha-manager status');
    expect(q[0]).toBe('quorum OK');
    expect(q.some((l) => /^lrm pve3 \(old timestamp - dead\?, /.test(l))).toBe(true);
    expect(q).toContain(`lrm pve1 (active, ${clock(lab)})`);
  });

  it('adds, sets, removes resources', () => {
    const lab = new Lab();
    expect(lab.cmd('pve1', 'ha-manager add vm:100').output).toBe("resource ID 'vm:100' already defined");
    expect(lab.cmd('pve1', 'ha-manager add vm:999').output).toBe("resource 'vm:999' does not exist in cluster");
    expect(lab.cmd('pve1', 'ha-manager add 101 --state stopped').exitCode).toBe(0);
    expect(lab.s.nodes.pve2!.cfs.ha['vm:101']).toMatchObject({ requested: 'stopped', node: 'pve2' });
    expect(lab.s.vms['101']!.runningOn).toEqual([]);
    expect(lab.out('pve3', 'cat /etc/pve/ha/resources.cfg')).toBe('vm: 100\n\tstate started\n\nvm: 101\n\tstate stopped');
    expect(lab.cmd('pve3', 'ha-manager set vm:101 --state started').exitCode).toBe(0);
    expect(lab.s.vms['101']!.runningOn).toEqual(['pve2']);
    expect(lab.cmd('pve3', 'ha-manager set vm:101 --state bogus').output).toContain("state: value 'bogus' does not have a value in the enumeration");
    expect(lab.cmd('pve3', 'ha-manager remove vm:101').exitCode).toBe(0);
    expect(lab.s.nodes.pve1!.cfs.ha['vm:101']).toBeUndefined();
    expect(lab.s.vms['101']!.runningOn).toEqual(['pve2']);
    expect(lab.cmd('pve3', 'ha-manager remove vm:101').output).toBe("no such resource 'vm:101'");
    expect(lab.cmd('pve3', 'ha-manager frob').output).toMatch(/^ERROR: unknown command 'ha-manager frob'/);
    expect(lab.cmd('pve3', 'ha-manager add nonsense').output).toContain("unable to parse service ID 'nonsense'");
  });

  it('maintenance mode moves services away and brings them back', () => {
    const lab = new Lab();
    const en = lab.cmd('pve2', 'ha-manager crm-command node-maintenance enable pve1');
    expect(en).toMatchObject({ output: '', exitCode: 0 });
    expect(en.events).toContainEqual(expect.objectContaining({ type: 'maintenance', node: 'pve1', enabled: true }));
    expect(lab.s.nodes.pve1!.cfs.maintenance).toEqual(['pve1']);
    const during = lab.lines('pve1', 'ha-manager status');
    expect(during.some((l) => l.startsWith('lrm pve1 (maintenance mode, '))).toBe(true);
    expect(during).toContain('service vm:100 (pve1, migrate)');
    const ms = lab.s.config.timing.migrateMs;
    lab.run(ms - 1000);
    expect(lab.s.vms['100']!.runningOn).toEqual(['pve1']);
    lab.run(2000);
    expect(lab.s.vms['100']!.runningOn).toEqual(['pve2']);
    expect(lab.out('pve3', 'ha-manager status')).toContain('service vm:100 (pve2, started)');
    expect(lab.out('pve2', 'qm list')).toMatch(/100 web01 +running/);

    const dis = lab.cmd('pve3', 'ha-manager crm-command node-maintenance disable pve1');
    expect(dis.events).toContainEqual(expect.objectContaining({ type: 'maintenance', node: 'pve1', enabled: false }));
    lab.run(ms + 1000);
    expect(lab.s.vms['100']!.runningOn).toEqual(['pve1']);
    expect(lab.out('pve3', 'ha-manager status')).toContain('service vm:100 (pve1, started)');
    expect(lab.cmd('pve3', 'ha-manager crm-command node-maintenance enable pve7').output).toBe("no such cluster node 'pve7'");
  });

  it('migrate and relocate go through the CRM', () => {
    const lab = new Lab();
    expect(lab.cmd('pve3', 'ha-manager relocate vm:100 pve3').exitCode).toBe(0);
    expect(lab.s.nodes.pve3!.cfs.ha['vm:100']).toMatchObject({ state: 'relocate', target: 'pve3' });
    lab.run(lab.s.config.timing.migrateMs + 1000);
    expect(lab.s.vms['100']!.runningOn).toEqual(['pve3']);
    expect(lab.cmd('pve3', 'ha-manager migrate vm:100 pve3').output).toContain('service already on target node');
    lab.fault({ kind: 'power', node: 'pve2', action: 'off' });
    lab.run(1000);
    expect(lab.cmd('pve3', 'ha-manager migrate vm:100 pve2').output).toBe('crm command error - node not online: migrate vm:100 pve2');
  });
});

// ---------------------------------------------------------------- time and services
