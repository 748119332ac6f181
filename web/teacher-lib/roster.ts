// The roster tab: who joined, where they sit, whether their browser is still connected (from the
// team sockets' presence), their rejoin code when the server gives one, and move / remove.
import type { Presence } from '../../src/protocol/messages';
import { el } from '../lib/dom';
import { bi, biAttr, biDate, biText, duration, type Bi } from '../lib/i18n';
import { glyph, toast } from './ui';

export interface Seat {
  seatId: string;
  name: string;
  team: number;
  node: string;
  role: string;
  kicked: boolean;
  /** kicked and not yet allowed back (servers with seat lifecycle) */
  banned?: boolean;
  joinedAt: number;
  /** per-seat code to take the seat back from another device (servers with seat rejoin only) */
  rejoinCode?: string;
}

export interface RosterHooks {
  teams(): number;
  presence(team: number, node: string): (Presence & { receivedAt: number }) | undefined;
  act(action: 'kick' | 'move' | 'allow', body: unknown, btn: HTMLButtonElement, done: Bi): Promise<void>;
  copy(text: string): Promise<void>;
  joinUrl: string;
  ended(): boolean;
}

/** "connected" / "disconnected for 2 min 05 s" — a student's browser, not their node. */
export function presenceChip(p: (Presence & { receivedAt: number }) | undefined): HTMLElement {
  if (!p) return el('span', { class: 't-chip t-muted' }, glyph('?'), bi('inconnu', 'unknown'));
  if (p.online) return el('span', { class: 't-chip t-ok', attrs: { 'data-presence': 'online' } }, glyph('●'), bi('connecté', 'connected'));
  const since = p.agoMs === null ? null : duration(p.agoMs + (Date.now() - p.receivedAt));
  return el(
    'span',
    { class: 't-chip t-warn', attrs: { 'data-presence': 'offline' } },
    glyph('☾'),
    since ? bi(`élève déconnecté depuis ${since}`, `student disconnected for ${since}`) : bi('élève déconnecté', 'student disconnected'),
  );
}

