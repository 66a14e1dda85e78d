/**
 * runtools.keepChanges and runtools.undoChanges: review without the mouse, for keyboard users,
 * tasks, other extensions and tests. One optional argument `{ run?, path?, hunk? }`:
 * - run: the summary's `localId` or the server's run `id` (default: the latest run with edits);
 * - path: workspace-relative (default: every file of the run; without any argument, the file in
 *   the active editor when it belongs to the run);
 * - hunk: 0-based index among the file's agent hunks (default: all of them).
 * Keep writes pending changes; Undo reverts written ones, rejects pending ones and dismisses those
 * that did not apply. Both resolve once the files and every view are updated.
 */
import * as vscode from 'vscode';
import { EDIT_STATE_LABELS, isWritten, type EditState } from '../../core/edits';
import type { EditSession } from '../edits';
import { reportRevert } from '../edits';
import type { HistoryEntry, RunHistory } from '../runs/runHistory';

export interface ReviewArgs { run?: string; path?: string; hunk?: number }

export interface ReviewResult {
  changed: { path: string; hunks: number[]; state: EditState }[];
  skipped: { path: string; reason: string }[];
}

export async function keepChanges(history: RunHistory, raw: unknown): Promise<ReviewResult> {
  return review(history, raw, 'keep');
}

export async function undoChanges(history: RunHistory, raw: unknown): Promise<ReviewResult> {
  return review(history, raw, 'undo');
}

async function review(history: RunHistory, raw: unknown, action: 'keep' | 'undo'): Promise<ReviewResult> {
  const args = parseArgs(raw);
  const result: ReviewResult = { changed: [], skipped: [] };
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
  const path = args.path ?? (raw === undefined ? activePath(session) : undefined);
  const records = session.engine.book.all().filter((r) => path === undefined || r.paths.includes(path));
  if (records.length === 0) return { ...result, skipped: [{ path: path ?? '', reason: `run ${entry.record.localId} has no edit of ${path ?? 'any file'}` }] };
  if (args.hunk !== undefined) {
    return { ...result, skipped: records.flatMap((r) => r.paths.map((p) => ({ path: p, reason: 'hunk-level review is not available for this edit' }))) };
  }

  const before = new Map(records.map((r) => [r.seq, r.state]));
  if (action === 'keep') {
    await session.acceptMany(records.filter((r) => r.state === 'pending').map((r) => r.seq));
  } else {
    const written = records.filter((r) => isWritten(r.state)).map((r) => r.seq);
    if (written.length > 0) reportRevert(session, await session.revert(written), 'Undo');
    for (const record of records) if (record.state === 'pending' || notApplied(record.state)) await session.reject(record.seq);
  }
  for (const record of records) {
    const was = before.get(record.seq)!;
    const paths = path ? [path] : record.paths;
    if (record.state !== was) for (const p of paths) result.changed.push({ path: p, hunks: [], state: record.state });
    else for (const p of paths) result.skipped.push({ path: p, reason: record.reason ?? `edit #${record.seq} is ${EDIT_STATE_LABELS[record.state].toLowerCase()}` });
  }
  return result;
}

function notApplied(state: EditState): boolean {
  return state === 'conflict' || state === 'refused' || state === 'unreadable' || state === 'failed';
}

function parseArgs(raw: unknown): ReviewArgs | { error: string } {
  if (raw === undefined || raw === null) return {};
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

/** The active editor's file, relative to the session's folder, when it is in it. */
function activePath(session: EditSession): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== session.folder.uri.scheme) return undefined;
  const root = session.folder.uri.path.replace(/\/+$/, '');
  return uri.path.startsWith(`${root}/`) ? uri.path.slice(root.length + 1) : undefined;
}
