// The Worker's front door against guessing and floods (docs/protocol.md, "Limits").
//
// Two Workers rate-limiting bindings (wrangler.toml `[[ratelimits]]`), both keyed per client
// address (CF-Connecting-IP):
// - LOOKUP_LIMITER counts every lookup, join and seat check. It is generous so a lecture hall
//   behind one NAT gets in (300 joins in a minute is ~900 requests with the page's lookups).
// - FAILURE_LIMITER counts failures only: an unknown join code or rejoin code, a wrong teacher
//   secret, a wrong instructor key. It is tight; once it trips, that client is refused for
//   RATE_LIMIT_BLOCK_SECONDS on that kind of door *before* anything is looked up, so a guesser
//   cannot tell a hit from a miss while blocked.
// The binding only says yes or no per call, so the "blocked until" time is kept in the isolate
// (best effort across isolates: the binding's counter is shared, each isolate blocks on the
// first failure it sees past the limit).
import type { Context } from 'hono';
import type { Env } from '../env';
import { apiError } from '../protocol/http';
import { labByCode } from '../db/queries';
import type { Lab } from '../db/schema';
import { isDerivedTeacherSecret, sameHash, sha256Hex } from './crypto';

/** Which failures share a counter: guessing codes does not lock the teacher out, and so on. */
export type Door = 'code' | 'teacher' | 'instructor';

const DEFAULT_BLOCK_SECONDS = 30;
/** The lookup limiter's window (wrangler.toml `period`): the longest a refused lookup waits. */
const LOOKUP_PERIOD_SECONDS = 60;
const MAX_TRACKED = 10_000;
const blockedUntil = new Map<string, number>();

type AnyC = Context<{ Bindings: Env }> | Context<{ Bindings: Env; Variables: { code: string } }>;

const enabled = (env: Env) => env.RATE_LIMITS !== 'off';
export const clientAddress = (c: AnyC) => clientKey(c.req.header('cf-connecting-ip') ?? 'local');

/** The rate-limit key of an address: an IPv4 address as is, an IPv6 address by its /64 (one
 * subscriber's network: a client rotating through its own /64 stays one client). */
export function clientKey(address: string): string {
  if (!address.includes(':')) return address;
  const [head, tail] = address.toLowerCase().split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

function blockSeconds(env: Env): number {
  const n = Number(env.RATE_LIMIT_BLOCK_SECONDS);
  return Number.isFinite(n) && n >= 1 ? Math.round(n) : DEFAULT_BLOCK_SECONDS;
}

export function tooMany(c: AnyC, retryAfterSeconds: number): Response {
  return c.json(
    apiError('rate_limited', `too many attempts: try again in ${retryAfterSeconds} s / trop de tentatives : réessayez dans ${retryAfterSeconds} s`),
    429,
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

/** Seconds this client must still wait at this door, or 0. */
export function blockedFor(c: AnyC, door: Door): number {
  if (!enabled(c.env)) return 0;
  const key = `${door}:${clientAddress(c)}`;
  const until = blockedUntil.get(key);
  if (until === undefined) return 0;
  const left = Math.ceil((until - Date.now()) / 1000);
  if (left <= 0) blockedUntil.delete(key);
  return Math.max(0, left);
}

/** Counts one failure at a door. Returns the seconds to wait when this failure tripped the limit. */
export async function failure(c: AnyC, door: Door): Promise<number> {
  if (!enabled(c.env) || !c.env.FAILURE_LIMITER) return 0;
  const key = `${door}:${clientAddress(c)}`;
  const { success } = await c.env.FAILURE_LIMITER.limit({ key });
  if (success) return 0;
  if (blockedUntil.size >= MAX_TRACKED) blockedUntil.clear();
  const seconds = blockSeconds(c.env);
  blockedUntil.set(key, Date.now() + seconds * 1000);
  return seconds;
}

/** Counts one lookup or join. Returns the seconds to wait when over the limit, else 0. */
export async function lookup(c: AnyC): Promise<number> {
  if (!enabled(c.env) || !c.env.LOOKUP_LIMITER) return 0;
  const { success } = await c.env.LOOKUP_LIMITER.limit({ key: `lookup:${clientAddress(c)}` });
  return success ? 0 : LOOKUP_PERIOD_SECONDS;
}

export const CODE_RE = /^[A-HJ-NP-Z2-9]{6}$/;

/** Why a lab was not found: unknown code (404) or a client over its guessing limit (429). */
export interface Refusal {
  refused: 'not_found' | 'rate_limited';
  wait: number;
}
export const isRefusal = (x: unknown): x is Refusal => !!x && typeof x === 'object' && 'refused' in x;

export function refusalResponse(c: AnyC, r: Refusal): Response {
  return r.refused === 'rate_limited' ? tooMany(c, r.wait) : c.json(apiError('not_found', 'no such lab'), 404);
}

/** Labs found lately, by code, in this isolate. Read only by a caller that passes a `maxAgeMs` and
 * needs no more than where the lab lives (the student socket: its room checks the rest), so a
 * reconnect storm is not one D1 query per socket. */
const knownLabs = new Map<string, { lab: Lab; at: number }>();
const KNOWN_LABS_MAX = 1000;
/** How old a cached lab the student socket route accepts. */
export const SOCKET_LAB_MAX_AGE_MS = 60_000;

/**
 * The lab behind a join code, from D1 only (or the cache above, when the caller allows it): an
 * unknown code never reaches (and so never creates) a Durable Object. A client already blocked at `door` is refused before the lookup; a malformed
 * or unknown code is a failure at `door`.
 */
export async function findLab(c: AnyC, rawCode: string, door: Door = 'code', maxAgeMs = 0): Promise<Lab | Refusal> {
  const blocked = blockedFor(c, door);
  if (blocked) return { refused: 'rate_limited', wait: blocked };
  const code = rawCode.toUpperCase();
  const cached = maxAgeMs > 0 ? knownLabs.get(code) : undefined;
  if (cached && Date.now() - cached.at <= maxAgeMs) return cached.lab;
  const lab = CODE_RE.test(code) ? await labByCode(c.env.DB, code) : null;
  if (lab) {
    if (knownLabs.size >= KNOWN_LABS_MAX) knownLabs.delete(knownLabs.keys().next().value!);
    knownLabs.set(code, { lab, at: Date.now() });
    return lab;
  }
  const wait = await failure(c, door);
  return wait ? { refused: 'rate_limited', wait } : { refused: 'not_found', wait: 0 };
}

/** The one check of a lab's teacher secret (HTTP, sockets, reports): the secret drawn at creation,
 * or the one the instructor key derives for this lab (teacher control from any device). */
export async function teacherSecretOk(env: Env, l: Lab, secret: string | null): Promise<boolean> {
  if (!secret || secret.length > 200) return false;
  if (await isDerivedTeacherSecret(env.TEACHER_KEY, l.code, secret)) return true;
  return sameHash(await sha256Hex(secret), l.teacherSecretHash);
}
