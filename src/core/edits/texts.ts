/** Comparing file texts the way a user edit counts them: line endings do not matter. */
import { createHash } from 'node:crypto';

/** Equal as far as a user edit is concerned: CRLF and LF count the same. */
export function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === b) return true;
  if (a == null || b == null) return false;
  if (!a.includes('\r') && !b.includes('\r')) return false;
  return normalise(a) === normalise(b);
}

/** Identity of a text kept across reloads instead of the text (as sameText: line endings do not count). */
export function textHash(text: string | null | undefined): string | null {
  return text == null ? null : createHash('sha256').update(normalise(text)).digest('base64');
}

function normalise(text: string): string {
  return text.replace(/\r\n/g, '\n');
}
