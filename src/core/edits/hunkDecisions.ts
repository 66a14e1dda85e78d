/**
 * Keeping and undoing some hunks of an edit on their own (the editor's inline review, the
 * review commands with `hunk`). The edit's state follows (lifecycle.ts): decided whole once no
 * hunk waits, else the same state with a reason that counts what was decided.
 *
 * - Written edit, undo: each hunk is taken back on the file as it is now, from the bottom up, so
 *   the user's changes elsewhere stay; a hunk whose lines the user (or a later edit) changed is
 *   left alone and said so. Keep writes nothing.
 * - Pending edit, keep: each hunk is written onto the file as it is now (merged three-way with the
 *   user's changes when they touch its context; refused when they overlap its lines); the rest of
 *   the edit stays pending on the new text. Undo writes nothing and plans the rest again.
 * Every write goes through the port, which refuses a file changed since it was read.
 */
import type { Logger } from '../logger';
import type { FileChange, FileEditInput, RunPlanner } from '../patch';
import { applyOne, reversed } from '../review/hunks';
import type { EditBook } from './editBook';
import type { EditRecord, WrittenChange } from './editRecord';
import { bottomUp, cleanMerge, defaultMark, effectiveMark, hunksOfChange, markCounts, pendingRest, type PathReview } from './hunkReview';
import { isHunkWritten, isWritten, moveHunk, type HunkMark } from './lifecycle';
import { bookPlan } from './planning';
import type { EditPort } from './port';
import { textHash } from './texts';

export interface HunkContext {
  book: EditBook;
  planner: RunPlanner;
  port: EditPort;
  logger: Logger;
}

export interface HunkOutcome {
  changed: { path: string; hunks: number[]; mark: HunkMark }[];
  skipped: { path: string; hunks: number[]; reason: string }[];
}

export type HunkAction = 'keep' | 'undo';

/**
 * Why this edit cannot be decided hunk by hunk (then it is decided whole), or undefined.
 * Creates, deletes and renames are one piece each; an edit that has one besides other files
 * would need a state per file, which an edit does not have.
 */
export function wholeOnly(record: EditRecord): string | undefined {
  if (!['applied', 'accepted', 'pending'].includes(record.state)) return `edit #${record.seq} is ${record.state}`;
  const changes: readonly { kind: string }[] = record.state === 'pending' ? record.changes : record.written;
  if (changes.length === 0) return `edit #${record.seq} changed nothing`;
  if (changes.every((c) => c.kind === 'modify')) return undefined;
  return changes.length === 1 ? 'it creates, deletes or renames the file: one piece' : `edit #${record.seq} creates, deletes or renames files along with other changes: keep or undo it as a whole`;
}

/** Keeps or undoes these hunks (all of the path's when `indices` is undefined) of one file of an edit. */
export async function decideHunks(ctx: HunkContext, record: EditRecord, path: string, action: HunkAction, indices: readonly number[] | undefined): Promise<HunkOutcome> {
  const outcome: HunkOutcome = { changed: [], skipped: [] };
  const reviews = ensureReviews(record);
  const review = reviews?.find((r) => r.path === path);
  if (!reviews || !review) {
    outcome.skipped.push({ path, hunks: [...(indices ?? [])], reason: reviews ? `edit #${record.seq} does not change ${path}` : 'the history did not keep this change line by line: keep or undo the whole edit' });
    return outcome;
  }
  const wanted = indices ?? review.hunks.map((_, i) => i);
  const bad = wanted.filter((i) => i < 0 || i >= review.hunks.length);
  if (bad.length > 0) outcome.skipped.push({ path, hunks: bad, reason: `${path} has ${review.hunks.length} change${review.hunks.length === 1 ? '' : 's'} from edit #${record.seq}` });
  const open = wanted.filter((i) => !bad.includes(i) && canMove(effectiveMark(review.marks[i]!, record.state), action));
  const decided = wanted.filter((i) => !bad.includes(i) && !open.includes(i));
  if (decided.length > 0) outcome.skipped.push({ path, hunks: decided, reason: `already ${[...new Set(decided.map((i) => effectiveMark(review.marks[i]!, record.state)))].join(' or ')}` });
  if (open.length === 0) return outcome;

  if (record.state === 'pending') {
    const earlier = earlierPending(ctx.book, record, path);
    if (earlier) {
      outcome.skipped.push({ path, hunks: open, reason: `edit #${earlier.seq}, before this one, also changes ${path} and waits for review: keep or undo it first` });
      return outcome;
    }
    if (action === 'keep') {
      await keepPending(ctx, record, review, open, outcome);
    } else {
      // Hunks kept before are taken back out of the file; those still waiting are turned down.
      const kept = open.filter((i) => review.marks[i] === 'kept');
      const onDisk = kept.length > 0 ? await undoWritten(ctx, record, review, kept, outcome) : undefined;
      await rejectPending(ctx, record, review, open.filter((i) => review.marks[i] === 'pending'), outcome, onDisk);
    }
  } else if (action === 'keep') {
    for (const i of open) review.marks[i] = moveHunk(effectiveMark(review.marks[i]!, record.state), 'kept');
    outcome.changed.push({ path, hunks: open, mark: 'kept' });
  } else {
    await undoWritten(ctx, record, review, open, outcome);
  }
  settleRecord(ctx, record);
  return outcome;
}

