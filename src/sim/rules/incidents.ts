// Incidents: the split-brain checkers (two quorate partitions, a VM running twice, /etc/pve
// written on both sides). They only observe; the engine runs them last (docs/sim.md, "Incidents").
import { emit, type Ctx } from '../kernel.js';
import type { Incident, Ms, NodeRuntime } from '../types.js';

export function fmtT(ms: Ms): string {
  return `${Math.round(ms / 1000)} s`;
}

export function openIncident(c: Ctx, kind: Incident['kind'], cause: string, detail: Record<string, unknown>): void {
  const s = c.s;
  const id = s.incidents.reduce((a, i) => Math.max(a, i.id), 0) + 1;
  s.incidents.push({ id, kind, cause, startedAt: s.now, endedAt: null, detail });
  emit(c, { type: 'split-brain-started', incident: id, kind, cause });
}

export function closeIncident(c: Ctx, inc: Incident): void {
  inc.endedAt = c.s.now;
  emit(c, { type: 'split-brain-ended', incident: inc.id, kind: inc.kind, durationMs: c.s.now - inc.startedAt });
}

export function updateIncidents(c: Ctx): void {
  const s = c.s;
  const quorate = s.partitions.filter((p) => s.nodes[p[0]!]!.quorate);
  const openTwo = s.incidents.find((i) => i.kind === 'two-quorate' && i.endedAt === null);
  if (quorate.length >= 2 && !openTwo) {
    const override = quorate.map((p) => s.nodes[p[0]!]!.expectedOverride).find((x) => !!x);
    const cause = override
      ? override
      : s.config.options.two_node
        ? `two_node: both halves keep quorum after the split at t=${fmtT(s.now)}`
        : s.config.options.last_man_standing
          ? `last_man_standing lowered expected votes, then the halves met others at t=${fmtT(s.now)}`
          : s.qdevice && s.config.voteMode === 'human' && !s.qdevice.auto
            ? `QDevice vote given by hand at t=${fmtT(s.now)}`
            : `two partitions quorate at t=${fmtT(s.now)}`;
    openIncident(c, 'two-quorate', cause, { partitions: quorate.map((p) => [...p]) });
  } else if (quorate.length < 2 && openTwo) closeIncident(c, openTwo);

  for (const vm of Object.values(s.vms)) {
    const open = s.incidents.find((i) => i.kind === 'vm-twice' && i.endedAt === null && i.detail.vmid === vm.vmid);
    if (vm.runningOn.length >= 2 && !vm.migrating && !open) {
      openIncident(c, 'vm-twice', `VM ${vm.vmid} running on ${vm.runningOn.join(' and ')} at t=${fmtT(s.now)}`, {
        vmid: vm.vmid,
        nodes: [...vm.runningOn],
      });
    } else if (vm.runningOn.length < 2 && open) closeIncident(c, open);
  }

  const openCfs = s.incidents.find((i) => i.kind === 'cfs-diverged' && i.endedAt === null);
  if (openCfs) {
    const live = Object.values(s.nodes).filter((n) => n.power !== 'off' && n.cfs.nodelist !== null);
    const head = (n: NodeRuntime) => `${n.cfs.version}:${n.cfs.log.at(-1)?.id ?? ''}`;
    if (live.every((n) => head(n) === head(live[0]!))) closeIncident(c, openCfs);
  }
}

