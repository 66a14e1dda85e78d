/**
 * One run's edits on one workspace folder, in VS Code: the edit engine (src/core/edits) on a
 * WorkspacePort, plus what only VS Code has: diff editors whose titles follow the edit's state,
 * the read-only documents of an edit's texts, and the question before a revert writes over the
 * user's changes. Deciding is the engine's job; this class only wires and shows.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  editsToJSON, restoreEdits, RunEdits, type ApplyMode, type BlockedPath, type EditRecord, type EditSummary, type EditView,
  type HunkAction, type HunkOutcome, type RevertOptions, type RevertResult, type RunEditsJSON,
} from '../../core/edits';
import type { Logger } from '../../core/logger';
import type { FileEditEvent } from '../../core/run/events';
import { ask } from '../questions';
import { addEditContentSource, type ContentSide, type EditContentSource } from './editContent';
import { EditDiffs } from './editDiffs';
import { WorkspaceFiles } from './workspaceFiles';
import { WorkspacePort } from './workspacePort';

export type { ApplyMode, EditSummary };

export interface EditSessionOptions {
  /** The extension's local id of the run. */
  runId: string;
  folder: vscode.WorkspaceFolder;
  mode: ApplyMode;
  sandboxRoot: string;
  logger: Logger;
  /** Where backups of the user's text go (default: the OS temp folder). */
  backupDir?: vscode.Uri;
  /** Closed files in one batch that make the run large (the bench varies it). */
  largeRunFiles?: number;
  /** Why a path waits for review even in auto mode (runtools.protectedPaths). */
  holdReason?: (relPath: string) => Promise<string | undefined> | string | undefined;
}

export type UndoOptions = RevertOptions;
export type EditSessionJSON = RunEditsJSON;

export class EditSession implements vscode.Disposable, EditContentSource {
  readonly runId: string;
  readonly folder: vscode.WorkspaceFolder;
  readonly engine: RunEdits;
  private readonly files: WorkspaceFiles;
  private readonly changed = new vscode.EventEmitter<EditView>();
  private readonly diffs: EditDiffs;
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  /** Every change of an edit's state or counts, for as long as the session lives. */
  readonly onDidChangeEdit = this.changed.event;

  constructor(options: EditSessionOptions, restored?: unknown) {
    this.runId = options.runId;
    this.folder = options.folder;
    this.files = new WorkspaceFiles(options.folder);
    const port = new WorkspacePort({
      files: this.files,
      logger: options.logger,
      runId: options.runId,
      backupDir: vscode.Uri.joinPath(options.backupDir ?? vscode.Uri.file(os.tmpdir()), 'runtools-backups'),
      largeRunFiles: options.largeRunFiles,
    });
    const engineOptions = { port, logger: options.logger, askOverwrite: askOverwrite(options.folder), holdReason: options.holdReason };
    this.engine = restored === undefined
      ? new RunEdits({ ...engineOptions, runId: options.runId, mode: options.mode, sandboxRoot: options.sandboxRoot })
      : restoreEdits(restored, engineOptions);
    this.diffs = new EditDiffs(this.runId, this.files, this.engine);
    const listening = this.engine.onDidChange((view) => {
      if (this.disposed) return;
      this.changed.fire(view);
      void this.diffs.refresh(view).catch((error: unknown) => options.logger.warn(`could not refresh the diff of edit #${view.seq}: ${(error as Error).message}`));
    });
    this.subscriptions.push(addEditContentSource(this), new vscode.Disposable(() => listening.dispose()));
  }

  get mode(): ApplyMode {
    return this.engine.mode;
  }

  /** Takes one file_edit; resolves with its state once written (auto), held (review) or shown (off). */
  handle(seq: number, event: FileEditEvent, key?: string): Promise<EditView> {
    return this.engine.receive(seq, event, key);
  }

  edits(): EditView[] {
    return this.engine.edits();
  }

  summary(): EditSummary {
    return this.engine.summary();
  }

  /** The paths an edit touches (a webview may only act on these). */
  pathsOf(seq: number): string[] {
    return this.engine.edit(seq)?.paths ?? [];
  }

  accept(seq: number): Promise<EditView> {
    return this.engine.accept(seq);
  }

  /** Drops a pending edit; reverts a written one (asking before writing over the user's changes). */
  reject(seq: number, options: RevertOptions = {}): Promise<EditView> {
    return this.engine.reject(seq, options);
  }

