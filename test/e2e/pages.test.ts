// Every page, checked as a whole: axe-core finds no serious or critical violation, and a page
// speaks the browser's language only (en-US → English, fr-FR → French), with no fragment of the
// other one in its visible text. Screenshots at laptop and phone sizes in both languages go to .tmp/.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { api, axe, base, browser, joinLab, LAPTOP, newLab, PHONE, SHOTS as shots, useBrowser } from './support';

useBrowser();

/** Words that only one language uses: a French page must show none of the English ones, and back. */
const words = (list: string) => new RegExp(`(?<![\\p{L}])(${list})(?![\\p{L}])`, 'iu');
const ENGLISH = words('the|and|your|you|with|team|teams|node|nodes|waiting|running|connected|disconnected|heard|member|joined|ended|settings|booted|self-fence|expired|closed|yes|no|time left');
const FRENCH = words('le|la|les|des|du|votre|vous|avec|équipe|équipes|nœud|nœuds|attente|connecté|déconnecté|entendu|terminé|réglages|oui|non|sans|pour|élève|élèves|temps');

/** The visible text of the page, minus what is not words of the UI (terminal output is the CLI's,
 * the language switch names the other language on purpose, codes and node names are neutral). */
function visibleWords(page: Page): Promise<string> {
  return page.evaluate(() => {
    const skip = document.querySelectorAll('#terminal-out, #lang-toggle, .mono, .t-mono, code, kbd, script, style');
    skip.forEach((s) => s.setAttribute('data-skip-text', ''));
    const style = document.createElement('style');
    style.textContent = '[data-skip-text] { display: none !important; }';
    document.head.append(style);
    const text = document.body.innerText;
    style.remove();
    skip.forEach((s) => s.removeAttribute('data-skip-text'));
    return text;
  });
}

function leaks(text: string, other: RegExp): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    // The report's own language switch names the other language on purpose.
    .filter((l) => l && l !== 'Français' && l !== 'English' && other.test(l));
}

interface Lab {
  code: string;
  secret: string;
  token: string;
  seat: any;
}

async function runningLab(): Promise<Lab> {
  const { code, secret } = await newLab({ teams: 2, voteMode: 'human' });
  const joined = await joinLab(code, 'Zoé');
  expect((await api(`/api/labs/${code}/teacher/start`, secret, {})).status).toBe(200);
  return { code, secret, token: joined.token, seat: joined.seat };
}

async function ctxFor(lab: Lab | null, viewport: { width: number; height: number }, locale: string): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport, locale, bypassCSP: true });
  if (lab)
    await ctx.addInitScript(
      ([key, value]) => {
        if (!localStorage.getItem(key!)) localStorage.setItem(key!, value!);
      },
      [`quorum-lab:${lab.code}`, JSON.stringify({ token: lab.token, seat: lab.seat })],
    );
  return ctx;
}

/** Each page of the app, ready to be looked at. */
function pages(lab: Lab, lang: 'fr' | 'en'): { name: string; url: string; ready: (p: Page) => Promise<unknown> }[] {
  const secret = encodeURIComponent(lab.secret);
  return [
    { name: 'landing', url: '/', ready: (p) => p.locator('main').waitFor() },
    { name: 'join', url: `/join.html?code=${lab.code}`, ready: (p) => p.locator('#lobby:not([hidden])').waitFor() },
    { name: 'node', url: `/node.html?code=${lab.code}`, ready: (p) => p.waitForFunction(() => document.getElementById('quorum-card')?.dataset.quorate === 'yes', undefined, { timeout: 30_000 }) },
    { name: 'teacher-new', url: '/teacher.html', ready: (p) => p.locator('#scenario option').first().waitFor({ state: 'attached' }) },
    { name: 'teacher-dash', url: `/teacher.html?code=${lab.code}#secret=${secret}`, ready: (p) => p.locator('[data-team="1"] .t-node').first().waitFor() },
    { name: 'teacher-secret', url: `/teacher.html?code=${lab.code}`, ready: (p) => p.locator('#need-secret:not([hidden])').waitFor() },
    { name: 'report', url: `/api/labs/${lab.code}/report?secret=${secret}&lang=${lang}`, ready: (p) => p.locator('h1').first().waitFor() },
  ];
}

describe('every page', () => {
  it('has no serious or critical axe-core violation (French on a laptop, English on a phone)', { timeout: 420_000 }, async () => {
    const lab = await runningLab();
    const found: string[] = [];
    for (const [lang, size, viewport] of [['fr', 'laptop', LAPTOP], ['en', 'phone', PHONE], ['fr', 'phone', PHONE]] as const) {
      const ctx = await ctxFor(lab, viewport, lang === 'fr' ? 'fr-FR' : 'en-US');
      for (const pg of pages(lab, lang)) {
        const page = await ctx.newPage();
        await page.goto(`${base}${pg.url}`);
        await pg.ready(page);
        found.push(...(await axe(page)).map((v) => `${pg.name} (${lang}, ${size}): ${v}`));
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (wide > 0 && pg.name !== 'report') found.push(`${pg.name} (${lang}, ${size}): ${wide}px wider than the window`);
        await page.screenshot({ path: join(shots, `page-${pg.name}-${lang}-${size}.png`), fullPage: true });
        await page.close();
      }
      await ctx.close();
    }
    // The ended dashboard (its reports card) too.
    expect((await api(`/api/labs/${lab.code}/teacher/end`, lab.secret, {})).status).toBe(200);
    const ctx = await ctxFor(null, PHONE, 'fr-FR');
    const page = await ctx.newPage();
    await page.goto(`${base}/teacher.html?code=${lab.code}#secret=${encodeURIComponent(lab.secret)}`);
    await page.locator('#reports').waitFor();
    found.push(...(await axe(page)).map((v) => `teacher-ended: ${v}`));
    await page.screenshot({ path: join(shots, 'page-teacher-ended-fr-phone.png'), fullPage: true });
    await ctx.close();
    expect(found).toEqual([]);
  });

  for (const [locale, lang, other, otherName] of [
    ['en-US', 'en', FRENCH, 'French'],
    ['fr-FR', 'fr', ENGLISH, 'English'],
  ] as const)
    it(`a ${locale} browser gets ${lang === 'en' ? 'English' : 'French'} with no ${otherName} fragment (node page, dashboard, report)`, { timeout: 120_000 }, async () => {
      const lab = await runningLab();
      const ctx = await ctxFor(lab, LAPTOP, locale);
      const found: string[] = [];
      for (const pg of pages(lab, lang).filter((p) => ['node', 'teacher-dash', 'report'].includes(p.name))) {
        const page = await ctx.newPage();
        await page.goto(`${base}${pg.url}`);
        await pg.ready(page);
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        await page.waitForTimeout(1500); // live frames fill the page
        found.push(...leaks(await visibleWords(page), other).map((l) => `${pg.name}: ${l}`));
        await page.close();
      }
      await ctx.close();
      expect(found).toEqual([]);
    });
});
