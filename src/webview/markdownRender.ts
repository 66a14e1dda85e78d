/**
 * Markdown to HTML with markdown-it: raw HTML off (it is shown as text), bare URLs linked, and
 * only http(s)/mailto links and anchors kept as links. The result still goes through DOMPurify
 * (sanitize.ts) before it reaches the DOM; this module is pure so it is tested in plain Node.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });

const safeLink = /^(https?:|mailto:|#)/i;
md.validateLink = (url: string) => safeLink.test(url.trim());

// The page's CSP blocks remote images anyway; show an image as a link to it instead of a broken box.
md.renderer.rules.image = (tokens, index) => {
  const token = tokens[index];
  const src = String(token.attrGet('src') ?? '');
  const alt = String(token.content || src);
  return `<a href="${md.utils.escapeHtml(src)}">${md.utils.escapeHtml(alt)}</a>`;
};

export function markdownToHtml(text: string): string {
  return md.render(text);
}

/** Links the view lets the host open (everything else does nothing when clicked). */
export function isOpenableLink(href: string): boolean {
  return /^https?:\/\//i.test(href.trim());
}
