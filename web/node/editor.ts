// The node page's editor: `nano /etc/pve/corosync.conf` answers with the file (`output.edit`), and
// this panel takes the terminal's place, as nano takes the screen: a labelled monospace textarea,
// Save (Ctrl+S) and Cancel (Esc). Save sends the whole text as an `edit` frame (docs/protocol.md);
// the result prints in the terminal like a command's. The text stays in the panel when it cannot
// be sent (not connected, too big), so nothing typed is lost.
import { MAX_EDIT_CHARS, MAX_FRAME_BYTES } from '../../src/protocol/limits';
import { editFrameBytes } from './edit-frame';

export { editOf } from './edit-frame';
import { byId, el, icon, newId } from '../lib/dom';
import { type Bi, bi, biNum, biOf } from '../lib/i18n';
import type { Terminal } from '../lib/terminal';

export interface EditorHooks {
  /** sends the saved text (an `edit` frame); false when it could not be sent */
  save(path: string, text: string): boolean;
  /** the panel closed (saved or cancelled): give the terminal back, with a line saying what happened */
  closed(note: Bi): void;
}

export class FileEditor {
  private path = '';
  private original = '';
  private readonly form: HTMLFormElement;
  private readonly title: HTMLElement;
  private readonly area: HTMLTextAreaElement;
  private readonly count: HTMLElement;
  private readonly error: HTMLElement;
  private readonly label: HTMLLabelElement;
  private readonly restore: HTMLElement;
  /** The student's last version that did not become the file (a save refused, or cancelled with
   * changes): offered back when `nano` opens the same file still as it was. */
  private draft: { path: string; base: string; text: string } | null = null;

