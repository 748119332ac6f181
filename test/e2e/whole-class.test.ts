// "One cluster for the whole class" in a real browser: the teacher ticks the option on the new-lab
// form (12 nodes and a QDevice), the dashboard shows one team of twelve nodes, two students join
// through the join page (one at phone width) and each drives its own node, the teacher powers a
// node off and the projector draws the whole ring with that node down.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { base, browser, SHOTS as shots, teacherKey, useBrowser } from './support';

const WAIT = { timeout: 45_000, polling: 250 };
const NODES = 12;

useBrowser();

async function studentJoins(code: string, name: string, width: number): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width, height: 844 }, locale: 'fr-FR' })).newPage();
  await page.goto(`${base}/join.html?code=${code}`);
  await page.waitForFunction(() => !document.getElementById('lobby')!.hidden, undefined, WAIT);
  await page.fill('#name', name);
  await page.click('#join-btn');
  await page.waitForURL(/\/node(\.html)?\?code=/, { timeout: 15_000 });
  await page.waitForFunction(() => /^pve\d+$/.test(document.getElementById('node-name')?.textContent ?? ''), undefined, WAIT);
  return page;
}

describe('a whole-class cluster', () => {
  it('is made from the form, seats students on its nodes and shows the whole ring on the projector', { timeout: 180_000 }, async () => {
    const errors: string[] = [];
    const dash = await (await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'fr-FR' })).newPage();
    dash.on('pageerror', (e) => errors.push(String(e)));
    await dash.goto(`${base}/teacher.html`);
    await dash.fill('#key', teacherKey);
    await dash.check('#whole-class-on');
    await dash.fill('#whole-class-nodes', '11');
    await dash.check('#whole-class-qdevice');
    await dash.uncheck('#timeline');
    // An odd node count with a QDevice is refused in words, and the focus goes to the field.
    await dash.click('#create-lab');
    await expect.poll(() => dash.locator('body').innerText()).toMatch(/QDevice demande un nombre pair/);
    expect(await dash.evaluate(() => document.activeElement?.id)).toBe('whole-class-nodes');
    await dash.fill('#whole-class-nodes', String(NODES));
    await dash.click('#create-lab');

    await dash.waitForURL(/code=[A-HJ-NP-Z2-9]{6}/);
    await dash.locator('#dash').waitFor({ state: 'visible' });
    const code = (await dash.locator('#join-code').innerText()).trim();
    const panel = dash.locator('[data-team="1"]');
    await expect.poll(() => dash.locator('[data-team]').count(), WAIT).toBe(1);
    await expect.poll(() => panel.locator('[data-node]').count(), WAIT).toBe(NODES);
    await dash.click('[data-action="start"]');
    await expect.poll(() => dash.locator('#lab-status [data-status]').getAttribute('data-status'), WAIT).toBe('running');

    // Two students: each gets a node of its own in the one cluster.
    const ana = await studentJoins(code, 'Ana', 1280);
    const bo = await studentJoins(code, 'Bo <i>', 390);
    const anaNode = await ana.locator('#node-name').innerText();
    const boNode = await bo.locator('#node-name').innerText();
    expect(anaNode).not.toBe(boNode);
    await expect.poll(() => panel.locator(`[data-node="${boNode}"] .t-student`).innerText(), WAIT).toBe('Bo <i>');
    // Each console reads its own quorum: the whole ring votes, the QDevice included.
    await ana.waitForFunction(() => document.getElementById('quorum-card')?.dataset.quorate === 'yes', undefined, WAIT);
    await ana.fill('#terminal-input', 'pvecm status');
    await ana.press('#terminal-input', 'Enter');
    await expect.poll(() => ana.locator('#terminal-out').innerText(), WAIT).toMatch(new RegExp(`Nodes:\\s+${NODES}[\\s\\S]*Flags:\\s+Quorate Qdevice`));
    expect(await bo.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await bo.screenshot({ path: join(shots, 'whole-class-student-390.png'), fullPage: true });

    // The projector draws every node of the ring, and the one the teacher powers off as down.
    await dash.waitForFunction(() => !!document.querySelector('#projector-link[href]'), undefined, WAIT);
    const path = await dash.locator('#projector-link').getAttribute('href');
    const pj = await (await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'fr-FR' })).newPage();
    pj.on('pageerror', (e) => errors.push(String(e)));
    await pj.goto(`${base}${path}`);
    await dash.check('#projector-mode-live');
    await pj.waitForFunction((n) => document.body.dataset.mode === 'live' && document.querySelectorAll('.pj-team .topo-node').length === n, NODES, WAIT);
    const victim = 'pve7';
    await panel.locator('.t-team-faults > summary').click();
    await panel.locator('select[id^="f-t1-power-node"]').selectOption(victim);
    await panel.locator('select[id^="f-t1-power-action"]').selectOption('off');
    await panel.locator('button[data-fault="power"]').click();
    await expect.poll(() => dash.locator('#toast').innerText(), WAIT).toMatch(new RegExp(victim));
    await pj.waitForFunction((v) => document.querySelector(`.pj-team .topo-node[data-topo-node="${v}"]`)?.getAttribute('data-state') === 'off', victim, WAIT);
    // Eleven of twelve votes plus the QDevice's: the rest of the ring stays quorate.
    expect(await pj.locator('.pj-team[data-team="1"] [data-quorum]').getAttribute('data-quorum')).toBe('ok');
    await pj.screenshot({ path: join(shots, 'whole-class-projector-1920.png') });
    expect(errors).toEqual([]);
  });
});
