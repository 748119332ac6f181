// The network-design preset played through the pages, as a class would: the teacher creates it from
// the form, three students read the brief, the storage VLAN's saturation takes quorum away (corosync's
// only link is on it), pve1's student adds link1 on the corosync VLAN with the page's editor and the
// keyboard alone (ring1_addr per node, a preferred interface, config_version raised); then the same
// saturation and the cut of pve2's VLAN 20 port (the teacher's per-network buttons) leave the cluster
// quorate, the journal says which link carries the traffic, and the end screen shows the objectives met.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LAPTOP, PHONE, SHOTS, axe, base, browser, seated, teacherKey, useBrowser, watchErrors } from './support';

useBrowser();

const LIVE = { timeout: 60_000, intervals: [250, 500, 1000] };
const PATH = '/etc/pve/corosync.conf';
const quorate = (p: Page) => p.locator('#quorum-card').getAttribute('data-quorate');
const terminal = (p: Page) => p.locator('#terminal-out').innerText();

/** Types a command in the node page's terminal and waits for its answer. */
async function run(p: Page, cmd: string): Promise<string> {
  const before = (await terminal(p)).length;
  await p.locator('#terminal-input').fill(cmd);
  await p.locator('#terminal-input').press('Enter');
  await expect.poll(async () => (await terminal(p)).length, LIVE).toBeGreaterThan(before + cmd.length + 12);
  await expect.poll(() => p.locator('#terminal-out').getAttribute('aria-busy'), LIVE).toBeNull();
  return (await terminal(p)).slice(before);
}

/** Moves the editor's caret to the end of the first line matching `re`, with the arrow keys. */
async function endOfLine(p: Page, re: RegExp): Promise<void> {
  const area = p.locator('#editor textarea');
  const lines = (await area.inputValue()).split('\n');
  const at = lines.findIndex((l) => re.test(l));
  expect(at, `no line matches ${re}`).toBeGreaterThanOrEqual(0);
  await area.press('Control+Home');
  for (let i = 0; i < at; i++) await p.keyboard.press('ArrowDown');
  await p.keyboard.press('End');
}

