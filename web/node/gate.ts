// The node page's shell: the connection badge, and the gate shown instead of the console when
// this browser has no seat (or lost it).
import { CODE_RE } from '../lib/api';
import { byId, icon } from '../lib/dom';
import type { IconName } from '../lib/icons';
import { type Bi, bi, setBi } from '../lib/i18n';

/** The console gives way to a gate with a link back to the join page. */
export function gate(code: string, title: Bi, text: Bi, reason = ''): void {
  byId('console').hidden = true;
  const g = byId('gate');
  setBi(byId('gate-title'), title.fr, title.en);
  setBi(byId('gate-text'), text.fr, text.en);
  const r = byId('gate-reason');
  r.textContent = reason;
  r.hidden = !reason;
  byId<HTMLAnchorElement>('gate-link').href = CODE_RE.test(code) ? `/join.html?code=${code}` : '/join.html';
  g.hidden = false;
  setConn('closed');
}

type Conn = 'connecting' | 'online' | 'offline' | 'closed';
export function setConn(c: Conn): void {
  const b = byId('conn');
  const map: Record<Conn, [string, IconName, string, string]> = {
    connecting: ['info', 'hourglass', 'connexion…', 'connecting…'],
    online: ['ok', 'dot', 'connecté', 'connected'],
    offline: ['bad', 'warn', 'connexion perdue, nouvel essai…', 'connection lost, retrying…'],
    closed: ['muted', 'stop', 'déconnecté', 'disconnected'],
  };
  const [tone, sym, fr, en] = map[c];
  b.className = `badge conn ${tone}`;
  b.replaceChildren(icon(sym), bi(fr, en));
}
