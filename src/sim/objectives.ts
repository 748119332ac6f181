// Scenario objectives checked against the event log and the final state. Pure.
import { SKEW_DANGER_MS } from './rules/clock.js';
import { linkPriority, linksOf, networkOfAddr } from './rules/networks.js';
import type { ClusterState, Objective, ObjectiveCheck, Scenario, SimEvent } from './types.js';

export interface ObjectiveResult {
  id: string;
  met: boolean;
  /** points earned: the objective's points when met, 0 otherwise */
  points: number;
  /** the objective's full value */
  maxPoints: number;
  /**
   * The event that decided the outcome, when one did: the matching event of `event`, the offending
   * event of `no-event` / `no-split-brain`, the migration of `migrated-before-event`. Absent when the
   * outcome rests on the final state or on the absence of an event.
   */
  evidenceSeq?: number;
}

export function checkObjectives(scenario: Scenario, events: SimEvent[], final: ClusterState): ObjectiveResult[] {
  return scenario.objectives.map((o) => checkObjective(o, events, final));
}

export function checkObjective(o: Objective, events: SimEvent[], final: ClusterState): ObjectiveResult {
  const r = evaluate(o.check, events, final);
  const out: ObjectiveResult = { id: o.id, met: r.met, points: r.met ? o.points : 0, maxPoints: o.points };
  if (r.seq !== undefined) out.evidenceSeq = r.seq;
  return out;
}

function evaluate(check: ObjectiveCheck, events: SimEvent[], s: ClusterState): { met: boolean; seq?: number } {
  switch (check.kind) {
    case 'no-split-brain': {
      const bad = events.find((e) => e.type === 'split-brain-started');
      return bad ? { met: false, seq: bad.seq } : { met: true };
    }
    case 'event': {
      const hit = events.find((e) => e.type === check.type && matches(e, check.match));
      return hit ? { met: true, seq: hit.seq } : { met: false };
    }
    case 'no-event': {
      const bad = events.find((e) => e.type === check.type && matches(e, check.match));
      return bad ? { met: false, seq: bad.seq } : { met: true };
    }
    case 'vm-running-at-end': {
      // Running twice is as bad as not running (the scoring sketch counts it as down).
      const vm = s.vms[String(check.vmid)];
      return { met: !!vm && vm.runningOn.length === 1 && !vm.ioError };
    }
    case 'vm-data-intact-at-end': {
      const vm = s.vms[String(check.vmid)];
      return { met: !!vm && vm.runningOn.length === 1 && !vm.ioError && !vm.corrupt };
    }
    case 'qdevice-configured-at-end': {
      const live = Object.values(s.nodes).filter((n) => n.power === 'on');
      const here = (ip: string | undefined) => check.ip === undefined || ip === check.ip;
      return { met: !!s.qdevice?.present && live.length > 0 && live.every((n) => n.cfs.qdevice?.configured === true && here(n.cfs.qdevice.ip)) };
    }
    case 'cluster-complete-at-end': {
      // Read from each node's ring (reports rebuild those from the log, not the partitions).
      const all = s.config.nodes.map((n) => n.name);
      const ring = (m: string) => [...s.nodes[m]!.members].sort().join(',');
      const whole = [...all].sort().join(',');
      return { met: all.every((m) => s.nodes[m]!.power === 'on' && s.nodes[m]!.quorate && ring(m) === whole) };
    }
    case 'events-in-order': {
      let after = -Infinity;
      let seq: number | undefined;
      for (const st of check.steps) {
        const hit = events.find((e) => e.seq > after && e.type === st.type && matches(e, st.match));
        if (!hit) return { met: false };
        after = seq = hit.seq;
      }
      return seq === undefined ? { met: true } : { met: true, seq };
    }
    case 'node-quorate-at-end': {
      const n = s.nodes[check.node];
      return { met: !!n && n.power === 'on' && n.quorate };
    }
    case 'all-quorate-at-end':
      return { met: Object.values(s.nodes).every((n) => n.power === 'on' && n.quorate) };
    case 'skew-fixed-at-end':
      return { met: Object.values(s.nodes).every((n) => Math.abs(n.skewMs) <= SKEW_DANGER_MS) };
    case 'migrated-before-event': {
      const limit = events.find((e) => e.type === check.before)?.seq ?? Infinity;
      const mig = events.find((e) => e.type === 'migrated' && e.vmid === check.vmid && e.from === check.from && e.seq < limit);
      return mig ? { met: true, seq: mig.seq } : { met: false };
    }
    case 'corosync-link-at-end':
      return { met: corosyncLinkOn(s, check.network, check.preferred ?? false) };
    default: {
      const _exhaustive: never = check;
      return _exhaustive;
    }
  }
}

/** Every powered node's corosync.conf has a link with every node's address on `network` (and
 * above every other link's priority when `preferred`). */
function corosyncLinkOn(s: ClusterState, network: string, preferred: boolean): boolean {
  const live = Object.values(s.nodes).filter((n) => n.power === 'on');
  const names = s.config.nodes.map((x) => x.name);
  return (
    live.length > 0 &&
    live.every((n) => {
      const links = linksOf(s, n);
      const on = links.find((l) => names.every((m) => l.addrs[m] !== undefined && networkOfAddr(s, m, l.addrs[m]!)?.id === network));
      return !!on && (!preferred || links.every((l) => l === on || linkPriority(l) < linkPriority(on)));
    })
  );
}

/** Every key of `match` equals the event's field. Strings compare with whitespace collapsed (a
 * student's `pvecm  status` is still `pvecm status`); arrays and objects compare structurally. */
export function matches(e: SimEvent, match: Record<string, unknown> | undefined): boolean {
  if (!match) return true;
  const rec = e as unknown as Record<string, unknown>;
  return Object.entries(match).every(([k, want]) => sameValue(rec[k], want));
}

const norm = (x: string) => x.trim().replace(/\s+/g, ' ');

function sameValue(got: unknown, want: unknown): boolean {
  if (typeof want === 'string') return typeof got === 'string' && norm(got) === norm(want);
  if (want === null || typeof want !== 'object') return got === want;
  if (got === null || typeof got !== 'object') return false;
  if (Array.isArray(want)) return Array.isArray(got) && got.length === want.length && want.every((w, i) => sameValue(got[i], w));
  if (Array.isArray(got)) return false;
  const g = got as Record<string, unknown>;
  const w = want as Record<string, unknown>;
  const keys = new Set([...Object.keys(g), ...Object.keys(w)]);
  return [...keys].every((k) => sameValue(g[k], w[k]));
}
