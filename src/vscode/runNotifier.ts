/**
 * Says when a run has ended where the user could not see it: its view hidden, or the window not
 * focused (a long run finishing while the user works elsewhere). The notification says how it
 * ended, with Show Run and, when edits wait for review, Review Edits. The status bar keeps the
 * result until the run has been seen.
 */
import * as vscode from 'vscode';
import { Disposable } from './disposable';
import { Commands } from './ids';
import type { RunController } from './runs/runController';
import type { RunRecord } from './runs/runRecord';
import { editsLine } from './runs/runResult';
import type { RunSummary } from './runs/runSummary';
import { shorten } from './runs/runProgress';

export interface RunVisibility {
  /** Is this run on screen (the chat view showing its conversation, or its run panel)? */
  isShowing(localId: string): boolean;
}

const statusWords: Record<RunSummary['status'], string> = { completed: 'finished', failed: 'failed', cancelled: 'was cancelled', interrupted: 'was interrupted' };

export class RunNotifier extends Disposable {
  constructor(controller: RunController, private readonly visibility: RunVisibility) {
    super();
    this._register(controller.onDidEndRun(({ record, summary }) => void this.ended(record, summary)));
  }

  private async ended(record: RunRecord, summary: RunSummary): Promise<void> {
    const seen = vscode.window.state.focused && this.visibility.isShowing(record.localId);
    if (seen || summary.error?.code === 'run_active') return;
    const edits = editsLine(summary);
    const message = `RunTools: "${shorten(record.header.prompt, 50)}" ${statusWords[summary.status]}${edits ? `: ${edits}` : ''}.`;
    const actions = ['Show Run', ...(summary.pending?.length ? ['Review Edits'] : [])];
    const show = summary.status === 'completed' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    const answer = await show(message, ...actions);
    if (answer === 'Show Run') await vscode.commands.executeCommand(Commands.openRunInEditor, record.localId);
    if (answer === 'Review Edits') await vscode.commands.executeCommand(Commands.reviewEdits, { localId: record.localId });
  }
}
