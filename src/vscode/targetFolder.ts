import * as vscode from 'vscode';

/**
 * The workspace folder a run's edits go to: the one named by the caller, else the active
 * editor's, else the only one; in a multi-root window with no hint, the user picks (or, with
 * `ask: false`, none is chosen yet).
 */
export async function chooseTargetFolder(hint?: string): Promise<vscode.WorkspaceFolder | undefined> {
  const quick = pickTargetFolder({ ask: false, hint });
  if (quick) return quick;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which folder should the agent\'s edits go to?', ignoreFocusOut: true });
}

export function pickTargetFolder(options: { ask: false; hint?: string }): vscode.WorkspaceFolder | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (options.hint) {
    const byName = folders.find((f) => f.name === options.hint || f.uri.toString() === options.hint || f.uri.fsPath === options.hint);
    if (byName) return byName;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const ofActive = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  if (ofActive) return ofActive;
  return folders.length === 1 ? folders[0] : undefined;
}
