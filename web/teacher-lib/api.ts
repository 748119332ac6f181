// HTTP calls of the teacher dashboard (docs/protocol.md). Errors are `{error:{code,message}}`.
import type { Bi } from './i18n';

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; code: string; message: string };

export async function api<T>(path: string, init: { method?: 'GET' | 'POST'; token?: string; body?: unknown } = {}): Promise<ApiResult<T>> {
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
      // The secret travels in a header only; no referrer leaks the page address either.
      referrerPolicy: 'no-referrer',
    });
  } catch (err) {
    return { ok: false, status: 0, code: 'network', message: err instanceof Error ? err.message : String(err) };
  }
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    // not JSON (a proxy's error page, for instance)
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

/** Teacher-facing meaning of the API's error codes. Unknown codes show the server's message. */
const ERRORS: Record<string, Bi> = {
  network: { fr: 'Serveur injoignable. Vérifiez la connexion.', en: 'Cannot reach the server. Check the connection.' },
  bad_transition: { fr: 'Action impossible dans l’état actuel du lab.', en: 'Not possible in the lab’s current state.' },
  lab_ended: { fr: 'Ce lab est terminé.', en: 'This lab has ended.' },
  unknown_node: { fr: 'Ce scénario n’a pas ce nœud.', en: 'This scenario has no such node.' },
  bad_team: { fr: 'Cette équipe n’existe pas.', en: 'There is no such team.' },
  team_full: { fr: 'Cette équipe est complète.', en: 'This team is full.' },
  no_seat: { fr: 'Cette place n’existe plus.', en: 'This seat no longer exists.' },
  unknown_scenario: { fr: 'Scénario inconnu.', en: 'Unknown scenario.' },
  bad_request: { fr: 'Formulaire invalide.', en: 'Invalid form.' },
  not_found: { fr: 'Aucun lab avec ce code.', en: 'No lab with this code.' },
  too_big: { fr: 'Requête trop grande.', en: 'Request too large.' },
};

export function errorText(r: { code: string; message: string }, unauthorized: Bi): Bi {
  if (r.code === 'unauthorized') return unauthorized;
  const known = ERRORS[r.code];
  if (known) return known;
  return { fr: `Erreur (${r.code}) : ${r.message}`, en: `Error (${r.code}): ${r.message}` };
}

export const BAD_KEY: Bi = { fr: 'Clé enseignant absente ou incorrecte.', en: 'The instructor key is missing or wrong.' };
export const BAD_SECRET: Bi = {
  fr: 'Secret de ce lab absent ou incorrect : ouvrez le lien enseignant reçu à la création.',
  en: 'This lab’s secret is missing or wrong: open the teacher link you got when creating it.',
};
