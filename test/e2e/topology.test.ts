// The topology drawing in a real browser: on the node page each student's drawing is what their
// node knows (an isolated node's differs from its peers'), and the dashboard draws the truth.
// Screenshots at 1920×1080 and 390×844 in .tmp/.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api, base, browser, PHONE, SHOTS as shots, seated, teacherKey, useBrowser } from './support';

const WIDE = { width: 1920, height: 1080 };
const WAIT = { timeout: 40_000, polling: 250 };

useBrowser();

const states = (page: Page) =>
  page.evaluate(() => Object.fromEntries(Array.from(document.querySelectorAll('#topo .topo-node')).map((n) => [n.getAttribute('data-topo-node'), n.getAttribute('data-state')])));

describe('the topology drawing', () => {
  it('node page: an isolated node draws itself alone, its peer draws a quorate ring; the dashboard draws the cut', { timeout: 150_000 }, async () => {
    const created = await api('/api/labs', teacherKey, { scenario: 'three-node-isolation', timeline: false, teams: 1 });
    expect(created.status).toBe(201);
    const { code, teacherSecret } = created.data;
    expect((await api(`/api/labs/${code}/teacher/start`, teacherSecret, {})).status).toBe(200);
    const a = await seated(code, 'Alice', WIDE);
    const b = await seated(code, 'Bruno', PHONE);
    expect([a.seat.node, b.seat.node]).toEqual(['pve1', 'pve2']);
    for (const p of [a.page, b.page]) await p.waitForFunction(() => document.querySelectorAll('#topo .topo-node[data-state="quorate"]').length === 3, undefined, WAIT);
    expect((await a.page.locator('#topo-card h2').innerText()).toLowerCase()).toBe('le cluster vu d’ici');
    expect(await a.page.locator('#topo .topo-node[data-self="true"]').getAttribute('data-topo-node')).toBe('pve1');

    expect((await api(`/api/labs/${code}/teacher/faults`, teacherSecret, { fault: { kind: 'isolate', node: 'pve1' } })).status).toBe(200);
    await a.page.waitForFunction(() => document.querySelector('#topo .topo-node[data-self="true"]')?.getAttribute('data-state') === 'inquorate', undefined, WAIT);
    await b.page.waitForFunction(() => document.querySelector('#topo .topo-node[data-topo-node="pve1"]')?.getAttribute('data-state') === 'unknown', undefined, WAIT);
    // Two points of view: pve1 alone without quorum, hearing nobody; pve2 quorate with pve3.
    expect(await states(a.page)).toEqual({ pve1: 'inquorate', pve2: 'unknown', pve3: 'unknown' });
    expect(await states(b.page)).toEqual({ pve1: 'unknown', pve2: 'quorate', pve3: 'quorate' });
    expect(await a.page.locator('#topo .topo-group[data-kind="unheard"]').count()).toBe(1);
    await a.page.waitForFunction(() => document.querySelectorAll('#topo .topo-link[data-state="silent"]').length === 2, undefined, WAIT);
    expect(await b.page.locator('#topo .topo-link[data-state="silent"]').count()).toBe(1);
    // Words, not only colours.
    // (textContent: SVG has no innerText; the English twin is hidden by the page's language.)
    expect(await a.page.locator('#topo .topo-node[data-self="true"] text[data-lang="fr"]').nth(1).textContent()).toBe('⚠ sans quorum');
    expect(await a.page.locator('#topo .topo-node[data-self="true"] text[data-lang="en"]').first().isVisible()).toBe(false);
    expect(await b.page.locator('#topo .topo-node[data-topo-node="pve1"] text[data-lang="fr"]').first().textContent()).toBe('? non entendu');
    // The phone: the drawing fits the screen, two node columns at most.
    expect(await b.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    const box = await b.page.locator('#topo svg').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(PHONE.width);
    await a.page.locator('#topo-card').screenshot({ path: join(shots, 'topology-node-isolated-1920.png') });
    await b.page.locator('#topo-card').screenshot({ path: join(shots, 'topology-node-peer-390.png') });

    // The dashboard's panel draws the truth: pve1 cut off from both peers.
    const ctx = await browser.newContext({ viewport: WIDE, locale: 'fr-FR' });
    const t = await ctx.newPage();
    const errors: string[] = [];
    t.on('pageerror', (e) => errors.push(String(e)));
    await t.goto(`${base}/teacher.html?code=${code}#secret=${teacherSecret}`);
    await t.waitForFunction(() => document.querySelectorAll('.topo-figure .topo-link[data-state="cut"]').length === 2, undefined, WAIT);
    expect(await t.locator('.topo-figure .topo-node[data-topo-node="pve1"]').getAttribute('data-state')).toBe('inquorate');
    expect(await t.locator('.topo-figure .topo-group[data-kind="partition"]').count()).toBe(2);
    // The panel is redrawn every simulated second: take the figure's box in one step, then shoot it.
    const clip = await t.evaluate(() => {
      const r = document.querySelector('.topo-figure')!.getBoundingClientRect();
      return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height };
    });
    await t.screenshot({ path: join(shots, 'topology-dashboard-1920.png'), clip, fullPage: true });
    expect([...a.errors, ...b.errors, ...errors]).toEqual([]);
    await ctx.close();
  });
});
