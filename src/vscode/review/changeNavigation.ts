/**
 * runtools.nextChange / previousChange: from the cursor to the next (previous) agent change
 * waiting for a decision, in this file and then in the next (previous) changed file of the recent
 * runs, by path, wrapping around. Says where it is: "change 3 of 7 in src/app.ts".
 */
import * as vscode from 'vscode';
import { changedFiles } from '../../core/review/changedFiles';
import type { InlineReview } from './inlineReview';
import type { ReviewIndex } from './reviewIndex';

export interface NavigationResult {
  path?: string;
  line?: number;
  /** Why it did not move. */
  reason?: string;
}

export async function goToChange(index: ReviewIndex, inline: InlineReview, direction: 1 | -1): Promise<NavigationResult> {
  const files = await filesWithChanges(index);
  if (files.length === 0) {
    void vscode.window.setStatusBarMessage('RunTools: no agent changes are waiting for a decision', 4000);
    return { reason: 'no agent changes are waiting for a decision' };
  }
  const editor = vscode.window.activeTextEditor;
  const here = editor ? files.findIndex((f) => f.uri.toString() === editor.document.uri.toString()) : -1;
  if (editor && here >= 0) {
    const changes = await inline.changes(editor.document);
    const line = editor.selection.active.line;
    const next = direction > 0 ? changes.find((c) => c.from > line) : [...changes].reverse().find((c) => c.from < line);
    if (next) return reveal(editor, next.from, `change ${next.index + 1} of ${next.total} in ${next.path}`);
  }
  // The next (previous) file, wrapping around, whose changes can be found in its text.
  for (let step = 1; step <= files.length; step++) {
    const at = here < 0 ? (direction > 0 ? step - 1 : files.length - step) : (here + direction * step + files.length * step) % files.length;
    const file = files[at]!;
    const document = await vscode.workspace.openTextDocument(file.uri).then((d) => d, () => undefined);
    if (!document) continue;
    const changes = await inline.changes(document);
    if (changes.length === 0) continue;
    const target = direction > 0 ? changes[0]! : changes[changes.length - 1]!;
    const shown = await vscode.window.showTextDocument(document, { preview: false });
    return reveal(shown, target.from, `change ${target.index + 1} of ${target.total} in ${target.path}`);
  }
  return { reason: 'the changes waiting for a decision are no longer where the agent left them' };
}

function reveal(editor: vscode.TextEditor, line: number, where: string): NavigationResult {
  const position = new vscode.Position(Math.min(line, Math.max(0, editor.document.lineCount - 1)), 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  void vscode.window.setStatusBarMessage(`RunTools: ${where}`, 4000);
  return { path: vscode.workspace.asRelativePath(editor.document.uri, false), line: position.line };
}

/** Files of the recent runs with changes waiting, sorted by path (one entry per file). */
async function filesWithChanges(index: ReviewIndex): Promise<{ uri: vscode.Uri; path: string }[]> {
  const seen = new Map<string, { uri: vscode.Uri; path: string }>();
  for (const entry of await index.reviewed()) {
    const session = entry.edits!;
    for (const file of changedFiles(session.records())) {
      // A deleted file has nothing to show; a create waiting for review has no file yet.
      if (file.open === 0 || file.kind === 'delete' || (file.kind === 'create' && file.state === 'pending')) continue;
      const uri = session.uriOf(file.path);
      seen.set(uri.toString(), { uri, path: `${session.folder.name}/${file.path}` });
    }
  }
  return [...seen.values()].sort((a, b) => a.path.localeCompare(b.path));
}
