import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { webviewCsp } from '../core/webviewCsp';

/** Only media/ may be loaded by a webview. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/**
 * The page shell shared by the chat view and the run panel: a strict Content-Security-Policy
 * (nothing but our own nonce-tagged script and media/ styles), and the settings the script needs
 * passed in an escaped data- attribute rather than an inline script.
 */
export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, data: Record<string, string>): string {
  const nonce = crypto.randomUUID().replace(/-/g, '');
  const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', file)).toString();
  const csp = webviewCsp(webview.cspSource, nonce);
  const dataAttributes = Object.entries(data)
    .map(([key, value]) => `data-${key}="${escapeAttribute(value)}"`)
    .join(' ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${media('webview.css')}">
  <title>RunTools</title>
</head>
<body ${dataAttributes}>
  <div id="app" role="main"></div>
  <script nonce="${nonce}" src="${media('webview.js')}"></script>
</body>
</html>`;
}

export function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
