// The teaching loop in a real browser: the brief (situation, role, goals) and the team's
// objectives checklist ticking live, on a laptop and on a 390 px phone.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, base, browser, LAPTOP, PHONE, SHOTS as shots, seated, teacherKey, useBrowser } from './support';

const WAIT = { timeout: 30_000, polling: 250 };

useBrowser();

describe('the teaching loop on the node page', () => {
  it('shows the situation, the role and a checklist that ticks when a command meets an objective (laptop, then phone)', { timeout: 120_000 }, async () => {
    const created = await api('/api/labs', teacherKey, { scenario: 'three-node-power-loss', timeline: false });
    expect(created.status).toBe(201);
    const { code, teacherSecret } = created.data;
    expect((await api(`/api/labs/${code}/teacher/start`, teacherSecret, {})).status).toBe(200);

    const laptop = await seated(code, 'Alice', LAPTOP);
    const page = laptop.page;
    await page.waitForFunction(() => !document.getElementById('brief')!.hidden && document.querySelectorAll('#brief .checklist li').length > 0, undefined, WAIT);
    expect(await page.locator('#brief').getAttribute('open')).not.toBeNull(); // open on a laptop
    const text = await page.locator('#brief').innerText();
    expect(text).toContain('Le cluster salle-a compte trois nœuds');
    expect(text).toMatch(/Vous êtes pve1, équipe 1\. Sur votre nœud tournent : web01 \(100, HA\)/);
    expect(text).toContain('Expliquer pourquoi pve1 et pve2 gardent le quorum');
    const item = page.locator('#brief [data-objective="ha-status"]');
    expect(await item.getAttribute('class')).toBe('todo');
    expect(await item.innerText()).toContain('À faire');

    // The command meets the objective: the item ticks, with words and the moment, not colour alone.
    await page.fill('#terminal-input', 'ha-manager status');
    await page.press('#terminal-input', 'Enter');
    await page.waitForFunction(() => document.querySelector('#brief [data-objective="ha-status"]')?.className === 'met', undefined, WAIT);
    expect(await item.innerText()).toMatch(/Atteint[\s\S]*ha-manager status[\s\S]*atteint à \d+:\d\d/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('terminal-input'); // the tick did not take the focus
    await page.locator('#brief').screenshot({ path: join(shots, 'brief-laptop.png') });

    // English: same facts.
    await page.click('#lang-toggle');
    expect(await page.locator('#brief').innerText()).toMatch(/You are pve1, team 1\. Running on your node: web01 \(100, HA\)/);
    expect(await item.innerText()).toMatch(/Met/);

    // A phone: the brief is folded (one line), opens from the keyboard, and fits 390 px.
    const phone = await seated(code, 'Bruno', PHONE);
    const p = phone.page;
    await p.waitForFunction(() => !document.getElementById('brief')!.hidden && document.querySelectorAll('#brief .checklist li').length > 0, undefined, WAIT);
    expect(await p.locator('#brief').getAttribute('open')).toBeNull();
    // The checklist is the team's: pve2 sees pve1's ha-manager status ticked.
    await p.waitForFunction(() => document.querySelector('#brief [data-objective="ha-status"]')?.className === 'met', undefined, WAIT);
    await p.focus('#brief summary');
    await p.keyboard.press('Enter');
    expect(await p.locator('#brief').getAttribute('open')).not.toBeNull();
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await p.locator('#brief').innerText()).toContain('Vous êtes pve2');
    await p.locator('#brief').screenshot({ path: join(shots, 'brief-phone.png') });
    expect(laptop.errors).toEqual([]);
    expect(phone.errors).toEqual([]);
  });

  it('a checkpoint opened by the teacher is answered from the keyboard and shows the results (laptop, then phone)', { timeout: 150_000 }, async () => {
    const created = await api('/api/labs', teacherKey, { scenario: 'three-node-power-loss', timeline: false });
    const { code, teacherSecret } = created.data;
    expect((await api(`/api/labs/${code}/teacher/start`, teacherSecret, {})).status).toBe(200);
    const laptop = await seated(code, 'Alice', LAPTOP);
    const phone = await seated(code, 'Bruno', PHONE);
    const page = laptop.page;
    for (const p of [page, phone.page]) await p.waitForFunction(() => document.getElementById('quorum-card')?.dataset.quorate === 'yes', undefined, WAIT);
    await page.click('#terminal-input');

    // The teacher opens it from the dashboard.
    const tctx = await browser.newContext({ viewport: LAPTOP, locale: 'fr-FR' });
    const dash = await tctx.newPage();
    const dashErrors: string[] = [];
    dash.on('pageerror', (e) => dashErrors.push(String(e)));
    await dash.goto(`${base}/teacher.html?code=${code}#secret=${encodeURIComponent(teacherSecret)}`);
    await dash.waitForSelector('#checkpoint-open', { state: 'visible', timeout: 30_000 });
    expect(await dash.inputValue('#checkpoint-pick')).toBe('before');
    await dash.click('#checkpoint-open');
    await page.waitForFunction(() => document.getElementById('checkpoint')?.dataset.state === 'open', undefined, WAIT);
    await dash.waitForFunction(() => document.querySelector('#checkpoint-counts [data-checkpoint-team="1"]')?.textContent?.includes('0/6'), undefined, WAIT);
    expect(await page.locator('#quorum-card').isHidden()).toBe(true); // no answers on screen
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('terminal-input'); // focus stays in the terminal
    expect(await page.locator('#checkpoint').innerText()).toContain('Combien de votes sont présents dans la partition de pve1');
    await page.locator('#checkpoint').screenshot({ path: join(shots, 'checkpoint-open-laptop.png') });

    // Keyboard only: the number questions take digits then Enter; the yes/no question a radio then Enter.
    await page.focus('[data-question="votes-present"] input');
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-question="votes-present"] .saved')?.textContent?.includes('enregistrée'), undefined, WAIT);
    await page.focus('[data-question="votes-required"] input');
    await page.keyboard.type('3'); // wrong: 2 of 3 are needed
    await page.keyboard.press('Enter');
    await page.focus('[data-question="quorate"] input[value="yes"]');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-question="quorate"] .saved')?.textContent?.includes('enregistrée'), undefined, WAIT);

    await dash.waitForFunction(() => document.querySelector('#checkpoint-counts [data-checkpoint-team="1"]')?.textContent?.includes('3/6'), undefined, WAIT);
    await dash.locator('#checkpoint-card').screenshot({ path: join(shots, 'checkpoint-dashboard.png') });
    // The phone answers nothing; the teacher closes.
    await phone.page.waitForFunction(() => document.getElementById('checkpoint')?.dataset.state === 'open', undefined, WAIT);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.page.locator('#checkpoint').screenshot({ path: join(shots, 'checkpoint-open-phone.png') });
    await dash.click('#checkpoint-close');
    await page.waitForFunction(() => document.getElementById('checkpoint')?.dataset.state === 'results', undefined, WAIT);
    const text = await page.locator('#checkpoint').innerText();
    expect(text).toContain('2 bonne(s) réponse(s) sur 3');
    expect(text).toMatch(/Faux[\s\S]*votre réponse : 3[\s\S]*Bonne réponse : 2/);
    expect(text).toContain('Quorum = max(');
    expect(await page.locator('#quorum-card').isHidden()).toBe(false);
    await page.locator('#checkpoint').screenshot({ path: join(shots, 'checkpoint-results-laptop.png') });
    await phone.page.waitForFunction(() => document.getElementById('checkpoint')?.dataset.state === 'results', undefined, WAIT);
    expect(await phone.page.locator('#checkpoint').innerText()).toContain('0 bonne(s) réponse(s) sur 3');
    await phone.page.locator('#checkpoint').screenshot({ path: join(shots, 'checkpoint-results-phone.png') });
    expect(laptop.errors).toEqual([]);
    expect(phone.errors).toEqual([]);
    expect(dashErrors).toEqual([]);
    await tctx.close();
  });

  it('the student whose pvecm expected opens a split-brain is told at once, with the course rule (phone)', { timeout: 120_000 }, async () => {
    const created = await api('/api/labs', teacherKey, { scenario: 'three-node-power-loss', timeline: false });
    const { code, teacherSecret } = created.data;
    expect((await api(`/api/labs/${code}/teacher/start`, teacherSecret, {})).status).toBe(200);
    const { page, errors } = await seated(code, 'Alice', PHONE);
    const other = await seated(code, 'Bruno', LAPTOP);
    await page.waitForFunction(() => document.getElementById('quorum-card')?.dataset.quorate === 'yes', undefined, WAIT);
    expect((await api(`/api/labs/${code}/teacher/faults`, teacherSecret, { fault: { kind: 'isolate', node: 'pve1' } })).status).toBe(200);
    await page.waitForFunction(() => document.getElementById('quorum-card')?.dataset.quorate === 'no', undefined, WAIT);
    await page.fill('#terminal-input', 'pvecm expected 1');
    await page.press('#terminal-input', 'Enter');
    await page.waitForSelector('#notices [data-code="harm"]', { timeout: 30_000 });
    const banner = await page.locator('#notices [data-code="harm"]').innerText();
    expect(banner).toMatch(/Votre commande a ouvert un SPLIT-BRAIN \(pvecm expected 1 on pve1 at/);
    expect(banner).toContain('Règle du cours : ne jamais forcer les votes attendus');
    await page.waitForFunction(() => document.getElementById('journal')!.innerText.includes('Votre commande a ouvert un SPLIT-BRAIN'), undefined, WAIT);
    await page.locator('#notices').screenshot({ path: join(shots, 'harm-banner-phone.png') });
    // pve2 did nothing: no banner there.
    expect(await other.page.locator('#notices [data-code="harm"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