  /** `host` receives the panel; `covers` are hidden while it is open (the terminal's screen and line). */
  constructor(
    private readonly host: HTMLElement,
    private readonly covers: HTMLElement[],
    private readonly hooks: EditorHooks,
  ) {
    const areaId = newId('editor-text');
    const helpId = newId('editor-help');
    const countId = newId('editor-count');
    this.title = el('h3', { class: 'editor-title', id: newId('editor-title') });
    this.area = el('textarea', {
      id: areaId,
      class: 'editor-text mono',
      attrs: { rows: 16, spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off', autocorrect: 'off', wrap: 'off', 'aria-describedby': `${helpId} ${countId}` },
    });
    this.area.maxLength = MAX_EDIT_CHARS;
    this.count = el('p', { id: countId, class: 'help editor-count' });
    this.error = el('p', { class: 'editor-error', attrs: { role: 'alert' } });
    this.error.hidden = true;
    const label = (this.label = el('label', { class: 'editor-label', attrs: { for: areaId } }));
    this.restore = el(
      'p',
      { class: 'editor-restore' },
      bi('Votre version précédente n’est pas devenue le fichier (refusée ou annulée). ', 'Your previous version did not become the file (refused or cancelled). '),
      el('button', { class: 'button', attrs: { type: 'button', 'data-action': 'restore' }, on: { click: () => this.restoreDraft() } }, icon('refresh'), bi('Reprendre ma version', 'Restore my version')),
    );
    this.restore.hidden = true;
    this.form = el(
      'form',
      { class: 'editor', attrs: { 'aria-labelledby': this.title.id, autocomplete: 'off' } },
      this.title,
      label,
      this.area,
      el('p', { id: helpId, class: 'help' }, bi('Ctrl+S : enregistrer · Échap : annuler et revenir au terminal · Tab : quitte le champ (indentez avec des espaces).', 'Ctrl+S: save · Esc: cancel and go back to the terminal · Tab: leaves the field (indent with spaces).')),
      this.count,
      this.restore,
      this.error,
      el(
        'div',
        { class: 'actions' },
        el('button', { class: 'button primary', attrs: { type: 'submit' } }, icon('check'), bi('Enregistrer', 'Save'), el('kbd', { class: 'key-hint', attrs: { 'aria-hidden': 'true' } }, 'Ctrl+S')),
        el('button', { class: 'button', attrs: { type: 'button' }, on: { click: () => this.cancel() } }, icon('close'), bi('Annuler', 'Cancel'), el('kbd', { class: 'key-hint', attrs: { 'aria-hidden': 'true' } }, 'Esc')),
      ),
    );
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.save();
    });
    this.form.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        this.save();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        this.cancel();
      }
    });
    this.area.addEventListener('input', () => this.paintCount());
    host.replaceChildren(this.form);
    host.hidden = true;
  }

  get isOpen(): boolean {
    return !this.host.hidden;
  }

  /** Opens (or reopens) the panel on a file `nano` handed over. */
  open(edit: { path: string; text: string }): void {
    this.path = edit.path;
    this.original = edit.text;
    this.title.replaceChildren(el('span', { class: 'mono' }, 'nano'), ' — ', el('span', { class: 'mono', text: edit.path }));
    this.label.replaceChildren(bi(`Contenu de ${edit.path}`, `Contents of ${edit.path}`));
    this.area.value = edit.text;
    const d = this.draft;
    this.restore.hidden = !(d && d.path === edit.path && d.base === edit.text && d.text !== edit.text);
    this.showError(null);
    this.paintCount();
    for (const c of this.covers) c.hidden = true;
    this.host.hidden = false;
    this.area.focus();
    this.area.setSelectionRange(0, 0);
    this.area.scrollTop = 0;
  }

  private restoreDraft(): void {
    if (this.draft) this.area.value = this.draft.text;
    this.restore.hidden = true;
    this.paintCount();
    this.area.focus();
  }

  /** Closes without a word (the seat moved to another cluster). */
  dismiss(): void {
    if (this.isOpen) this.close(false, false);
  }

  private save(): void {
    const text = this.area.value;
    const bytes = editFrameBytes(this.path, text);
    if (text.length > MAX_EDIT_CHARS || bytes > MAX_FRAME_BYTES)
      return this.showError({
        fr: `Fichier trop long pour être envoyé (${biNum(bytes).fr} octets, ${biNum(MAX_FRAME_BYTES).fr} au plus) : raccourcissez-le, rien n’a été envoyé.`,
        en: `The file is too long to send (${biNum(bytes).en} bytes, at most ${biNum(MAX_FRAME_BYTES).en}): shorten it, nothing was sent.`,
      });
    if (!this.hooks.save(this.path, text))
      return this.showError({ fr: 'Pas de connexion au serveur : rien n’a été enregistré, votre texte reste ici.', en: 'Not connected to the server: nothing was saved, your text stays here.' });
    this.close(text !== this.original, true);
  }

  private cancel(): void {
    this.close(this.area.value !== this.original, false);
  }

  private close(changed: boolean, saved: boolean): void {
    if (changed) this.draft = { path: this.path, base: this.original, text: this.area.value };
    this.host.hidden = true;
    for (const c of this.covers) c.hidden = false;
    this.hooks.closed(
      saved
        ? { fr: `(enregistrement de ${this.path}${changed ? '' : ', sans modification'}…)`, en: `(saving ${this.path}${changed ? '' : ', unchanged'}…)` }
        : changed
          ? { fr: '(nano fermé : modifications abandonnées)', en: '(nano closed: changes discarded)' }
          : { fr: '(nano fermé sans modification)', en: '(nano closed unchanged)' },
    );
  }

  private showError(text: Bi | null): void {
    this.error.hidden = !text;
    this.error.replaceChildren(...(text ? [icon('warn'), biOf(text)] : []));
  }

  private paintCount(): void {
    const n = this.area.value.length;
    const near = n > MAX_EDIT_CHARS * 0.9;
    this.count.classList.toggle('warn', near);
    this.count.replaceChildren(bi(`${biNum(n).fr} / ${biNum(MAX_EDIT_CHARS).fr} caractères${near ? ' — presque plein' : ''}`, `${biNum(n).en} / ${biNum(MAX_EDIT_CHARS).en} characters${near ? ' — nearly full' : ''}`));
  }
}

/** The node page's editor over its terminal (node.html): saves go out through `send` and their
 * result prints in the terminal like a command's; closing gives the keyboard back to the prompt. */
export function terminalEditor(term: Terminal, send: (frame: object) => boolean): FileEditor {
  return new FileEditor(byId('editor'), [byId('terminal-screen'), byId('terminal-form'), byId('terminal-help')], {
    save: (path, text) => term.sendAwaiting((id) => send({ type: 'edit', path, text, id }), `nano ${path}`),
    closed(note) {
      term.note(note);
      byId('terminal-input').focus();
    },
  });
}
