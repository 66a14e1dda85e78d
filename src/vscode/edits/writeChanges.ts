/**
 * Writes planned file changes to the workspace through `WorkspaceEdit`s, so they are undoable
 * with the editor's undo and go through VS Code's file service (watchers, working copies, open
 * editors all see them).
 *
 * - A modified file gets a text edit in its document: an open editor's buffer (saved afterwards
 *   only if it had no unsaved changes before), or for a closed file a document opened in memory
 *   and saved (see closedDocuments.ts). Undo gives the old text back. Never an overwriting
 *   `createFile`: VS Code undoes that by deleting the file.
 * - Large closed files, texts a document would not keep byte for byte, and every closed file of a
 *   large run (closedDocuments.ts) are written straight to disk just before the WorkspaceEdit,
 *   each re-checked against the text it was planned on first: not on the editor's undo stack,
 *   restored by Undo Run.
 * - Created, deleted and renamed files are created, deleted and renamed.
 * - One WorkspaceEdit holds everything but the buffers with the user's unsaved text, which get a
 *   WorkspaceEdit of their own, applied at the same time and never saved (see writeSegment).
 *
 * A failed write may have done part of its work (file operations are not transactional), so
 * every file it changed is put back to its state before the write (rollBack.ts), never one the
 * user changed meanwhile. Nothing here throws: an exception becomes a failed result with its reason.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import type { FileChange } from '../../core/patch';
import { LARGE_RUN, routeChanges } from './closedDocuments';
import { writeDirect, type DirectWrite } from './directWrites';
import { replaceInClosedFile, replaceInDocument } from './documentEdits';
import { encodeFile, matchEol, sameText, withBom } from './fileText';
import { rollBack } from './rollBack';
import type { WorkspaceFiles } from './workspaceFiles';

/** What the workspace holds at each path after a write (null: no file). */
export type Written = Map<string, string | null>;

export type WriteResult =
  | { ok: true; written: Written; /** closed files written directly because the run is large */ largeRunWrites: number }
  /**
   * untouched: paths the write left alone because someone else changed them (not rolled back);
   * stale: paths whose text was not the one the change was planned on (nothing written).
   */
  | { ok: false; reason: string; untouched?: readonly string[]; stale?: readonly string[] };

export interface WriteOptions {
  /** Write the texts as given (undo), not adapted to the file's line endings. */
  exact?: boolean;
  /** A large run: closed files are written directly to disk (see LARGE_RUN_CLOSED_FILES). */
  largeRun?: boolean;
}

/**
 * Applies changes in order, all or nothing. Changes on distinct files go out as one WorkspaceEdit;
 * a path changed twice starts a new one (a document edit is computed on the text before it).
 */
export async function writeChanges(
  files: WorkspaceFiles,
  changes: readonly FileChange[],
  docs: Map<string, vscode.TextDocument>,
  logger: Logger,
  options: WriteOptions = {},
): Promise<WriteResult> {
  const written: Written = new Map();
  let largeRunWrites = 0;
  const saveAfterRollback = new Set<string>();
  const afterOf = afterFor(options);
  for (const segment of segments(changes)) {
    let result: WriteResult;
    try {
      result = await writeSegment(files, segment, segment === changes ? docs : files.openDocuments(), logger, options, saveAfterRollback);
    } catch (error) {
      result = { ok: false, reason: `the write failed: ${(error as Error)?.message ?? String(error)}` };
    }
    if (!result.ok) {
      logger.warn(`${result.reason} (${changes.length} file change(s)); putting the files back`);
      await rollBack(files, changes, logger, saveAfterRollback, new Set(result.untouched), afterOf).catch((error: unknown) => {
        logger.error(`putting the files back failed: ${(error as Error)?.message ?? String(error)}`);
      });
      return result;
    }
    for (const [path, text] of result.written) written.set(path, text);
    largeRunWrites += result.largeRunWrites;
  }
  return { ok: true, written, largeRunWrites };
}

/** The text a change writes: adapted to the file's line endings, unless told to write it exactly. */
function afterFor(options: WriteOptions): (change: FileChange) => string | null {
  return (change) => (change.after === null || options.exact ? change.after : matchEol(change.after, change.before));
}