describe('network-design preset', () => {
  it('played by a teacher and three students: link1 on VLAN 10 keeps the cluster through saturation and a port cut', { timeout: 420_000 }, async () => {
    // ---- the teacher's form
    const tctx = await browser.newContext({ viewport: LAPTOP, locale: 'fr-FR' });
    const dash = await tctx.newPage();
    const dashErrors = watchErrors(dash);
    await dash.goto(`${base}/teacher.html`);
    await dash.locator('#scenario option[value="network-design"]').waitFor({ state: 'attached' });
    await dash.fill('#key', teacherKey);
    await dash.selectOption('#scenario', 'network-design');
    await expect.poll(() => dash.locator('#scenario-about').innerText()).toMatch(/VLAN 10/);
    await dash.fill('#teams', '1');
    await dash.fill('#timescale', '4'); // saturation at 1:30 of lab time: 22 s here
    await dash.click('#create-lab');
    await dash.waitForURL(/code=/);
    await dash.locator('#dash').waitFor({ state: 'visible' });
    const code = (await dash.locator('#join-code').innerText()).trim();

    // ---- three students; the brief says what to do and where
    const s1 = await seated(code, 'Zoé', LAPTOP);
    const s2 = await seated(code, 'Malik', LAPTOP);
    const s3 = await seated(code, 'Inès', PHONE);
    expect([s1.seat.node, s2.seat.node, s3.seat.node]).toEqual(['pve1', 'pve2', 'pve3']);
    const [p1, p2, p3] = [s1.page, s2.page, s3.page];
    const brief = await p1.locator('#brief').innerText();
    expect(brief).toMatch(/link1 sur le VLAN 10/);
    expect(brief).toContain(`nano ${PATH}`);
    await dash.click('[data-action="start"]');
    for (const p of [p1, p2, p3]) await expect.poll(() => quorate(p), LIVE).toBe('yes');
    await p3.screenshot({ path: join(SHOTS, 'network-design-brief-390.png'), fullPage: true });
    expect(await p3.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // Where corosync runs: link0 on the storage VLAN.
    await p1.locator('#terminal-input').click();
    const status = await run(p1, 'corosync-cfgtool -s');
    expect(status).toMatch(/LINK ID 0 udp\s+addr\s+= 10\.0\.20\.11/);
    expect(status).not.toContain('LINK ID 1');
    await expect.poll(() => p1.locator('#brief [data-objective="looked"]').getAttribute('class'), LIVE).toBe('met');

    // ---- the storage sync saturates VLAN 20: every node alone, the checkpoint freezes the cluster
    for (const p of [p1, p2, p3]) await expect.poll(() => quorate(p), LIVE).toBe('no');
    await expect.poll(() => p1.locator('#checkpoint').getAttribute('data-state'), LIVE).toBe('open');
    expect(await p1.locator('#checkpoint').innerText()).toContain('Le VLAN 20 est saturé');
    await p1.focus('[data-question="quorate"] input[value="no"]');
    await p1.keyboard.press('Space');
    await p1.keyboard.press('Enter');
    await expect.poll(() => p1.locator('[data-question="quorate"] .saved').innerText(), LIVE).toContain('enregistrée');
    await p3.screenshot({ path: join(SHOTS, 'network-design-storm-390.png'), fullPage: true });
    await dash.click('#checkpoint-close');
    await expect.poll(() => p1.locator('#checkpoint').getAttribute('data-state'), LIVE).toBe('results');
    // The sync ends (2:05): quorum comes back on its own.
    for (const p of [p1, p2, p3]) await expect.poll(() => quorate(p), LIVE).toBe('yes');

    // ---- pve1's student fixes the design in the editor, keyboard only
    await p1.locator('#terminal-input').fill(`nano ${PATH}`);
    await p1.locator('#terminal-input').press('Enter');
    const area = p1.locator('#editor textarea');
    await expect.poll(() => area.isVisible(), LIVE).toBe(true);
    for (const d of [1, 2, 3]) {
      await endOfLine(p1, new RegExp(`ring0_addr: 10\\.0\\.20\\.1${d}$`));
      await p1.keyboard.type(`\n    ring1_addr: 10.0.10.1${d}`);
    }
    await endOfLine(p1, /^ {4}linknumber: 0$/);
    await p1.keyboard.press('ArrowDown'); // the closing brace of interface 0
    await p1.keyboard.press('End');
    await p1.keyboard.type('\n  interface {\n    linknumber: 1\n    knet_link_priority: 10\n  }');
    await endOfLine(p1, /config_version: 1$/);
    await p1.keyboard.press('Backspace');
    await p1.keyboard.type('2');
    await p1.screenshot({ path: join(SHOTS, 'network-design-editor-1280.png'), fullPage: true });
    await area.press('Control+s');
    await expect.poll(async () => (await terminal(p1)).split(`(enregistrement de ${PATH}…)`).at(-1)!, LIVE).toMatch(/version = 2[\s\S]*Configuring link 1/);
    expect(await p1.evaluate(() => document.activeElement?.id)).toBe('terminal-input');

    // Both links connected; the objective shows met on the node page (judged at the end).
    await expect.poll(async () => (await run(p1, 'corosync-cfgtool -s')).replace(/\s+/g, ' '), LIVE).toMatch(
      /LINK ID 0 udp addr = 10\.0\.20\.11 status: nodeid: 1: localhost nodeid: 2: connected nodeid: 3: connected LINK ID 1 udp addr = 10\.0\.10\.11 status: nodeid: 1: localhost nodeid: 2: connected nodeid: 3: connected/,
    );
    await expect.poll(() => p1.locator('#brief [data-objective="link1"]').getAttribute('class'), LIVE).toBe('met');
    // pve2 got the same file through pmxcfs.
    expect(await run(p2, 'cat /etc/pve/corosync.conf')).toMatch(/config_version: 2[\s\S]*knet_link_priority: 10/);

    // ---- the teacher saturates VLAN 20 again from the dashboard: the cluster holds on link1
    const panel = dash.locator('[data-team="1"]');
    await panel.locator('.t-team-faults > summary').click();
    const netSelect = panel.locator('select[data-control="net-network"]');
    await netSelect.selectOption('vlan20');
    await panel.locator('button[data-fault="net-saturate"]').click();
    await expect.poll(() => panel.locator('.t-nets[data-network="vlan20"]').innerText(), LIVE).toMatch(/saturé/);
    await expect.poll(() => p1.locator('#journal').innerText(), LIVE).toMatch(/\[KNET\] pve1 → pve2 : lien 0 coupé ; le trafic passe par le lien 1 \(priorité 10\)/);
    await p1.waitForTimeout(3000); // longer than the token: nobody dropped out
    for (const p of [p1, p2, p3]) expect(await quorate(p)).toBe('yes');
    await panel.locator('button[data-fault="net-relieve"]').click();
    await expect.poll(() => dash.locator('#feed').innerText(), LIVE).toMatch(/réseau vlan20 de nouveau fluide/);

    // ---- pve2's VLAN 20 port is cut: pve2 keeps quorum through VLAN 10
    await netSelect.selectOption('vlan20');
    await panel.locator('select[data-control="net-node"]').selectOption('pve2');
    await panel.locator('button[data-fault="net-port-cut"]').click();
    await expect.poll(() => p2.locator('#nets li[data-network="vlan20"]').getAttribute('data-port'), LIVE).toBe('down');
    await p2.waitForTimeout(3000);
    expect(await quorate(p2)).toBe('yes');
    expect((await run(p2, 'pvecm status')).replace(/\s+/g, ' ')).toMatch(/Quorate: Yes/);
    await panel.locator('.t-fault-nets').scrollIntoViewIfNeeded();
    await dash.screenshot({ path: join(SHOTS, 'network-design-teacher-1280.png') });
    expect(await axe(p1)).toEqual([]);

    // ---- the end: every objective met, on the node page's end screen
    dash.once('dialog', (d) => void d.accept());
    await dash.click('[data-action="end"]');
    for (const p of [p1, p3]) await expect.poll(() => p.locator('#end-screen .end-grade').count(), LIVE).toBe(1);
    const end = await p1.locator('#end-screen').innerText();
    // The report rebuilds the links from the log: the edit's link1 counts at the end as it did live.
    for (const t of ['Regarder les liens corosync', 'Un lien corosync sur le VLAN 10', 'pve2 garde le quorum', 'À la fin, tous les nœuds ont le quorum']) expect(end).toContain(`Objectif atteint : ${t}`);
    expect(end).not.toContain('Objectif manqué');
    await p3.locator('#end-screen').screenshot({ path: join(SHOTS, 'network-design-end-390.png') });
    await p1.locator('#end-screen').screenshot({ path: join(SHOTS, 'network-design-end-1280.png') });

    for (const s of [s1, s2, s3]) expect(s.errors).toEqual([]);
    expect(dashErrors).toEqual([]);
    for (const s of [s1, s2, s3]) await s.context.close();
    await tctx.close();
  });
});
