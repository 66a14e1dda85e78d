/** One file_edit as the engine keeps it, and the view of it every webview, list and summary shows. */
import { countDiffLines, lineCount } from '../diffStats';
import type { FileChange, FileProblem } from '../patch/types';
import type { FileEditEvent } from '../run/events';
import type { ReviewHunk } from '../review/hunkTypes';
import type { EditState, HunkMark } from './lifecycle';

/** One file of an edit decided hunk by hunk: its hunks as they were then, and a mark per hunk (hunkReview.ts). */
export interface PathReview {
  path: string;
  hunks: ReviewHunk[];
  marks: HunkMark[];
}

/** What a view shows of an edit (src/core/viewProtocol.ts sends it to the webviews). */
export interface EditView {
  /** The `seq` of the file_edit event this edit came from (one event may change several files). */
  seq: number;
  /** Workspace-relative path(s) this edit touches (see `displayPath` for paths that could not be mapped). */
  paths: string[];
  added: number;
  removed: number;
  state: EditState;
  /** Why it is in this state, when that is not obvious: a conflict's cause, a protected path, a partial undo. */
  reason?: string;
  /** How it was fitted to a file the user had changed ("merged with your changes in a.ts"). */
  note?: string;
  /** A conflict the user can merge in the editor (the engine has a merge with markers for it). */
  resolvable?: boolean;
}

/**
 * A change as it was written, kept to revert exactly that change later. In memory it holds both
 * texts; restored from history it holds what the history kept (see persistence.ts): hashes, the
 * text of a deleted file, and a reverse patch for a modified one.
 */
export interface WrittenChange {
  relPath: string;
  kind: FileChange['kind'];
  newRelPath?: string;
  /** Text before the change (null: no file); undefined when the history did not keep it. */
  before?: string | null;
  /** What the change left (null: no file); undefined when the history did not keep it. */
  after?: string | null;
  /** Hash of `after` (textHash), always known. */
  afterHash: string | null;
  /** Hunks taking `after` back to `before` (jsdiff structured hunks), for a modified text without `before`. */
  reverse?: ReverseHunk[];
}

export interface ReverseHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

export interface EditRecord {
  seq: number;
  /** The event's identity on the wire (id or sequence), when the stream gave one: a second delivery is the same edit. */
  key?: string;
  event: FileEditEvent;
  state: EditState;
  reason?: string;
  paths: string[];
  added: number;
  removed: number;
  /** The planner's handle while planned or pending. */
  planId?: number;
  /** The planned changes (planned, pending) with their texts. */
  changes: FileChange[];
  /** What was written (applied, accepted): what reverting it starts from. */
  written: WrittenChange[];
  problems: FileProblem[];
  /** Planned again once already because its file changed before the write. */
  replanned?: boolean;
  /** It waited for review: once written it is `accepted`, not `applied`. */
  held?: boolean;
  /** How its diff was fitted to files the user had changed (from the plan). */
  note?: string;
  /** Per modified file, once the user decided a hunk of it on its own (hunkReview.ts). */
  review?: PathReview[];
}

export function newRecord(seq: number, event: FileEditEvent, key?: string): EditRecord {
  const counts = countDiffLines(event.diff ?? '');
  const paths = [event.path, ...(event.newPath ? [event.newPath] : [])];
  return { seq, key, event, state: 'received', paths, ...counts, changes: [], written: [], problems: [] };
}

export function viewOf(record: EditRecord): EditView {
  const view: EditView = { seq: record.seq, paths: [...record.paths], added: record.added, removed: record.removed, state: record.state };
  if (record.reason) view.reason = record.reason;
  if (record.note) view.note = record.note;
  if (record.state === 'conflict' && record.problems.some((p) => p.resolution !== undefined)) view.resolvable = true;
  return view;
}

/** Counts from the diff, or for a diff without +/- lines (an action-only create or delete) from the texts. */
export function countsOf(diff: string, changes: readonly FileChange[]): { added: number; removed: number } {
  const counts = countDiffLines(diff);
  if (counts.added > 0 || counts.removed > 0) return counts;
  for (const change of changes) {
    if (change.kind === 'create') counts.added += lineCount(change.after);
    if (change.kind === 'delete') counts.removed += lineCount(change.before);
  }
  return counts;
}

/** Every workspace path a set of changes touches (a rename touches two). */
export function touchedPaths(changes: readonly { relPath: string; newRelPath?: string }[]): string[] {
  return [...new Set(changes.flatMap((c) => (c.newRelPath !== undefined ? [c.relPath, c.newRelPath] : [c.relPath])))];
}

/**
 * How a path the edit could not map is named for the user: relative to the sandbox root when it
 * is under it (`../outside.txt` stays visibly outside), else as the agent sent it.
 */
export function displayPath(sandboxPath: string, sandboxRoot: string): string {
  const root = `/${sandboxRoot.replace(/^\/+|\/+$/g, '')}/`;
  if (root !== '//' && sandboxPath.startsWith(root)) return sandboxPath.slice(root.length);
  return sandboxPath;
}
