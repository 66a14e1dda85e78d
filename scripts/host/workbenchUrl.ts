/**
 * The web workbench takes desktop VS Code's development options through a `payload` query
 * parameter: a JSON array of [key, value] pairs, with paths as vscode-remote URIs.
 */
export function workbenchUrl(serverUrl: string, folder: string, development?: { extensionPath: string; testsPath?: string }): string {
  const url = new URL(serverUrl);
  url.searchParams.set('folder', folder);
  if (development) {
    const remote = (fsPath: string) => `vscode-remote://${url.host}${fsPath}`;
    const payload: [string, string][] = [['extensionDevelopmentPath', remote(development.extensionPath)]];
    if (development.testsPath) payload.push(['extensionTestsPath', remote(development.testsPath)]);
    url.searchParams.set('payload', JSON.stringify(payload));
  }
  return url.toString();
}
