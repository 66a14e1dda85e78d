/** Renders agent markdown into an element: markdown-it, then DOMPurify, then innerHTML. */
import { markdownToHtml } from './markdownRender';
import { sanitizeHtml } from './sanitize';

export function renderMarkdownInto(element: HTMLElement, text: string): void {
  element.innerHTML = sanitizeHtml(markdownToHtml(text));
}
