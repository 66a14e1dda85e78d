/**
 * Planning a revert: which texts put the workspace back to before some written edits, without
 * losing what the user typed since. The one undo of the extension: Undo Run reverts all of a
 * run's written edits, Reject of an applied edit reverts one; both come here.
 *
 * Edits are taken back newest first over a symbolic copy of the files they touched, each the way
 * `git revert` would: a modified file gets the edit's reverse hunks (so the user's changes
 * elsewhere in the file stay), a created file is deleted only while it still holds what the edit
 * wrote, a deleted file comes back only where nothing is now. A step that does not fit blocks its
 * paths: older edits on them cannot be taken back either. A blocked path can still be restored to
 * its text before the run (the caller asks first and keeps a backup), but only when every written
 * edit of the run on it is being reverted, since only then is that text the right answer.
 */
import { structuredPatch } from 'diff';
import { applyHunks } from '../patch';
import type { FileChange } from '../patch';
import type { EditRecord, ReverseHunk, WrittenChange } from './editRecord';
import { sameText, textHash } from './texts';

/** Per path: the text before the run first wrote it, and a hash of what the run last left there. */
export interface LedgerEntry {
  original: string | null;
  writtenHash: string | null;
}

export interface BlockedPath {
  path: string;
  reason: string;
  /** What the user has there now (null: no file). */
  current: string | null;
  /** The text before the run, when restoring it is the right answer (see the file comment). */
  original?: string | null;
}

export interface RevertPlan {
  /** Writes that take back the edits: `before` is the text read now, `after` the text to restore. */
  changes: FileChange[];
  blocked: BlockedPath[];
  /** Paths already as they should be (nothing to write). */
  unchanged: string[];
}

export interface RevertInput {
  /** The edits to take back, in any order (taken newest first). */
  targets: readonly EditRecord[];
  /** Every edit of the run that is written now (applied or accepted). */
  written: readonly EditRecord[];
  ledger: ReadonlyMap<string, LedgerEntry>;
  /** The current text (null: no file); throws with a user-facing reason when the path cannot be read. */
  read(relPath: string): Promise<string | null>;
}

export async function planRevert(input: RevertInput): Promise<RevertPlan> {
  const state = new Map<string, string | null>();
  const now = new Map<string, string | null>();
  const blocked = new Map<string, string>();
  const unreadable = new Map<string, string>();
  const read = async (path: string): Promise<string | null> => {
    if (state.has(path)) return state.get(path)!;
    try {
      const text = await input.read(path);
      now.set(path, text);
      state.set(path, text);
      return text;
    } catch (error) {
      unreadable.set(path, (error as Error).message);
      blocked.set(path, (error as Error).message);
      now.set(path, null);
      state.set(path, null);
      return null;
    }
  };

  const targets = [...input.targets].sort((a, b) => b.seq - a.seq);
  const targetSeqsEarly = new Set(input.targets.map((r) => r.seq));
  for (const record of targets) {
    for (const change of [...record.written].reverse()) {
      const paths = pathsOf(change);
      const texts = await Promise.all(paths.map(read));
      // A file created, deleted or renamed by this edit and touched by a later written one: taking
      // this one back alone would leave the later one standing on nothing (its revert data
      // assumes this edit), so it waits for the later one.
      const later = input.written.find((r) => r.seq > record.seq && !targetSeqsEarly.has(r.seq)
        && r.written.some((c) => pathsOf(c).some((p) => paths.includes(p)) && (c.kind !== 'modify' || change.kind !== 'modify')));
      if (later) {
        for (const p of paths) if (!blocked.has(p)) blocked.set(p, `edit #${later.seq} changed ${p} after this one: revert that one too, or use Undo Run`);
        continue;
      }
      const stuck = paths.find((p) => blocked.has(p));
      if (stuck !== undefined) {
        for (const p of paths) if (!blocked.has(p)) blocked.set(p, `a later edit on ${stuck} could not be taken back`);
        continue;
      }
      const result = revertChange(change, texts[0]!, texts[1] ?? null);
      if ('reason' in result) {
        for (const p of paths) blocked.set(p, result.reason);
        continue;
      }
      state.set(change.relPath, result.old);
      if (change.newRelPath !== undefined) state.set(change.newRelPath, result.renamed ?? null);
    }
  }

  const targetSeqs = new Set(input.targets.map((r) => r.seq));
  const plan: RevertPlan = { changes: [], blocked: [], unchanged: [] };
  for (const [path, text] of state) {
    const current = now.get(path) ?? null;
    const reason = blocked.get(path);
    if (reason !== undefined) {
      const everyWriteReverted = input.written.every((r) => targetSeqs.has(r.seq) || !r.written.some((c) => pathsOf(c).includes(path)));
      const entry = input.ledger.get(path);
      const fallback = !unreadable.has(path) && everyWriteReverted && entry !== undefined;
      plan.blocked.push(fallback ? { path, reason, current, original: entry.original } : { path, reason, current });
      continue;
    }
    if (sameText(current, text)) plan.unchanged.push(path);
    else plan.changes.push(restoreChange(path, current, text));
  }
  return plan;
}

