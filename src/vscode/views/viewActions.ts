import * as vscode from 'vscode';
import type { ViewMessage } from '../../core/viewProtocol';
import { openDevUrl } from '../devUrl';
import { rejectEdit, reviewEdits } from '../edits';
import { Commands } from '../ids';
import type { RunController } from '../runs/runController';
import type { RunHistory } from '../runs/runHistory';

type SharedMessage = Exclude<ViewMessage, { type: 'ready' } | { type: 'submitPrompt' } | { type: 'newChat' }>;

/**
 * What a button in either webview does. The chat view and the run panel share these; only the
 * composer's messages (submitPrompt, newChat) belong to the chat view.
 * Returns text to post back for `showFullOutput`.
 */
export class ViewActions {
  constructor(private readonly controller: RunController, private readonly history: RunHistory) {}

  public async handle(message: SharedMessage): Promise<{ fullOutput?: { localId: string; seq: number; text: string } } | void> {
    switch (message.type) {
      case 'cancelRun':
        if (this.controller.activeRun?.localId === message.localId) await this.controller.cancelActive();
        return;
      case 'openInEditor':
        await vscode.commands.executeCommand(Commands.openRunInEditor, message.localId);
        return;
      case 'openDiff': {
        const entry = await this.history.get(message.localId);
        if (!entry?.edits) return void vscode.window.showWarningMessage('RunTools: this run\'s edits are no longer available (the run left the history, or its folder is not open).');
        await entry.edits.openDiff(message.seq, message.path);
        return;
      }
      case 'openFile': {
        const entry = await this.history.get(message.localId);
        if (entry?.edits) await entry.edits.openFile(message.path);
        return;
      }
      case 'acceptEdit':
      case 'rejectEdit': {
        const entry = await this.history.get(message.localId);
        if (!entry?.edits) return;
        if (message.type === 'acceptEdit') await entry.edits.accept(message.seq);
        else await rejectEdit(entry.edits, message.seq);
        return;
      }
      case 'undoRun':
        await vscode.commands.executeCommand(Commands.undoRun, { localId: message.localId });
        return;
      case 'reviewEdits': {
        const entry = await this.history.get(message.localId);
        if (entry?.edits) await reviewEdits(entry.edits);
        return;
      }
      case 'openDevUrl': {
        const result = await openDevUrl(message.url, 'simpleBrowser');
        if (!result.opened && result.reason) void vscode.window.showWarningMessage(`RunTools: the dev URL was not opened: ${result.reason}.`);
        return;
      }
      case 'showFullOutput': {
        const entry = await this.history.get(message.localId);
        const text = entry?.record.fullText(message.seq);
        if (text === undefined) return;
        return { fullOutput: { localId: message.localId, seq: message.seq, text } };
      }
      case 'runCommand':
        await vscode.commands.executeCommand(message.command);
        return;
      default: {
        const unexpected: never = message;
        throw new Error(`unknown view message ${JSON.stringify(unexpected)}`);
      }
    }
  }
}
