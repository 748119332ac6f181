// Getting back to a lab's dashboard: the teacher link (copy, or a QR code to continue on another
// device), and the instructor key that opens any lab (GET /api/labs/:code/teacher-link answers
// with a lab secret derived from the key; the secret drawn at creation keeps working).
import { apiJson } from '../lib/api';
import { byId, el } from '../lib/dom';
import { bi, biAttr, biOf, type Bi } from '../lib/i18n';
import { qrSvg } from './qr';
import { instructorKey, labSecret } from './store';
import { glyph, show } from './ui';

/** The lab secret the instructor key gives, or null (no key, wrong key, no such lab). */
export async function secretFromKey(code: string, key = instructorKey.get()): Promise<string | null> {
  if (!key) return null;
  const r = await apiJson<{ teacherSecret: string }>(`/api/labs/${encodeURIComponent(code)}/teacher-link`, { token: key });
  if (!r.ok || typeof r.data?.teacherSecret !== 'string') return null;
  instructorKey.set(key);
  return r.data.teacherSecret;
}

/** Where the server says students reach it (`npm start -- --lan`), else this page's origin. */
export async function publicOrigin(): Promise<string> {
  const r = await apiJson<{ publicOrigin: string | null }>('/api/config');
  return r.ok && typeof r.data?.publicOrigin === 'string' && /^https?:\/\//.test(r.data.publicOrigin) ? r.data.publicOrigin.replace(/\/$/, '') : location.origin;
}

/** "Continue on another device": the teacher link, a copy button and its QR code, folded away
 * (the link is as good as the secret: not for the projector). */
export function teacherLinkBox(url: string, copy: (text: string) => Promise<void>): HTMLElement {
  const input = el('input', { class: 't-mono t-link-input', attrs: { readonly: true, value: url, id: 'teacher-link' } });
  biAttr(input, 'aria-label', 'Lien enseignant', 'Teacher link');
  const copyBtn = el('button', { class: 't-btn t-btn-small', attrs: { type: 'button', id: 'copy-teacher-link' } }, glyph('❐'), bi('Copier le lien enseignant', 'Copy the teacher link'));
  copyBtn.addEventListener('click', () => void copy(url));
  const qr = el('div', { class: 't-qr t-qr-small' });
  qr.append(qrSvg(url, 'QR code'));
  return el(
    'details',
    { class: 't-teacher-link', attrs: { id: 'teacher-access' } },
    el('summary', {}, glyph('⇆'), bi('Continuer sur un autre appareil', 'Continue on another device')),
    el(
      'p',
      { class: 't-hint' },
      bi(
        'Ce lien (ou ce QR code) ouvre ce tableau de bord ailleurs, sans la clé. Gardez-le pour vous : il donne le contrôle du lab. La clé enseignant rouvre aussi tous vos labs depuis la page enseignant.',
        'This link (or QR code) opens this dashboard elsewhere, without the key. Keep it to yourself: it controls the lab. The instructor key also reopens all your labs from the teacher page.',
      ),
    ),
    el('div', { class: 't-link-row' }, input, copyBtn),
    qr,
  );
}

/** ?code= without a usable secret: ask for the teacher link (or the bare secret). */
export function needSecret(code: string, error: Bi | null): void {
  show('need-secret');
  byId('secret-code').textContent = code;
  const err = byId('secret-error');
  err.hidden = !error;
  err.replaceChildren(error ? biOf(error) : '');
  const input = byId<HTMLInputElement>('secret-input');
  byId<HTMLFormElement>('secret-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const raw = input.value.trim();
    const m = /#secret=([^&\s]+)/.exec(raw);
    let secret = raw;
    try {
      secret = m ? decodeURIComponent(m[1]!) : raw;
    } catch {
      secret = raw;
    }
    if (!secret) {
      err.hidden = false;
      err.replaceChildren(bi('Collez le lien enseignant ou le secret.', 'Paste the teacher link or the secret.'));
      return input.focus();
    }
    // The instructor key works here too: it gives this lab's key-derived secret.
    labSecret.set(code, (await secretFromKey(code, secret)) ?? secret);
    location.reload();
  });
  input.focus();
}
