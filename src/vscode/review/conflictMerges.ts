/**
 * Conflicts resolved in the editor, with VS Code's own conflict support: the agent's change is
 * merged into the file's buffer (conflict markers where the user's changes and the agent's
 * overlap, which VS Code decorates with Accept Current / Incoming / Both), never saved by the
 * extension. The edit is accepted when the user saves the file with no marker of it left.
 *
 * Closing the buffer without saving leaves the file on disk as it was and the edit a conflict,
 * to merge again later. Saving with markers left writes them (it is the user's save) and says
 * so; the edit stays a conflict until a save without them.
 */
import * as vscode from 'vscode';
import { hasMarkers } from '../../core/review/merge3';
import { AGENT_MERGE_LABELS } from '../../core/review/mergeHunks';
import { resolutionFor } from '../../core/review/resolution';
import type { Logger } from '../../core/logger';
import { Disposable } from '../disposable';
import type { EditSession } from '../edits';

export interface MergeTarget { session: EditSession; localId: string; seq: number; path: string }

export interface MergeOpened {
  opened: boolean;
  /** Places left with conflict markers (0: merged cleanly, to check and save). */
  conflicts?: number;
  reason?: string;
}

interface OpenMerge extends MergeTarget { before: string }

export class ConflictMerges extends Disposable {
  private readonly open = new Map<string, OpenMerge>();

  constructor(private readonly logger: Logger) {
    super();
    this._register(vscode.workspace.onDidSaveTextDocument((document) => void this.saved(document)));
    this._register(vscode.workspace.onDidCloseTextDocument((document) => {
      if (this.open.delete(document.uri.toString())) this.logger.info(`${vscode.workspace.asRelativePath(document.uri)}: the merge was closed unsaved; the agent's edit stays a conflict`);
    }));
  }

  /** Puts the merge of the edit into the file's buffer (unsaved) and shows it. */
  async openMerge(target: MergeTarget): Promise<MergeOpened> {
    const record = target.session.record(target.seq);
    if (!record || record.state !== 'conflict') return { opened: false, reason: `edit #${target.seq} is not a conflict (it is ${record?.state ?? 'gone'})` };
    const uri = target.session.uriOf(target.path);
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch (error) {
      return { opened: false, reason: `${target.path} cannot be opened: ${(error as Error).message}` };
    }
    // A clean document is a copy of the disk that may lag behind a change made outside VS Code.
    if (!document.isDirty && !(await caughtUp(document, await target.session.readText(target.path)))) {
      return { opened: false, reason: `${target.path} changed on disk and VS Code has not read it again yet: try again in a moment` };
    }
    const current = document.getText();
    if (hasMarkers(current, AGENT_MERGE_LABELS.theirs)) {
      await vscode.window.showTextDocument(document, { preview: false });
      return { opened: true, reason: 'the merge is already in the file: resolve its markers and save' };
    }
    const resolution = resolutionFor(record.event, target.path, current, target.session.engine.sandboxRoot);
    if (!resolution.ok) return { opened: false, reason: resolution.reason };
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), resolution.merge.text);
    if (!(await vscode.workspace.applyEdit(edit))) return { opened: false, reason: `VS Code did not take the merge into ${target.path}` };
    this.open.set(uri.toString(), { ...target, before: current });
    await vscode.window.showTextDocument(document, { preview: false });
    const conflicts = resolution.merge.conflicts;
    void vscode.window.showInformationMessage(conflicts > 0
      ? `RunTools: ${conflicts} place${conflicts === 1 ? '' : 's'} in ${target.path} where your changes and the agent's overlap ${conflicts === 1 ? 'is' : 'are'} marked. Choose with Accept Current / Incoming / Both, then save. Nothing is on disk until you save.`
      : `RunTools: the agent's change is merged with yours in ${target.path} (no overlap). Check it and save, or undo it with Ctrl+Z.`);
    return { opened: true, conflicts };
  }

  private async saved(document: vscode.TextDocument): Promise<void> {
    const merge = this.open.get(document.uri.toString());
    if (!merge) return;
    const text = document.getText();
    if (hasMarkers(text, AGENT_MERGE_LABELS.theirs)) {
      void vscode.window.showWarningMessage(`RunTools: ${merge.path} was saved with conflict markers still in it. Resolve them and save again; the agent's edit stays a conflict until then.`);
      return;
    }
    this.open.delete(document.uri.toString());
    if (text === merge.before) {
      this.logger.info(`${merge.path}: saved as it was before the merge; the agent's edit #${merge.seq} stays a conflict`);
      return;
    }
    await merge.session.resolved(merge.seq, merge.path, merge.before, text);
    this.logger.info(`${merge.path}: merge of edit #${merge.seq} saved; the edit is accepted`);
  }
}

/** Waits (a little) for a clean document to hold what the disk holds; false if it does not. */
async function caughtUp(document: vscode.TextDocument, disk: string | undefined): Promise<boolean> {
  const same = () => disk !== undefined && document.getText() === disk.replace(/^\uFEFF/, '').replace(/\r?\n/g, document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n');
  for (let waited = 0; !same() && waited < 3_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  return same();
}
