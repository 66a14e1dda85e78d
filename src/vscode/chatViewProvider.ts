import * as vscode from 'vscode';
import { type HostMessage, type ViewMessage } from '../core/viewProtocol';
import { Disposable } from './disposable';
import { Views } from './ids';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';

/** The sidebar chat view. It renders whatever the host says; the host owns all state. */
export class ChatViewProvider extends Disposable implements vscode.WebviewViewProvider {
  public static readonly viewId = Views.chat;
  private view: vscode.WebviewView | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly version: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
  }

  public resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = renderWebviewHtml(view.webview, this.extensionUri, { view: 'chat' });
    this._register(view.webview.onDidReceiveMessage((message: ViewMessage) => this.onMessage(message)));
    this._register(view.onDidDispose(() => { this.view = undefined; }));
  }

  private onMessage(message: ViewMessage): void {
    switch (message.type) {
      case 'ready':
        this.post({
          type: 'reset',
          snapshot: { viewKind: 'chat', version: this.version, runs: [], busy: false, auth: 'none', target: { origin: '', apiSlug: '' } },
        });
        return;
      case 'submitPrompt':
        this.log.info(`[chat] prompt submitted (${message.text.length} chars)`);
        return;
      default:
        this.log.warn(`[chat] message not handled yet: ${message.type}`);
    }
  }

  private post(message: HostMessage): void {
    if (!this.view || this.isDisposed) return;
    void this.view.webview.postMessage(message);
  }
}
