import { describe, expect, it } from 'vitest';
import { createLab, join, openSocket, simState, teacher, ticks, type Client } from './helpers';

// Diagnosis mode hides the computed verdicts in the frames themselves, not only on the page: a
// student with devtools open reads no quorum, votes or membership (src/sim/view.ts, SeatOptions).
const SCENARIO = 'four-node-split-qdevice';
/** Keys that carry a verdict the terminal is there to find. */
const VERDICT_KEYS = ['quorate', 'votes', 'members', 'expected', 'quorum', 'cfsWritable', 'heard', 'watchdogInMs', 'skewDanger', 'met'];
/** Every key used anywhere in the frames a client received. */
function keysOf(x: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(x)) for (const v of x) keysOf(v, out);
  else if (x && typeof x === 'object')
    for (const [k, v] of Object.entries(x)) {
      out.add(k);
      keysOf(v, out);
    }
  return out;
}

/** A 2|2 split with the QDevice seat held, fifteen seconds on (past the dead-after time): node pve1's and the QDevice's frames. */
async function splitLab(diagnosis: boolean): Promise<{ node: Client; qd: Client }> {
  const lab = await createLab({ scenario: SCENARIO, timeline: false, teamSize: 5, ...(diagnosis ? { diagnosis: true } : {}) });
  const seats = [];
  for (let i = 1; i <= 5; i++) seats.push(await join(lab, `Élève ${i}`, 1));
  // Every seat held and alive (a held seat with no socket is a silent node).
  const clients = new Map<string, Client>();
  for (const s of seats) clients.set(s.seat.node, await openSocket(`/ws/labs/${lab.code}/student?token=${s.token}`));
  for (const c of clients.values()) await c.waitFor((m) => m.type === 'welcome', 'welcome');
  const node = clients.get('pve1')!;
  const qd = clients.get('qdevice')!;
  const nodes = [...clients.entries()].filter(([n]) => n !== 'qdevice').map(([, c]) => c);
  expect((await teacher(lab, 'start')).status).toBe(200);
  expect((await teacher(lab, 'faults', { fault: { kind: 'partition', groups: [['pve1', 'pve2'], ['pve3', 'pve4']] } })).status).toBe(200);
  const from = (await simState(lab)).sim!.now;
  while ((await simState(lab)).sim!.now < from + 15_000) await ticks(lab, 1, nodes);
  // The split reached the engine and was told to someone: the frames below are not empty by luck.
  expect((await simState(lab)).sim!.partitions.length).toBe(2);
  for (const [n, c] of clients) if (n !== 'pve1' && n !== 'qdevice') c.close();
  return { node, qd };
}

describe('diagnosis mode: no verdict in the frames', () => {
  it('a diagnosis lab sends a node seat no quorate, votes, members or other verdict; the QDevice seat no quorate', async () => {
    const { node, qd } = await splitLab(true);
    const views = node.of('view');
    expect(views.length).toBeGreaterThan(0);
    expect(views.at(-1).view).toMatchObject({ diagnosis: true, node: 'pve1', power: 'on' });
    expect(views.at(-1).view.peers.map((p: { name: string }) => p.name).sort()).toEqual(['pve2', 'pve3', 'pve4']);
    const keys = keysOf(node.messages);
    for (const k of VERDICT_KEYS) expect(keys.has(k), `node frames carry "${k}"`).toBe(false);
    // No engine event reaches the journal (quorum lost, membership changed…): they are verdicts.
    expect(node.of('event')).toEqual([]);
    expect(node.of('objectives')).toEqual([]);
    expect(node.last('welcome').backlog.journal).toEqual([]);
    // The QDevice seat still sees the partitions and where its vote goes, not which one is quorate.
    const qv = qd.of('view').at(-1).view;
    expect(qv.partitions.length).toBe(2);
    expect(keysOf(qd.messages).has('quorate')).toBe(false);
    node.close();
    qd.close();
  });

  it('a normal lab still sends the verdicts', async () => {
    const { node, qd } = await splitLab(false);
    const keys = keysOf(node.messages);
    for (const k of ['quorate', 'votes', 'members', 'expected', 'quorum', 'cfsWritable', 'heard']) expect(keys.has(k), `node frames carry "${k}"`).toBe(true);
    expect(node.of('event').length).toBeGreaterThan(0);
    expect(node.of('objectives').length).toBeGreaterThan(0);
    expect(keysOf(qd.messages).has('quorate')).toBe(true);
    node.close();
    qd.close();
  });
});
