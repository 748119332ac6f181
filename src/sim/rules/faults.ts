// Faults: the world around the protocol — power, links, partitions, link quality, clock skew,
// qnetd host and reach, shared storage, a guest's disk (docs/sim.md, "Faults").
import { emit, linkKey, type Ctx } from '../kernel.js';
import type { ClusterState, Fault, LinkState, NodeName, ScheduledFault } from '../types.js';
import { corruptDisk } from './backup.js';
import { updateSkew } from './clock.js';
import { leaveCleanly } from './membership.js';
import { cleanStop } from './ha.js';
import { powerDown, stopAllVms } from './power.js';
import { cleanLeave } from './votequorum.js';

/** The scheduled faults due by now, in order; marks them fired. */
export function dueFaults(s: ClusterState): ScheduledFault[] {
  const tl = s.timeline;
  const due: ScheduledFault[] = [];
  while (tl && tl.next < tl.faults.length && tl.faults[tl.next]!.atMs <= s.now) due.push(tl.faults[tl.next++]!);
  return due;
}

/** Faults of the world around the nodes (network, qnetd, storage): plain state, no event. */
export type WorldFault = Exclude<Fault, { kind: 'power' | 'clock-skew' }>;

/** Applies a fault; false when it names an unknown node (nothing happened, nothing emitted). */
export function applyFault(c: Ctx, f: Fault, by?: string): boolean {
  const s = c.s;
  switch (f.kind) {
    case 'power':
      if (!s.nodes[f.node]) return false;
      powerFault(c, f);
      break;
    case 'clock-skew': {
      const n = s.nodes[f.node];
      if (!n) return false;
      n.skewMs = f.skewMs;
      updateSkew(c, n);
      break;
    }
    case 'link':
    case 'partition':
    case 'isolate':
    case 'heal':
    case 'link-quality':
    case 'qdevice-host':
    case 'qdevice-reach':
    case 'storage':
    case 'disk-corrupt':
    case 'net-port':
    case 'net-saturate':
      if (!applyWorldFault(s, f)) return false;
      break;
    default: {
      const _exhaustive: never = f;
      return _exhaustive;
    }
  }
  emit(c, { type: 'fault-applied', fault: f, ...(by ? { by } : {}) });
  return true;
}

/** A link that loses every heartbeat: cut, 100 % loss, or a delay past the token timeout. */
export function linkDeaf(s: ClusterState, a: NodeName, b: NodeName): boolean {
  const l = s.links[linkKey(a, b)];
  return !!l && (l.cut || l.loss >= 1 || l.latencyMs >= s.config.timing.tokenMs);
}

/**
 * The world part of a fault: links, qnetd host and reach, shared storage. Pure state, no event —
 * reports/derive.ts replays stored faults through this same rule.
 */
export function applyWorldFault(s: ClusterState, f: WorldFault): boolean {
  const known = (n: NodeName) => !!s.nodes[n];
  const setLink = (a: NodeName, b: NodeName, patch: Partial<LinkState>) => {
    const l = s.links[linkKey(a, b)];
    if (l) Object.assign(l, patch);
  };
  switch (f.kind) {
    case 'link':
      if (!known(f.a) || !known(f.b)) return false;
      setLink(f.a, f.b, { cut: f.cut });
      if (!f.oneWay) setLink(f.b, f.a, { cut: f.cut });
      break;
    case 'partition': {
      const groupOf = new Map<NodeName, number>();
      f.groups.forEach((g, i) => g.forEach((n) => groupOf.set(n, i)));
      for (const a of s.config.nodes)
        for (const b of s.config.nodes) {
          if (a.name === b.name) continue;
          const ga = groupOf.get(a.name) ?? -1;
          const gb = groupOf.get(b.name) ?? -1;
          setLink(a.name, b.name, { cut: ga !== gb });
        }
      break;
    }
    case 'isolate':
      if (!known(f.node)) return false;
      for (const o of s.config.nodes)
        if (o.name !== f.node) {
          setLink(f.node, o.name, { cut: true });
          setLink(o.name, f.node, { cut: true });
        }
      if (s.qdevice) s.qdevice.reach[f.node] = false;
      break;
    case 'heal':
      for (const l of Object.values(s.links)) Object.assign(l, { cut: false, loss: 0, latencyMs: 0 });
      if (s.qdevice) for (const n of Object.keys(s.qdevice.reach)) s.qdevice.reach[n] = true;
      for (const net of Object.values(s.nets ?? {})) Object.assign(net, { down: [], saturated: false });
      break;
    case 'link-quality':
      if (!known(f.a) || !known(f.b)) return false;
      for (const [x, y] of [[f.a, f.b], [f.b, f.a]] as const)
        setLink(x, y, { loss: Math.min(1, Math.max(0, f.loss)), latencyMs: Math.max(0, f.latencyMs) });
      break;
    case 'qdevice-host':
      if (s.qdevice) s.qdevice.hostUp = f.up;
      break;
    case 'qdevice-reach':
      if (s.qdevice && known(f.node)) s.qdevice.reach[f.node] = f.reachable;
      break;
    case 'storage':
      s.storageUp = f.up;
      for (const vm of Object.values(s.vms)) {
        const owner = vm.runningOn[0];
        const conf = owner ? s.nodes[owner]!.cfs.vms[String(vm.vmid)] : undefined;
        vm.ioError = !f.up && conf?.storage === 'shared' && vm.runningOn.length > 0;
      }
      break;
    case 'disk-corrupt':
      return corruptDisk(s, f.vmid);
    case 'net-port': {
      const net = s.nets?.[f.network];
      if (!net || !known(f.node)) return false;
      net.down = f.up ? net.down.filter((n) => n !== f.node) : [...new Set([...net.down, f.node])].sort();
      break;
    }
    case 'net-saturate': {
      const net = s.nets?.[f.network];
      if (!net) return false;
      net.saturated = f.on;
      break;
    }
    default: {
      const _exhaustive: never = f;
      return _exhaustive;
    }
  }
  return true;
}

/** Power actions: a clean stop (reboot, shutdown) leaves the ring at once and its services follow
 * the shutdown policy; an abrupt one (off, reset) is only noticed when the token times out. */
function powerFault(c: Ctx, f: Extract<Fault, { kind: 'power' }>): void {
  const s = c.s;
  const n = s.nodes[f.node]!;
  if (f.action === 'on') {
    if (n.power === 'off') {
      n.power = 'booting';
      n.bootUntil = s.now + s.config.timing.bootMs;
      emit(c, { type: 'node-power', node: n.name, power: 'booting', reason: 'power on' });
    }
  } else if (n.power !== 'off') {
    if (f.action === 'reboot' || f.action === 'shutdown') {
      // Clean stop: the LRM handles its services by the shutdown policy (rules/ha.ts), votequorum
      // recounts (allow_downscale), then corosync leaves at once (peers see it within a second).
      cleanStop(c, n.name, f.action);
      cleanLeave(c, n.name);
      leaveCleanly(s, n.name);
      stopAllVms(c, n.name, f.action);
    } else {
      stopAllVms(c, n.name, f.action === 'reset' ? 'reset' : 'power loss');
    }
    powerDown(c, n, f.action === 'off' || f.action === 'shutdown' ? 'off' : 'booting', f.action);
  }
}
