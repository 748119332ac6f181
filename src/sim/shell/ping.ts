// ping: reachability over the cluster network as the links say.
import { nodeConfig } from '../kernel.js';
import { type Res, res, type Sh } from './common.js';
import { qnetdHome, qnetdReachableAt } from '../rules/qdevice.js';
import { validIpv4 } from './pvecm.js';

// ---------------------------------------------------------------- ping

/** Round trip on a saturated network (bulk traffic ahead of every packet): beyond the token. */
const SATURATED_RTT_MS = 3200;

export function ping(sh: Sh, args: string[]): Res {
  const { s, node } = sh;
  let count = 4;
  let host: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c') {
      const v = args[++i];
      if (!v || !/^\d+$/.test(v) || Number(v) < 1) return res(`ping: invalid argument: '${v ?? ''}'`, 1);
      count = Math.min(10, Number(v));
    } else if (/^-c\d+$/.test(a)) count = Math.min(10, Math.max(1, Number(a.slice(2))));
    else if (a.startsWith('-')) continue;
    else host = a;
  }
  if (!host) return res('ping: usage error: Destination address required', 1);
  const byName = s.config.nodes.find((x) => x.name === host || x.ip === host || `${x.name}.lab.local` === host);
  const q = s.config.qdevice;
  let myIp = nodeConfig(s, node)!.ip;
  // An address on one of the scenario's networks: that network's ports and load decide.
  const net = byName ? null : s.config.networks?.find((n) => Object.values(n.addrs).includes(host));
  let ip: string;
  let reach: (i: number) => boolean;
  let latency = 0.2;
  if (net) {
    const target = Object.keys(net.addrs).find((m) => net.addrs[m] === host)!;
    const mine = net.addrs[node];
    if (mine === undefined) return res('ping: connect: Network is unreachable', 2);
    ip = host;
    myIp = mine;
    const rt = s.nets?.[net.id];
    const pair = target === node || (!s.links[`${node}>${target}`]?.cut && !s.links[`${target}>${node}`]?.cut);
    const up = target === node || (s.nodes[target]!.power !== 'off' && pair && !rt?.down.includes(node) && !rt?.down.includes(target));
    // A saturated network still answers, late: what corosync's token cannot wait for.
    if (rt?.saturated) latency += SATURATED_RTT_MS;
    reach = () => up;
  } else if (byName) {
    ip = byName.ip;
    if (byName.name === node) reach = () => true;
    else {
      const there = s.links[`${node}>${byName.name}`];
      const back = s.links[`${byName.name}>${node}`];
      const up = s.nodes[byName.name]!.power !== 'off' && !!there && !!back && !there.cut && !back.cut;
      const loss = Math.max(there?.loss ?? 0, back?.loss ?? 0);
      latency += ((there?.latencyMs ?? 0) + (back?.latencyMs ?? 0)) || 0;
      // Deterministic loss: the same command at the same time gives the same answer.
      reach = (i) => up && ((((s.now / 1000 + i) * 2654435761) >>> 0) % 1000) / 1000 >= loss;
    }
  } else if (q && qnetdHome(s, host)) {
    ip = host;
    const up = qnetdReachableAt(s, host, node);
    reach = () => up;
  } else if (validIpv4(host)) {
    ip = host;
    reach = () => false;
  } else return res(`ping: ${host}: Name or service not known`, 2);
  const lines = [`PING ${host} (${ip}) 56(84) bytes of data.`];
  let got = 0;
  for (let i = 1; i <= count; i++) {
    if (reach(i)) {
      got++;
      lines.push(`64 bytes from ${ip}: icmp_seq=${i} ttl=64 time=${(latency + ((i * 37) % 100) / 1000).toFixed(3)} ms`);
    } else if (!byName || byName.name !== node) lines.push(`From ${myIp} icmp_seq=${i} Destination Host Unreachable`);
  }
  const errors = count - got;
  lines.push('', `--- ${host} ping statistics ---`);
  lines.push(
    `${count} packets transmitted, ${got} received, ${errors ? `+${errors} errors, ` : ''}${Math.round((errors / count) * 100)}% packet loss, time ${(count - 1) * 1000 + 3}ms`,
  );
  return res(lines.join('\n'), got ? 0 : 1);
}
