// src/protocol/wording.ts: the one bilingual wording of events and faults, for pages and reports.
// The sample tables are typed by the catalogue (src/sim/events.ts, Fault in src/sim/types.ts):
// a new event type or fault kind does not compile here until it has a sample, and the switch in
// wording.ts does not compile until it has its sentence.
import { describe, expect, it } from 'vitest';
import { describeEvent, describeFault, faultLine, isRepair } from '../../src/protocol/wording';
import { networkWords } from '../../src/protocol/vocabulary';
import type { Fault, SimEvent, SimEventBody } from '../../src/sim/types';

type Samples = { [K in SimEventBody['type']]: Extract<SimEventBody, { type: K }>[] };
const SAMPLES: Samples = {
  'heartbeat-lost': [{ type: 'heartbeat-lost', node: 'pve1', peer: 'pve2' }],
  'knet-link': [
    { type: 'knet-link', node: 'pve1', peer: 'pve2', down: [0], up: [], best: 1, priority: 20 },
    { type: 'knet-link', node: 'pve1', peer: 'pve2', down: [0], up: [], best: null, priority: null },
    { type: 'knet-link', node: 'pve1', peer: 'pve2', down: [], up: [0], best: 0, priority: 1 },
  ],
  'node-dead': [{ type: 'node-dead', node: 'pve3', by: ['pve1', 'pve2'] }, { type: 'node-dead', node: 'pve3', by: ['pve1'] }],
  'membership-changed': [{ type: 'membership-changed', members: ['pve1', 'pve2'], ringId: 7 }],
  'quorum-lost': [
    { type: 'quorum-lost', node: 'pve3', votes: 1, quorum: 2 },
    { type: 'quorum-lost', node: 'pve3', votes: 1, quorum: 2, rule: 'wait_for_all', expected: 3 },
  ],
  'quorum-regained': [
    { type: 'quorum-regained', node: 'pve1', votes: 2, quorum: 2, rule: 'votes' },
    { type: 'quorum-regained', node: 'pve1', votes: 1, quorum: 1, rule: 'two_node' },
    { type: 'quorum-regained', node: 'pve1', votes: 1, quorum: 2, rule: 'auto_tie_breaker' },
    { type: 'quorum-regained', node: 'pve1', votes: 1, quorum: 1, rule: 'expected_override' },
    { type: 'quorum-regained', node: 'pve1', votes: 2, quorum: 2, rule: 'qdevice_vote' },
  ],
  'expected-changed': (['command', 'lms', 'merge', 'downscale'] as const).map((reason) => ({ type: 'expected-changed' as const, node: 'pve1', expected: 1, reason })),
  'qdevice-vote': [
    { type: 'qdevice-vote', partition: ['pve1'], algorithmChoice: ['pve2'] },
    { type: 'qdevice-vote', partition: null, algorithmChoice: null },
  ],
  'vote-opened': [{ type: 'vote-opened', voteId: 1, target: 'pve3', partition: ['pve1', 'pve2'], deadline: 30_000, quorum: 2 }],
  'vote-cast': [{ type: 'vote-cast', voteId: 1, node: 'pve1', yes: true }],
  'vote-closed': [{ type: 'vote-closed', voteId: 1, target: 'pve3', status: 'passed', yes: 2, quorum: 2 }],
  'watchdog-armed': [{ type: 'watchdog-armed', node: 'pve3', resetAt: 61_500 }],
  'watchdog-disarmed': [{ type: 'watchdog-disarmed', node: 'pve3' }],
  'self-fenced': [{ type: 'self-fenced', node: 'pve3', vms: [100, 101] }],
  'node-fence': [{ type: 'node-fence', node: 'pve3', by: ['pve1', 'pve2'] }],
  fenced: [{ type: 'fenced', node: 'pve3', by: ['pve1', 'pve2'] }],
  recovered: [
    { type: 'recovered', sid: 'vm:100', vmid: 100, from: 'pve3', to: 'pve1' },
    { type: 'recovered', sid: 'vm:100', vmid: 100, from: 'pve3', to: 'pve1', why: { rule: 'fewest-services', candidates: [{ node: 'pve1', services: 0 }] } },
    { type: 'recovered', sid: 'vm:100', vmid: 100, from: 'pve3', to: 'pve1', why: { rule: 'group-priority', candidates: [], group: 'prefer1' } },
    { type: 'recovered', sid: 'vm:100', vmid: 100, from: 'pve3', to: 'pve3', why: { rule: 'local-storage', candidates: [] } },
  ],
  'recovery-stuck': [{ type: 'recovery-stuck', sid: 'vm:101', vmid: 101, reason: 'local storage' }],
  'vm-started': [{ type: 'vm-started', vmid: 100, node: 'pve1', reason: 'ha recovery' }],
  'vm-stopped': [{ type: 'vm-stopped', vmid: 100, node: 'pve1', reason: 'qm stop' }],
  migrated: [{ type: 'migrated', vmid: 100, from: 'pve1', to: 'pve2', online: true }],
  'service-state': [{ type: 'service-state', sid: 'vm:100', state: 'migrate', node: 'pve1' }],
  maintenance: [{ type: 'maintenance', node: 'pve2', enabled: true }, { type: 'maintenance', node: 'pve2', enabled: false }],
  'split-brain-started': [{ type: 'split-brain-started', incident: 1, kind: 'two-quorate', cause: 'pvecm expected 1 on pve3 at t=40 s' }],
  'split-brain-ended': [{ type: 'split-brain-ended', incident: 1, kind: 'vm-twice', durationMs: 12_500 }],
  'pmxcfs-write': [{ type: 'pmxcfs-write', node: 'pve1', path: 'ha/resources.cfg', what: 'ha-manager add vm:100', version: 4 }],
  'pmxcfs-refused': [{ type: 'pmxcfs-refused', node: 'pve3', path: 'corosync.conf', what: 'qdevice setup' }],
  'pmxcfs-merge': [{ type: 'pmxcfs-merge', winner: ['pve1', 'pve2'], version: 9, lost: [{ id: 'pve3:1', at: 1000, node: 'pve3', path: 'x', what: 'touch' }] }],
  'clock-skew': [{ type: 'clock-skew', node: 'pve2', skewMs: -90_000 }],
  'clock-synced': [{ type: 'clock-synced', node: 'pve2' }],
  command: [{ type: 'command', node: 'pve1', line: 'pvecm status', ok: true }, { type: 'command', node: 'pve1', line: 'qm start 9', ok: false }],
  'fault-applied': [{ type: 'fault-applied', fault: { kind: 'heal' }, by: 'teacher' }, { type: 'fault-applied', fault: { kind: 'isolate', node: 'pve3' } }],
  'node-power': [{ type: 'node-power', node: 'pve3', power: 'off', reason: 'off' }],
  'qdevice-configured': [{ type: 'qdevice-configured', node: 'pve1', enabled: true }, { type: 'qdevice-configured', node: 'pve1', enabled: false }],
  'cluster-created': [{ type: 'cluster-created', node: 'pve1', name: 'lab' }],
  'node-joined': [{ type: 'node-joined', node: 'pve2', via: 'pve1' }],
  'node-removed': [{ type: 'node-removed', node: 'pve3', by: 'pve1' }],
  'package-installed': [{ type: 'package-installed', node: 'qnetd', pkg: 'corosync-qnetd' }],
  'backup-created': [{ type: 'backup-created', node: 'pve1', vmid: 100, volid: 'backup:vzdump-qemu-100.vma.zst', corrupt: false }, { type: 'backup-created', node: 'pve1', vmid: 100, volid: 'b', corrupt: true }],
  'vm-restored': [{ type: 'vm-restored', node: 'pve1', vmid: 100, volid: 'b', corrupt: false }, { type: 'vm-restored', node: 'pve1', vmid: 100, volid: 'b', corrupt: true }],
  diagnosis: [{ type: 'diagnosis', node: 'pve1', seatId: 's1', cause: 'node-isolated', nodes: ['pve3'], rule: 'majority' }, { type: 'diagnosis', node: 'pve1', seatId: 's1', cause: 'qnetd-down', nodes: [], rule: 'qdevice' }],
  'drill-drawn': [{ type: 'drill-drawn', family: 'network', fault: { kind: 'isolate', node: 'pve2' }, atMs: 30_000 }],
  'seat-taken': [{ type: 'seat-taken', node: 'pve1', seatId: 's1' }],
  'seat-left': (['kicked', 'moved', 'left'] as const).map((reason) => ({ type: 'seat-left' as const, node: 'pve1', seatId: 's1', reason })),
  presence: [{ type: 'presence', node: 'pve1', seatId: 's1', heard: 9, ticks: 10 }],
  'checkpoint-opened': [{ type: 'checkpoint-opened', checkpoint: 'after-cut', nodes: ['pve1'], by: 'timeline' }],
  'checkpoint-closed': (['teacher', 'all-answered', 'time-limit'] as const).map((reason) => ({
    type: 'checkpoint-closed' as const,
    checkpoint: 'after-cut',
    reason,
    results: { pve1: [{ question: 'quorate' as const, right: { kind: 'choice' as const, value: 'yes' }, answer: null, ok: false }] },
  })),
};

