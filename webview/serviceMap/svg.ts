// SVG elements for the map: attributes set one by one and text only ever as text nodes.
const ns = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes and, optionally, text content (never markup). */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(ns, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** An SVG <title> (the hover tooltip), as text. */
export function tooltip(parent: SVGElement, text: string): void {
  parent.append(svg('title', {}, text));
}
