// Tiny DOM builder. Strings always become text nodes: data from the server or from other
// students (names, command output) is never parsed as HTML.
import { type IconName, svgIcon } from './icons';

type Child = Node | string | number | null | undefined | false;

export interface Opts {
  class?: string;
  id?: string;
  text?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, opts: Opts = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (opts.class) e.className = opts.class;
  if (opts.id) e.id = opts.id;
  if (opts.attrs) for (const [k, v] of Object.entries(opts.attrs)) e.setAttribute(k, v);
  if (opts.text !== undefined) e.textContent = opts.text;
  append(e, ...children);
  return e;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing #${id}`);
  return e as T;
}

/** A decorative icon next to a word; hidden from screen readers, which read the word. */
export function icon(name: IconName, cls = ''): HTMLSpanElement {
  return el('span', { class: `icon ${cls}`.trim(), attrs: { 'aria-hidden': 'true' } }, svgIcon(name));
}
