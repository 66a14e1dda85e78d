import * as vscode from 'vscode';
import type { RunView, ViewMessage } from '../../core/viewProtocol';
import type { RunTargets } from '../runs/runTarget';
import { Disposable } from '../disposable';
import { Views } from '../ids';
import type { RunController } from '../runs/runController';
import type { RunHistory } from '../runs/runHistory';
import type { RunSummary } from '../runs/runSummary';
import { renderWebviewHtml, webviewOptions } from '../webviewHtml';
import type { ChatSession } from './chatSession';
import type { ComposerActions } from './composerActions';
import { isComposerMessage, type ViewActions } from './viewActions';
import { ViewConnection, type Received } from './viewConnection';
import { viewTarget } from './viewTarget';
import { runViewOf } from './runViews';

/** Starts a chat run: the composer's prompt, with the conversation so far. */
export type SubmitPrompt = (text: string) => Promise<RunSummary>;

/** The sidebar chat view. It shows the conversation's runs; the host owns all their state. */
export class ChatViewProvider extends Disposable implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private connection: ViewConnection | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly version: string,
    private readonly controller: RunController,
    private readonly history: RunHistory,
    private readonly chat: ChatSession,
    private readonly targets: RunTargets,
    private readonly actions: ViewActions,
    private readonly submitPrompt: SubmitPrompt,
    private readonly log: vscode.LogOutputChannel,
    private readonly composer: ComposerActions,
  ) {
    super();
    this._register(targets.onDidChange(() => void this.connection?.reset()));
    // The chips change in place; a new agent changes where runs go, which the whole view shows.
    this._register(composer.onDidChangeContext(() => void this.postComposer()));
    this._register(composer.onDidChangeAgent(() => void this.connection?.reset()));
    // Runs deleted from the history leave the conversation and the view.
    this._register(history.onDidRemoveRuns((ids) => {
      if (!ids.some((id) => this.chat.includes(id))) return;
      this.chat.drop(ids);
      void this.connection?.reset();
    }));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('runtools')) void this.connection?.reset();
    }));
  }

  /** The chat view came into sight (the runs of its conversation are seen). */
  private readonly shown = this._register(new vscode.EventEmitter<void>());
  public readonly onDidShow = this.shown.event;

  public resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.shown.fire();
    view.onDidChangeVisibility(() => { if (view.visible) this.shown.fire(); });
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = renderWebviewHtml(view.webview, this.extensionUri, { view: 'chat' });
    this.connection?.dispose();
    const connection = new ViewConnection({
      webview: view.webview,
      controller: this.controller,
      history: this.history,
      shows: (localId) => this.chat.includes(localId),
      snapshot: async () => {
        const composer = await this.composer.state();
        const target = await viewTarget(this.targets);
        return {
          viewKind: 'chat',
          version: this.version,
          runs: await this.runs(),
          busy: this.controller.activeRun !== undefined,
          ...target,
          // The agent runs go to is the picked one, when there is a pick.
          target: { ...target.target, apiSlug: composer.agent.apiSlug },
          composer,
        };
      },
      onMessage: (message) => this.onMessage(message),
      onError: (error, message) => this.reportError(error, message),
      logger: this.log,
      name: 'chat',
    });
    this.connection = connection;
    view.onDidDispose(() => {
      connection.dispose();
      if (this.connection === connection) this.connection = undefined;
      this.view = undefined;
    });
  }

  /** Shows the view without taking focus from the editor (a palette run streams into it). */
  public async reveal(): Promise<void> {
    if (this.view) {
      this.view.show(true);
      return;
    }
    const editor = vscode.window.activeTextEditor;
    await vscode.commands.executeCommand(`${Views.chat}.focus`);
    if (editor) await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
  }

  /** Empties the conversation (the runs stay in the history). */
  public async newChat(): Promise<void> {
    this.chat.clear();
    await this.connection?.reset();
  }

  private async postComposer(): Promise<void> {
    this.connection?.notify({ type: 'composerUpdated', composer: await this.composer.state() });
  }

  /** Test hooks only: a message as if the chat view's page had posted it (checked like any other). */
  public async receiveAsIfPosted(raw: unknown): Promise<Received> {
    return this.connection ? this.connection.receive(raw) : { handled: false, reason: 'the chat view is not open' };
  }

  /** The chat view is on screen and its conversation holds this run. */
  public isShowing(localId: string): boolean {
    return this.isVisible && this.chat.includes(localId);
  }

  public get isVisible(): boolean {
    return this.view?.visible ?? false;
  }

  private async onMessage(message: Exclude<ViewMessage, { type: 'ready' }>) {
    switch (message.type) {
      case 'submitPrompt': {
        const text = message.text;
        if (!text.trim()) return;
        if (this.controller.isBusy) {
          this.controller.refuseBusy();
          return { type: 'promptRefused' as const, text, reason: 'A run is active: your prompt is back in the box. Send it once the run has ended.' };
        }
        void this.submitPrompt(text).then((summary) => {
          // Refused before it started (no key, no agent...): the prompt goes back to the composer.
          if (!summary.localId && summary.error) this.connection?.notify({ type: 'promptRefused', text, reason: summary.error.message });
        });
        return;
      }
      case 'newChat':
        await this.newChat();
        return;
      default: {
        if (isComposerMessage(message)) return this.composer.handle(message);
        const reply = await this.actions.handle(message);
        if (reply?.fullOutput) return { type: 'fullOutput' as const, ...reply.fullOutput };
        return;
      }
    }
  }

  private async runs(): Promise<RunView[]> {
    const runs: RunView[] = [];
    for (const id of this.chat.ids) {
      const entry = await this.history.get(id);
      if (entry) runs.push(runViewOf(entry));
    }
    return runs;
  }

  private reportError(error: unknown, message: ViewMessage): void {
    const text = error instanceof Error ? error.message : String(error);
    this.log.error(`[chat] ${message.type} failed: ${text}`);
    void vscode.window.showErrorMessage(`RunTools: ${text}`);
  }
}

export const CHAT_VIEW_ID = Views.chat;
