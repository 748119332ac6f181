// The steps every browser test repeats: one Chromium per test file, the API calls, a new lab, a
// student seated on the node page. What each test checks stays in its own file.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch } from './browser';

/** The app under test (`wrangler dev`, started by global-setup.ts) and its instructor key. */
export const base = inject('baseUrl');
export const teacherKey = inject('teacherKey');
/** Screenshots go there, to be looked at. */
export const SHOTS = join(import.meta.dirname, '..', '..', '.tmp');
export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export type Viewport = { width: number; height: number };

/** The file's Chromium, launched by `useBrowser()` before its tests and closed after them. */
export let browser: Browser;

/** Launches Chromium for this test file (and makes the screenshot folder); closes it at the end. */
export function useBrowser(): void {
  beforeAll(async () => {
    browser = await launch();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
}

/** A JSON call to the app: POST when there is a body, GET otherwise; `token` as the bearer. */
export async function api(path: string, token: string | null, body?: unknown): Promise<{ status: number; data: any }> {
  const r = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, data: await r.json().catch(() => null) };
}

/** A lab made with the instructor key (three-node-power-loss without its timeline, unless told). */
export async function newLab(options: Record<string, unknown> = {}): Promise<{ code: string; secret: string }> {
  const created = await api('/api/labs', teacherKey, { scenario: 'three-node-power-loss', timeline: false, ...options });
  expect(created.status).toBe(201);
  return { code: created.data.code, secret: created.data.teacherSecret };
}

/** A student joined through the API (POST /join), as the join page does. */
export async function joinLab(code: string, name: string, team?: number): Promise<{ token: string; seat: any; rejoinCode?: string }> {
  const r = await api(`/api/labs/${code}/join`, null, team === undefined ? { name } : { name, team });
  expect(r.status, `join ${name}: ${JSON.stringify(r.data)}`).toBe(201);
  return r.data;
}

/** Page errors fail the test: the console must not throw while rendering live frames. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  if (process.env.E2E_CONSOLE) page.on('console', (m) => console.log(`[page] ${m.text()}`));
  return errors;
}

/** A student seated through the API, their token stored as the join page would, on node.html. */
export async function seated(code: string, name: string, viewport: Viewport = LAPTOP): Promise<{ page: Page; context: BrowserContext; errors: string[]; seat: any }> {
  const joined = await joinLab(code, name);
  const context = await browser.newContext({ viewport, locale: 'fr-FR' });
  await context.addInitScript(
    ([key, value]) => {
      if (!localStorage.getItem(key!)) localStorage.setItem(key!, value!);
    },
    [`quorum-lab:${code}`, JSON.stringify({ token: joined.token, seat: joined.seat })],
  );
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${base}/node.html?code=${code}`);
  return { page, context, errors, seat: joined.seat };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe-core violations of the page as it is now (its context needs
 * `bypassCSP: true`: axe is injected by the test, never by the app). */
export async function axe(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const r = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } };
    return w.axe.run(document, { resultTypes: ['violations'] });
  });
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}
