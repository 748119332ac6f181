// Line icons drawn for this app (24×24, stroked with currentColor). System fonts miss many
// symbol glyphs (⏻ ⏱ 🔒…), so icons are inline SVG. They always sit next to words that say
// the same thing, and are hidden from screen readers.
const SVG = 'http://www.w3.org/2000/svg';

type Shape = { d: string; fill?: boolean } | { circle: [number, number, number]; fill?: boolean } | { rect: [number, number, number, number, number]; fill?: boolean };

const ICONS = {
  check: [{ d: 'M5 12.5l4.5 4.5L19 7.5' }],
  cross: [{ d: 'M6.5 6.5l11 11M17.5 6.5l-11 11' }],
  warn: [{ d: 'M12 3.5L22 20.5H2z' }, { d: 'M12 10v4.5' }, { d: 'M12 17.5v.01' }],
  power: [{ d: 'M12 3v8' }, { d: 'M7.1 6.3a7.5 7.5 0 1 0 9.8 0' }],
  timer: [{ circle: [12, 13.5, 7.5] }, { d: 'M12 13.5V9.5' }, { d: 'M9.5 3h5' }, { d: 'M18.5 6.5l1.5-1.5' }],
  clock: [{ circle: [12, 12, 8.5] }, { d: 'M12 7.5V12l3 2' }],
  lock: [{ rect: [5, 10.5, 14, 10, 2] }, { d: 'M8 10.5V8a4 4 0 0 1 8 0v2.5' }],
  pencil: [{ d: 'M4.5 19.5l1-4.2L16 4.8l3.2 3.2L8.7 18.5z' }, { d: 'M13.8 7l3.2 3.2' }],
  play: [{ d: 'M8 5.5l11 6.5-11 6.5z', fill: true }],
  stop: [{ rect: [6.5, 6.5, 11, 11, 1.5], fill: true }],
  pause: [{ d: 'M9 5.5v13M15 5.5v13' }],
  hourglass: [{ d: 'M6.5 3.5h11M6.5 20.5h11' }, { d: 'M8 3.5c0 4.5 8 5 8 8.5s-8 4-8 8.5M16 3.5c0 4.5-8 5-8 8.5s8 4 8 8.5' }],
  heart: [{ d: 'M12 19.5s-7.5-4.6-7.5-10A4.2 4.2 0 0 1 12 7a4.2 4.2 0 0 1 7.5 2.5c0 5.4-7.5 10-7.5 10z', fill: true }],
  ballot: [{ d: 'M3.5 13.5h17v7h-17z' }, { d: 'M7.5 13.5V4h9v9.5' }, { d: 'M10 8.5l1.6 1.6L14.5 7' }],
  swap: [{ d: 'M4 8.5h15l-3.5-3.5' }, { d: 'M20 15.5H5l3.5 3.5' }],
  refresh: [{ d: 'M19.5 12a7.5 7.5 0 1 1-2.2-5.3' }, { d: 'M19.5 4v4.5H15' }],
  arrow: [{ d: 'M4 12h15' }, { d: 'M13.5 6.5L19 12l-5.5 5.5' }],
  dot: [{ circle: [12, 12, 4.5], fill: true }],
  ring: [{ circle: [12, 12, 5] }],
  wrench: [{ d: 'M14.7 4.2a5 5 0 0 0-5 6.6L4 16.5 7.5 20l5.7-5.7a5 5 0 0 0 6.6-5l-3 1.2-2.3-2.3z' }],
  hash: [{ d: 'M9.5 4l-2 16M16.5 4l-2 16M4.5 9h15M4 15h15' }],
  info: [{ circle: [12, 12, 8.5] }, { d: 'M12 11v5.5' }, { d: 'M12 7.8v.01' }],
  plug: [{ d: 'M9 3.5v5M15 3.5v5' }, { d: 'M6.5 8.5h11v3a5.5 5.5 0 0 1-11 0z' }, { d: 'M12 17v3.5' }],
  gear: [{ circle: [12, 12, 3] }, { d: 'M12 3.5v2.5M12 18v2.5M3.5 12H6M18 12h2.5M6 6l1.8 1.8M16.2 16.2L18 18M6 18l1.8-1.8M16.2 7.8L18 6' }],
  close: [{ d: 'M7 7l10 10M17 7L7 17' }],
  bolt: [{ d: 'M13.5 2.5L5.5 13.5h6l-1 8 8-11h-6z' }],
} satisfies Record<string, Shape[]>;

export type IconName = keyof typeof ICONS;

export function svgIcon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const s of ICONS[name] as Shape[]) {
    let node: SVGElement;
    if ('d' in s) {
      node = document.createElementNS(SVG, 'path');
      node.setAttribute('d', s.d);
    } else if ('circle' in s) {
      node = document.createElementNS(SVG, 'circle');
      const [cx, cy, r] = s.circle;
      node.setAttribute('cx', String(cx));
      node.setAttribute('cy', String(cy));
      node.setAttribute('r', String(r));
    } else {
      node = document.createElementNS(SVG, 'rect');
      const [x, y, w, h, rx] = s.rect;
      for (const [k, v] of Object.entries({ x, y, width: w, height: h, rx })) node.setAttribute(k, String(v));
    }
    if (s.fill) node.setAttribute('class', 'fill');
    svg.appendChild(node);
  }
  return svg;
}
