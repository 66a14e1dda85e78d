/**
 * One run's edits on one workspace folder: plans each file_edit with the patch engine, writes it
 * (auto), holds it for review (review) or only shows it (off), and can undo the whole run.
 *
 * Ordering: planning is serialised in event order. In auto mode writes trail planning in batches:
 * while one WorkspaceEdit is in flight the next events are planned (on the engine's overlay) and
 * queued, and the queue goes out as the next WorkspaceEdit. A batch never touches a file twice,
 * so each file's edits still land one after another.
 *
 * Large runs: once a batch holds more closed files to modify than LARGE_RUN_CLOSED_FILES (the
 * edits arrive faster than text edits on closed files can be written), the run's closed files are
 * written directly to disk from then on. It stays so for the rest of the run: otherwise the now
 * quick writes would shrink the batches again and the run would swing between the two paths.
 * Open documents still get text edits; creates, deletes and renames stay WorkspaceEdit operations.
 */
import type { ApplyMode } from '../../core/applyMode';
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { RunPlanner } from '../../core/patch';
import type { FileChange, FileProblem, PlanResult } from '../../core/patch';
import type { FileEditEvent } from '../../core/run/events';
import type { EditState, EditView } from '../../core/viewProtocol';
import { closedFileEdits, LARGE_RUN_CLOSED_FILES } from './closedDocuments';
import { addEditContentSource, editContentUri } from './editContent';
import type { ContentSide, EditContentSource } from './editContent';
import { countChanges } from './editCounts';
import { NotTextError, sameText, textHash } from './fileText';
import { undoLedger } from './undoLedger';
import type { LedgerEntry, OverwriteChoice, UndoResult } from './undoLedger';
import { verifyChanges, writeChanges } from './writeChanges';
import { WorkspaceFiles } from './workspaceFiles';

export type { ApplyMode };

export interface EditSessionOptions {
  /** The extension's local id of the run. */
  runId: string;
  folder: vscode.WorkspaceFolder;
  mode: ApplyMode;
  sandboxRoot: string;
  logger: Logger;
  /** Where Undo Run keeps the user's version of a file it overwrites (default: the OS temp folder). */
  backupDir?: vscode.Uri;
  /** Closed files in one batch that make the run large (default LARGE_RUN_CLOSED_FILES; the bench varies it). */
  largeRunFiles?: number;
}

export interface UndoOptions {
  /** A file the user changed since the run wrote it: ask (non-modal), overwrite (keeping a copy) or skip. */
  overwriteChanged?: OverwriteChoice;
}

export interface EditSummary {
  applied: string[];
  conflicts: { path: string; reason: string }[];
  refused: { path: string; reason: string }[];
  pending: string[];
}

interface EditRecord {
  seq: number;
  event: FileEditEvent;
  view: EditView;
  planId?: number;
  changes: FileChange[];
  problems: FileProblem[];
  /** Set once a stale plan was planned again (review): a second stale is a conflict. */
  replanned?: boolean;
  written?: () => void;
}

/** At most this many file changes per WorkspaceEdit. */
const MAX_BATCH_FILES = 400;

export class EditSession implements vscode.Disposable, EditContentSource {
  readonly runId: string;
  readonly folder: vscode.WorkspaceFolder;
  readonly mode: ApplyMode;
  private readonly files: WorkspaceFiles;
  private readonly logger: Logger;
  private readonly planner: RunPlanner;
  private readonly records = new Map<number, EditRecord>();
  /** Each touched path: its text before the run and what the run left there. */
  private readonly ledger = new Map<string, LedgerEntry>();
  private readonly changed = new vscode.EventEmitter<EditView>();
  private readonly contentRegistration: vscode.Disposable;
  private readonly writeQueue: EditRecord[] = [];
  private writer: Promise<void> | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** Set once a batch made this run large: its closed files are written directly from then on. */
  private largeRun = false;
  /** Closed files written directly because the run is large. */
  private largeRunWrites = 0;

