// The dashboard's teams: a small lab shows every team's live panel (one teacher socket each); a
// large one (more than PANELS_OPEN_UP_TO teams) shows the summary grid instead, and a team's panel
// and socket exist only while the teacher has it open. Closed teams cost no socket and no DOM
// work: their tiles change only when the lab's summaries say so.
import type { TeamSummary } from '../../src/protocol/summary';
import type { Presence } from '../../src/protocol/messages';
import { byId, el } from '../lib/dom';
import { bi } from '../lib/i18n';
import { TeamGrid } from './grid';
import { TeamPanel, type PanelHooks } from './panel';

/** Up to this many teams, every panel is open (one socket per team); above, the grid. */
export const PANELS_OPEN_UP_TO = 8;

export class TeamsView {
  readonly panels = new Map<number, TeamPanel>();
  private count = 0;
  private ended = false;
  private grid: TeamGrid | null = null;
  private students = new Map<number, Map<string, string>>();
  private readonly box = byId('team-panels');
  private readonly troubleOnly = byId<HTMLInputElement>('trouble-only');

  constructor(private readonly hooks: Omit<PanelHooks, 'onTrouble' | 'onClose'>) {
    this.troubleOnly.addEventListener('change', () => this.renderTrouble());
    byId('teams-expand').addEventListener('click', () => {
      const compact = [...this.panels.values()].some((p) => !p.expanded);
      for (const p of this.panels.values()) p.setCompact(!compact);
    });
  }

  get size(): number {
    return this.count;
  }

  /** The grid polls the lab's summaries; a small lab's open panels need none. */
  get wantsSummaries(): boolean {
    return this.grid !== null;
  }

  /** Teams 1..count exist now (a lab with open teams grows as students join). */
  sync(count: number): void {
    if (count <= this.count) return;
    const from = this.count + 1;
    this.count = count;
    if (!this.grid && count > PANELS_OPEN_UP_TO) {
      this.grid = new TeamGrid({ open: (t) => this.open(t), students: (t) => this.students.get(t) ?? new Map(), onTrouble: () => this.renderTrouble() });
      this.box.after(this.grid.root);
      this.box.classList.add('t-teams-open');
      // The feed is fed by open panels' sockets only: say so.
      byId('feed').before(el('p', { class: 't-hint', attrs: { id: 'feed-open-only' } }, bi('Plus de 8 équipes : le fil montre les équipes dont le panneau est ouvert.', 'Over 8 teams: the feed shows the teams whose panel is open.')));
    }
    if (this.grid) this.grid.setCount(count);
    else for (let n = from; n <= count; n++) this.add(n, false);
    this.renderTrouble();
  }

  summaries(list: TeamSummary[]): void {
    this.grid?.update(list);
  }

  /** A team's full panel: created and connected when the teacher opens it from its tile. */
  open(team: number): void {
    const p = this.panels.get(team) ?? this.add(team, true);
    p.setCompact(false);
    p.focus();
  }

  private close(team: number): void {
    const p = this.panels.get(team);
    if (!p) return;
    p.stop();
    p.root.remove();
    this.panels.delete(team);
    document.querySelector<HTMLElement>(`[data-tile-team="${team}"]`)?.focus();
    this.renderTrouble();
  }

  private add(team: number, closable: boolean): TeamPanel {
    const p = new TeamPanel(team, { ...this.hooks, onTrouble: () => this.renderTrouble(), ...(closable ? { onClose: (t: number) => this.close(t) } : {}) });
    p.setCompact(!closable && this.count > 4);
    p.setEnded(this.ended);
    const s = this.students.get(team);
    if (s) p.setStudents(s);
    this.panels.set(team, p);
    // In team order, so the open panels read like the grid.
    const after = [...this.panels.values()].filter((x) => x.team > team && x.root.isConnected).sort((a, b) => a.team - b.team)[0]?.root ?? null;
    this.box.insertBefore(p.root, after);
    p.start();
    return p;
  }

  setEnded(ended: boolean): void {
    this.ended = ended;
    for (const p of this.panels.values()) p.setEnded(ended);
  }

  /** node → student name per team, from the roster. */
  setStudents(byTeam: Map<number, Map<string, string>>): void {
    this.students = byTeam;
    for (const [team, p] of this.panels) p.setStudents(byTeam.get(team) ?? new Map());
    this.grid?.studentsChanged();
  }

  presence(team: number, node: string): (Presence & { receivedAt: number }) | undefined {
    return this.panels.get(team)?.presence(node) ?? this.grid?.presence(team, node);
  }

  /** "Teams in trouble": the grid's own list, or only the panels that need the teacher. */
  private renderTrouble(): void {
    const on = this.troubleOnly.checked;
    const n = this.grid ? this.grid.troubleCount : [...this.panels.values()].filter((p) => p.inTrouble).length;
    this.box.classList.toggle('t-only-trouble', on && !this.grid);
    this.grid?.setTroubleOnly(on);
    byId('trouble-count').replaceChildren(bi(`(${n})`, `(${n})`));
    byId('trouble-none').hidden = !on || n > 0;
  }
}
