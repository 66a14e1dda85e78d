/**
 * Cutting long texts for display. The view shows the head of a long tool output and offers
 * "Show all"; the host may also have cut a text before sending it (LoggedEvent.truncated).
 * Pure (no DOM).
 */
export interface ViewText {
  text: string;
  /** The text was cut here (the full text is known locally). */
  cut: boolean;
  /** Lines not shown, when cut. */
  hiddenLines: number;
}

export const VIEW_LIMITS = { maxLines: 24, maxChars: 3000 };

export function truncateForView(text: string, limits = VIEW_LIMITS): ViewText {
  const totalLines = countLines(text);
  if (text.length <= limits.maxChars && totalLines <= limits.maxLines) return { text, cut: false, hiddenLines: 0 };
  let end = Math.min(text.length, limits.maxChars);
  let seen = 0;
  for (let index = 0; index < end; index++) {
    if (text.charCodeAt(index) === 10 && ++seen === limits.maxLines) {
      end = index;
      break;
    }
  }
  const head = text.slice(0, end);
  return { text: head, cut: true, hiddenLines: Math.max(0, totalLines - countLines(head)) };
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  let lines = 1;
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) === 10) lines++;
  return lines;
}
