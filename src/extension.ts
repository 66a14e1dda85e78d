import * as vscode from 'vscode';
import { ChatViewProvider } from './vscode/chatViewProvider';
import { Commands, Views } from './vscode/ids';

/** Composition root: build the long-lived objects, register them, stop. */
export function activate(context: vscode.ExtensionContext) {
  const log = vscode.window.createOutputChannel('RunTools', { log: true });
  context.subscriptions.push(log);
  const version = String(context.extension.packageJSON.version ?? '');
  log.info(`RunTools ${version} activated in VS Code ${vscode.version}`);

  const chat = new ChatViewProvider(context.extensionUri, version, log);
  context.subscriptions.push(
    chat,
    vscode.window.registerWebviewViewProvider(Views.chat, chat),
    vscode.commands.registerCommand(Commands.openChat, () => vscode.commands.executeCommand(`${Views.chat}.focus`)),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
  );
}

export function deactivate(): void {}