  acceptAll(): Promise<EditView[]> {
    return this.engine.acceptAll();
  }

  /** Keep: writes a pending edit; ends the review of an applied one (nothing written). */
  keep(seq: number): Promise<EditView> {
    return this.engine.keep(seq);
  }

  /** Keeps or undoes some hunks of one file of an edit (asking before a revert writes over the user's changes). */
  decideHunks(seq: number, relPath: string, action: HunkAction, hunks?: readonly number[], options: RevertOptions = {}): Promise<HunkOutcome> {
    return this.engine.decideHunks(seq, relPath, action, hunks, options);
  }

  /** Writes the user's merge of a conflicting edit (refused, with the reason, if the file changed since). */
  resolved(seq: number, relPath: string, before: string, after: string): Promise<{ view: EditView; reason?: string }> {
    return this.engine.resolved(seq, relPath, before, after);
  }

  /** The engine's records, for the review views (read only). */
  records(): readonly EditRecord[] {
    return this.engine.book.all();
  }

  /** The workspace-relative path of a document in this session's folder, if it is in it. */
  relativePath(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== this.folder.uri.scheme || uri.authority !== this.folder.uri.authority) return undefined;
    const root = this.folder.uri.path.replace(/\/+$/, '');
    return uri.path.startsWith(`${root}/`) ? uri.path.slice(root.length + 1) : undefined;
  }

  /** The text the engine sees for a path: an unsaved buffer, else the disk. */
  readText(relPath: string): Promise<string | undefined> {
    return this.files.read(relPath).catch(() => undefined);
  }

  uriOf(relPath: string): vscode.Uri {
    return this.files.uri(relPath);
  }

  rejectAll(): Promise<EditView[]> {
    return this.engine.rejectAll();
  }

  revert(seqs: readonly number[], options: RevertOptions = {}): Promise<RevertResult> {
    return this.engine.revert(seqs, options);
  }

  acceptMany(seqs: readonly number[]): Promise<EditView[]> {
    return this.engine.acceptMany(seqs);
  }

  undo(options: UndoOptions = {}): Promise<RevertResult> {
    return this.engine.undo(options);
  }

  /** Resolves once every write queued so far is done. */
  settled(): Promise<void> {
    return this.engine.settled();
  }

  openDiff(seq: number, relPath: string): Promise<void> {
    return this.diffs.open(seq, relPath);
  }

  async openFile(relPath: string): Promise<void> {
    await vscode.window.showTextDocument(this.files.uri(relPath), { preview: false });
  }

  contentFor(seq: number, side: ContentSide, relPath: string): string | undefined {
    return this.diffs.contentFor(seq, side, relPath);
  }

  toJSON(): EditSessionJSON {
    return editsToJSON(this.engine);
  }

  /** A session from history: undo and review go on; pending edits are planned again on the files as they are. */
  static restore(json: unknown, options: Omit<EditSessionOptions, 'runId' | 'mode' | 'sandboxRoot'>): EditSession {
    const data = json as Partial<RunEditsJSON> | undefined;
    return new EditSession({ ...options, runId: String(data?.runId ?? ''), mode: 'auto', sandboxRoot: String(data?.sandboxRoot ?? '/workspace') }, json);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }

  /** For the diff documents: the engine's record of an edit. */
  record(seq: number): EditRecord | undefined {
    return this.engine.edit(seq);
  }
}

/** Before a revert writes over text the user changed in the agent's lines. */
function askOverwrite(folder: vscode.WorkspaceFolder) {
  return async (paths: readonly BlockedPath[]): Promise<'overwrite' | 'skip'> => {
    const overwrite = 'Overwrite (keep a backup of mine)';
    const names = paths.length <= 3 ? paths.map((p) => p.path).join(', ') : `${paths.slice(0, 3).map((p) => p.path).join(', ')} and ${paths.length - 3} more`;
    const answer = await ask({
      kind: 'undoOverwrite',
      message: `You changed ${names} in ${folder.name} where the agent wrote. Undo the agent's changes there anyway?`,
      detail: paths.map((p) => `${p.path}: ${p.reason}`).join('\n'),
      modal: true,
      choices: [overwrite, 'Keep My Changes'],
    });
    return answer === overwrite ? 'overwrite' : 'skip';
  };
}
