import * as vscode from 'vscode';
import { Disposable } from './disposable';
import { Commands } from './ids';
import type { RunController } from './runs/runController';
import { editsLine } from './runs/runResult';

/** Idle, running (with a spinner; click to see it), or the last result until the user has seen it. */
export class RunStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('runtools.status', vscode.StatusBarAlignment.Left, 50));
  private unseen: string | undefined;

  constructor(controller: RunController, isShowing: (localId: string) => boolean) {
    super();
    this.item.name = 'RunTools';
    this.idle();
    this.item.show();
    this._register(controller.onDidStartRun((record) => {
      this.item.text = '$(sync~spin) RunTools';
      this.item.tooltip = `Running: ${record.header.prompt.slice(0, 200)}\nClick to open the chat view.`;
      this.item.command = Commands.openChat;
      this.item.backgroundColor = undefined;
    }));
    this._register(controller.onDidEndRun(({ record, summary }) => {
      if (isShowing(record.localId) && vscode.window.state.focused) {
        this.idle();
        return;
      }
      this.unseen = record.localId;
      const icon = summary.status === 'completed' ? '$(check)' : summary.status === 'cancelled' ? '$(circle-slash)' : '$(error)';
      const edits = editsLine(summary);
      const problems = summary.conflicts.length + summary.refused.length + (summary.failed?.length ?? 0);
      this.item.text = `${icon} RunTools`;
      this.item.tooltip = `Last run ${summary.status}${edits ? `: ${edits}` : ''}.\nClick to open the chat view.`;
      this.item.backgroundColor = summary.status === 'failed' || problems > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    }));
  }

  /** A run is on screen: its result, if it was the one waiting to be seen, no longer needs the status bar. */
  public seen(localId?: string): void {
    if (this.unseen === undefined || (localId !== undefined && localId !== this.unseen)) return;
    this.unseen = undefined;
    this.idle();
  }

  private idle(): void {
    this.item.backgroundColor = undefined;
    this.item.text = '$(hubot) RunTools';
    this.item.tooltip = 'RunTools: run a remote coding agent. Click to open the chat view.';
    this.item.command = Commands.openChat;
  }
}
