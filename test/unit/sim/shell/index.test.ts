// shell/index: the tokenizer, the pipeline, filters, misc commands, robustness.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../../src/sim/index';
import { CLEAR_SCREEN } from '../../../../src/sim/format';
import { Lab, vm } from './lab';

describe('shell', () => {
  it('answers unknown commands, long lines, control characters and empty lines', () => {
    const lab = new Lab();
    const unk = lab.cmd('pve1', 'frobnicate --now');
    expect(unk.exitCode).toBe(127);
    expect(unk.output.split('\n')[0]).toBe('-bash: frobnicate: command not found');
    expect(unk.output).toContain('help');
    expect(lab.cmd('pve1', '')).toEqual(expect.objectContaining({ output: '', exitCode: 0 }));
    expect(lab.cmd('pve1', '   ')).toEqual(expect.objectContaining({ output: '', exitCode: 0 }));
    const long = lab.cmd('pve1', 'echo ' + 'x'.repeat(600));
    expect(long.exitCode).not.toBe(0);
    expect(long.output).toContain('too long');
    const ctl = lab.cmd('pve1', 'pvecm\u0007 status');
    expect(ctl.exitCode).not.toBe(0);
    expect(ctl.output).toContain('control characters');
    expect(lab.cmd('pve1', "echo 'oops").output).toContain('unexpected EOF');
    expect(lab.cmd('pve1', 'pvecm status; rm -rf /').output).toContain("';' is not supported");
  });

  it('has help, hostname, clear, date and pipes', () => {
    const lab = new Lab();
    const help = lab.out('pve2', 'help');
    expect(help).toContain('Commandes disponibles / Available commands');
    expect(help).toContain('pvecm status');
    expect(lab.out('pve2', 'hostname')).toBe('pve2');
    expect(lab.out('pve2', 'hostname -I')).toBe('10.0.10.12');
    expect(lab.cmd('pve2', 'clear').output).toBe(CLEAR_SCREEN);
    expect(lab.out('pve2', 'date')).toBe('Tue Mar  3 10:00:03 UTC 2026');
    expect(lab.out('pve2', 'pvecm status | grep -i quorate')).toBe('Quorate:          Yes\nFlags:            Quorate');
    expect(lab.cmd('pve2', 'pvecm status | grep Nothing').exitCode).toBe(1);
    expect(lab.out('pve2', 'pvecm nodes | tail -n 1')).toBe('         3          1 pve3');
    expect(lab.out('pve2', 'sudo hostname')).toBe('pve2');
    expect(lab.cmd('pve2', 'pvecm status | frob').exitCode).toBe(127);
  });

  it('a powered-off node has no shell', () => {
    const lab = new Lab();
    lab.fault({ kind: 'power', node: 'pve3', action: 'off' });
    const r = lab.cmd('pve3', 'pvecm status');
    expect(r.exitCode).toBe(255);
    expect(r.output).toContain('No route to host');
  });

  it('never throws and always returns an exit code, whatever is typed', () => {
    const lab = new Lab({ nodes: 2, qdevice: { configured: false } });
    const words = ['pvecm', 'qm', 'ha-manager', 'status', 'expected', 'qdevice', 'setup', 'list', 'start', 'vm:100', '100', '--online', 'pve2', '-e', '|', 'grep', '>', '/etc/pve/x', "'", '"', 'cat', 'ls', '--state', 'crm-command', 'node-maintenance', 'enable', 'systemctl', 'restart', 'chrony', 'corosync-quorumtool', '-1', ''];
    fc.assert(
      fc.property(fc.oneof(fc.array(fc.constantFrom(...words), { maxLength: 6 }).map((w) => w.join(' ')), fc.string({ maxLength: 80 })), (line) => {
        const r = runCommand({ s: lab.s, events: [] }, 'pve1', line);
        expect(typeof r.output).toBe('string');
        expect(Number.isInteger(r.exitCode)).toBe(true);
        expect(r.output).not.toContain('internal error');
      }),
      { numRuns: 400 },
    );
  });
});
