// The "submit a diagnosis" card of diagnosis mode (and incident drills): the verdicts are hidden,
// the terminal is the only instrument; the student names what happened (a cause, grouped by
// family), the node(s) hit and the course rule, once. Graded at the end (src/scoring/diagnosis.ts).
// Never takes the focus; every field is a native control (keyboard usable).
import { CAUSE_IDS, CAUSES, DRILL_FAMILIES, FAMILY_WORDS, RULE_IDS, RULES, type Diagnosis } from '../../src/protocol/diagnosis';
import { el, icon, newId } from './dom';
import { bi, biOf, biText, onLang } from './i18n';

export class DiagnosisCard {
  private nodes: string[] = [];
  private sent: Diagnosis | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly send: (d: Diagnosis) => boolean,
  ) {}

  /** Shown (diagnosis mode on) or hidden. */
  show(on: boolean): void {
    this.root.hidden = !on;
    if (on && !this.root.firstChild) this.draw();
  }

  /** The cluster's nodes (from the view: names only, no verdict). Redrawn only when they change. */
  setNodes(nodes: string[]): void {
    const sorted = [...nodes].sort();
    if (sorted.join() === this.nodes.join()) return;
    this.nodes = sorted;
    if (!this.root.hidden && !this.sent) this.draw();
  }

  /** The server stored this seat's diagnosis. */
  stored(d: Diagnosis): void {
    this.sent = d;
    this.root.dataset.state = 'sent';
    const c = CAUSES[d.cause];
    const r = RULES[d.rule];
    this.root.replaceChildren(
      el('h2', { class: 'checkpoint-title' }, icon('check'), bi('Diagnostic envoyé', 'Diagnosis sent')),
      el(
        'dl',
        { class: 'diagnosis-sent' },
        el('dt', {}, bi('Cause', 'Cause')),
        el('dd', {}, c ? biOf(c) : d.cause),
        el('dt', {}, bi('Nœud(s)', 'Node(s)')),
        el('dd', { class: 'mono' }, d.nodes.length ? d.nodes.join(', ') : bi('aucun', 'none')),
        el('dt', {}, bi('Règle', 'Rule')),
        el('dd', {}, r ? biOf(r) : d.rule),
      ),
      el('p', { class: 'help' }, bi('Il sera noté à la fin du lab (écran de fin et rapport).', 'It is graded at the end of the lab (end screen and report).')),
    );
  }

  private draw(): void {
    const causeId = newId('dg-cause');
    const ruleId = newId('dg-rule');
    const status = el('p', { class: 'saved', attrs: { role: 'status' } });
    const cause = el('select', { attrs: { id: causeId, name: 'cause', required: true } });
    const pick = el('option', { attrs: { value: '' } });
    biText(pick, '— choisir —', '— choose —');
    cause.append(pick);
    for (const f of DRILL_FAMILIES) {
      const g = el('optgroup');
      const label = FAMILY_WORDS[f];
      onLang((l) => (g.label = label[l]), g);
      for (const id of CAUSE_IDS.filter((c) => CAUSES[c].family === f)) {
        const o = el('option', { attrs: { value: id } });
        biText(o, CAUSES[id].fr, CAUSES[id].en);
        g.append(o);
      }
      cause.append(g);
    }
    const rule = el('select', { attrs: { id: ruleId, name: 'rule', required: true } });
    const pick2 = el('option', { attrs: { value: '' } });
    biText(pick2, '— choisir —', '— choose —');
    rule.append(pick2);
    for (const id of RULE_IDS) {
      const o = el('option', { attrs: { value: id } });
      biText(o, RULES[id].fr, RULES[id].en);
      rule.append(o);
    }
    const submit = (ev: Event) => {
      ev.preventDefault();
      const data = new FormData(ev.currentTarget as HTMLFormElement);
      const c = String(data.get('cause') ?? '');
      const r = String(data.get('rule') ?? '');
      if (!c || !r) return status.replaceChildren(icon('warn'), bi(' Choisissez une cause et une règle.', ' Choose a cause and a rule.'));
      const d = { cause: c, nodes: data.getAll('nodes').map(String), rule: r } as Diagnosis;
      status.replaceChildren(this.send(d) ? bi('Envoi…', 'Sending…') : bi('Pas de connexion : rien n’a été envoyé.', 'Not connected: nothing was sent.'));
    };
    this.root.dataset.state = 'open';
    this.root.replaceChildren(
      el('h2', { class: 'checkpoint-title' }, icon('pencil'), bi('Votre diagnostic', 'Your diagnosis')),
      el(
        'p',
        { class: 'help' },
        bi(
          'Mode diagnostic : le tableau de bord de votre nœud est masqué, le terminal est votre seul instrument (pvecm status, ha-manager status, corosync-cfgtool -s, timedatectl, journalctl…). Quand vous avez trouvé, envoyez votre diagnostic — une seule fois.',
          'Diagnosis mode: your node’s dashboard is hidden, the terminal is your only instrument (pvecm status, ha-manager status, corosync-cfgtool -s, timedatectl, journalctl…). When you have found it, send your diagnosis — once.',
        ),
      ),
      el(
        'form',
        { class: 'checkpoint-q diagnosis-form', on: { submit } },
        el('div', { class: 'field' }, el('label', { attrs: { for: causeId } }, bi('Que s’est-il passé ?', 'What happened?')), cause),
        el(
          'fieldset',
          {},
          el('legend', {}, bi('Quel(s) nœud(s) ? (aucun si la panne n’est pas sur un nœud)', 'Which node(s)? (none if the fault is not on a node)')),
          el('div', { class: 'inputs' }, ...this.nodes.map((n) => el('label', { class: 'choice' }, el('input', { attrs: { type: 'checkbox', name: 'nodes', value: n } }), ' ', n))),
        ),
        el('div', { class: 'field' }, el('label', { attrs: { for: ruleId } }, bi('Quelle règle du cours l’explique ?', 'Which course rule explains it?')), rule),
        el('div', { class: 'actions' }, el('button', { class: 'button primary', attrs: { type: 'submit' } }, bi('Envoyer le diagnostic', 'Send the diagnosis')), status),
      ),
    );
  }
}
