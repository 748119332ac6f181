// The network design lab in real browsers: a cluster with networks (a teacher's scenario through the
// custom-scenario API), a student edits /etc/pve/corosync.conf in the page's editor with the
// keyboard alone and sees the result in the terminal, sees their node's networks; the teacher cuts
// a node's port on a network from the dashboard and the feed, the panel and the node page show it.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser';

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, '.tmp');
const LIVE = { timeout: 40_000, intervals: [250, 500, 1000] };
const PATH = '/etc/pve/corosync.conf';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations (as test/e2e/pages.test.ts runs it on every page). */
async function axe(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const r = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } };
    return w.axe.run(document, { resultTypes: ['violations'] });
  });
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

async function post(path: string, token: string, body: unknown): Promise<{ status: number; data: any }> {
  const r = await fetch(`${inject('baseUrl')}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, data: await r.json() };
}

/** A three-node preset given three networks: management, corosync (VLANs) and a storage NIC. */
function networkScenario(): string {
  const s = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'three-node-isolation.json'), 'utf8'));
  s.id = 'e2e-networks';
  s.title = { fr: 'Réseaux (e2e)', en: 'Networks (e2e)' };
  s.timeline = [];
  s.checkpoints = [];
  const addrs = (net: number, nodes = ['pve1', 'pve2', 'pve3']) => Object.fromEntries(nodes.map((n) => [n, `10.0.${net}.${10 + Number(n.slice(3))}`]));
  s.cluster.networks = [
    { id: 'vlan10', vlan: 10, subnet: '10.0.10.0/24', roles: ['management'], addrs: addrs(10) },
    { id: 'vlan20', vlan: 20, subnet: '10.0.20.0/24', roles: ['corosync'], addrs: addrs(20) },
    { id: 'nic-sto', subnet: '10.0.30.0/24', roles: ['storage', 'migration'], addrs: addrs(30, ['pve2', 'pve3']) },
  ];
  return JSON.stringify(s, null, 2);
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

const terminalText = (page: Page) => page.locator('#terminal-out').innerText();

describe('network design lab', () => {
  it('a student edits corosync.conf with the keyboard; the teacher cuts a port on a network', { timeout: 240_000 }, async () => {
    const base = inject('baseUrl');
    const key = inject('teacherKey');
    const saved = await post('/api/scenarios/custom', key, { text: networkScenario() });
    expect(saved.status, JSON.stringify(saved.data)).toBe(201);
    expect(saved.data.scenario.networks.map((n: { id: string }) => n.id)).toEqual(['vlan10', 'vlan20', 'nic-sto']);
    const created = await post('/api/labs', key, { scenario: saved.data.id, teams: 1, timeline: false });
    expect(created.status, JSON.stringify(created.data)).toBe(201);
    const { code, teacherSecret } = created.data as { code: string; teacherSecret: string };
    const joined = await post(`/api/labs/${code}/join`, '', { name: 'Zoé', team: 1 });
    expect(joined.status).toBe(201);
    expect(joined.data.seat.node).toBe('pve1');

    // ---- the student's page
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    await context.addInitScript(
      ([k, v]) => {
        if (!localStorage.getItem(k!)) localStorage.setItem(k!, v!);
      },
      [`quorum-lab:${code}`, JSON.stringify({ token: joined.data.token, seat: joined.data.seat })],
    );
    const node = await context.newPage();
    const nodeErrors = watchErrors(node);
    await node.goto(`${base}/node.html?code=${code}`);
    expect((await post(`/api/labs/${code}/teacher/start`, teacherSecret, {})).status).toBe(200);

    // Its networks: address, VLAN, roles, port up (a word, not only a colour); in a cluster.
    const nets = node.locator('#nets-card');
    await expect.poll(() => nets.isVisible(), LIVE).toBe(true);
    expect(await node.locator('#nets li').count()).toBe(3);
    expect(await node.locator('#nets li[data-network="vlan20"]').innerText()).toMatch(/vlan20 \(VLAN 20 · corosync\)[\s\S]*10\.0\.20\.11[\s\S]*port actif/);
    expect(await node.locator('#nets li[data-network="nic-sto"]').innerText()).toMatch(/carte dédiée · stockage, migration[\s\S]*pas de port sur ce réseau/);
    expect(await node.locator('#cluster-state').getAttribute('data-in-cluster')).toBe('yes');

    // ---- nano: the editor takes the terminal's place, focused, with the file
    const input = node.locator('#terminal-input');
    await input.click();
    await input.fill(`nano ${PATH}`);
    await input.press('Enter');
    const area = node.locator('#editor textarea');
    await expect.poll(() => area.isVisible(), LIVE).toBe(true);
    expect(await node.locator('#terminal-screen').isVisible()).toBe(false);
    expect(await area.inputValue()).toContain('totem {');
    expect(await node.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    // Labelled for screen readers, with the file's name.
    expect(await node.locator('#editor label').innerText()).toContain(PATH);
    await node.screenshot({ path: join(SHOTS, 'network-lab-editor-1280.png'), fullPage: true });
    expect(await axe(node)).toEqual([]);

    // Esc cancels and gives the keyboard back to the terminal.
    await area.press('Escape');
    expect(await area.isVisible()).toBe(false);
    expect(await node.evaluate(() => document.activeElement?.id)).toBe('terminal-input');
    await expect.poll(() => terminalText(node)).toContain('(nano fermé sans modification)');

    // Edit, then Esc: the changes are dropped, but offered back when nano opens the same file again.
    const restore = node.locator('#editor [data-action="restore"]');
    await input.fill(`nano ${PATH}`);
    await input.press('Enter');
    await expect.poll(() => area.isVisible(), LIVE).toBe(true);
    expect(await restore.isVisible()).toBe(false);
    await area.press('Control+End');
    await node.keyboard.type('\n# edited from the page');
    await area.press('Escape');
    await expect.poll(() => terminalText(node)).toContain('(nano fermé : modifications abandonnées)');
    await input.fill(`nano ${PATH}`);
    await input.press('Enter');
    await expect.poll(() => area.isVisible(), LIVE).toBe(true);
    expect(await area.inputValue()).not.toContain('# edited from the page');
    await expect.poll(() => restore.isVisible()).toBe(true);
    await restore.press('Enter');
    expect(await restore.isVisible()).toBe(false);
    expect(await node.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');

    // Go on with the keyboard, Ctrl+S: the result prints like a command's output.
    await area.press('Control+End');
    await node.keyboard.type('\n');
    expect(await area.inputValue()).toMatch(/# edited from the page\n$/);
    await area.press('Control+s');
    expect(await area.isVisible()).toBe(false);
    expect(await node.evaluate(() => document.activeElement?.id)).toBe('terminal-input');
    await expect.poll(() => terminalText(node)).toContain(`(enregistrement de ${PATH}…)`);
    // The server's answer to the save arrives after the note (whatever the engine says of this text).
    await expect.poll(() => node.locator('#terminal-out').getAttribute('aria-busy'), LIVE).toBeNull();
    // A comment added without raising config_version: written, but corosync keeps its configuration.
    await expect.poll(async () => (await terminalText(node)).split(`(enregistrement de ${PATH}…)`).at(-1)!, LIVE).toMatch(/config_version is still \d+[\s\S]*not applied[\s\S]*astuce : chaque modification de corosync.conf augmente config_version/);

    // ---- the teacher cuts pve1's port on the corosync VLAN from the dashboard
    const teacher = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const teacherErrors = watchErrors(teacher);
    await teacher.goto(`${base}/teacher.html?code=${code}#secret=${encodeURIComponent(teacherSecret)}`);
    const panel = teacher.locator('[data-team="1"]');
    await expect.poll(() => panel.locator('.t-team-faults > summary').count(), LIVE).toBe(1);
    await panel.locator('.t-team-faults > summary').click();
    const netSelect = panel.locator('select[data-control="net-network"]');
    expect(await netSelect.locator('option').allInnerTexts()).toEqual(['vlan10 (VLAN 10 · gestion)', 'vlan20 (VLAN 20 · corosync)', 'nic-sto (carte dédiée · stockage, migration)']);
    // Only the nodes with a port on the chosen network are offered.
    await netSelect.selectOption('nic-sto');
    expect(await panel.locator('select[data-control="net-node"] option').allInnerTexts()).toEqual(['pve2 — 10.0.30.12', 'pve3 — 10.0.30.13']);
    await netSelect.selectOption('vlan20');
    await panel.locator('select[data-control="net-node"]').selectOption('pve1');
    await panel.locator('button[data-fault="net-port-cut"]').click();
    await expect.poll(() => teacher.locator('#toast').innerText(), LIVE).toMatch(/port de pve1 sur le réseau vlan20 coupé/);
    await expect.poll(() => teacher.locator('#feed').innerText(), LIVE).toMatch(/Panne \(enseignant\) : port de pve1 sur le réseau vlan20 coupé/);
    await expect.poll(() => panel.locator('.t-nets').first().innerText(), LIVE).toMatch(/ports coupés : pve1/);
    // The student's page shows its port down, in words.
    await expect.poll(() => node.locator('#nets li[data-network="vlan20"]').getAttribute('data-port'), LIVE).toBe('down');
    expect(await node.locator('#nets li[data-network="vlan20"]').innerText()).toMatch(/PORT COUPÉ/);
    await panel.locator('.t-fault-nets').scrollIntoViewIfNeeded();
    await teacher.screenshot({ path: join(SHOTS, 'network-lab-teacher-1280.png') });
    expect(await axe(teacher)).toEqual([]);

    // Saturate the storage network, then relieve it: a repair line in the feed.
    await netSelect.selectOption('nic-sto');
    await panel.locator('button[data-fault="net-saturate"]').click();
    await expect.poll(() => panel.locator('.t-nets[data-network="nic-sto"]').innerText(), LIVE).toMatch(/saturé/);
    await panel.locator('button[data-fault="net-relieve"]').click();
    await expect.poll(() => teacher.locator('#feed').innerText(), LIVE).toMatch(/Réparation \(enseignant\) : réseau nic-sto de nouveau fluide/);

    // ---- phone width: the editor and the networks card stay usable
    await node.setViewportSize({ width: 390, height: 844 });
    await input.fill(`nano ${PATH}`);
    await input.press('Enter');
    await expect.poll(() => area.isVisible(), LIVE).toBe(true);
    const box = await area.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    expect(box!.width).toBeGreaterThan(300);
    const overflow = await node.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await node.screenshot({ path: join(SHOTS, 'network-lab-editor-390.png'), fullPage: true });
    await node.locator('#terminal-card').screenshot({ path: join(SHOTS, 'network-lab-editor-card-390.png') });
    expect(await axe(node)).toEqual([]);
    await node.locator('#editor').getByRole('button', { name: /Annuler/ }).click();
    expect(await area.isVisible()).toBe(false);
    await nets.scrollIntoViewIfNeeded();
    await node.screenshot({ path: join(SHOTS, 'network-lab-nets-390.png') });

    expect(nodeErrors).toEqual([]);
    expect(teacherErrors).toEqual([]);
    await context.close();
    await teacher.close();
  });
});
