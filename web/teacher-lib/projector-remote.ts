// The dashboard's remote for the projector on a second device: its own read-only link (a key that
// opens the projector and nothing else) and the four modes — lobby, live, question, podium. The
// projector page (web/projector.ts) follows the mode within a couple of seconds.
import type { ProjectorMode } from '../../src/protocol/projector';
import { apiJson } from '../lib/api';
import { el } from '../lib/dom';
import { bi } from '../lib/i18n';

const MODES: { mode: ProjectorMode; fr: string; en: string }[] = [
  { mode: 'lobby', fr: 'Accueil (inscrits)', en: 'Lobby (who joined)' },
  { mode: 'live', fr: 'En direct (clusters)', en: 'Live (clusters)' },
  { mode: 'question', fr: 'Question (réponses)', en: 'Question (answers)' },
  { mode: 'podium', fr: 'Podium', en: 'Podium' },
];

/** A fieldset after `anchor`: the projector link, then one radio button per mode. */
export function mountProjectorRemote(code: string, secret: string, anchor: Element): void {
  const link = el('a', { class: 't-btn t-btn-small', attrs: { id: 'projector-link', target: '_blank', rel: 'noopener' } }, bi('Ouvrir le projecteur (autre appareil)', 'Open the projector (other device)'));
  const state = el('span', { class: 't-muted', attrs: { role: 'status' } });
  const radios = MODES.map((m) => {
    const input = el('input', { attrs: { type: 'radio', name: 'projector-mode', value: m.mode, id: `projector-mode-${m.mode}` } });
    input.addEventListener('change', async () => {
      const r = await apiJson<{ mode: ProjectorMode }>(`/api/labs/${code}/projector/mode`, { method: 'POST', token: secret, body: { mode: m.mode } });
      state.replaceChildren(r.ok ? bi('✓ projecteur à jour', '✓ projector updated') : bi('⚠ échec, réessayez', '⚠ failed, try again'));
    });
    return el('label', { class: 't-proj-mode', attrs: { for: input.id } }, input, bi(m.fr, m.en));
  });
  const box = el('fieldset', { class: 't-proj-remote', attrs: { id: 'projector-remote' } }, el('legend', {}, bi('Projecteur', 'Projector')), link, ...radios, state);
  anchor.after(box);
  void apiJson<{ path: string; mode: ProjectorMode }>(`/api/labs/${code}/projector/link`, { token: secret }).then((r) => {
    if (!r.ok) return;
    link.setAttribute('href', r.data.path);
    const on = box.querySelector<HTMLInputElement>(`input[value="${r.data.mode}"]`);
    if (on) on.checked = true;
  });
}
