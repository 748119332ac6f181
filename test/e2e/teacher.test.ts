// The teacher dashboard in a real browser: create a lab from the form, start it, see a student
// (with a hostile name) in the roster, watch team 1 live, isolate a node from the UI, heal.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api, base, browser, joinLab, newLab, SHOTS, teacherKey, useBrowser } from './support';

// Real time: wrangler dev ticks once a second and a silent peer is dropped after 10 s (course
// timing), so membership changes take ~10–15 s. Waits are generous; nothing here times the app.
const LIVE = { timeout: 40_000, intervals: [250, 500, 1000] };

useBrowser();

/**
 * A student's browser tab reduced to its heartbeat: a student socket pinging every second, opened
 * again when it drops (wrangler dev restarts the worker when files change under it).
 */
async function studentTab(base: string, code: string, token: string): Promise<Page> {
  const page = await browser.newPage({ locale: 'fr-FR' });
  await page.goto(`${base}/`);
  await page.evaluate(
    ({ code, token }) => {
      const open = () => {
        const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws/labs/${code}/student?token=${encodeURIComponent(token)}`);
        const timer = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), 1000);
        ws.onclose = () => {
          clearInterval(timer);
          setTimeout(open, 500);
        };
      };
      open();
    },
    { code, token },
  );
  return page;
}

describe('teacher dashboard', () => {
  it('shows each team’s next scheduled faults and the open votes with their quorum', async () => {
    const { code, secret: teacherSecret } = await newLab({ teams: 1, voteMode: 'human', timeline: true });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
    await page.goto(`${base}/teacher.html?code=${code}#secret=${encodeURIComponent(teacherSecret)}`);
    const panel = page.locator('[data-team="1"]');
    // The scenario's timeline: pve3 loses power at t=1:00, comes back at t=4:00.
    await expect.poll(() => panel.locator('.t-upcoming li').count(), LIVE).toBe(2);
    expect(await panel.locator('.t-upcoming li').first().innerText()).toMatch(/t=1:00 \(dans 60 s\) pve3 : coupure de courant — Panne de courant : pve3 s'éteint brutalement\./);
    // The all-teams console lists the scenario's own node names.
    expect(await page.locator('#all-faults-body select').first().locator('option').allTextContents()).toEqual(['pve1', 'pve2', 'pve3']);

    // Human votes: a student holds pve1 (and does not vote), pve3 loses power; pve2's autopilot
    // says yes at once, so the vote stays open, showing its quorum.
    const student = await studentTab(base, code, (await joinLab(code, 'Noa')).token);
    expect((await api(`/api/labs/${code}/teacher/start`, teacherSecret, {})).status).toBe(200);
    await api(`/api/labs/${code}/teacher/faults`, teacherSecret, { fault: { kind: 'power', node: 'pve3', action: 'off' } });
    await expect.poll(() => panel.locator('.t-votes li').count(), { timeout: 45_000, interval: 500 }).toBeGreaterThan(0);
    expect(await panel.locator('.t-votes li').first().innerText()).toMatch(/clôturer pve3 \? \d oui, quorum 2/);
    await page.evaluate(() => document.querySelector('[data-team="1"] .t-votes')?.scrollIntoView());
    await page.screenshot({ path: join(SHOTS, 'teacher-vote-upcoming.png') });
    await student.close();
    await page.close();
  }, 90_000);

  it('creates a lab, starts it, lists a student literally, isolates pve1 from the UI and heals', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
    try {
      await scenario(page);
    } catch (err) {
      await page.screenshot({ path: join(SHOTS, 'teacher-failure.png'), fullPage: true }).catch(() => {});
      throw err;
    }
    await page.close();
  }, 180_000);
});