type FaultSamples = { [K in Fault['kind']]: Extract<Fault, { kind: K }>[] };
const FAULTS: FaultSamples = {
  power: (['on', 'off', 'reset', 'reboot', 'shutdown'] as const).map((action) => ({ kind: 'power' as const, node: 'pve1', action })),
  link: [{ kind: 'link', a: 'pve1', b: 'pve2', cut: true, oneWay: true }, { kind: 'link', a: 'pve1', b: 'pve2', cut: false }],
  partition: [{ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3']] }],
  isolate: [{ kind: 'isolate', node: 'pve3' }],
  heal: [{ kind: 'heal' }],
  'link-quality': [{ kind: 'link-quality', a: 'pve1', b: 'pve2', loss: 0.3, latencyMs: 200 }],
  'clock-skew': [{ kind: 'clock-skew', node: 'pve2', skewMs: 90_000 }],
  'qdevice-host': [{ kind: 'qdevice-host', up: false }, { kind: 'qdevice-host', up: true }],
  'qdevice-reach': [{ kind: 'qdevice-reach', node: 'pve1', reachable: false }, { kind: 'qdevice-reach', node: 'pve1', reachable: true }],
  storage: [{ kind: 'storage', up: false }, { kind: 'storage', up: true }],
  'disk-corrupt': [{ kind: 'disk-corrupt', vmid: 100 }],
  'net-port': [{ kind: 'net-port', network: 'vlan20', node: 'pve2', up: false }, { kind: 'net-port', network: 'vlan20', node: 'pve2', up: true }],
  'net-saturate': [{ kind: 'net-saturate', network: 'vlan20', on: true }, { kind: 'net-saturate', network: 'vlan20', on: false }],
};

const events: SimEvent[] = Object.values(SAMPLES)
  .flat()
  .map((b, i) => ({ ...b, seq: i + 1, at: 1_500 }) as SimEvent);
const READERS = [null, 'pve1', 'pve3', 'qdevice'];
const bad = (s: string) => /undefined|NaN|\[object|^\s*$/.test(s);

describe('one wording for events and faults', () => {
  it('every event type of the catalogue has a French and an English sentence, for every reader', () => {
    expect(Object.keys(SAMPLES).length).toBeGreaterThanOrEqual(38);
    for (const e of events)
      for (const self of READERS) {
        const l = describeEvent(e, self);
        expect(bad(l.fr) || bad(l.en), `${e.type} for ${self}: ${l.fr} / ${l.en}`).toBe(false);
      }
  });

  it('French and English differ (a sentence was written twice, not copied), except a command line', () => {
    const same = events.filter((e) => e.type !== 'command').filter((e) => describeEvent(e).fr === describeEvent(e).en);
    expect(same.map((e) => e.type)).toEqual([]);
  });

  it('every fault kind has its phrase; repairs are told apart from faults', () => {
    for (const f of Object.values(FAULTS).flat()) {
      const d = describeFault(f);
      expect(bad(d.fr) || bad(d.en) || d.fr === d.en, JSON.stringify(f)).toBe(false);
      const l = faultLine(f, 'timeline');
      expect(l.icon).toBe(isRepair(f) ? 'plug' : 'bolt');
      expect(l.fr).toContain(isRepair(f) ? 'Réparation (scénario)' : 'Panne (scénario)');
    }
    expect(isRepair({ kind: 'power', node: 'pve1', action: 'on' })).toBe(true);
    expect(isRepair({ kind: 'power', node: 'pve1', action: 'reset' })).toBe(false);
    // A network port back up or a saturation ended puts things back: told as a repair.
    expect(isRepair({ kind: 'net-port', network: 'vlan20', node: 'pve2', up: true })).toBe(true);
    expect(isRepair({ kind: 'net-port', network: 'vlan20', node: 'pve2', up: false })).toBe(false);
    expect(isRepair({ kind: 'net-saturate', network: 'vlan30', on: false })).toBe(true);
    expect(isRepair({ kind: 'net-saturate', network: 'vlan30', on: true })).toBe(false);
  });

  it('says why: the quorum rule, the recovery choice, and "you" for the reader’s own node', () => {
    const [plain, wfa] = SAMPLES['quorum-lost'].map((b) => ({ ...b, seq: 1, at: 0 }) as SimEvent);
    expect(describeEvent(wfa!).en).toContain('wait_for_all');
    expect(describeEvent(plain!).en).toBe('pve3 lost quorum (1 vote, 2 needed).');
    expect(describeEvent(plain!, 'pve3').fr).toBe('Quorum perdu : 1 vote présent, il en faut 2. /etc/pve passe en lecture seule.');
    const grp = { ...SAMPLES.recovered[2]!, seq: 1, at: 0 } as SimEvent;
    expect(describeEvent(grp).en).toBe('vm:100 recovered on pve1 (was on pve3; highest priority in HA group prefer1).');
    const armed = events.find((e) => e.type === 'watchdog-armed')!;
    expect(describeEvent(armed).fr).toBe('Watchdog armé sur pve3 : auto-fencing dans 60 s si le quorum ne revient pas.');
    const split = events.find((e) => e.type === 'split-brain-started')!;
    expect(describeEvent(split).fr).toBe('Split-brain (deux partitions quorate) : pvecm expected 1 sur pve3 à t=40 s.');
    expect(describeEvent(split, 'pve3').en).toMatch(/^Your command opened a SPLIT-BRAIN/);
  });

  it('an unknown event type (a newer server, an old log) prints its type rather than throwing', () => {
    const odd = { type: 'from-the-future', seq: 1, at: 0 } as unknown as SimEvent;
    expect(describeEvent(odd)).toMatchObject({ fr: 'from-the-future', en: 'from-the-future' });
  });

  it('names a network with its VLAN (or its own NIC) and what it carries, in both languages', () => {
    expect(networkWords({ id: 'vlan20', vlan: 20, roles: ['corosync'] })).toEqual({ fr: 'vlan20 (VLAN 20 · corosync)', en: 'vlan20 (VLAN 20 · corosync)' });
    expect(networkWords({ id: 'nic-sto', vlan: null, roles: ['storage', 'migration'] })).toEqual({ fr: 'nic-sto (carte dédiée · stockage, migration)', en: 'nic-sto (own NIC · storage, migration)' });
    expect(networkWords({ id: 'mgmt', roles: ['management', 'vm'] }).fr).toBe('mgmt (carte dédiée · gestion, VM)');
    expect(networkWords({ id: 'bare', vlan: 5, roles: [] }).en).toBe('bare (VLAN 5)');
  });
});
