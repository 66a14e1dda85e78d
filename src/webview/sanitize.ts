/**
 * The last gate before markdown HTML reaches innerHTML: DOMPurify, links made inert for the page,
 * and of all classes only a code block's `language-*` (what the highlighter reads).
 */
import DOMPurify from 'dompurify';
import { languageClasses } from './sanitizeClasses';

let configured = false;

function configure(): void {
  if (configured) return;
  configured = true;
  DOMPurify.addHook('uponSanitizeAttribute', (node, data) => {
    if (data.attrName !== 'class') return;
    const kept = node.tagName === 'CODE' ? languageClasses(data.attrValue) : '';
    if (kept) data.attrValue = kept;
    else data.keepAttr = false;
  });
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      const href = node.getAttribute('href') ?? '';
      if (!/^(https?:|mailto:|#)/i.test(href.trim())) node.removeAttribute('href');
      node.removeAttribute('target');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
}

export function sanitizeHtml(html: string): string {
  configure();
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'img', 'video', 'audio', 'svg', 'math'],
    FORBID_ATTR: ['style', 'id'],
    ALLOW_DATA_ATTR: false,
  });
}
