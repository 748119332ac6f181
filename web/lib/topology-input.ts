// The topology drawing's input: what a cluster looks like from one point of view (no layout yet;
// topology-model.ts places it, topology-svg.ts draws it). Pure, unit-tested in Node. Two sources:
// a node's own view (what that node knows: its ring, the peers it hears, its copy of /etc/pve)
// and the teacher snapshot (ground truth).
import type { NodeView, TeacherSnapshot } from '../../src/sim/view';

export interface Bi {
  fr: string;
  en: string;
}

/** quorate / inquorate: powered and in a ring; unknown: a peer this node does not hear. */
export type NodeState = 'quorate' | 'inquorate' | 'off' | 'booting' | 'unknown';
/** silent: this node does not hear that peer (it cannot tell a cut link from a dead peer). */
export type LinkState = 'ok' | 'cut' | 'lossy' | 'one-way' | 'silent';

export interface TopoVm {
  vmid: number;
  name: string;
  /** running here; twice: also running elsewhere (split-brain); listed: only its config is here */
  run: 'running' | 'stopped' | 'twice' | 'listed';
  ha: boolean;
}
export interface TopoNode {
  name: string;
  state: NodeState;
  self: boolean;
  vms: TopoVm[];
  /** /etc/pve version on this node, when the point of view knows it */
  cfsVersion: number | null;
}
export interface TopoLink {
  a: string;
  b: string;
  state: LinkState;
  /** one-way: the direction heartbeats still travel */
  from?: string;
  detail?: Bi;
}
export interface TopoGroup {
  members: string[];
  /** partition: a ring; down: powered off, in no ring; unheard: peers this node does not hear */
  kind: 'partition' | 'down' | 'unheard';
  quorate: boolean;
  votes: number | null;
  quorum: number | null;
}
export interface TopoInput {
  viewpoint: string | null;
  nodes: TopoNode[];
  groups: TopoGroup[];
  links: TopoLink[];
  /** reach per node: true / false, null when this point of view cannot know */
  qdevice: { up: boolean | null; reach: Record<string, boolean | null>; votesFor: string[] | null } | null;
}

// ------------------------------------------------------------------ inputs

const nodeState = (power: string, quorate: boolean): NodeState =>
  power === 'off' ? 'off' : power === 'booting' ? 'booting' : quorate ? 'quorate' : 'inquorate';

/** Ground truth: every node, every link, the QDevice's vote (the teacher's snapshot). */
export function fromSnapshot(s: Omit<TeacherSnapshot, 'votes'>): TopoInput {
  const vmsOf = (node: string): TopoVm[] =>
    s.vms
      .filter((vm) => vm.runningOn.includes(node) || (vm.owner === node && vm.runningOn.length === 0))
      .sort((x, y) => x.vmid - y.vmid)
      .map((vm) => ({
        vmid: vm.vmid,
        name: vm.name,
        run: vm.runningOn.length > 1 ? 'twice' : vm.runningOn.includes(node) ? 'running' : 'stopped',
        ha: vm.ha !== null,
      }));
  const nodes: TopoNode[] = s.nodes.map((n) => ({ name: n.name, state: nodeState(n.power, n.quorate), self: false, vms: vmsOf(n.name), cfsVersion: n.cfsVersion }));
  const inRing = new Set(s.partitions.flatMap((p) => p.members));
  const groups: TopoGroup[] = s.partitions.map((p) => ({ members: [...p.members], kind: 'partition', quorate: p.quorate, votes: p.votes, quorum: p.quorum }));
  for (const n of s.nodes) if (!inRing.has(n.name)) groups.push({ members: [n.name], kind: 'down', quorate: false, votes: null, quorum: null });
  const dir = new Map(s.links.map((l) => [`${l.a}>${l.b}`, l]));
  const links: TopoLink[] = [];
  const names = s.nodes.map((n) => n.name);
  // Nothing travels to or from a node that is not running: its healthy links are not drawn (a
  // fault on the wire still is: it is still in force).
  const running = new Set(s.nodes.filter((n) => n.power === 'on').map((n) => n.name));
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++) {
      const a = names[i]!;
      const b = names[j]!;
      const ab = dir.get(`${a}>${b}`);
      const ba = dir.get(`${b}>${a}`);
      if (ab?.cut && ba?.cut) links.push({ a, b, state: 'cut' });
      else if (ab?.cut || ba?.cut) links.push({ a, b, state: 'one-way', from: ab?.cut ? b : a });
      else if (ab || ba) {
        const loss = Math.max(ab?.loss ?? 0, ba?.loss ?? 0);
        const lat = Math.max(ab?.latencyMs ?? 0, ba?.latencyMs ?? 0);
        const pct = Math.round(loss * 100);
        links.push({ a, b, state: 'lossy', detail: { fr: [pct ? `perte ${pct} %` : '', lat ? `${lat} ms` : ''].filter(Boolean).join(' · '), en: [pct ? `${pct}% loss` : '', lat ? `${lat} ms` : ''].filter(Boolean).join(' · ') } });
      } else if (running.has(a) && running.has(b)) links.push({ a, b, state: 'ok' });
    }
  const q = s.qdevice;
  return {
    viewpoint: null,
    nodes,
    groups,
    links,
    qdevice: q?.present
      ? { up: q.hostUp, reach: Object.fromEntries(names.map((n) => [n, q.hostUp && !!q.reach[n]])), votesFor: q.votedFor ? q.votedFor.split(',') : null }
      : null,
  };
}

/** One node's point of view: its ring, the peers it hears, its own VMs and its copy of the HA
 * state. What it does not hear it cannot tell apart: a dead peer and a cut link look the same. */
export function fromNodeView(v: NodeView): TopoInput {
  const me = v.node;
  const running = v.power === 'on';
  const ring = running && v.members.length ? v.members : [me];
  const peerNames = v.peers.map((p) => p.name);
  const all = [me, ...peerNames].sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
  const myState = nodeState(v.power, v.quorate);
  const haOn = (node: string): TopoVm[] =>
    v.ha
      .filter((h) => h.node === node)
      .map((h) => ({ vmid: Number(h.sid.split(':')[1]), name: h.sid, run: 'listed' as const, ha: true }));
  const nodes: TopoNode[] = all.map((name) => {
    if (name === me)
      return {
        name,
        state: myState,
        self: true,
        vms: v.vms.map((vm) => ({ vmid: vm.vmid, name: vm.name, run: vm.status === 'running' || vm.status === 'io-error' ? 'running' : 'stopped', ha: vm.ha !== null })),
        cfsVersion: v.cfsVersion,
      };
    const member = running && ring.includes(name);
    return { name, state: member ? myState : 'unknown', self: false, vms: haOn(name), cfsVersion: null };
  });
  const unheard = all.filter((n) => !ring.includes(n));
  const groups: TopoGroup[] = [
    { members: [...ring], kind: running ? 'partition' : 'down', quorate: running && v.quorate, votes: running ? v.votes : null, quorum: running ? v.quorum : null },
  ];
  if (unheard.length) groups.push({ members: unheard, kind: 'unheard', quorate: false, votes: null, quorum: null });
  const links: TopoLink[] = v.peers.map((p) => ({ a: me, b: p.name, state: running && p.heard ? 'ok' : 'silent' }));
  const qd = v.qdevice;
  return {
    viewpoint: me,
    nodes,
    groups,
    links,
    qdevice: qd?.present ? { up: qd.reachable ? true : null, reach: { [me]: qd.reachable }, votesFor: qd.votesHere ? [...ring] : null } : null,
  };
}
