import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import type { EditView, RunHeader } from '../../core/viewProtocol';
import type { ResumeState } from '../../core/run';
import { EditSession, type EditSessionOptions } from '../edits';
import type { RunRecord } from './runRecord';
import { recordOf, storedRunOf, type StoredRun } from './storedRun';

export interface RunHeaderUpdate { localId: string; header: Partial<RunHeader> }
export interface EditUpdate { localId: string; edit: EditView }

/** How many runs are kept, with their events and (while the files are unchanged) their undo. */
export const HISTORY_LIMIT = 50;
/** Events kept per run on disk; a longer run keeps its last ones (the view says how many were dropped). */
const PERSISTED_EVENTS_LIMIT = 5_000;
const INDEX_KEY = 'runtools.history.index';
/** Runs active in this workspace's window when it last closed: followed again on the next start. */
const ACTIVE_KEY = 'runtools.history.active';
/** While a run is active it is saved at most this often (enough to follow it again after a reload). */
const ACTIVE_SAVE_MS = 2_000;
/**
 * A run's undo data holds the text of every file before the run touched it; a run over thousands
 * of files can hold tens of MB. Above this, the run is kept without it: undo still works until the
 * window closes, not after a reload (the log says so).
 */
const PERSISTED_UNDO_LIMIT_CHARS = 32 * 1024 * 1024;

/** What a session read back from the history gets beyond its folder (protected paths, for a run followed again). */
export type RestoredSessionOptions = (folder: vscode.WorkspaceFolder) => Partial<Pick<EditSessionOptions, 'holdReason'>>;

export interface HistoryEntry {
  record: RunRecord;
  edits?: EditSession;
}

interface LiveEntry extends HistoryEntry {
  /** Carries the session's edit changes to the record, the views and the disk, for as long as the entry lives. */
  wiring?: vscode.Disposable;
}

/**
 * The last runs of this workspace: kept in memory, written to the extension's workspace storage
 * (one JSON file per run, an index in workspaceState) when a run ends or its edits change, and
 * read back on demand after a reload so a run panel, Undo Run and Review Edits still work.
 *
 * It is also the one place a run's state changes are announced from, during the run and at any
 * time after it (an edit accepted a day later, a run undone): the views listen here, and every
 * change is saved.
 */
export class RunHistory implements vscode.Disposable {
  private readonly entries = new Map<string, LiveEntry>();
  private order: string[];
  private readonly pendingSaves = new Map<string, NodeJS.Timeout>();
  private readonly loading = new Map<string, Promise<LiveEntry | undefined>>();
  private readonly headerUpdated = new vscode.EventEmitter<RunHeaderUpdate>();
  private readonly editUpdated = new vscode.EventEmitter<EditUpdate>();
  public readonly onDidUpdateRun = this.headerUpdated.event;
  public readonly onDidUpdateEdit = this.editUpdated.event;
  private readonly removed = new vscode.EventEmitter<readonly string[]>();
  /** Runs the user deleted: every view showing one lets go of it. */
  public readonly onDidRemoveRuns = this.removed.event;

  constructor(
    private readonly storage: vscode.Memento,
    private readonly folder: vscode.Uri,
    private readonly logger: Logger,
    private readonly editLogger: Logger,
    private readonly backupDir: vscode.Uri,
    private readonly restoredOptions: RestoredSessionOptions = () => ({}),
  ) {
    this.order = storage.get<string[]>(INDEX_KEY, []);
  }

  /** Runs that were active when the window last closed (newest last). */
  public activeIds(): string[] {
    return this.storage.get<string[]>(ACTIVE_KEY, []).filter((id) => this.order.includes(id));
  }

  /** Remembers that a run is active (or no longer is), so a reload knows to follow it again. */
  public markActive(localId: string, active: boolean): void {
    const ids = this.storage.get<string[]>(ACTIVE_KEY, []).filter((id) => id !== localId);
    void this.storage.update(ACTIVE_KEY, active ? [...ids, localId] : ids);
  }

