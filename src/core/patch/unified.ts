/**
 * Reader for unified diffs, plain or git-style, with or without file headers. jsdiff's
 * parsePatch does the parsing; this file adds what it leaves to the caller: stripping the
 * `a/`/`b/` prefixes, `/dev/null` meaning create/delete, binary patches (jsdiff only flags
 * `Binary files ... differ`, not `GIT binary patch`), and a recount of miscounted hunk headers.
 */
import { parsePatch } from 'diff';
import type { StructuredPatch } from 'diff';
import { readChunks } from './envelope';
import { hasBareHunkHeaders, recountHunkHeaders } from './hunkHeaders';
import type { FilePatch, ParseResult, PatchHunk } from './types';

const devNull = '/dev/null';

/** A unified diff with file headers: `diff --git`, or a `---` line directly followed by `+++`. */
export function hasFileHeaders(text: string): boolean {
  const head = headOf(text);
  return /^diff --git /m.test(head) || /^--- .*\r?\n\+\+\+ /m.test(head);
}

/** Headers come before the first hunk: look only there (diffs can be tens of MB). */
function headOf(text: string): string {
  const firstHunk = text.startsWith('@@') ? 0 : text.indexOf('\n@@');
  return firstHunk < 0 ? text : text.slice(0, firstHunk + 1);
}

/** Hunks without file headers: the first non-blank line is an `@@` header. */
export function isHunksOnly(text: string): boolean {
  return /^\s*@@/.test(text);
}

/**
 * Strict parse; for hand-made diffs, a second try with recounted hunk headers. A `diff --git`
 * diff is machine-made: a count that does not match means it was cut short, and recounting
 * would apply half a hunk, so it stays an error.
 */
function parseLenient(text: string): StructuredPatch[] {
  try {
    return parsePatch(text);
  } catch (strictError) {
    if (/^diff --git /m.test(headOf(text))) throw strictError;
    try {
      return parsePatch(recountHunkHeaders(text));
    } catch {
      throw strictError;
    }
  }
}

/** `targetPath`: the event's path, used for hunks-only diffs and single-file diffs. */
export function readUnified(text: string, targetPath: string): ParseResult {
  if (!hasFileHeaders(text) && hasBareHunkHeaders(text)) {
    const chunks = readChunks(text.split('\n').map((line) => line.replace(/\r$/, '')));
    if (typeof chunks === 'string') return { ok: false, reason: chunks };
    return { ok: true, patches: [{ kind: 'modify', path: targetPath, hunks: chunks, dialect: 'hunks' }] };
  }
  let indexes: StructuredPatch[];
  try {
    indexes = parseLenient(text);
  } catch (error) {
    return { ok: false, reason: `unified diff does not parse: ${(error as Error).message}` };
  }
  // parsePatch yields an empty entry for leading prose; keep only entries that say something.
  indexes = indexes.filter((index) => index.hunks.length > 0 || index.oldFileName !== undefined || index.isGit);
  if (indexes.length === 0) return { ok: false, reason: 'no file headers or hunks found' };

  // Only a git entry with no hunks can hide a binary body; skip the scan otherwise (big diffs).
  const binaryFiles = indexes.some((index) => index.isGit && index.hunks.length === 0)
    ? gitBinaryPatchFiles(text) : new Set<string>();
  const patches: FilePatch[] = [];
  for (const index of indexes) {
    const read = readIndex(index, targetPath, indexes.length === 1, binaryFiles);
    if (typeof read === 'string') return { ok: false, reason: read };
    patches.push(read);
  }
  return { ok: true, patches };
}

function readIndex(index: StructuredPatch, targetPath: string, single: boolean, binaryFiles: Set<string>): FilePatch | string {
  const dialect = index.oldFileName === undefined && index.newFileName === undefined ? 'hunks' : 'unified';
  if (index.isCopy) return `copy patches are not supported (${index.newFileName})`;
  let oldName = index.oldFileName;
  let newName = index.newFileName;
  // git always writes a/ and b/ (jsdiff even adds them to `rename from`); plain diffs may too.
  const prefixed = index.isGit
    || ((oldName === devNull || oldName?.startsWith('a/')) && (newName === devNull || newName?.startsWith('b/')));
  if (prefixed) {
    if (oldName?.startsWith('a/')) oldName = oldName.slice(2);
    if (newName?.startsWith('b/')) newName = newName.slice(2);
  }
  const hunks = index.hunks as PatchHunk[];
  const binary = index.isBinary === true || (newName !== undefined && binaryFiles.has(newName))
    || (oldName !== undefined && binaryFiles.has(oldName));

  const created = index.isCreate === true || oldName === devNull;
  const deleted = index.isDelete === true || newName === devNull;
  if (created && deleted) return 'a file diff is both created and deleted (/dev/null on both sides)';
  const renamed = !created && !deleted && (index.isRename === true
    || (index.isGit === true && oldName !== undefined && newName !== undefined && oldName !== newName));

  if (renamed) return { kind: 'rename', path: oldName!, newPath: newName!, hunks, binary, dialect };
  // A single-file diff is about the file the event names; headers may carry temp-file names.
  const headerPath = created ? newName : deleted ? oldName : (newName ?? oldName);
  const path = single && targetPath.trim() !== '' ? targetPath : headerPath;
  if (path === undefined || path === '') return 'a file diff names no file';
  return { kind: created ? 'create' : deleted ? 'delete' : 'modify', path, hunks, binary, dialect };
}

/** Files whose diff is a `GIT binary patch` (literal/delta): jsdiff skips these bodies silently. */
function gitBinaryPatchFiles(text: string): Set<string> {
  const files = new Set<string>();
  if (!text.includes('GIT binary patch')) return files;
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const header = /^diff --git a\/(.*) b\/(.*?)\r?$/.exec(line);
    if (header) current = header[2];
    else if (line.startsWith('GIT binary patch') && current !== undefined) files.add(current);
  }
  return files;
}
