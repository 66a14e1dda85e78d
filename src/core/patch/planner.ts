/**
 * Plans a whole run, one `file_edit` event at a time. Each event's plan is all or nothing and
 * is computed against an overlay of the plans not yet written, so events touching the same file
 * apply in order even while nothing has been written (review mode). Once a plan is accepted
 * (written), its files are read from the workspace again: the disk, or the user's buffer, is the
 * truth from then on, also when the user edits the file between two of the agent's edits.
 */
import type { Logger } from '../logger';
import { nullLogger } from '../logger';
import { mergeIntoChanged, placementDrift } from '../review/mergeHunks';
import { applyHunks, bestEffortApply } from './apply';
import { parseFileEdit } from './parse';
import type { FileEditInput } from './parse';
import { mapSandboxPath } from './paths';
import { isBinaryText } from './text';
import type { FailureKind, FileChange, FilePatch, FileProblem, PlanFailure, PlanResult } from './types';

export type PathCheck = { ok: true } | { ok: false; reason: string };

export interface RunPlannerOptions {
  /** Sandbox folder mapped onto the workspace folder; default `/workspace`. */
  sandboxRoot?: string;
  /** Current text of a workspace file (an open editor's buffer if there is one); undefined if absent. */
  readFile(relPath: string): Promise<string | undefined>;
  /** Extra check of a mapped path, e.g. `checkInsideWorkspace` against the real folder. */
  checkPath?(relPath: string): Promise<PathCheck> | PathCheck;
  /** Context lines allowed to differ per hunk; default 0 (as strict as git apply). */
  fuzzFactor?: number;
  /**
   * A diff that does not fit because the user changed the file is merged three-way (clean where
   * the changes do not overlap; else a conflict carrying a resolution with markers). Default true;
   * false plans exactly as `git apply` does (the differential test compares that part with git).
   */
  merge?: boolean;
  logger?: Logger;
}

export type PlanState = 'pending' | 'accepted' | 'discarded';

interface StoredPlan {
  id: number;
  changes: FileChange[];
  touched: Set<string>;
  state: PlanState;
}

/** null: the file does not exist (in the plan's view). */
type Content = string | null;

const severity: Record<FailureKind, number> = { conflict: 0, refused: 1, unreadable: 2 };

