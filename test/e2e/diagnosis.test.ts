// Diagnosis mode, the harm of a VM running twice, and the end screen, in a real browser on a
// laptop and on a 390 px phone. Screenshots go to .tmp/ to be looked at.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { faultTruth } from '../../src/sim/drills';
import { api, base, LAPTOP, PHONE, SHOTS as shots, seated, teacherKey, useBrowser } from './support';

const WAIT = { timeout: 45_000, polling: 250 };

useBrowser();

const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

describe('diagnosis mode and the end screen', () => {
  it('a drill hides every verdict, takes a diagnosis from the keyboard, and the end screen grades it (laptop and phone)', { timeout: 180_000 }, async () => {
    const created = await api('/api/labs', teacherKey, { scenario: 'three-node-power-loss', drill: 'power', timeScale: 5 });
    expect(created.status).toBe(201);
    const { code, teacherSecret } = created.data;
    const laptop = await seated(code, 'Alice', LAPTOP);
    const phone = await seated(code, 'Bruno', PHONE);
    expect((await api(`/api/labs/${code}/teacher/start`, teacherSecret, {})).status).toBe(200);
    for (const { page } of [laptop, phone]) {
      await page.waitForFunction(() => !document.getElementById('diagnosis')!.hidden && document.querySelectorAll('#diagnosis input[name="nodes"]').length === 3, undefined, WAIT);
      // Nothing computed on screen: the verdict cards are hidden and empty, the terminal is there.
      for (const id of ['quorum-card', 'pve-card', 'members-card', 'vms-card', 'ha-card']) expect(await page.locator(`#${id}`).isHidden(), id).toBe(true);
      expect(await page.locator('#quorum-state').innerText()).toBe('');
      expect(await page.locator('#terminal-card').isVisible()).toBe(true);
      expect(await noSideScroll(page)).toBe(true);
    }
    // A checkpoint answered on the way (teacher-opened: none opens by the clock in a drill).
    expect((await api(`/api/labs/${code}/teacher/checkpoint`, teacherSecret, { action: 'open', id: 'before' })).status).toBe(200);
    await laptop.page.waitForFunction(() => document.getElementById('checkpoint')?.dataset.state === 'open', undefined, WAIT);
    await laptop.page.focus('[data-question="votes-present"] input');
    await laptop.page.keyboard.type('3');
    await laptop.page.keyboard.press('Enter');
    await laptop.page.waitForFunction(() => document.querySelector('[data-question="votes-present"] .saved')?.textContent?.includes('enregistrée'), undefined, WAIT);
    expect((await api(`/api/labs/${code}/teacher/checkpoint`, teacherSecret, { action: 'close' })).status).toBe(200);
    await laptop.page.waitForFunction(() => document.getElementById('checkpoint')?.dataset.state === 'results', undefined, WAIT);
    await laptop.page.click('#checkpoint button');

    // The drawn fault (the teacher's report knows it) fires; the laptop finds it with the terminal.
    let rep = await api(`/api/labs/${code}/report.json`, teacherSecret);
    const drill = rep.data.teams[0].drill;
    const truth = faultTruth(drill.fault)!;
    expect(truth.family).toBe('power');
    for (let i = 0; i < 60 && rep.data.teams[0].endMs < drill.atMs + 2000; i++) {
      await new Promise((r) => setTimeout(r, 500));
      rep = await api(`/api/labs/${code}/report.json`, teacherSecret);
    }
    expect(rep.data.teams[0].endMs).toBeGreaterThanOrEqual(drill.atMs);
    await laptop.page.fill('#terminal-input', 'pvecm status');
    await laptop.page.press('#terminal-input', 'Enter');
    // (Its node may be the one the drill powered off: any answer will do, the terminal answers.)
    await laptop.page.waitForFunction(() => { const o = document.getElementById('terminal-out')!; return o.textContent!.includes('pvecm status') && !o.hasAttribute('aria-busy') && o.textContent!.trim().split('\n').length > 3; }, undefined, WAIT);
    await laptop.page.locator('#diagnosis').screenshot({ path: join(shots, 'diagnosis-open-laptop.png') });
    await phone.page.screenshot({ path: join(shots, 'diagnosis-phone.png'), fullPage: false });

    // Keyboard only on the laptop: the cause, the node(s), the rule, then Enter.
    await laptop.page.focus('#diagnosis select[name="cause"]');
    await laptop.page.selectOption('#diagnosis select[name="cause"]', truth.cause);
    for (const n of truth.nodes) {
      await laptop.page.focus(`#diagnosis input[name="nodes"][value="${n}"]`);
      await laptop.page.keyboard.press('Space');
    }
    await laptop.page.selectOption('#diagnosis select[name="rule"]', truth.rules[0]!);
    await laptop.page.focus('#diagnosis button[type="submit"]');
    await laptop.page.keyboard.press('Enter');
    await laptop.page.waitForFunction(() => document.getElementById('diagnosis')?.dataset.state === 'sent', undefined, WAIT);
    expect(await laptop.page.locator('#diagnosis').innerText()).toContain('Diagnostic envoyé');
    await laptop.page.locator('#diagnosis').screenshot({ path: join(shots, 'diagnosis-sent-laptop.png') });
    // The phone sends a wrong one (tapping through the same form).
    await phone.page.selectOption('#diagnosis select[name="cause"]', 'storage-down');
    await phone.page.selectOption('#diagnosis select[name="rule"]', 'storage');
    await phone.page.click('#diagnosis button[type="submit"]');
    await phone.page.waitForFunction(() => document.getElementById('diagnosis')?.dataset.state === 'sent', undefined, WAIT);

    expect((await api(`/api/labs/${code}/teacher/end`, teacherSecret, {})).status).toBe(200);
    for (const { page } of [laptop, phone]) await page.waitForFunction(() => document.querySelector('#end-screen .end-grade') !== null, undefined, WAIT);
    const end = await laptop.page.locator('#end-screen').innerText();
    expect(end).toMatch(/\/ 20/);
    expect(end).toContain('rang 1 sur 1');
    expect(end).toContain('Votre diagnostic : 4/4');
    expect(end).toContain('Ce qui a bien marché');
    expect(end).toMatch(/Point d’étape : Avant la panne[\s\S]*votre réponse : 3/);
    const phoneEnd = await phone.page.locator('#end-screen').innerText();
    expect(phoneEnd).toMatch(/Votre diagnostic : [01]\/4/);
    expect(phoneEnd).toContain('Ce qui a manqué');
    expect(await noSideScroll(phone.page)).toBe(true);
    await laptop.page.locator('#end-screen').screenshot({ path: join(shots, 'end-screen-laptop.png') });
    await phone.page.locator('#end-screen').screenshot({ path: join(shots, 'end-screen-phone.png') });
    // Their own report opens from the link (the seat token, no teacher secret).
    const href = await laptop.page.locator('#end-screen a.button').getAttribute('href');
    const own = await fetch(`${base}${href}`);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('Diagnostics');
    expect(laptop.errors).toEqual([]);
    expect(phone.errors).toEqual([]);
  });

  it('the student whose pvecm expected 1 makes a VM run twice is told, with the course rule (phone)', { timeout: 150_000 }, async () => {
    const created = await api('/api/labs', teacherKey, { scenario: 'three-node-power-loss', timeline: false, timeScale: 5 });
    const { code, teacherSecret } = created.data;
    expect((await api(`/api/labs/${code}/teacher/start`, teacherSecret, {})).status).toBe(200);
    const { page, errors } = await seated(code, 'Alice', PHONE);
    const other = await seated(code, 'Bruno', LAPTOP);
    await page.waitForFunction(() => document.getElementById('quorum-card')?.dataset.quorate === 'yes', undefined, WAIT);
    expect((await api(`/api/labs/${code}/teacher/faults`, teacherSecret, { fault: { kind: 'isolate', node: 'pve1' } })).status).toBe(200);
    await page.waitForFunction(() => document.getElementById('quorum-card')?.dataset.quorate === 'no', undefined, WAIT);
    await page.fill('#terminal-input', 'pvecm expected 1');
    await page.press('#terminal-input', 'Enter');
    await page.waitForSelector('#notices [data-code="harm-vm-twice"]', { timeout: 60_000 });
    const banner = await page.locator('#notices [data-code="harm-vm-twice"]').innerText();
    // (Which VM, and in which order the nodes, depends on the HA timing: one of pve1's, on pve1 and another.)
    expect(banner).toMatch(/la VM \d+ tourne maintenant DEUX FOIS \([^)]*pve1[^)]*\)/);
    expect(banner).toContain('Règle du cours : ne jamais forcer les votes attendus');
    await page.waitForFunction(() => document.getElementById('journal')!.innerText.includes('DEUX FOIS'), undefined, WAIT);
    // "Ce que le cours simplifie": pmxcfs, not corosync, is the database — told once, in the journal too.
    expect(await page.locator('#journal').innerText()).toContain('Ce que le cours simplifie — Le cours dit souvent « corosync est la base de données du cluster »');
    expect(await noSideScroll(page)).toBe(true);
    await page.locator('#notices').screenshot({ path: join(shots, 'harm-vm-twice-phone.png') });
    expect(await other.page.locator('#notices [data-code^="harm"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
