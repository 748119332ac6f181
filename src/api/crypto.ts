// Codes, secrets and hashes. Secrets are ≥128 bits from crypto.getRandomValues and only their
// SHA-256 is stored.
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O/1/I

export function joinCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  // 256 is a multiple of 32: no modulo bias.
  return Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

export function randomToken(bytes = 16): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function sha256Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(d), (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Constant-time comparison of two strings of equal length (hashes). */
export function sameHash(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let r = 0;
  for (let i = 0; i < a.length; i++) r |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return r === 0;
}

/**
 * The lab secret the instructor key can always re-derive (HMAC-SHA256 of the lab code under the
 * key): the key reopens any lab's dashboard from any device, and the teacher link it shows keeps
 * working, without storing anything. The secret drawn at creation stays valid beside it.
 */
export async function derivedTeacherSecret(instructorKey: string, code: string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', new TextEncoder().encode(instructorKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(`quorum-lab teacher ${code}`)));
  let s = '';
  for (const x of mac) s += String.fromCharCode(x);
  return `k.${btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** True when `secret` is the lab secret derived from the instructor key (constant time). */
export async function isDerivedTeacherSecret(instructorKey: string | undefined, code: string, secret: string): Promise<boolean> {
  if (!instructorKey || !secret.startsWith('k.')) return false;
  return sameHash(await sha256Hex(secret), await sha256Hex(await derivedTeacherSecret(instructorKey, code)));
}
