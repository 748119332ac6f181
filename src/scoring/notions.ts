// Which course notion a command line shows. Commands count toward participation only when their
// notion is one the scenario teaches (Scenario.concepts): `help`, `hostname` or `ls` show none.
// The shell has no command registry yet (src/sim/commands.ts dispatches with a switch); this table
// belongs on its entries once it has one.

/** A command line cut to its tool and subcommand: `qm migrate 100 pve2` → `qm migrate`. */
export function commandKey(line: string): string {
  const words = line.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '';
  const second = words[1];
  return second && /^[a-z][a-z-]*$/i.test(second) ? `${words[0]} ${second}` : words[0]!;
}

/** Tool → notion; a function when the notion depends on the arguments. Tools not listed show none. */
const TOOLS: Record<string, string | ((line: string, sub: string) => string | null)> = {
  pvecm: (line, sub) =>
    sub === 'expected' ? 'expected-votes' : sub === 'qdevice' ? 'qdevice' : sub === 'status' || sub === 'nodes' ? 'quorum' : sub === 'create' || sub === 'add' || sub === 'delnode' ? 'cluster-build' : null,
  apt: (line) => (/corosync-q/.test(line) ? 'qdevice' : null),
  'apt-get': (line) => (/corosync-q/.test(line) ? 'qdevice' : null),
  'corosync-quorumtool': (line) => (/\s-e\b/.test(line) ? 'expected-votes' : 'quorum'),
  'corosync-cfgtool': 'heartbeat',
  'ha-manager': (line, sub) => (sub === 'crm-command' && /maintenance/.test(line) ? 'maintenance' : sub === 'help' ? null : 'ha'),
  qm: (line, sub) => (sub === 'migrate' || sub === 'remote-migrate' ? 'live-migration' : sub === 'help' ? null : 'ha'),
  pct: (line, sub) => (sub === 'migrate' ? 'live-migration' : 'ha'),
  chronyc: 'ntp',
  timedatectl: 'ntp',
  date: 'ntp',
  systemctl: (line) => (/chrony|ntp|time/.test(line) ? 'ntp' : /pve-cluster|corosync/.test(line) ? 'pmxcfs' : null),
  cat: (line) => (/\/etc\/pve|corosync\.conf/.test(line) ? 'pmxcfs' : null),
  ls: (line) => (/\/etc\/pve/.test(line) ? 'pmxcfs' : null),
  touch: (line) => (/\/etc\/pve/.test(line) ? 'pmxcfs' : null),
  ping: 'heartbeat',
  vzdump: 'backup',
  qmrestore: 'backup',
  pvesm: (line) => (/backup/.test(line) ? 'backup' : null),
};

/** The notion a command shows, or null (help, navigation, anything off the course). */
export function commandNotion(line: string): string | null {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const rule = TOOLS[words[0] ?? ''];
  if (!rule) return null;
  return typeof rule === 'string' ? rule : rule(line, words[1] ?? '');
}

/** Relevant to a scenario: its notion is one the scenario teaches. */
export function isRelevant(line: string, concepts: readonly string[]): boolean {
  const n = commandNotion(line);
  return n !== null && concepts.includes(n);
}
