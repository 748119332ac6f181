// The checkpoint card on the node page: questions about the student's own node while a checkpoint
// is open (frames `checkpoint`), then the results with the why-lines (`checkpoint-results`).
// Drawn once per checkpoint, so a half-typed answer survives the acknowledgements; never takes
// the focus (the terminal keeps it). Protocol: docs/protocol.md.
import type { Answer, AnsweredQuestion, AskedQuestion, CheckpointOpen } from '../../src/protocol/messages';
import { el, icon, newId } from './dom';
import { type Bi, bi, biOf } from './i18n';

type OpenFrame = Omit<CheckpointOpen, 'deadline'>;

export class CheckpointCard {
  private shown: string | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly send: (msg: { type: 'answer'; checkpoint: string; question: string; answer: Answer }) => void,
    /** the quorum card hides while a checkpoint is open (it would give the answers away) */
    private readonly onOpen: (open: boolean) => void,
  ) {}

  open(cp: OpenFrame): void {
    if (this.shown !== cp.id) {
      this.shown = cp.id;
      this.root.replaceChildren(
        el('h2', { class: 'checkpoint-title' }, icon('pencil'), bi('Point d’étape : ', 'Checkpoint: '), biOf(cp.title)),
        el(
          'p',
          { class: 'help' },
          cp.pause
            ? bi('Le cluster est figé jusqu’à la fin du point d’étape. Répondez pour VOTRE nœud ; le terminal reste utilisable.', 'The cluster stands still until the checkpoint closes. Answer for YOUR node; the terminal still works.')
            : bi('Le cluster continue. Répondez pour VOTRE nœud ; le terminal reste utilisable.', 'The cluster keeps running. Answer for YOUR node; the terminal still works.'),
        ),
        ...cp.questions.map((q) => this.question(cp.id, q)),
      );
      this.root.hidden = false;
      this.root.dataset.state = 'open';
      this.onOpen(true);
    }
    for (const q of cp.questions) {
      const saved = this.root.querySelector<HTMLElement>(`[data-question="${q.id}"] .saved`);
      if (saved) saved.replaceChildren(cp.answers[q.id] ? el('span', {}, icon('check'), bi(' Réponse enregistrée', ' Answer saved')) : '');
    }
  }

  results(r: { id: string; title: Bi; results: AnsweredQuestion[] }): void {
    this.shown = null;
    const right = r.results.filter((x) => x.ok).length;
    this.root.replaceChildren(
      el('h2', { class: 'checkpoint-title' }, icon('pencil'), bi('Résultats : ', 'Results: '), biOf(r.title)),
      el('p', { class: 'checkpoint-score' }, bi(`${right} bonne(s) réponse(s) sur ${r.results.length}`, `${right} right answer(s) out of ${r.results.length}`)),
      el(
        'ol',
        { class: 'checkpoint-results' },
        ...r.results.map((x) =>
          el(
            'li',
            { class: x.ok ? 'ok' : 'wrong', attrs: { 'data-question': x.id } },
            el('p', { class: 'q' }, biOf(x.text)),
            el('p', {}, icon(x.ok ? 'check' : 'cross'), el('strong', {}, x.ok ? bi(' Juste', ' Right') : bi(' Faux', ' Wrong')), bi(' — votre réponse : ', ' — your answer: '), this.label(x, x.answer)),
            x.ok ? null : el('p', {}, bi('Bonne réponse : ', 'Right answer: '), this.label(x, x.right)),
            el('p', { class: 'why' }, biOf(x.why)),
          ),
        ),
      ),
      el('button', { class: 'button', attrs: { type: 'button' }, on: { click: () => this.hide() } }, bi('Fermer', 'Close')),
    );
    this.root.hidden = false;
    this.root.dataset.state = 'results';
    this.onOpen(false);
  }

  hide(): void {
    this.root.hidden = true;
    this.root.replaceChildren();
    this.root.dataset.state = '';
    this.shown = null;
    this.onOpen(false);
  }

  private label(q: AskedQuestion, a: Answer | null): DocumentFragment | string {
    if (!a) return bi('aucune', 'none');
    if (a.kind === 'choice') {
      const c = q.choices?.find((x) => x.value === a.value);
      return c ? biOf(c.label) : a.value;
    }
    if (a.kind === 'number') return String(a.value);
    return a.value.length ? a.value.join(', ') : bi('aucun', 'none');
  }

  private question(cpId: string, q: AskedQuestion): HTMLElement {
    const name = newId(`q-${q.id}`);
    const submit = (ev: Event) => {
      ev.preventDefault();
      const form = ev.currentTarget as HTMLFormElement;
      const data = new FormData(form);
      let answer: Answer | null = null;
      if (q.kind === 'choice') {
        const v = data.get(name);
        if (typeof v === 'string') answer = { kind: 'choice', value: v };
      } else if (q.kind === 'number') {
        const v = Number(data.get(name));
        if (String(data.get(name) ?? '').trim() !== '' && Number.isFinite(v)) answer = { kind: 'number', value: v };
      } else answer = { kind: 'nodes', value: data.getAll(name).map(String) };
      if (answer) this.send({ type: 'answer', checkpoint: cpId, question: q.id, answer });
    };
    let inputs: HTMLElement[];
    if (q.kind === 'choice')
      inputs = (q.choices ?? []).map((c) => el('label', { class: 'choice' }, el('input', { attrs: { type: 'radio', name, value: c.value, required: true } }), ' ', biOf(c.label)));
    else if (q.kind === 'number') inputs = [el('input', { class: 'num', attrs: { type: 'number', name, step: 1, required: true, inputmode: 'numeric', 'aria-label': 'number' } })];
    else inputs = (q.nodes ?? []).map((n) => el('label', { class: 'choice' }, el('input', { attrs: { type: 'checkbox', name, value: n } }), ' ', n));
    return el(
      'form',
      { class: 'checkpoint-q', attrs: { 'data-question': q.id }, on: { submit } },
      el('fieldset', {}, el('legend', {}, biOf(q.text)), el('div', { class: 'inputs' }, ...inputs)),
      el('div', { class: 'actions' }, el('button', { class: 'button primary', attrs: { type: 'submit' } }, bi('Répondre', 'Answer')), el('span', { class: 'saved', attrs: { role: 'status' } })),
    );
  }
}
