// The cluster engine: state + input → state + events. Pure and deterministic: time comes in with
// each input, randomness from the seeded RNG inside the state. `step` mutates the state it is
// given (a Durable Object keeps one state in memory); `reduce` is the copying variant.
// This file only says which rule runs, and in which order; the rules live in rules/.
import { clone, emit, linkKey, sortByNodeid, type Ctx } from './kernel.js';
import { seedFrom } from './rng.js';
import { saveFile } from './shell/editor.js';
import { runCommand } from './shell/index.js';
import { QNETD_HOST } from './shell/qnetd.js';
import { updateIncidents } from './rules/incidents.js';
import { applyFault, dueFaults } from './rules/faults.js';
import { castVote, updateVotes } from './rules/fence-votes.js';
import { crmReady, finishMigrations, runHaManager, updateWatchdogs } from './rules/ha.js';
import { noticeMissingHeartbeats, sendHeartbeat, updateMembership } from './rules/membership.js';
import { standaloneCfs } from './rules/cluster-build.js';
import { updateKnet } from './rules/networks.js';
import { initialCfs } from './rules/pmxcfs.js';
import { bootDone } from './rules/power.js';
import { updateQdeviceVote } from './rules/qdevice.js';
import { configuredVotes, updateQuorum } from './rules/votequorum.js';
import type { ClusterConfig, ClusterState, SimInput, StepResult } from './types.js';

export function createCluster(config: ClusterConfig, seed: string | number): ClusterState {
  const names = config.nodes.map((n) => n.name);
  const s: ClusterState = {
    v: 1,
    config: clone(config),
    now: 0,
    rng: seedFrom(seed),
    seq: 0,
    ringSeq: 1,
    nodes: {},
    links: {},
    partitions: [],
    qdevice: config.qdevice
      ? {
          present: config.qdevice.configured,
          hostUp: true,
          reach: Object.fromEntries(names.map((n) => [n, true])),
          votedFor: null,
          humanChoice: null,
          algorithmChoice: null,
          auto: true,
          ...(config.standalone ? { qnetdInstalled: false } : {}),
        }
      : null,
    storageUp: true,
    vms: {},
    incidents: [],
    votes: [],
    writeCounter: 0,
  };
  const cfs = initialCfs(config);
  const expected = configuredVotes(s);
  // The cluster was running before the lab began: one ring of every node, unless it starts cold
  // or its nodes are still standalone (the build-the-cluster lab).
  const cold = !!config.coldStart || !!config.standalone;
  const ring = cold ? [] : sortByNodeid(s, names);
  for (const n of config.nodes) {
    s.nodes[n.name] = {
      name: n.name,
      power: config.coldStart ? 'off' : 'on',
      skewMs: 0,
      skewWarned: false,
      heard: Object.fromEntries(names.filter((p) => p !== n.name).map((p) => [p, 0])),
      lastSent: null,
      expected,
      wfaDone: !config.coldStart,
      quorate: false,
      quorateSince: null,
      lostQuorumAt: null,
      watchdogAt: null,
      cfs: config.standalone ? standaloneCfs(cfs, n.name) : clone(cfs),
      ...(config.standalone ? { qdevicePkg: false } : {}),
      ...(n.hostsIp ? { hostsIp: n.hostsIp } : {}),
      members: [...ring],
      ringId: 1,
      expectedOverride: null,
      chronyRunning: true,
      lmsSince: null,
    };
  }
  for (const a of names)
    for (const b of names) if (a !== b) s.links[linkKey(a, b)] = { cut: false, loss: 0, latencyMs: 0 };
  if (config.networks) s.nets = Object.fromEntries(config.networks.map((n) => [n.id, { down: [], saturated: false }]));
  for (const vm of config.vms)
    s.vms[String(vm.vmid)] = { vmid: vm.vmid, runningOn: vm.running ? [vm.node] : [], ioError: false };
  // Settle quorum silently.
  const c: Ctx = { s, events: [] };
  recompute(c);
  s.seq = 0;
  // …and has held quorum long enough for its HA manager to be established (see crmReady).
  for (const n of Object.values(s.nodes)) if (n.quorate) n.quorateSince = -config.timing.fenceLockMs;
  return s;
}

// ---------------------------------------------------------------- step

