/**
 * Review in the editor, wired: the inline changes with their CodeLenses, the review commands
 * (keep, undo, next and previous change, merge a conflict) and the conflict merges they open.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { keepChanges, undoChanges } from '../commands/reviewCommands';
import { Commands } from '../ids';
import type { HistoryEntry, RunHistory } from '../runs/runHistory';
import { goToChange } from './changeNavigation';
import { ConflictMerges, type MergeOpened } from './conflictMerges';
import { InlineReview } from './inlineReview';
import { ReviewIndex } from './reviewIndex';

export function registerReview(history: RunHistory, logger: Logger): vscode.Disposable[] {
  const index = new ReviewIndex(history);
  const inline = new InlineReview(index, history);
  const merges = new ConflictMerges(logger);
  return [
    inline,
    merges,
    vscode.commands.registerCommand(Commands.keepChanges, (args?: unknown) => keepChanges(history, inline, args)),
    vscode.commands.registerCommand(Commands.undoChanges, (args?: unknown) => undoChanges(history, inline, args)),
    vscode.commands.registerCommand(Commands.nextChange, () => goToChange(index, inline, 1)),
    vscode.commands.registerCommand(Commands.previousChange, () => goToChange(index, inline, -1)),
    vscode.commands.registerCommand(Commands.resolveConflict, (args?: unknown) => resolveConflict(history, merges, args)),
    vscode.commands.registerCommand(Commands.applyMerge, (uri?: unknown) => merges.applyMerge(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand(Commands.discardMerge, (uri?: unknown) => merges.discardMerge(uri instanceof vscode.Uri ? uri : undefined)),
  ];
}

/**
 * runtools.resolveConflict `{ run?, path?, seq? }`: the merge of a conflicting edit in the editor
 * (default: the latest run's first conflict, or the active file's).
 */
async function resolveConflict(history: RunHistory, merges: ConflictMerges, raw: unknown): Promise<MergeOpened> {
  const args = raw && typeof raw === 'object' ? raw as Record<string, unknown> : {};
  const run = typeof args.run === 'string' ? args.run : undefined;
  const seq = typeof args.seq === 'number' ? args.seq : undefined;
  const hasConflict = (e: HistoryEntry) => !!e.edits?.records().some((r) => r.state === 'conflict');
  const entry = run ? (await history.get(run)) ?? await history.latest((e) => e.record.header.serverRunId === run) : await history.latest(hasConflict);
  const session = entry?.edits;
  const activePath = vscode.window.activeTextEditor ? session?.relativePath(vscode.window.activeTextEditor.document.uri) : undefined;
  const path = typeof args.path === 'string' ? args.path : undefined;
  const conflicts = session?.records().filter((r) => r.state === 'conflict' && (seq === undefined || r.seq === seq)) ?? [];
  // The path asked for; else the active file's conflict; else the run's first.
  const wanted = path ?? activePath;
  const record = (wanted !== undefined ? conflicts.find((r) => r.paths.includes(wanted)) : undefined) ?? (path === undefined ? conflicts[0] : undefined);
  if (!entry || !session || !record) {
    const reason = 'no edit of the recent runs conflicts with your changes';
    void vscode.window.showInformationMessage(`RunTools: ${reason}.`);
    return { opened: false, reason };
  }
  const target = wanted !== undefined && record.paths.includes(wanted) ? wanted : record.paths[0]!;
  const opened = await merges.openMerge({ session, localId: entry.record.localId, seq: record.seq, path: target });
  if (!opened.opened && opened.reason) void vscode.window.showWarningMessage(`RunTools: the merge was not opened: ${opened.reason}.`);
  return opened;
}
