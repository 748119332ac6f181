// The brief on the node page: the scenario's situation, the student's role (its node and the VMs
// that run on it), the goals, and the team's objectives as a checklist that ticks when met.
// Texts come from GET /api/scenarios; what is met comes from the room's `objectives` frames
// (src/scoring/score.ts decides, once). Collapsible: open on wide screens, closed on a phone.
import type { ScenarioSummary } from '../../src/protocol/lobby';
import type { ObjectiveMet, SeatInfo } from '../../src/protocol/messages';
import { apiJson } from './api';
import { el, icon } from './dom';
import { type Bi, bi, biOf, clock } from './i18n';

type ScenarioBrief = ScenarioSummary;

let catalogue: Promise<ScenarioBrief[]> | null = null;
function scenarios(): Promise<ScenarioBrief[]> {
  catalogue ??= apiJson<{ scenarios: ScenarioBrief[] }>('/api/scenarios').then((r) => {
    if (!r.ok) catalogue = null; // try again on the next welcome
    return r.ok ? r.data.scenarios : [];
  });
  return catalogue;
}

/** A teacher's own scenario is not in the public catalogue: the lab gives its copy. */
async function labScenario(): Promise<ScenarioBrief | null> {
  const code = new URLSearchParams(location.search).get('code') ?? '';
  const r = await apiJson<{ scenario: ScenarioBrief }>(`/api/labs/${encodeURIComponent(code)}/scenario`);
  return r.ok ? r.data.scenario : null;
}

/** `ha`: its HA state, or (diagnosis mode) whether it is an HA resource at all */
type Vm = { vmid: number; name: string; ha: string | boolean | null };

export class Brief {
  private scenario: ScenarioBrief | null = null;
  private seat: SeatInfo | null = null;
  private vms: Vm[] | null = null;
  private met: ObjectiveMet[] = [];
  private vmsKey = '';
  private opened = false;
  /** diagnosis mode (and drills): the scenario's title, story and checklist would name the fault */
  private diagnosis = false;

  constructor(private readonly root: HTMLDetailsElement) {}

  /** On every welcome: which scenario, which seat. */
  async load(scenarioId: string, seat: SeatInfo, diagnosis = false): Promise<void> {
    this.seat = seat;
    this.diagnosis = diagnosis;
    this.scenario = (await scenarios()).find((s) => s.id === scenarioId) ?? (await labScenario());
    this.render();
  }

  /** The VMs of the student's node, from its view (the brief is redrawn only when they change). */
  setVms(vms: Vm[]): void {
    const key = vms.map((v) => `${v.vmid}:${v.name}:${v.ha ?? ''}`).join(',');
    if (key === this.vmsKey && this.vms) return;
    this.vmsKey = key;
    this.vms = vms;
    this.render();
  }

  setMet(met: ObjectiveMet[]): void {
    this.met = met;
    this.render();
  }

