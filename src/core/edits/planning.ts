/** Booking a planner's answer on an edit: its changes, counts, paths and state. */
import type { PlanResult } from '../patch';
import type { EditBook } from './editBook';
import { countsOf, displayPath, touchedPaths, type EditRecord } from './editRecord';

/**
 * Sets the record from a plan: `planned` with its changes, or the failure's state with a reason
 * (prefixed by `context`, such as "planned again on the current file"). True when it planned.
 * A record already `planned` stays so (its plan is replaced, the views hear of the new counts).
 */
export function bookPlan(book: EditBook, record: EditRecord, result: PlanResult, context?: string): boolean {
  const diff = record.event.diff ?? '';
  if (result.ok) {
    record.planId = result.id;
    record.changes = result.changes;
    record.problems = [];
    const notes = result.changes.flatMap((c) => (c.note ? [c.note] : []));
    record.note = notes.length > 0 ? notes.join('; ') : undefined;
    Object.assign(record, countsOf(diff, result.changes));
    const paths = touchedPaths(result.changes);
    record.paths = paths.length > 0 ? paths : [displayPath(record.event.path, book.sandboxRoot)];
    if (record.state === 'planned') book.announce(record);
    else book.set(record, 'planned');
    return true;
  }
  record.planId = undefined;
  record.changes = [];
  record.problems = result.problems;
  Object.assign(record, countsOf(diff, []));
  const named = result.paths ?? result.problems.map((p) => p.relPath ?? p.sandboxPath);
  record.paths = [...new Set(named.map((p) => (p.startsWith('/') ? displayPath(p, book.sandboxRoot) : p)))];
  const reason = [...new Set(result.problems.map((p) => p.reason))].join('; ');
  book.set(record, result.kind, context ? `${context}: ${reason}` : reason);
  return false;
}
