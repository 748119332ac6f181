// The student side in a real browser: join page → node console over a live WebSocket, against
// `wrangler dev` ticking in real time (1 s per tick). Waits are generous; nothing here times
// the app.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { api, base, browser, LAPTOP, newLab, SHOTS as shots, seated, useBrowser, watchErrors } from './support';

const PHONE = { width: 360, height: 740 };
const WAIT = { timeout: 30_000, polling: 250 };
/** A name full of HTML metacharacters: it must show up literally, never as markup. */
const NAME = `Zoé <b>&"' x`;

useBrowser();

const quorate = (page: Page, yes: boolean) =>
  page.waitForFunction((want) => document.getElementById('quorum-card')?.dataset.quorate === want, yes ? 'yes' : 'no', WAIT);

const visibleText = (page: Page, sel: string) => page.locator(sel).innerText();

describe('student console', () => {
  it('joins through the form, sees its node live, runs a command, survives a reload and sees isolation', { timeout: 180_000 }, async () => {
    const { code, secret } = await newLab();
    expect((await api(`/api/labs/${code}/teacher/start`, secret, {})).status).toBe(200);

    const context: BrowserContext = await browser.newContext({ viewport: LAPTOP, locale: 'fr-FR' });
    const page = await context.newPage();
    const errors = watchErrors(page);

    // Join page: the code comes from the link, the lobby shows the lab.
    await page.goto(`${base}/join.html?code=${code}`);
    expect(await page.inputValue('#code')).toBe(code);
    await page.waitForFunction(() => !document.getElementById('lobby')!.hidden, undefined, WAIT);
    expect(await visibleText(page, '#lobby')).toMatch(/en cours/);
    expect(await visibleText(page, '#lobby')).toMatch(/Équipe 1/);
    await page.fill('#name', NAME);
    await page.screenshot({ path: join(shots, 'join-laptop.png'), fullPage: true });
    await page.click('#join-btn');

    // Node console.
    await page.waitForURL(/\/node(\.html)?\?code=/, { timeout: 15_000 });
    await page.waitForFunction(() => document.getElementById('node-name')?.textContent === 'pve1', undefined, WAIT);
    expect(await page.locator('#student-name').innerText()).toBe(NAME);
    expect(await page.locator('b').count()).toBe(0); // the name was not parsed as HTML
    const stored = await page.evaluate((c) => localStorage.getItem(`quorum-lab:${c}`), code);
    const seat = JSON.parse(stored!);
    expect(seat.token).toEqual(expect.any(String));
    expect(seat.seat).toMatchObject({ node: 'pve1', team: 1, name: NAME, role: 'node' });

    // Live view: quorate within a few ticks.
    await page.waitForFunction(() => document.getElementById('quorum-card')?.dataset.quorate === 'yes', undefined, WAIT);
    expect(await visibleText(page, '#quorum-card')).toContain('Quorum : OUI');
    expect(await visibleText(page, '#cfs-state')).toContain('lecture-écriture');
    expect(await visibleText(page, '#lab-status')).toMatch(/en cours/);

    // Terminal.
    await page.fill('#terminal-input', 'pvecm status');
    await page.press('#terminal-input', 'Enter');
    await page.waitForFunction(() => document.getElementById('terminal-out')!.textContent!.includes('Quorum information'), undefined, WAIT);
    expect(await page.locator('#terminal-out').innerText()).toContain('root@pve1:~# pvecm status');
    // History: ArrowUp brings the last command back.
    await page.press('#terminal-input', 'ArrowUp');
    expect(await page.inputValue('#terminal-input')).toBe('pvecm status');
    await page.fill('#terminal-input', '');
    await page.screenshot({ path: join(shots, 'node-laptop-quorate.png'), fullPage: true });

    // A reload keeps the seat: same node, same name, no second seat in the roster.
    await page.reload();
    await page.waitForFunction(() => document.getElementById('quorum-card')?.dataset.quorate === 'yes', undefined, WAIT);
    expect(await page.locator('#node-name').innerText()).toBe('pve1');
    expect(await page.locator('#student-name').innerText()).toBe(NAME);
    const roster = await api(`/api/labs/${code}/teacher/roster`, secret);
    expect(roster.data.seats).toHaveLength(1);

    // The teacher cuts pve1 off: after the corosync timeout it is alone, inquorate, read-only.
    expect((await api(`/api/labs/${code}/teacher/faults`, secret, { fault: { kind: 'isolate', node: 'pve1' } })).status).toBe(200);
    await page.waitForFunction(() => document.getElementById('quorum-card')?.dataset.quorate === 'no', undefined, WAIT);
    expect(await visibleText(page, '#quorum-card')).toContain('Quorum : NON');
    await page.waitForFunction(() => document.getElementById('cfs-state')?.innerText.includes('LECTURE SEULE'), undefined, WAIT);
    await page.waitForFunction(() => document.querySelectorAll('#members [data-heard="no"]').length === 2, undefined, WAIT);
    expect(await visibleText(page, '#members')).toMatch(/silencieux depuis \d+ s/);
    await page.waitForFunction(() => document.getElementById('journal')!.innerText.includes('Quorum perdu'), undefined, WAIT);
    await page.screenshot({ path: join(shots, 'node-laptop-isolated.png'), fullPage: true });

    // English, remembered; same facts in the other language.
    await page.click('#lang-toggle');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await visibleText(page, '#quorum-card')).toContain('Quorum: NO');
    expect(await visibleText(page, '#cfs-state')).toContain('READ-ONLY');
    await page.screenshot({ path: join(shots, 'node-laptop-isolated-en.png'), fullPage: true });
    await page.click('#lang-toggle');

    // Phone width: nothing wider than the screen.
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(shots, 'node-phone-isolated.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize(LAPTOP);
    await page.screenshot({ path: join(shots, 'node-laptop-dark.png'), fullPage: true });

    expect(errors).toEqual([]);
    await context.close();
  });

  it('explains join errors, offers to resume a stored seat, and refuses a revoked token', { timeout: 90_000 }, async () => {
    const { code } = await newLab();
    const context = await browser.newContext({ viewport: PHONE, locale: 'fr-FR' });
    const page = await context.newPage();
    const errors = watchErrors(page);

    // Unknown lab.
    await page.goto(`${base}/join.html`);
    await page.fill('#code', 'zzzzz9');
    expect(await page.inputValue('#code')).toBe('ZZZZZ9'); // uppercased as typed
    await page.fill('#name', 'Ana');
    await page.click('#join-btn');
    await page.waitForFunction(() => !document.getElementById('join-error')!.hidden, undefined, WAIT);
    expect(await visibleText(page, '#join-error')).toMatch(/Aucun lab avec ce code/);

    // A seat taken by someone else's name.
    const other = await fetch(`${base}/api/labs/${code}/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ana' }) });
    expect(other.status).toBe(201);
    await page.fill('#code', code);
    await page.waitForFunction(() => !document.getElementById('lobby')!.hidden, undefined, WAIT);
    await page.click('#join-btn');
    await page.waitForFunction(() => document.getElementById('join-error')!.innerText.includes('déjà pris'), undefined, WAIT);
    // No dead end: the refusal opens the "I already have a seat" box with its rejoin code field.
    expect(await page.locator('#rejoin-box').getAttribute('open')).not.toBeNull();
    expect(await page.locator('#rejoin').isVisible()).toBe(true);
    await page.screenshot({ path: join(shots, 'join-phone-error.png'), fullPage: true });

    // Joining with a free name, then coming back to the join page: "resume my seat".
    await page.fill('#name', 'Bea');
    await page.click('#join-btn');
    await page.waitForURL(/\/node(\.html)?\?code=/, { timeout: 15_000 });
    await page.waitForFunction(() => document.getElementById('node-name')?.textContent === 'pve2', undefined, WAIT);
    expect(await visibleText(page, '#lab-status')).toMatch(/attente/); // lobby: not started
    await page.screenshot({ path: join(shots, 'node-phone-lobby.png'), fullPage: true });
    await page.goto(`${base}/join.html?code=${code}`);
    await page.waitForFunction(() => !document.getElementById('resume')!.hidden, undefined, WAIT);
    expect(await visibleText(page, '#resume')).toContain('pve2');
    await page.click('#resume-btn');
    await page.waitForURL(/\/node(\.html)?\?code=/, { timeout: 15_000 });
    await page.waitForFunction(() => document.getElementById('node-name')?.textContent === 'pve2', undefined, WAIT);

    // A token the server does not know: the socket closes with 1008; the page says so and
    // links back to the join page instead of reconnecting forever.
    await page.evaluate((c) => {
      const v = JSON.parse(localStorage.getItem(`quorum-lab:${c}`)!);
      v.token = 'not-a-real-token';
      localStorage.setItem(`quorum-lab:${c}`, JSON.stringify(v));
    }, code);
    await page.reload();
    await page.waitForFunction(() => !document.getElementById('gate')!.hidden, undefined, WAIT);
    expect(await visibleText(page, '#gate')).toMatch(/reprise sur un autre appareil .* ou révoquée/);
    // The server's English reason stays out of the French page.
    expect(await page.locator('#gate-reason').isVisible()).toBe(false);
    expect(await page.locator('#gate-link').getAttribute('href')).toBe(`/join.html?code=${code}`);
    expect(await page.evaluate((c) => localStorage.getItem(`quorum-lab:${c}`), code)).toBeNull();

    expect(errors).toEqual([]);
    await context.close();
  });

  it('human vote mode: the QDevice student places its vote, pve1 is asked to fence pve2 and answers', { timeout: 180_000 }, async () => {
    const { code, secret } = await newLab({ scenario: 'two-node-qdevice', voteMode: 'human' });
    const a = await seated(code, 'Alice');
    const b = await seated(code, 'Bruno');
    const q = await seated(code, 'Chloé');
    expect([a.seat.node, b.seat.node, q.seat.role]).toEqual(['pve1', 'pve2', 'qdevice']);
    expect((await api(`/api/labs/${code}/teacher/start`, secret, {})).status).toBe(200);
    await quorate(a.page, true);
    await quorate(b.page, true);

    // pve1 adds the QDevice from its terminal.
    await a.page.fill('#terminal-input', 'pvecm qdevice setup 10.0.10.50');
    await a.page.press('#terminal-input', 'Enter');
    await a.page.waitForFunction(() => document.getElementById('pve-facts')!.innerText.includes('joignable'), undefined, WAIT);

    // The QDevice seat: its own panel, no terminal, a choice per partition.
    expect(await q.page.locator('#node-name').innerText()).toBe('QDevice');
    expect(await q.page.locator('#terminal-input').isVisible()).toBe(false);
    await q.page.waitForFunction(() => document.getElementById('qd-facts')!.innerText.includes('configuré dans corosync'), undefined, WAIT);
    expect(await visibleText(q.page, '#qd-intro')).toMatch(/choisissez quelle partition/);

    // The QDevice student gives its vote to pve1's side (the choice follows pve1 after a split).
    await q.page.waitForFunction(() => document.querySelectorAll('#qd-partitions li button:not([disabled])').length === 1, undefined, WAIT);
    await q.page.click('#qd-partitions li[data-members="pve1,pve2"] button');
    await q.page.waitForFunction(() => document.querySelector('#qd-partitions li')?.textContent?.includes('reçoit mon vote'), undefined, WAIT);
    // The panel says who decides, where the vote goes and what the algorithm would pick.
    expect(await visibleText(q.page, '#qd-facts')).toMatch(/Qui décide\s*vous/);
    await q.page.waitForFunction(() => /Mon vote va à\s*pve1, pve2/.test(document.getElementById('qd-facts')!.innerText), undefined, WAIT);
    expect(await visibleText(q.page, '#qd-partitions li[data-members="pve1,pve2"]')).toContain('mon choix');
    // The nodes hear of it: a qdevice-vote event for their partition.
    await a.page.waitForFunction(() => document.getElementById('journal')!.innerText.includes('Le QDevice donne son vote à votre partition'), undefined, WAIT);

    // Split the two nodes: after the corosync timeout each is alone; the QDevice vote decides.
    expect((await api(`/api/labs/${code}/teacher/faults`, secret, { fault: { kind: 'partition', groups: [['pve1'], ['pve2']] } })).status).toBe(200);
    await q.page.waitForFunction(() => document.querySelectorAll('#qd-partitions li').length === 2, undefined, WAIT);
    expect(await visibleText(q.page, '#qd-partitions li[data-members="pve1"]')).toContain('reçoit mon vote');
    expect(await visibleText(q.page, '#qd-partitions li[data-members="pve2"]')).toContain('sans mon vote');
    await q.page.screenshot({ path: join(shots, 'qdevice-laptop-split.png'), fullPage: true });
    await quorate(b.page, false);
    await quorate(a.page, true);

    // pve2 is silent for pve1: once it is declared dead, pve1's student is asked to fence it.
    await a.page.waitForSelector('.prompt[data-vote]', { timeout: 45_000 });
    const dialog = a.page.locator('.prompt[data-vote]');
    expect(await dialog.innerText()).toContain('clôturer (fence) pve2 et relancer ses VM HA ?');
    // Announced, never grabbing the focus.
    expect(await a.page.locator('#prompt-live').textContent()).toContain('Vote demandé');
    expect(await a.page.evaluate(() => !!document.activeElement?.closest('.prompt'))).toBe(false);
    await a.page.screenshot({ path: join(shots, 'node-laptop-prompt.png'), fullPage: true });
    await a.page.setViewportSize(PHONE);
    await a.page.screenshot({ path: join(shots, 'node-phone-prompt.png') });
    const voteId = await dialog.first().getAttribute('data-vote');
    await dialog.locator('button', { hasText: 'Oui' }).click();
    await a.page.waitForFunction((id) => document.querySelector(`[data-vote="${id}"] .prompt-result`)?.textContent?.includes('Vote envoyé'), voteId, WAIT);

    // The ballot reached the engine: pve1's log records it.
    await a.page.waitForFunction(() => document.getElementById('journal')!.innerText.includes('pve1 a voté oui'), undefined, WAIT);
    await b.page.screenshot({ path: join(shots, 'node-laptop-fenced.png'), fullPage: true });
    await q.page.setViewportSize(PHONE);
    await q.page.screenshot({ path: join(shots, 'qdevice-phone.png'), fullPage: true });

    for (const s of [a, b, q]) {
      expect(s.errors).toEqual([]);
      await s.context.close();
    }
  });

  it('pulse mode: a big button and Space send pulses; the countdown says when the node is declared dead', { timeout: 120_000 }, async () => {
    const { code, secret } = await newLab({ heartbeatMode: 'pulse' });
    const s = await seated(code, 'Dana', PHONE);
    expect((await api(`/api/labs/${code}/teacher/start`, secret, {})).status).toBe(200);
    const { page } = s;
    await page.waitForSelector('#pulse-btn', { state: 'visible', timeout: 30_000 });
    await quorate(page, true);
    await page.click('#node-name'); // focus outside any field: Space is a pulse
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.getElementById('pulse-age')!.innerText.includes('Dernier battement'), undefined, WAIT);
    await page.click('#pulse-btn');
    await page.screenshot({ path: join(shots, 'node-phone-pulse.png') });
    // Space typed in the terminal stays a space.
    await page.fill('#terminal-input', '');
    await page.type('#terminal-input', 'ha-manager status');
    expect(await page.inputValue('#terminal-input')).toBe('ha-manager status');
    // The delay comes from the engine's timing profile (welcome.timing): 10 s in course timing.
    expect(await visibleText(page, '#pulse-help')).toContain('Après 10 s sans battement');
    expect(await visibleText(page, '#pve-facts')).toContain('déclaré mort après 10 s');
    // No more pulses: after 10 s the page says the node is declared dead.
    await page.waitForFunction(() => document.getElementById('pulse-age')!.innerText.includes('déclaré mort'), undefined, WAIT);
    // The teacher doubles the speed: a `settings` frame, no reload; the same delay now lasts 5 s.
    expect((await api(`/api/labs/${code}/teacher/settings`, secret, { timeScale: 2 })).status).toBe(200);
    await page.waitForFunction(() => document.getElementById('pulse-help')!.innerText.includes('Après 5 s sans battement'), undefined, WAIT);
    expect(await visibleText(page, '#pve-facts')).toContain('déclaré mort après 5 s');
    expect(await visibleText(page, '#journal')).toContain('Vitesse du temps : ×2');
    expect(s.errors).toEqual([]);
    await s.context.close();
  });

  it('a moved student is told once where to, and keeps working in the new team', { timeout: 120_000 }, async () => {
    const { code, secret } = await newLab({ teams: 2 });
    expect((await api(`/api/labs/${code}/teacher/start`, secret, {})).status).toBe(200);
    const s = await seated(code, 'Eli');
    const { page } = s;
    await quorate(page, true);
    const from = s.seat.team as number;
    const to = from === 1 ? 2 : 1;
    const node = s.seat.node as string;
    expect((await api(`/api/labs/${code}/teacher/move`, secret, { seatId: s.seat.seatId, team: to })).status).toBe(200);

    // Same token, new socket: the new welcome tells where the seat went.
    const note = page.locator('#notices [data-code="moved"]');
    await note.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await note.innerText()).toContain(`Vous avez été déplacé dans l’équipe ${to}`);
    expect(await visibleText(page, '#team-line')).toBe(`Équipe ${to}`);
    expect(await page.locator('#gate').isHidden()).toBe(true);
    expect(await page.locator('#notices [data-code="kicked"]').count()).toBe(0);
    expect(await visibleText(page, '#journal')).toContain(`Vous avez été déplacé dans l’équipe ${to}`);
    const stored = JSON.parse((await page.evaluate((c) => localStorage.getItem(`quorum-lab:${c}`), code))!);
    expect(stored.seat.team).toBe(to);

    // Still working: a command answers, and the node keeps its heartbeat in the new cluster well
    // past the corosync timeout (a silent node would be dropped after 10 s).
    await page.fill('#terminal-input', 'pvecm status');
    await page.press('#terminal-input', 'Enter');
    await page.waitForFunction(() => document.getElementById('terminal-out')!.textContent!.includes('Quorum information'), undefined, WAIT);
    await page.waitForTimeout(13_000);
    const snap = async (team: number) => (await api(`/api/labs/${code}/teacher/teams/${team}/snapshot`, secret)).data;
    const mine = (await snap(to)).nodes.find((n: { name: string }) => n.name === node);
    expect(mine).toMatchObject({ auto: false, power: 'on', quorate: true });
    expect((await snap(from)).nodes.find((n: { name: string }) => n.name === node)).toMatchObject({ auto: true });
    await quorate(page, true);
    expect(await note.count()).toBe(1);
    await page.screenshot({ path: join(shots, 'node-laptop-moved.png'), fullPage: true });

    // A reload does not say it again.
    await page.reload();
    await quorate(page, true);
    expect(await visibleText(page, '#team-line')).toBe(`Équipe ${to}`);
    expect(await page.locator('#notices [data-code="moved"]').count()).toBe(0);
    expect(s.errors).toEqual([]);
    await s.context.close();
  });
});
