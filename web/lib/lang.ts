// The languages of the site, and which one a browser prefers (no DOM here: unit-tested in Node).
export type Lang = 'fr' | 'en';

/** The browser's preferred language among ours ('fr-CA' → fr, 'en-US' → en, 'de' → en). */
export function browserLang(languages: readonly string[]): Lang {
  for (const l of languages) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return 'en';
}
