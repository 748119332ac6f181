// A 60-team lab's dashboard in a real browser: the summary grid (one tile per team, no panel and
// no team socket until one is opened), find a team by a student's name, open its panel with the
// keyboard, power a node off from that panel, and read the team's state on its panel and its tile.
// The lab runs at a quarter of the speed and is ended at the end: 60 rooms ticking in the shared
// `wrangler dev` would slow the other browser tests running beside this one.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, base, browser, joinLab, newLab, SHOTS, useBrowser } from './support';

// Real time: a silent peer is dropped after 10 s of course timing, the grid polls every 2 s.
const LIVE = { timeout: 45_000, intervals: [250, 500, 1000] };
const TEAMS = 60;

useBrowser();

describe(`the dashboard of a ${TEAMS}-team lab`, () => {
  it('finds a team, opens its panel, applies a fault to it and shows its state', async () => {
    const { code, secret: teacherSecret } = await newLab({ scenario: 'three-node-isolation', teams: TEAMS, timeScale: 0.25 });
    const name = 'Zoé <b>Lambert</b>';
    await joinLab(code, name, 42);
    const control = (action: string) => api(`/api/labs/${code}/teacher/${action}`, teacherSecret, {});
    expect((await control('start')).status).toBe(200);
    try {

      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'fr-FR' });
      const sockets: string[] = [];
      page.on('websocket', (ws) => sockets.push(ws.url()));
      await page.goto(`${base}/teacher.html?code=${code}#secret=${encodeURIComponent(teacherSecret)}`);

      // Sixty tiles, each with its quorum as a symbol and a word; no panel, no team socket yet.
      const tiles = page.locator('[data-tile-team]');
      await expect.poll(() => tiles.count(), LIVE).toBe(TEAMS);
      await expect.poll(() => page.locator('[data-tile-team] [data-quorum]').count(), LIVE).toBe(TEAMS);
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
      // Zoé's pve1 never heartbeats (no browser of hers here): only the autopilot nodes are sure.
      await expect.poll(() => panel.locator('[data-node]').count(), LIVE).toBe(3);

      // ---- power pve2 off from the team's own fault console
      await panel.locator('.t-team-faults > summary').click();
      await panel.locator('select[id^="f-t42-power-node"]').selectOption('pve2');
      await panel.locator('select[id^="f-t42-power-action"]').selectOption('off');
      await panel.locator('button[data-fault="power"]').click();
      await expect.poll(() => page.locator('#toast').innerText(), LIVE).toMatch(/équipe 42/);

      // ---- its state: pve2 off on the panel, and its tile among the teams in trouble
      await expect.poll(() => panel.locator('[data-node="pve2"]').getAttribute('class'), LIVE).toContain('t-node-off');
      await page.locator('#team-find').fill('');
      const tile = page.locator('#tiles-trouble [data-tile-team="42"]');
      await expect.poll(() => tile.count(), LIVE).toBe(1);
      expect(await tile.innerText()).toMatch(/2\/3 nœuds allumés[\s\S]*(éteint : pve2|\+\d)/);
      expect(await page.locator('#tiles-trouble [data-tile]').count()).toBe(1);
      expect(await page.locator('#tiles-trouble-title').innerText()).toMatch(/À surveiller \(1\)/);
      // Every other team is untouched.
      expect(await page.locator('#tiles-ok [data-tile]').count()).toBe(TEAMS - 1);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SHOTS, 'lab-grid-1920-open.png') });

      // ---- English
      await page.click('#lang-toggle');
      expect(await tile.innerText()).toMatch(/2\/3 nodes on/);
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
    } finally {
      await control('end');
    }
  }, 150_000);
});