/** Runs of changes in which no path occurs twice (almost always: all of them). */
function segments(changes: readonly FileChange[]): (readonly FileChange[])[] {
  const result: FileChange[][] = [[]];
  let seen = new Set<string>();
  for (const change of changes) {
    const paths = change.newRelPath === undefined ? [change.relPath] : [change.relPath, change.newRelPath];
    if (paths.some((p) => seen.has(p))) { result.push([]); seen = new Set(); }
    for (const p of paths) seen.add(p);
    result[result.length - 1].push(change);
  }
  return result.length === 1 ? [changes] : result;
}

async function writeSegment(
  files: WorkspaceFiles,
  changes: readonly FileChange[],
  docs: Map<string, vscode.TextDocument>,
  logger: Logger,
  options: WriteOptions,
  saveAfterRollback: Set<string>,
): Promise<WriteResult> {
  const afterOf = afterFor(options);
  const routes = routeChanges(files, changes, docs, afterOf, options.largeRun);
  const edit = new vscode.WorkspaceEdit();
  /** Text edits, added to `edit` after its file operations (see below). */
  const textEdits = new vscode.WorkspaceEdit();
  /** Text edits in buffers holding the user's unsaved text: a WorkspaceEdit of their own, never saved. */
  const bufferEdits = new vscode.WorkspaceEdit();
  let operations = 0;
  let bufferOperations = 0;
  /** A renamed buffer with unsaved text moves with its rename, so VS Code must not save that edit. */
  let renamedUserBuffer = false;
  /** Documents to save after the edit: edited open buffers that were clean, and closed files. */
  const toSave: vscode.Uri[] = [];
  const direct: DirectWrite[] = [];
  const written: Written = new Map();
  /** relPath -> the file has a BOM; for every path edited as a document. */
  const boms = new Map<string, boolean>();

  for (const change of changes) {
    const uri = files.uri(change.relPath);
    const route = routes.get(change.relPath);
    const doc = route?.via === 'document' ? route.doc : undefined;
    const after = afterOf(change);
    if ((doc || route?.via === 'closed') && change.before !== null) boms.set(change.relPath, change.before.startsWith('\uFEFF'));
    if (route && route.via !== 'disk' && !doc?.isDirty) saveAfterRollback.add(uri.toString());
    switch (change.kind) {
      case 'create':
        edit.createFile(uri, { overwrite: false, contents: encodeFile(after ?? '') });
        operations++;
        written.set(change.relPath, after ?? '');
        break;
      case 'delete':
        edit.deleteFile(uri, { ignoreIfNotExists: false });
        operations++;
        written.set(change.relPath, null);
        break;
      case 'modify':
        if (route?.via === 'disk') {
          direct.push({ relPath: change.relPath, uri, before: change.before ?? '', text: after ?? '', why: route.why });
        } else {
          if (doc?.isDirty) bufferOperations++;
          if (doc) replaceInDocument(doc.isDirty ? bufferEdits : textEdits, doc, uri, after ?? '');
          else replaceInClosedFile(textEdits, uri, change.before ?? '', after ?? '');
          operations++;
          if (!doc?.isDirty) toSave.push(uri);
        }
        written.set(change.relPath, after);
        break;
      case 'rename': {
        const target = files.uri(change.newRelPath!);
        const contentChanged = !sameText(change.before, change.after);
        if (route?.via === 'disk' && contentChanged) {
          // Create + delete, which undo cleanly (not rename + overwriting create: VS Code undoes
          // that create by deleting the file).
          edit.createFile(target, { overwrite: false, contents: encodeFile(after ?? '') });
          edit.deleteFile(uri, { ignoreIfNotExists: false });
        } else {
          edit.renameFile(uri, target, { overwrite: false });
          if (doc?.isDirty) renamedUserBuffer = true;
          if (contentChanged && doc) replaceInDocument(textEdits, doc, target, after ?? '');
          else if (contentChanged) replaceInClosedFile(textEdits, target, change.before ?? '', after ?? '');
          if (contentChanged || doc) {
            if (!doc?.isDirty) { toSave.push(target); saveAfterRollback.add(target.toString()); }
            boms.set(change.newRelPath!, boms.get(change.relPath) ?? false);
          }
        }
        operations++;
        written.set(change.relPath, null);
        written.set(change.newRelPath!, after);
        break;
      }
    }
  }

  // VS Code applies a WorkspaceEdit as runs of entries of one kind, one after another, each with
  // its own round trips to the window and the extensions (file operation participants): a run's
  // creates and changes interleaved cost ~50 runs, in 2 to 8 s for 50 files; file operations
  // first, then every text edit, cost two (bench/smallRunInHost.bench.ts). The order among
  // distinct paths is free, and a renamed file's text edit still follows its rename.
  for (const [uri, list] of textEdits.entries()) edit.set(uri, list);

  const started = Date.now();
  // Before the WorkspaceEdit, so that the re-check reads each file right before it is written.
  if (direct.length > 0) {
    const failed = await writeDirect(files, direct);
    if (failed) return failed;
    const noted = direct.filter((d) => d.why !== LARGE_RUN);
    if (noted.length > 0) logger.info(`wrote ${noted.map((d) => `${d.relPath} (${d.why})`).join(', ')} directly to disk: the editor's undo does not cover ${noted.length === 1 ? 'it' : 'them'}, Undo Run does`);
  }
  const directAt = Date.now();
  // isRefactoring: VS Code saves the edited documents itself (files.refactoring.autoSave) when
  // the edit touches several files, with no round trip per file. It would save a buffer holding
  // the user's unsaved text as well, so those are edited apart (at the same time: other paths).
  const [refused, refusedInBuffers] = await Promise.all([
    apply(edit, operations > bufferOperations, !renamedUserBuffer),
    apply(bufferEdits, bufferOperations > 0, false),
  ]);
  if (refusedInBuffers) return refusedInBuffers;
  if (refused) return refused;

  const appliedAt = Date.now();
  const saved = await saveDocuments(files, toSave, !renamedUserBuffer && toSave.length > 1, logger);
  logger.debug(`${direct.length} direct write(s) in ${directAt - started} ms, ${operations} WorkspaceEdit operation(s)${bufferOperations ? ` (${bufferOperations} in unsaved buffers)` : ''} in ${appliedAt - directAt} ms (with saving), then ${Date.now() - appliedAt} ms saving`);
  // For edited documents, what they hold now (a save participant may have formatted them).
  const open = files.openDocuments();
  for (const [relPath, text] of written) {
    const key = files.uri(relPath).toString();
    const doc = text === null || !boms.has(relPath) ? undefined : open.get(key) ?? saved.get(key);
    if (doc && !doc.isClosed) written.set(relPath, withBom(doc.getText(), boms.get(relPath) ?? false));
  }
  return { ok: true, written, largeRunWrites: direct.filter((d) => d.why === LARGE_RUN).length };
}

