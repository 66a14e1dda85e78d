/**
 * Writing planned edits through the port, in order, in batches, with every fault kept to the
 * edits it touched.
 *
 * - Order: a batch is the longest run of queued edits on distinct files, so each file's edits
 *   still land one after another; while one batch is written the next events are planned.
 * - A burst (a stream delivers a run's events back to back) is gathered into one batch: an idle
 *   writer waits while edits received are still being planned, briefly, since each write has a
 *   cost of its own. A single edit does not wait.
 * - A file changed before the write (the user typed, a git checkout): the edit and those built on
 *   it are planned again on the file as it is now, once; if it changed again, it is a conflict.
 * - A batch the editor refuses, or whose write throws, is written again one edit at a time to find
 *   the one at fault; that edit fails with the reason, the others are written.
 * - Anything that throws fails the edits it touched with a reason, and the queue goes on: a run
 *   always settles, and the next run can start.
 */
import type { Logger } from '../logger';
import type { RunPlanner } from '../patch';
import type { EditBook } from './editBook';
import { touchedPaths, type EditRecord } from './editRecord';
import { bookPlan } from './planning';
import type { EditPort } from './port';

/** At most this many file changes per write. */
export const MAX_BATCH_FILES = 400;
/**
 * An idle writer waits while edits received are still being planned, at most GATHER_MAX_MS. A
 * write costs an editor ~100 ms whatever its size (bench/smallRunInHost.bench.ts), so a burst
 * written as its first edit alone, then the rest, took that much longer. Planning 50 events took
 * up to ~200 ms in a busy extension host.
 */
export const GATHER_MAX_MS = 250;

export interface WriterContext {
  book: EditBook;
  planner: RunPlanner;
  port: EditPort;
  logger: Logger;
  runId: string;
  /** How many edits were received and are not planned yet (none: nothing to gather). */
  unplanned?: () => number;
}

export class EditWriter {
  private readonly queue: EditRecord[] = [];
  private running: Promise<void> | undefined;
  private readonly waiters = new Map<EditRecord, () => void>();

  constructor(private readonly ctx: WriterContext) {}

