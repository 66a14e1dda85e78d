/**
 * runtools.keepChanges and runtools.undoChanges: review without the mouse, for keyboard users,
 * tasks, other extensions and tests. One optional argument `{ run?, path?, hunk? }`:
 * - run: the summary's `localId` or the server's run `id` (default: the latest run with edits);
 * - path: workspace-relative (default: every file of the run);
 * - hunk: 0-based index among that file's agent hunks in the run (default: all of them).
 * Without an argument: the change at the cursor. Keep writes a pending change and ends the
 * review of a written one; Undo reverts a written change, turns down a pending one and dismisses
 * one that did not apply. Both resolve once the files and every view are updated, with
 * `{ changed: [{ path, hunks, state }], skipped: [{ path, reason }] }`, `state` being what the
 * hunks are now: kept, undone or rejected.
 */
import * as vscode from 'vscode';
import { decidedMark, isNotApplied, isWritten, type HunkMark } from '../../core/edits';
import { changedFiles, fileHunks, type FileHunk } from '../../core/review/changedFiles';
import type { EditSession } from '../edits';
import { reportRevert } from '../edits';
import { changeAtLine } from '../review/reviewIndex';
import type { InlineReview } from '../review/inlineReview';
import type { HistoryEntry, RunHistory } from '../runs/runHistory';

export interface ReviewArgs { run?: string; path?: string; hunk?: number }

export interface ReviewResult {
  changed: { path: string; hunks: number[]; state: HunkMark }[];
  skipped: { path: string; reason: string }[];
}

type Action = 'keep' | 'undo';

export function keepChanges(history: RunHistory, inline: InlineReview, raw: unknown): Promise<ReviewResult> {
  return review(history, inline, raw, 'keep');
}

export function undoChanges(history: RunHistory, inline: InlineReview, raw: unknown): Promise<ReviewResult> {
  return review(history, inline, raw, 'undo');
}

async function review(history: RunHistory, inline: InlineReview, raw: unknown, action: Action): Promise<ReviewResult> {
  const result: ReviewResult = { changed: [], skipped: [] };
  const args = raw === undefined ? await atCursor(inline) : parseArgs(raw);
  if ('error' in args) {
    void vscode.window.showWarningMessage(`RunTools: ${args.error}`);
    return { ...result, skipped: [{ path: '', reason: args.error }] };
  }
  const entry = await findRun(history, args.run);
  if (!entry?.edits) {
    const reason = args.run ? `no run ${args.run} with edits in this window's history` : 'no run has edits to review';
    void vscode.window.showInformationMessage(`RunTools: ${reason}.`);
    return { ...result, skipped: [{ path: args.path ?? '', reason }] };
  }
  const session = entry.edits;
  if (args.path === undefined) await decideRun(session, action, result);
  else await decideFile(session, args.path, args.hunk, action, result);
  if (result.changed.length === 0 && result.skipped.length > 0) void vscode.window.showInformationMessage(`RunTools: nothing to ${action}: ${result.skipped[0]!.reason}.`);
  await history.save(entry.record.localId);
  return result;
}

/** The change under the cursor as arguments, or why there is none. */
async function atCursor(inline: InlineReview): Promise<ReviewArgs | { error: string }> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return { error: 'open a file with agent changes and put the cursor in one (or pass { run, path, hunk })' };
  const change = changeAtLine(await inline.changes(editor.document), editor.selection.active.line);
  if (!change) return { error: 'the cursor is not in one of the agent\'s changes waiting for a decision' };
  return { run: change.localId, path: change.path, hunk: change.index };
}

/** Keep all / Undo all of a run: each edit decided whole. */
async function decideRun(session: EditSession, action: Action, result: ReviewResult): Promise<void> {
  const before = new Map(session.records().map((r) => [r.seq, r.state]));
  const files = new Map(changedFiles(session.records()).map((f) => [f.path, f]));
  if (action === 'keep') {
    for (const record of session.records()) if (record.state === 'pending' || record.state === 'applied') await session.keep(record.seq);
  } else {
    const written = session.records().filter((r) => isWritten(r.state)).map((r) => r.seq);
    if (written.length > 0) reportRevert(session, await session.revert(written, { overwriteChanged: 'ask' }), 'Undo');
    for (const record of session.records()) if (record.state === 'pending' || isNotApplied(record.state)) await session.reject(record.seq);
  }
  // Each file's hunks once (a run may change thousands of files).
  const hunksByPath = new Map<string, FileHunk[]>();
  const hunksOf = (path: string) => hunksByPath.get(path) ?? hunksByPath.set(path, fileHunks(session.records(), path)).get(path)!;
  for (const record of session.records()) {
    for (const path of record.paths) {
      const moved = record.state !== before.get(record.seq);
      const state = decidedMark(record.state);
      if (moved && state) {
        const hunks = hunksOf(path).filter((h) => h.seq === record.seq).map((h) => h.index);
        result.changed.push({ path, hunks: hunks.length > 0 ? hunks : [0], state });
      } else if (files.get(path)?.open) {
        result.skipped.push({ path, reason: record.reason ?? `edit #${record.seq} is ${record.state}` });
      }
    }
  }
}