export function step(s: ClusterState, input: SimInput): StepResult {
  const c: Ctx = { s, events: [] };
  if (input.at > s.now) s.now = input.at;
  switch (input.type) {
    case 'tick':
      tick(c);
      // The scenario's timeline: each due fault is applied and settled in turn.
      for (const f of dueFaults(s)) if (applyFault(c, f.fault, 'timeline')) recompute(c);
      return { events: c.events };
    case 'heartbeat': {
      const n = s.nodes[input.node];
      if (!n) return { events: [], error: { code: 'unknown_node', message: `unknown node ${input.node}` } };
      sendHeartbeat(s, input.node);
      return { events: [] };
    }
    case 'fault':
      if (applyFault(c, input.fault, input.by)) recompute(c);
      return { events: c.events };
    case 'command': {
      // QNETD_HOST: the QDevice host's terminal (docs/commands.md), when the scenario has one.
      if (!s.nodes[input.node] && !(input.node === QNETD_HOST && s.config.qdevice))
        return { events: [], error: { code: 'unknown_node', message: `unknown node ${input.node}` } };
      const result = runCommand(c, input.node, input.line);
      emit(c, { type: 'command', node: input.node, line: input.line.slice(0, 200), ok: result.exitCode === 0 });
      // A command may change membership-relevant state (expected votes, HA requests): settle now.
      recompute(c);
      return { events: c.events, command: result };
    }
    case 'edit': {
      if (!s.nodes[input.node]) return { events: [], error: { code: 'unknown_node', message: `unknown node ${input.node}` } };
      const result = saveFile(c, input.node, input.path, input.text);
      emit(c, { type: 'command', node: input.node, line: `nano ${input.path}`.slice(0, 200), ok: result.exitCode === 0 });
      recompute(c);
      return { events: c.events, command: result };
    }
    case 'vote': {
      const error = castVote(c, input.node, input.voteId, input.yes);
      if (error) return { events: [], error };
      recompute(c);
      return { events: c.events };
    }
    case 'qdevice-choice': {
      if (!s.qdevice) return { events: [], error: { code: 'no_qdevice', message: 'this cluster has no QDevice' } };
      if (input.node !== null && !s.nodes[input.node])
        return { events: [], error: { code: 'unknown_node', message: `unknown node ${input.node}` } };
      s.qdevice.humanChoice = input.node;
      recompute(c);
      return { events: c.events };
    }
    case 'set-auto': {
      if (input.node === 'qdevice') {
        if (s.qdevice) s.qdevice.auto = input.auto;
        return { events: [] };
      }
      if (!s.nodes[input.node])
        return { events: [], error: { code: 'unknown_node', message: `unknown node ${input.node}` } };
      const set = new Set(s.config.autoNodes);
      if (input.auto) set.add(input.node);
      else set.delete(input.node);
      s.config.autoNodes = s.config.nodes.map((n) => n.name).filter((n) => set.has(n));
      return { events: [] };
    }
    case 'vote-mode':
      s.config.voteMode = input.mode;
      return { events: [] };
    case 'schedule':
      s.timeline = { faults: input.faults.map((f) => ({ ...f })), next: input.next ?? 0 };
      return { events: [] };
    default: {
      const _exhaustive: never = input;
      return _exhaustive;
    }
  }
}

/** Copying variant of `step` for callers that want the old state kept. */
export function reduce(s: ClusterState, input: SimInput): { state: ClusterState } & StepResult {
  const state = clone(s);
  return { state, ...step(state, input) };
}


function tick(c: Ctx): void {
  const s = c.s;
  for (const n of Object.values(s.nodes)) {
    if (n.power === 'booting' && n.bootUntil !== undefined && n.bootUntil <= s.now) bootDone(c, n);
  }
  for (const name of s.config.autoNodes) {
    const n = s.nodes[name];
    if (n && n.power === 'on' && (n.lastSent === null || s.now - n.lastSent >= s.config.timing.heartbeatMs))
      sendHeartbeat(s, name);
  }
  noticeMissingHeartbeats(c);
  recompute(c);
}


/** Everything that follows from the current heard matrix and time: membership, quorum, HA, votes. */
export function recompute(c: Ctx): void {
  const s = c.s;
  updateKnet(c);
  updateMembership(c);
  updateQdeviceVote(c);
  updateQuorum(c);
  updateWatchdogs(c);
  for (const p of s.partitions) if (p.every((m) => s.nodes[m]!.quorate) && crmReady(s, p)) runHaManager(c, p);
  finishMigrations(c);
  updateVotes(c);
  updateIncidents(c);
  // A node reset during this pass (watchdog, fencing vote) leaves its partition within the same
  // input: the state after a step never lists a powered-down node as a member. Terminates: each
  // extra pass follows at least one more node going down.
  if (s.partitions.some((p) => p.some((m) => s.nodes[m]!.power !== 'on'))) recompute(c);
}

