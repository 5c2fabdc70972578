// A tiny hyperscript helper: the pages build their DOM with h() instead of a UI framework.
// Text is always set as text (never as HTML), so data from the API cannot inject markup.

export type Child = Node | string | number | null | undefined | false | Child[];
type Handler = (event: Event) => void;
export interface Attrs {
  [name: string]:
    string | number | boolean | null | undefined | Handler | Partial<CSSStyleDeclaration>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (attrs) setAttrs(element, attrs);
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(
  tag: string,
  attrs: Record<string, string | number> = {},
  ...children: Child[]
): SVGElement {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  append(element, children);
  return element;
}

function setAttrs(element: HTMLElement, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value as Handler);
    } else if (name === 'style' && typeof value === 'object') {
      Object.assign(element.style, value);
    } else if (name === 'class') {
      element.className = String(value);
    } else if (name === 'value' && 'value' in element) {
      (element as HTMLInputElement).value = String(value);
    } else if (name === 'checked' || name === 'disabled' || name === 'selected') {
      (element as unknown as Record<string, boolean>)[name] = Boolean(value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Replaces everything inside `parent`.
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let nextId = 0;
// A unique id for label/aria pairs.
export function uid(prefix = 'id'): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}
