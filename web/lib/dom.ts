// Tiny DOM builder shared by every page. Strings always become text nodes: names typed by
// students and strings from the server (command output, causes) are never parsed as HTML.
import { type IconName, svgIcon } from './icons';

export type Child = Node | string | number | null | undefined | false;

export interface Opts {
  class?: string;
  id?: string;
  text?: string;
  /** `false` and `undefined` leave the attribute out; `true` sets it empty (boolean attributes). */
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (ev: HTMLElementEventMap[K]) => void };
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, opts: Opts = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (opts.class) e.className = opts.class;
  if (opts.id) e.id = opts.id;
  if (opts.attrs)
    for (const [k, v] of Object.entries(opts.attrs)) {
      if (v === undefined || v === false) continue;
      e.setAttribute(k, v === true ? '' : String(v));
    }
  if (opts.text !== undefined) e.textContent = opts.text;
  if (opts.on) for (const [type, fn] of Object.entries(opts.on)) e.addEventListener(type, fn as EventListener);
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

let uid = 0;
/** A fresh id for label/aria wiring. */
export function newId(prefix: string): string {
  return `${prefix}-${++uid}`;
}
