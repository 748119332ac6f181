// The lists below a team's live view: open fencing votes, the next scheduled faults, incidents
// over. Nothing when empty.
import { el, type Child } from '../lib/dom';
import { voteStatus, incidentKind } from '../lib/events';
import { bi, biOf, clock, duration, type Bi } from '../lib/i18n';
import { describeFault } from '../../src/protocol/wording';
import type { Snapshot } from './snapshot';
import { glyph } from './ui';

export function votesList(s: Snapshot, scale: number): HTMLElement[] {
  const items = s.votes
    .filter((v) => v.status === 'open')
    .map((v) => {
      const left = Math.max(0, Math.ceil((v.deadline - s.now) / scale / 1000));
      const quorum = typeof v.quorum === 'number' ? v.quorum : '?';
      const st = voteStatus(v.status);
      return el(
        'li',
        { attrs: { 'data-vote': v.id } },
        bi(
          `n°${v.id} : clôturer ${v.target} ? ${v.yes} oui, quorum ${quorum} · votants ${v.partition.join(', ')} · ${st.fr}, fin dans ${left} s`,
          `#${v.id}: fence ${v.target}? ${v.yes} yes, quorum ${quorum} · voters ${v.partition.join(', ')} · ${st.en}, closes in ${left} s`,
        ),
      );
    });
  return block('t-votes', [glyph('☑'), bi('Votes de fencing ouverts', 'Open fencing votes')], 'ul', items);
}

/** The next faults of the scenario's timeline: when, what breaks, what the note says. */
export function upcomingList(s: Snapshot, scale: number): HTMLElement[] {
  const items = (s.upcoming ?? [])
    .filter((u) => u && typeof u.atMs === 'number')
    .map((u) => {
      const inS = Math.max(0, Math.ceil((u.atMs - s.now) / scale / 1000));
      const note: Bi = { fr: typeof u.note?.fr === 'string' ? u.note.fr : '', en: typeof u.note?.en === 'string' ? u.note.en : '' };
      return el(
        'li',
        { attrs: { 'data-at': u.atMs } },
        el('span', { class: 't-up-when' }, bi(`t=${clock(u.atMs)} (dans ${inS} s)`, `t=${clock(u.atMs)} (in ${inS} s)`)),
        ' ',
        el('span', { class: 't-up-what' }, biOf(describeFault(u.fault))),
        note.fr || note.en ? el('span', { class: 't-up-note t-muted' }, ' — ', biOf(note)) : null,
      );
    });
  return block('t-upcoming', [glyph('⚡'), bi('Prochaines pannes programmées', 'Next scheduled faults')], 'ol', items);
}

export function incidentsClosedList(s: Snapshot): HTMLElement[] {
  const items = s.incidents
    .filter((i) => i.endedAt !== null)
    .map((i) => {
      const k = incidentKind(i.kind);
      const d = duration((i.endedAt ?? s.now) - i.startedAt);
      return el(
        'li',
        {},
        glyph('✓'),
        bi(`n°${i.id} ${k.fr} — durée ${d} (t=${clock(i.startedAt)}) — `, `#${i.id} ${k.en} — lasted ${d} (t=${clock(i.startedAt)}) — `),
        el('span', { class: 't-muted', text: i.cause }),
      );
    });
  return block('t-incidents-closed', [bi('Incidents terminés', 'Incidents over')], 'ul', items);
}

/** A titled list below the live view (open votes, scheduled faults, incidents over); nothing when empty. */
function block(cls: string, title: Child[], list: 'ul' | 'ol', items: HTMLElement[]): HTMLElement[] {
  return items.length ? [el('div', { class: cls }, el('h4', {}, ...title), el(list, {}, ...items))] : [];
}
