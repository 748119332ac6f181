// ip addr / ip -br addr: the node's interfaces, one per network of the scenario (docs/commands.md):
// the bond's bridge vmbr0 with the untagged management network, vmbr0.<vlan> for each VLAN. A port
// cut on a network (net-port) shows its interface DOWN. Without networks: vmbr0 with NodeConfig.ip.
import { nodeConfig } from '../kernel.js';
import type { NetworkConfig } from '../types.js';
import { hint, type Res, res, type Sh } from './common.js';

interface Iface {
  name: string;
  addr: string | null;
  prefix: string;
  up: boolean;
}

function interfaces(sh: Sh): Iface[] {
  const { s, node } = sh;
  const nets = s.config.networks;
  if (!nets) return [{ name: 'vmbr0', addr: nodeConfig(s, node)?.ip ?? null, prefix: '24', up: true }];
  const name = (net: NetworkConfig, i: number) => (net.vlan !== undefined ? `vmbr0.${net.vlan}` : `vmbr${i + 1}`);
  return nets.map((net, i) => ({
    name: name(net, i),
    addr: net.addrs[node] ?? null,
    prefix: net.subnet.split('/')[1] ?? '24',
    up: !s.nets?.[net.id]?.down.includes(node),
  }));
}

export function ip(sh: Sh, args: string[]): Res {
  const brief = args.some((a) => ['-br', '-brief', '--brief'].includes(a));
  const rest = args.filter((a) => !a.startsWith('-'));
  const obj = rest[0] ?? '';
  if (!['a', 'ad', 'addr', 'address'].includes(obj) || rest.length > 2 || (rest[1] !== undefined && rest[1] !== 'show'))
    return res(
      `Object "${obj}" is unknown or not simulated here, try "ip help".\n` +
        hint('ip addr or ip -br addr lists this node’s interfaces and addresses', 'ip addr ou ip -br addr liste les interfaces et adresses de ce nœud'),
      1,
    );
  const list = interfaces(sh);
  if (brief) {
    const rows = [['lo', 'UNKNOWN', '127.0.0.1/8 ::1/128'], ...list.map((i) => [i.name, i.up ? 'UP' : 'DOWN', i.addr ? `${i.addr}/${i.prefix}` : ''])];
    return res(rows.map(([n, st, a]) => `${n!.padEnd(16)} ${st!.padEnd(14)} ${a}`).join('\n'));
  }
  const lines = [
    '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
    '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
    '    inet 127.0.0.1/8 scope host lo',
  ];
  list.forEach((i, k) => {
    const flags = i.up ? '<BROADCAST,MULTICAST,UP,LOWER_UP>' : '<NO-CARRIER,BROADCAST,MULTICAST,UP>';
    lines.push(`${k + 2}: ${i.name}: ${flags} mtu 1500 qdisc noqueue state ${i.up ? 'UP' : 'DOWN'} group default qlen 1000`);
    lines.push(`    link/ether 52:54:00:00:0${k}:${String(nodeConfig(sh.s, sh.node)?.nodeid ?? 0).padStart(2, '0')} brd ff:ff:ff:ff:ff:ff`);
    if (i.addr) lines.push(`    inet ${i.addr}/${i.prefix} scope global ${i.name}`);
  });
  return res(lines.join('\n'));
}
