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
import { decideHunks, wholeOnly, type HunkAction, type HunkContext, type HunkOutcome } from './hunkDecisions';
import { adoptReviewed, decidedMark } from './hunkReview';
import { writeMerge } from './mergeResolution';
import { dropPending, pendingGroup, pendingInOrder, rejectAllPending } from './pendingEdits';
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
      if (record.state === 'pending') await this.keepRecord(record);
    });
  }

  /**
   * Keep: a pending edit is written (accept); a written one is marked kept (applied → accepted),
   * which ends its review without writing anything.
   */
  keep(seq: number): Promise<EditView> {
    return this.decide(seq, (record) => this.keepRecord(record));
  }

  /**
   * The user merged a conflicting edit in the editor: `after` is their merge of the agent's change
   * into `before`, the file as it was when the merge was made. Written through the port, which
   * refuses it if the file changed since (then nothing changes and the reason comes back); the
   * edit is then accepted, and reverts to `before`.
   */
  resolved(seq: number, path: string, before: string, after: string): Promise<{ view: EditView; reason?: string }> {
    return this.exclusive(async () => {
      await this.writer.idle();
      const record = this.book.get(seq);
      if (!record) throw new Error(`no edit #${seq} in this run`);
      const reason = await writeMerge(this.hunkContext(), record, path, before, after);
      return { view: viewOf(record), ...(reason ? { reason } : {}) };
    });
  }

  /**
   * Keeps or undoes some hunks of one file of an edit (all of the file's when `hunks` is
   * undefined). An edit that cannot be decided hunk by hunk (a create, delete or rename) is
   * decided whole when the file is its only one; otherwise nothing happens and the outcome says why.
   */
  decideHunks(seq: number, path: string, action: HunkAction, hunks?: readonly number[], options: RevertOptions = {}): Promise<HunkOutcome> {
    return this.exclusive(async () => {
      await this.writer.idle();
      const record = this.book.get(seq);
      if (!record) throw new Error(`no edit #${seq} in this run`);
      const whole = wholeOnly(record);
      if (whole === undefined) return decideHunks(this.hunkContext(), record, path, action, hunks);
      const single = record.paths.length === 1 && record.paths[0] === path && (hunks === undefined || hunks.every((h) => h === 0));
      if (!single || !['pending', 'applied', 'accepted'].includes(record.state)) return { changed: [], skipped: [{ path, hunks: [...(hunks ?? [])], reason: whole }] };
      const before = record.state;
      await (action === 'keep' ? this.keepRecord(record) : this.rejectRecord(record, options));
      const mark = decidedMark(record.state);
      return record.state !== before && mark
        ? { changed: [{ path, hunks: [0], mark }], skipped: [] }
        : { changed: [], skipped: [{ path, hunks: [0], reason: record.reason ?? `edit #${seq} is ${record.state}` }] };
    });
  }

  /**
   * Turns an edit down. Pending: dropped, and later pending edits on its files are planned again
   * without it. Written: reverted, with Undo Run's safety rules. Not applied: dismissed.
   */
  reject(seq: number, options: RevertOptions = {}): Promise<EditView> {
    return this.decide(seq, (record) => this.rejectRecord(record, options));
  }

  acceptAll(): Promise<EditView[]> {
    return this.exclusive(async () => {
      await this.writer.idle();
      if (this.mode === 'off') return this.edits();
      for (const record of pendingInOrder(this.book).filter((r) => r.review)) await this.decideAll(record, 'keep');
      await this.writer.writeNow(pendingInOrder(this.book));
      return this.edits();
    });
  }

  rejectAll(): Promise<EditView[]> {
    return this.exclusive(async () => {
      await this.writer.idle();
      rejectAllPending(this.hunkContext());
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
      if (this.mode === 'off') return this.edits();
      for (const record of pendingInOrder(this.book).filter((r) => wanted.has(r.seq) && r.review)) await this.decideAll(record, 'keep');
      const groups = pendingInOrder(this.book).filter((r) => wanted.has(r.seq)).flatMap((r) => pendingGroup(this.book, r));
      await this.writer.writeNow([...new Set(groups)].sort((a, b) => a.planId! - b.planId!));
      return this.edits();
    });
  }

  /** Undo Run: rejects what is pending and reverts every written edit. */
  undo(options: RevertOptions = {}): Promise<RevertResult> {
    return this.exclusive(async () => {
      await this.writer.idle();
      rejectAllPending(this.hunkContext());
      return this.revertNow(this.book.written(), options);
    });
  }

  /**
   * Pending edits are planned again on the files as they are now (after a reload); those that no
   * longer fit become conflicts. A partly reviewed one is planned from its hunks still waiting
   * (its diff would apply the kept ones a second time).
   */
  replanPending(context: string): Promise<void> {
    return this.exclusive(async () => {
      const pending = this.book.inState('pending');
      for (const record of pending) if (record.planId !== undefined) this.planner.discard(record.planId);
      for (const record of pending) {
        if (record.review) {
          await adoptReviewed(this.hunkContext(), record);
          continue;
        }
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

  /** Keep, inside the queue of decisions: see keep(). */
  private async keepRecord(record: EditRecord): Promise<void> {
    if (record.state === 'pending') {
      if (this.mode === 'off') return;
      if (record.review) await this.decideAll(record, 'keep');
      else await this.writer.writeNow(pendingGroup(this.book, record));
    } else if (record.state === 'applied') {
      if (record.review) await this.decideAll(record, 'keep');
      else this.book.set(record, 'accepted');
    }
  }

  /** Reject, inside the queue of decisions: see reject(). */
  private async rejectRecord(record: EditRecord, options: RevertOptions): Promise<void> {
    if (record.state === 'pending' && record.review) await this.decideAll(record, 'undo');
    else if (record.state === 'pending' && record.planId !== undefined) await dropPending(this.hunkContext(), record);
    else if (isWritten(record.state)) await this.revertNow([record], options);
    else if (isNotApplied(record.state)) this.book.set(record, 'rejected', record.reason);
  }

  private hunkContext(): HunkContext {
    return { book: this.book, planner: this.planner, port: this.options.port, logger: this.logger };
  }

  /** Every hunk still open in every file of a partly reviewed edit. */
  private async decideAll(record: EditRecord, action: HunkAction): Promise<void> {
    for (const review of [...(record.review ?? [])]) await decideHunks(this.hunkContext(), record, review.path, action, undefined);
  }

  private exclusive<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(op);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
