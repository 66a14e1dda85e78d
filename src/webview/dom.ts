/** Small DOM helpers: elements built with textContent only (never innerHTML for network text). */
import { splitForEllipsis } from './paths';

type Child = Node | string | null | undefined | false;

export interface ElementOptions {
  className?: string;
  testid?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
  data?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.testid) element.dataset.testid = options.testid;
  if (options.text !== undefined) element.textContent = options.text;
  if (options.title) element.title = options.title;
  for (const [name, value] of Object.entries(options.attrs ?? {})) element.setAttribute(name, value);
  for (const [name, value] of Object.entries(options.data ?? {})) element.dataset[name] = value;
  for (const child of children) if (child) element.append(child);
  return element;
}

export function button(
  label: string,
  onClick: (event: MouseEvent) => void,
  options: ElementOptions & { variant?: 'primary' | 'secondary' | 'link' } = {},
): HTMLButtonElement {
  const variant = options.variant ?? 'secondary';
  const element = el('button', { ...options, text: label, className: `btn btn-${variant}${options.className ? ` ${options.className}` : ''}` });
  element.type = 'button';
  element.addEventListener('click', onClick);
  return element;
}

export function setHidden(element: HTMLElement, hidden: boolean): void {
  element.hidden = hidden;
}

export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** The children that are there (for append/replaceChildren with optional parts). */
export function present(...children: Child[]): (Node | string)[] {
  return children.filter((child): child is Node | string => Boolean(child));
}

/**
 * A path that gives way in the middle when the view is narrow: the folders end in an ellipsis,
 * the file name stays (CSS cuts; see splitForEllipsis). The whole path is in the tooltip.
 */
export function pathLabel(path: string, options: { title?: string; className?: string } = {}): HTMLElement {
  const { head, tail } = splitForEllipsis(path);
  return el('span', { className: `path${options.className ? ` ${options.className}` : ''}`, title: options.title ?? path, attrs: { 'data-path': path } },
    head ? el('span', { className: 'path-head', text: head }) : null,
    el('span', { className: 'path-tail', text: tail }),
  );
}

/** "+3 -1": the lines a change adds and removes, said in full to a screen reader. */
export function lineCounts(added: number, removed: number): HTMLElement {
  return el('span', { className: 'edit-counts' },
    el('span', { className: 'added', text: `+${added}`, attrs: { 'aria-label': `${added} lines added` } }),
    el('span', { className: 'removed', text: `-${removed}`, attrs: { 'aria-label': `${removed} lines removed` } }),
  );
}
