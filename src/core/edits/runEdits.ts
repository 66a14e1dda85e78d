/**
 * One run's edits on one workspace folder: the engine that decides, while the port executes.
 * Plans each file_edit in event order, writes it (auto), holds it for review (review, or a
 * protected path in auto), or only shows it (off); accepts, rejects and reverts afterwards, for
 * as long as the run is in the history. Every decision is one state move of lifecycle.ts, booked
 * in the EditBook, whose listeners (views, history) hear of it.
 *
 * Operations that decide (planning, accept, reject, revert) run one at a time, in call order;
 * auto-mode writes trail planning in the EditWriter's queue.
 */
import type { ApplyMode } from '../applyMode';
import { nullLogger, type Logger } from '../logger';
import { RunPlanner, type PathCheck } from '../patch';
import type { FileEditEvent } from '../run/events';
import { EditBook, type EditListener, type EditSummary } from './editBook';
import { newRecord, touchedPaths, viewOf, type EditRecord, type EditView } from './editRecord';
import { EditWriter } from './editWriter';
import { isNotApplied, isWritten } from './lifecycle';
import { bookPlan } from './planning';
import type { EditPort } from './port';
import { revertEdits, type AskOverwrite, type RevertOptions, type RevertResult } from './revertEdits';

export type { ApplyMode };

export interface RunEditsOptions {
  runId: string;
  mode: ApplyMode;
  sandboxRoot: string;
  port: EditPort;
  /** Asked before a revert writes over the user's own changes. Default: never overwrite. */
  askOverwrite?: AskOverwrite;
  /** Why a path must wait for review even in auto mode (protected paths), or undefined. */
  holdReason?: (relPath: string) => Promise<string | undefined> | string | undefined;
  logger?: Logger;
}

export class RunEdits {
  readonly runId: string;
  readonly mode: ApplyMode;
  readonly sandboxRoot: string;
  readonly book: EditBook;
  private readonly planner: RunPlanner;
  private readonly writer: EditWriter;
  private readonly logger: Logger;
  private chain: Promise<unknown> = Promise.resolve();
  /** Edits received and not yet planned: the writer gathers them into its next batch. */
  private unplanned = 0;

  constructor(private readonly options: RunEditsOptions) {
    this.runId = options.runId;
    this.mode = options.mode;
    this.sandboxRoot = options.sandboxRoot;
    this.logger = options.logger ?? nullLogger;
    this.book = new EditBook(options.sandboxRoot);
    this.planner = new RunPlanner({
      sandboxRoot: options.sandboxRoot,
      readFile: (relPath) => options.port.read(relPath),
      checkPath: (relPath): Promise<PathCheck> => options.port.checkPath(relPath),
      logger: this.logger,
    });
    this.writer = new EditWriter({ book: this.book, planner: this.planner, port: options.port, logger: this.logger, runId: this.runId, unplanned: () => this.unplanned });
  }

  onDidChange(listener: EditListener): { dispose(): void } {
    return this.book.onChange(listener);
  }

  /**
   * Takes one file_edit; resolves with its state once it is written (auto), held (review) or
   * shown (off). An event delivered again under the same `key` is the same edit: never applied twice.
   */
  async receive(seq: number, event: FileEditEvent, key?: string): Promise<EditView> {
    const known = (key !== undefined ? this.book.byEventKey(key) : undefined) ?? this.book.get(seq);
    if (known) return viewOf(known);
    const record = newRecord(seq, event, key);
    this.book.add(record);
    this.unplanned++;
    // The write is awaited outside the queue of decisions, so the next events are planned meanwhile.
    const step = await this.exclusive(async (): Promise<{ written?: Promise<void> }> => {
      if (!(await this.plan(record))) return {};
      if (this.mode === 'off') {
        this.book.set(record, 'shown');
        return {};
      }
      const hold = this.mode === 'review' ? undefined : await this.holdReason(record);
      if (this.mode === 'review' || hold) {
        record.held = true;
        this.book.set(record, 'pending', hold);
        return {};
      }
      return { written: this.writer.enqueue(record) };
    }).finally(() => { this.unplanned--; });
    await step.written;
    return viewOf(record);
  }

  edits(): EditView[] {
    return this.book.views();
  }

  edit(seq: number): EditRecord | undefined {
    return this.book.get(seq);
  }

  summary(): EditSummary {
    return this.book.summary();
  }

  /** Resolves once every write queued so far is done. */
  async settled(): Promise<void> {
    await this.exclusive(() => this.writer.idle());
  }

  /** Writes a pending edit, with the earlier pending edits on the same files it builds on. */
  accept(seq: number): Promise<EditView> {
    return this.decide(seq, async (record) => {
      if (record.state === 'pending' && this.mode !== 'off') await this.writer.writeNow(this.pendingGroup(record));
    });
  }

