// The replay page in a real browser: a session re-run in the page; the slider (by keyboard) moves
// the drawing and the event feed; a split shows each side from inside. 1920×1080 and 390×844.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, base, browser, newLab, SHOTS as shots, useBrowser } from './support';

const WAIT = { timeout: 30_000, polling: 250 };

useBrowser();

describe('the replay page', () => {
  it('re-runs a stored session: the slider moves the drawing and the feed; a split shows both sides', { timeout: 120_000 }, async () => {
    const { code, secret: teacherSecret } = await newLab({ scenario: 'three-node-isolation', teams: 1, timeScale: 10 });
    expect((await api(`/api/labs/${code}/teacher/start`, teacherSecret, {})).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await api(`/api/labs/${code}/teacher/faults`, teacherSecret, { fault: { kind: 'isolate', node: 'pve3' } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2200));
    expect((await api(`/api/labs/${code}/teacher/end`, teacherSecret, {})).status).toBe(200);
    // Without the secret: refused, and the page asks for it.
    expect((await fetch(`${base}/api/labs/${code}/teams/1/inputs`)).status).toBe(401);

    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'fr-FR' });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/replay.html?code=${code}&team=1#secret=${encodeURIComponent(teacherSecret)}`);
    await page.waitForFunction(() => !document.getElementById('replay-player')!.hidden, undefined, WAIT);
    expect(page.url()).not.toContain('secret'); // taken off the address bar
    const max = Number(await page.locator('#replay-slider').getAttribute('max'));
    expect(max).toBeGreaterThan(20);
    const at = () => page.evaluate(() => ({
      time: document.getElementById('replay-time')!.textContent,
      pve3: document.querySelector('#replay-truth .topo-node[data-topo-node="pve3"]')?.getAttribute('data-state'),
      feed: document.querySelectorAll('#replay-feed li').length,
      sides: document.getElementById('replay-sides-card')!.hidden ? 0 : document.querySelectorAll('#replay-sides .replay-side').length,
    }));
    const start = await at();
    expect(start).toMatchObject({ time: expect.stringMatching(/^t = 0:0\d \/ 0:\d\d$/), pve3: 'quorate', sides: 0 });
    // Keyboard: End goes to the last moment.
    await page.focus('#replay-slider');
    await page.keyboard.press('End');
    const end = await at();
    expect(end.pve3).toBe('inquorate');
    expect(end.sides).toBe(2);
    expect(end.feed).toBeGreaterThan(start.feed);
    expect(await page.locator('#replay-feed').innerText()).toContain('pve3');
    expect(await page.locator('#replay-sides').innerText()).toMatch(/Côté pve1, pve2[\s\S]*version \d+/);
    // A fault marker jumps to its moment.
    const marker = page.locator('.replay-marker[data-kind="fault"]').first();
    await marker.click();
    const atFault = await at();
    expect(atFault.time).not.toBe(end.time);
    // Play advances on its own.
    await page.keyboard.press('Home');
    await page.click('#replay-play');
    await page.waitForFunction(() => document.getElementById('replay-slider') instanceof HTMLInputElement && Number((document.getElementById('replay-slider') as HTMLInputElement).value) > 2, undefined, WAIT);
    await page.click('#replay-play');
    expect(await page.locator('#replay-play').getAttribute('aria-pressed')).toBe('false');
    await page.focus('#replay-slider');
    await page.keyboard.press('End');
    await page.screenshot({ path: join(shots, 'replay-1920.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(shots, 'replay-390.png'), fullPage: true });
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
