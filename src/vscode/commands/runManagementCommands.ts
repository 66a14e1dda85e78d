import * as vscode from 'vscode';
import { openDevUrlOnRequest } from '../devUrl';
import { reviewEdits, undoRun, type OverwriteChoice } from '../edits';
import type { RunController } from '../runs/runController';
import type { HistoryEntry, RunHistory } from '../runs/runHistory';
import type { RunPanels } from '../views/runPanels';

/** `{ localId?, overwriteChanged? }`: commands act on the latest run unless told which. */
interface RunTargetArgs { localId?: string; overwriteChanged?: OverwriteChoice }

function targetArgs(value: unknown): RunTargetArgs {
  if (typeof value === 'string') return { localId: value };
  if (!value || typeof value !== 'object') return {};
  const raw = value as Record<string, unknown>;
  const choice = raw.overwriteChanged;
  return {
    localId: typeof raw.localId === 'string' ? raw.localId : undefined,
    overwriteChanged: choice === 'ask' || choice === 'overwrite' || choice === 'skip' ? choice : undefined,
  };
}

async function entryFor(history: RunHistory, args: RunTargetArgs, predicate: (e: HistoryEntry) => boolean, none: string): Promise<HistoryEntry | undefined> {
  const entry = args.localId ? await history.get(args.localId) : await history.latest(predicate);
  if (!entry) void vscode.window.showInformationMessage(`RunTools: ${none}`);
  return entry;
}

export async function cancelRun(controller: RunController): Promise<boolean> {
  const cancelled = await controller.cancelActive();
  if (!cancelled) void vscode.window.showInformationMessage('RunTools: no run is active.');
  return cancelled;
}

/** runtools.undoRun: reverts every file change of a run (the latest with edits by default). */
export async function undoRunCommand(history: RunHistory, rawArgs: unknown) {
  const args = targetArgs(rawArgs);
  const entry = await entryFor(history, args, (e) => !!e.edits && e.edits.summary().applied.length > 0, 'no run has edits to undo.');
  if (!entry) return undefined;
  if (!entry.edits) {
    void vscode.window.showWarningMessage('RunTools: this run\'s edits cannot be undone here: its workspace folder is not open, or the run was too large to keep its undo data across a reload (see the log).');
    return undefined;
  }
  if (entry.record.isActive) {
    void vscode.window.showWarningMessage('RunTools: this run is still going; cancel it or wait for it to finish, then undo it.');
    return undefined;
  }
  const result = await undoRun(entry.edits, { overwriteChanged: args.overwriteChanged ?? 'ask' });
  if (result.restored.length > 0) history.updateHeader(entry.record.localId, { undone: true });
  await history.save(entry.record.localId);
  return result;
}

/** runtools.reviewEdits: the list of a run's file changes, each with diff, accept and reject. */
export async function reviewEditsCommand(history: RunHistory, rawArgs: unknown): Promise<void> {
  const args = targetArgs(rawArgs);
  const entry = await entryFor(history, args, (e) => !!e.edits && e.edits.edits().length > 0, 'no run has file changes to review.');
  if (entry?.edits) await reviewEdits(entry.edits);
}

/** runtools.openDevUrl: opens the latest run's dev URL (or the given run's), as runtools.openDevUrl says. */
export async function openDevUrlCommand(history: RunHistory, rawArgs: unknown): Promise<boolean> {
  const args = targetArgs(rawArgs);
  const entry = await entryFor(history, args, (e) => !!e.record.header.devUrl, 'no run has reported a dev URL yet.');
  const url = entry?.record.header.devUrl;
  if (!url) return false;
  const result = await openDevUrlOnRequest(url);
  if (!result.opened && result.reason) void vscode.window.showWarningMessage(`RunTools: the dev URL was not opened: ${result.reason}.`);
  return result.opened;
}

export async function openRunInEditor(panels: RunPanels, history: RunHistory, rawArgs: unknown): Promise<boolean> {
  const args = targetArgs(rawArgs);
  const entry = await entryFor(history, args, () => true, 'there is no run to open yet.');
  return entry ? panels.open(entry.record.localId) : false;
}
