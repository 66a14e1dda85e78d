/**
 * The edits of one run and the per-path ledger, as the one place their state changes: every
 * change of state goes through `set` (checked against the lifecycle table) and is announced to
 * every listener, which is how the views and the history stay equal to it.
 */
import type { FileChange } from '../patch';
import { displayPath, touchedPaths, viewOf, type EditRecord, type EditView, type WrittenChange } from './editRecord';
import { isWritten, transition, type EditState } from './lifecycle';
import { reverseHunks, type LedgerEntry } from './revertPlan';
import { textHash } from './texts';

export interface EditSummary {
  /** Files the run's written edits changed, created, deleted or renamed (not one it created and deleted again). */
  applied: string[];
  /** Edits waiting for review, by path. */
  pending: string[];
  conflicts: { path: string; reason: string }[];
  refused: { path: string; reason: string }[];
  failed: { path: string; reason: string }[];
}

export type EditListener = (view: EditView) => void;

export class EditBook {
  private readonly records = new Map<number, EditRecord>();
  private readonly byKey = new Map<string, number>();
  readonly ledger = new Map<string, LedgerEntry>();
  private readonly listeners = new Set<EditListener>();

  constructor(readonly sandboxRoot: string) {}

  onChange(listener: EditListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  add(record: EditRecord): void {
    this.records.set(record.seq, record);
    if (record.key !== undefined) this.byKey.set(record.key, record.seq);
  }

  get(seq: number): EditRecord | undefined {
    return this.records.get(seq);
  }

  /** The edit the wire already delivered under this id or sequence. */
  byEventKey(key: string): EditRecord | undefined {
    const seq = this.byKey.get(key);
    return seq === undefined ? undefined : this.records.get(seq);
  }

  all(): EditRecord[] {
    return [...this.records.values()].sort((a, b) => a.seq - b.seq);
  }

  inState(...states: EditState[]): EditRecord[] {
    return this.all().filter((r) => states.includes(r.state));
  }

  written(): EditRecord[] {
    return this.all().filter((r) => isWritten(r.state));
  }

  byPlan(ids: readonly number[]): EditRecord[] {
    const wanted = new Set(ids);
    return this.all().filter((r) => r.planId !== undefined && wanted.has(r.planId));
  }

  /** Moves an edit to a new state (throws on a move the lifecycle forbids) and tells every listener. */
  set(record: EditRecord, state: EditState, reason?: string): void {
    if (record.state === state && record.reason === reason) return;
    record.state = record.state === state ? state : transition(record.state, state, record.seq);
    record.reason = reason;
    this.announce(record);
  }

  /** Tells the listeners about a change that is not a new state (new counts or paths after a re-plan). */
  announce(record: EditRecord): void {
    const view = viewOf(record);
    for (const listener of [...this.listeners]) listener(view);
  }

  /** Books a successful write: what each path holds now becomes the edit's revert data and the ledger's. */
  recordWrite(record: EditRecord, changes: readonly FileChange[], holds: ReadonlyMap<string, string | null>): void {
    // Hunks the user kept on their own before were written already: their revert data stays, and
    // the rest of the change reverts on top of it (both as hunks, so the user's text in between stays).
    const earlier = new Map(record.written.map((w) => [w.relPath, w]));
    const written: WrittenChange[] = [];
    for (const change of changes) {
      const prior = earlier.get(change.relPath);
      if (prior && change.kind === 'modify' && prior.kind === 'modify') {
        earlier.delete(change.relPath);
        const after = holds.has(change.relPath) ? holds.get(change.relPath)! : change.after;
        const rest = reverseHunks({ ...prior, before: change.before, after: change.after, reverse: undefined }) ?? [];
        written.push({ relPath: change.relPath, kind: 'modify', reverse: [...rest, ...(prior.reverse ?? [])], afterHash: textHash(after) });
        this.ledger.get(change.relPath)!.writtenHash = textHash(after);
        continue;
      }
      this.remember(change.relPath, change.before);
      if (change.newRelPath !== undefined) this.remember(change.newRelPath, null);
      const target = change.kind === 'rename' ? change.newRelPath! : change.relPath;
      const after = holds.has(target) ? holds.get(target)! : change.after;
      written.push({ relPath: change.relPath, kind: change.kind, newRelPath: change.newRelPath, before: change.before, after, afterHash: textHash(after) });
      if (change.kind === 'rename') this.ledger.get(change.relPath)!.writtenHash = null;
      this.ledger.get(target)!.writtenHash = textHash(after);
    }
    record.written = [...earlier.values(), ...written];
    record.changes = [];
  }

  /**
   * Books a write of some hunks of an edit (kept or undone on their own): the ledger remembers the
   * text before the run if this is the run's first write there, and follows what is on disk now.
   */
  recordHunkWrite(path: string, before: string | null, after: string | null): void {
    this.remember(path, before);
    this.ledger.get(path)!.writtenHash = textHash(after);
  }

  /** Books a successful revert write: the ledger follows what is on disk now. */
  recordRestore(path: string, text: string | null): void {
    const entry = this.ledger.get(path);
    if (entry) entry.writtenHash = textHash(text);
  }

  private remember(path: string, original: string | null): void {
    if (!this.ledger.has(path)) this.ledger.set(path, { original, writtenHash: textHash(original) });
  }

  views(): EditView[] {
    return this.all().map(viewOf);
  }

  summary(): EditSummary {
    const summary: EditSummary = { applied: [], pending: [], conflicts: [], refused: [], failed: [] };
    const applied = new Set<string>();
    for (const record of this.all()) {
      const problems = () => record.problems.length > 0
        ? record.problems.map((p) => ({ path: p.relPath ?? displayPath(p.sandboxPath, this.sandboxRoot), reason: p.reason }))
        : record.paths.map((path) => ({ path, reason: record.reason ?? record.state }));
      switch (record.state) {
        case 'applied': case 'accepted':
          for (const path of touchedPaths(record.written)) applied.add(path);
          break;
        case 'pending': summary.pending.push(...record.paths); break;
        case 'conflict': summary.conflicts.push(...problems()); break;
        case 'refused': case 'unreadable': summary.refused.push(...problems()); break;
        case 'failed': summary.failed.push(...record.paths.map((path) => ({ path, reason: record.reason ?? 'the write failed' }))); break;
        default: break;
      }
    }
    // A file the run created and then deleted again is no change at all.
    summary.applied = [...applied].filter((path) => {
      const entry = this.ledger.get(path);
      return !entry || entry.writtenHash !== null || entry.original !== null;
    });
    return summary;
  }
}
