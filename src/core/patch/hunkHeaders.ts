/**
 * Repairs for hunk headers that agents get wrong. jsdiff's parsePatch is strict about the
 * line counts in `@@ -a,b +c,d @@`; models often miscount, so when the strict parse fails we
 * recount the counts from the hunk bodies and parse again. The body lines themselves are never
 * changed, so a recount cannot make a diff say something it did not.
 */

const numberedHeader = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;

function isBoundary(lines: string[], i: number): boolean {
  const line = lines[i];
  return line.startsWith('@@') || line.startsWith('diff --git ') || line.startsWith('Index: ')
    || (line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ '))
    || line.startsWith('*** ');
}

export function recountHunkHeaders(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = numberedHeader.exec(lines[i].replace(/\r$/, ''));
    if (!match) continue;
    let end = i + 1;
    while (end < lines.length && !isBoundary(lines, end)) end++;
    // Trailing blank lines at the end of the text are the diff's own final newline, not context.
    let bodyEnd = end;
    if (end === lines.length) while (bodyEnd > i + 1 && lines[bodyEnd - 1] === '') bodyEnd--;
    let oldCount = 0;
    let newCount = 0;
    for (let j = i + 1; j < bodyEnd; j++) {
      const op = lines[j][0];
      if (op === '-') oldCount++;
      else if (op === '+') newCount++;
      else if (op === '\\') continue;
      else { oldCount++; newCount++; }
    }
    const oldStart = oldCount === 0 ? Math.max(0, +match[1]) : Math.max(1, +match[1]);
    const newStart = newCount === 0 ? Math.max(0, +match[2]) : Math.max(1, +match[2]);
    const cr = lines[i].endsWith('\r') ? '\r' : '';
    lines[i] = `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@${match[3]}${cr}`;
    i = end - 1;
  }
  return lines.join('\n');
}

/** True when the text has an `@@` line without line numbers (apply_patch style chunks). */
export function hasBareHunkHeaders(text: string): boolean {
  return /^@@(?!\s+-\d)/m.test(text);
}
