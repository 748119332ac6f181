// A class run without help (issue 10), in a real browser at laptop and phone sizes: the teacher
// gets any lab back with the instructor key and reaches the reports once it ends; a fencing vote
// reaches a student who is typing without taking their keyboard; a reload loses nothing; every
// page passes axe-core; each page speaks one language, the browser's.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { api, axe, base, browser, LAPTOP, newLab, PHONE, SHOTS as shots, teacherKey as KEY, useBrowser } from './support';

const LIVE = { timeout: 45_000, intervals: [250, 500, 1000] };

useBrowser();

async function context(viewport: { width: number; height: number }, locale = 'fr-FR'): Promise<BrowserContext> {
  // bypassCSP: axe is injected by the test, never by the app.
  return browser.newContext({ viewport, locale, bypassCSP: true });
}

/** Joins through the form (name only) and waits for the node console. */
async function joinAs(ctx: BrowserContext, code: string, name: string): Promise<Page> {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(`${base}/join.html?code=${code}`);
  await page.fill('#name', name);
  await page.click('#join-btn');
  await page.waitForURL(/\/node(\.html)?\?code=/, { timeout: 15_000 });
  await page.waitForFunction(() => /^pve\d$/.test(document.getElementById('node-name')?.textContent ?? ''), undefined, { timeout: 20_000 });
  return page;
}

