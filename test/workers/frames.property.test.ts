// Property: whatever frames a student socket and a teacher socket send, in whatever lab status,
// the room never answers with an internal error, never drops a socket with 1011, and a frame it
// refuses (error frame) changes nothing: neither the sim state nor the event log, and nothing at
// all changes an ended lab. Teacher HTTP
// actions with random bodies likewise never answer 5xx, and a refused one changes nothing.
import fc from 'fast-check';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, clusterStub, createLab, join, openSocket, teacher, type Client, type Lab } from './helpers';

const nodes = ['pve1', 'pve2', 'pve3', 'pve9', 'qdevice', ''];
const node = fc.constantFrom(...nodes);

const fault = fc.oneof(
  fc.record({ kind: fc.constant('power'), node, action: fc.constantFrom('on', 'off', 'reset', 'reboot', 'shutdown', 'explode') }),
  fc.record({ kind: fc.constant('link'), a: node, b: node, cut: fc.boolean() }),
  fc.record({ kind: fc.constant('partition'), groups: fc.array(fc.array(node, { maxLength: 3 }), { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('isolate'), node }),
  fc.constant({ kind: 'heal' }),
  fc.record({ kind: fc.constant('link-quality'), a: node, b: node, loss: fc.double({ min: -1, max: 2, noNaN: true }), latencyMs: fc.integer({ min: -10, max: 70_000 }) }),
  fc.record({ kind: fc.constant('clock-skew'), node, skewMs: fc.integer() }),
  fc.record({ kind: fc.constantFrom('qdevice-host', 'storage'), up: fc.boolean() }),
  fc.record({ kind: fc.string({ maxLength: 12 }) }),
);

const commands = ['pvecm status', 'ha-manager status', 'qm migrate 101 pve2', 'pvecm expected 1', 'systemctl restart corosync', 'rm -rf /', '', 'help', 'x'.repeat(400)];

/** Frames as text: valid ones, wrong fields, teacher frames from students, junk. */
const studentFrame = fc.oneof(
  fc.constantFrom('{"type":"heartbeat"}', '{"type":"pulse"}', '{"type":"hello"}', '{"type": "ping"}', 'not json', '[]', 'null', '{"type":7}'),
  fc.record({ type: fc.constant('command'), line: fc.constantFrom(...commands), id: fc.integer() }).map((f) => JSON.stringify(f)),
  fc.record({ type: fc.constant('vote'), voteId: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.string({ maxLength: 3 })), yes: fc.oneof(fc.boolean(), fc.constant('maybe')) }).map((f) => JSON.stringify(f)),
  fc.record({ type: fc.constant('qdevice-choice'), node: fc.oneof(node, fc.constant(null)) }).map((f) => JSON.stringify(f)),
  fc.record({ type: fc.constantFrom('fault', 'start', 'end', 'kick', 'settings', 'snapshot'), fault }).map((f) => JSON.stringify(f)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'undefined'),
);
const teacherFrame = fc.oneof(
  fc.constantFrom('{"type":"snapshot"}', 'not json', '{}', '{"type":"heartbeat"}'),
  fault.map((f) => JSON.stringify({ type: 'fault', fault: f })),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'undefined'),
);
const httpAction = fc.record({
  path: fc.constantFrom('start', 'pause', 'resume', 'end', 'lock', 'unlock', 'heal', 'faults', 'kick', 'allow', 'move', 'settings'),
  body: fc.oneof(
    fc.constant({}),
    fault.map((f) => ({ fault: f })),
    fc.record({ seatId: fc.constantFrom('x', ''), team: fc.integer({ min: -1, max: 30 }) }),
    fc.record({ voteMode: fc.constantFrom('auto', 'human', 'chaos'), timeScale: fc.double({ min: -1, max: 20, noNaN: true }) }),
    fc.jsonValue({ maxDepth: 2 }),
  ),
});

const step = fc.oneof(
  fc.record({ to: fc.constant('student' as const), frame: studentFrame }),
  fc.record({ to: fc.constant('teacher' as const), frame: teacherFrame }),
  fc.record({ to: fc.constant('http' as const), action: httpAction }),
);

/** Stops the room's clock (no alarm, no deadlines), so only the frames can change its state. */
async function freeze(lab: Lab): Promise<void> {
  await runInDurableObject(clusterStub(lab), async (room, state) => {
    (room as unknown as { deadlines: Record<string, number> }).deadlines = {};
    await state.storage.deleteAlarm();
  });
}

async function roomState(lab: Lab): Promise<string> {
  const st = JSON.parse(await clusterStub(lab).debugState());
  const events = await clusterStub(lab).getEvents(0);
  const roster = (await call(`/api/labs/${lab.code}/teacher/roster`, { bearer: lab.secret })).body;
  const info = (await call(`/api/labs/${lab.code}`)).body;
  return JSON.stringify({ sim: st.sim, status: st.meta.status, settings: st.meta.settings, events: events.length, roster, info });
}

let marker = 0;
/** Sends a frame, then a frame of an unknown type whose error names it: once that error is back,
 * the frame before it was handled. Returns what the socket received in between. */
async function sendAndSettle(c: Client, frame: string): Promise<any[]> {
  const from = c.messages.length;
  const tag = `settle-${++marker}`;
  c.send(frame);
  c.send({ type: tag });
  await c.waitFor((m) => m.type === 'error' && m.code === 'unknown_type' && String(m.message).includes(tag), `marker ${tag}`);
  const idx = c.messages.findIndex((m, i) => i >= from && m.type === 'error' && String(m.message).includes(tag));
  return c.messages.slice(from, idx);
}

describe('random frame sequences on both sockets (property)', () => {
  it('never break the room, and refused frames change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('lobby', 'running', 'ended'), fc.array(step, { minLength: 1, maxLength: 6 }), async (status, steps) => {
        const lab = await createLab({ scenario: 'three-node-isolation', timeline: false });
        const j = await join(lab, 'Prop');
        if (status !== 'lobby') await teacher(lab, 'start');
        if (status === 'ended') await teacher(lab, 'end');
        const student = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
        const tws = await openSocket(`/ws/labs/${lab.code}/teacher?team=1&secret=${encodeURIComponent(lab.secret)}`);
        await student.waitFor((m) => m.type === 'welcome', 'welcome');
        await tws.waitFor((m) => m.type === 'snapshot', 'snapshot');
        try {
          for (const s of steps) {
            await freeze(lab);
            const before = await roomState(lab);
            let refused: boolean;
            if (s.to === 'http') {
              const r = await teacher(lab, s.action.path, s.action.body);
              expect(r.status).toBeLessThan(500);
              refused = r.status >= 400;
            } else {
              const c = s.to === 'student' ? student : tws;
              const got = await sendAndSettle(c, s.frame);
              expect(got.filter((m) => m.type === 'error' && m.code === 'internal')).toEqual([]);
              expect(c.closed).toBeNull();
              refused = got.some((m) => m.type === 'error');
            }
            // Refused, or sent to an ended lab: nothing may have changed.
            if (refused || JSON.parse(before).status === 'ended') expect(await roomState(lab)).toBe(before);
          }
        } finally {
          student.close();
          tws.close();
        }
      }),
      { numRuns: 25 },
    );
  }, 180_000);
});
