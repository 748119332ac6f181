// The page's editor through a real room: `nano` hands the file to the page (output.edit), the
// saved text comes back as an `edit` frame, goes through the engine's door like a command
// (logged as an input for replays) and its result reaches the sender only; bad frames are
// refused with an error and the socket goes on.
import { describe, expect, it } from 'vitest';
import { EDITABLE_PATHS, MAX_EDIT_CHARS } from '../../src/protocol/limits';
import { clusterStub, createLab, join, openSocket, teacher } from './helpers';

const PATH = '/etc/pve/corosync.conf';

async function twoSeats() {
  const lab = await createLab({ scenario: 'three-node-isolation', teamSize: 3, timeline: false });
  const [a, b] = await Promise.all(['Ana', 'Bo'].map((n) => join(lab, n, 1)));
  const [wa, wb] = await Promise.all([a!, b!].map((j) => openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`)));
  for (const w of [wa!, wb!]) await w.waitFor((m) => m.type === 'welcome', 'welcome');
  return { lab, wa: wa!, wb: wb!, nodeA: a!.seat.node };
}

describe('the edit frame', () => {
  it('nano hands the file to the page; the saved text reaches the engine and only the sender hears back', async () => {
    const { lab, wa, wb, nodeA } = await twoSeats();
    expect(EDITABLE_PATHS).toContain(PATH);
    await teacher(lab, 'start');
    wa.send({ type: 'command', line: `nano ${PATH}`, id: 1 });
    const opened = await wa.waitFor((m) => m.type === 'output' && m.id === 1, 'nano output');
    expect(opened.exitCode).toBe(0);
    expect(opened.edit.path).toBe(PATH);
    expect(opened.edit.text).toContain('totem {');
    expect(opened.edit.text).toContain('config_version');

    // A broken file (a brace never closed): refused by the stub and by corosync's parser alike.
    const broken = `${opened.edit.text}\ntotem {\n`;
    wa.send({ type: 'edit', path: PATH, text: broken, id: 2 });
    const saved = await wa.waitFor((m) => m.type === 'output' && m.id === 2, 'save output');
    expect(saved.line).toBe(`nano ${PATH}`);
    expect(saved.exitCode).not.toBe(0);
    expect(saved.output.length).toBeGreaterThan(0);
    expect(saved.edit).toBeUndefined();

    // Logged as an engine input at the room's door (replays re-run it).
    const inputs = (await clusterStub(lab).getInputs()).map((r) => r.row as { input?: { type: string; node?: string; path?: string; text?: string } });
    const logged = inputs.find((r) => r.input?.type === 'edit');
    expect(logged?.input).toMatchObject({ node: nodeA, path: PATH, text: broken });
    // The other seat saw neither the file nor the result.
    await new Promise((r) => setTimeout(r, 50));
    expect(wb.of('output')).toEqual([]);
    expect(wb.messages.some((m) => m.type === 'error')).toBe(false);
    wa.close();
    wb.close();
  });

  it('a wrong path or an oversize text is refused with a clear error; the socket goes on', async () => {
    const { lab, wa, wb } = await twoSeats();
    await teacher(lab, 'start');
    wa.send({ type: 'edit', path: '/etc/passwd', text: 'root::0:0::/root:/bin/sh' });
    const wrong = await wa.waitFor((m) => m.type === 'error', 'path error');
    expect(wrong.code).toBe('bad_fields');
    expect(wrong.message).toContain(`the editor saves only ${PATH}`);
    wa.messages = [];
    wa.send({ type: 'edit', path: PATH, text: 'x'.repeat(MAX_EDIT_CHARS + 1) });
    const big = await wa.waitFor((m) => m.type === 'error', 'size error');
    expect(big.code).toBe('bad_fields');
    expect(big.message).toContain(`limited to ${MAX_EDIT_CHARS} characters`);
    wa.send({ type: 'edit', path: PATH });
    expect((await wa.waitFor((m) => m.type === 'error' && m.message.includes('text'), 'missing text')).code).toBe('bad_fields');
    // The room goes on: a command still runs, and nothing reached the engine.
    wa.send({ type: 'command', line: 'hostname', id: 9 });
    expect((await wa.waitFor((m) => m.type === 'output' && m.id === 9, 'hostname')).exitCode).toBe(0);
    expect(wa.closed).toBeNull();
    const inputs = (await clusterStub(lab).getInputs()).map((r) => r.row as { input?: { type: string } });
    expect(inputs.some((r) => r.input?.type === 'edit')).toBe(false);
    expect(wb.of('error')).toEqual([]);
    wa.close();
    wb.close();
  });

  it('an edit before the start is refused like a command: not_running', async () => {
    const { wa, wb } = await twoSeats();
    wa.send({ type: 'edit', path: PATH, text: 'totem {}\n', id: 3 });
    expect((await wa.waitFor((m) => m.type === 'error', 'not running')).code).toBe('not_running');
    expect(wa.of('output')).toEqual([]);
    wa.close();
    wb.close();
  });
});
