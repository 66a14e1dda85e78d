/**
 * Reader for the `*** Begin Patch` envelope of apply_patch tools. jsdiff does not know this
 * dialect, so it is read by hand into the same jsdiff-shaped hunks the unified reader produces;
 * its chunks carry no line numbers, so they are marked `unpositioned` for the applier.
 */
import type { FilePatch, ParseResult, PatchHunk } from './types';

const fileHeader = /^\*\*\* (Add|Update|Delete) File:\s*(.+?)\s*$/;
const moveTo = /^\*\*\* Move to:\s*(.+?)\s*$/;

export function isEnvelope(text: string): boolean {
  return /^\s*\*\*\* Begin Patch\s*$/m.test(text.slice(0, 2000)) && text.trimStart().startsWith('*** Begin Patch');
}

export function readEnvelope(text: string): ParseResult {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  let i = 0;
  while (i < lines.length && lines[i].trim() === '') i++;
  if (lines[i]?.trim() !== '*** Begin Patch') return { ok: false, reason: 'envelope does not start with *** Begin Patch' };
  i++;
  const patches: FilePatch[] = [];
  let ended = false;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '*** End Patch') { ended = true; break; }
    if (line.trim() === '') { i++; continue; }
    const header = fileHeader.exec(line);
    if (!header) return { ok: false, reason: `envelope line ${i + 1}: expected a file header, found ${JSON.stringify(line)}` };
    const [, verb, filePath] = header;
    i++;
    if (verb === 'Delete') {
      patches.push({ kind: 'delete', path: filePath, hunks: [], dialect: 'envelope' });
      continue;
    }
    if (verb === 'Add') {
      const content: string[] = [];
      while (i < lines.length && lines[i].startsWith('+')) content.push(lines[i++].slice(1));
      // apply_patch tools write every added line with a newline, the last one included.
      patches.push({ kind: 'create', path: filePath, hunks: [], content: content.map((l) => l + '\n').join(''), dialect: 'envelope' });
      continue;
    }
    let newPath: string | undefined;
    const move = moveTo.exec(lines[i] ?? '');
    if (move) { newPath = move[1]; i++; }
    const body: string[] = [];
    while (i < lines.length && (!lines[i].startsWith('*** ') || lines[i] === '*** End of File')) body.push(lines[i++]);
    const chunks = readChunks(body, i - body.length);
    if (typeof chunks === 'string') return { ok: false, reason: chunks };
    patches.push({ kind: newPath ? 'rename' : 'modify', path: filePath, newPath, hunks: chunks, dialect: 'envelope' });
  }
  if (!ended) return { ok: false, reason: 'envelope has no *** End Patch (truncated?)' };
  return { ok: true, patches };
}

/**
 * Chunks separated by `@@` lines (optionally `@@ <anchor line>`), with ` `/`-`/`+` bodies and an
 * optional `*** End of File`. Returns the hunks, or a reason string.
 */
export function readChunks(body: string[], firstLineIndex = 0): PatchHunk[] | string {
  const hunks: PatchHunk[] = [];
  let current: PatchHunk | undefined;
  const start = (anchor?: string): PatchHunk => {
    const hunk: PatchHunk = { oldStart: 1, oldLines: 0, newStart: 1, newLines: 0, lines: [], unpositioned: true };
    if (anchor) hunk.anchor = anchor;
    hunks.push(hunk);
    return hunk;
  };
  // Blank lines after the last chunk are layout, not context.
  let end = body.length;
  while (end > 0 && body[end - 1] === '') end--;
  for (let j = 0; j < end; j++) {
    const line = body[j];
    if (line.startsWith('@@')) {
      const anchor = line.slice(2).trim();
      current = start(anchor === '' ? undefined : anchor);
      continue;
    }
    if (line === '*** End of File') {
      if (current) current.atEnd = true;
      continue;
    }
    const op = line === '' ? ' ' : line[0];
    if (op !== ' ' && op !== '-' && op !== '+') {
      return `line ${firstLineIndex + j + 1}: not a context, removed or added line: ${JSON.stringify(line)}`;
    }
    current ??= start();
    current.lines.push(line === '' ? ' ' : line);
    if (op !== '+') current.oldLines++;
    if (op !== '-') current.newLines++;
  }
  const empty = hunks.find((hunk) => hunk.lines.length === 0);
  if (empty) return 'a chunk has no lines';
  return hunks;
}
