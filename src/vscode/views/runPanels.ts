import * as vscode from 'vscode';
import type { ViewMessage } from '../../core/viewProtocol';
import type { RunTargets } from '../runs/runTarget';
import { Disposable } from '../disposable';
import { Views } from '../ids';
import type { RunController } from '../runs/runController';
import type { RunHistory } from '../runs/runHistory';
import { renderWebviewHtml, webviewOptions } from '../webviewHtml';
import { isComposerMessage, type ViewActions } from './viewActions';
import { ViewConnection } from './viewConnection';
import { viewTarget } from './viewTarget';
import { runViewOf } from './runViews';

interface PanelState { localId: string }

/**
 * Run panels in the editor area ("Open Run in Editor"): one per run, brought to the front if it
 * is already open, and restored after a window reload from the run's history.
 */
export class RunPanels extends Disposable implements vscode.WebviewPanelSerializer<PanelState> {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly shown = this._register(new vscode.EventEmitter<string>());
  /** A run's panel came into sight. */
  public readonly onDidShow = this.shown.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly version: string,
    private readonly controller: RunController,
    private readonly history: RunHistory,
    private readonly targets: RunTargets,
    private readonly actions: ViewActions,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(vscode.window.registerWebviewPanelSerializer(Views.runPanel, this));
    // A run deleted from the history takes its panel with it.
    this._register(history.onDidRemoveRuns((ids) => {
      for (const id of ids) this.panels.get(id)?.dispose();
    }));
  }

  /** A panel of this run is visible in the editor area. */
  public isShowing(localId: string): boolean {
    return this.panels.get(localId)?.visible ?? false;
  }

  public async open(localId: string): Promise<boolean> {
    const existing = this.panels.get(localId);
    if (existing) {
      existing.reveal();
      return true;
    }
    const entry = await this.history.get(localId);
    if (!entry) return false;
    const panel = vscode.window.createWebviewPanel(Views.runPanel, panelTitle(entry.record.header.prompt), vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    this.attach(panel, localId);
    return true;
  }

  public async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PanelState | undefined): Promise<void> {
    const localId = state?.localId;
    const entry = localId ? await this.history.get(localId) : undefined;
    if (!localId || !entry) {
      panel.webview.html = '<!DOCTYPE html><html><body><p>This run is no longer in the RunTools history.</p></body></html>';
      return;
    }
    panel.webview.options = webviewOptions(this.extensionUri);
    this.attach(panel, localId);
  }

  private attach(panel: vscode.WebviewPanel, localId: string): void {
    this.panels.set(localId, panel);
    this.shown.fire(localId);
    panel.onDidChangeViewState(() => { if (panel.visible) this.shown.fire(localId); });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
    // The serializer gets `localId` back from the page's state after a reload.
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri, { view: 'panel', 'local-id': localId });
    const connection = new ViewConnection({
      webview: panel.webview,
      controller: this.controller,
      history: this.history,
      shows: (id) => id === localId,
      snapshot: async () => {
        const entry = await this.history.get(localId);
        return {
          viewKind: 'panel',
          version: this.version,
          runs: entry ? [runViewOf(entry)] : [],
          busy: this.controller.activeRun?.localId === localId,
          ...(await viewTarget(this.targets)),
        };
      },
      onMessage: async (message) => {
        if (message.type === 'submitPrompt' || message.type === 'newChat' || isComposerMessage(message)) return;
        const reply = await this.actions.handle(message);
        if (reply?.fullOutput) return { type: 'fullOutput' as const, ...reply.fullOutput };
        return;
      },
      onError: (error, message: ViewMessage) => {
        const text = error instanceof Error ? error.message : String(error);
        this.log.error(`[panel] ${message.type} failed: ${text}`);
        void vscode.window.showErrorMessage(`RunTools: ${text}`);
      },
      logger: this.log,
      name: 'panel',
    });
    panel.onDidDispose(() => {
      connection.dispose();
      this.panels.delete(localId);
    });
  }

  public override dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    this.panels.clear();
    super.dispose();
  }
}

function panelTitle(prompt: string): string {
  const line = prompt.replace(/\s+/g, ' ').trim();
  return `RunTools: ${line.length > 30 ? `${line.slice(0, 29)}…` : line || 'run'}`;
}