  /**
   * Turns an edit down. Pending: dropped, and later pending edits on its files are planned again
   * without it. Written: reverted, with Undo Run's safety rules. Not applied: dismissed.
   */
  reject(seq: number, options: RevertOptions = {}): Promise<EditView> {
    return this.decide(seq, async (record) => {
      if (record.state === 'pending' && record.planId !== undefined) await this.dropPending(record);
      else if (isWritten(record.state)) await this.revertNow([record], options);
      else if (isNotApplied(record.state)) this.book.set(record, 'rejected', record.reason);
    });
  }

  acceptAll(): Promise<EditView[]> {
    return this.exclusive(async () => {
      await this.writer.idle();
      if (this.mode !== 'off') await this.writer.writeNow(this.pending());
      return this.edits();
    });
  }

  rejectAll(): Promise<EditView[]> {
    return this.exclusive(async () => {
      await this.writer.idle();
      this.rejectPending();
      return this.edits();
    });
  }

  /** Reverts these written edits together (newest first), as safely as Undo Run; others are left alone. */
  revert(seqs: readonly number[], options: RevertOptions = {}): Promise<RevertResult> {
    return this.exclusive(async () => {
      await this.writer.idle();
      const wanted = new Set(seqs);
      return this.revertNow(this.book.written().filter((r) => wanted.has(r.seq)), options);
    });
  }

  /** Accepts these pending edits (with the earlier pending edits on their files they build on), in plan order. */
  acceptMany(seqs: readonly number[]): Promise<EditView[]> {
    return this.exclusive(async () => {
      await this.writer.idle();
      const wanted = new Set(seqs);
      const groups = this.pending().filter((r) => wanted.has(r.seq)).flatMap((r) => this.pendingGroup(r));
      if (this.mode !== 'off') await this.writer.writeNow([...new Set(groups)].sort((a, b) => a.planId! - b.planId!));
      return this.edits();
    });
  }

  /** Undo Run: rejects what is pending and reverts every written edit. */
  undo(options: RevertOptions = {}): Promise<RevertResult> {
    return this.exclusive(async () => {
      await this.writer.idle();
      this.rejectPending();
      return this.revertNow(this.book.written(), options);
    });
  }

  /** Pending edits are planned again on the files as they are now (after a reload); those that no longer fit become conflicts. */
  replanPending(context: string): Promise<void> {
    return this.exclusive(async () => {
      const pending = this.book.inState('pending');
      for (const record of pending) if (record.planId !== undefined) this.planner.discard(record.planId);
      for (const record of pending) {
        const result = await this.planner.planEvent(record.event);
        if (bookPlan(this.book, record, result, context)) this.book.set(record, 'pending', record.reason);
      }
    });
  }

  // --- internals

  private decide(seq: number, op: (record: EditRecord) => Promise<void>): Promise<EditView> {
    return this.exclusive(async () => {
      await this.writer.idle();
      const record = this.book.get(seq);
      if (!record) throw new Error(`no edit #${seq} in this run`);
      await op(record);
      return viewOf(record);
    });
  }

  private async plan(record: EditRecord): Promise<boolean> {
    try {
      return bookPlan(this.book, record, await this.planner.planEvent(record.event));
    } catch (error) {
      const reason = `the edit could not be planned: ${(error as Error)?.message ?? String(error)}`;
      this.logger.error(`run ${this.runId}: edit #${record.seq}: ${reason}`);
      this.book.set(record, 'refused', reason);
      return false;
    }
  }

  private async holdReason(record: EditRecord): Promise<string | undefined> {
    if (!this.options.holdReason) return undefined;
    const reasons = (await Promise.all(touchedPaths(record.changes).map((p) => this.options.holdReason!(p)))).filter((r): r is string => !!r);
    return reasons.length > 0 ? [...new Set(reasons)].join('; ') : undefined;
  }

  private async revertNow(targets: EditRecord[], options: RevertOptions): Promise<RevertResult> {
    const askOverwrite = this.options.askOverwrite ?? (async () => 'skip' as const);
    return revertEdits({ book: this.book, port: this.options.port, logger: this.logger, askOverwrite }, targets, options);
  }

  private async dropPending(record: EditRecord): Promise<void> {
    const results = await this.planner.rework(record.planId!, false, (planId) => this.book.byPlan([planId])[0]?.event);
    record.planId = undefined;
    this.book.set(record, 'rejected');
    for (const { planId, result } of results) {
      const other = this.book.byPlan([planId])[0];
      if (other && bookPlan(this.book, other, result, `planned again without edit #${record.seq}, which was rejected`)) {
        this.book.set(other, 'pending', other.reason);
      }
    }
  }

  private rejectPending(): void {
    for (const record of this.pending()) {
      if (record.planId !== undefined && this.planner.state(record.planId) === 'pending') this.planner.discard(record.planId);
      record.planId = undefined;
      this.book.set(record, 'rejected');
    }
  }

  /** Pending edits in plan order. */
  private pending(): EditRecord[] {
    return this.book.inState('pending').filter((r) => r.planId !== undefined).sort((a, b) => a.planId! - b.planId!);
  }

  /** A pending edit and the earlier pending edits on the same files (transitively), in plan order. */
  private pendingGroup(record: EditRecord): EditRecord[] {
    const pending = this.pending();
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

  private exclusive<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(op);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
