// HTTP helpers for the lab API (docs/protocol.md): JSON bodies, errors `{error:{code,message}}`,
// and what those error codes mean in both languages. Each page may word a code its own way.
import type { Bi } from './i18n';
import { NAME_RULE } from '../../src/protocol/limits';

/** Join codes: 6 characters without 0/O/1/I. */
export const CODE_RE = /^[A-HJ-NP-Z2-9]{6}$/;

export function normalizeCode(raw: string): string {
  return raw.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 6);
}

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; code: string; message: string };

export async function apiJson<T>(path: string, init: { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; token?: string; body?: unknown } = {}): Promise<ApiResult<T>> {
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
      // Tokens and secrets travel in a header only; no referrer leaks the page address either.
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

/** Page-specific wording of some error codes (the join form, the teacher's secret…). */
export type ErrorWords = Partial<Record<string, Bi>>;

/** What the API's error codes mean, for anyone. */
const ERRORS: ErrorWords = {
  network: { fr: 'Serveur injoignable. Vérifiez la connexion.', en: 'Cannot reach the server. Check the connection.' },
  too_big: { fr: 'Requête trop grande.', en: 'Request too large.' },
  bad_json: { fr: 'Requête invalide.', en: 'Invalid request.' },
  bad_request: { fr: 'Formulaire invalide.', en: 'Invalid form.' },
  not_found: { fr: 'Aucun lab avec ce code.', en: 'No lab with this code.' },
  lab_ended: { fr: 'Ce lab est terminé.', en: 'This lab has ended.' },
  lab_full: { fr: 'Toutes les places de ce lab sont prises.', en: 'Every seat in this lab is taken.' },
  locked: { fr: 'L’enseignant a verrouillé les inscriptions.', en: 'The teacher has locked joining.' },
  name_taken: { fr: 'Ce nom est déjà utilisé dans ce lab. Choisissez-en un autre.', en: 'This name is already used in this lab. Pick another one.' },
  team_full: { fr: 'Cette équipe est complète.', en: 'This team is full.' },
  bad_team: { fr: 'Cette équipe n’existe pas.', en: 'There is no such team.' },
  no_seat: { fr: 'Cette place n’existe plus.', en: 'This seat no longer exists.' },
  bad_transition: { fr: 'Action impossible dans l’état actuel du lab.', en: 'Not possible in the lab’s current state.' },
  unknown_node: { fr: 'Ce scénario n’a pas ce nœud.', en: 'This scenario has no such node.' },
  unknown_scenario: { fr: 'Scénario inconnu.', en: 'Unknown scenario.' },
  bad_name: NAME_RULE,
  kicked: { fr: 'L’enseignant vous a retiré de ce lab. Demandez-lui de vous réadmettre.', en: 'The teacher removed you from this lab. Ask them to let you back in.' },
  rate_limited: { fr: 'Trop de tentatives. Patientez quelques secondes puis réessayez.', en: 'Too many attempts. Wait a few seconds, then try again.' },
  bad_rejoin_code: { fr: 'Ce code de reprise ne correspond pas à ce nom.', en: 'This rejoin code does not match this name.' },
  seat_gone: { fr: 'Cette place a été libérée : rejoignez le lab sans code.', en: 'This seat was freed: join the lab without a code.' },
};

/** The meaning of an error code, or null when neither the page nor this file knows it. */
export function apiErrorText(code: string, words: ErrorWords = {}): Bi | null {
  return words[code] ?? ERRORS[code] ?? null;
}

/** The meaning of an error; an unknown code shows the server's own message. */
export function errorText(r: { code: string; message: string }, words: ErrorWords = {}): Bi {
  return apiErrorText(r.code, words) ?? { fr: `Erreur (${r.code}) : ${r.message}`, en: `Error (${r.code}): ${r.message}` };
}
