// What the dashboard remembers for this browser tab only (sessionStorage): the instructor key
// and each lab's teacher secret. Nothing goes to localStorage, a URL query or a third party.
const KEY = 'quorum-lab.teacher.key';
const SECRET = (code: string) => `quorum-lab.teacher.secret.${code}`;

function get(k: string): string | null {
  try {
    return sessionStorage.getItem(k);
  } catch {
    return null; // storage blocked: the page still works until a reload
  }
}
function set(k: string, v: string | null): void {
  try {
    if (v === null) sessionStorage.removeItem(k);
    else sessionStorage.setItem(k, v);
  } catch {
    // not remembered
  }
}

export const instructorKey = {
  get: () => get(KEY),
  set: (v: string | null) => set(KEY, v),
};

export const labSecret = {
  get: (code: string) => get(SECRET(code)),
  set: (code: string, v: string | null) => set(SECRET(code), v),
};

/** Takes `#secret=…` off the address bar (it would show on the projector) and returns it. */
export function takeSecretFromFragment(): string | null {
  const m = /(?:^#|&)secret=([^&]+)/.exec(location.hash);
  if (!m) return null;
  history.replaceState(null, '', location.pathname + location.search);
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
}
