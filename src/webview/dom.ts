/**
 * A tiny element description the webviews render into, instead of writing HTML strings.
 * Workspace strings can only ever be text children or attribute values: there is no way to
 * pass markup, event-handler attributes are refused, and the only links are `data-action`
 * attributes the view's script interprets. `mount()` turns a tree into DOM nodes with
 * createElement / createTextNode / setAttribute; `toHtml()` serialises it (escaped) for tests
 * and anything that needs a string.
 */

export type VNode = VElement | string | null | undefined | false;

export interface VElement {
  tag: Tag;
  attrs: Record<string, string | true>;
  children: VNode[];
}

const TAGS = [
  'a', 'button', 'code', 'details', 'div', 'em', 'footer', 'h1', 'h2', 'h3', 'header', 'input', 'label', 'li', 'main', 'nav', 'ol', 'p', 'pre',
  'progress', 'section', 'span', 'strong', 'summary', 'table', 'tbody', 'td', 'textarea', 'th', 'thead', 'tr', 'ul',
] as const;
export type Tag = (typeof TAGS)[number];
const TAG_SET: ReadonlySet<string> = new Set(TAGS);
const VOID: ReadonlySet<string> = new Set(['input']);

/** Attributes a view may set; `data-*` and `aria-*` are allowed too. No `on*`, `style`, `href`, `src`. */
const ATTRS: ReadonlySet<string> = new Set([
  'class', 'id', 'title', 'type', 'checked', 'disabled', 'value', 'placeholder', 'role', 'colspan', 'rows', 'max', 'open', 'tabindex', 'for', 'name', 'spellcheck', 'autocomplete',
]);

export function isAllowedAttribute(name: string): boolean {
  return ATTRS.has(name) || /^(data|aria)-[a-z][a-z0-9-]*$/.test(name);
}

/** An element. Attributes with `false`/`undefined` values are left out; `true` means present. */
export function h(tag: Tag, attrs: Record<string, string | number | boolean | undefined> | null = null, ...children: (VNode | VNode[])[]): VElement {
  if (!TAG_SET.has(tag)) throw new Error(`tag <${tag}> is not allowed in a webview view`);
  const clean: Record<string, string | true> = {};
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (!isAllowedAttribute(name)) throw new Error(`attribute ${name} is not allowed in a webview view`);
    if (value === undefined || value === false) continue;
    clean[name] = typeof value === 'number' ? String(value) : value;
  }
  return { tag, attrs: clean, children: children.flat() };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** The tree as HTML, every text and attribute value escaped. */
export function toHtml(node: VNode): string {
  if (node === null || node === undefined || node === false) return '';
  if (typeof node === 'string') return escapeHtml(node);
  const attrs = Object.entries(node.attrs)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escapeHtml(v)}"`))
    .join('');
  if (VOID.has(node.tag)) return `<${node.tag}${attrs}>`;
  // A textarea's content is its value: the children are its text.
  return `<${node.tag}${attrs}>${node.children.map(toHtml).join('')}</${node.tag}>`;
}

/** All text of a tree, as a reader would see it (for tests and summaries). */
export function textOf(node: VNode): string {
  if (node === null || node === undefined || node === false) return '';
  if (typeof node === 'string') return node;
  return node.children.map(textOf).join('');
}

/** The smallest document interface `mount` needs (the real `document`, or a test double). */
export interface DocumentLike {
  createElement(tag: string): ElementLike;
  createTextNode(text: string): unknown;
}
export interface ElementLike {
  setAttribute(name: string, value: string): void;
  appendChild(child: never): unknown;
}

/** Creates DOM nodes for a tree. Text becomes text nodes; attribute values go through setAttribute. */
export function mount(node: VNode, doc: DocumentLike): unknown {
  if (node === null || node === undefined || node === false) return doc.createTextNode('');
  if (typeof node === 'string') return doc.createTextNode(node);
  const el = doc.createElement(node.tag);
  for (const [k, v] of Object.entries(node.attrs)) el.setAttribute(k, v === true ? '' : v);
  if (node.tag === 'textarea' || node.tag === 'input') {
    // Their value is state, not markup: set it as a property so it reflects what is shown.
    const value = node.tag === 'textarea' ? textOf(node) : typeof node.attrs.value === 'string' ? node.attrs.value : undefined;
    if (value !== undefined) (el as unknown as { value: string }).value = value;
    if (node.tag === 'input' && node.attrs.type === 'checkbox') (el as unknown as { checked: boolean }).checked = node.attrs.checked === true;
    if (node.tag === 'input') return el;
  }
  for (const child of node.children) el.appendChild(mount(child, doc) as never);
  return el;
}
