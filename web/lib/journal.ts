// The node page's journal: newest line first, at most `max` lines; a line equal to the newest one
// is folded into it with a count ("heartbeat perdu ×3") instead of pushing the others out.
import { el, icon } from './dom';
import type { Line } from './events';
import { biOf } from './i18n';

const time = (ms: number) => new Date(ms).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export class Journal {
  constructor(
    private readonly target: () => HTMLElement,
    private readonly max = 40,
  ) {}

  /** Adds a line; `at` is the wall time it happened (now by default). */
  add(l: Line, at = Date.now()): void {
    const j = this.target();
    const key = `${l.tone}|${l.fr}`;
    const top = j.firstElementChild as HTMLElement | null;
    if (top && top.dataset.key === key) {
      const n = Number(top.dataset.count ?? '1') + 1;
      top.dataset.count = String(n);
      top.querySelector('time')!.textContent = time(at);
      top.querySelector('.log-count')!.textContent = `×${n}`;
      return;
    }
    j.prepend(
      el(
        'li',
        { class: `log ${l.tone}`, attrs: { 'data-key': key, 'data-count': '1' } },
        el('time', { class: 'mono', text: time(at) }),
        icon(l.icon),
        el('span', {}, biOf(l)),
        el('span', { class: 'log-count mono' }),
      ),
    );
    while (j.children.length > this.max) j.lastElementChild?.remove();
  }

  clear(): void {
    this.target().replaceChildren();
  }
}
