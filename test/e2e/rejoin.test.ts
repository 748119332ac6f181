// A student who lost their browser takes their seat back from a fresh one with name + rejoin code;
// the old tab is closed with a reason. Seat rejoin is the server's (`abuse` branch: `rejoinCode`
// from POST /join, in `welcome` and in the roster). On a server without it, the pages must still
// work and show no rejoin code: that is what this file checks there.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { base, browser, LAPTOP, newLab, PHONE, SHOTS as shots, useBrowser } from './support';

const WAIT = { timeout: 30_000, polling: 250 };

useBrowser();

describe('rejoin from any device', () => {
  for (const [size, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const)
    it(`name + rejoin code give the seat back in a fresh browser; the old tab is told why (${size})`, { timeout: 120_000 }, async () => {
      const { code } = await newLab({ teams: 1 });
      const first = await browser.newContext({ viewport, locale: 'fr-FR' });
      const old = await first.newPage();
      await old.goto(`${base}/join.html?code=${code}`);
      await old.fill('#name', 'Léa');
      await old.click('#join-btn');
      await old.waitForURL(/\/node(\.html)?\?code=/, { timeout: 15_000 });
      await old.waitForFunction(() => document.getElementById('node-name')?.textContent === 'pve1', undefined, WAIT);
      const stored = await old.evaluate((c) => JSON.parse(localStorage.getItem(`quorum-lab:${c}`) ?? '{}'), code);

      const fresh = await browser.newContext({ viewport, locale: 'fr-FR' });
      const page = await fresh.newPage();
      if (typeof stored.rejoinCode !== 'string') {
        // A server without seat rejoin: no code anywhere, and the same name is refused with a way out.
        expect(await old.locator('#rejoin-line').isVisible()).toBe(false);
        await page.goto(`${base}/join.html?code=${code}`);
        await page.fill('#name', 'Léa');
        await page.click('#join-btn');
        await page.waitForFunction(() => !document.getElementById('join-error')!.hidden, undefined, WAIT);
        expect(await page.locator('#join-error').innerText()).toMatch(/code de reprise/);
        expect(await page.locator('#rejoin').isVisible()).toBe(true);
      } else {
        // The node page shows the code; a fresh browser types name + code and gets pve1 back.
        await old.locator('#rejoin-line').waitFor({ state: 'visible' });
        expect(await old.locator('#rejoin-code').innerText()).toBe(stored.rejoinCode);
        await page.goto(`${base}/join.html?code=${code}`);
        await page.fill('#name', 'Léa');
        await page.locator('#rejoin-box > summary').click();
        await page.fill('#rejoin', stored.rejoinCode);
        await page.click('#join-btn');
        await page.waitForURL(/\/node(\.html)?\?code=/, { timeout: 15_000 });
        await page.waitForFunction(() => document.getElementById('node-name')?.textContent === 'pve1', undefined, WAIT);
        // The old tab was closed by the server and says so, in French.
        await old.waitForFunction(() => !document.getElementById('gate')!.hidden, undefined, WAIT);
        expect(await old.locator('#gate').innerText()).toMatch(/reprise sur un autre appareil/);
        await old.screenshot({ path: join(shots, `rejoin-old-tab-${size}.png`) });
      }
      await page.screenshot({ path: join(shots, `rejoin-${size}.png`), fullPage: true });
      await first.close();
      await fresh.close();
    });
});
