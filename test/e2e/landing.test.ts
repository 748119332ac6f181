import { describe, expect, it } from 'vitest';
import { base, browser, teacherKey, useBrowser } from './support';

useBrowser();

describe('the served app', () => {
  it('shows the landing page in French, switches to English, and answers the API', async () => {
    const page = await browser.newPage({ locale: 'fr-FR' });
    const res = await page.goto(`${base}/`);
    expect(res?.status()).toBe(200);
    await expect(page.locator('h1').first().innerText()).resolves.toContain('Quorum Lab');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('body').innerText()).toMatch(/quorum/i);
    const health = await page.evaluate(async () => (await fetch('/api/health')).json());
    expect(health).toEqual({ ok: true });
    // The instructor key given to wrangler dev is the one the API checks.
    const created = await page.evaluate(async (key) => {
      const r = await fetch('/api/labs', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ scenario: 'three-node-power-loss' }) });
      return { status: r.status, body: await r.json() };
    }, teacherKey);
    expect(created.status).toBe(201);
    expect(created.body.code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    const scenarios = await page.evaluate(async () => (await fetch('/api/scenarios')).json());
    expect(scenarios.scenarios.length).toBeGreaterThanOrEqual(8);
    // Keyboard: the language toggle is reachable with Tab and works with Enter.
    let focused = '';
    for (let i = 0; i < 5 && focused !== 'lang-toggle'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.id ?? '');
    }
    expect(focused).toBe('lang-toggle');
    await page.keyboard.press('Enter');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('main p:visible').first().innerText()).toMatch(/multiplayer classroom exercise/);
    await page.close();
  });
});
