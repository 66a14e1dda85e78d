/**
 * Writes planned file changes to the workspace through one `WorkspaceEdit`, so they are undoable
 * and go through VS Code's file service (watchers, working copies, open editors all see them).
 *
 * - A file open in an editor gets a text edit in its buffer (the editor's undo reverts it); the
 *   buffer is saved afterwards only if it had no unsaved changes before.
 * - A file not open is written with `createFile(..., { overwrite, contents })`: no document is
 *   opened, which is what makes a thousand-file run fast (see bench/editsInHost.bench.ts).
 * - Created, deleted and renamed files are created, deleted and renamed.
 *
 * A failed WorkspaceEdit may have done part of its work (file operations are not transactional),
 * so every file is put back to its state before the edit: nothing is left half-applied.
 */
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import type { FileChange } from '../../core/patch';
import { encodeFile, matchEol, minimalReplace, sameText, stripBom, toEol, withBom } from './fileText';
import type { WorkspaceFiles } from './workspaceFiles';

/** What the workspace holds at each path after a write (null: no file). */
export type Written = Map<string, string | null>;

export type WriteResult = { ok: true; written: Written } | { ok: false; reason: string };

/**
 * Is the workspace still what these changes were planned against? Undefined if so, else why not.
 * Also re-checks every path against symlinks: the folder may have changed since planning.
 */
export async function verifyChanges(files: WorkspaceFiles, changes: readonly FileChange[], docs: Map<string, vscode.TextDocument>): Promise<string | undefined> {
  const seen = new Map<string, string | null>();
  for (const change of changes) {
    for (const relPath of [change.relPath, change.newRelPath]) {
      if (relPath === undefined) continue;
      const checked = await files.checkPath(relPath);
      if (!checked.ok) return checked.reason;
    }
    const current = seen.has(change.relPath) ? seen.get(change.relPath)! : (await files.read(change.relPath, docs)) ?? null;
    if (!sameText(current, change.before)) {
      return current === null ? `${change.relPath} no longer exists` : change.before === null
        ? `${change.relPath} was created meanwhile` : `${change.relPath} changed since the edit was planned`;
    }
    const doc = docs.get(files.uri(change.relPath).toString());
    if (change.kind === 'delete' && doc?.isDirty) return `${change.relPath} has unsaved changes in an editor: not deleted`;
    if (change.kind === 'rename' && change.newRelPath !== undefined) {
      if (seen.has(change.newRelPath) ? seen.get(change.newRelPath) !== null : await files.exists(change.newRelPath)) {
        return `cannot rename ${change.relPath}: ${change.newRelPath} exists`;
      }
      seen.set(change.relPath, null);
      seen.set(change.newRelPath, change.after);
    } else {
      seen.set(change.relPath, change.after);
    }
  }
  return undefined;
}