/** The change that makes `path` hold `after`, from what it holds now. */
export function restoreChange(relPath: string, before: string | null, after: string | null): FileChange {
  const kind = after === null ? 'delete' : before === null ? 'create' : 'modify';
  return { relPath, kind, before, after };
}

function pathsOf(change: WrittenChange): string[] {
  return change.newRelPath !== undefined ? [change.relPath, change.newRelPath] : [change.relPath];
}

type Reverted = { old: string | null; renamed?: string | null } | { reason: string };

/** Takes one written change back, given what its path(s) hold now. */
function revertChange(change: WrittenChange, current: string | null, renamedCurrent: string | null): Reverted {
  const path = change.relPath;
  switch (change.kind) {
    case 'create':
      if (current === null) return { old: null };
      return matchesAfter(change, current) ? { old: null } : { reason: `you changed ${path} since the agent created it` };
    case 'delete':
      if (current !== null) return { reason: `${path} exists again` };
      if (change.before == null) return { reason: `the text of ${path} before it was deleted was not kept` };
      return { old: change.before };
    case 'modify': {
      if (current === null) return { reason: `${path} no longer exists` };
      const old = reverseText(change, current);
      return old === undefined ? { reason: `you changed the lines of ${path} that the edit wrote` } : { old };
    }
    case 'rename': {
      const target = change.newRelPath!;
      if (current !== null) return { reason: `${path} exists again` };
      if (renamedCurrent === null) return { reason: `${target} no longer exists` };
      const old = reverseText(change, renamedCurrent);
      return old === undefined ? { reason: `you changed the lines of ${target} that the edit wrote` } : { old, renamed: null };
    }
  }
}

function matchesAfter(change: WrittenChange, text: string): boolean {
  return change.after !== undefined ? sameText(text, change.after) : textHash(text) === change.afterHash;
}

/** The text before a modification, from the text now: exact when untouched, else by reverse hunks. */
function reverseText(change: WrittenChange, current: string): string | undefined {
  if (matchesAfter(change, current) && change.before != null) return change.before;
  const hunks = reverseHunks(change);
  if (hunks === undefined) return matchesAfter(change, current) ? current : undefined;
  if (hunks.length === 0) return current;
  const applied = applyHunks(current, hunks.map((h) => ({ ...h })));
  if (applied.ok) return applied.text;
  if (hunks.length === 1) return undefined;
  // Hunks booked at different times (some kept or undone on their own) are not in one order:
  // one at a time from the bottom, so each finds its lines where the ones below left them.
  let text = current;
  for (const hunk of [...hunks].sort((a, b) => b.oldStart - a.oldStart)) {
    const one = applyHunks(text, [{ ...hunk }]);
    if (!one.ok) return undefined;
    text = one.text;
  }
  return text;
}

/** Hunks from `after` back to `before`: kept ones, or computed from the texts while they are in memory. */
export function reverseHunks(change: WrittenChange): ReverseHunk[] | undefined {
  if (change.reverse) return change.reverse;
  if (change.before == null || change.after == null) return undefined;
  return structuredPatch('after', 'before', change.after, change.before, '', '', { context: 3 }).hunks
    .map(({ oldStart, oldLines, newStart, newLines, lines }) => ({ oldStart, oldLines, newStart, newLines, lines }));
}