  /** Keeps the run's resume state and saves it soon (at most every few seconds while it is active). */
  public setResume(localId: string, resume: ResumeState): void {
    const entry = this.entries.get(localId);
    if (!entry) return;
    entry.record.resume = resume;
    this.saveSoon(entry);
  }

  /** Newest last. */
  public ids(): readonly string[] {
    return this.order;
  }

  public add(entry: HistoryEntry): void {
    this.entries.set(entry.record.localId, this.wire(entry));
    this.order = [...this.order.filter((id) => id !== entry.record.localId), entry.record.localId];
    while (this.order.length > HISTORY_LIMIT) void this.forget(this.order.shift()!);
    void this.storage.update(INDEX_KEY, this.order);
  }

  /** Changes a run's header (status, undone, ...) and tells the views; saved unless the run is still active. */
  public updateHeader(localId: string, header: Partial<RunHeader>): void {
    const entry = this.entries.get(localId);
    if (!entry) return;
    entry.record.update(header);
    this.headerUpdated.fire({ localId, header });
    this.saveSoon(entry);
  }

  /** Sets the view of an edit that has no session (a run without a folder only shows its edits). */
  public setEdit(localId: string, edit: EditView): void {
    const entry = this.entries.get(localId);
    if (!entry) return;
    entry.record.setEdit(edit);
    this.editUpdated.fire({ localId, edit });
    this.saveSoon(entry);
  }

  /** A finished run is saved half a second after its last change; an active one at most every ACTIVE_SAVE_MS. */
  private saveSoon(entry: HistoryEntry): void {
    const { localId } = entry.record;
    if (!entry.record.isActive) this.scheduleSave(localId);
    else if (!this.pendingSaves.has(localId)) this.scheduleSave(localId, ACTIVE_SAVE_MS);
  }

  private wire(entry: HistoryEntry): LiveEntry {
    const { record, edits } = entry;
    if (!edits) return entry;
    // The session is the truth about its edits (a restored one may have planned its pending edits again already).
    for (const edit of edits.edits()) record.setEdit(edit);
    const wiring = edits.onDidChangeEdit((edit) => {
      record.setEdit(edit);
      this.editUpdated.fire({ localId: record.localId, edit });
      this.saveSoon(entry);
    });
    return { ...entry, wiring };
  }

  /**
   * Lets go of a run kept in memory (its file stays): the next get() reads it back from disk, as
   * after a window reload. A run still active is kept.
   */
  public async evict(localId: string): Promise<boolean> {
    const entry = this.entries.get(localId);
    if (!entry || entry.record.isActive) return false;
    await entry.edits?.settled();
    await this.save(localId);
    entry.wiring?.dispose();
    entry.edits?.dispose();
    this.entries.delete(localId);
    return true;
  }

  /**
   * Deletes runs from the history, memory and disk (the user asked, and confirmed). An active run
   * is kept: it is still being followed and written.
   */
  public async remove(localIds: readonly string[]): Promise<{ removed: string[]; kept: string[] }> {
    const removed: string[] = [];
    const kept: string[] = [];
    for (const localId of new Set(localIds)) {
      if (!this.order.includes(localId)) continue;
      if (this.entries.get(localId)?.record.isActive) { kept.push(localId); continue; }
      await this.loading.get(localId);
      await this.forget(localId);
      this.order = this.order.filter((id) => id !== localId);
      this.markActive(localId, false);
      removed.push(localId);
    }
    if (removed.length) {
      await this.storage.update(INDEX_KEY, this.order);
      this.removed.fire(removed);
    }
    return { removed, kept };
  }

  /** Where a run is kept on disk. */
  public storedFile(localId: string): vscode.Uri {
    return this.fileOf(localId);
  }

  private forget(localId: string): Promise<void> {
    const entry = this.entries.get(localId);
    entry?.wiring?.dispose();
    entry?.edits?.dispose();
    this.entries.delete(localId);
    clearTimeout(this.pendingSaves.get(localId));
    this.pendingSaves.delete(localId);
    return Promise.resolve(vscode.workspace.fs.delete(this.fileOf(localId))).then(undefined, () => undefined);
  }

