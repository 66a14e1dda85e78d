/**
 * Diff editors for a run's edits, whose titles say the edit's state and follow it: when an edit
 * changes state (accepted, rejected, reverted...), an open diff of it is opened again in the same
 * place with the new title and sides, since VS Code cannot rename an open editor.
 *
 * The texts come from the engine's records: a planned or pending change shows before ↔ after; a
 * written one before ↔ the file while it still holds what the edit wrote; a change the engine
 * could not apply shows the file ↔ the agent's intended version; an edit restored from history
 * keeps fewer texts and shows the file before the run ↔ now.
 */
import * as vscode from 'vscode';
import { EDIT_STATE_LABELS, sameText, type EditView, type RunEdits } from '../../core/edits';
import { EDIT_CONTENT_SCHEME, editContentUri, type ContentSide } from './editContent';
import type { WorkspaceFiles } from './workspaceFiles';

export class EditDiffs {
  constructor(private readonly runId: string, private readonly files: WorkspaceFiles, private readonly engine: RunEdits) {}

  async open(seq: number, relPath: string, where: { viewColumn?: vscode.ViewColumn; preserveFocus?: boolean } = {}): Promise<void> {
    const record = this.engine.edit(seq);
    if (!record) throw new Error(`no edit #${seq} in this run`);
    const uri = (side: ContentSide) => editContentUri(this.runId, seq, side, relPath);
    const state = `(edit #${seq}: ${EDIT_STATE_LABELS[record.state].toLowerCase()})`;
    const title = `${relPath} ${state}`;
    const options = { preview: true, ...where };
    const planned = record.changes.find((c) => c.relPath === relPath || c.newRelPath === relPath);
    const written = record.written.find((c) => c.relPath === relPath || c.newRelPath === relPath);
    const problem = record.problems.find((p) => p.relPath === relPath);
    const file = this.files.uri(relPath);
    if (planned) {
      await vscode.commands.executeCommand('vscode.diff', uri('before'), uri('after'), title, options);
    } else if (written && written.after !== undefined) {
      const target = written.kind === 'rename' ? written.newRelPath! : written.relPath;
      const onDisk = written.after !== null && sameText(await this.files.read(target).catch(() => undefined), written.after);
      await vscode.commands.executeCommand('vscode.diff', uri('before'), onDisk ? this.files.uri(target) : uri('after'), title, options);
    } else if (problem?.intendedAfter !== undefined) {
      const left = (await this.files.exists(relPath)) ? file : uri('before');
      await vscode.commands.executeCommand('vscode.diff', left, uri('intended'), `${relPath} ↔ agent's version ${state}`, options);
    } else if (this.engine.book.ledger.has(relPath)) {
      await vscode.commands.executeCommand('vscode.diff', uri('original'), file, `${relPath}: before the run ↔ now ${state}`, options);
    } else {
      const doc = await vscode.workspace.openTextDocument(uri('diff'));
      await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(doc, 'diff'), options);
    }
  }

  contentFor(seq: number, side: ContentSide, relPath: string): string | undefined {
    if (side === 'original') return this.engine.book.ledger.get(relPath)?.original ?? '';
    const record = this.engine.edit(seq);
    if (!record) return undefined;
    if (side === 'diff') return record.event.diff;
    if (side === 'intended') return record.problems.find((p) => p.relPath === relPath)?.intendedAfter;
    const change = record.changes.find((c) => c.relPath === relPath || c.newRelPath === relPath)
      ?? record.written.find((c) => c.relPath === relPath || c.newRelPath === relPath);
    if (!change) return side === 'before' ? '' : undefined;
    return (side === 'before' ? change.before : change.after) ?? '';
  }

  /** An edit changed: its open diff editors are opened again with the new state (in place, without focus). */
  async refresh(view: EditView): Promise<void> {
    const prefix = `/${encodeURIComponent(this.runId)}/${view.seq}/`;
    const ours = (uri: vscode.Uri) => uri.scheme === EDIT_CONTENT_SCHEME && uri.path.startsWith(prefix);
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        const input = tab.input;
        if (!(input instanceof vscode.TabInputTextDiff) || !(ours(input.original) || ours(input.modified))) continue;
        const side = ours(input.original) ? input.original : input.modified;
        const relPath = side.path.slice(prefix.length).split('/').slice(1).map(decodeURIComponent).join('/');
        if (tab.label.includes(`: ${EDIT_STATE_LABELS[view.state].toLowerCase()})`)) continue;
        const wasActive = tab.isActive;
        await vscode.window.tabGroups.close(tab, true);
        await this.open(view.seq, relPath, { viewColumn: group.viewColumn, preserveFocus: !wasActive });
      }
    }
  }
}
