/**
 * Renders agent markdown into an element: markdown-it, then DOMPurify, then innerHTML; then our
 * own controls on the code blocks (Copy, Insert at Cursor, highlighting), added to the clean DOM.
 */
import { decorateCodeBlocks, type CodeBlockActions } from './codeBlocks';
import { markdownToHtml } from './markdownRender';
import { sanitizeHtml } from './sanitize';

export function renderMarkdownInto(element: HTMLElement, text: string, actions: CodeBlockActions): void {
  element.innerHTML = sanitizeHtml(markdownToHtml(text));
  decorateCodeBlocks(element, actions);
}
