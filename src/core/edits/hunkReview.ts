/**
 * The hunks of an edit, file by file, and where each stands: what the editor's inline review,
 * the changed-files lists and the review commands show and act on.
 *
 * An edit is decided whole until the user decides one of its hunks; from then on the edit keeps
 * a PathReview per file, holding the hunks as they were at that moment and a mark per hunk
 * (lifecycle.ts, HUNK_TRANSITIONS). A later decision on the whole edit (Undo Run, Accept All)
 * is read through `effectiveMark`, so the marks never need a second bookkeeping.
 */
import type { FileChange, RunPlanner } from '../patch';
import type { EditBook } from './editBook';
import type { EditPort } from './port';
import type { PatchHunk } from '../patch/types';
import { applyOne, changeHunks, reversed, type ReviewHunk } from '../review/hunks';
import { mergeIntoChanged } from '../review/mergeHunks';
import type { EditRecord, PathReview, WrittenChange } from './editRecord';
import type { EditState, HunkMark } from './lifecycle';

export type { PathReview };

/** A file of an edit, as reviewed: its hunks with their marks. Hunks are empty for a create, delete or rename. */
export interface EditFileReview {
  seq: number;
  path: string;
  kind: FileChange['kind'];
  hunks: ReviewHunk[];
  marks: HunkMark[];
}

/** Every file of the edit with hunks that can be shown; none for an edit that changed nothing or is not applied. */
export function reviewOf(record: EditRecord): EditFileReview[] {
  const state = record.state;
  if (!['applied', 'accepted', 'pending', 'reverted', 'rejected'].includes(state)) return [];
  const changes: readonly (FileChange | WrittenChange)[] = record.changes.length > 0 ? record.changes : record.written;
  const files: EditFileReview[] = [];
  for (const change of changes) {
    const path = change.kind === 'rename' ? change.newRelPath! : change.relPath;
    const kept = record.review?.find((r) => r.path === path);
    if (kept) {
      files.push({ seq: record.seq, path, kind: change.kind, hunks: kept.hunks, marks: kept.marks.map((m) => effectiveMark(m, state)) });
      continue;
    }
    const hunks = change.kind === 'modify' ? hunksOfChange(change) ?? [] : [];
    files.push({ seq: record.seq, path, kind: change.kind, hunks, marks: hunks.map(() => defaultMark(state)) });
  }
  return files;
}

/**
 * The hunks of a planned or written modification: from its texts, or from the reverse hunks the
 * history kept. Computed once per change object (a change is replaced, never edited, when its
 * texts change): the views ask again after every edit of a run, which may hold thousands.
 */
export function hunksOfChange(change: FileChange | WrittenChange): ReviewHunk[] | undefined {
  if (hunkCache.has(change)) return hunkCache.get(change);
  const reverse = (change as WrittenChange).reverse;
  const hunks = typeof change.before === 'string' && typeof change.after === 'string'
    ? changeHunks(change.before, change.after)
    : reverse ? reverse.map((h) => reversed(h)) : undefined;
  hunkCache.set(change, hunks);
  return hunks;
}

const hunkCache = new WeakMap<object, ReviewHunk[] | undefined>();

/** A hunk's mark before any hunk of its edit was decided: the edit's state says it. */
export function defaultMark(state: EditState): HunkMark {
  return state === 'pending' ? 'pending' : decidedMark(state) ?? 'applied';
}

/** What a decision on the whole edit made of its hunks (kept, undone, rejected); undefined while undecided. */
export function decidedMark(state: EditState): HunkMark | undefined {
  return state === 'accepted' ? 'kept' : state === 'reverted' ? 'undone' : state === 'rejected' ? 'rejected' : undefined;
}

/** A hunk's kept mark as a later decision on the whole edit changed it. */
export function effectiveMark(mark: HunkMark, state: EditState): HunkMark {
  if (state === 'reverted' && (mark === 'applied' || mark === 'kept')) return 'undone';
  if (state === 'rejected' && mark === 'pending') return 'rejected';
  if ((state === 'accepted' || state === 'applied') && mark === 'pending') return 'kept';
  if (state === 'accepted' && mark === 'applied') return 'kept';
  return mark;
}

/** Counts for a reason such as "2 of 3 changes kept". */
export function markCounts(reviews: readonly PathReview[], state: EditState): Record<HunkMark, number> {
  const counts: Record<HunkMark, number> = { applied: 0, pending: 0, kept: 0, undone: 0, rejected: 0 };
  for (const review of reviews) for (const mark of review.marks) counts[effectiveMark(mark, state)]++;
  return counts;
}

/**
 * What a partly reviewed file becomes with its hunks still waiting, on `base` (the file as it is
 * now): each placed where its lines are, or merged with the user's changes around it; one that
 * fits nowhere is left out (it conflicts when kept).
 */
export function pendingRest(review: PathReview, base: string): string {
  let after = base;
  const waiting = review.marks.map((_, i) => i).filter((i) => review.marks[i] === 'pending');
  for (const i of bottomUp(review.hunks, waiting, 'old')) after = applyOne(after, review.hunks[i]!) ?? cleanMerge(after, review.hunks[i]!) ?? after;
  return after;
}

/** The agent's hunk merged with the user's changes around it, when they do not overlap. */
export function cleanMerge(text: string, hunk: ReviewHunk): string | undefined {
  const merged = mergeIntoChanged(text, [{ ...hunk, lines: [...hunk.lines] } as PatchHunk]);
  return merged && merged.conflicts === 0 ? merged.text : undefined;
}

/** The hunks to act on, bottom first (by their place on the given side), so those above stay where they are. */
export function bottomUp(hunks: readonly ReviewHunk[], indices: readonly number[], side: 'old' | 'new'): number[] {
  const start = (h: ReviewHunk) => (side === 'old' ? h.oldStart : h.newStart);
  return [...indices].sort((a, b) => start(hunks[b]!) - start(hunks[a]!));
}

/** A partly reviewed pending edit after a reload: its waiting hunks, planned on the files as they are now. */
export async function adoptReviewed(ctx: { book: EditBook; planner: RunPlanner; port: EditPort }, record: EditRecord): Promise<void> {
  const changes: FileChange[] = [];
  for (const review of record.review ?? []) {
    const base = await ctx.port.read(review.path).catch(() => undefined);
    if (base === undefined) {
      ctx.book.set(record, 'conflict', `${review.path} is gone or unreadable since the window reloaded`);
      return;
    }
    changes.push({ relPath: review.path, kind: 'modify', before: base, after: pendingRest(review, base) });
  }
  record.changes = changes;
  record.planId = await ctx.planner.adopt(changes);
  ctx.book.set(record, 'pending', record.reason);
}
