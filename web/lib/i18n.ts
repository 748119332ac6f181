// Two languages, one choice for the whole site (student and teacher pages): the `?lang=` of the
// address, else the visitor's earlier choice, else the browser's language (French or English;
// any other language gets English).
// Every text exists in both; CSS shows the one matching `html[lang]` (see style.css), so a switch
// needs no re-render. Attributes and <option> labels cannot be hidden by CSS: they follow the
// language through listeners, dropped once their element has left the page.
import { browserLang, type Lang } from './lang';
export type { Lang } from './lang';
export interface Bi {
  fr: string;
  en: string;
}

const STORAGE_KEY = 'quorum-lab.lang';
const listeners = new Set<{ fn: (l: Lang) => void; owner: Element | null }>();
let current: Lang = 'fr';

function readLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'fr' || fromUrl === 'en') return fromUrl;
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'fr' || saved === 'en') return saved;
  } catch {
    // storage can be blocked (private mode, embedded frames)
  }
  return browserLang(navigator.languages?.length ? navigator.languages : [navigator.language ?? 'fr']);
}

export function lang(): Lang {
  return current;
}

export function pick(text: Bi): string {
  return text[current];
}

/**
 * Calls `fn` now and after every switch. With an `owner`, the listener is forgotten once the
 * owner is no longer in the document (re-rendered lists do not pile up listeners).
 */
export function onLang(fn: (l: Lang) => void, owner: Element | null = null): void {
  listeners.add({ fn, owner });
  fn(current);
}

export function setLang(next: Lang, remember = true): void {
  current = next;
  document.documentElement.lang = next;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not remembered; the switch still works on this page
    }
  }
  for (const l of [...listeners]) {
    if (l.owner && !l.owner.isConnected) {
      listeners.delete(l);
      continue;
    }
    l.fn(next);
  }
}

/** Applies the stored language and wires the page's `#lang-toggle` button. */
export function initLang(): Lang {
  current = readLang();
  document.documentElement.lang = current;
  const toggle = document.getElementById('lang-toggle');
  if (toggle) {
    onLang((l) => toggle.setAttribute('aria-label', l === 'fr' ? 'Switch to English' : 'Passer en français'));
    toggle.addEventListener('click', () => setLang(current === 'fr' ? 'en' : 'fr'));
  }
  return current;
}

/** Both languages as sibling spans; CSS shows the current one. Text only, never HTML. */
export function bi(fr: string, en: string): DocumentFragment {
  const f = document.createDocumentFragment();
  for (const [l, text] of [['fr', fr], ['en', en]] as const) {
    const s = document.createElement('span');
    s.dataset.lang = l;
    s.lang = l;
    s.textContent = text;
    f.append(s);
  }
  return f;
}

export function biOf(text: Bi): DocumentFragment {
  return bi(text.fr, text.en);
}

/** Replaces an element's content with a bilingual text. */
export function setBi(el: Element, fr: string, en: string): void {
  el.replaceChildren(bi(fr, en));
}

/** Keeps an attribute (aria-label, title, placeholder) in the current language. */
export function biAttr(el: Element, attr: string, fr: string, en: string): void {
  onLang((l) => el.setAttribute(attr, l === 'fr' ? fr : en), el);
}

/** Keeps the text of an element that cannot hold spans (<option>, <title>) in the current language. */
export function biText(el: Element, fr: string, en: string): void {
  onLang((l) => (el.textContent = l === 'fr' ? fr : en), el);
}

/** Keeps document.title in the current language. */
export function biTitle(fr: string, en: string): void {
  onLang((l) => (document.title = l === 'fr' ? fr : en));
}

const locale = (l: Lang) => (l === 'fr' ? 'fr-FR' : 'en-GB');

/** A number for display: "3,5" in French, "3.5" in English. */
export function num(n: number, l: Lang, decimals = 0): string {
  return n.toLocaleString(locale(l), { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A number in both languages, e.g. biNum(3.5, 1) → {fr: "3,5", en: "3.5"}. */
export function biNum(n: number, decimals = 0): Bi {
  return { fr: num(n, 'fr', decimals), en: num(n, 'en', decimals) };
}

/** Milliseconds as seconds for display ("3,5" in French, "3.5" in English). */
export function secs(ms: number, l: Lang, decimals = 0): string {
  return num(ms / 1000, l, decimals);
}

/** A number of seconds in both languages, e.g. biSecs(3500, 1) → {fr: "3,5", en: "3.5"}. */
export function biSecs(ms: number, decimals = 0): Bi {
  return biNum(ms / 1000, decimals);
}

/** A date and time in both languages. */
export function biDate(ms: number): Bi {
  const f = (l: Lang) => new Date(ms).toLocaleString(locale(l), { dateStyle: 'medium', timeStyle: 'short' });
  return { fr: f('fr'), en: f('en') };
}

/** Simulation time (ms since start) as m:ss, the same in both languages. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A duration in seconds ("12 s", "3 min 05 s"), language-neutral. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
