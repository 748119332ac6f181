// Issue 11 against the served app (`wrangler dev`): security headers on the static pages and no
// CSP violation in a real browser, the rate-limiting binding at work, a kicked socket whose TCP
// connection really ends (raw socket), and "allow back" from the dashboard roster.
import { describe, expect, it } from 'vitest';
import { api, base, browser, newLab, useBrowser } from './support';
import { openRaw, until } from './raw-socket';

useBrowser();

describe('security headers', () => {
  it('serves every page and asset with CSP (no inline script, frame-ancestors none), no-referrer and nosniff', async () => {
    for (const path of ['/', '/index.html', '/join.html', '/node.html', '/teacher.html', '/teacher.js', '/style.css']) {
      const r = await fetch(`${base}${path}`);
      expect([path, r.status]).toEqual([path, 200]);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect([path, csp]).toEqual([path, expect.stringMatching(/frame-ancestors 'none'/)]);
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('runs each page under that CSP without a single violation', async () => {
    const lab = await newLab({ scenario: 'three-node-isolation', teams: 1 });
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
    });
    for (const path of ['/', `/join.html?code=${lab.code}`, `/teacher.html?code=${lab.code}#secret=${encodeURIComponent(lab.secret)}`]) {
      await page.goto(`${base}${path}`);
      await page.waitForLoadState('networkidle');
    }
    expect(violations).toEqual([]);
    await page.close();
  });
});

describe('rate limits under wrangler dev', () => {
  it('answers a burst of wrong codes from one client with 429 and Retry-After, and not another client', async () => {
    // Cloudflare sets CF-Connecting-IP; locally a test may pick one, so no other test is blocked.
    const as = (ip: string) => ({ headers: { 'cf-connecting-ip': ip } });
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await fetch(`${base}/api/labs/ZZZZZ${'ABCDEFGHJK'[i % 10]}`, as('10.99.0.1'))).status);
    // FAILURE_LIMITER: 20 per 10 s window (aligned to the clock, so a burst may span two windows).
    const first = statuses.indexOf(429);
    expect(first).toBeGreaterThanOrEqual(20);
    expect(first).toBeLessThanOrEqual(40);
    expect(statuses.slice(0, first).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(first).every((s) => s === 429)).toBe(true);
    const blocked = await fetch(`${base}/api/labs/ZZZZZZ`, as('10.99.0.1'));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${base}/api/labs/ZZZZZZ`, as('10.99.0.2'))).status).toBe(404);
  });
});

describe('kicks end the connection', () => {
  it('sends the close frame with a reason, then ends the TCP connection once the client answers, in a running lab', async () => {
    const lab = await newLab({ scenario: 'three-node-isolation', teams: 1 });
    expect((await api(`/api/labs/${lab.code}/teacher/start`, lab.secret, {})).status).toBe(200);
    const j = await api(`/api/labs/${lab.code}/join`, null, { name: 'Raw' });
    const raw = await openRaw(base, `/ws/labs/${lab.code}/student?token=${encodeURIComponent(j.data.token)}`);
    expect(await until(() => raw.texts.some((t) => t.includes('"welcome"')), 5000)).toBe(true);
    expect((await api(`/api/labs/${lab.code}/teacher/kick`, lab.secret, { seatId: j.data.seat.seatId })).status).toBe(200);
    expect(await until(() => raw.closeFrame !== null, 5000)).toBe(true);
    expect(raw.closeFrame!.code).toBe(1008);
    expect(raw.closeFrame!.reason).toMatch(/removed by the teacher/);
    expect(raw.texts.some((t) => t.includes('"kicked"'))).toBe(true);
    // The client answers the close, as a browser does: the server closes TCP (FIN) right away,
    // although the lab keeps ticking.
    raw.send(8, Buffer.from([0x03, 0xe8]));
    expect(await until(() => raw.ended, 3000)).toBe(true);
    raw.socket.destroy();
  });
});

describe('allow back', () => {
  it('a kicked name is refused until the teacher presses "Réadmettre" in the roster', async () => {
    const lab = await newLab({ scenario: 'three-node-isolation', teams: 1 });
    expect((await api(`/api/labs/${lab.code}/join`, null, { name: 'Bob' })).status).toBe(201);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('dialog', (d) => void (d.type() === 'confirm' ? d.accept() : d.dismiss()));
    await page.goto(`${base}/teacher.html?code=${lab.code}#secret=${encodeURIComponent(lab.secret)}`);
    await page.locator('#dash').waitFor({ state: 'visible' });
    await page.click('#tab-roster'); // the roster has its own tab
    await page.locator('#roster button', { hasText: 'Retirer' }).click();
    const allow = page.locator('#roster button', { hasText: 'Réadmettre' });
    await expect.poll(() => allow.count(), { timeout: 20_000 }).toBe(1);
    const refused = await api(`/api/labs/${lab.code}/join`, null, { name: 'bob' });
    expect([refused.status, refused.data.error.code]).toEqual([403, 'kicked']);
    await allow.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => allow.count(), { timeout: 20_000 }).toBe(0);
    expect((await api(`/api/labs/${lab.code}/join`, null, { name: 'bob' })).status).toBe(201);
    await page.close();
  });
});
