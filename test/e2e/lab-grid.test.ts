// A 60-team lab's dashboard in a real browser: the summary grid (one tile per team, no panel and
// no team socket until one is opened), find a team by a student's name, open its panel with the
// keyboard, isolate a node from that panel, and read the team's state on its panel and its tile.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch } from './browser';

const SHOTS = join(import.meta.dirname, '..', '..', '.tmp');
// Real time: a silent peer is dropped after 10 s of course timing, the grid polls every 2 s.
const LIVE = { timeout: 45_000, intervals: [250, 500, 1000] };
const TEAMS = 60;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

describe(`the dashboard of a ${TEAMS}-team lab`, () => {
  it('finds a team, opens its panel, applies a fault to it and shows its state', async () => {
    const base = inject('baseUrl');
    const created = await fetch(`${base}/api/labs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${inject('teacherKey')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'three-node-isolation', teams: TEAMS, timeline: false }),
    });
    expect(created.status).toBe(201);
    const { code, teacherSecret } = (await created.json()) as { code: string; teacherSecret: string };
    const name = 'Zoé <b>Lambert</b>';
    const joined = await fetch(`${base}/api/labs/${code}/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, team: 42 }) });
    expect(joined.status).toBe(201);
    const started = await fetch(`${base}/api/labs/${code}/teacher/start`, { method: 'POST', headers: { authorization: `Bearer ${teacherSecret}`, 'content-type': 'application/json' }, body: '{}' });
    expect(started.status).toBe(200);

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'fr-FR' });
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${base}/teacher.html?code=${code}#secret=${encodeURIComponent(teacherSecret)}`);

    // Sixty tiles, each with its quorum as a symbol and a word; no panel, no team socket yet.
    const tiles = page.locator('[data-tile-team]');
    await expect.poll(() => tiles.count(), LIVE).toBe(TEAMS);
    await expect.poll(() => page.locator('[data-tile-team] [data-quorum="quorate"]').count(), LIVE).toBe(TEAMS);
    expect(await page.locator('[data-tile-team="7"]').innerText()).toMatch(/Équipe 7[\s\S]*quorate[\s\S]*3\/3 nœuds allumés/);
    expect(await page.locator('.t-team').count()).toBe(0);
    expect(sockets).toEqual([]);
    // The student's name is text on the tile, never markup.
    await expect.poll(() => page.locator('[data-tile-team="42"] .t-tile-names').innerText(), LIVE).toBe(name);
    expect(await page.locator('[data-tile-team] b').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'lab-grid-1920.png') });

    // ---- find the team by its student's name; Enter opens its panel, the keyboard goes with it
    await page.locator('#team-find').fill('zoé');
    await expect.poll(() => page.locator('[data-tile]:visible').count()).toBe(1);
    expect(await page.locator('#team-find-status').innerText()).toMatch(/1 équipe/);
    await page.locator('#team-find').press('Enter');
    const panel = page.locator('article[data-team="42"]');
    await panel.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('team-42-title');
    expect(await page.locator('.t-team').count()).toBe(1);
    await expect.poll(() => sockets.filter((u) => /\/ws\/labs\/[^/]+\/teacher\?/.test(u)).length).toBe(1);
    expect(sockets[0]).toContain('team=42');
    await expect.poll(() => panel.locator('.t-part-q .t-node-q').count(), LIVE).toBe(3);

    // ---- isolate pve1 from the team's own fault console
    await panel.locator('.t-team-faults > summary').click();
    await panel.locator('select[data-control="isolate-node"]').selectOption('pve1');
    await panel.locator('button[data-fault="isolate"]').click();
    await expect.poll(() => page.locator('#toast').innerText(), LIVE).toMatch(/équipe 42/);

    // ---- its state: two partitions on the panel, and its tile among the teams in trouble
    await expect.poll(() => panel.locator('[data-partition]').count(), LIVE).toBe(2);
    await expect.poll(() => panel.locator('[data-node="pve1"]').getAttribute('class'), LIVE).toContain('t-node-nq');
    await page.locator('#team-find').fill('');
    const tile = page.locator('#tiles-trouble [data-tile-team="42"]');
    await expect.poll(() => tile.count(), LIVE).toBe(1);
    expect(await tile.innerText()).toMatch(/quorum partiel[\s\S]*sans quorum : pve1/);
    expect(await page.locator('#tiles-trouble [data-tile]').count()).toBe(1);
    expect(await page.locator('#tiles-trouble-title').innerText()).toMatch(/À surveiller \(1\)/);
    // Every other team is untouched.
    expect(await page.locator('#tiles-ok [data-tile]').count()).toBe(TEAMS - 1);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'lab-grid-1920-open.png') });

    // ---- English
    await page.click('#lang-toggle');
    expect(await tile.innerText()).toMatch(/partial quorum[\s\S]*no quorum: pve1/);
    expect(await page.locator('#tiles-trouble-title').innerText()).toMatch(/Needs attention \(1\)/);
    await page.click('#lang-toggle');

    // ---- closing the panel ends its socket and gives the keyboard back to the tile
    await panel.locator('.t-team-close').click();
    expect(await page.locator('.t-team').count()).toBe(0);
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.tileTeam)).toBe('42');
    // Enter on the focused tile opens it again.
    await page.keyboard.press('Enter');
    await panel.waitFor();

    // ---- a phone: the tiles stack, nothing wider than the screen
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'lab-grid-390.png') });
    await page.evaluate(() => document.querySelector('#team-grid')?.scrollIntoView());
    await page.screenshot({ path: join(SHOTS, 'lab-grid-390-tiles.png') });
    await page.close();
  }, 150_000);
});