export function renderRosterTable(box: HTMLElement, seats: Seat[], h: RosterHooks): void {
  if (!seats.length) {
    box.replaceChildren(el('p', { class: 't-muted' }, bi('Personne n’a encore rejoint. Affichez le code ou le QR code au tableau.', 'Nobody has joined yet. Show the code or the QR code on the board.')));
    return;
  }
  const th = (fr: string, en: string) => el('th', { attrs: { scope: 'col' } }, bi(fr, en));
  const rows = [...seats]
    .sort((a, b) => Number(a.kicked) - Number(b.kicked) || a.team - b.team || a.node.localeCompare(b.node, 'en', { numeric: true }))
    .map((s) => {
      const actions = el('td', { class: 't-roster-actions' });
      if (s.kicked) {
        actions.append(el('span', { class: 't-chip t-muted' }, glyph('⊘'), bi('retiré', 'removed')));
        // A kick holds (same browser, same name) until the teacher lets the student back in.
        if (s.banned && !h.ended()) {
          const allow = el('button', { class: 't-btn t-btn-small', attrs: { type: 'button' } }, glyph('↺'), bi('Réadmettre', 'Allow back'));
          biAttr(allow, 'aria-label', `Réadmettre ${s.name}`, `Allow ${s.name} back`);
          allow.addEventListener('click', () => void h.act('allow', { seatId: s.seatId }, allow, { fr: `${s.name} peut rejoindre à nouveau.`, en: `${s.name} may join again.` }));
          actions.append(' ', allow);
        }
      } else if (!h.ended()) {
        const sel = el('select', {});
        biAttr(sel, 'aria-label', `Nouvelle équipe pour ${s.name}`, `New team for ${s.name}`);
        for (let n = 1; n <= h.teams(); n++) {
          const o = el('option', { attrs: { value: n } });
          biText(o, `Équipe ${n}`, `Team ${n}`);
          sel.append(o);
        }
        sel.value = String(s.team);
        const move = el('button', { class: 't-btn t-btn-small', attrs: { type: 'button' } }, glyph('⇄'), bi('Déplacer', 'Move'));
        biAttr(move, 'aria-label', `Déplacer ${s.name}`, `Move ${s.name}`);
        move.addEventListener('click', () => {
          const team = Number(sel.value);
          if (team === s.team) return toast({ fr: `${s.name} est déjà dans l’équipe ${team}.`, en: `${s.name} is already in team ${team}.` }, 'info');
          void h.act('move', { seatId: s.seatId, team }, move, { fr: `${s.name} déplacé(e) dans l’équipe ${team}.`, en: `${s.name} moved to team ${team}.` });
        });
        const kick = el('button', { class: 't-btn t-btn-small t-btn-danger', attrs: { type: 'button' } }, glyph('⊘'), bi('Retirer', 'Remove'));
        biAttr(kick, 'aria-label', `Retirer ${s.name}`, `Remove ${s.name}`);
        kick.addEventListener('click', () => {
          const q = document.documentElement.lang === 'en' ? `Remove ${s.name} from the lab? Their node goes back to autopilot.` : `Retirer ${s.name} du lab ? Son nœud repasse en autopilote.`;
          if (confirm(q)) void h.act('kick', { seatId: s.seatId }, kick, { fr: `${s.name} retiré(e).`, en: `${s.name} removed.` });
        });
        actions.append(sel, move, kick);
      }
      const rejoin = el('td', { class: 't-rejoin' });
      if (s.rejoinCode && !s.kicked) {
        const url = `${h.joinUrl}&name=${encodeURIComponent(s.name)}&rejoin=${encodeURIComponent(s.rejoinCode)}`;
        const copy = el('button', { class: 't-btn t-btn-small', attrs: { type: 'button' } }, glyph('❐'), bi('Lien de reprise', 'Rejoin link'));
        biAttr(copy, 'aria-label', `Copier le lien de reprise de ${s.name}`, `Copy ${s.name}’s rejoin link`);
        copy.addEventListener('click', () => void h.copy(url));
        rejoin.append(el('span', { class: 't-mono', text: s.rejoinCode, attrs: { 'data-rejoin': s.rejoinCode } }), ' ', copy);
      } else rejoin.append(el('span', { class: 't-muted', text: '—' }));
      return el(
        'tr',
        { class: s.kicked ? 't-kicked' : '', attrs: { 'data-seat': s.seatId } },
        el('td', { class: 't-name', text: s.name }),
        el('td', {}, bi(`Équipe ${s.team}`, `Team ${s.team}`)),
        el('td', { class: 't-mono', text: s.role === 'qdevice' ? 'QDevice' : s.node }),
        el('td', {}, s.kicked ? el('span', { class: 't-muted', text: '—' }) : presenceChip(h.presence(s.team, s.node))),
        rejoin,
        el('td', {}, biDateSpan(s.joinedAt)),
        actions,
      );
    });
  box.replaceChildren(
    el(
      'div',
      { class: 't-table-wrap', attrs: { tabindex: '0', role: 'region', 'aria-labelledby': 'roster-title' } },
      el(
        'table',
        { class: 't-table t-roster' },
        el('thead', {}, el('tr', {}, th('Nom', 'Name'), th('Équipe', 'Team'), th('Nœud', 'Node'), th('Connexion', 'Connection'), th('Code de reprise', 'Rejoin code'), th('Arrivée', 'Joined'), th('Actions', 'Actions'))),
        el('tbody', {}, ...rows),
      ),
    ),
  );
}

function biDateSpan(ms: number): HTMLElement {
  const d = biDate(ms);
  return el('span', {}, bi(d.fr, d.en));
}

/** "(5 inscrits, 4 connectés)" with French plurals. */
export function rosterCount(active: number, connected: number): Bi {
  const s = (n: number) => (n > 1 ? 's' : '');
  return {
    fr: `(${active} inscrit${s(active)}, ${connected} connecté${s(connected)})`,
    en: `(${active} joined, ${connected} connected)`,
  };
}
