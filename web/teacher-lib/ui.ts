// Page-wide helpers of the dashboard: symbols, the status line (toast), clipboard, lab status
// chips, the scenario type, the teacher's wording of API errors.
import type { ScenarioSummary } from '../../src/protocol/lobby';
import type { ErrorWords } from '../lib/api';
import { el, icon } from '../lib/dom';
import { biOf, type Bi } from '../lib/i18n';
import { statusOf } from '../lib/labels';

/** An entry of GET /api/scenarios. */
export type ScenarioInfo = ScenarioSummary;

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'muted';

/** A state chip: a symbol and a word (colour is never the only signal). */
export const chip = (tone: Tone, sym: string, text: Bi | DocumentFragment): HTMLElement =>
  el('span', { class: `t-chip t-${tone}` }, glyph(sym), text instanceof DocumentFragment ? text : biOf(text));

/** A decorative symbol beside a word: hidden from screen readers, which read the word. */
export function glyph(symbol: string): HTMLSpanElement {
  return el('span', { class: 't-icon', text: symbol, attrs: { 'aria-hidden': 'true' } });
}

export function statusChip(status: string): HTMLElement {
  const s = statusOf(status);
  return el('span', { class: `t-chip t-${s.tone}`, attrs: { 'data-status': status } }, icon(s.icon), biOf(s));
}

/** The instructor key is wrong (new-lab form, stored labs). */
export const BAD_KEY: ErrorWords = { unauthorized: { fr: 'Clé enseignant absente ou incorrecte.', en: 'The instructor key is missing or wrong.' } };
/** This lab's secret is wrong (dashboard). */
export const BAD_SECRET: ErrorWords = {
  unauthorized: {
    fr: 'Secret de ce lab absent ou incorrect : ouvrez le lien enseignant reçu à la création.',
    en: 'This lab’s secret is missing or wrong: open the teacher link you got when creating it.',
  },
};

let toastTimer: number | undefined;
/** A short message in the page's polite live region. */
export function toast(text: Bi, tone: Tone = 'info'): void {
  const t = document.getElementById('toast');
  if (!t) return;
  t.className = `t-toast t-toast-${tone}`;
  t.replaceChildren(glyph(tone === 'ok' ? '✓' : tone === 'bad' ? '✗' : tone === 'warn' ? '⚠' : 'ℹ'), biOf(text));
  t.classList.add('t-toast-show');
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => t.classList.remove('t-toast-show'), tone === 'bad' ? 9000 : 5000);
}

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    toast({ fr: `Copié : ${text}`, en: `Copied: ${text}` }, 'ok');
    return;
  } catch {
    // Clipboard API refused (plain http, permissions): fall back to a selected textarea.
  }
  const ta = el('textarea', { class: 't-sr', attrs: { readonly: true } });
  ta.value = text;
  document.body.append(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  toast(ok ? { fr: `Copié : ${text}`, en: `Copied: ${text}` } : { fr: `Copie impossible ; à recopier : ${text}`, en: `Could not copy; copy by hand: ${text}` }, ok ? 'ok' : 'warn');
}

export function show(id: string): void {
  for (const s of ['setup', 'need-secret', 'dash']) {
    const e = document.getElementById(s);
    if (e) e.hidden = s !== id;
  }
}