export class RunPlanner {
  private overlay = new Map<string, Content>();
  /** How many pending plans touch each file. */
  private readonly pendingFiles = new Map<string, number>();
  private readonly plans: StoredPlan[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly logger: Logger;

  constructor(private readonly options: RunPlannerOptions) {
    this.logger = options.logger ?? nullLogger;
  }

  /** Plans one event. Calls are serialised: events apply in the order they were given. */
  planEvent(event: FileEditInput): Promise<PlanResult> {
    const run = this.queue.then(() => this.plan(event));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Marks a plan as written to the workspace. Earlier pending plans on the same files are
   * accepted with it (its texts include theirs). Returns the ids accepted.
   */
  accept(id: number): number[] {
    const ids = this.related(id, -1);
    for (const plan of this.plansById(ids)) {
      plan.state = 'accepted';
      // Later pending plans on a file keep its overlay text (theirs is the newest); else the workspace has it.
      for (const file of plan.touched) if (this.leavePending(file) === 0) this.overlay.delete(file);
    }
    return ids;
  }

  /**
   * Drops a pending plan; later pending plans on the same files are dropped with it (they were
   * planned on top of it). Accepted plans are not discarded: undo them. Returns the ids dropped.
   */
  discard(id: number): number[] {
    const ids = this.related(id, +1);
    for (const plan of this.plansById(ids)) {
      plan.state = 'discarded';
      for (const file of plan.touched) this.leavePending(file);
    }
    this.overlay = this.replay(['pending']);
    return ids;
  }

  /**
   * Drops a pending plan and the later pending plans built on it, then plans those later ones
   * again (and the plan itself too when `again`), in order and in one step: no other event is
   * planned in between, so the run's order holds. Used when a plan's file changed before it was
   * written, and when the user rejects a plan others build on. Returns each old id's new result.
   */
  rework(id: number, again: boolean, eventOf: (planId: number) => FileEditInput | undefined): Promise<{ planId: number; result: PlanResult }[]> {
    const run = this.queue.then(async () => {
      const dropped = this.discard(id).sort((a, b) => a - b);
      const results: { planId: number; result: PlanResult }[] = [];
      for (const planId of dropped) {
        if (planId === id && !again) continue;
        const event = eventOf(planId);
        if (event) results.push({ planId, result: await this.plan(event) });
      }
      return results;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Replaces a pending plan's changes (the user kept or turned down some of its hunks), in one
   * step with the later pending plans on its files: when its planned texts changed, those are
   * planned again on the new ones. Returns each later plan's new result.
   */
  revise(id: number, changes: FileChange[], eventOf: (planId: number) => FileEditInput | undefined): Promise<{ planId: number; result: PlanResult }[]> {
    const run = this.queue.then(async () => {
      const plan = this.plansById([id])[0];
      if (!plan || plan.state !== 'pending') return [];
      const same = changes.length === plan.changes.length && changes.every((c, i) => c.relPath === plan.changes[i]!.relPath && c.after === plan.changes[i]!.after);
      const later = same ? [] : this.related(id, +1).filter((other) => other !== id).sort((a, b) => a - b);
      for (const other of this.plansById(later)) {
        other.state = 'discarded';
        for (const file of other.touched) this.leavePending(file);
      }
      plan.changes = changes;
      this.overlay = this.replay(['pending']);
      const results: { planId: number; result: PlanResult }[] = [];
      for (const planId of later) {
        const event = eventOf(planId);
        if (event) results.push({ planId, result: await this.plan(event) });
      }
      return results;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Takes changes the caller computed (not from a diff) as a new pending plan, after the plans
   * already queued: a partly reviewed edit planned again after a reload.
   */
  adopt(changes: FileChange[]): Promise<number> {
    const run = this.queue.then(() => {
      const touched = new Set(changes.flatMap((c) => (c.newRelPath !== undefined ? [c.relPath, c.newRelPath] : [c.relPath])));
      for (const file of touched) this.pendingFiles.set(file, (this.pendingFiles.get(file) ?? 0) + 1);
      for (const change of changes) applyChange(this.overlay, change);
      const id = this.nextId++;
      this.plans.push({ id, changes, touched, state: 'pending' });
      return id;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Ends one pending plan on its own: written (what it planned is in the workspace now) or
   * dropped. Unlike accept and discard, plans before and after it on its files are left as they are.
   */
  close(id: number, written: boolean): void {
    const plan = this.plansById([id])[0];
    if (!plan || plan.state !== 'pending') return;
    plan.state = written ? 'accepted' : 'discarded';
    for (const file of plan.touched) this.leavePending(file);
    this.overlay = this.replay(['pending']);
  }

  /** One pending plan fewer touches the file; returns how many still do. */
  private leavePending(file: string): number {
    const left = (this.pendingFiles.get(file) ?? 1) - 1;
    if (left > 0) this.pendingFiles.set(file, left);
    else this.pendingFiles.delete(file);
    return left;
  }

  state(id: number): PlanState | undefined {
    return this.plansById([id])[0]?.state;
  }

  /** Plans are stored in id order with no gaps, so an id is an index. */
  private plansById(ids: number[]): StoredPlan[] {
    return ids.map((id) => this.plans[id - 1]).filter((plan): plan is StoredPlan => plan !== undefined);
  }

  /** The planned text of a file (plans not written yet), or undefined if none touches it. */
  plannedContent(relPath: string): Content | undefined {
    return this.overlay.get(relPath);
  }

  /** The plan and every pending plan on the same files before (dir -1) or after (dir +1) it. */
  private related(id: number, dir: -1 | 1): number[] {
    const start = id - 1;
    if (this.plans[start]?.state !== 'pending') return [];
    const files = new Set(this.plans[start].touched);
    const ids = [id];
    for (let i = start + dir; i >= 0 && i < this.plans.length; i += dir) {
      const plan = this.plans[i];
      if (plan.state !== 'pending' || ![...plan.touched].some((file) => files.has(file))) continue;
      ids.push(plan.id);
      for (const file of plan.touched) files.add(file);
    }
    return ids;
  }

  private replay(states: PlanState[]): Map<string, Content> {
    const view = new Map<string, Content>();
    for (const plan of this.plans) {
      if (!states.includes(plan.state)) continue;
      for (const change of plan.changes) applyChange(view, change);
    }
    return view;
  }

  private async plan(event: FileEditInput): Promise<PlanResult> {
    const diff = typeof event.diff === 'string' ? event.diff : '';
    // Every new text comes from the diff: one NUL check here covers them all.
    if (isBinaryText(diff)) {
      return this.fail(diff, [{ kind: 'refused', sandboxPath: String(event.path ?? ''), reason: 'the diff carries binary content (NUL bytes)' }]);
    }
    const parsed = parseFileEdit(event);
    if (!parsed.ok) {
      return this.fail(diff, [{ kind: 'unreadable', sandboxPath: String(event.path ?? ''), reason: parsed.reason }]);
    }
    const local = new Map<string, Content>();
    const baseline = new Map<string, Content>();
    const read = async (relPath: string): Promise<Content> => {
      if (local.has(relPath)) return local.get(relPath)!;
      if (this.overlay.has(relPath)) return this.overlay.get(relPath)!;
      if (!baseline.has(relPath)) baseline.set(relPath, (await this.options.readFile(relPath)) ?? null);
      return baseline.get(relPath)!;
    };

    const changes: FileChange[] = [];
    const problems: FileProblem[] = [];
    for (const patch of parsed.patches) {
      const planned = await this.planPatch(patch, read);
      if ('problem' in planned) { problems.push(planned.problem); continue; }
      if (!planned.change) continue;
      changes.push(planned.change);
      applyChange(local, planned.change);
    }
    if (problems.length > 0) {
      // Every file the event names, in its order: the user sees all of what did not happen.
      const named = [...changes.flatMap((c) => (c.newRelPath ? [c.relPath, c.newRelPath] : [c.relPath])), ...problems.map((p) => p.relPath ?? p.sandboxPath)];
      const order = parsed.patches.map((p) => p.path);
      return { ...this.fail(diff, problems), paths: [...new Set(named)].sort((a, b) => rank(order, a) - rank(order, b)) };
    }

    const touched = new Set<string>();
    for (const change of changes) {
      for (const file of [change.relPath, change.newRelPath]) if (file !== undefined) touched.add(file);
    }
    for (const file of touched) this.pendingFiles.set(file, (this.pendingFiles.get(file) ?? 0) + 1);
    for (const change of changes) applyChange(this.overlay, change);
    const id = this.nextId++;
    this.plans.push({ id, changes, touched, state: 'pending' });
    return { ok: true, id, changes };
  }

  private async mapPath(sandboxPath: string): Promise<{ relPath: string } | { reason: string }> {
    const mapped = mapSandboxPath(sandboxPath, { sandboxRoot: this.options.sandboxRoot });
    if (!mapped.ok) return { reason: mapped.reason };
    if (this.options.checkPath) {
      const checked = await this.options.checkPath(mapped.relPath);
      if (!checked.ok) return { reason: checked.reason };
    }
    return { relPath: mapped.relPath };
  }

  private async planPatch(
    patch: FilePatch,
    read: (relPath: string) => Promise<Content>,
  ): Promise<{ change?: FileChange } | { problem: FileProblem }> {
    const problem = (kind: FailureKind, reason: string, extra: Partial<FileProblem> = {}) =>
      ({ problem: { kind, sandboxPath: patch.path, reason, ...extra } });
    const mapped = await this.mapPath(patch.path);
    if ('reason' in mapped) return problem('refused', mapped.reason);
    const relPath = mapped.relPath;
    if (patch.binary) return problem('refused', `${relPath}: binary patches are not applied`, { relPath });

    let current: Content;
    try {
      current = await read(relPath);
    } catch (error) {
      return problem('refused', readFailure(relPath, error), { relPath });
    }
    if (current !== null && isBinaryText(current)) return problem('refused', `${relPath} is a binary file`, { relPath });

    // A hunk-only diff that only adds lines to a missing file is a create in disguise.
    const kind = patch.kind === 'modify' && current === null && patch.hunks.length > 0 && patch.hunks.every((h) => h.oldLines === 0)
      ? 'create' : patch.kind;

    if (kind === 'create') {
      let after = patch.content;
      if (after === undefined) {
        const applied = applyHunks('', patch.hunks, { fuzzFactor: 0 });
        if (!applied.ok) return problem('unreadable', `${relPath}: new-file diff does not apply to an empty file: ${applied.reason}`, { relPath });
        after = applied.text;
      }
      if (current !== null) {
        if (current === after) return {};
        return problem('refused', `${relPath} already exists with other content`, { relPath, intendedAfter: after });
      }
      return { change: { relPath, kind: 'create', before: null, after } };
    }

    if (current === null) return problem('conflict', `${relPath} does not exist`, { relPath });

    let after = current;
    let note: string | undefined;
    if (patch.hunks.length > 0) {
      const applied = applyHunks(current, patch.hunks, { fuzzFactor: this.options.fuzzFactor ?? 0 });
      if (!applied.ok) {
        this.logger.debug(`patch conflict in ${relPath}: ${applied.reason}`);
        // The user changed the agent's lines: merge three-way; clean where the changes do not overlap.
        const merged = kind === 'modify' && this.options.merge !== false ? mergeIntoChanged(current, patch.hunks) : undefined;
        if (merged && merged.conflicts === 0) {
          return { change: { relPath, kind, before: current, after: merged.text, note: `merged with your changes in ${relPath}` } };
        }
        // Said for the user: where they and the agent changed the same lines (the hunk detail is in the log).
        const reason = merged
          ? `${relPath}: you changed lines that hunk ${applied.conflict.hunkIndex + 1} of the agent's diff changes too (${merged.conflicts} place${merged.conflicts === 1 ? '' : 's'}, near line ${merged.firstConflictLine ?? applied.conflict.line}); Merge… shows both`
          : `${relPath}: ${applied.reason}`;
        return problem('conflict', reason, {
          relPath, hunk: applied.conflict, intendedAfter: kind === 'delete' ? '' : bestEffortApply(current, patch.hunks),
          ...(merged ? { resolution: merged.text } : {}),
        });
      }
      after = applied.text;
      const moved = placementDrift(current, patch.hunks);
      if (moved > 0) note = `placed up to ${moved} line${moved === 1 ? '' : 's'} away from where the diff says (the file changed around it)`;
    }
    // No NUL in the current text nor in the diff (checked above), so none in the result.

    if (kind === 'delete') {
      // A delete diff lists the whole file: what is left must be nothing, or the file changed.
      if (patch.hunks.length > 0 && after !== '') {
        return problem('conflict', `${relPath} has content the delete diff does not list`, { relPath, intendedAfter: '' });
      }
      return { change: { relPath, kind: 'delete', before: current, after: null } };
    }

    if (kind === 'rename') {
      const target = await this.mapPath(patch.newPath ?? '');
      if ('reason' in target) return problem('refused', target.reason, { relPath });
      if (target.relPath !== relPath) {
        let existing: Content;
        try {
          existing = await read(target.relPath);
        } catch (error) {
          return problem('refused', readFailure(target.relPath, error), { relPath });
        }
        if (existing !== null) return problem('refused', `cannot rename ${relPath}: ${target.relPath} already exists`, { relPath });
      }
      return { change: { relPath, kind: 'rename', before: current, after, newRelPath: target.relPath } };
    }

    if (after === current) return {};
    return { change: { relPath, kind: 'modify', before: current, after, ...(note ? { note } : {}) } };
  }

  private fail(diff: string, problems: FileProblem[]): PlanFailure {
    const kind = problems.reduce<FailureKind>((worst, p) => (severity[p.kind] > severity[worst] ? p.kind : worst), 'conflict');
    const message = problems.map((p) => `${p.kind}: ${p.reason}`).join('; ');
    this.logger.info(`file_edit not planned (${kind}): ${message}`);
    return { ok: false, kind, message, problems, diff };
  }
}

function applyChange(view: Map<string, Content>, change: FileChange): void {
  if (change.kind === 'rename' && change.newRelPath !== undefined) {
    view.set(change.relPath, null);
    view.set(change.newRelPath, change.after);
  } else {
    view.set(change.relPath, change.after);
  }
}

/**
 * Why a path could not be read, for the user. The workspace throws errors named FileShapeError
 * (a folder where a file should be, a file where a folder should be) or NotTextError with a
 * complete sentence; anything else is a fault worth its own message.
 */
function readFailure(relPath: string, error: unknown): string {
  const err = error instanceof Error ? error : new Error(String(error));
  if (err.name === 'FileShapeError' || err.name === 'NotTextError') return err.message;
  return `${relPath} could not be read: ${err.message}`;
}

/** Where a workspace path's patch came in the event (paths the diff names end with the mapped path). */
function rank(order: string[], relPath: string): number {
  const index = order.findIndex((p) => p === relPath || p.endsWith(`/${relPath}`));
  return index < 0 ? order.length : index;
}
