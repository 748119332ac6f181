// The node page's terminal: a scrollback (bounded), a command line with history (↑/↓, kept in
// sessionStorage per lab), Ctrl+L, `clear`, and the outputs the server sends back. The server's
// output is text only (textContent), ANSI sequences stripped.
import { CLEAR_SCREEN } from '../../src/protocol/constants';
import { MAX_COMMAND_CHARS } from '../../src/protocol/limits';
import { append, el } from './dom';
import { bi, biAttr, biOf, type Bi } from './i18n';

/** Output of `clear` (RIS, ESC c): the screen is wiped. */
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
const MAX_CHARS = 200_000;
const HISTORY_KEEP = 100;

export interface TerminalHooks {
  /** sends the command; false when not connected */
  send(line: string, id: number): boolean;
  /** Enter on an empty line (a pulse, in pulse mode) */
  emptyLine(): void;
  /** the prompt, e.g. "root@pve1:~# " */
  prompt(): string;
}

export class Terminal {
  private nextId = 1;
  private readonly pending = new Map<number, string>();
  private readonly history: string[] = [];
  private at = 0;
  private draft = '';
  private readonly historyKey: string;

  constructor(
    private readonly out: HTMLElement,
    private readonly input: HTMLInputElement,
    form: HTMLFormElement,
    code: string,
    private readonly hooks: TerminalHooks,
  ) {
    input.maxLength = MAX_COMMAND_CHARS;
    biAttr(out, 'aria-label', 'Sortie du terminal', 'Terminal output');
    this.historyKey = `quorum-lab.history:${code}`;
    try {
      const h = JSON.parse(sessionStorage.getItem(this.historyKey) ?? '[]') as unknown;
      if (Array.isArray(h)) this.history.push(...h.filter((x): x is string => typeof x === 'string').slice(-HISTORY_KEEP));
    } catch {
      /* no history */
    }
    this.at = this.history.length;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    input.addEventListener('keydown', (e) => this.onKey(e));
  }

  write(...parts: (string | Node)[]): void {
    const out = this.out;
    const stick = out.scrollHeight - out.scrollTop - out.clientHeight < 40;
    append(out, ...parts);
    // Bound the scrollback: drop the oldest nodes.
    while (out.textContent!.length > MAX_CHARS && out.firstChild) out.firstChild.remove();
    if (stick) out.scrollTop = out.scrollHeight;
  }

  /** A line of the page's own (not the server's), in the reader's language. */
  note(text: Bi): void {
    this.write(el('span', { class: 'term-note' }, biOf(text)), '\n');
  }

  /** A command as it was typed, then its output (live, or restored after a reload). */
  echo(line: string): void {
    this.write(el('span', { class: 'term-prompt', text: this.hooks.prompt() }), `${line}\n`);
  }

  clear(): void {
    this.out.replaceChildren();
  }

  get waiting(): boolean {
    return this.pending.size > 0;
  }

  /** The server refused the pending commands (lab not running, rate limit…): say so here. */
  refused(text: Bi): void {
    this.pending.clear();
    this.out.removeAttribute('aria-busy');
    this.note(text);
  }

  output(m: { id?: unknown; output?: unknown }): void {
    if (typeof m.id === 'number') this.pending.delete(m.id);
    if (!this.pending.size) this.out.removeAttribute('aria-busy');
    let text = typeof m.output === 'string' ? m.output : '';
    if (text.includes(CLEAR_SCREEN)) {
      this.clear();
      text = text.slice(text.lastIndexOf(CLEAR_SCREEN) + CLEAR_SCREEN.length);
    }
    text = text.replace(ANSI, '');
    if (text) this.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  private submit(): void {
    const line = this.input.value;
    this.input.value = '';
    this.draft = '';
    this.echo(line);
    if (!line.trim()) return this.hooks.emptyLine();
    if (this.history[this.history.length - 1] !== line) this.history.push(line);
    if (this.history.length > HISTORY_KEEP) this.history.shift();
    this.at = this.history.length;
    try {
      sessionStorage.setItem(this.historyKey, JSON.stringify(this.history));
    } catch {
      /* not kept */
    }
    if (!this.sendAwaiting((id) => this.hooks.send(line, id), line)) this.write(el('span', { class: 'term-note' }, bi('(pas de connexion : commande non envoyée)', '(not connected: command not sent)')), '\n');
  }

  /** Sends something whose `output` frame prints here like a command's (the editor's save):
   * `send` gets the id to put in the frame; false when it could not be sent. */
  sendAwaiting(send: (id: number) => boolean, what = ''): boolean {
    const id = this.nextId++;
    if (!send(id)) return false;
    this.pending.set(id, what);
    this.out.setAttribute('aria-busy', 'true');
    return true;
  }

  private onKey(e: KeyboardEvent): void {
    const input = this.input;
    if (e.key === 'ArrowUp') {
      if (this.at === 0) return;
      if (this.at === this.history.length) this.draft = input.value;
      this.at--;
      input.value = this.history[this.at]!;
    } else if (e.key === 'ArrowDown') {
      if (this.at >= this.history.length) return;
      this.at++;
      input.value = this.at === this.history.length ? this.draft : this.history[this.at]!;
    } else if (e.key === 'l' && e.ctrlKey) {
      this.clear();
    } else return;
    e.preventDefault();
    const end = input.value.length;
    requestAnimationFrame(() => input.setSelectionRange(end, end));
  }
}
