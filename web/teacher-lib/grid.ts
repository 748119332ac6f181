// The summary grid of a large lab: one compact tile per team (name, quorum with symbol and word,
// nodes, incidents, score, why it needs the teacher, its students), teams in trouble first, a
// find-a-team box. Tiles come from the summaries the lab serves (src/protocol/summary.ts); a tile
// is redrawn only when its summary or its students changed. A tile is a button: it opens the
// team's full panel.
import type { TeamSummary } from '../../src/protocol/summary';
import { summaryKey } from '../../src/protocol/summary';
import { append, el } from '../lib/dom';
import { bi, biNum, biOf } from '../lib/i18n';
import type { Presence } from '../../src/protocol/messages';
import { troubles } from './trouble';
import { chip, glyph } from './ui';

export interface GridHooks {
  open(team: number): void;
  /** node → student name, from the roster */
  students(team: number): ReadonlyMap<string, string>;
  /** the number of teams in trouble changed */
  onTrouble(): void;
}

interface Tile {
  li: HTMLLIElement;
  button: HTMLButtonElement;
  key: string;
  trouble: boolean;
  names: string;
}

export class TeamGrid {
  readonly root: HTMLElement;
  private readonly find = el('input', { class: 't-find', attrs: { type: 'search', id: 'team-find', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'team-find-status' } });
  private readonly findStatus = el('p', { class: 't-small t-muted', attrs: { id: 'team-find-status', 'aria-live': 'polite' } });
  private readonly troubleList = el('ul', { class: 't-tiles', attrs: { 'aria-labelledby': 'tiles-trouble-title', id: 'tiles-trouble' } });
  private readonly okList = el('ul', { class: 't-tiles', attrs: { 'aria-labelledby': 'tiles-ok-title', id: 'tiles-ok' } });
  private readonly troubleHead = el('h3', { class: 't-tiles-head', attrs: { id: 'tiles-trouble-title' } });
  private readonly okHead = el('h3', { class: 't-tiles-head', attrs: { id: 'tiles-ok-title' } });
  private readonly okSection: HTMLElement;
  private readonly tiles = new Map<number, Tile>();
  private readonly data = new Map<number, { s: TeamSummary; receivedAt: number }>();

