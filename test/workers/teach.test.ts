import { describe, expect, it } from 'vitest';
import { getScenario } from '../../src/sim/scenarios';
import { createLab, join, openSocket, teacher, ticks, type Client } from './helpers';

// The teaching loop over real sockets: the brief's checklist (objectives frames).
const scenario = getScenario('three-node-power-loss')!;

async function seated(n: number) {
  const lab = await createLab({ scenario: scenario.id, timeline: false });
  const ws: Client[] = [];
  for (const name of ['Alice', 'Bruno', 'Chloé'].slice(0, n)) {
    const j = await join(lab, name);
    const c = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    await c.waitFor((m) => m.type === 'welcome', 'welcome');
    ws.push(c);
  }
  return { lab, ws };
}

describe('objectives checklist', () => {
  it('sends the objectives met on welcome, and again to every seat when a command meets one', async () => {
    const { lab, ws } = await seated(2);
    const first = await ws[0]!.waitFor((m) => m.type === 'objectives', 'objectives on welcome');
    // Only objectives the log can already show (no split-brain so far) are met; no command yet.
    expect(first.met.map((m: { id: string }) => m.id)).not.toContain('ha-status');
    for (const m of first.met) expect(scenario.objectives.map((o) => o.id)).toContain(m.id);
    expect((await teacher(lab, 'start')).status).toBe(200);
    ws[0]!.send({ type: 'command', line: 'ha-manager status', id: 1 });
    await ws[0]!.waitFor((m) => m.type === 'output' && m.id === 1, 'output');
    await ticks(lab, 2, ws);
    for (const c of ws) {
      const got = await c.waitFor((m) => m.type === 'objectives' && m.met.some((x: { id: string }) => x.id === 'ha-status'), 'ha-status met');
      const line = got.met.find((x: { id: string }) => x.id === 'ha-status');
      expect(line.points).toBe(scenario.objectives.find((o) => o.id === 'ha-status')!.points);
      expect(typeof line.seq).toBe('number'); // the evidence: the command event
    }
    // Sent when it changes, not on every tick.
    const count = ws[1]!.of('objectives').length;
    await ticks(lab, 2, ws);
    expect(ws[1]!.of('objectives').length).toBe(count);
  });
});
