/**
 * Edits waiting for review, as a group: their order, the earlier ones an edit builds on, and
 * turning them down (one, with the later ones planned again without it; or all, for Undo Run
 * and Reject All).
 */
import type { EditBook } from './editBook';
import { touchedPaths, type EditRecord } from './editRecord';
import { settleRecord, type HunkContext } from './hunkDecisions';
import { bookPlan } from './planning';

/** Pending edits in plan order. */
export function pendingInOrder(book: EditBook): EditRecord[] {
  return book.inState('pending').filter((r) => r.planId !== undefined).sort((a, b) => a.planId! - b.planId!);
}

/** A pending edit and the earlier pending edits on the same files (transitively), in plan order. */
export function pendingGroup(book: EditBook, record: EditRecord): EditRecord[] {
  const pending = pendingInOrder(book);
  const files = new Set(touchedPaths(record.changes));
  const group = [record];
  for (let i = pending.indexOf(record) - 1; i >= 0; i--) {
    const paths = touchedPaths(pending[i]!.changes);
    if (!paths.some((p) => files.has(p))) continue;
    group.unshift(pending[i]!);
    for (const p of paths) files.add(p);
  }
  return group;
}

/** Turns one pending edit down; the later pending edits on its files are planned again without it. */
export async function dropPending(ctx: HunkContext, record: EditRecord): Promise<void> {
  const { book, planner } = ctx;
  const results = await planner.rework(record.planId!, false, (planId) => book.byPlan([planId])[0]?.event);
  record.planId = undefined;
  book.set(record, 'rejected');
  for (const { planId, result } of results) {
    const other = book.byPlan([planId])[0];
    if (other && bookPlan(book, other, result, `planned again without edit #${record.seq}, which was rejected`)) {
      book.set(other, 'pending', other.reason);
    }
  }
}

/** Turns every pending edit down (what the user kept of a partly reviewed one stays, to be reverted with the written ones). */
export function rejectAllPending(ctx: HunkContext): void {
  const { book, planner } = ctx;
  for (const record of pendingInOrder(book)) {
    if (record.review) {
      for (const review of record.review) review.marks = review.marks.map((m) => (m === 'pending' ? 'rejected' : m));
      settleRecord(ctx, record);
      continue;
    }
    if (record.planId !== undefined && planner.state(record.planId) === 'pending') planner.discard(record.planId);
    record.planId = undefined;
    book.set(record, 'rejected');
  }
}