async function scenario(page: Page): Promise<void> {
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      // Only the kick confirmation is expected (and accepted); anything else is a bug.
      void (d.type() === 'confirm' && d.message().startsWith('Retirer') ? d.accept() : d.dismiss());
    });

    // ---- the new-lab form
    await page.goto(`${base}/teacher.html`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.locator('#scenario option[value="three-node-power-loss"]').waitFor({ state: 'attached' });
    await page.fill('#key', teacherKey);
    await page.selectOption('#scenario', 'three-node-power-loss');
    await expect.poll(() => page.locator('#scenario-about').innerText()).toMatch(/pve3/);
    await page.fill('#teams', '2');
    await page.uncheck('#timeline');
    await page.screenshot({ path: join(SHOTS, 'teacher-new-lab.png'), fullPage: true });
    await page.click('#create-lab');

    // ---- the dashboard
    await page.waitForURL(/code=[A-HJ-NP-Z2-9]{6}/);
    await page.locator('#dash').waitFor({ state: 'visible' });
    const code = (await page.locator('#join-code').innerText()).trim();
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    expect(new URL(page.url()).searchParams.get('code')).toBe(code);
    // The secret left the address bar (it would show on the projector) and never was in the query.
    expect(page.url()).not.toContain('secret');
    expect(await page.locator('#join-url').innerText()).toContain(`/join.html?code=${code}`);
    expect(await page.locator('#join-qr svg path').count()).toBe(1);
    await expect.poll(() => page.locator('[data-team]').count()).toBe(2);

    // ---- start
    await page.click('[data-action="start"]');
    await expect.poll(() => page.locator('#lab-status [data-status]').getAttribute('data-status')).toBe('running');
    expect(await page.locator('[data-action="start"]').isDisabled()).toBe(true);

    // ---- a student with a hostile name joins team 1 over HTTP
    const name = '<img src=x onerror=alert(1)>';
    const joined = await joinLab(code, name, 1);
    expect(joined.seat).toMatchObject({ team: 1, node: 'pve1' });
    const student = await studentTab(base, code, joined.token);

    await expect.poll(() => page.locator('#roster td.t-name').allInnerTexts(), LIVE).toEqual([name]);
    expect(await page.locator('#roster img, [data-team] img').count()).toBe(0);
    // The name also shows on its node box, still as text.
    const panel = page.locator('[data-team="1"]');
    await expect.poll(() => panel.locator('[data-node="pve1"] .t-student').innerText(), LIVE).toBe(name);

    // ---- team 1: one partition, three quorate nodes
    await expect.poll(() => panel.locator('.t-part-q .t-node-q').count(), LIVE).toBe(3);
    expect(await panel.locator('[data-partition]').count()).toBe(1);

    // ---- isolate pve1 from team 1's fault console
    await panel.locator('.t-team-faults > summary').click();
    await panel.locator('select[data-control="isolate-node"]').selectOption('pve1');
    await panel.locator('button[data-fault="isolate"]').click();
    await expect.poll(() => page.locator('#toast').innerText()).toMatch(/pve1/);

    await expect.poll(() => panel.locator('[data-partition]').count(), LIVE).toBe(2);
    await expect.poll(() => panel.locator('[data-node="pve1"]').getAttribute('class'), LIVE).toContain('t-node-nq');
    expect(await panel.locator('[data-node="pve1"]').innerText()).toMatch(/non quorate/);
    expect(await panel.locator('[data-node="pve2"]').getAttribute('class')).toContain('t-node-q');
    expect(await panel.locator('.t-links').innerText()).toMatch(/pve1 ↔ pve2/);
    // The feed tells the story: the fault, then pve1 losing quorum.
    await expect.poll(() => page.locator('#feed').innerText(), LIVE).toMatch(/pve1 isolé du réseau/);
    await expect.poll(() => page.locator('#feed').innerText(), LIVE).toMatch(/pve1 perd le quorum/);

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'teacher-dashboard-top.png') });
    // One atomic step: the live view is rebuilt every simulated second (a locator may go stale).
    await page.evaluate(() => document.querySelector('[data-team="1"] .t-partitions')?.scrollIntoView());
    await page.screenshot({ path: join(SHOTS, 'teacher-dashboard.png') });
    await page.screenshot({ path: join(SHOTS, 'teacher-dashboard-full.png'), fullPage: true });

    // ---- English, then the projector view
    await page.click('#lang-toggle');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#teams-title').innerText()).toBe('Teams');
    expect(await panel.locator('[data-node="pve1"]').innerText()).toMatch(/not quorate/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'teacher-dashboard-en.png') });
    await page.click('#lang-toggle');
    await page.click('#projector-open');
    await page.locator('#projector').waitFor({ state: 'visible' });
    expect(await page.locator('#proj-code').innerText()).toBe(code);
    await expect.poll(() => page.locator('#proj-board li').count()).toBe(2);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('projector-close');
    await page.screenshot({ path: join(SHOTS, 'teacher-projector.png') });
    await page.keyboard.press('Escape');
    await page.locator('#projector').waitFor({ state: 'hidden' });

    // ---- heal team 1: one quorate partition again
    await panel.locator('button[data-fault="heal"]').click();
    await expect.poll(() => panel.locator('[data-partition]').count(), LIVE).toBe(1);
    await expect.poll(() => panel.locator('.t-node-q').count(), LIVE).toBe(3);
    await expect.poll(() => page.locator('#feed').innerText(), LIVE).toMatch(/réseau réparé/);

    // ---- a reload keeps the story: each team socket's backlog refills the feed, each line once
    await page.reload();
    await page.locator('#dash').waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('#feed').innerText(), LIVE).toMatch(/pve1 isolé du réseau/);
    expect(await page.locator('#feed li', { hasText: 'pve1 isolé du réseau' }).count()).toBe(1);
    expect(await page.locator('#feed').innerText()).toMatch(/pve1 perd le quorum/);
    expect(await page.locator('#feed').innerText()).toMatch(/réseau réparé/);
    await page.screenshot({ path: join(SHOTS, 'teacher-reloaded.png') });

    // ---- lock joining: a newcomer is refused; unlock again
    await page.click('#lock-toggle');
    await expect.poll(() => page.locator('#lab-lock').innerText()).toMatch(/verrouillées/);
    const refused = await api(`/api/labs/${code}/join`, null, { name: 'late' });
    expect(refused.status).toBe(423);
    await page.click('#lock-toggle');
    await expect.poll(() => page.locator('#lab-lock').innerText()).toMatch(/ouvertes/);

    // ---- kick the student (after a confirmation): the seat shows as removed, pve1 back on autopilot
    await page.click('#tab-roster');
    await page.locator('#roster button', { hasText: 'Retirer' }).click();
    await expect.poll(() => page.locator('#roster tr.t-kicked').count(), LIVE).toBe(1);
    await expect.poll(() => panel.locator('[data-node="pve1"] .t-who').innerText(), LIVE).toMatch(/autopilote/);
    expect(dialogs).toEqual([`Retirer ${name} du lab ? Son nœud repasse en autopilote.`]); // no alert ever ran
    await student.close();

    // ---- a tablet sees the same dashboard in one column
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'teacher-tablet.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // ---- back to the form: the stored labs list this lab, and its link reopens the dashboard
    // with the secret this tab kept (no fragment this time).
    await page.goto(`${base}/teacher.html`);
    const row = page.locator('#labs tr', { hasText: code });
    await expect.poll(() => row.count(), LIVE).toBe(1);
    expect(await row.innerText()).toMatch(/en cours/);
    await row.locator('a[data-open]').click();
    await page.locator('#dash').waitFor({ state: 'visible' });
    expect(await page.locator('#join-code').innerText()).toBe(code);
}