/** Every file of the edit gets its hunks and marks as they stand, the first time a hunk is decided on its own. */
function ensureReviews(record: EditRecord): PathReview[] | undefined {
  if (record.review) return record.review;
  const changes: readonly (FileChange | WrittenChange)[] = record.state === 'pending' ? record.changes : record.written;
  const reviews: PathReview[] = [];
  for (const change of changes) {
    const hunks = hunksOfChange(change);
    if (!hunks) return undefined;
    reviews.push({ path: change.relPath, hunks, marks: hunks.map(() => defaultMark(record.state)) });
  }
  record.review = reviews;
  return reviews;
}

function canMove(mark: HunkMark, action: HunkAction): boolean {
  if (action === 'keep') return mark === 'applied' || mark === 'pending';
  return mark === 'applied' || mark === 'pending' || mark === 'kept';
}

/** Reads a path for a hunk write: the text, or why not (no file, a folder, ...). */
async function readText(ctx: HunkContext, path: string): Promise<string | { reason: string }> {
  try {
    const text = await ctx.port.read(path);
    return text ?? { reason: `${path} no longer exists` };
  } catch (error) {
    return { reason: (error as Error).message };
  }
}

/** Writes one file from `before` to `after`; the text the file holds now, or why not. */
async function writeText(ctx: HunkContext, path: string, before: string, after: string): Promise<string | { reason: string }> {
  const result = await ctx.port.write([{ relPath: path, kind: 'modify', before, after }], {});
  if (!result.ok) return { reason: result.stale?.length ? `${path} changed while it was being written: not touched` : result.reason };
  return result.written.get(path) ?? after;
}

/** Takes written hunks back out of the file; returns what the file holds afterwards, if it wrote. */
async function undoWritten(ctx: HunkContext, record: EditRecord, review: PathReview, indices: number[], outcome: HunkOutcome): Promise<string | undefined> {
  const path = review.path;
  const current = await readText(ctx, path);
  if (typeof current !== 'string') { outcome.skipped.push({ path, hunks: indices, reason: current.reason }); return undefined; }
  let text = current;
  const done: number[] = [];
  for (const i of bottomUp(review.hunks, indices, 'new')) {
    const next = applyOne(text, reversed(review.hunks[i]!));
    if (next === undefined) {
      const later = ctx.book.written().find((r) => r.seq > record.seq && r.written.some((w) => w.relPath === path || w.newRelPath === path));
      outcome.skipped.push({ path, hunks: [i], reason: later ? `edit #${later.seq} changed these lines after this one: undo that one first` : 'you changed these lines since the agent wrote them: not touched' });
      continue;
    }
    text = next;
    done.push(i);
  }
  if (done.length === 0) return undefined;
  const written = await writeText(ctx, path, current, text);
  if (typeof written !== 'string') { outcome.skipped.push({ path, hunks: done, reason: written.reason }); return undefined; }
  for (const i of done) review.marks[i] = moveHunk(effectiveMark(review.marks[i]!, record.state), 'undone');
  ctx.book.recordHunkWrite(path, current, written);
  rebookWritten(record, review, written);
  outcome.changed.push({ path, hunks: done.sort((a, b) => a - b), mark: 'undone' });
  return written;
}

async function keepPending(ctx: HunkContext, record: EditRecord, review: PathReview, indices: number[], outcome: HunkOutcome): Promise<void> {
  const path = review.path;
  const current = await readText(ctx, path);
  if (typeof current !== 'string') { outcome.skipped.push({ path, hunks: indices, reason: current.reason }); return; }
  let text = current;
  const done: number[] = [];
  for (const i of bottomUp(review.hunks, indices, 'old')) {
    const hunk = review.hunks[i]!;
    const next = applyOne(text, hunk) ?? cleanMerge(text, hunk);
    if (next === undefined) {
      outcome.skipped.push({ path, hunks: [i], reason: 'you changed these lines since the agent read them: not written (Undo it, or edit the file to your liking)' });
      continue;
    }
    text = next;
    done.push(i);
  }
  if (done.length === 0) return;
  const written = await writeText(ctx, path, current, text);
  if (typeof written !== 'string') { outcome.skipped.push({ path, hunks: done, reason: written.reason }); return; }
  for (const i of done) review.marks[i] = moveHunk(review.marks[i]!, 'kept');
  ctx.book.recordHunkWrite(path, current, written);
  rebookWritten(record, review, written);
  await replanRest(ctx, record, review, written);
  outcome.changed.push({ path, hunks: done.sort((a, b) => a - b), mark: 'kept' });
}

