// corosync-cfgtool: the node's own view of its knet links (corosync-cfgtool.c, corosync 3.1.7): one
// `LINK ID` block per link of the node's corosync.conf (rules/networks.ts decides which work).
import { nodeConfig, nodelistOf } from '../kernel.js';
import { linkConnected, linksOf } from '../rules/networks.js';
import type { CorosyncLink } from '../types.js';
import { hint, type Res, res, type Sh } from './common.js';
import { corosyncDown } from './corosync.js';

const CFGTOOL_USAGE = [
  'corosync-cfgtool [[-i <interface ip>] [-b] -s] [-R] [-L] [-k nodeid] [-a nodeid] [-h] [-H]',
  '',
  'A tool for displaying and configuring active parameters within corosync.',
  'options:',
  '\t-i\tFinds only information about the specified interface IP address or link id when used with -s..',
  '\t-s\tDisplays the status of the current links on this node.',
  '\t-n\tDisplays the status of the connected nodes and their links.',
  '\t-b\tDisplays the brief status of the current links on this node when used with -s.',
  '\t-R\tTell all instances of corosync in this cluster to reload corosync.conf.',
  '\t-L\tTell corosync to reopen all logging files.',
  '\t-k\tKill a node identified by node id.',
  '\t-a\tDisplay the IP address(es) of a node',
  '\t-h\tPrint basic usage.',
].join('\n');

/** The peer is alive as knet sees it: a heartbeat from it arrived within two heartbeat periods
 * (knet's pings notice a dead node long before the token times out; the same delay gives the
 * `heartbeat-lost` event). */
function alive(sh: Sh, peer: string): boolean {
  const t = sh.n.heard[peer];
  return t !== undefined && sh.s.now - t <= 2 * sh.s.config.timing.heartbeatMs;
}

/** The link to `peer` is connected, seen from this node. */
const connected = (sh: Sh, peer: string, link: CorosyncLink): boolean => alive(sh, peer) && linkConnected(sh.s, sh.node, peer, link);

export function cfgtool(sh: Sh, args: string[]): Res {
  let mode: 's' | 'n' | 'R' | null = null;
  let brief = false;
  for (const a of args) {
    if (!/^-[a-zA-Z]+$/.test(a)) return res(CFGTOOL_USAGE, 1);
    for (const f of a.slice(1)) {
      if (f === 's' || f === 'n' || f === 'R') mode = f;
      else if (f === 'b') brief = true;
      else if (f === 'h') return res(CFGTOOL_USAGE);
      else if (f === 'k' || f === 'a' || f === 'i' || f === 'L' || f === 'H')
        return res(
          `corosync-cfgtool -${f}: not simulated in this lab\n` +
            hint('corosync-cfgtool -s shows the links of this node', 'corosync-cfgtool -s montre les liens de ce nœud'),
          1,
        );
      else return res(`corosync-cfgtool: invalid option -- '${f}'\n${CFGTOOL_USAGE}`, 1);
    }
  }
  if (mode === null) return res(CFGTOOL_USAGE, 1);
  // CS_ERR_LIBRARY (2): the IPC of a stopped corosync is not there.
  if (corosyncDown(sh)) return res('Could not initialize corosync configuration API error 2', 1);
  if (mode === 'R') return res('Reloading corosync.conf...\nDone');
  const { s, node } = sh;
  const me = nodeConfig(s, node)!;
  const listed = nodelistOf(s, sh.n) ?? [];
  const nodes = s.config.nodes.filter((x) => listed.includes(x.name)).sort((a, b) => a.nodeid - b.nodeid);
  const links = linksOf(s, sh.n)
    .filter((l) => l.addrs[node] !== undefined)
    .sort((a, b) => a.linknumber - b.linknumber);
  const lines = [`Local node ID ${me.nodeid}, transport knet`];
  if (mode === 'n') {
    for (const x of nodes) {
      if (x.name === node || !alive(sh, x.name)) continue;
      const mine = links.filter((l) => l.addrs[x.name] !== undefined);
      if (!mine.some((l) => connected(sh, x.name, l))) continue;
      lines.push(`nodeid: ${x.nodeid} reachable   onwire (min/max/cur): 0, 1, 1`);
      for (const l of mine)
        lines.push(`   LINK: ${l.linknumber} udp (${l.addrs[node]}->${l.addrs[x.name]}) enabled${connected(sh, x.name, l) ? ' connected' : ''} mtu: 1397`);
      lines.push('');
    }
    return res(lines.join('\n'));
  }
  for (const l of links) {
    const on = nodes.filter((x) => l.addrs[x.name] !== undefined);
    lines.push(`LINK ID ${l.linknumber} udp`, `\taddr\t= ${l.addrs[node]}`);
    if (brief) {
      const status = on.map((x) => (x.name === node ? 'n' : connected(sh, x.name, l) ? '3' : '1')).join('');
      lines.push(`\tstatus\t= ${status}`);
    } else {
      lines.push('\tstatus:');
      for (const x of on)
        lines.push(`\t\tnodeid: ${String(x.nodeid).padStart(10)}:\t${x.name === node ? 'localhost' : connected(sh, x.name, l) ? 'connected' : 'disconnected'}`);
    }
  }
  return res(lines.join('\n'));
}
