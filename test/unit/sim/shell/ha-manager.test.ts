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

describe('ha-manager: HA groups and resource options', () => {
  it('groupadd, groupconfig, groups.cfg, groupset, groupremove', () => {
    const lab = new Lab();
    expect(lab.out('pve1', 'ha-manager groupconfig')).toBe('');
    expect(lab.out('pve1', 'ls /etc/pve/ha')).toBe('manager_status  resources.cfg');
    expect(lab.cmd('pve1', 'ha-manager groupadd prefer1 --nodes pve1:2,pve2:1 --restricted 1')).toMatchObject({ output: '', exitCode: 0 });
    expect(lab.cmd('pve2', 'ha-manager groupadd web --nodes pve3 --nofailback 1 --comment front')).toMatchObject({ exitCode: 0 });
    const cfg = 'group: prefer1\n\tnodes pve1:2,pve2:1\n\trestricted 1\n\ngroup: web\n\tcomment front\n\tnodes pve3\n\tnofailback 1';
    expect(lab.out('pve3', 'ha-manager groupconfig')).toBe(cfg);
    expect(lab.out('pve3', 'cat /etc/pve/ha/groups.cfg')).toBe(cfg);
    expect(lab.out('pve1', 'ls /etc/pve/ha')).toBe('groups.cfg  manager_status  resources.cfg');
    expect(lab.out('pve1', 'ha-manager groupadd web --nodes pve1')).toBe("create ha group failed: ha group ID 'web' already defined");
    expect(lab.cmd('pve1', 'ha-manager groupset web --nodes pve1:5,pve3 --delete nofailback,comment').exitCode).toBe(0);
    expect(lab.out('pve1', 'ha-manager groupconfig')).toContain('group: web\n\tnodes pve1:5,pve3');
    expect(lab.s.nodes.pve2!.cfs.groups!.web).toEqual({ nodes: { pve1: 5, pve3: 0 } });
    expect(lab.out('pve1', 'ha-manager groupset nope --restricted 1')).toBe("update ha group failed: no such ha group 'nope'");
    expect(lab.out('pve1', 'ha-manager groupset web --delete nodes')).toBe("update ha group failed: unable to delete required option 'nodes'");
    expect(lab.cmd('pve1', 'ha-manager set vm:100 --group web').exitCode).toBe(0);
    expect(lab.out('pve1', 'ha-manager groupremove web')).toBe("delete ha group failed: ha group is used by service 'vm:100'");
    expect(lab.cmd('pve1', 'ha-manager groupremove prefer1').exitCode).toBe(0);
    expect(lab.out('pve1', 'ha-manager groupconfig')).toBe('group: web\n\tnodes pve1:5,pve3');
  });

  it('bad arguments give the real 400 errors', () => {
    const lab = new Lab();
    const usage = 'ha-manager groupadd <group> --nodes <string> [OPTIONS]';
    expect(lab.cmd('pve1', 'ha-manager groupadd g1')).toEqual(
      expect.objectContaining({ output: `400 Parameter verification failed.\nnodes: property is missing and it is not optional\n${usage}`, exitCode: 255 }),
    );
    expect(lab.out('pve1', 'ha-manager groupadd 1g --nodes pve1')).toBe(
      `400 Parameter verification failed.\ngroup: invalid format - invalid configuration ID '1g'\n${usage}`,
    );
    expect(lab.out('pve1', 'ha-manager groupadd g1 --nodes pve1:x')).toContain("nodes: invalid format - unable to parse ha group node 'pve1:x'");
    expect(lab.out('pve1', 'ha-manager groupadd --nodes pve1')).toBe(`400 not enough arguments\n${usage}`);
    expect(lab.out('pve1', 'ha-manager groupadd g1 --nodes pve1 --frob 1')).toBe(`Unknown option: frob\n400 unable to parse option\n${usage}`);
    expect(lab.out('pve1', 'ha-manager set vm:100 --group nope')).toBe("HA group 'nope' does not exist");
    expect(lab.out('pve1', 'ha-manager set vm:100 --max_restart x')).toBe(
      "400 Parameter verification failed.\nmax_restart: type check ('integer') failed - got 'x'\nha-manager set <sid> [OPTIONS]",
    );
    expect(lab.out('pve1', 'ha-manager set vm:100 --max_relocate 11')).toContain('max_relocate: value must have a maximum value of 10');
    expect(lab.s.nodes.pve1!.cfs.groups).toBeUndefined();
  });

  it('set --group, --max_restart, --max_relocate are stored and shown by config and resources.cfg', () => {
    const lab = new Lab();
    lab.cmd('pve1', 'ha-manager groupadd g1 --nodes pve1');
    expect(lab.cmd('pve2', 'ha-manager set vm:100 --group g1 --max_restart 2 --max_relocate 0').exitCode).toBe(0);
    expect(lab.s.nodes.pve3!.cfs.ha['vm:100']).toMatchObject({ group: 'g1', maxRestart: 2, maxRelocate: 0 });
    expect(lab.out('pve3', 'ha-manager config')).toBe('vm:100\n\tgroup g1\n\tmax_relocate 0\n\tmax_restart 2\n\tstate started');
    expect(lab.out('pve3', 'cat /etc/pve/ha/resources.cfg')).toBe('vm: 100\n\tgroup g1\n\tmax_relocate 0\n\tmax_restart 2\n\tstate started');
    expect(lab.cmd('pve2', 'ha-manager set vm:100 --delete group,max_restart').exitCode).toBe(0);
    expect(lab.out('pve3', 'ha-manager config')).toBe('vm:100\n\tmax_relocate 0\n\tstate started');
    expect(lab.cmd('pve1', 'ha-manager add 101 --group g1 --max_relocate 3').exitCode).toBe(0);
    expect(lab.s.nodes.pve1!.cfs.ha['vm:101']).toMatchObject({ group: 'g1', maxRelocate: 3 });
  });

  it('every group and resource write needs quorum (course and real timing)', () => {
    for (const timing of ['course', 'real'] as const) {
      const lab = new Lab({ timing });
      lab.cmd('pve1', 'ha-manager groupadd g1 --nodes pve1');
      lab.fault({ kind: 'isolate', node: 'pve3' });
      lab.run(lab.s.config.timing.deadAfterMs + 2000);
      expect(lab.s.nodes.pve3!.quorate).toBe(false);
      const version = lab.s.nodes.pve3!.cfs.version;
      const refusals: [string, string][] = [
        ['ha-manager groupadd g2 --nodes pve3', 'cluster not ready - no quorum?'],
        ['ha-manager groupset g1 --restricted 1', "update ha group failed: cfs-lock 'domain-ha' error: no quorum!"],
        ['ha-manager groupremove g1', "delete ha group failed: cfs-lock 'domain-ha' error: no quorum!"],
        ['ha-manager set vm:100 --group g1', "cfs-lock 'domain-ha' error: no quorum!"],
      ];
      for (const [line, text] of refusals) {
        const r = lab.cmd('pve3', line);
        expect(r).toMatchObject({ output: text, exitCode: 255 });
        expect(r.events).toContainEqual(expect.objectContaining({ type: 'pmxcfs-refused', node: 'pve3' }));
      }
      expect(lab.s.nodes.pve3!.cfs.version).toBe(version);
      expect(lab.out('pve3', 'ha-manager groupconfig')).toBe('group: g1\n\tnodes pve1'); // still readable
    }
  });
});
