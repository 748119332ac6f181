// Grading from the pages (issue 7): the join page asks for a student number when the teacher wants
// one, and the dashboard's "Grading" card sets the rubric weights — also after the end, when the
// reports recompute with them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, base, browser, newLab, SHOTS as shots, useBrowser } from './support';

useBrowser();

describe('grading from the pages', () => {
  it('asks for the student number at join, and the teacher changes the weights before and after the end', async () => {
    const { code, secret } = await newLab({ teams: 1 });
    expect((await api(`/api/labs/${code}/teacher/settings`, secret, { askStudentId: true })).status).toBe(200);

    // ---- a student at phone width: the field appears, is required, and its value is stored
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
    const student = await phone.newPage();
    await student.goto(`${base}/join.html?code=${code}`);
    await student.locator('#student-id-field').waitFor({ state: 'visible' });
    expect(await student.locator('#student-id').getAttribute('required')).not.toBeNull();
    await student.fill('#name', 'Inès');
    await student.fill('#student-id', 'ines.martin@example.edu');
    await student.screenshot({ path: join(shots, 'join-student-id-390.png'), fullPage: true });
    await student.click('#join-btn');
    await student.waitForURL(/\/node(\.html)?\?/, { timeout: 15_000 }).catch(async (err) => {
      throw new Error(`join did not land on the node page: ${student.url()} ${await student.locator("body").innerText().catch(() => "?")} (${err})`);
    });
    await phone.close();

    // ---- the teacher's dashboard: the Grading card
    const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await laptop.newPage();
    await page.goto(`${base}/teacher.html?code=${code}#secret=${encodeURIComponent(secret)}`);
    await page.locator('#dash').waitFor({ state: 'visible' });
    await page.click('#grading summary');
    expect(await page.inputValue('#grading-outcome')).toBe('40');
    await page.fill('#grading-outcome', '50');
    await page.fill('#grading-competence', '30');
    await page.check('#grading-graded');
    await page.click('#grading-save');
    await expect.poll(() => page.locator('#grading [role="status"]').innerText()).toMatch(/Saved/);
    await page.screenshot({ path: join(shots, 'teacher-grading-1280.png'), fullPage: true });

    // Ended: the weights still change, and the report uses them.
    expect((await api(`/api/labs/${code}/teacher/end`, secret, {})).status).toBe(200);
    await page.reload();
    await page.locator('#reports').waitFor({ state: 'visible' });
    await page.click('#grading summary');
    expect(await page.inputValue('#grading-outcome')).toBe('50');
    expect(await page.isDisabled('#grading-ask-id')).toBe(true);
    await page.fill('#grading-outcome', '20');
    await page.fill('#grading-competence', '60');
    await page.click('#grading-save');
    await expect.poll(() => page.locator('#grading [role="status"]').innerText()).toMatch(/recomputed/);
    const report = await api(`/api/labs/${code}/report.json`, secret);
    expect(report.status).toBe(200);
    expect(report.data.lab.weights).toEqual({ outcome: 20, competence: 60, participation: 20 });
    expect(report.data.students.map((s: { studentId: string | null }) => s.studentId)).toEqual(['ines.martin@example.edu']);
    await laptop.close();
  }, 120_000);
});