/** One file of a run: one hunk, or all of its hunks edit by edit; edits on it that did not apply are dismissed by Undo. */
async function decideFile(session: EditSession, path: string, hunk: number | undefined, action: Action, result: ReviewResult): Promise<void> {
  const hunks = fileHunks(session.records(), path);
  const problems = session.records().filter((r) => isNotApplied(r.state) && r.paths.includes(path));
  // Edits with no hunks of the file (a create, delete or rename) are one piece each.
  const pieces = session.records().filter((r) => r.paths.includes(path) && ['pending', 'applied', 'accepted'].includes(r.state) && !hunks.some((h) => h.seq === r.seq));
  if (hunks.length === 0 && problems.length === 0 && pieces.length === 0) {
    result.skipped.push({ path, reason: `the run has no change of ${path}` });
    return;
  }
  if (hunk !== undefined && !hunks[hunk]) {
    result.skipped.push({ path, reason: `${path} has ${hunks.length} change${hunks.length === 1 ? '' : 's'} in this run (hunk is 0-based)` });
    return;
  }
  const chosen = hunk !== undefined ? [hunks[hunk]!] : hunks;
  const bySeq = new Map<number, FileHunk[]>();
  for (const h of chosen) bySeq.set(h.seq, [...(bySeq.get(h.seq) ?? []), h]);
  if (hunk === undefined) for (const record of pieces) bySeq.set(record.seq, []);
  for (const [seq, list] of [...bySeq].sort((a, b) => b[0] - a[0])) {
    const outcome = await session.decideHunks(seq, path, action, list.length > 0 ? list.map((h) => h.local) : undefined, { overwriteChanged: 'ask' });
    const indexOf = (local: number) => list.find((h) => h.local === local)?.index ?? local;
    for (const changed of outcome.changed) result.changed.push({ path, hunks: changed.hunks.map(indexOf), state: changed.mark });
    for (const skipped of outcome.skipped) result.skipped.push({ path, reason: skipped.reason });
  }
  if (hunk === undefined) {
    for (const record of problems) {
      if (action === 'keep') {
        result.skipped.push({ path, reason: record.state === 'conflict' ? `edit #${record.seq} conflicts with your changes: merge it in the editor (runtools.resolveConflict)` : `edit #${record.seq} is ${record.state}: ${record.reason ?? 'nothing to keep'}` });
        continue;
      }
      await session.reject(record.seq);
      result.changed.push({ path, hunks: [], state: 'rejected' });
    }
  }
}

function parseArgs(raw: unknown): ReviewArgs | { error: string } {
  if (raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return { error: 'the argument must be an object { run?, path?, hunk? }' };
  const value = raw as Record<string, unknown>;
  const args: ReviewArgs = {};
  if (value.run !== undefined) {
    if (typeof value.run !== 'string' || !value.run) return { error: '`run` must be a run id' };
    args.run = value.run;
  }
  if (value.path !== undefined) {
    if (typeof value.path !== 'string' || !value.path) return { error: '`path` must be a workspace-relative path' };
    args.path = value.path.replace(/\\/g, '/').replace(/^\.?\//, '');
  }
  if (value.hunk !== undefined) {
    if (typeof value.hunk !== 'number' || !Number.isInteger(value.hunk) || value.hunk < 0) return { error: '`hunk` must be a 0-based index' };
    if (args.path === undefined) return { error: '`hunk` needs the `path` of its file' };
    args.hunk = value.hunk;
  }
  return args;
}

/** By local id or server run id; else the latest run that has edits. */
async function findRun(history: RunHistory, run: string | undefined): Promise<HistoryEntry | undefined> {
  if (run === undefined) return history.latest((e) => !!e.edits && e.edits.edits().length > 0);
  const byLocal = await history.get(run);
  if (byLocal) return byLocal;
  return history.latest((e) => e.record.header.serverRunId === run);
}
