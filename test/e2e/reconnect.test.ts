// A node page whose socket drops (Wi-Fi blip) reconnects by itself and asks only for what it has
// not seen (`resume=<team>.<last event>`): it keeps its terminal and journal, and the events of
// the blip reach its journal. Real browser, real wrangler dev.
import { describe, expect, it } from 'vitest';
import { api, base, browser, joinLab, LAPTOP, newLab, useBrowser, watchErrors } from './support';

const WAIT = { timeout: 30_000, polling: 250 };

useBrowser();

describe('a dropped socket', () => {
  it('comes back with resume=<team>.<seq>, a short backlog, the terminal and journal kept, the events since shown', { timeout: 120_000 }, async () => {
    const { code, secret } = await newLab();
    expect((await api(`/api/labs/${code}/teacher/start`, secret, {})).status).toBe(200);
    const joined = await joinLab(code, 'Ana');
    const context = await browser.newContext({ viewport: LAPTOP, locale: 'fr-FR' });
    await context.addInitScript(
      ([key, value]) => {
        if (!localStorage.getItem(key!)) localStorage.setItem(key!, value!);
        // Keep every socket the page opens, and the welcomes it receives (the test drops one).
        const Native = window.WebSocket;
        const w = window as unknown as { sockets: WebSocket[]; welcomes: { url: string; backlog: any }[] };
        w.sockets = [];
        w.welcomes = [];
        window.WebSocket = class extends Native {
          constructor(url: string | URL, protocols?: string | string[]) {
            super(url, protocols);
            w.sockets.push(this);
            this.addEventListener('message', (e) => {
              const m = JSON.parse(String(e.data));
              if (m.type === 'welcome') w.welcomes.push({ url: String(url), backlog: m.backlog });
            });
          }
        };
      },
      [`quorum-lab:${code}`, JSON.stringify({ token: joined.token, seat: joined.seat })],
    );
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${base}/node.html?code=${code}`);
    await page.waitForFunction(() => document.getElementById('quorum-card')?.dataset.quorate === 'yes', undefined, WAIT);
    await page.fill('#terminal-input', 'pvecm status');
    await page.press('#terminal-input', 'Enter');
    await page.waitForFunction(() => document.getElementById('terminal-out')!.textContent!.includes('Quorum information'), undefined, WAIT);
    // pve3 loses power: the journal says so (the page now has events).
    expect((await api(`/api/labs/${code}/teacher/faults`, secret, { fault: { kind: 'power', node: 'pve3', action: 'off' } })).status).toBe(200);
    await page.waitForFunction(() => /pve3/.test(document.getElementById('journal')!.textContent!), undefined, WAIT);
    const pve3Lines = () => page.locator('#journal li', { hasText: 'pve3' }).count();
    const before = await pve3Lines();

    // The socket drops; while the page is away, pve3 is powered on again and boots.
    await page.evaluate(() => (window as unknown as { sockets: WebSocket[] }).sockets.at(-1)!.close());
    expect((await api(`/api/labs/${code}/teacher/faults`, secret, { fault: { kind: 'power', node: 'pve3', action: 'on' } })).status).toBe(200);
    await page.waitForFunction(() => (window as unknown as { welcomes: unknown[] }).welcomes.length === 2, undefined, WAIT);
    const [first, second] = await page.evaluate(() => (window as unknown as { welcomes: { url: string; backlog: any }[] }).welcomes);
    expect(first!.url).not.toContain('resume=');
    const resume = /[?&]resume=1\.(\d+)/.exec(second!.url);
    expect(resume).not.toBeNull();
    // Its resume point is the last event it had: the welcome brings only later ones, no terminal.
    expect(Number(resume![1])).toBeGreaterThan(0);
    expect(second!.backlog.terminal).toEqual([]);
    expect(second!.backlog.journal.every((e: { seq: number }) => e.seq > Number(resume![1]))).toBe(true);

    // The page kept its terminal and journal, says it is back, and tells what pve3 did since.
    await page.waitForFunction(() => document.getElementById('journal')!.textContent!.includes('Reconnecté'), undefined, WAIT);
    expect(await page.locator('#terminal-out').innerText()).toContain('Quorum information');
    await expect.poll(pve3Lines, WAIT).toBeGreaterThan(before);
    expect(errors).toEqual([]);
    await context.close();
  });
});
