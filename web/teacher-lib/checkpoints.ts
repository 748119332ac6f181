// The dashboard's checkpoint card: open one of the scenario's checkpoints now (on every team),
// close the open one, and watch the answers arrive per team (teacher snapshots carry the counts).
import type { RoomSnapshot } from '../../src/protocol/messages';
import { apiJson as api, errorText } from '../lib/api';
import { el } from '../lib/dom';
import { bi, biText, type Bi } from '../lib/i18n';
import { BAD_SECRET, glyph, toast } from './ui';

type Open = NonNullable<RoomSnapshot['checkpoint']>;

export function checkpointCard(base: string, secret: string, checkpoints: { id: string; title: Bi }[]): { root: HTMLElement; update(team: number, cp: Open | null | undefined): void } {
  const pick = el('select', { class: 't-checkpoint-pick', attrs: { id: 'checkpoint-pick', 'aria-label': 'checkpoint' } });
  for (const c of checkpoints) {
    const o = el('option', { attrs: { value: c.id } });
    biText(o, c.title.fr, c.title.en);
    pick.append(o);
  }
  const counts = el('ul', { class: 't-checkpoint-counts', attrs: { id: 'checkpoint-counts', 'aria-live': 'polite' } });
  const teams = new Map<number, Open | null>();
  const act = async (action: 'open' | 'close', btn: HTMLButtonElement) => {
    btn.disabled = true;
    const r = await api<{ id?: string }>(`${base}/teacher/checkpoint`, { method: 'POST', token: secret, body: action === 'open' ? { action, id: pick.value } : { action } });
    btn.disabled = false;
    if (r.ok) toast(action === 'open' ? { fr: 'Point d’étape ouvert pour toutes les équipes.', en: 'Checkpoint opened for every team.' } : { fr: 'Point d’étape fermé : les résultats sont envoyés.', en: 'Checkpoint closed: results sent.' }, 'ok');
    else toast(errorText(r, BAD_SECRET), 'bad');
  };
  const openBtn: HTMLButtonElement = el('button', { class: 't-btn', attrs: { type: 'button', id: 'checkpoint-open' }, on: { click: () => void act('open', openBtn) } }, glyph('✎'), bi('Ouvrir maintenant', 'Open now'));
  const closeBtn: HTMLButtonElement = el('button', { class: 't-btn', attrs: { type: 'button', id: 'checkpoint-close' }, on: { click: () => void act('close', closeBtn) } }, glyph('■'), bi('Fermer et révéler', 'Close and reveal'));
  const root = el(
    'section',
    { class: 't-card', attrs: { id: 'checkpoint-card', 'aria-labelledby': 'checkpoint-card-title' } },
    el('h2', { id: 'checkpoint-card-title' }, glyph('✎'), bi('Points d’étape', 'Checkpoints')),
    el('p', { class: 't-small t-muted' }, bi('Chaque étudiant répond sur SON nœud ; les bonnes réponses sont calculées par nœud.', 'Each student answers about THEIR node; right answers are computed per node.')),
    el('div', { class: 't-checkpoint-row' }, pick, openBtn, closeBtn),
    counts,
  );
  function render(): void {
    // One line per team with a checkpoint open; the others in one line (a lab may have 100 teams).
    const idle = [...teams.values()].filter((cp) => !cp).length;
    counts.replaceChildren(
      ...[...teams.entries()]
        .filter(([, cp]) => cp)
        .sort(([a], [b]) => a - b)
        .map(([team, cp]) =>
          el(
            'li',
            { attrs: { 'data-checkpoint-team': team } },
            bi(`Équipe ${team} : « ${cp!.title.fr} » — ${cp!.answered}/${cp!.expected} réponses`, `Team ${team}: “${cp!.title.en}” — ${cp!.answered}/${cp!.expected} answers`),
          ),
        ),
      ...(idle ? [el('li', { class: 't-muted' }, bi(`${idle} équipe${idle > 1 ? 's' : ''} sans point d’étape ouvert`, `${idle} team${idle > 1 ? 's' : ''} with no checkpoint open`))] : []),
    );
    const anyOpen = [...teams.values()].some((c) => !!c);
    closeBtn.disabled = !anyOpen;
    root.dataset.open = String(anyOpen);
  }
  render();
  return {
    root,
    update(team, cp) {
      const key = JSON.stringify(cp ?? null);
      if (JSON.stringify(teams.get(team) ?? null) === key && teams.has(team)) return;
      teams.set(team, cp ?? null);
      render();
    },
  };
}