  /** Auto mode: writes a planned edit after those queued before it; resolves once it is no longer `planned`. */
  enqueue(record: EditRecord): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.set(record, resolve);
      this.queue.push(record);
      this.start();
    });
  }

  /** Resolves when nothing is being written. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Review: writes these pending edits now, in order (they are accepted). */
  async writeNow(records: readonly EditRecord[]): Promise<void> {
    const list = [...records];
    const inFlight = new Set(list);
    while (list.length > 0) await this.safeBatch(takeBatch(list), list, inFlight);
  }

  private start(): void {
    if (this.running) return;
    this.running = (async () => {
      try {
        await this.gather();
        while (this.queue.length > 0) await this.safeBatch(takeBatch(this.queue), this.queue, new Set(this.queue));
      } finally {
        this.running = undefined;
      }
    })();
  }

  /** Waits while received edits are still being planned (a burst), at most GATHER_MAX_MS. */
  private async gather(): Promise<void> {
    const started = Date.now();
    while ((this.ctx.unplanned?.() ?? 0) > 0 && Date.now() - started < GATHER_MAX_MS) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private async safeBatch(batch: EditRecord[], list: EditRecord[], inFlight: Set<EditRecord>): Promise<void> {
    try {
      await this.writeBatch(batch, list, inFlight);
    } catch (error) {
      const reason = `writing it failed: ${(error as Error)?.message ?? String(error)}`;
      const waiting = batch.filter((record) => isWaiting(record) && !list.includes(record));
      if (waiting.length > 1) {
        // As for a batch the editor refuses: one at a time, so the fault stays with its edit.
        this.ctx.logger.info(`run ${this.ctx.runId}: a write of ${waiting.length} edits threw (${reason}); writing them one by one`);
        for (const record of waiting) await this.safeBatch([record], list, inFlight);
        return;
      }
      this.ctx.logger.error(`run ${this.ctx.runId}: ${reason}`);
      for (const record of waiting) await this.fail(record, reason, inFlight).catch(() => undefined);
    } finally {
      for (const record of batch) if (!list.includes(record)) this.settle(record);
    }
  }

  private async writeBatch(batch: EditRecord[], list: EditRecord[], inFlight: Set<EditRecord>): Promise<void> {
    const { planner, port, book } = this.ctx;
    const ready = batch.filter((r) => isWaiting(r) && r.planId !== undefined && planner.state(r.planId) === 'pending');
    if (ready.length === 0) return;
    const result = await port.write(ready.flatMap((r) => r.changes), {});
    if (result.ok) {
      for (const record of ready) {
        planner.accept(record.planId!);
        book.recordWrite(record, record.changes, result.written);
        book.set(record, record.state === 'pending' || record.held ? 'accepted' : 'applied');
      }
      return;
    }
    const stale = new Set(result.stale ?? []);
    if (stale.size > 0) {
      const changed = ready.filter((r) => touchedPaths(r.changes).some((p) => stale.has(p)));
      list.unshift(...ready.filter((r) => !changed.includes(r)));
      for (const record of changed) await this.replanStale(record, list, inFlight);
      return;
    }
    if (ready.length === 1) {
      await this.fail(ready[0]!, result.reason, inFlight);
      return;
    }
    this.ctx.logger.info(`run ${this.ctx.runId}: a write of ${ready.length} edits failed (${result.reason}); writing them one by one`);
    for (const record of ready) await this.writeBatch([record], list, inFlight);
  }

  /** The edit's file changed since it was planned: plan it (and what builds on it) on the file as it is now. */
  private async replanStale(record: EditRecord, list: EditRecord[], inFlight: Set<EditRecord>): Promise<void> {
    if (record.planId === undefined || !isWaiting(record)) return;
    if (record.replanned) {
      await this.rework(record, false, inFlight);
      this.ctx.book.set(record, 'conflict', `${record.paths.join(', ')} changed again while the edit was being written`);
      return;
    }
    record.replanned = true;
    await this.rework(record, true, inFlight);
    if (record.state === 'planned') list.unshift(record);
  }

  /** Nothing of it is on disk: it failed, and the edits built on it are planned again without it. */
  private async fail(record: EditRecord, reason: string, inFlight: Set<EditRecord>): Promise<void> {
    this.ctx.logger.warn(`run ${this.ctx.runId}: edit #${record.seq} not written: ${reason}`);
    if (record.planId !== undefined && this.ctx.planner.state(record.planId) === 'pending') await this.rework(record, false, inFlight);
    this.ctx.book.set(record, 'failed', reason);
  }

  /**
   * Plans the record (when `again`) and the pending plans built on it once more. Edits that were
   * waiting for review and are not being written now go back to waiting.
   */
  private async rework(record: EditRecord, again: boolean, inFlight: Set<EditRecord>): Promise<void> {
    const { planner, book } = this.ctx;
    const results = await planner.rework(record.planId!, again, (planId) => book.byPlan([planId])[0]?.event);
    for (const { planId, result } of results) {
      const other = book.byPlan([planId])[0];
      if (!other) continue;
      const wasPending = other.state === 'pending';
      const context = other === record ? 'planned again on the file as it is now' : `planned again after edit #${record.seq}`;
      const ok = bookPlan(book, other, result, context);
      if (ok && wasPending && !inFlight.has(other)) book.set(other, 'pending', other.reason);
      if (!ok) this.settle(other);
    }
  }

  private settle(record: EditRecord): void {
    if (isWaiting(record) && this.queue.includes(record)) return;
    const resolve = this.waiters.get(record);
    if (!resolve) return;
    this.waiters.delete(record);
    resolve();
  }
}

/** Planned or held, not yet written: what a write can still take. */
function isWaiting(record: EditRecord): boolean {
  return record.state === 'planned' || record.state === 'pending';
}

/** The longest prefix of the list whose edits touch distinct files (at least one edit). */
export function takeBatch(list: EditRecord[]): EditRecord[] {
  const touched = new Set<string>();
  let files = 0;
  let count = 0;
  for (const record of list) {
    const paths = touchedPaths(record.changes);
    if (count > 0 && (paths.some((p) => touched.has(p)) || files + paths.length > MAX_BATCH_FILES)) break;
    for (const p of paths) touched.add(p);
    files += paths.length;
    count++;
  }
  return list.splice(0, Math.max(count, 1));
}