  constructor(private readonly hooks: GridHooks) {
    this.okSection = el('section', { class: 't-tiles-part' }, this.okHead, this.okList);
    this.root = el(
      'div',
      { class: 't-grid-view', attrs: { id: 'team-grid' } },
      el(
        'div',
        { class: 't-find-row' },
        el('label', { attrs: { for: 'team-find' } }, glyph('⌕'), bi('Trouver une équipe (numéro ou nom d’élève)', 'Find a team (number or student name)')),
        this.find,
        this.findStatus,
      ),
      el('section', { class: 't-tiles-part' }, this.troubleHead, this.troubleList),
      this.okSection,
    );
    this.find.addEventListener('input', () => this.filter());
    this.find.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const first = this.matches()[0];
      if (first !== undefined) this.hooks.open(first);
    });
    this.heads();
  }

  /** Tiles for teams 1..count (a team without a summary yet waits). */
  setCount(count: number): void {
    for (let t = this.tiles.size + 1; t <= count; t++) {
      const button = el('button', { class: 't-tile', attrs: { type: 'button', 'data-tile-team': t } });
      button.addEventListener('click', () => this.hooks.open(t));
      const li = el('li', { attrs: { 'data-tile': t } }, button);
      const tile: Tile = { li, button, key: '', trouble: false, names: '' };
      this.tiles.set(t, tile);
      this.draw(t, tile);
      this.place(t, tile);
    }
    this.heads();
  }

  update(list: TeamSummary[]): void {
    const now = Date.now();
    for (const s of list) if (Number.isInteger(s.team)) this.data.set(s.team, { s, receivedAt: now });
    this.redraw(list.map((s) => s.team));
  }

  /** The roster changed: tiles whose students changed are redrawn. */
  studentsChanged(): void {
    this.redraw([...this.tiles.keys()]);
  }

  /** Only the teams in trouble (the dashboard's filter). */
  setTroubleOnly(on: boolean): void {
    this.okSection.hidden = on;
  }

  get troubleCount(): number {
    return [...this.tiles.values()].filter((t) => t.trouble).length;
  }

  presence(team: number, node: string): (Presence & { receivedAt: number }) | undefined {
    const d = this.data.get(team);
    const p = d?.s.presence[node];
    return p && d ? { ...p, receivedAt: d.receivedAt } : undefined;
  }

  summary(team: number): TeamSummary | undefined {
    return this.data.get(team)?.s;
  }

  private redraw(teams: number[]): void {
    let moved = false;
    for (const t of teams) {
      const tile = this.tiles.get(t);
      if (!tile) continue;
      const was = tile.trouble;
      this.draw(t, tile);
      if (tile.trouble !== was) {
        this.place(t, tile);
        moved = true;
      }
    }
    if (moved) {
      this.heads();
      this.hooks.onTrouble();
    }
    if (this.find.value) this.filter();
  }

  private draw(team: number, tile: Tile): void {
    const s = this.data.get(team)?.s;
    const students = this.hooks.students(team);
    const names = [...students.values()].join(', ');
    const key = `${s ? summaryKey(s) : ''}|${names}`;
    if (key === tile.key) return;
    tile.key = key;
    tile.names = names.toLocaleLowerCase('fr');
    const name = el('span', { class: 't-tile-name' }, bi(`Équipe ${team}`, `Team ${team}`));
    if (!s) {
      tile.trouble = false;
      tile.button.replaceChildren(name, el('span', { class: 't-muted t-small' }, bi('en attente…', 'waiting…')));
      return;
    }
    const why = troubles(s, students);
    tile.trouble = why.length > 0;
    tile.li.dataset.trouble = tile.trouble ? 'yes' : 'no';
    const quorum =
      s.quorum === 'quorate'
        ? chip('ok', '✓', { fr: 'quorate', en: 'quorate' })
        : s.quorum === 'partial'
          ? chip('warn', '◐', { fr: 'quorum partiel', en: 'partial quorum' })
          : chip('bad', '✗', { fr: 'sans quorum', en: 'no quorum' });
    const points = biNum(s.score, 1);
    tile.button.replaceChildren();
    append(
      tile.button,
      el('span', { class: 't-tile-top' }, name, el('span', { class: 't-tile-score' }, bi(`${points.fr} pts`, `${points.en} pts`))),
      el('span', { class: 't-tile-state', attrs: { 'data-quorum': s.quorum } }, quorum, s.splitBrain ? chip('bad', '⚠', { fr: 'split-brain', en: 'split-brain' }) : null),
      el(
        'span',
        { class: 't-tile-facts t-small' },
        bi(`${s.nodesOn}/${s.nodes} nœuds allumés · ${s.incidents} incident${s.incidents > 1 ? 's' : ''}`, `${s.nodesOn}/${s.nodes} nodes on · ${s.incidents} incident${s.incidents === 1 ? '' : 's'}`),
      ),
      why.length ? el('span', { class: 't-tile-why t-small' }, glyph('⚠'), biOf(why[0]!), why.length > 1 ? ` +${why.length - 1}` : null) : null,
      names ? el('span', { class: 't-tile-names t-small t-muted', text: names }) : null,
    );
  }

  /** Into its list (trouble or fine), in team order, keeping the keyboard where it was. */
  private place(team: number, tile: Tile): void {
    const list = tile.trouble ? this.troubleList : this.okList;
    const focused = tile.li.contains(document.activeElement);
    const after = [...list.children].find((li) => Number((li as HTMLElement).dataset.tile) > team) ?? null;
    list.insertBefore(tile.li, after);
    if (focused) tile.button.focus();
  }

  private heads(): void {
    const n = this.troubleCount;
    const ok = this.tiles.size - n;
    this.troubleHead.replaceChildren(glyph('⚠'), bi(`À surveiller (${n})`, `Needs attention (${n})`));
    this.okHead.replaceChildren(glyph('✓'), bi(`Tout va bien (${ok})`, `All fine (${ok})`));
    this.troubleList.hidden = n === 0;
    this.troubleHead.classList.toggle('t-muted', n === 0);
  }

  private matches(): number[] {
    const q = this.find.value.trim().toLocaleLowerCase('fr');
    if (!q) return [...this.tiles.keys()];
    const num = /^\d+$/.test(q) ? Number(q) : null;
    return [...this.tiles.entries()].filter(([t, tile]) => t === num || tile.names.includes(q)).map(([t]) => t).sort((a, b) => (a === num ? -1 : b === num ? 1 : a - b));
  }

  private filter(): void {
    const q = this.find.value.trim();
    const hits = new Set(this.matches());
    for (const [t, tile] of this.tiles) tile.li.hidden = !hits.has(t);
    this.findStatus.replaceChildren(
      !q ? '' : hits.size === 0 ? bi('Aucune équipe trouvée.', 'No team found.') : bi(`${hits.size} équipe(s) — Entrée ouvre la première.`, `${hits.size} team(s) — Enter opens the first.`),
    );
  }
}
