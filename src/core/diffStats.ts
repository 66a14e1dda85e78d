/**
 * Added and removed line counts, for the views. No imports on purpose: the webview bundle uses
 * this file too, and must take nothing from Node.
 */

/** Counts the `+`/`-` lines of a diff in any dialect (file headers and envelope lines excluded). */
export function countDiffLines(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ') || line.startsWith('--- ') || line.startsWith('***')) continue;
    if (line.startsWith('+')) added++;
    else if (line.startsWith('-')) removed++;
  }
  return { added, removed };
}

/** Lines in a text (a last line without a line break counts). */
export function lineCount(text: string | null | undefined): number {
  if (!text) return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}
