/**
 * A run's changed files, as the changed-files lists (chat, run panel) and the review commands see
 * them: one entry per file, its agent hunks numbered across the run's edits in their order (the
 * `hunk` argument of runtools.keepChanges / undoChanges), how many lines they add and remove, and
 * where the file stands. Derived from the edit records every time, never stored.
 */
import { defaultMark, reviewOf, type EditFileReview } from '../edits/hunkReview';
import type { EditRecord } from '../edits/editRecord';
import { isHunkOpen, isNotApplied, type EditState, type HunkMark } from '../edits/lifecycle';
import type { ChangedFile, ChangedFileState } from './changedFileTypes';
import { hunkCounts, type ReviewHunk } from './hunks';

/** One agent hunk of a file, with the edit it belongs to. */
export interface FileHunk {
  /** Index among the file's agent hunks in this run (what commands call `hunk`). */
  index: number;
  seq: number;
  /** Index within its edit's hunks of the file. */
  local: number;
  hunk: ReviewHunk;
  mark: HunkMark;
}

export type { ChangedFile, ChangedFileState };

type Collecting = ChangedFile & { marks: HunkMark[]; problem?: EditState };

/** The file's agent hunks across the run's edits, in edit order. */
export function fileHunks(records: readonly EditRecord[], path: string): FileHunk[] {
  const out: FileHunk[] = [];
  for (const record of [...records].sort((a, b) => a.seq - b.seq)) {
    for (const file of reviewOf(record)) {
      if (file.path !== path) continue;
      file.hunks.forEach((hunk, local) => out.push({ index: out.length, seq: record.seq, local, hunk, mark: file.marks[local]! }));
    }
  }
  return out;
}

/** Every file the run's edits touch, in the order the run first touched them. */
export function changedFiles(records: readonly EditRecord[]): ChangedFile[] {
  const files = new Map<string, Collecting>();
  const entry = (path: string, kind: ChangedFile['kind']) => {
    let file = files.get(path);
    if (!file) {
      file = { path, added: 0, removed: 0, state: 'review', open: 0, seqs: [], marks: [], kind };
      files.set(path, file);
    }
    return file;
  };
  for (const record of [...records].sort((a, b) => a.seq - b.seq)) {
    const reviews = reviewOf(record);
    if (reviews.length === 0) {
      if (!isNotApplied(record.state)) continue;
      for (const path of record.paths) {
        const file = entry(path, 'problem');
        file.seqs.push(record.seq);
        file.problem ??= record.state;
        file.reason ??= record.reason;
        if (record.state === 'conflict' && record.problems.some((p) => p.resolution !== undefined && (p.relPath ?? path) === path)) file.resolvable = true;
      }
      continue;
    }
    for (const review of reviews) addReview(entry(review.path, review.kind), review, record);
  }
  return [...files.values()].map(({ marks, problem, ...file }) => ({ ...file, state: stateOf(marks, problem) }));
}

function addReview(file: Collecting, review: EditFileReview, record: EditRecord): void {
  file.seqs.push(record.seq);
  if (file.kind === 'problem') file.kind = review.kind;
  if (review.hunks.length === 0) {
    // A create, delete or rename: one piece, counted from the edit.
    const mark = defaultMark(record.state);
    file.marks.push(mark);
    file.added += record.added;
    file.removed += record.removed;
    if (isHunkOpen(mark)) file.open++;
    file.firstLine ??= 1;
    return;
  }
  review.hunks.forEach((hunk, i) => {
    const mark = review.marks[i]!;
    file.marks.push(mark);
    if (isHunkOpen(mark)) file.open++;
    if (mark === 'undone' || mark === 'rejected') return;
    const counts = hunkCounts(hunk);
    file.added += counts.added;
    file.removed += counts.removed;
    file.firstLine ??= Math.max(1, hunk.newStart);
  });
}

function stateOf(marks: HunkMark[], problem: EditState | undefined): ChangedFileState {
  if (problem === 'conflict') return 'conflict';
  if (problem === 'failed') return 'failed';
  if (problem && marks.length === 0) return 'refused';
  if (marks.includes('pending')) return 'pending';
  if (marks.includes('applied')) return 'review';
  return marks.some((m) => m === 'kept') ? 'kept' : 'undone';
}
