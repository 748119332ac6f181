// Two languages, French by default. Every text exists in both; CSS shows the one matching
// `html[lang]` (see style.css), so switching needs no re-render. Attributes (labels, titles,
// placeholders) cannot be hidden by CSS: they are re-applied on each switch.
export type Lang = 'fr' | 'en';
export interface Bi {
  fr: string;
  en: string;
}

const STORAGE_KEY = 'quorum-lab.lang';
const listeners: ((lang: Lang) => void)[] = [];
let current: Lang = 'fr';

function readLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'fr' || fromUrl === 'en') return fromUrl;
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'fr';
  } catch {
    return 'fr'; // storage can be blocked (private mode, embedded frames)
  }
}

export function lang(): Lang {
  return current;
}

export function pick(text: Bi): string {
  return text[current];
}

/** Calls `fn` now and after every language switch. */
export function onLang(fn: (lang: Lang) => void): void {
  listeners.push(fn);
  fn(current);
}

export function setLang(next: Lang, remember = true): void {
  current = next;
  document.documentElement.lang = next;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not persisted; the switch still works for this page
    }
  }
  for (const fn of listeners) fn(next);
}

/** Applies the stored language and wires the `#lang-toggle` button of the page. */
export function initLang(): Lang {
  current = readLang();
  document.documentElement.lang = current;
  const toggle = document.getElementById('lang-toggle');
  onLang((l) => toggle?.setAttribute('aria-label', l === 'fr' ? 'Switch to English' : 'Passer en français'));
  toggle?.addEventListener('click', () => setLang(current === 'fr' ? 'en' : 'fr'));
  return current;
}

/** Both languages as sibling spans; only the current one is displayed. Text only, never HTML. */
export function bi(fr: string, en: string): DocumentFragment {
  const f = document.createDocumentFragment();
  const a = document.createElement('span');
  a.dataset.lang = 'fr';
  a.lang = 'fr';
  a.textContent = fr;
  const b = document.createElement('span');
  b.dataset.lang = 'en';
  b.lang = 'en';
  b.textContent = en;
  f.append(a, b);
  return f;
}

export function biOf(text: Bi): DocumentFragment {
  return bi(text.fr, text.en);
}

/** Replaces an element's content with a bilingual text. */
export function setBi(el: Element, fr: string, en: string): void {
  el.replaceChildren(bi(fr, en));
}

/** Keeps an attribute (aria-label, placeholder, title…) in the current language. */
export function biAttr(el: Element, attr: string, fr: string, en: string): void {
  onLang((l) => el.setAttribute(attr, l === 'fr' ? fr : en));
}

/** Keeps document.title in the current language. */
export function biTitle(fr: string, en: string): void {
  onLang((l) => (document.title = l === 'fr' ? fr : en));
}

/** Seconds for display: "3,5" in French, "3.5" in English; whole seconds past 10. */
export function secs(ms: number, l: Lang, decimals = 0): string {
  const s = ms / 1000;
  return s.toLocaleString(l === 'fr' ? 'fr-FR' : 'en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A number of seconds in both languages, e.g. biSecs(3500, 1) → {fr: "3,5", en: "3.5"}. */
export function biSecs(ms: number, decimals = 0): Bi {
  return { fr: secs(ms, 'fr', decimals), en: secs(ms, 'en', decimals) };
}
