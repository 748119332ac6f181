// The node page's notices: error frames in the reader's language, dismissable, at most three.
import { byId, el, icon } from '../lib/dom';
import { type Bi, biAttr, biOf } from '../lib/i18n';

export const ERROR_TEXT: Record<string, Bi> = {
  not_running: { fr: 'Le lab n’est pas en cours : commandes et votes attendent le démarrage (ou la reprise).', en: 'The lab is not running: commands and votes wait for it to start (or resume).' },
  rate_limited: { fr: 'Trop de messages : ralentissez (10 par seconde au plus).', en: 'Too many messages: slow down (at most 10 per second).' },
  vote_closed: { fr: 'Ce vote est déjà clos.', en: 'This vote is already closed.' },
  already_voted: { fr: 'Vous avez déjà voté.', en: 'You have already voted.' },
  not_voter: { fr: 'Ce nœud ne vote pas sur cette question.', en: 'This node has no say in this vote.' },
  forbidden: { fr: 'Action refusée pour ce siège.', en: 'This seat may not do that.' },
  not_a_node: { fr: 'Action réservée aux nœuds.', en: 'Only nodes can do that.' },
  kicked: { fr: 'Vous avez été retiré de ce siège.', en: 'You were removed from this seat.' },
  moved: { fr: 'L’enseignant vous déplace dans une autre équipe : reconnexion…', en: 'The teacher is moving you to another team: reconnecting…' },
  internal: { fr: 'Erreur interne du serveur ; le lab continue.', en: 'Internal server error; the lab goes on.' },
  not_connected: { fr: 'Pas de connexion au serveur : rien n’a été envoyé.', en: 'Not connected to the server: nothing was sent.' },
};

/** The seat left this browser: taken back elsewhere with the rejoin code, or revoked. */
export const SEAT_ELSEWHERE: Bi = {
  fr: 'Cette place a été reprise sur un autre appareil (nom et code de reprise) ou révoquée. Pour la récupérer ici, rejoignez le lab avec votre nom et votre code de reprise.',
  en: 'This seat was taken back on another device (name and rejoin code) or revoked. To get it back here, join the lab with your name and your rejoin code.',
};

export function notice(codeStr: string, message: string): void {
  const known = ERROR_TEXT[codeStr];
  // The server's own words (English) only when this page cannot say it in the reader's language.
  showNotice(codeStr, 'warn', known ?? { fr: 'Refusé par le serveur.', en: 'Refused by the server.' }, known ? '' : message, 20_000);
}

/** A dismissable message above the panels, most recent first, at most three. */
export function showNotice(codeStr: string, tone: 'warn' | 'info', text: Bi, message = '', lifetimeMs: number | null = null): void {
  const box = byId('notices');
  const close = el('button', { class: 'notice-close', attrs: { type: 'button' } }, icon('close'));
  biAttr(close, 'aria-label', 'Fermer ce message', 'Dismiss this message');
  const n = el(
    'div',
    { class: `notice ${tone}`, attrs: { role: tone === 'warn' ? 'alert' : 'status', 'data-code': codeStr } },
    icon(tone === 'warn' ? 'warn' : 'info'),
    el('p', {}, biOf(text), message ? el('span', { class: 'server-msg', text: ` ${message}` }) : null),
    close,
  );
  close.addEventListener('click', () => n.remove());
  box.prepend(n);
  while (box.children.length > 3) box.lastElementChild?.remove();
  if (lifetimeMs !== null) setTimeout(() => n.remove(), lifetimeMs);
}