  /** State changes after handle() returned: accepted, rejected, reverted, a later write failing... */
  readonly onDidChangeEdit = this.changed.event;

  constructor(private readonly options: EditSessionOptions) {
    this.runId = options.runId;
    this.folder = options.folder;
    this.mode = options.mode;
    this.logger = options.logger;
    this.files = new WorkspaceFiles(options.folder);
    this.planner = new RunPlanner({
      sandboxRoot: options.sandboxRoot,
      readFile: (relPath) => this.files.read(relPath),
      checkPath: (relPath) => this.files.checkPath(relPath),
      logger: options.logger,
    });
    this.contentRegistration = addEditContentSource(this);
  }

  /** Takes one file_edit; resolves with its state once it is written (auto), pending (review) or shown (off). */
  async handle(seq: number, event: FileEditEvent): Promise<EditView> {
    const step = await this.exclusive(async () => {
      const record: EditRecord = { seq, event, view: { seq, paths: [event.path], added: 0, removed: 0, state: 'pending' }, changes: [], problems: [] };
      this.records.set(seq, record);
      const planned = await this.plan(record);
      if (!planned) return { done: Promise.resolve() };
      if (this.mode === 'off') { record.view.state = 'shown'; return { done: Promise.resolve() }; }
      if (this.mode === 'review') return { done: Promise.resolve() };
      return { done: new Promise<void>((resolve) => { record.written = resolve; this.writeQueue.push(record); this.startWriter(); }) };
    });
    await step.done;
    return { ...this.records.get(seq)!.view };
  }

  edits(): EditView[] {
    return [...this.records.values()].sort((a, b) => a.seq - b.seq).map((record) => ({ ...record.view }));
  }

  /** Writes a pending edit, and the earlier pending edits on the same files it builds on. */
  accept(seq: number): Promise<EditView> {
    return this.exclusive(async () => {
      await this.writesIdle();
      const record = this.records.get(seq);
      if (!record) throw new Error(`no edit #${seq} in this run`);
      if (record.view.state === 'pending' && this.mode !== 'off') await this.writeInOrder(this.pendingGroup(record), true);
      return { ...record.view };
    });
  }

  /**
   * Drops a pending edit. Later pending edits on the same files were planned on top of it: they
   * are planned again without it, and those that no longer fit become conflicts.
   */
  reject(seq: number): Promise<EditView> {
    return this.exclusive(async () => {
      await this.writesIdle();
      const record = this.records.get(seq);
      if (!record) throw new Error(`no edit #${seq} in this run`);
      if (record.view.state !== 'pending' || record.planId === undefined) return { ...record.view };
      const dropped = this.planner.discard(record.planId).filter((id) => id !== record.planId);
      this.setState(record, 'rejected');
      await this.replan(this.recordsByPlan(dropped), `without edit #${seq}, which was rejected`);
      return { ...record.view };
    });
  }

  acceptAll(): Promise<EditView[]> {
    return this.exclusive(async () => {
      await this.writesIdle();
      if (this.mode !== 'off') await this.writeInOrder(this.pendingRecords(), true);
      return this.edits();
    });
  }

  rejectAll(): Promise<EditView[]> {
    return this.exclusive(async () => {
      await this.writesIdle();
      this.rejectPending();
      return this.edits();
    });
  }

  /**
   * Restores every file the run changed to its text before the run. Pending edits are rejected.
   * A file the user changed since is overwritten only if told so (keeping the user's version in a
   * backup file), else left as the user has it.
   */
  undo(options: UndoOptions = {}): Promise<UndoResult> {
    return this.exclusive(async () => {
      await this.writesIdle();
      this.rejectPending();
      const result = await undoLedger({
        files: this.files,
        ledger: this.ledger,
        choice: options.overwriteChanged ?? 'ask',
        backupDir: vscode.Uri.joinPath(this.options.backupDir ?? vscode.Uri.file(os.tmpdir()), 'runtools-undo', safeName(this.runId)),
        logger: this.logger,
        largeRunFiles: this.options.largeRunFiles,
      });
      const kept = new Set([...result.skipped.map((s) => s.path), ...result.failed.map((f) => f.path)]);
      for (const record of this.records.values()) {
        if (record.view.state === 'applied' && !record.view.paths.some((p) => kept.has(p))) this.setState(record, 'reverted');
      }
      return result;
    });
  }

