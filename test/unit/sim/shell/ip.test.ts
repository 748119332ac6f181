// shell/ip: the node's interfaces per network, DOWN when its port on that network is cut.
import { describe, expect, it } from 'vitest';
import { play } from '../lab-plays';
import { Lab } from './lab';

describe('ip addr', () => {
  it('-br lists one interface per network of the scenario; a cut port is DOWN', () => {
    const r = play('network-design', 401_000, [
      [1_000, 'pve2', 'ip -br addr'],
      [401_000, 'pve2', 'ip -br a'],
      [401_000, 'pve2', 'ip addr'],
    ]);
    expect(r.outputs[0]!.output.split('\n')).toEqual([
      'lo               UNKNOWN        127.0.0.1/8 ::1/128',
      'vmbr0.2          UP             10.0.2.12/24',
      'vmbr0.10         UP             10.0.10.12/24',
      'vmbr0.20         UP             10.0.20.12/24',
      'vmbr0.30         UP',
    ]);
    expect(r.outputs[1]!.output).toContain('vmbr0.20         DOWN           10.0.20.12/24');
    expect(r.outputs[2]!.output).toContain('4: vmbr0.20: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default qlen 1000');
    expect(r.outputs[2]!.output).toContain('    inet 10.0.10.12/24 scope global vmbr0.10');
  });

  it('without networks: vmbr0 with the node address; other objects get a hint', () => {
    const lab = new Lab();
    expect(lab.out('pve1', 'ip -br addr').split('\n')[1]).toBe('vmbr0            UP             10.0.10.11/24');
    const bad = lab.cmd('pve1', 'ip route');
    expect(bad.exitCode).toBe(1);
    expect(bad.output).toContain('astuce : ip addr');
  });
});

describe('ping on a network', () => {
  it('an address on a VLAN answers while both ports are up; late when the network is saturated', () => {
    const r = play('network-design', 401_000, [
      [1_000, 'pve1', 'ping -c 1 10.0.10.12'],
      [91_000, 'pve1', 'ping -c 1 10.0.20.12'],
      [401_000, 'pve1', 'ping -c 1 10.0.20.12'],
      [401_000, 'pve1', 'ping -c 1 10.0.10.12'],
    ]);
    expect(r.outputs[0]!.output).toContain('64 bytes from 10.0.10.12: icmp_seq=1 ttl=64 time=0.237 ms');
    expect(r.outputs[1]!.output).toMatch(/64 bytes from 10\.0\.20\.12: icmp_seq=1 ttl=64 time=3200\.\d+ ms/);
    expect(r.outputs[2]!.output).toContain('From 10.0.20.11 icmp_seq=1 Destination Host Unreachable');
    expect(r.outputs[2]!.exitCode).toBe(1);
    expect(r.outputs[3]!.exitCode).toBe(0);
  });
});