/** Turns down hunks still waiting (nothing written); the rest is planned again on `onDisk`, or on its old base. */
async function rejectPending(ctx: HunkContext, record: EditRecord, review: PathReview, indices: number[], outcome: HunkOutcome, onDisk?: string): Promise<void> {
  for (const i of indices) review.marks[i] = moveHunk(review.marks[i]!, 'rejected');
  const change = record.changes.find((c) => c.relPath === review.path);
  await replanRest(ctx, record, review, onDisk ?? change?.before ?? null);
  if (indices.length > 0) outcome.changed.push({ path: review.path, hunks: [...indices].sort((a, b) => a - b), mark: 'rejected' });
}

/**
 * The edit's written change for this file now reverts exactly the hunks still written, as hunks
 * on the file as it is (never a whole old text: the file may hold the user's changes too).
 */
function rebookWritten(record: EditRecord, review: PathReview, onDisk: string): void {
  const reverse = review.hunks.filter((_, i) => isHunkWritten(effectiveMark(review.marks[i]!, record.state))).map((h) => reversed(h));
  const change: WrittenChange = { relPath: review.path, kind: 'modify', reverse, afterHash: textHash(onDisk) };
  const at = record.written.findIndex((w) => w.relPath === review.path);
  if (at >= 0) record.written[at] = change;
  else record.written.push(change);
}

/**
 * A pending edit's file after some of its hunks were kept or turned down: the rest stays pending
 * as a change from `base` (the file as it is now) with the hunks still waiting; plans of later
 * edits on the file are made again on it.
 */
async function replanRest(ctx: HunkContext, record: EditRecord, review: PathReview, base: string | null): Promise<void> {
  const at = record.changes.findIndex((c) => c.relPath === review.path);
  if (at < 0 || base === null) return;
  record.changes[at] = { ...record.changes[at]!, before: base, after: pendingRest(review, base) };
  if (record.planId === undefined) return;
  const eventOf = (planId: number): FileEditInput | undefined => ctx.book.byPlan([planId])[0]?.event;
  for (const { planId, result } of await ctx.planner.revise(record.planId, record.changes, eventOf)) {
    const other = ctx.book.byPlan([planId])[0];
    if (other && bookPlan(ctx.book, other, result, `planned again after you decided part of edit #${record.seq}`)) ctx.book.set(other, 'pending', other.reason);
  }
}

/** The earliest other pending edit before this one that changes the path (its hunks come first). */
function earlierPending(book: EditBook, record: EditRecord, path: string): EditRecord | undefined {
  return book.inState('pending').find((r) => r.seq < record.seq && r.planId !== undefined && r.planId < (record.planId ?? Infinity) && r.changes.some((c) => c.relPath === path || c.newRelPath === path));
}

/** The edit's state once its hunks moved: decided whole when none waits, else a reason that counts. */
export function settleRecord(ctx: HunkContext, record: EditRecord): void {
  const reviews = record.review ?? [];
  const counts = markCounts(reviews, record.state);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const waiting = counts.pending + counts.applied;
  if (record.state === 'pending') {
    if (waiting > 0) {
      ctx.book.set(record, 'pending', partly(counts, total));
      return;
    }
    if (record.planId !== undefined) ctx.planner.close(record.planId, counts.kept > 0);
    record.planId = undefined;
    record.changes = [];
    record.held = true;
    ctx.book.set(record, counts.kept > 0 ? 'accepted' : 'rejected', counts.kept > 0 && counts.kept < total ? partly(counts, total) : undefined);
    return;
  }
  if (!isWritten(record.state)) return;
  if (counts.undone === total) ctx.book.set(record, 'reverted', 'undone change by change');
  else if (waiting === 0 && record.state === 'applied') ctx.book.set(record, 'accepted', counts.undone > 0 ? partly(counts, total) : undefined);
  else ctx.book.set(record, record.state, counts.undone > 0 || counts.kept > 0 ? partly(counts, total) : record.reason);
}

function partly(counts: Record<HunkMark, number>, total: number): string {
  const parts: string[] = [];
  if (counts.kept) parts.push(`${counts.kept} of ${total} change${total === 1 ? '' : 's'} kept`);
  if (counts.undone) parts.push(`${counts.undone} of ${total} undone`);
  if (counts.rejected) parts.push(`${counts.rejected} of ${total} turned down`);
  const waiting = counts.pending + counts.applied;
  if (waiting) parts.push(`${waiting} still to review`);
  return parts.join(', ');
}