  async openDiff(seq: number, relPath: string): Promise<void> {
    const record = this.records.get(seq);
    if (!record) throw new Error(`no edit #${seq} in this run`);
    const file = this.files.uri(relPath);
    const uri = (side: ContentSide) => editContentUri(this.runId, seq, side, relPath);
    const change = record.changes.find((c) => c.relPath === relPath || c.newRelPath === relPath);
    const problem = record.problems.find((p) => (p.relPath ?? p.sandboxPath) === relPath);
    if (change) {
      const after = change.kind === 'rename' ? change.newRelPath! : change.relPath;
      const onDisk = record.view.state === 'applied' && change.after !== null && sameText(await this.files.read(after).catch(() => undefined), change.after);
      const right = onDisk ? this.files.uri(after) : uri('after');
      await vscode.commands.executeCommand('vscode.diff', uri('before'), right, `${relPath} (edit #${seq}, ${record.view.state})`, { preview: true });
    } else if (problem?.intendedAfter !== undefined) {
      const left = (await this.files.exists(relPath)) ? file : uri('before');
      await vscode.commands.executeCommand('vscode.diff', left, uri('intended'), `${relPath} ↔ agent's version (${record.view.state})`, { preview: true });
    } else if (this.ledger.has(relPath)) {
      // A session restored from history keeps the run's originals, not each edit's texts.
      await vscode.commands.executeCommand('vscode.diff', uri('original'), file, `${relPath} (before the run ↔ now)`, { preview: true });
    } else {
      const doc = await vscode.workspace.openTextDocument(uri('diff'));
      await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(doc, 'diff'), { preview: true });
    }
  }

  async openFile(relPath: string): Promise<void> {
    await vscode.window.showTextDocument(this.files.uri(relPath), { preview: false });
  }

  summary(): EditSummary {
    const summary: EditSummary = { applied: [], conflicts: [], refused: [], pending: [] };
    const applied = new Set<string>();
    for (const record of [...this.records.values()].sort((a, b) => a.seq - b.seq)) {
      const { state, reason } = record.view;
      if (state === 'applied') for (const path of record.view.paths) applied.add(path);
      if (state === 'pending') summary.pending.push(...record.view.paths);
      const problems = record.problems.length > 0 ? record.problems : [{ relPath: record.view.paths[0], sandboxPath: record.event.path, reason: reason ?? state }];
      if (state === 'conflict') for (const p of problems) summary.conflicts.push({ path: p.relPath ?? p.sandboxPath, reason: p.reason });
      if (state === 'refused' || state === 'unreadable') for (const p of problems) summary.refused.push({ path: p.relPath ?? p.sandboxPath, reason: p.reason });
    }
    // A path later deleted by the run is not reported as applied content.
    summary.applied = [...applied].filter((path) => this.ledger.get(path)?.written !== null || this.ledger.get(path)?.original !== null);
    return summary;
  }

  contentFor(seq: number, side: ContentSide, relPath: string): string | undefined {
    const record = this.records.get(seq);
    if (side === 'original') return this.ledger.get(relPath)?.original ?? '';
    if (!record) return undefined;
    if (side === 'diff') return record.event.diff;
    if (side === 'intended') return record.problems.find((p) => (p.relPath ?? p.sandboxPath) === relPath)?.intendedAfter;
    const change = record.changes.find((c) => c.relPath === relPath || c.newRelPath === relPath);
    if (!change) return side === 'before' ? '' : undefined;
    return (side === 'before' ? change.before : change.after) ?? '';
  }

  toJSON(): EditSessionJSON {
    return {
      version: 1,
      runId: this.runId,
      mode: this.mode,
      sandboxRoot: this.options.sandboxRoot,
      edits: this.edits(),
      problems: [...this.records.values()].filter((r) => r.problems.length > 0).map((r) => ({ seq: r.seq, problems: r.problems.map(({ hunk: _hunk, ...p }) => p) })),
      pending: [...this.records.values()].filter((r) => r.view.state === 'pending').map((r) => ({ seq: r.seq, event: r.event })),
      ledger: [...this.ledger].map(([path, entry]) => ({ path, original: entry.original, written: entry.writtenHash })),
    };
  }

  /**
   * A session from history: undo works while the files still hold what the run left; pending
   * edits are planned again, so review goes on after a reload.
   */
  static restore(json: EditSessionJSON, options: Omit<EditSessionOptions, 'runId' | 'mode' | 'sandboxRoot'>): EditSession {
    if (json?.version !== 1) throw new Error('unknown edit history format');
    const session = new EditSession({ ...options, runId: json.runId, mode: json.mode, sandboxRoot: json.sandboxRoot });
    for (const entry of json.ledger) session.ledger.set(entry.path, { original: entry.original, writtenHash: entry.written });
    const problems = new Map(json.problems.map((p) => [p.seq, p.problems as FileProblem[]]));
    for (const view of json.edits) {
      const event: FileEditEvent = json.pending.find((p) => p.seq === view.seq)?.event ?? { type: 'file_edit', path: view.paths[0] ?? '', diff: '' };
      session.records.set(view.seq, { seq: view.seq, event, view: { ...view }, changes: [], problems: problems.get(view.seq) ?? [] });
    }
    const pending = json.pending.map((p) => session.records.get(p.seq)).filter((r): r is EditRecord => r !== undefined);
    void session.exclusive(() => session.replan(pending, 'after the window reloaded'));
    return session;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.contentRegistration.dispose();
    this.changed.dispose();
  }

  // --- planning

  /** Plans a record's event; false when it cannot be applied (the view says why). */
  private async plan(record: EditRecord, context?: string): Promise<boolean> {
    let result: PlanResult;
    try {
      result = await this.planner.planEvent(record.event);
    } catch (error) {
      const reason = error instanceof NotTextError ? error.message : `could not read the files: ${(error as Error).message}`;
      result = { ok: false, kind: 'refused', message: reason, problems: [{ kind: 'refused', sandboxPath: record.event.path, reason }], diff: record.event.diff };
    }
    if (result.ok) {
      record.planId = result.id;
      record.changes = result.changes;
      record.problems = [];
      const counts = countChanges(record.event.diff ?? '', result.changes);
      const { reason: _reason, ...view } = record.view;
      record.view = { ...view, ...counts, paths: pathsOf(result.changes, record.event.path) };
      return true;
    }
    record.planId = undefined;
    record.changes = [];
    record.problems = result.problems;
    const counts = countChanges(record.event.diff ?? '', []);
    const paths = [...new Set(result.problems.map((p) => p.relPath ?? p.sandboxPath))];
    record.view = { ...record.view, ...counts, paths, state: result.kind, reason: context ? `${context}: ${result.message}` : result.message };
    return false;
  }

  /** Plans the records' events again, in order, after the plans they built on went away. */
  private async replan(records: EditRecord[], context: string): Promise<void> {
    for (const record of records.sort((a, b) => a.seq - b.seq)) {
      const ok = await this.plan(record, context);
      if (ok) record.view.state = this.mode === 'off' ? 'shown' : 'pending';
      this.changed.fire({ ...record.view });
    }
  }

  // --- writing

  private startWriter(): void {
    if (this.writer) return;
    this.writer = (async () => {
      while (this.writeQueue.length > 0) await this.writeBatch(this.takeBatch(this.writeQueue), false);
      this.writer = undefined;
    })();
  }

  private writesIdle(): Promise<void> {
    return this.writer ?? Promise.resolve();
  }

  /** Writes records in order (each all or nothing), batching those on distinct files. */
  private async writeInOrder(records: EditRecord[], retryStale: boolean): Promise<void> {
    const queue = [...records];
    while (queue.length > 0) await this.writeBatch(this.takeBatch(queue), retryStale, queue);
  }

  /** The longest prefix of the queue whose records touch distinct files. */
  private takeBatch(queue: EditRecord[]): EditRecord[] {
    const touched = new Set<string>();
    let files = 0;
    let count = 0;
    for (const record of queue) {
      const paths = record.changes.flatMap((c) => (c.newRelPath ? [c.relPath, c.newRelPath] : [c.relPath]));
      if (count > 0 && (paths.some((p) => touched.has(p)) || files + paths.length > MAX_BATCH_FILES)) break;
      for (const p of paths) touched.add(p);
      files += paths.length;
      count++;
    }
    return queue.splice(0, Math.max(count, 1));
  }

  private async writeBatch(batch: EditRecord[], retryStale: boolean, requeue?: EditRecord[]): Promise<void> {
    const docs = this.files.openDocuments();
    const ready: EditRecord[] = [];
    for (const record of batch) {
      if (record.planId === undefined || this.planner.state(record.planId) !== 'pending') { record.written?.(); continue; }
      const stale = await verifyChanges(this.files, record.changes, docs);
      if (!stale) { ready.push(record); continue; }
      if (retryStale && !record.replanned && requeue) {
        // Review: the user edited the file since the edit was planned; plan it on what is there now.
        record.replanned = true;
        const dropped = this.planner.discard(record.planId);
        await this.replan(this.recordsByPlan(dropped), 'planned again on the current file');
        if (record.view.state === 'pending') requeue.unshift(record);
        continue;
      }
      this.failWrite(record, stale);
    }
    if (ready.length === 0) return;
    const started = Date.now();
    const changes = ready.flatMap((r) => r.changes);
    const closed = this.largeRun ? 0 : closedFileEdits(this.files, changes, docs);
    const threshold = this.options.largeRunFiles ?? LARGE_RUN_CLOSED_FILES;
    if (closed > threshold) {
      this.largeRun = true;
      this.logger.debug(`run ${this.runId}: ${closed} closed files to modify in one batch (more than ${threshold}): a large run`);
    }
    const result = await writeChanges(this.files, changes, docs, this.logger, { largeRun: this.largeRun });
    if (result.ok) {
      for (const record of ready) this.written(record, result.written);
      this.noteLargeRunWrites(result.largeRunWrites);
      this.logger.debug(`wrote ${ready.length} edit(s) of run ${this.runId} in ${Date.now() - started} ms${this.largeRun ? ` (${result.largeRunWrites} closed file(s) directly; ${this.largeRunWrites} so far)` : ''}`);
      return;
    }
    if (ready.length === 1) { this.failWrite(ready[0], result.reason); return; }
    // The batch was rolled back; write its edits one by one to find the one VS Code refuses.
    for (const record of ready) await this.writeBatch([record], retryStale);
  }

  private written(record: EditRecord, written: Map<string, string | null>): void {
    for (const change of record.changes) {
      this.remember(change.relPath, change.before);
      if (change.newRelPath !== undefined) this.remember(change.newRelPath, null);
    }
    for (const [path, text] of written) {
      if (!record.changes.some((c) => c.relPath === path || c.newRelPath === path)) continue;
      const entry = this.ledger.get(path)!;
      entry.written = text;
      entry.writtenHash = textHash(text);
    }
    this.planner.accept(record.planId!);
    this.setState(record, 'applied');
    record.written?.();
  }

  /** Says once per run, when it first happens, that closed files are written directly and how to revert them. */
  private noteLargeRunWrites(count: number): void {
    if (count === 0) return;
    const first = this.largeRunWrites === 0;
    this.largeRunWrites += count;
    if (first) {
      const threshold = this.options.largeRunFiles ?? LARGE_RUN_CLOSED_FILES;
      this.logger.info(`run ${this.runId}: wrote ${count} closed file(s) directly to disk, and writes this run's later ones the same way (a batch held more than ${threshold} closed files to modify, too many to open as documents at a good pace). The editor's undo does not cover them; RunTools: Undo Run reverts them.`);
    }
  }

  private remember(path: string, original: string | null): void {
    if (!this.ledger.has(path)) this.ledger.set(path, { original, writtenHash: textHash(original), written: original });
  }

  /** Not written: the workspace is as it was. Edits planned on top of it cannot be written either. */
  private failWrite(record: EditRecord, reason: string): void {
    this.logger.warn(`edit #${record.seq} not written: ${reason}`);
    const dropped = record.planId === undefined ? [] : this.planner.discard(record.planId);
    record.view = { ...record.view, state: 'conflict', reason };
    record.written?.();
    this.changed.fire({ ...record.view });
    for (const other of this.recordsByPlan(dropped)) {
      if (other === record) continue;
      const index = this.writeQueue.indexOf(other);
      if (index >= 0) this.writeQueue.splice(index, 1);
      other.view = { ...other.view, state: 'conflict', reason: `builds on edit #${record.seq}, which could not be written` };
      other.written?.();
      this.changed.fire({ ...other.view });
    }
  }

  private rejectPending(): void {
    for (const record of this.pendingRecords()) {
      if (record.planId !== undefined && this.planner.state(record.planId) === 'pending') this.planner.discard(record.planId);
      this.setState(record, 'rejected');
    }
  }

  private pendingRecords(): EditRecord[] {
    return [...this.records.values()].filter((r) => r.view.state === 'pending' && r.planId !== undefined).sort((a, b) => a.planId! - b.planId!);
  }

  /** A pending record and the earlier pending records on the same files (transitively), in plan order. */
  private pendingGroup(record: EditRecord): EditRecord[] {
    const pending = this.pendingRecords();
    const files = new Set(touchedBy(record));
    const group = [record];
    for (let i = pending.indexOf(record) - 1; i >= 0; i--) {
      const paths = touchedBy(pending[i]);
      if (!paths.some((p) => files.has(p))) continue;
      group.unshift(pending[i]);
      for (const p of paths) files.add(p);
    }
    return group;
  }

  private recordsByPlan(ids: number[]): EditRecord[] {
    return [...this.records.values()].filter((r) => r.planId !== undefined && ids.includes(r.planId));
  }

  private setState(record: EditRecord, state: EditState): void {
    if (record.view.state === state) return;
    const { reason: _reason, ...view } = record.view;
    record.view = { ...view, state };
    this.changed.fire({ ...record.view });
  }

  private exclusive<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(op);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

export interface EditSessionJSON {
  version: 1;
  runId: string;
  mode: ApplyMode;
  sandboxRoot: string;
  edits: EditView[];
  problems: { seq: number; problems: Omit<FileProblem, 'hunk'>[] }[];
  pending: { seq: number; event: FileEditEvent }[];
  /** Each touched path: its text before the run, and a hash of what the run left (null: no file). */
  ledger: { path: string; original: string | null; written: string | null }[];
}

function pathsOf(changes: FileChange[], fallback: string): string[] {
  const paths = changes.flatMap((c) => (c.newRelPath ? [c.relPath, c.newRelPath] : [c.relPath]));
  return paths.length > 0 ? [...new Set(paths)] : [fallback];
}

function touchedBy(record: EditRecord): string[] {
  return record.changes.flatMap((c) => (c.newRelPath ? [c.relPath, c.newRelPath] : [c.relPath]));
}

function safeName(id: string): string {
  return id.replace(/[^\w.-]+/g, '_') || 'run';
}
