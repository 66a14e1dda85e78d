/**
 * The text of a workspace file as the patch engine sees it: a JS string with the BOM as its first
 * character (so the engine keeps it) and the file's own line endings. Open editors are read from
 * their buffer (what the user sees), closed files from disk.
 */
import { NotTextError } from '../../core/edits';

export { sameText, textHash, NotTextError } from '../../core/edits';

const BOM = '\uFEFF';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** Disk bytes -> text, BOM kept as a character. Throws NotTextError for bytes that are not UTF-8. */
export function decodeFile(bytes: Uint8Array, relPath: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new NotTextError(`${relPath} is not UTF-8 text`);
  }
}

export function encodeFile(text: string): Uint8Array {
  return encoder.encode(text);
}

export function hasBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

export function withBom(text: string, bom: boolean): string {
  return bom && !text.startsWith(BOM) ? BOM + text : text;
}

/** Every line break is CRLF (and there is at least one). */
export function isCrlf(text: string): boolean {
  const lf = countOf(text, '\n');
  return lf > 0 && countOf(text, '\r\n') === lf;
}

/** The engine may add LF lines to a CRLF file (or take the sandbox's endings): keep the file's. */
export function matchEol(after: string, before: string | null): string {
  if (before === null || !isCrlf(before) || isCrlf(after)) return after;
  return after.replace(/\r?\n/g, '\r\n');
}

export function toEol(text: string, eol: '\n' | '\r\n'): string {
  return eol === '\r\n' ? text.replace(/\r?\n/g, '\r\n') : text.replace(/\r\n/g, '\n');
}

function countOf(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) count++;
  return count;
}

/**
 * The smallest replacement turning `before` into `after`: offsets into `before`. Never splits a
 * CRLF pair, so the edit lands on whole line breaks.
 */
export function minimalReplace(before: string, after: string): { start: number; end: number; text: string } {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start > 0 && before[start - 1] === '\r') start--;
  let suffix = 0;
  while (suffix < max - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  if (suffix > 0 && before[before.length - suffix] === '\n' && before[before.length - suffix - 1] === '\r' && before.length - suffix - 1 >= start) suffix--;
  return { start, end: before.length - suffix, text: after.slice(start, after.length - suffix) };
}

/** The line break a text uses throughout: 'none' without any, 'mixed' when a document would normalise it. */
export function eolOf(text: string): '\n' | '\r\n' | 'none' | 'mixed' {
  const lf = countOf(text, '\n');
  const cr = countOf(text, '\r');
  if (lf === 0 && cr === 0) return 'none';
  const crlf = countOf(text, '\r\n');
  if (crlf === lf && crlf === cr) return '\r\n';
  return cr === 0 ? '\n' : 'mixed';
}
