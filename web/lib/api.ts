// HTTP helpers for the lab API (docs/protocol.md): JSON bodies, errors `{error:{code,message}}`.
import type { Bi } from './i18n';

/** Join codes: 6 characters without 0/O/1/I. */
export const CODE_RE = /^[A-HJ-NP-Z2-9]{6}$/;

export function normalizeCode(raw: string): string {
  return raw.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 6);
}

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; code: string; message: string };

export async function apiJson<T>(path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: 'no-store',
    });
  } catch (err) {
    return { ok: false, status: 0, code: 'network', message: String(err instanceof Error ? err.message : err) };
  }
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    // not JSON (a proxy error page, for instance)
  }
  if (res.ok) return { ok: true, status: res.status, data: data as T };
  const e = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return {
    ok: false,
    status: res.status,
    code: typeof e?.code === 'string' ? e.code : `http_${res.status}`,
    message: typeof e?.message === 'string' ? e.message : res.statusText,
  };
}

/** What the API's error codes mean for a student, in both languages. */
const ERRORS: Record<string, Bi> = {
  name_taken: { fr: 'Ce nom est déjà utilisé dans ce lab. Choisissez-en un autre.', en: 'This name is already used in this lab. Pick another one.' },
  team_full: { fr: 'Cette équipe est complète. Choisissez une autre équipe ou « automatique ».', en: 'This team is full. Pick another team or “automatic”.' },
  lab_full: { fr: 'Toutes les places de ce lab sont prises.', en: 'Every seat in this lab is taken.' },
  locked: { fr: 'L’enseignant a verrouillé les inscriptions.', en: 'The teacher has locked joining.' },
  lab_ended: { fr: 'Ce lab est terminé.', en: 'This lab has ended.' },
  not_found: { fr: 'Aucun lab avec ce code. Vérifiez le code au tableau.', en: 'No lab with this code. Check the code on the board.' },
  bad_request: { fr: 'Formulaire invalide : vérifiez le nom (1 à 32 caractères).', en: 'Invalid form: check the name (1 to 32 characters).' },
  bad_team: { fr: 'Ce numéro d’équipe n’existe pas.', en: 'There is no team with this number.' },
  unauthorized: { fr: 'Cette place n’est plus valide (jeton inconnu ou révoqué).', en: 'This seat is no longer valid (unknown or revoked token).' },
  network: { fr: 'Serveur injoignable. Vérifiez votre connexion.', en: 'Cannot reach the server. Check your connection.' },
  too_big: { fr: 'Requête trop grande.', en: 'Request too large.' },
  bad_json: { fr: 'Requête invalide.', en: 'Invalid request.' },
};

export function apiErrorText(code: string): Bi | null {
  return ERRORS[code] ?? null;
}
