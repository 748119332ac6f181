// The leaderboard, on the dashboard and in the projector view. Equal points share a rank (1, 1, 3…).
import type { LeaderboardRow } from '../../src/protocol/lobby';
import { el } from '../lib/dom';
import { bi, biNum, biOf } from '../lib/i18n';

/** A leaderboard row as the server sends it. */
export type BoardRow = LeaderboardRow;

export function renderBoard(board: HTMLElement, proj: HTMLElement, rows: BoardRow[]): void {
  const rank = rows.map((row, i) => (i > 0 && rows[i - 1]!.total === row.total ? -1 : i + 1));
  for (let i = 1; i < rank.length; i++) if (rank[i] === -1) rank[i] = rank[i - 1]!;
  const th = (fr: string, en: string) => el('th', { attrs: { scope: 'col' } }, bi(fr, en));
  const pct = (x: number) => biNum(x * 100, 0);
  board.replaceChildren(
    el(
      'div',
      { class: 't-table-wrap', attrs: { tabindex: '0', role: 'region', 'aria-labelledby': 'board-title' } },
      el(
        'table',
        { class: 't-table t-board' },
        el('thead', {}, el('tr', {}, th('#', '#'), th('Équipe', 'Team'), th('Points', 'Points'), th('Dispo.', 'Avail.'), th('Incidents', 'Incidents'))),
        el(
          'tbody',
          {},
          ...rows.map((row, i) =>
            el(
              'tr',
              {},
              el('td', { text: String(rank[i]) }),
              el('td', {}, bi(`Équipe ${row.team}`, `Team ${row.team}`)),
              el('td', { class: 't-num' }, biOf(biNum(row.total, 1))),
              el('td', { class: 't-num' }, bi(`${pct(row.availability).fr} %`, `${pct(row.availability).en} %`)),
              el('td', { class: 't-num', text: String(row.incidents) }),
            ),
          ),
        ),
      ),
    ),
  );
  proj.replaceChildren(
    ...rows.map((row, i) =>
      el(
        'li',
        { class: rank[i] === 1 ? 't-proj-first' : '' },
        el('span', { class: 't-proj-rank', text: String(rank[i]) }),
        el('span', { class: 't-proj-team' }, bi(`Équipe ${row.team}`, `Team ${row.team}`)),
        el('span', { class: 't-proj-pts' }, bi(`${biNum(row.total, 1).fr} pts`, `${biNum(row.total, 1).en} pts`)),
        el('span', { class: 't-proj-avail' }, bi(`dispo ${pct(row.availability).fr} %`, `avail. ${pct(row.availability).en} %`)),
      ),
    ),
  );
}
