/**
 * A run's edits as the history keeps them across reloads, and back. What is kept is what the
 * lifecycle needs later, not the texts of every file: each edit's state; the events of edits that
 * can still be decided (pending) or looked at (not applied); for each written change what
 * reverting it needs (the hash of what it wrote, reverse hunks of a modification, the text of a
 * deleted file); and per path the text before the run (Undo Run's last resort, after asking).
 *
 * Version 1 (before the lifecycle) kept only the ledger: its runs come back with one revert step
 * per path, which is enough for Undo Run.
 */
import type { FileProblem } from '../patch';
import type { FileEditEvent } from '../run/events';
import type { ReverseHunk, WrittenChange } from './editRecord';
import type { PathReview } from './hunkReview';
import { EDIT_STATES, isWritten, type EditState } from './lifecycle';
import { reverseHunks } from './revertPlan';
import { RunEdits, type ApplyMode, type RunEditsOptions } from './runEdits';

export interface RunEditsJSON {
  version: 2;
  runId: string;
  mode: ApplyMode;
  sandboxRoot: string;
  edits: PersistedEdit[];
  ledger: { path: string; original: string | null; written: string | null }[];
}

interface PersistedEdit {
  seq: number;
  key?: string;
  state: EditState;
  reason?: string;
  paths: string[];
  added: number;
  removed: number;
  held?: boolean;
  note?: string;
  event?: FileEditEvent;
  problems?: Omit<FileProblem, 'hunk'>[];
  written?: PersistedChange[];
  /** Hunks decided one by one: each file's hunks and marks. */
  review?: PathReview[];
}

interface PersistedChange {
  relPath: string;
  kind: WrittenChange['kind'];
  newRelPath?: string;
  afterHash: string | null;
  before?: string | null;
  reverse?: ReverseHunk[];
}

/** Events of undecided or unapplied edits are kept up to this size (the run's event log has them too). */
const KEPT_EVENT_CHARS = 2_000_000;

export function editsToJSON(edits: RunEdits): RunEditsJSON {
  const { book } = edits;
  return {
    version: 2,
    runId: edits.runId,
    mode: edits.mode,
    sandboxRoot: edits.sandboxRoot,
    edits: book.all().map((record) => {
      const keepEvent = record.state === 'pending' || (!isWritten(record.state) && (record.event.diff?.length ?? 0) <= KEPT_EVENT_CHARS);
      const persisted: PersistedEdit = {
        seq: record.seq, state: record.state, paths: record.paths, added: record.added, removed: record.removed,
        ...(record.key !== undefined ? { key: record.key } : {}),
        ...(record.reason ? { reason: record.reason } : {}),
        ...(record.held ? { held: true } : {}),
        ...(record.note ? { note: record.note } : {}),
        ...(keepEvent ? { event: record.event } : {}),
        ...(record.problems.length > 0 ? { problems: record.problems.map(({ hunk: _hunk, ...p }) => p) } : {}),
      };
      // A pending edit with hunks kept on their own has written parts too.
      if (isWritten(record.state) || record.written.length > 0) persisted.written = record.written.map(persistChange);
      if (record.review) persisted.review = record.review;
      return persisted;
    }),
    ledger: [...book.ledger].map(([path, entry]) => ({ path, original: entry.original, written: entry.writtenHash })),
  };
}

function persistChange(change: WrittenChange): PersistedChange {
  const kept: PersistedChange = { relPath: change.relPath, kind: change.kind, afterHash: change.afterHash };
  if (change.newRelPath !== undefined) kept.newRelPath = change.newRelPath;
  if (change.kind === 'delete') kept.before = change.before ?? null;
  if (change.kind === 'modify' || change.kind === 'rename') {
    // Computed once, then kept on the change: later saves of the same run reuse it.
    change.reverse ??= reverseHunks(change);
    if (change.reverse) kept.reverse = change.reverse;
  }
  return kept;
}

/**
 * The run's edits from the history. Pending edits are planned again on the files as they are now
 * (so review goes on after a reload, and an edit that no longer fits says so). Throws on a shape
 * it does not know, with a reason for the log.
 */
export function restoreEdits(json: unknown, options: Omit<RunEditsOptions, 'runId' | 'mode' | 'sandboxRoot'>): RunEdits {
  const data = asRecord(json, 'edit history');
  if (data.version === 1) return restoreVersion1(data, options);
  if (data.version !== 2) throw new Error(`unknown edit history version ${String(data.version)}`);
  const edits = new RunEdits({ ...options, runId: str(data.runId), mode: mode(data.mode), sandboxRoot: str(data.sandboxRoot) });
  for (const raw of list(data.edits)) {
    const edit = asRecord(raw, 'edit');
    const state = stateOf(edit.state);
    const interrupted = state !== edit.state;
    const event = edit.event === undefined ? placeholderEvent(edit) : asEvent(edit.event);
    edits.book.add({
      seq: num(edit.seq), key: edit.key === undefined ? undefined : str(edit.key), event, state,
      reason: interrupted ? 'the window closed before it was written' : edit.reason === undefined ? undefined : str(edit.reason),
      paths: list(edit.paths).map(str), added: num(edit.added), removed: num(edit.removed),
      held: edit.held === true, changes: [], problems: list(edit.problems ?? []) as FileProblem[],
      ...(typeof edit.note === 'string' ? { note: edit.note } : {}),
      written: list(edit.written ?? []).map((c) => restoreChange(asRecord(c, 'change'))),
      ...(edit.review !== undefined ? { review: list(edit.review).map(restoreReview) } : {}),
    });
  }
  restoreLedger(edits, data.ledger);
  void edits.replanPending('planned again after the window reloaded');
  return edits;
}

