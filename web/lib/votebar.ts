// Fencing votes on the node page (human vote mode), made to be seen and answered without leaving
// the terminal: pinned at the top of the page on a laptop, a bottom sheet on a phone (style.css),
// announced in an assertive live region (plus a short vibration where the device has one), with a
// countdown. It never takes the focus: Alt+O / Alt+Y answers yes and Alt+N no, from anywhere,
// terminal included. A vote that closes without an answer says what happened, then goes away.
import type { VotePrompt } from '../../src/protocol/messages';
import { el, icon } from './dom';
import type { Line } from './events';
import { bi, biOf, type Bi } from './i18n';

export type { VotePrompt };

export interface VoteHooks {
  send(voteId: number, yes: boolean): boolean;
  notConnected(): void;
  log(l: Line): void;
  /** a countdown element to `untilSim`, refreshed by the page's clock loop */
  countdown(untilSim: number): HTMLElement;
  simNow(): number;
  me(): string | undefined;
}

interface Open extends VotePrompt {
  answer: boolean | null;
  box: HTMLElement;
  result: HTMLElement;
  buttons: HTMLButtonElement[];
  done: boolean;
}

/** How long a closed prompt stays to say what happened. */
const LINGER_MS = 8000;
const YES_KEYS = new Set(['KeyO', 'KeyY']);
const NO_KEYS = new Set(['KeyN']);

export class VoteBar {
  private readonly open = new Map<number, Open>();

  constructor(
    private readonly box: HTMLElement,
    private readonly live: HTMLElement,
    private readonly hooks: VoteHooks,
  ) {
    // Capture phase: the shortcut works whatever has the focus, and the letter never reaches the terminal.
    document.addEventListener(
      'keydown',
      (e) => {
        if (!e.altKey || e.ctrlKey || e.metaKey || e.repeat) return;
        const yes = YES_KEYS.has(e.code) ? true : NO_KEYS.has(e.code) ? false : null;
        if (yes === null) return;
        const first = [...this.open.values()].find((p) => p.answer === null && !p.done);
        if (!first) return;
        e.preventDefault();
        e.stopPropagation();
        this.answer(first, yes);
      },
      true,
    );
  }

  get pending(): number {
    return [...this.open.values()].filter((p) => p.answer === null && !p.done).length;
  }

  has(voteId: number): boolean {
    return this.open.has(voteId);
  }

  show(p: VotePrompt): void {
    if (this.open.has(p.voteId)) return;
    const titleId = `vote-${p.voteId}-title`;
    const others = p.partition.filter((n) => n !== this.hooks.me());
    const yes = el('button', { class: 'button danger', attrs: { type: 'button', 'aria-keyshortcuts': 'Alt+O Alt+Y' } }, icon('check'), bi('Oui, clôturer', 'Yes, fence'), el('kbd', {}, bi('Alt+O', 'Alt+Y')));
    const no = el('button', { class: 'button', attrs: { type: 'button', 'aria-keyshortcuts': 'Alt+N' } }, icon('cross'), bi('Non', 'No'), el('kbd', {}, 'Alt+N'));
    const result = el('p', { class: 'prompt-result' });
    const votes: Bi = p.quorum === 1 ? { fr: '1 vote « oui »', en: '1 “yes” vote' } : { fr: `${p.quorum} votes « oui »`, en: `${p.quorum} “yes” votes` };
    const box = el(
      'section',
      { class: 'prompt', attrs: { role: 'region', 'aria-labelledby': titleId, 'data-vote': String(p.voteId) } },
      el('h2', { id: titleId }, icon('ballot'), bi(`Vote : clôturer (fence) ${p.target} et relancer ses VM HA ?`, `Vote: fence ${p.target} and recover its HA VMs?`)),
      el(
        'p',
        { class: 'prompt-why' },
        bi(
          `${p.target} ne répond plus. Il faut au moins ${votes.fr} dans votre partition (${p.partition.join(', ')}).`,
          `${p.target} stopped answering. It needs at least ${votes.en} in your partition (${p.partition.join(', ')}).`,
        ),
        others.length ? '' : bi(' Vous êtes seul dans votre partition.', ' You are alone in your partition.'),
      ),
      el('div', { class: 'prompt-row' }, el('div', { class: 'actions' }, yes, no), el('p', { class: 'prompt-time' }, icon('timer'), bi('Temps restant : ', 'Time left: '), this.hooks.countdown(p.deadline))),
      result,
    );
    const state: Open = { ...p, answer: null, box, result, buttons: [yes, no], done: false };
    this.open.set(p.voteId, state);
    yes.addEventListener('click', () => this.answer(state, true));
    no.addEventListener('click', () => this.answer(state, false));
    this.box.append(box);
    this.sync();
    this.announce({ fr: `Vote demandé : clôturer ${p.target} ? Alt+O pour oui, Alt+N pour non.`, en: `Vote requested: fence ${p.target}? Alt+Y for yes, Alt+N for no.` });
    try {
      navigator.vibrate?.([120, 80, 120]);
    } catch {
      /* no vibration here */
    }
    this.hooks.log({ tone: 'warn', icon: 'ballot', fr: `Vote demandé : clôturer ${p.target} ?`, en: `Vote requested: fence ${p.target}?` });
  }

