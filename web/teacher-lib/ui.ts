// Page-wide helpers: the status line (toast), clipboard, lab status words, scenario type.
import { el, icon } from './dom';
import { biOf, type Bi } from './i18n';

export interface ScenarioInfo {
  id: string;
  title: Bi;
  description: Bi;
  goals: { fr: string[]; en: string[] };
  nodes: number;
  qdevice: boolean;
  qdeviceSeat: boolean;
  objectives: { id: string; title: Bi; points: number }[];
}

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'muted';

export const STATUS: Record<string, Bi & { icon: string; tone: Tone }> = {
  lobby: { fr: 'en attente du démarrage', en: 'waiting to start', icon: '◌', tone: 'info' },
  running: { fr: 'en cours', en: 'running', icon: '▶', tone: 'ok' },
  paused: { fr: 'en pause', en: 'paused', icon: '‖', tone: 'warn' },
  ended: { fr: 'terminé', en: 'ended', icon: '■', tone: 'muted' },
};

export function statusChip(status: string): HTMLElement {
  const s = STATUS[status] ?? { fr: status, en: status, icon: '•', tone: 'muted' as Tone };
  return el('span', { class: `t-chip t-${s.tone}`, attrs: { 'data-status': status } }, icon(s.icon), biOf(s));
}

let toastTimer: number | undefined;
/** A short message in the page's polite live region. */
export function toast(text: Bi, tone: Tone = 'info'): void {
  const t = document.getElementById('toast');
  if (!t) return;
  t.className = `t-toast t-toast-${tone}`;
  t.replaceChildren(icon(tone === 'ok' ? '✓' : tone === 'bad' ? '✗' : tone === 'warn' ? '⚠' : 'ℹ'), biOf(text));
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
