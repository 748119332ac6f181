// rules/power: boots and power-downs.
import { describe, expect, it } from 'vitest';
import { Harness, haVm, mkConfig } from '../harness';

describe('rules/power', () => {
  it("a power cut stops the node's guests and drops its quorum at once", () => {
    const h = new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1')] }));
    h.advance(3000);
    h.fault({ kind: 'power', node: 'pve1', action: 'off' });
    expect(h.s.nodes.pve1).toMatchObject({ power: 'off', quorate: false, members: [] });
    expect(h.first('vm-stopped', (e) => e.vmid === 100)).toMatchObject({ node: 'pve1', reason: 'power loss' });
  });

  it('a boot restarts votequorum: expected from the config, wait_for_all armed again', () => {
    const h = new Harness(mkConfig({ nodes: 3, options: { wait_for_all: true } }));
    h.advance(3000);
    h.fault({ kind: 'power', node: 'pve3', action: 'reset' });
    expect(h.s.nodes.pve3!.power).toBe('booting');
    h.until(() => h.s.nodes.pve3!.power === 'on');
    expect(h.s.nodes.pve3).toMatchObject({ expected: 3, expectedOverride: null });
    expect(h.first('node-power', (e) => e.node === 'pve3' && e.power === 'on')).toMatchObject({ reason: 'booted' });
    h.until(() => h.quorate('pve3'));
  });
});
