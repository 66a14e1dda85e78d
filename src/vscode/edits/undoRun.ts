/** runtools.undoRun: undo a run's edits and say what happened, in one non-modal message. */
import * as vscode from 'vscode';
import type { EditSession, UndoOptions } from './editSession';
import type { UndoResult } from './undoLedger';

export async function undoRun(session: EditSession, options: UndoOptions = {}): Promise<UndoResult> {
  const result = await session.undo(options);
  const parts = [`restored ${result.restored.length} file(s)`];
  if (result.skipped.length) parts.push(`kept your changes in ${result.skipped.map((s) => s.path).join(', ')}`);
  if (result.failed.length) parts.push(`could not restore ${result.failed.map((f) => `${f.path} (${f.reason})`).join(', ')}`);
  const message = `RunTools: Undo Run ${parts.join('; ')}.`;
  if (result.overwritten.length > 0) {
    const compare = 'Compare With My Version';
    void vscode.window.showInformationMessage(`${message} Your version of ${result.overwritten.map((o) => o.path).join(', ')} is kept in a backup.`, compare).then((answer) => {
      if (answer !== compare) return;
      const first = result.overwritten[0];
      return vscode.commands.executeCommand('vscode.diff', first.backup, vscode.Uri.joinPath(session.folder.uri, ...first.path.split('/')), `${first.path} (your version ↔ restored)`);
    });
  } else {
    void (result.failed.length ? vscode.window.showWarningMessage(message) : vscode.window.showInformationMessage(message));
  }
  return result;
}