function restoreVersion1(data: Record<string, unknown>, options: Omit<RunEditsOptions, 'runId' | 'mode' | 'sandboxRoot'>): RunEdits {
  const edits = new RunEdits({ ...options, runId: str(data.runId), mode: mode(data.mode), sandboxRoot: str(data.sandboxRoot) });
  const pending = new Map(list(data.pending).map((p) => { const r = asRecord(p, 'pending edit'); return [num(r.seq), asEvent(r.event)] as const; }));
  const problems = new Map(list(data.problems).map((p) => { const r = asRecord(p, 'problems'); return [num(r.seq), list(r.problems) as FileProblem[]] as const; }));
  for (const raw of list(data.edits)) {
    const view = asRecord(raw, 'edit');
    const seq = num(view.seq);
    const state = stateOf(view.state);
    edits.book.add({
      seq, state, event: pending.get(seq) ?? placeholderEvent(view), reason: view.reason === undefined ? undefined : str(view.reason),
      paths: list(view.paths).map(str), added: num(view.added), removed: num(view.removed),
      held: state === 'pending', changes: [], problems: problems.get(seq) ?? [], written: [],
    });
  }
  restoreLedger(edits, data.ledger);
  // One revert step per path, on the last written edit that touched it: enough for Undo Run.
  const written = edits.book.written();
  for (const [path, entry] of edits.book.ledger) {
    const owner = [...written].reverse().find((r) => r.paths.includes(path)) ?? written[written.length - 1];
    if (!owner) continue;
    const kind = entry.original === null ? 'create' : entry.writtenHash === null ? 'delete' : 'modify';
    owner.written.push({ relPath: path, kind, before: entry.original, afterHash: entry.writtenHash });
  }
  void edits.replanPending('planned again after the window reloaded');
  return edits;
}

function restoreLedger(edits: RunEdits, raw: unknown): void {
  for (const item of list(raw)) {
    const entry = asRecord(item, 'ledger entry');
    edits.book.ledger.set(str(entry.path), { original: nullableStr(entry.original), writtenHash: nullableStr(entry.written) });
  }
}

function restoreChange(raw: Record<string, unknown>): WrittenChange {
  const kind = raw.kind;
  if (kind !== 'create' && kind !== 'modify' && kind !== 'delete' && kind !== 'rename') throw new Error(`unknown change kind ${String(kind)}`);
  const change: WrittenChange = { relPath: str(raw.relPath), kind, afterHash: nullableStr(raw.afterHash) };
  if (raw.newRelPath !== undefined) change.newRelPath = str(raw.newRelPath);
  if (raw.before !== undefined) change.before = nullableStr(raw.before);
  if (raw.reverse !== undefined) change.reverse = list(raw.reverse) as ReverseHunk[];
  return change;
}

function restoreReview(raw: unknown): PathReview {
  const review = asRecord(raw, 'hunk review');
  const marks = list(review.marks).map((m) => {
    if (m === 'applied' || m === 'pending' || m === 'kept' || m === 'undone' || m === 'rejected') return m;
    throw new Error(`unknown hunk mark ${String(m)}`);
  });
  const hunks = list(review.hunks).map((h) => {
    const hunk = asRecord(h, 'hunk');
    return { oldStart: num(hunk.oldStart), oldLines: num(hunk.oldLines), newStart: num(hunk.newStart), newLines: num(hunk.newLines), lines: list(hunk.lines).map(str) };
  });
  if (marks.length !== hunks.length) throw new Error('a hunk review with a mark per hunk expected');
  return { path: str(review.path), hunks, marks };
}

function placeholderEvent(edit: Record<string, unknown>): FileEditEvent {
  return { type: 'file_edit', path: list(edit.paths).map(str)[0] ?? '', diff: '' };
}

function asEvent(raw: unknown): FileEditEvent {
  const event = asRecord(raw, 'event');
  return {
    type: 'file_edit', path: str(event.path), diff: typeof event.diff === 'string' ? event.diff : '',
    ...(typeof event.action === 'string' ? { action: event.action } : {}),
    ...(typeof event.newPath === 'string' ? { newPath: event.newPath } : {}),
  };
}

function stateOf(value: unknown): EditState {
  if (typeof value === 'string' && (EDIT_STATES as string[]).includes(value)) {
    // received/planned are moments of a live run: after a reload such an edit never reached the disk.
    return value === 'received' || value === 'planned' ? 'failed' : value as EditState;
  }
  throw new Error(`unknown edit state ${String(value)}`);
}

function mode(value: unknown): ApplyMode {
  if (value === 'auto' || value === 'review' || value === 'off') return value;
  throw new Error(`unknown apply mode ${String(value)}`);
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new Error(`${what} is not an object`);
}

function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  throw new Error('expected a list');
}

function str(value: unknown): string {
  if (typeof value === 'string') return value;
  throw new Error('expected a string');
}

function nullableStr(value: unknown): string | null {
  return value === null ? null : str(value);
}

function num(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new Error('expected a number');
}
