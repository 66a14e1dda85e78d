/**
 * The questions "Add Context" asks when it is not told what to add: which kind, which workspace
 * file, which file's problems. Each resolves undefined when the user dismisses it.
 */
import * as vscode from 'vscode';
import type { ContextKind } from '../../core/context/contextItems';
import { currentEditor, filesWithProblems, workspacePath } from './contextSources';

const KINDS: (vscode.QuickPickItem & { contextKind: ContextKind })[] = [
  { contextKind: 'selection', label: '$(selection) Selection', description: 'the code selected in the editor' },
  { contextKind: 'file', label: '$(file) Active File', description: 'the whole file in the editor' },
  { contextKind: 'openEditors', label: '$(files) Open Editors', description: 'the list of files open in editors' },
  { contextKind: 'file', label: '$(search) File from Workspace...', description: 'pick any file' },
  { contextKind: 'problems', label: '$(warning) Problems of a File...', description: 'errors and warnings from the Problems panel' },
];

/** Which kind to add; `pick` is set for "File from Workspace..." (the user picks the file next). */
export async function pickContextKind(): Promise<{ kind: ContextKind; pick: boolean } | undefined> {
  const picked = await vscode.window.showQuickPick(KINDS, { title: 'RunTools: Add Context to the Prompt', placeHolder: 'What should the agent see with your prompt?' });
  if (!picked) return undefined;
  return { kind: picked.contextKind, pick: picked === KINDS[3] || picked === KINDS[4] };
}

/** A file of the workspace (files.exclude and search.exclude respected), by name. */
export async function pickWorkspaceFile(): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/*', undefined, 5_000);
  const items = files
    .map((uri) => ({ uri, label: workspacePath(uri).split('/').pop() ?? '', description: workspacePath(uri) }))
    .sort((a, b) => a.description.localeCompare(b.description));
  const picked = await vscode.window.showQuickPick(items, { title: 'RunTools: Add a File to the Prompt', placeHolder: 'Type a file name', matchOnDescription: true });
  return picked?.uri;
}

/** The file whose problems to add: the active editor's when it has some, else one the user picks. */
export async function pickProblemsFile(ask: boolean): Promise<vscode.Uri | { none: string } | undefined> {
  const files = filesWithProblems();
  const active = currentEditor()?.document.uri;
  if (!ask && active && files.some((f) => f.uri.toString() === active.toString())) return active;
  if (!files.length) return { none: 'No file has problems right now (the Problems panel is empty).' };
  const picked = await vscode.window.showQuickPick(
    files.map((f) => ({ uri: f.uri, label: workspacePath(f.uri), description: `${f.total} ${f.total === 1 ? 'problem' : 'problems'}${f.errors ? `, ${f.errors} ${f.errors === 1 ? 'error' : 'errors'}` : ''}` })),
    { title: 'RunTools: Add a File\'s Problems to the Prompt', placeHolder: 'Which file\'s problems?' },
  );
  return picked?.uri;
}

/** A path given to the command: absolute, or relative to a workspace folder (the first where it exists). */
export async function resolveWorkspacePath(given: string): Promise<vscode.Uri | undefined> {
  if (/^[a-z][\w+.-]+:\/\//i.test(given)) return vscode.Uri.parse(given);
  if (given.startsWith('/') || /^[a-z]:[\\/]/i.test(given)) return vscode.Uri.file(given);
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, given);
    const exists = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
    if (exists) return uri;
  }
  return undefined;
}