/** Nothing wider than the window (a phone must never scroll sideways). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('teacher control from anywhere', () => {
  for (const [size, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const)
    it(`reopens a running lab from a fresh browser with the key, controls it and reaches the reports (${size})`, { timeout: 150_000 }, async () => {
      const { code } = await newLab({ teams: 2 });
      const student = await api(`/api/labs/${code}/join`, null, { name: 'Lou' });
      expect(student.status).toBe(201);
      const ctx = await context(viewport);
      const page = await ctx.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.accept();
      });
      // A browser that never saw the lab: the key lists the labs and opens this one.
      await page.goto(`${base}/teacher.html`);
      await page.fill('#key', KEY);
      await page.click('#labs-refresh');
      const row = page.locator('#labs tr', { hasText: code });
      await expect.poll(() => row.count(), LIVE).toBe(1);
      await row.locator('a[data-open]').click();
      await page.locator('#dash').waitFor({ state: 'visible' });
      expect(await page.locator('#join-code').innerText()).toBe(code);
      expect(page.url()).not.toContain('secret');
      // The lobby panel names the student as soon as they joined.
      await expect.poll(() => page.locator('[data-team="1"] [data-node="pve1"] .t-student').count(), LIVE).toBe(1);
      // The teacher link to continue elsewhere, with its QR code; it works in yet another browser.
      await page.locator('#teacher-access > summary').click();
      const link = await page.locator('#teacher-link').inputValue();
      expect(link).toMatch(new RegExp(`/teacher\\.html\\?code=${code}#secret=`));
      expect(await page.locator('#teacher-access svg path').count()).toBe(1);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(shots, `class-teacher-reopened-${size}.png`), fullPage: size === 'phone' });

      // Control: start, then end (confirmed).
      await page.click('[data-action="start"]');
      await expect.poll(() => page.locator('#lab-status [data-status]').getAttribute('data-status'), LIVE).toBe('running');
      const other = await context(viewport);
      const second = await other.newPage();
      await second.goto(link);
      await second.locator('#dash').waitFor({ state: 'visible' });
      await expect.poll(() => second.locator('#lab-status [data-status]').getAttribute('data-status'), LIVE).toBe('running');
      await other.close();

      await page.click('[data-action="end"]');
      await expect.poll(() => page.locator('#lab-status [data-status]').getAttribute('data-status'), LIVE).toBe('ended');
      expect(dialogs).toHaveLength(1);
      // An ended lab looks ended: no fault consoles, no "live", no "joining open"; the reports instead.
      await page.locator('#reports').waitFor({ state: 'visible' });
      expect(await page.locator('#all-faults-card').isVisible()).toBe(false);
      expect(await page.locator('.t-team-faults:visible').count()).toBe(0);
      expect(await page.locator('#lab-lock').innerText()).toMatch(/inscriptions closes/);
      await expect.poll(async () => (await page.locator('.t-conn').allInnerTexts()).map((t) => t.replace(/\W*\n/, '')), LIVE).toEqual(['terminé', 'terminé']);
      expect(await page.locator('[data-action]:visible').count()).toBe(0);
      const href = await page.locator('#reports a', { hasText: 'Rapport du lab' }).getAttribute('href');
      const report = await ctx.newPage();
      const res = await report.goto(`${base}${href}`);
      expect(res?.status()).toBe(200);
      expect(await report.locator('h1').first().innerText()).toBeTruthy();
      expect(await page.locator('#reports a', { hasText: 'Notes (CSV)' }).count()).toBe(1);
      expect(await page.locator('#reports .t-student-reports a').count()).toBe(1);
      expect(await page.locator('#same-settings').getAttribute('href')).toBe(`/teacher.html?from=${code}`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(shots, `class-teacher-ended-${size}.png`), fullPage: size === 'phone' });

      // "New lab from the same settings" fills the form; the labs list links the past lab's report.
      await page.click('#same-settings');
      await expect.poll(() => page.locator('#teams').inputValue(), LIVE).toBe('2');
      expect(await page.locator('#timeline').isChecked()).toBe(false);
      await page.click('#labs-refresh');
      await expect.poll(() => page.locator('#labs tr', { hasText: code }).locator('a[data-report]').count(), LIVE).toBe(1);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await ctx.close();
    });
});

describe('votes no one can miss', () => {
  it('a vote appears while the student types: the line stays intact, Alt+O answers, a reload keeps terminal and journal', { timeout: 180_000 }, async () => {
    const { code, secret } = await newLab({ teams: 1, voteMode: 'human' });
    const ctx = await context(LAPTOP);
    const page = await joinAs(ctx, code, 'Ana');
    expect(await page.locator('#node-name').innerText()).toBe('pve1');
    expect((await api(`/api/labs/${code}/teacher/start`, secret, {})).status).toBe(200);
    await page.waitForFunction(() => document.getElementById('quorum-card')?.dataset.quorate === 'yes', undefined, { timeout: 30_000 });

    // A command first, so the terminal has a past to restore.
    await page.click('#terminal-input');
    await page.keyboard.type('pvecm status');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#terminal-out').innerText(), LIVE).toMatch(/Quorum information/);

    // The student starts typing; pve3 loses power; the prompt shows up without taking the keyboard.
    await page.keyboard.type('ha-manager sta');
    expect((await api(`/api/labs/${code}/teacher/faults`, secret, { fault: { kind: 'power', node: 'pve3', action: 'off' } })).status).toBe(200);
    await page.locator('.prompt[data-vote]').waitFor({ state: 'visible', timeout: 60_000 });
    const prompt = page.locator(`.prompt[data-vote="${await page.locator('.prompt[data-vote]').first().getAttribute('data-vote')}"]`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('terminal-input');
    expect(await prompt.innerText()).toMatch(/clôturer \(fence\) pve3/);
    expect(await prompt.innerText()).toMatch(/Temps restant :\s*\d+ s/);
    expect(await page.locator('#prompt-live').textContent()).toMatch(/Vote demandé : clôturer pve3/);
    // Pinned: the bar is in view even with the page scrolled down.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const box = await prompt.boundingBox();
    expect(box && box.y >= -1 && box.y < LAPTOP.height).toBe(true);
    await page.screenshot({ path: join(shots, 'class-vote-laptop.png') });
    await page.keyboard.type('tus');
    expect(await page.locator('#terminal-input').inputValue()).toBe('ha-manager status');

    // Alt+O answers yes; nothing is typed into the line.
    await page.keyboard.press('Alt+KeyO');
    await expect.poll(() => prompt.locator('.prompt-result').innerText(), LIVE).toMatch(/Vote envoyé : oui/);
    expect(await page.locator('#terminal-input').inputValue()).toBe('ha-manager status');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('terminal-input');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#terminal-out').innerText(), LIVE).toMatch(/vm:\d+/);
    await expect.poll(() => page.locator('#journal').innerText(), LIVE).toMatch(/pve1 a voté oui/);
    // The answered prompt goes away by itself.
    await expect.poll(() => prompt.count(), LIVE).toBe(0);

    // A reload loses nothing: the terminal and the journal come back from the server.
    await page.reload();
    await page.waitForFunction(() => document.getElementById('node-name')?.textContent === 'pve1', undefined, { timeout: 20_000 });
    await expect.poll(() => page.locator('#terminal-out').innerText(), LIVE).toMatch(/historique restauré/);
    const term = await page.locator('#terminal-out').innerText();
    expect(term).toMatch(/pvecm status[\s\S]*Quorum information/);
    expect(term).toMatch(/ha-manager status/);
    const journal = await page.locator('#journal').innerText();
    expect(journal).toMatch(/pve1 a voté oui/);
    expect(journal).toMatch(/pve3/);
    await page.screenshot({ path: join(shots, 'class-reloaded-laptop.png'), fullPage: true });
    await ctx.close();
  });

  it('on a phone the vote is a bottom sheet, answered by its button; an unanswered vote says it expired', { timeout: 180_000 }, async () => {
    const { code, secret } = await newLab({ teams: 1, voteMode: 'human' });
    const ctx = await context(PHONE);
    const page = await joinAs(ctx, code, 'Bo');
    expect((await api(`/api/labs/${code}/teacher/start`, secret, {})).status).toBe(200);
    await page.waitForFunction(() => document.getElementById('quorum-card')?.dataset.quorate === 'yes', undefined, { timeout: 30_000 });
    expect((await api(`/api/labs/${code}/teacher/faults`, secret, { fault: { kind: 'power', node: 'pve3', action: 'off' } })).status).toBe(200);
    await page.locator('.prompt[data-vote]').waitFor({ state: 'visible', timeout: 60_000 });
    // The first vote; once it expires unanswered, the engine asks again with a new one.
    const prompt = page.locator(`.prompt[data-vote="${await page.locator('.prompt[data-vote]').first().getAttribute('data-vote')}"]`);
    const box = (await prompt.boundingBox())!;
    expect(box.y + box.height).toBeGreaterThan(PHONE.height - 20); // docked at the bottom
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(shots, 'class-vote-phone.png') });
    // Nobody answers: the prompt says the vote counted as an abstention, then leaves.
    await expect.poll(() => prompt.locator('.prompt-result').innerText(), { timeout: 90_000, interval: 1000 }).toMatch(/Temps écoulé|clos sans votre réponse/);
    await page.screenshot({ path: join(shots, 'class-vote-expired-phone.png') });
    await expect.poll(() => prompt.count(), LIVE).toBe(0);
    await ctx.close();
  });
});
