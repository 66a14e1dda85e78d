/**
 * The web workbench takes desktop VS Code's development options through a `payload` query
 * parameter: a JSON array of [key, value] pairs, with paths as vscode-remote URIs.
 */
export function workbenchUrl(serverUrl: string, folderOrWorkspace: string, development?: { extensionPath: string; testsPath?: string }): string {
  const url = new URL(serverUrl);
  // A .code-workspace file opens as a (multi-root) workspace, anything else as a folder.
  url.searchParams.set(folderOrWorkspace.endsWith('.code-workspace') ? 'workspace' : 'folder', folderOrWorkspace);
  if (development) {
    const remote = (fsPath: string) => `vscode-remote://${url.host}${fsPath}`;
    const payload: [string, string][] = [['extensionDevelopmentPath', remote(development.extensionPath)]];
    if (development.testsPath) payload.push(['extensionTestsPath', remote(development.testsPath)]);
    url.searchParams.set('payload', JSON.stringify(payload));
  }
  return url.toString();
}
