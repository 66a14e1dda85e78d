/** Undo Run and Reject of a written edit: do it, then say in one message what happened and where any backup is. */
import * as vscode from 'vscode';
import type { EditView, RevertResult, RevertOptions } from '../../core/edits';
import type { EditSession } from './editSession';

export async function undoRun(session: EditSession, options: RevertOptions = {}): Promise<RevertResult> {
  const result = await session.undo(options);
  reportRevert(session, result, 'Undo Run');
  return result;
}

/** Reject of one edit: a pending one is dropped quietly; a written one is reverted and reported. */
export async function rejectEdit(session: EditSession, seq: number, options: RevertOptions = {}): Promise<EditView> {
  const before = session.record(seq)?.state;
  const view = await session.reject(seq, options);
  if (before === 'applied' || before === 'accepted') {
    const paths = session.pathsOf(seq);
    const reverted = view.state === 'reverted';
    const message = reverted
      ? `RunTools: reverted edit #${seq} (${paths.join(', ')}).`
      : `RunTools: edit #${seq} was not reverted: ${view.reason ?? 'its files changed'}.`;
    void (reverted ? vscode.window.showInformationMessage(message) : vscode.window.showWarningMessage(message));
  }
  return view;
}

export function reportRevert(session: EditSession, result: RevertResult, what: string): void {
  const parts = [`restored ${result.restored.length} file(s)`];
  if (result.skipped.length) parts.push(`kept your version of ${result.skipped.map((s) => `${s.path} (${s.reason})`).join(', ')}`);
  if (result.failed.length) parts.push(`could not restore ${result.failed.map((f) => `${f.path} (${f.reason})`).join(', ')}`);
  const message = `RunTools: ${what} ${parts.join('; ')}.`;
  if (result.overwritten.length === 0) {
    void (result.failed.length || result.skipped.length ? vscode.window.showWarningMessage(message) : vscode.window.showInformationMessage(message));
    return;
  }
  const compare = 'Compare With My Version';
  const where = result.overwritten.map((o) => `${o.path} at ${o.backup}`).join(', ');
  void vscode.window.showInformationMessage(`${message} Your version was kept: ${where}.`, compare).then((answer) => {
    if (answer !== compare) return;
    const first = result.overwritten[0]!;
    return vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(first.backup), vscode.Uri.joinPath(session.folder.uri, ...first.path.split('/')), `${first.path} (your version ↔ restored)`);
  });
}
