/**
 * Reads what a context chip attaches from VS Code: the selection, a file, the open editors, a
 * file's problems. Each reader returns the plain input a core builder takes, or a sentence
 * saying why there is nothing to attach. Paths are relative to the file's workspace folder (a file
 * outside every folder goes by its name only: no machine path reaches the agent).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileInput, OpenEditorEntry, Problem, ProblemSeverity, SelectionInput } from '../../core/context/contextItems';

export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

/** Files larger than this are not read at all (a chip keeps at most 64 KB of one anyway). */
const MAX_READ_BYTES = 20 * 1024 * 1024;

/** The editor the chips refer to: the active one, or the only visible one (a webview has the focus). */
export function currentEditor(): vscode.TextEditor | undefined {
  const visible = vscode.window.visibleTextEditors;
  return vscode.window.activeTextEditor ?? (visible.length === 1 ? visible[0] : undefined);
}

export function workspacePath(uri: vscode.Uri): string {
  if (!vscode.workspace.getWorkspaceFolder(uri)) return path.posix.basename(uri.path) || uri.toString();
  // Relative to its own folder, as the agent's edits are (the sandbox holds one folder).
  return vscode.workspace.asRelativePath(uri, false);
}

export function readSelection(): Read<SelectionInput> {
  const editor = currentEditor();
  if (!editor || editor.selection.isEmpty) return { ok: false, message: 'Select some code in an editor first, then add the selection.' };
  const { document, selection } = editor;
  // A selection ending at column 0 of a line does not include that line.
  const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  return {
    ok: true,
    value: { path: workspacePath(document.uri), language: document.languageId, startLine: selection.start.line + 1, endLine: endLine + 1, text: document.getText(selection) },
  };
}

/** The active editor's whole text, as it is in the editor (unsaved changes included). */
export function readActiveFile(): Read<FileInput> {
  const document = currentEditor()?.document;
  if (!document) return { ok: false, message: 'Open a file in an editor first, then add it.' };
  return { ok: true, value: { path: workspacePath(document.uri), language: document.languageId, text: document.getText() } };
}

/** A workspace file: its open editor's text if it has one, else the file on disk (text only). */
export async function readWorkspaceFile(uri: vscode.Uri): Promise<Read<FileInput>> {
  if (!vscode.workspace.getWorkspaceFolder(uri)) return { ok: false, message: `${uri.fsPath} is not in a folder of this workspace: only workspace files can be added.` };
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return { ok: true, value: { path: workspacePath(uri), language: open.languageId, text: open.getText() } };
  const name = workspacePath(uri);
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return { ok: false, message: `${name} is a folder: pick a file.` };
    if (stat.size > MAX_READ_BYTES) return { ok: false, message: `${name} is too large to add (${Math.round(stat.size / 1024 / 1024)} MB).` };
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.subarray(0, 8000).includes(0)) return { ok: false, message: `${name} is a binary file: only text files can be added.` };
    return { ok: true, value: { path: name, language: path.extname(uri.path).slice(1) || 'plaintext', text: new TextDecoder().decode(bytes) } };
  } catch (error) {
    return { ok: false, message: `${name} could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Every file open in an editor tab (the text editors, not diffs or webviews), the active one marked. */
export function readOpenEditors(): Read<OpenEditorEntry[]> {
  const active = vscode.window.tabGroups.activeTabGroup.activeTab;
  const seen = new Set<string>();
  const editors: OpenEditorEntry[] = [];
  for (const tab of vscode.window.tabGroups.all.flatMap((group) => group.tabs)) {
    if (!(tab.input instanceof vscode.TabInputText) || seen.has(tab.input.uri.toString())) continue;
    const uri = tab.input.uri;
    seen.add(uri.toString());
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    editors.push({ path: workspacePath(uri), language: document?.languageId ?? (path.extname(uri.path).slice(1) || 'plaintext'), unsaved: tab.isDirty, active: tab === active });
  }
  return editors.length ? { ok: true, value: editors } : { ok: false, message: 'No file is open in an editor.' };
}

export function readProblems(uri: vscode.Uri): Read<{ path: string; problems: Problem[] }> {
  const diagnostics = vscode.languages.getDiagnostics(uri);
  const name = workspacePath(uri);
  if (!diagnostics.length) return { ok: false, message: `${name} has no problems (nothing in the Problems panel for it).` };
  return { ok: true, value: { path: name, problems: diagnostics.map(problemOf) } };
}

/** Files that have problems now, most errors first. */
export function filesWithProblems(): { uri: vscode.Uri; errors: number; total: number }[] {
  return vscode.languages.getDiagnostics()
    .filter(([, diagnostics]) => diagnostics.length > 0)
    .map(([uri, diagnostics]) => ({ uri, errors: diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length, total: diagnostics.length }))
    .sort((a, b) => b.errors - a.errors || b.total - a.total);
}

const SEVERITIES: Record<vscode.DiagnosticSeverity, ProblemSeverity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

function problemOf(diagnostic: vscode.Diagnostic): Problem {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return {
    severity: SEVERITIES[diagnostic.severity] ?? 'info',
    message: diagnostic.message,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    endLine: diagnostic.range.end.line + 1,
    endColumn: diagnostic.range.end.character + 1,
    ...(diagnostic.source ? { source: diagnostic.source } : {}),
    ...(code !== undefined ? { code: String(code) } : {}),
  };
}
