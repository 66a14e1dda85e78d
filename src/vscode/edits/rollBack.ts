/**
 * Putting the files of a failed write back, touching only what the write itself changed: a path
 * is restored to its text before the write only while it holds what the write put there. A file
 * the user changed meanwhile, or created meanwhile, stays as the user has it (and the log says so).
 * Plain file writes and buffer edits, so this cannot fail the way the write did.
 */
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import type { FileChange } from '../../core/patch';
import { replaceInDocument } from './documentEdits';
import { encodeFile, sameText } from './fileText';
import type { WorkspaceFiles } from './workspaceFiles';

/** For each path the changes touch: the text the write meant to leave, and the text before it. */
function expectations(changes: readonly FileChange[], untouched: ReadonlySet<string>, afterOf: (c: FileChange) => string | null): Map<string, { wrote: string | null; before: string | null }> {
  const wanted = new Map<string, { wrote: string | null; before: string | null }>();
  for (const change of changes) {
    if (untouched.has(change.relPath)) continue;
    const prior = wanted.get(change.relPath);
    if (change.kind === 'rename' && change.newRelPath !== undefined) {
      wanted.set(change.relPath, { wrote: null, before: prior?.before ?? change.before });
      const target = wanted.get(change.newRelPath);
      wanted.set(change.newRelPath, { wrote: afterOf(change), before: target?.before ?? null });
    } else {
      wanted.set(change.relPath, { wrote: afterOf(change), before: prior?.before ?? change.before });
    }
  }
  return wanted;
}

export async function rollBack(
  files: WorkspaceFiles,
  changes: readonly FileChange[],
  logger: Logger,
  save: Set<string>,
  untouched: ReadonlySet<string>,
  afterOf: (c: FileChange) => string | null,
): Promise<void> {
  const docs = files.openDocuments();
  const edit = new vscode.WorkspaceEdit();
  let bufferEdits = 0;
  for (const [relPath, { wrote, before }] of expectations(changes, untouched, afterOf)) {
    let current: string | null;
    try {
      current = (await files.read(relPath, docs)) ?? null;
    } catch (error) {
      logger.warn(`not putting ${relPath} back: ${(error as Error).message}`);
      continue;
    }
    if (sameText(current, before)) continue;
    if (!sameText(current, wrote)) {
      logger.warn(`not putting ${relPath} back after the failed write: it holds neither what the write left nor what was there before (changed meanwhile)`);
      continue;
    }
    const uri = files.uri(relPath);
    const doc = docs.get(uri.toString());
    try {
      if (before !== null && doc) {
        replaceInDocument(edit, doc, uri, before);
        bufferEdits++;
      } else if (before === null) {
        if (uri.scheme === 'file') await fs.rm(uri.fsPath, { force: true });
        else await vscode.workspace.fs.delete(uri);
      } else {
        await vscode.workspace.fs.writeFile(uri, encodeFile(before));
      }
    } catch (error) {
      logger.error(`could not put ${relPath} back: ${(error as Error).message}`);
    }
  }
  if (bufferEdits > 0 && !(await vscode.workspace.applyEdit(edit))) logger.error('could not put open editors back after a failed write');
  // Documents that had no unsaved text before the failed write get none from it.
  for (const doc of files.openDocuments().values()) {
    if (save.has(doc.uri.toString()) && doc.isDirty && !(await doc.save())) logger.error(`could not save ${doc.uri.fsPath} after putting it back`);
  }
}
