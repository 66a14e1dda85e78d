/**
 * The edit engine's port on a VS Code workspace folder: reads what the user sees (buffers, then
 * disk), checks each batch against the files right before writing it, writes it through
 * WorkspaceEdit (writeChanges.ts), and keeps backups outside the workspace.
 *
 * Large runs: once a batch holds more closed files to modify than LARGE_RUN_CLOSED_FILES (the
 * edits arrive faster than text edits on closed files can be written), the run's closed files are
 * written directly to disk from then on. It stays so for the rest of the run: otherwise the now
 * quick writes would shrink the batches again and the run would swing between the two paths.
 * An undo of that many closed files is written the same way.
 */
import * as vscode from 'vscode';
import type { EditPort, WriteOptions, WriteResult } from '../../core/edits';
import type { Logger } from '../../core/logger';
import type { FileChange, PathCheck } from '../../core/patch';
import { closedFileEdits, LARGE_RUN_CLOSED_FILES } from './closedDocuments';
import { encodeFile } from './fileText';
import { verifyChanges } from './verifyChanges';
import type { WorkspaceFiles } from './workspaceFiles';
import { writeChanges } from './writeChanges';

export interface WorkspacePortOptions {
  files: WorkspaceFiles;
  logger: Logger;
  runId: string;
  /** Where backups of the user's text go (outside the workspace). */
  backupDir: vscode.Uri;
  /** Closed files in one batch that make the run large (default LARGE_RUN_CLOSED_FILES; the bench varies it). */
  largeRunFiles?: number;
}

export class WorkspacePort implements EditPort {
  private largeRun = false;
  /** Closed files written directly because the run is large. */
  private largeRunWrites = 0;

  constructor(private readonly options: WorkspacePortOptions) {}

  read(relPath: string): Promise<string | undefined> {
    return this.options.files.read(relPath);
  }

  checkPath(relPath: string): Promise<PathCheck> {
    return this.options.files.checkPath(relPath);
  }

  async write(changes: readonly FileChange[], options: WriteOptions): Promise<WriteResult> {
    const { files, logger, runId } = this.options;
    try {
      const docs = files.openDocuments();
      const verified = await verifyChanges(files, changes, docs);
      if (!verified.ok) return { ok: false, reason: verified.reason, stale: verified.stale };
      const threshold = this.options.largeRunFiles ?? LARGE_RUN_CLOSED_FILES;
      const closed = this.largeRun && !options.exact ? 0 : closedFileEdits(files, changes, docs);
      if (!options.exact && closed > threshold && !this.largeRun) {
        this.largeRun = true;
        logger.debug(`run ${runId}: ${closed} closed files to modify in one batch (more than ${threshold}): a large run`);
      }
      const started = Date.now();
      const result = await writeChanges(files, changes, docs, logger, { exact: options.exact, largeRun: options.exact ? closed > threshold : this.largeRun });
      if (!result.ok) return { ok: false, reason: result.reason, stale: result.untouched };
      this.noteLargeRunWrites(result.largeRunWrites, !!options.exact);
      logger.debug(`run ${runId}: wrote ${changes.length} file change(s) in ${Date.now() - started} ms${result.largeRunWrites ? ` (${result.largeRunWrites} closed file(s) directly)` : ''}`);
      return { ok: true, written: result.written };
    } catch (error) {
      return { ok: false, reason: `the write failed: ${(error as Error)?.message ?? String(error)}` };
    }
  }

  async backup(relPath: string, text: string): Promise<string> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const uri = vscode.Uri.joinPath(this.options.backupDir, safeName(this.options.runId), stamp, ...relPath.split('/'));
    await vscode.workspace.fs.writeFile(uri, encodeFile(text));
    this.options.logger.info(`kept your version of ${relPath} at ${uri.fsPath} before writing over it`);
    return uri.fsPath;
  }

  /** Says once per run, when it first happens, that closed files are written directly and how to revert them. */
  private noteLargeRunWrites(count: number, undo: boolean): void {
    if (count === 0) return;
    if (undo) {
      this.options.logger.info(`undo of run ${this.options.runId}: wrote ${count} closed file(s) directly to disk (a large undo)`);
      return;
    }
    const first = this.largeRunWrites === 0;
    this.largeRunWrites += count;
    if (first) {
      const threshold = this.options.largeRunFiles ?? LARGE_RUN_CLOSED_FILES;
      this.options.logger.info(`run ${this.options.runId}: wrote ${count} closed file(s) directly to disk, and writes this run's later ones the same way (a batch held more than ${threshold} closed files to modify, too many to open as documents at a good pace). The editor's undo does not cover them; RunTools: Undo Run reverts them.`);
    }
  }
}

export function safeName(id: string): string {
  return id.replace(/[^\w.-]+/g, '_') || 'run';
}
