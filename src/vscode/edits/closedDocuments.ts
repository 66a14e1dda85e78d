/**
 * How a write changes each modified file: as a text edit in its open document, as a text edit on
 * a closed file (VS Code loads it as a document, edits and saves it), or straight to disk.
 *
 * Text edits are what put a change on VS Code's undo stack, where undo gives the old text back.
 * (An overwriting `createFile` is undone by deleting the file: never used for a file that existed.)
 * A closed file's edit is computed on the text the pre-write check just read from disk, without
 * opening it from here first: opening hundreds of documents from the extension host is slow, and
 * VS Code releases such documents again while others are still opening.
 *
 * Written straight to disk instead (logged; not on the editor's undo stack; Undo Run restores them):
 * - large files: their whole text would travel extension host -> window -> disk for a document,
 *   which is what made a real run slow (bench/editsInHost.bench.ts);
 * - files a document would not hold byte for byte: mixed or lone-CR line endings (a document
 *   normalises them), new line breaks of another kind than the file's, or an encoding setting
 *   under which VS Code might decode the UTF-8 text differently;
 * - every closed file of a large run (see LARGE_RUN_CLOSED_FILES).
 */
import * as vscode from 'vscode';
import type { FileChange } from '../../core/patch';
import { eolOf, sameText, stripBom } from './fileText';
import type { WorkspaceFiles } from './workspaceFiles';

/** Closed files with a text (before or after) longer than this are written directly. */
export const DIRECT_WRITE_CHARS = 1_000_000;

/**
 * A write batch with more closed files to modify than this makes its run a large run: from then on
 * the run's closed files are written straight to disk (Undo Run reverts them; the editor's undo
 * does not). The cost of a text edit on a closed file is per file inside VS Code's applyEdit
 * (loading it as a document, and language extensions reacting to each newly opened document):
 * about 40 files/s in code-server on 2 cores, so 100 files already hold a batch for ~2.5 s, and a
 * 1,774-file run took 45 s (bench/editsInHost.bench.ts). Runs of a handful to tens of files, where
 * the editor's undo matters, stay well under it; a batch only grows past it when the run's edits
 * arrive faster than that path can write them, which is when pace matters.
 */
export const LARGE_RUN_CLOSED_FILES = 100;

/** The `why` of a closed file written directly because its run is large (logged once per run, not per file). */
export const LARGE_RUN = 'large run';

export type Route =
  | { via: 'document'; doc: vscode.TextDocument }
  | { via: 'closed' }
  | { via: 'disk'; why: string };

/** The route of each modified (or renamed and changed) file, by relPath. `afterOf` gives the text to write. */
export function routeChanges(
  files: WorkspaceFiles,
  changes: readonly FileChange[],
  docs: Map<string, vscode.TextDocument>,
  afterOf: (change: FileChange) => string | null,
  /** A large run: closed files go straight to disk. */
  largeRun = false,
): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const change of changes) {
    if (change.kind !== 'modify' && change.kind !== 'rename') continue;
    const uri = files.uri(change.relPath);
    const doc = docs.get(uri.toString());
    const before = stripBom(change.before ?? '');
    if (doc) {
      // A clean buffer not yet reloaded after the file changed on disk: the disk (checked) rules.
      const stale = !doc.isDirty && doc.getText() !== before;
      routes.set(change.relPath, stale ? { via: 'disk', why: 'its editor has not caught up with the disk yet' } : { via: 'document', doc });
      continue;
    }
    if (change.kind === 'rename' && sameText(change.before, change.after)) continue; // a plain rename
    const why = largeRun ? LARGE_RUN : closedFileBlocker(uri, before, stripBom(afterOf(change) ?? ''));
    routes.set(change.relPath, why ? { via: 'disk', why } : { via: 'closed' });
  }
  return routes;
}

/** How many closed files these changes edit as text (modified, or renamed with new content). */
export function closedFileEdits(files: WorkspaceFiles, changes: readonly FileChange[], docs: Map<string, vscode.TextDocument>): number {
  let count = 0;
  for (const change of changes) {
    const edited = change.kind === 'modify' || (change.kind === 'rename' && !sameText(change.before, change.after));
    if (edited && !docs.has(files.uri(change.relPath).toString())) count++;
  }
  return count;
}

function closedFileBlocker(uri: vscode.Uri, before: string, after: string): string | undefined {
  if (before.length > DIRECT_WRITE_CHARS || after.length > DIRECT_WRITE_CHARS) return 'larger than 1 MB';
  const eolBefore = eolOf(before);
  const eolAfter = eolOf(after);
  if (eolBefore === 'mixed' || eolAfter === 'mixed') return 'mixed line endings, which a document would normalise';
  const eol = eolBefore !== 'none' ? eolBefore : defaultEol(uri);
  if (eolAfter !== 'none' && eolAfter !== eol) return 'its new line breaks differ from the file\'s';
  const config = vscode.workspace.getConfiguration('files', uri);
  const encoding = config.get<string>('encoding', 'utf8');
  if (encoding !== 'utf8' && encoding !== 'utf8bom') return `files.encoding is ${encoding}`;
  if (config.get<boolean>('autoGuessEncoding', false) && /[^\u0000-\u007f]/.test(before)) return 'files.autoGuessEncoding may read it otherwise';
  return undefined;
}

/** The line break VS Code gives a document whose file has none yet (files.eol). */
function defaultEol(uri: vscode.Uri): '\n' | '\r\n' {
  const setting = vscode.workspace.getConfiguration('files', uri).get<string>('eol', 'auto');
  if (setting === '\n' || setting === '\r\n') return setting;
  return process.platform === 'win32' ? '\r\n' : '\n';
}

/** Position of an offset in a text whose line breaks are uniform (LF or CRLF; never inside CRLF). */
export function positionIn(text: string, offset: number): vscode.Position {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return new vscode.Position(line, offset - lineStart);
}
