import { describe, expect, it } from 'vitest';
import { CAUSES, DRILL_FAMILIES } from '../../../src/protocol/diagnosis';
import { drawDrill, drillCluster, drillRefused, DRILL_WINDOW, faultTruth, familyFaults } from '../../../src/sim/drills';
import { SCENARIOS, getScenario } from '../../../src/sim/scenarios';
import { Harness } from './harness';
import { buildClusterConfig } from '../../../src/sim/scenarios';

// Incident drills: each family draws a concrete fault per team, seeded by the lab, and every fault
// says which cause it is (the grading's truth).
const full = { nodes: ['pve1', 'pve2', 'pve3'], qdevice: true, sharedStorage: true };

describe('drill drawing', () => {
  for (const family of DRILL_FAMILIES)
    it(`family ${family}: same seed, same fault; the truth is of that family; neighbours differ`, () => {
      const a = drawDrill(family, full, 'lab-1', 1);
      expect(drawDrill(family, full, 'lab-1', 1)).toEqual(a);
      expect(a.truth.family).toBe(family);
      expect(CAUSES[a.truth.cause].family).toBe(family);
      expect(faultTruth(a.fault)).toEqual(a.truth);
      expect(a.atMs).toBeGreaterThanOrEqual(DRILL_WINDOW.from);
      expect(a.atMs).toBeLessThanOrEqual(DRILL_WINDOW.to);
      const n = familyFaults(family, full).length;
      // Teams 1..n get n different faults (the lab's shuffle, dealt in order).
      const dealt = Array.from({ length: n }, (_, i) => JSON.stringify(drawDrill(family, full, 'lab-1', i + 1).fault));
      expect(new Set(dealt).size).toBe(n);
    });

  it('another lab draws another order (over many labs, team 1 does not always get the same fault)', () => {
    const firsts = new Set(Array.from({ length: 20 }, (_, i) => JSON.stringify(drawDrill('network', full, `lab-${i}`, 1).fault)));
    expect(firsts.size).toBeGreaterThan(3);
  });

  it('refuses a QDevice drill without QDevice and a storage drill without shared storage', () => {
    expect(drillRefused('qdevice', { ...full, qdevice: false })).toMatch(/no QDevice/);
    expect(drillRefused('storage', { ...full, sharedStorage: false })).toMatch(/shared storage/);
    expect(drillRefused('network', full)).toBeNull();
  });

  it('every preset can drill network, power, time and human error; each drawn fault applies on the engine', () => {
    for (const s of SCENARIOS) {
      const c = drillCluster(s);
      for (const family of DRILL_FAMILIES) {
        const refused = drillRefused(family, c);
        if (['network', 'power', 'time', 'human'].includes(family)) expect(refused, `${s.id} ${family}`).toBeNull();
        if (refused) continue;
        const d = drawDrill(family, c, 'lab-x', 2);
        const h = new Harness(buildClusterConfig(getScenario(s.id)!, { timing: 'course', voteMode: 'auto', autoNodes: c.nodes }), 'seed');
        const r = h.fault(d.fault);
        expect(r.events.some((e) => e.type === 'fault-applied'), `${s.id} ${family}`).toBe(true);
      }
    }
  });

  it('repairs have no truth; a partition names its smallest side', () => {
    expect(faultTruth({ kind: 'heal' })).toBeNull();
    expect(faultTruth({ kind: 'power', node: 'pve1', action: 'on' })).toBeNull();
    expect(faultTruth({ kind: 'storage', up: true })).toBeNull();
    expect(faultTruth({ kind: 'partition', groups: [['pve1', 'pve2'], ['pve3']] })).toMatchObject({ cause: 'node-isolated', nodes: ['pve3'] });
  });
});