/** Applies changes in order as one WorkspaceEdit; on failure restores every file it touched. */
export async function writeChanges(
  files: WorkspaceFiles,
  changes: readonly FileChange[],
  docs: Map<string, vscode.TextDocument>,
  logger: Logger,
  /** exact: write the texts as given (undo), not adapted to the file's line endings. */
  options: { exact?: boolean } = {},
): Promise<WriteResult> {
  const edit = new vscode.WorkspaceEdit();
  const toSave: string[] = [];
  const written: Written = new Map();
  const boms = new Map<string, boolean>();

  for (const change of changes) {
    const uri = files.uri(change.relPath);
    const doc = docs.get(uri.toString());
    const after = change.after === null || options.exact ? change.after : matchEol(change.after, change.before);
    if (doc && change.before !== null) boms.set(change.relPath, change.before.startsWith('\uFEFF'));
    switch (change.kind) {
      case 'create':
        edit.createFile(uri, { overwrite: false, contents: encodeFile(after ?? '') });
        written.set(change.relPath, after ?? '');
        break;
      case 'delete':
        edit.deleteFile(uri, { ignoreIfNotExists: false });
        written.set(change.relPath, null);
        break;
      case 'modify':
        if (doc) {
          replaceInDocument(edit, doc, uri, after ?? '');
          if (!doc.isDirty) toSave.push(uri.toString());
        } else {
          edit.createFile(uri, { overwrite: true, contents: encodeFile(after ?? '') });
        }
        written.set(change.relPath, after);
        break;
      case 'rename': {
        const target = files.uri(change.newRelPath!);
        const contentChanged = !sameText(change.before, change.after);
        if (doc) {
          edit.renameFile(uri, target, { overwrite: false });
          if (contentChanged) replaceInDocument(edit, doc, target, after ?? '');
          if (!doc.isDirty) toSave.push(target.toString());
          boms.set(change.newRelPath!, boms.get(change.relPath) ?? false);
        } else if (contentChanged) {
          // Not rename + overwrite: VS Code undoes an overwriting create by deleting the file,
          // after which the rename could not be undone. Create + delete undo cleanly.
          edit.createFile(target, { overwrite: false, contents: encodeFile(after ?? '') });
          edit.deleteFile(uri, { ignoreIfNotExists: false });
        } else {
          edit.renameFile(uri, target, { overwrite: false });
        }
        written.set(change.relPath, null);
        written.set(change.newRelPath!, after);
        break;
      }
    }
  }

  let applied = false;
  let failure = 'VS Code did not apply the edit';
  try {
    applied = await vscode.workspace.applyEdit(edit);
  } catch (error) {
    failure = `VS Code could not apply the edit: ${(error as Error).message}`;
  }
  if (!applied) {
    logger.warn(`${failure} (${changes.length} file change(s)); putting the files back`);
    await rollBack(files, changes, logger);
    return { ok: false, reason: failure };
  }

  if (toSave.length > 0) {
    const open = files.openDocuments();
    await Promise.all(toSave.map(async (key) => {
      const doc = open.get(key);
      if (doc && !(await doc.save())) logger.warn(`could not save ${doc.uri.fsPath}; the edit stays in its editor`);
    }));
  }
  // For edited buffers, what they hold now (a save participant may have formatted them).
  const open = files.openDocuments();
  for (const [relPath, text] of written) {
    const doc = text === null ? undefined : open.get(files.uri(relPath).toString());
    if (doc) written.set(relPath, withBom(doc.getText(), boms.get(relPath) ?? false));
  }
  return { ok: true, written };
}

function replaceInDocument(edit: vscode.WorkspaceEdit, doc: vscode.TextDocument, target: vscode.Uri, after: string): void {
  const current = doc.getText();
  const wanted = toEol(stripBom(after), doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n');
  const { start, end, text } = minimalReplace(current, wanted);
  edit.replace(target, new vscode.Range(doc.positionAt(start), doc.positionAt(end)), text);
}

/**
 * Puts every path these changes touch back to its state before them: a failed WorkspaceEdit may
 * have done its first operations. Plain file writes, so this cannot fail the way the edit did.
 */
async function rollBack(files: WorkspaceFiles, changes: readonly FileChange[], logger: Logger): Promise<void> {
  const wanted = new Map<string, string | null>();
  for (const change of changes) {
    if (!wanted.has(change.relPath)) wanted.set(change.relPath, change.before);
    if (change.newRelPath !== undefined && !wanted.has(change.newRelPath)) wanted.set(change.newRelPath, null);
  }
  await restoreTexts(files, wanted, logger);
}

/** Makes each path hold the given text (null: no file), touching only those that differ. */
export async function restoreTexts(files: WorkspaceFiles, wanted: Map<string, string | null>, logger: Logger): Promise<void> {
  const docs = files.openDocuments();
  const edit = new vscode.WorkspaceEdit();
  let bufferEdits = 0;
  for (const [relPath, text] of wanted) {
    let current: string | null;
    try {
      current = (await files.read(relPath, docs)) ?? null;
    } catch {
      current = null;
    }
    if (sameText(current, text)) continue;
    const uri = files.uri(relPath);
    const doc = docs.get(uri.toString());
    try {
      if (text !== null && doc) {
        replaceInDocument(edit, doc, uri, text);
        bufferEdits++;
      } else if (text === null) {
        if (uri.scheme === 'file') await fs.rm(uri.fsPath, { force: true });
        else await vscode.workspace.fs.delete(uri);
      } else {
        await vscode.workspace.fs.writeFile(uri, encodeFile(text));
      }
    } catch (error) {
      logger.error(`could not restore ${relPath}: ${(error as Error).message}`);
    }
  }
  if (bufferEdits > 0 && !(await vscode.workspace.applyEdit(edit))) logger.error('could not restore open editors after a failed edit');
}
