// A teacher writes their own scenario in a real browser: starts from a preset, edits it, sees an
// error at its line, fixes it, dry-runs it, saves it, creates a lab with it; the dashboard and a
// student's brief show the custom scenario.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { base, browser, SHOTS, seated, teacherKey, useBrowser } from './support';

const WAIT = { timeout: 20_000, intervals: [200, 500, 1000] };

useBrowser();

describe('custom scenarios in the dashboard', () => {
  it('upload, check, dry-run, save and start a lab with a custom scenario', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const dialogs: string[] = [];
    page.on('dialog', (d) => void (dialogs.push(d.message()), d.accept()));
    await page.goto(`${base}/teacher.html`);
    await page.fill('#key', teacherKey);
    await page.locator('#key').dispatchEvent('change');

    // An uploaded file with a syntax error: the error names its line.
    await page.setInputFiles('#author-file', { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "id": "x"\n  "title": {}\n}\n') });
    await expect.poll(() => page.inputValue('#author-text'), WAIT).toContain('"id": "x"');
    await page.click('#author-check');
    await expect.poll(() => page.locator('#author-errors li').first().innerText(), WAIT).toMatch(/^3:3 — JSON invalide : virgule attendue/);

    // Start from the clock-skew preset: its text and the common fields fill in.
    await page.selectOption('#author-from', 'preset:clock-skew');
    await expect.poll(() => page.inputValue('#author-id'), WAIT).toBe('clock-skew');
    expect(await page.inputValue('#author-nodes')).toBe('3');

    // The common fields: a new id, titles with markup (shown as text), four nodes.
    await page.fill('#author-id', 'atelier-ntp');
    await page.fill('#author-title-fr', 'Atelier <b>NTP</b> & horloges');
    await page.fill('#author-title-en', 'NTP <b>workshop</b> & clocks');
    await page.fill('#author-cluster', 'atelier');
    await page.fill('#author-nodes', '4');
    await page.click('#author-apply');
    const text = await page.inputValue('#author-text');
    expect(JSON.parse(text).cluster.nodes.map((n: { name: string }) => n.name)).toEqual(['pve1', 'pve2', 'pve3', 'pve4']);

    // A mistake in the raw text: a timeline fault on a node that does not exist.
    const broken = text.replace('"node": "pve1", "skewMs": -12000', '"node": "pve9", "skewMs": -12000');
    expect(broken).not.toBe(text);
    await page.fill('#author-text', broken);
    await page.click('#author-check');
    const err = page.locator('#author-errors li').first();
    await expect.poll(() => err.count(), WAIT).toBe(1);
    const line = broken.split('\n').findIndex((l) => l.includes('"pve9"')) + 1;
    expect(await err.innerText()).toMatch(new RegExp(`^${line}:\\d+ timeline\\.1\\.fault\\.node — nœud inconnu « pve9 »`));
    // Clicking the error puts the cursor on that line.
    await err.locator('button').click();
    expect(await page.locator('#author-pos').innerText()).toMatch(new RegExp(`Ligne ${line}, colonne`));
    await page.screenshot({ path: join(SHOTS, 'scenario-error.png'), fullPage: false });

    // Fixed, checked, dry-run.
    await page.fill('#author-text', broken.replace('"pve9"', '"pve4"'));
    await page.click('#author-check');
    await expect.poll(() => page.locator('#author-status').innerText(), WAIT).toMatch(/Scénario valide : Atelier <b>NTP<\/b> & horloges — 4 nœuds, 5 objectifs/);
    expect(await page.locator('#author-errors li').count()).toBe(0);
    await page.click('#author-dry');
    await expect.poll(() => page.locator('#dry-summary').count(), WAIT).toBe(1);
    expect(await page.locator('#dry-summary').innerText()).toMatch(/points du pilote automatique seul : 30 \/ 100 · disponibilité des VM HA : 100 %/);
    expect(await page.locator('[data-objective="quorum-kept"]').getAttribute('data-met')).toBe('true');
    expect(await page.locator('[data-objective="fix-pve3"] td').last().innerText()).toMatch(/✗\s*non atteint/);
    expect((await page.locator('#author-result .t-author-moments li').allInnerTexts()).some((t) => /^1:00 .*pve3/.test(t))).toBe(true);
    await page.locator('#author-result').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'scenario-dry-run.png'), fullPage: false });

    // Saved: selected in the new lab's list, described there (markup as text).
    await page.click('#author-save');
    await expect.poll(() => page.locator('#author-status').innerText(), WAIT).toMatch(/Enregistré/);
    const chosen = await page.inputValue('#scenario');
    expect(chosen).toMatch(/^custom-[0-9a-f]{16}$/);
    expect(await page.locator('#scenario-about h2').innerText()).toBe('Atelier <b>NTP</b> & horloges');
    expect(await page.locator('#scenario-about b').count()).toBe(0);

    // A lab from it: the dashboard knows its four nodes and its title.
    await page.fill('#teams', '1');
    await page.click('#create-lab');
    await page.waitForURL(/teacher(\.html)?\?code=[A-Z2-9]{6}/, { timeout: 20_000 });
    const code = new URL(page.url()).searchParams.get('code')!;
    await expect.poll(() => page.locator('#lab-title').innerText(), WAIT).toBe('Atelier <b>NTP</b> & horloges');
    expect(await page.locator('#all-faults-body select').first().locator('option').allTextContents()).toEqual(['pve1', 'pve2', 'pve3', 'pve4']);
    await page.screenshot({ path: join(SHOTS, 'scenario-custom-lab.png'), fullPage: false });

    // A student's brief shows the custom scenario.
    const { page: student, context } = await seated(code, 'Noa', { width: 1280, height: 900 });
    await expect.poll(() => student.locator('#brief').innerText(), WAIT).toContain('Atelier <b>NTP</b> & horloges');
    await student.screenshot({ path: join(SHOTS, 'scenario-custom-student.png'), fullPage: false });
    expect(dialogs).toEqual([]);
    await context.close();

    // The list of stored labs names the scenario by its title, in the teacher's language.
    await page.goto(`${base}/teacher.html`);
    const row = page.locator(`#labs tr:has(a[data-open="${code}"])`);
    await expect.poll(() => row.locator('td').nth(2).innerText(), WAIT).toBe('Atelier <b>NTP</b> & horloges');
    await page.click('#lang-toggle');
    await expect.poll(() => row.locator('td').nth(2).innerText(), WAIT).toBe('NTP <b>workshop</b> & clocks');
    expect(await row.locator('td b').count()).toBe(0);
    await page.close();
  });
});
