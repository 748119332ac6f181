// The projector on a second device, driven from the dashboard: each mode in a real browser
// (lobby, live, question with its reveal, podium), at 1920×1080 and 390×844.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api, base, browser, joinLab, newLab, SHOTS as shots, useBrowser } from './support';

const WAIT = { timeout: 30_000, polling: 250 };

useBrowser();

async function shoot(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: join(shots, `projector-${name}-1920.png`) });
  await p.setViewportSize({ width: 390, height: 844 });
  await p.waitForTimeout(300);
  expect(await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), name).toBeLessThanOrEqual(0);
  await p.screenshot({ path: join(shots, `projector-${name}-390.png`), fullPage: true });
  await p.setViewportSize({ width: 1920, height: 1080 });
}

describe('the projector', () => {
  it('follows the mode the dashboard picks: lobby, live, question and reveal, podium', { timeout: 150_000 }, async () => {
    const { code, secret: teacherSecret } = await newLab({ scenario: 'three-node-isolation', teams: 2 });
    const dash = await (await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'fr-FR' })).newPage();
    const errors: string[] = [];
    dash.on('pageerror', (e) => errors.push(String(e)));
    await dash.goto(`${base}/teacher.html?code=${code}#secret=${teacherSecret}`);
    await dash.waitForFunction(() => !!document.querySelector('#projector-link[href]'), undefined, WAIT);
    const path = await dash.locator('#projector-link').getAttribute('href');
    expect(path).toMatch(/^\/projector\.html\?code=\w{6}#key=[0-9a-f]{32}$/);
    expect(await dash.locator('#projector-mode-lobby').isChecked()).toBe(true);

    // Second device: the projector link alone.
    const pj = await (await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'fr-FR' })).newPage();
    pj.on('pageerror', (e) => errors.push(String(e)));
    await pj.goto(`${base}${path}`);
    await pj.waitForFunction(() => document.body.dataset.mode === 'lobby', undefined, WAIT);
    expect(pj.url()).not.toContain('key=');
    expect(await pj.locator('.pj-code').innerText()).toBe(code);
    // Names appear as students join, with a count per team.
    await joinLab(code, 'Alice', 1);
    await joinLab(code, 'Bruno <b>', 2);
    await pj.waitForFunction(() => document.querySelectorAll('.pj-team li').length === 2, undefined, WAIT);
    expect(await pj.locator('.pj-team[data-team="2"]').innerText()).toMatch(/(ÉQUIPE|Équipe) 2 \(1\)[\s\S]*Bruno <b>/i);
    await shoot(pj, 'lobby');

    // Live: every team drawn, its quorum, incidents, clock and next fault.
    expect((await api(`/api/labs/${code}/teacher/start`, teacherSecret, {})).status).toBe(200);
    await dash.check('#projector-mode-live');
    await pj.waitForFunction(() => document.body.dataset.mode === 'live' && document.querySelectorAll('.pj-team .topo-node').length === 6, undefined, WAIT);
    expect(await pj.locator('.pj-team[data-team="1"] [data-quorum]').getAttribute('data-quorum')).toBe('ok');
    expect(await pj.locator('.pj-team[data-team="1"]').innerText()).toMatch(/aucun incident[\s\S]*t=\d+:\d\d/i);
    expect((await api(`/api/labs/${code}/teacher/faults`, teacherSecret, { team: 1, fault: { kind: 'isolate', node: 'pve3' } })).status).toBe(200);
    await pj.waitForFunction(() => document.querySelector('.pj-team[data-team="1"] [data-quorum]')?.getAttribute('data-quorum') === 'split', undefined, { timeout: 60_000, polling: 500 });
    await shoot(pj, 'live');

    // Question: the open checkpoint and answers per team, then the reveal once it closes.
    await dash.check('#projector-mode-question');
    expect((await api(`/api/labs/${code}/teacher/checkpoint`, teacherSecret, { action: 'open' })).status).toBe(200);
    await pj.waitForFunction(() => document.querySelector('.pj-bars')?.getAttribute('data-phase') === 'answers', undefined, WAIT);
    expect(await pj.locator('.pj-q-title').innerText()).toMatch(/question/i);
    expect(await pj.locator('.pj-bar-row[data-team="1"]').getAttribute('data-count')).toMatch(/^0\/\d+$/);
    await shoot(pj, 'question');
    expect((await api(`/api/labs/${code}/teacher/checkpoint`, teacherSecret, { action: 'close' })).status).toBe(200);
    await pj.waitForFunction(() => document.querySelector('.pj-bars')?.getAttribute('data-phase') === 'reveal', undefined, { timeout: 40_000, polling: 500 });
    expect(await pj.locator('.pj-bar-row').count()).toBe(2);
    await shoot(pj, 'reveal');

    // Podium at the end.
    expect((await api(`/api/labs/${code}/teacher/end`, teacherSecret, {})).status).toBe(200);
    await dash.check('#projector-mode-podium');
    await pj.waitForFunction(() => document.querySelectorAll('.pj-podium li').length === 2, undefined, WAIT);
    await shoot(pj, 'podium');
    expect(errors).toEqual([]);
  });
});