/** Applies a WorkspaceEdit; a failed result when VS Code refuses it. */
async function apply(edit: vscode.WorkspaceEdit, needed: boolean, isRefactoring: boolean): Promise<WriteResult | undefined> {
  if (!needed) return undefined;
  try {
    if (await vscode.workspace.applyEdit(edit, { isRefactoring })) return undefined;
    return { ok: false, reason: 'VS Code did not apply the edit' };
  } catch (error) {
    return { ok: false, reason: `VS Code could not apply the edit: ${(error as Error).message}` };
  }
}

/**
 * Saves what the edit left unsaved. VS Code has saved a refactoring of several files itself
 * unless files.refactoring.autoSave is off; a document still dirty here (its save failed, or
 * VS Code did not save it) is saved from here, and a save that fails leaves the edit in the buffer.
 */
async function saveDocuments(files: WorkspaceFiles, uris: vscode.Uri[], refactoring: boolean, logger: Logger): Promise<Map<string, vscode.TextDocument>> {
  const saved = new Map<string, vscode.TextDocument>();
  const autoSaved = refactoring && vscode.workspace.getConfiguration('files').get<boolean>('refactoring.autoSave', true);
  const open = files.openDocuments();
  await Promise.all(uris.map(async (uri) => {
    let doc = open.get(uri.toString());
    if (!doc && autoSaved) return; // saved, and VS Code has let go of it already
    doc ??= await vscode.workspace.openTextDocument(uri);
    saved.set(uri.toString(), doc);
    if (doc.isDirty && !(await doc.save())) logger.warn(`could not save ${doc.uri.fsPath}; the edit stays in its editor`);
  }));
  return saved;
}
