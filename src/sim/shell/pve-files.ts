// The contents of the /etc/pve files, rendered from the node's copy.
import { clusterNameOf, configVersionOf, crmMaster, nodeid, nodelistOf } from '../kernel.js';
import { linksOf } from '../rules/networks.js';
import { nodeClock } from '../format.js';
import { qdeviceVoteCount } from '../quorum.js';
import type { CfsDb } from '../types.js';
import { myPartition, type Sh } from './common.js';
import { resourceKeys } from './ha-manager.js';

export function corosyncConf(sh: Sh): string {
  const { s, n } = sh;
  const opts = s.config.options;
  const q = n.cfs.qdevice?.configured ? n.cfs.qdevice : null;
  const lines = ['logging {', '  debug: off', '  to_syslog: yes', '}', '', 'nodelist {'];
  const listed = nodelistOf(s, n) ?? [];
  const links = [...linksOf(s, n)].sort((a, b) => a.linknumber - b.linknumber);
  for (const x of s.config.nodes.filter((c) => listed.includes(c.name)).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rings = links.filter((l) => l.addrs[x.name] !== undefined).map((l) => `    ring${l.linknumber}_addr: ${l.addrs[x.name]}`);
    lines.push('  node {', `    name: ${x.name}`, `    nodeid: ${x.nodeid}`, `    quorum_votes: ${x.votes}`, ...rings, '  }');
  }
  lines.push('}', '', 'quorum {');
  if (q) {
    lines.push(
      '  device {',
      '    model: net',
      '    net {',
      `      algorithm: ${q.algorithm}`,
      `      host: ${q.ip}`,
      '      tls: on',
      '    }',
      `    votes: ${qdeviceVoteCount(q.algorithm, listed.length)}`,
      '  }',
    );
  }
  lines.push('  provider: corosync_votequorum');
  if (opts.two_node && !q) lines.push('  two_node: 1');
  if (opts.wait_for_all !== undefined) lines.push(`  wait_for_all: ${opts.wait_for_all ? 1 : 0}`);
  if (opts.auto_tie_breaker) lines.push('  auto_tie_breaker: 1');
  if (opts.last_man_standing) lines.push('  last_man_standing: 1');
  if (opts.last_man_standing_window !== undefined) lines.push(`  last_man_standing_window: ${opts.last_man_standing_window}`);
  if (opts.allow_downscale) lines.push('  allow_downscale: 1');
  lines.push(
    '}',
    '',
    'totem {',
    `  cluster_name: ${clusterNameOf(s, n)}`,
    `  config_version: ${configVersionOf(n.cfs)}`,
    ...links.flatMap((l) => [
      '  interface {',
      `    linknumber: ${l.linknumber}`,
      ...(l.priority !== undefined ? [`    knet_link_priority: ${l.priority}`] : []),
      '  }',
    ]),
    '  ip_version: ipv4-6',
    '  link_mode: passive',
    '  secauth: on',
    ...(s.config.totem ? [`  token: ${s.config.totem.token}`, `  token_coefficient: ${s.config.totem.token_coefficient}`] : []),
    '  version: 2',
    '}',
  );
  return lines.join('\n');
}

export function resourcesCfg(db: CfsDb): string {
  return Object.values(db.ha)
    .sort((a, b) => a.vmid - b.vmid)
    .map((x) => [`vm: ${x.vmid}`, ...resourceKeys(x).map(([k, v]) => `\t${k} ${v}`)].join('\n'))
    .join('\n\n');
}

export function membersJson(sh: Sh): string {
  const { s, n, node } = sh;
  const { p } = myPartition(sh);
  const rows = s.config.nodes.map(
    (x) => `  "${x.name}": { "id": ${x.nodeid}, "online": ${p.includes(x.name) ? 1 : 0}${p.includes(x.name) ? `, "ip": "${x.ip}"` : ''}}`,
  );
  return [
    '{',
    `"nodename": "${node}",`,
    `"version": ${n.ringId},`,
    `"cluster": { "name": "${s.config.clusterName}", "version": ${n.cfs.version}, "nodes": ${s.config.nodes.length}, "quorate": ${n.quorate ? 1 : 0} },`,
    '"nodelist": {',
    rows.join(',\n'),
    '  }',
    '}',
  ].join('\n');
}

export function vmlistJson(sh: Sh): string {
  const vms = Object.values(sh.n.cfs.vms).sort((a, b) => a.vmid - b.vmid);
  return [
    '{',
    `"version": ${sh.n.cfs.version},`,
    '"ids": {',
    vms.map((vm) => `"${vm.vmid}": { "node": "${vm.node}", "type": "qemu", "version": 1 }`).join(',\n'),
    '}',
    '}',
  ].join('\n');
}

export function managerStatus(sh: Sh): string {
  const { s, n } = sh;
  const db = n.cfs;
  const { p } = myPartition(sh);
  const master = crmMaster(p);
  const nodeStatus = Object.fromEntries(Object.entries(db.haNodes).map(([k, v]) => [k, v.state]));
  const serviceStatus = Object.fromEntries(
    Object.values(db.ha).map((x) => [x.sid, { node: x.node, state: x.state, ...(x.target ? { target: x.target } : {}), uid: `${x.vmid}${x.since}` }]),
  );
  return JSON.stringify({
    master_node: master,
    node_status: nodeStatus,
    service_status: serviceStatus,
    timestamp: Math.floor(nodeClock(s, sh.node) / 1000),
  });
}