  public async get(localId: string): Promise<HistoryEntry | undefined> {
    const cached = this.entries.get(localId);
    if (cached) return cached;
    if (!this.order.includes(localId)) return undefined;
    // Concurrent calls share one load: one entry, one session, one wiring.
    let loading = this.loading.get(localId);
    if (!loading) {
      loading = this.load(localId).then((loaded) => {
        this.loading.delete(localId);
        if (!loaded || !this.order.includes(localId)) {
          loaded?.edits?.dispose();
          return undefined;
        }
        const wired = this.wire(loaded);
        this.entries.set(localId, wired);
        return wired;
      });
      this.loading.set(localId, loading);
    }
    return loading;
  }

  public async latest(predicate: (entry: HistoryEntry) => boolean = () => true): Promise<HistoryEntry | undefined> {
    for (let i = this.order.length - 1; i >= 0; i--) {
      const entry = await this.get(this.order[i]);
      if (entry && predicate(entry)) return entry;
    }
    return undefined;
  }

  /** Writes the run soon (coalescing bursts of edit-state changes into one write). */
  public scheduleSave(localId: string, delayMs = 500): void {
    clearTimeout(this.pendingSaves.get(localId));
    this.pendingSaves.set(localId, setTimeout(() => void this.save(localId), delayMs));
  }

  public async save(localId: string): Promise<void> {
    clearTimeout(this.pendingSaves.get(localId));
    this.pendingSaves.delete(localId);
    const entry = this.entries.get(localId);
    if (!entry) return;
    const stored = storedRunOf(entry.record, entry.edits, PERSISTED_EVENTS_LIMIT);
    try {
      let text = JSON.stringify(stored);
      if (text.length > PERSISTED_UNDO_LIMIT_CHARS && stored.editSession) {
        this.logger.warn(`run ${localId}: its undo data is too large to keep across a reload (${(text.length / 1e6).toFixed(0)} MB); Undo Run works until this window closes`);
        text = JSON.stringify({ ...stored, editSession: undefined });
      }
      await vscode.workspace.fs.createDirectory(this.folder);
      await vscode.workspace.fs.writeFile(this.fileOf(localId), new TextEncoder().encode(text));
    } catch (error) {
      this.logger.warn(`could not save run ${localId} to history: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async load(localId: string): Promise<HistoryEntry | undefined> {
    try {
      const bytes = await vscode.workspace.fs.readFile(this.fileOf(localId));
      const stored = JSON.parse(new TextDecoder().decode(bytes)) as StoredRun;
      if (stored.version !== 1) return undefined;
      const record = recordOf(stored);
      const folder = stored.folderUri ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(stored.folderUri)) : undefined;
      let edits: EditSession | undefined;
      if (stored.editSession && folder) {
        try {
          edits = EditSession.restore(stored.editSession, { folder, logger: this.editLogger, backupDir: this.backupDir, ...this.restoredOptions(folder) });
        } catch (error) {
          this.logger.warn(`run ${localId}: its edits cannot be restored (${error instanceof Error ? error.message : String(error)})`);
        }
      }
      return { record, edits };
    } catch (error) {
      this.logger.warn(`run ${localId} is in the history index but could not be read: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private fileOf(localId: string): vscode.Uri {
    return vscode.Uri.joinPath(this.folder, `${localId.replace(/[^\w-]/g, '_')}.json`);
  }

  public dispose(): void {
    // The window closes: what is pending or still active is written now (best effort: VS Code
    // gives an extension a few seconds), so a reload finds it.
    for (const timer of this.pendingSaves.values()) clearTimeout(timer);
    for (const [localId, entry] of this.entries) {
      if (this.pendingSaves.has(localId) || entry.record.isActive) void this.save(localId);
    }
    for (const entry of this.entries.values()) {
      entry.wiring?.dispose();
      entry.edits?.dispose();
    }
    this.entries.clear();
    this.headerUpdated.dispose();
    this.editUpdated.dispose();
    this.removed.dispose();
  }
}