  private render(): void {
    const s = this.scenario;
    if (!s || !this.seat) return;
    const seat = this.seat;
    if (!this.opened) {
      // Open where there is room; a phone shows the title and the student opens it.
      this.root.open = window.matchMedia('(min-width: 48rem)').matches;
      this.opened = true;
    }
    if (this.diagnosis) return this.renderDiagnosis(seat);
    const met = new Map(this.met.map((m) => [m.id, m]));
    const done = s.objectives.filter((o) => met.has(o.id)).length;
    this.root.hidden = false;
    this.root.replaceChildren(
      el(
        'summary',
        {},
        el('h2', { class: 'brief-title' }, bi('Mission : ', 'Mission: '), biOf(s.title)),
        el('span', { class: 'brief-count' }, bi(`${done}/${s.objectives.length} objectifs atteints`, `${done}/${s.objectives.length} objectives met`)),
      ),
      el('h3', {}, bi('La situation', 'The situation')),
      el('p', { class: 'brief-text' }, biOf(s.description)),
      el('h3', {}, bi('Votre rôle', 'Your role')),
      el('p', { class: 'brief-text' }, this.role(seat)),
      el('h3', {}, bi('Ce que vous devez savoir faire', 'What you should be able to do')),
      el('ul', { class: 'brief-goals' }, ...s.goals.fr.map((fr, i) => el('li', {}, bi(fr, s.goals.en[i] ?? fr)))),
      el('h3', {}, bi('Objectifs de l’équipe', 'Team objectives')),
      el(
        'ul',
        { class: 'checklist', attrs: { 'aria-label': 'objectives' } },
        ...s.objectives.map((o) => {
          const m = met.get(o.id);
          return el(
            'li',
            { class: m ? 'met' : 'todo', attrs: { 'data-objective': o.id } },
            icon(m ? 'check' : 'ring'),
            el(
              'span',
              {},
              el('span', { class: 'visually-hidden' }, m ? bi('Atteint : ', 'Met: ') : bi('À faire : ', 'To do: ')),
              el('span', { class: 'objective-title' }, biOf(o.title)),
              ' ',
              el('span', { class: 'objective-meta' }, bi(`${o.points} pts`, `${o.points} pts`), m ? this.when(m) : null),
            ),
          );
        }),
      ),
    );
  }

  /** The brief of diagnosis mode: the role and the task, nothing that names the fault. */
  private renderDiagnosis(seat: SeatInfo): void {
    this.root.hidden = false;
    this.root.replaceChildren(
      el('summary', {}, el('h2', { class: 'brief-title' }, bi('Mission : diagnostic d’incident', 'Mission: incident diagnosis'))),
      el('h3', {}, bi('La situation', 'The situation')),
      el(
        'p',
        { class: 'brief-text' },
        bi(
          'Comme un jour d’astreinte : une panne va toucher (ou touche déjà) votre cluster, sans que personne ne vous dise laquelle. Le tableau de bord est masqué ; trouvez ce qui s’est passé avec le terminal, seul instrument, puis envoyez votre diagnostic : la cause, le ou les nœuds touchés, la règle du cours qui explique ce que fait le cluster.',
          'Like an on-call day: a fault will hit (or already hits) your cluster, and nobody tells you which. The dashboard is hidden; find out what happened with the terminal, your only instrument, then send your diagnosis: the cause, the node(s) hit, the course rule that explains what the cluster does.',
        ),
      ),
      el('h3', {}, bi('Votre rôle', 'Your role')),
      el('p', { class: 'brief-text' }, this.role(seat)),
    );
  }

  private when(m: ObjectiveMet): DocumentFragment {
    return m.at !== undefined
      ? bi(` · atteint à ${clock(m.at)}`, ` · met at ${clock(m.at)}`)
      : bi(' · atteint pour l’instant (jugé à la fin)', ' · met so far (judged at the end)');
  }

  private role(seat: SeatInfo): DocumentFragment {
    if (seat.role === 'qdevice')
      return bi(
        `Vous êtes le QDevice de l’équipe ${seat.team} : un vote arbitre hors du cluster, donné à une seule partition.`,
        `You are team ${seat.team}'s QDevice: a tie-breaking vote outside the cluster, given to one partition only.`,
      );
    const vms = this.vms ?? [];
    const list = vms.map((v) => `${v.name} (${v.vmid}${v.ha ? ', HA' : ''})`).join(', ');
    return vms.length
      ? bi(
          `Vous êtes ${seat.node}, équipe ${seat.team}. Sur votre nœud tournent : ${list}.`,
          `You are ${seat.node}, team ${seat.team}. Running on your node: ${list}.`,
        )
      : bi(`Vous êtes ${seat.node}, équipe ${seat.team}. Aucune VM n’est placée sur votre nœud.`, `You are ${seat.node}, team ${seat.team}. No VM is placed on your node.`);
  }
}
