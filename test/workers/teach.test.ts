import { evictDurableObject, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { getScenario } from '../../src/sim/scenarios';
import { clusterStub, createLab, join, openSocket, simState, teacher, ticks, type Client } from './helpers';

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

describe('checkpoints', () => {
  it('opened by the teacher: per-node questions without answers, answers stored, refusals change nothing, close gives per-seat results and log events', async () => {
    const { lab, ws } = await seated(3);
    expect((await teacher(lab, 'checkpoint', { action: 'open' })).status).toBe(409); // lobby
    expect((await teacher(lab, 'start')).status).toBe(200);
    const node = async (c: Client) => (await c.waitFor((m) => m.type === 'welcome')).seat.node as string;
    const byNode: Record<string, Client> = {};
    for (const c of ws) byNode[await node(c)] = c;
    await ticks(lab, 3, ws);
    expect((await teacher(lab, 'faults', { fault: { kind: 'isolate', node: 'pve1' } })).status).toBe(200);
    await ticks(lab, 12, ws);

    expect((await teacher(lab, 'checkpoint', { action: 'open', id: 'nope' })).status).toBe(400);
    const opened = await teacher(lab, 'checkpoint', { action: 'open', id: 'after' });
    expect(opened.status).toBe(200);
    expect((await teacher(lab, 'checkpoint', { action: 'open' })).status).toBe(409); // one at a time
    const frames: Record<string, any> = {};
    for (const [n, c] of Object.entries(byNode)) {
      frames[n] = (await c.waitFor((m) => m.type === 'checkpoint', `checkpoint for ${n}`)).checkpoint;
      expect(JSON.stringify(frames[n])).not.toMatch(/"right"|"why"/); // no answers before the close
      expect(frames[n].questions.map((q: { id: string }) => q.id)).toContain('quorate');
    }
    expect(frames.pve1.questions.find((q: any) => q.id === 'quorate').text.en).toContain('pve1');

    // A pausing checkpoint: the cluster stands still.
    const before = (await simState(lab)).sim!.now;
    await runDurableObjectAlarm(clusterStub(lab));
    await runDurableObjectAlarm(clusterStub(lab));
    expect((await simState(lab)).sim!.now).toBe(before);

    const answer = (c: Client, question: string, a: unknown, checkpoint = 'after') => c.send({ type: 'answer', checkpoint, question, answer: a });
    answer(byNode.pve1!, 'quorate', { kind: 'choice', value: 'no' });
    answer(byNode.pve1!, 'votes-present', { kind: 'number', value: 1 });
    answer(byNode.pve2!, 'quorate', { kind: 'choice', value: 'yes' });
    answer(byNode.pve2!, 'votes-present', { kind: 'number', value: 2 });
    answer(byNode.pve3!, 'quorate', { kind: 'choice', value: 'no' }); // wrong: pve3 is with pve2
    await byNode.pve3!.waitFor((m) => m.type === 'checkpoint' && m.checkpoint.answers.quorate, 'stored answer');
    await byNode.pve2!.waitFor((m) => m.type === 'checkpoint' && m.checkpoint.answers['votes-present'], 'stored answer');
    // Refused: wrong kind, a value not offered, a closed checkpoint, a node not in the cluster, bad fields.
    answer(byNode.pve3!, 'quorate', { kind: 'number', value: 1 });
    answer(byNode.pve3!, 'quorate', { kind: 'choice', value: 'maybe' });
    answer(byNode.pve3!, 'quorate', { kind: 'choice', value: 'yes' }, 'before');
    answer(byNode.pve3!, 'who-fences', { kind: 'nodes', value: ['pve9'] });
    answer(byNode.pve3!, 'not-a-question', { kind: 'choice', value: 'yes' });
    const errs = async () => {
      for (let i = 0; i < 100 && byNode.pve3!.of('error').length < 5; i++) await new Promise((r) => setTimeout(r, 10));
      return byNode.pve3!.of('error').map((e) => e.code);
    };
    expect(await errs()).toEqual(['bad_answer', 'bad_answer', 'no_checkpoint', 'bad_answer', 'bad_fields']);
    const st = await simState(lab);
    expect(st.meta!.checkpoint!.answers.pve3).toEqual({ quorate: { kind: 'choice', value: 'no' } }); // unchanged by the refusals
    expect(st.meta!.checkpoint!.answers.pve1).toEqual({ quorate: { kind: 'choice', value: 'no' }, 'votes-present': { kind: 'number', value: 1 } });

    expect((await teacher(lab, 'checkpoint', { action: 'close' })).status).toBe(200);
    const res: Record<string, any[]> = {};
    for (const [n, c] of Object.entries(byNode)) res[n] = (await c.waitFor((m) => m.type === 'checkpoint-results', `results for ${n}`)).results;
    const q = (n: string, id: string) => res[n]!.find((r) => r.id === id);
    expect(q('pve1', 'quorate')).toMatchObject({ right: { value: 'no' }, answer: { value: 'no' }, ok: true });
    expect(q('pve1', 'votes-present')).toMatchObject({ right: { value: 1 }, ok: true });
    expect(q('pve2', 'quorate')).toMatchObject({ right: { value: 'yes' }, ok: true });
    expect(q('pve2', 'votes-present')).toMatchObject({ right: { value: 2 }, ok: true });
    expect(q('pve3', 'quorate')).toMatchObject({ right: { value: 'yes' }, answer: { value: 'no' }, ok: false });
    expect(q('pve3', 'ha-fate')).toMatchObject({ answer: null, ok: false });
    expect(q('pve1', 'quorate').why.en).toMatch(/pve1 counts 1 vote/);
    expect((await teacher(lab, 'checkpoint', { action: 'close' })).status).toBe(409);

    // The log keeps both moments, with every seat's results.
    const log = (await simState(lab)).meta!;
    expect(log.checkpoint).toBeNull();
    expect(log.checkpointsDone).toEqual(['after']);
    const events = (await clusterStub(lab).getEvents(0, 10_000)) as any[];
    const o = events.find((e) => e.type === 'checkpoint-opened');
    expect(o).toMatchObject({ checkpoint: 'after', nodes: ['pve1', 'pve2', 'pve3'], by: 'teacher' });
    const c = events.find((e) => e.type === 'checkpoint-closed');
    expect(c.reason).toBe('teacher');
    expect(c.results.pve3.find((r: any) => r.question === 'quorate')).toMatchObject({ question: 'quorate', right: { kind: 'choice', value: 'yes' }, answer: { kind: 'choice', value: 'no' }, ok: false });
    // In words too, with the why-line (the end screen and the reports read them from the log).
    expect(c.results.pve3.find((r: any) => r.question === 'quorate')).toMatchObject({ rightText: { fr: 'Oui' }, answerText: { fr: 'Non' }, text: { fr: expect.any(String) }, why: { fr: expect.any(String) } });
    // The cluster runs again.
    await ticks(lab, 1, ws);
  });

  it('closes by itself once every seat answered, and its counts reach the teacher snapshot', async () => {
    const { lab, ws } = await seated(1);
    expect((await teacher(lab, 'start')).status).toBe(200);
    const tws = await openSocket(`/ws/labs/${lab.code}/teacher?team=1&secret=${encodeURIComponent(lab.secret)}`);
    await tws.waitFor((m) => m.type === 'snapshot');
    expect((await teacher(lab, 'checkpoint', { action: 'open', id: 'before' })).status).toBe(200);
    const cp = (await ws[0]!.waitFor((m) => m.type === 'checkpoint')).checkpoint;
    await tws.waitFor((m) => m.type === 'snapshot' && m.snapshot.checkpoint?.expected === cp.questions.length && m.snapshot.checkpoint.answered === 0, 'counts 0/n');
    ws[0]!.send({ type: 'answer', checkpoint: 'before', question: 'quorate', answer: { kind: 'choice', value: 'yes' } });
    await tws.waitFor((m) => m.type === 'snapshot' && m.snapshot.checkpoint?.answered === 1, 'counts 1/n');
    for (const q of cp.questions.filter((x: { id: string }) => x.id !== 'quorate')) ws[0]!.send({ type: 'answer', checkpoint: 'before', question: q.id, answer: { kind: 'number', value: 3 } });
    const r = await ws[0]!.waitFor((m) => m.type === 'checkpoint-results', 'results');
    expect(r.results).toHaveLength(cp.questions.length);
    await tws.waitFor((m) => m.type === 'event' && m.event.type === 'checkpoint-closed' && m.event.reason === 'all-answered', 'closed event in the feed');
  });

  it('opens the scenario checkpoint when sim time reaches it (timeline on), and it survives eviction', async () => {
    const lab = await createLab({ scenario: scenario.id, timeline: true });
    const j = await join(lab, 'Alice');
    const c = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    await c.waitFor((m) => m.type === 'welcome');
    expect((await teacher(lab, 'start')).status).toBe(200);
    const first = scenario.checkpoints[0]!;
    for (let i = 0; i < 100 && !c.of('checkpoint').length; i++) await ticks(lab, 1, [c]);
    const st = await simState(lab);
    expect(st.sim!.now).toBeGreaterThanOrEqual(first.atMs);
    expect(st.sim!.now).toBeLessThan(first.atMs + 2 * st.sim!.config.timing.tickMs);
    expect(c.last('checkpoint').checkpoint.id).toBe(first.id);
    const events = (await clusterStub(lab).getEvents(0, 10_000)) as any[];
    expect(events.find((e) => e.type === 'checkpoint-opened')).toMatchObject({ checkpoint: first.id, nodes: [j.seat.node], by: 'timeline' });
    // Evicted and woken: the checkpoint is still open, and a reconnecting seat gets its questions again.
    await evictDurableObject(clusterStub(lab));
    const again = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    const cp = (await again.waitFor((m) => m.type === 'checkpoint', 'checkpoint after eviction')).checkpoint;
    expect(cp.id).toBe(first.id);
  });
});
