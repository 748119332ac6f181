// Pulse heartbeat mode: the student keeps the node alive by hand (button, Space/Enter outside a
// field, Alt+P anywhere, Enter on an empty terminal line); the meter shows how long is left.
import { byId, icon } from '../lib/dom';
import { bi, secs } from '../lib/i18n';
import { notice } from './notices';
import { page, wall } from './state';

const PULSE_MIN_GAP_MS = 150; // key repeat must not hit the server's rate limit (10 frames/s)

let lastPulse = 0;
let send: () => boolean = () => false;
/** How a pulse reaches the server (the page's socket). */
export function pulseVia(fn: () => boolean): void {
  send = fn;
}
/** The server counts every node as just heard at start and on resume (pulse mode grace). */
export function pulseGrace(): void {
  lastPulse = Math.max(lastPulse, Date.now());
}

const pulseBtn = byId<HTMLButtonElement>('pulse-btn');
pulseBtn.prepend(icon('heart'));


export function pulse(): void {
  const now = Date.now();
  if (now - lastPulse < PULSE_MIN_GAP_MS) return;
  if (!send()) return notice('not_connected', '');
  lastPulse = now;
  pulseBtn.classList.remove('beat');
  void pulseBtn.offsetWidth; // restart the animation
  pulseBtn.classList.add('beat');
  paintPulse();
}

export const pulsing = () => page.settings?.heartbeatMode === 'pulse' && page.seat?.role === 'node';
pulseBtn.addEventListener('click', pulse);
// Alt+P pulses from anywhere, the terminal included (capture phase: the letter is not typed).
document.addEventListener(
  'keydown',
  (e) => {
    if (!pulsing() || !e.altKey || e.ctrlKey || e.metaKey || e.code !== 'KeyP') return;
    e.preventDefault();
    e.stopPropagation();
    if (!e.repeat) pulse();
  },
  true,
);
document.addEventListener('keydown', (e) => {
  if (!pulsing()) return;
  if (e.key !== ' ' && e.key !== 'Enter') return;
  if (e.repeat || e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target as HTMLElement | null;
  // Keys typed into a field or on a button keep their usual meaning.
  if (t?.closest('input, textarea, select, button, a, [contenteditable], [role="alertdialog"]')) return;
  e.preventDefault();
  pulse();
});

export function paintPulse(): void {
  if (page.settings?.heartbeatMode !== 'pulse' || page.seat?.role !== 'node' || !page.timing) return;
  // Silent longer than deadAfterMs (sim time, the engine's profile): the peers drop this node.
  const limit = wall(page.timing.deadAfterMs);
  const age = lastPulse ? Date.now() - lastPulse : null;
  const meter = byId('pulse-meter');
  const text = byId('pulse-age');
  const help = byId('pulse-help');
  const limitS = { fr: secs(limit, 'fr'), en: secs(limit, 'en') };
  help.replaceChildren(
    bi(
      `Appuyez sur le bouton, sur Espace / Entrée hors du terminal, sur Alt+P partout, ou sur Entrée sur une ligne vide du terminal, au moins toutes les quelques secondes. Après ${limitS.fr} s sans battement, les autres nœuds déclarent le vôtre mort.`,
      `Press the button, Space / Enter outside the terminal, Alt+P anywhere, or Enter on an empty terminal line, at least every few seconds. After ${limitS.en} s without a pulse, the other nodes declare yours dead.`,
    ),
  );
  const ratio = age === null ? 1 : Math.min(1, age / limit);
  meter.style.width = `${Math.round((1 - ratio) * 100)}%`;
  const tone = age === null || age >= limit ? 'bad' : age >= limit * 0.6 ? 'warn' : 'ok';
  text.className = `pulse-age ${tone}`;
  meter.className = tone;
  if (age === null) text.replaceChildren(icon('cross'), bi('Aucun battement envoyé depuis l’ouverture de la page.', 'No pulse sent since this page opened.'));
  else if (age >= limit) text.replaceChildren(icon('cross'), bi(`Aucun battement depuis ${secs(age, 'fr')} s : votre nœud est déclaré mort.`, `No pulse for ${secs(age, 'en')} s: your node is declared dead.`));
  else
    text.replaceChildren(
      icon(tone === 'ok' ? 'heart' : 'warn'),
      bi(`Dernier battement il y a ${secs(age, 'fr', 1)} s (mort à ${limitS.fr} s).`, `Last pulse ${secs(age, 'en', 1)} s ago (dead at ${limitS.en} s).`),
    );
}
