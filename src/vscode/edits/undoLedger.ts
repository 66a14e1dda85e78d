/**
 * Undo Run: every path the run touched goes back to its text before the run, in one
 * WorkspaceEdit (so the editor's undo can redo it); with more closed files to restore than
 * LARGE_RUN_CLOSED_FILES, those are written directly to disk, as a large run writes them.
 * A file the user changed since the run wrote it is never silently lost: it is skipped, or
 * overwritten after its current text is saved to a backup file outside the workspace (and, for
 * an open editor, the buffer's own undo has it too).
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import type { FileChange } from '../../core/patch';
import { closedFileEdits, LARGE_RUN_CLOSED_FILES } from './closedDocuments';
import { encodeFile, sameText, textHash } from './fileText';
import { writeChanges } from './writeChanges';
import type { WorkspaceFiles } from './workspaceFiles';

export type OverwriteChoice = 'ask' | 'overwrite' | 'skip';

export interface LedgerEntry {
  /** The text before the run (null: there was no file). */
  original: string | null;
  /** Hash of what the run left there (null: no file). */
  writtenHash: string | null;
  /** What the run left there, while the session is live (absent after a restore). */
  written?: string | null;
}

export interface UndoResult {
  /** Paths put back to their text before the run. */
  restored: string[];
  /** Changed by the user since the run: left as the user has them. */
  skipped: { path: string; reason: string }[];
  /** Changed by the user, then restored anyway: the user's version is kept at `backup`. */
  overwritten: { path: string; backup: vscode.Uri }[];
  failed: { path: string; reason: string }[];
}

export interface UndoLedgerOptions {
  files: WorkspaceFiles;
  ledger: Map<string, LedgerEntry>;
  choice: OverwriteChoice;
  backupDir: vscode.Uri;
  logger: Logger;
  /** More closed files than this to restore are written directly (default LARGE_RUN_CLOSED_FILES). */
  largeRunFiles?: number;
}

export async function undoLedger(options: UndoLedgerOptions): Promise<UndoResult> {
  const { files, ledger, logger } = options;
  const result: UndoResult = { restored: [], skipped: [], overwritten: [], failed: [] };
  const docs = files.openDocuments();
  const clean: { path: string; current: string | null }[] = [];
  const changed: { path: string; current: string | null }[] = [];
  for (const [path, entry] of ledger) {
    let current: string | null;
    try {
      current = (await files.read(path, docs)) ?? null;
    } catch (error) {
      result.failed.push({ path, reason: (error as Error).message });
      continue;
    }
    if (sameText(current, entry.original)) continue;
    const untouched = entry.written !== undefined ? sameText(current, entry.written) : textHash(current) === entry.writtenHash;
    (untouched ? clean : changed).push({ path, current });
  }

  let choice = options.choice;
  if (changed.length > 0 && choice === 'ask') choice = await ask(changed.map((c) => c.path));
  const restore = [...clean];
  for (const item of changed) {
    if (choice !== 'overwrite') {
      result.skipped.push({ path: item.path, reason: 'changed since the run wrote it' });
      continue;
    }
    if (item.current !== null) {
      const backup = vscode.Uri.joinPath(options.backupDir, ...item.path.split('/'));
      try {
        await vscode.workspace.fs.writeFile(backup, encodeFile(item.current));
      } catch (error) {
        result.failed.push({ path: item.path, reason: `could not keep a copy of your version: ${(error as Error).message}` });
        continue;
      }
      result.overwritten.push({ path: item.path, backup });
    }
    restore.push(item);
  }
  if (restore.length === 0) return result;

  const changes: FileChange[] = restore.map(({ path, current }) => {
    const original = ledger.get(path)!.original;
    const kind = original === null ? 'delete' : current === null ? 'create' : 'modify';
    return { relPath: path, kind, before: current, after: original };
  });
  const largeRun = closedFileEdits(files, changes, docs) > (options.largeRunFiles ?? LARGE_RUN_CLOSED_FILES);
  const written = await writeChanges(files, changes, docs, logger, { exact: true, largeRun });
  if (!written.ok) {
    for (const { path } of restore) result.failed.push({ path, reason: written.reason });
    result.overwritten = [];
    return result;
  }
  for (const { path } of restore) {
    const entry = ledger.get(path)!;
    entry.written = entry.original;
    entry.writtenHash = textHash(entry.original);
    result.restored.push(path);
  }
  const direct = written.largeRunWrites > 0 ? ` (${written.largeRunWrites} closed file(s) written directly to disk: a large undo)` : '';
  logger.info(`undo: restored ${result.restored.length} file(s)${direct}, skipped ${result.skipped.length}, kept ${result.overwritten.length} backup(s)`);
  return result;
}

async function ask(paths: string[]): Promise<OverwriteChoice> {
  const overwrite = 'Overwrite (keep a copy of mine)';
  const skip = 'Keep my changes';
  const names = paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
  const answer = await vscode.window.showWarningMessage(`You changed ${names} since the run edited ${paths.length === 1 ? 'it' : 'them'}. Undo those too?`, overwrite, skip);
  return answer === overwrite ? 'overwrite' : 'skip';
}