  private answer(p: Open, yes: boolean): void {
    if (p.answer !== null || p.done) return;
    if (!this.hooks.send(p.voteId, yes)) return this.hooks.notConnected();
    p.answer = yes;
    for (const b of p.buttons) b.disabled = true;
    const text: Bi = yes ? { fr: `Vote envoyé : oui (clôturer ${p.target}).`, en: `Vote sent: yes (fence ${p.target}).` } : { fr: `Vote envoyé : non (ne pas clôturer ${p.target}).`, en: `Vote sent: no (do not fence ${p.target}).` };
    this.finish(p, 'ok', text, 4000);
  }

  /** The vote left the node's view, or its time ran out, before this student answered. */
  expire(voteId: number): void {
    const p = this.open.get(voteId);
    if (!p || p.answer !== null || p.done) return;
    const late = this.hooks.simNow() >= p.deadline - 500;
    const text: Bi = late
      ? { fr: `Temps écoulé : le vote sur ${p.target} a été compté comme abstention.`, en: `Time is up: the vote on ${p.target} counted as an abstention.` }
      : { fr: `Le vote sur ${p.target} est clos sans votre réponse (décidé par les autres nœuds).`, en: `The vote on ${p.target} closed without your answer (the other nodes decided).` };
    for (const b of p.buttons) b.disabled = true;
    this.finish(p, 'muted', text, LINGER_MS);
    this.hooks.log({ tone: 'info', icon: 'ballot', ...text });
  }

  private finish(p: Open, tone: 'ok' | 'muted', text: Bi, lingerMs: number): void {
    p.done = true;
    p.box.classList.add('prompt-done', tone);
    p.result.replaceChildren(icon(tone === 'ok' ? 'check' : 'hourglass'), biOf(text));
    p.box.querySelector('.prompt-time')?.remove();
    this.announce(text);
    this.sync();
    setTimeout(() => this.remove(p.voteId), lingerMs);
  }

  remove(voteId: number): void {
    this.open.get(voteId)?.box.remove();
    this.open.delete(voteId);
    this.sync();
  }

  removeAll(): void {
    for (const id of [...this.open.keys()]) this.remove(id);
  }

  /** The clock loop: prompts whose time ran out (plus a little network slack) expire. */
  tick(): void {
    const now = this.hooks.simNow();
    for (const p of this.open.values()) if (p.answer === null && !p.done && now > p.deadline + 1500) this.expire(p.voteId);
  }

  /** The node's view lists its open votes: add the missing ones, expire those that left it. */
  syncWithView(votesOpen: { voteId: number; target: string; deadline: number; quorum: number; voted: boolean | null; partition: string[] }[]): void {
    const open = new Map(votesOpen.map((o) => [o.voteId, o]));
    for (const o of votesOpen) if (o.voted === null && !this.open.has(o.voteId)) this.show({ voteId: o.voteId, target: o.target, deadline: o.deadline, quorum: o.quorum, partition: o.partition });
    for (const [id, p] of this.open) {
      if (p.done) continue;
      const o = open.get(id);
      if (!o) this.expire(id);
      else if (o.voted !== null && p.answer === null) this.remove(id); // answered from another tab
    }
  }

  private announce(text: Bi): void {
    this.live.replaceChildren(biOf(text));
  }

  private sync(): void {
    document.body.classList.toggle('has-vote', this.open.size > 0);
  }
}
