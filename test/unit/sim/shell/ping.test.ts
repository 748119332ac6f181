// shell/ping.
import { describe, expect, it } from 'vitest';
import { Lab } from './lab';

describe('ping', () => {
  it('ping follows the links', () => {
    const lab = new Lab();
    expect(lab.cmd('pve1', 'ping -c 2 pve2')).toMatchObject({ exitCode: 0 });
    lab.fault({ kind: 'isolate', node: 'pve1' });
    const r = lab.cmd('pve1', 'ping -c 2 10.0.10.12');
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('100% packet loss');
  });
});
