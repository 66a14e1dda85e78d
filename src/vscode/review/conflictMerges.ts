/**
 * Conflicts resolved in the editor, with VS Code's own conflict support. The agent's change is
 * merged with the file as the user has it into a separate, untitled document: conflict markers
 * where the two overlap, which VS Code decorates with Accept Current / Incoming / Both. Nothing
 * touches the file until the user chooses "Use This Merge" (a CodeLens at the top, or the
 * command): then the merge is written into the file (its open buffer if it has one) and the edit
 * is accepted. An untitled document, not the file's own buffer: auto save (on by default in
 * VS Code for the Web and code-server) would write markers to disk a second after they appear.
 *
 * Closing the merge without using it: VS Code asks whether to save the untitled document; either
 * way the file and the conflict stay as they were, and Merge… opens a new merge later.
 */
import * as vscode from 'vscode';
import { countMarkers as markersIn } from '../../core/review/merge3';
import { AGENT_MERGE_LABELS } from '../../core/review/mergeHunks';
import { resolutionFor } from '../../core/review/resolution';
import type { Logger } from '../../core/logger';
import { Disposable } from '../disposable';
import type { EditSession } from '../edits';
import { Commands } from '../ids';

export interface MergeTarget { session: EditSession; localId: string; seq: number; path: string }

export interface MergeOpened {
  opened: boolean;
  /** Places left with conflict markers (0: merged cleanly, to check and use). */
  conflicts?: number;
  reason?: string;
}

export interface MergeApplied { applied: boolean; reason?: string }

interface OpenMerge extends MergeTarget {
  /** The file's text the merge was made on: the file must still hold it when the merge is used. */
  before: string;
  document: vscode.TextDocument;
}

export class ConflictMerges extends Disposable implements vscode.CodeLensProvider {
  private readonly open = new Map<string, OpenMerge>();
  private readonly lensesChanged = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.lensesChanged.event;

  constructor(private readonly logger: Logger) {
    super();
    this._register(vscode.languages.registerCodeLensProvider({ scheme: 'untitled' }, this));
    this._register(vscode.workspace.onDidCloseTextDocument((document) => {
      const merge = this.open.get(document.uri.toString());
      if (!merge) return;
      this.open.delete(document.uri.toString());
      this.logger.info(`the merge of ${merge.path} (edit #${merge.seq}) was closed unused; the edit stays a conflict`);
    }));
  }

  /** Makes the merge of the edit with the file as it is now, in an untitled document beside nothing else, and shows it. */
  async openMerge(target: MergeTarget): Promise<MergeOpened> {
    const record = target.session.record(target.seq);
    if (!record || record.state !== 'conflict') return { opened: false, reason: `edit #${target.seq} is not a conflict (it is ${record?.state ?? 'gone'})` };
    const existing = [...this.open.values()].find((m) => m.session === target.session && m.seq === target.seq && m.path === target.path && !m.document.isClosed);
    if (existing) {
      await vscode.window.showTextDocument(existing.document, { preview: false });
      return { opened: true, conflicts: countMarkers(existing.document.getText()) };
    }
    const current = await target.session.readText(target.path);
    if (current === undefined) return { opened: false, reason: `${target.path} cannot be read` };
    const resolution = resolutionFor(record.event, target.path, current, target.session.engine.sandboxRoot);
    if (!resolution.ok) return { opened: false, reason: resolution.reason };
    const document = await untitledMerge(target.path, resolution.merge.text.replace(/^\uFEFF/, ''), await languageOf(target));
    this.open.set(document.uri.toString(), { ...target, before: current, document });
    await vscode.window.showTextDocument(document, { preview: false });
    this.lensesChanged.fire();
    const conflicts = resolution.merge.conflicts;
    void vscode.window.showInformationMessage(conflicts > 0
      ? `RunTools: the agent's change merged with your ${target.path}, in a separate document: ${conflicts} place${conflicts === 1 ? '' : 's'} where you both changed the same lines ${conflicts === 1 ? 'is' : 'are'} marked. Choose with Accept Current / Incoming / Both, then "Use This Merge". Your file is untouched until then.`
      : `RunTools: the agent's change merged with your ${target.path} without overlaps, in a separate document. Check it, then "Use This Merge".`);
    return { opened: true, conflicts };
  }

  /** Writes a merge into its file (the active merge document when `uri` is not given). */
  async applyMerge(uri?: vscode.Uri): Promise<MergeApplied> {
    const key = (uri ?? vscode.window.activeTextEditor?.document.uri)?.toString();
    const merge = key ? this.open.get(key) : undefined;
    if (!merge) return this.refuse('there is no open merge of an agent edit to use');
    const text = merge.document.getText();
    const left = countMarkers(text);
    if (left > 0) return this.refuse(`${left} marked place${left === 1 ? '' : 's'} in the merge of ${merge.path} still need${left === 1 ? 's' : ''} a choice (Accept Current / Incoming / Both)`);
    const result = await merge.session.resolved(merge.seq, merge.path, merge.before, matchForm(text, merge.before));
    if (result.reason) return this.refuse(result.reason);
    this.open.delete(key!);
    this.lensesChanged.fire();
    await closeUnsaved(merge.document);
    this.logger.info(`${merge.path}: your merge of edit #${merge.seq} is written; the edit is accepted`);
    void vscode.window.showInformationMessage(`RunTools: your merge is in ${merge.path}; the agent's edit #${merge.seq} is accepted.`);
    return { applied: true };
  }

  /** Closes a merge without using it. */
  async discardMerge(uri?: vscode.Uri): Promise<void> {
    const key = (uri ?? vscode.window.activeTextEditor?.document.uri)?.toString();
    const merge = key ? this.open.get(key) : undefined;
    if (merge) await closeUnsaved(merge.document);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const merge = this.open.get(document.uri.toString());
    if (!merge) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: `$(check) Use This Merge for ${merge.path}`, command: Commands.applyMerge, arguments: [document.uri], tooltip: 'Write this merge into the file (once no marked place is left)' }),
      new vscode.CodeLens(top, { title: '$(close) Discard', command: Commands.discardMerge, arguments: [document.uri], tooltip: 'Close the merge; the file and the conflict stay as they are' }),
    ];
  }

  private refuse(reason: string): MergeApplied {
    void vscode.window.showWarningMessage(`RunTools: ${reason}.`);
    return { applied: false, reason };
  }
}

function countMarkers(text: string): number {
  return markersIn(text, AGENT_MERGE_LABELS.theirs);
}

/** The merge with the file's own BOM and line ends (an untitled document has its own). */
function matchForm(text: string, like: string): string {
  const crlf = /\r\n/.test(like) && !/[^\r]\n/.test(like);
  const body = crlf ? text.replace(/\r?\n/g, '\r\n') : text.replace(/\r\n/g, '\n');
  return like.startsWith('\uFEFF') ? `\uFEFF${body}` : body;
}

async function languageOf(target: MergeTarget): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.session.uriOf(target.path).toString());
  if (open) return open.languageId;
  try {
    return (await vscode.workspace.openTextDocument(target.session.uriOf(target.path))).languageId;
  } catch {
    return 'plaintext';
  }
}

/** An untitled document named after the file ("cart.js (merge)"), holding the merge. */
async function untitledMerge(relPath: string, text: string, language: string): Promise<vscode.TextDocument> {
  const name = `${relPath.split('/').pop()} (merge)`;
  // A relative untitled path names the tab and is never saved to on its own (an absolute one would be).
  const taken = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
  let uri = vscode.Uri.from({ scheme: 'untitled', path: name });
  for (let n = 2; taken.has(uri.toString()); n++) uri = vscode.Uri.from({ scheme: 'untitled', path: `${name} ${n}` });
  const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), language);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, new vscode.Position(0, 0), text);
  await vscode.workspace.applyEdit(edit);
  return document;
}

/** Closes an untitled document without VS Code asking to save it. */
async function closeUnsaved(document: vscode.TextDocument): Promise<void> {
  if (document.isClosed) return;
  await vscode.window.showTextDocument(document, { preview: false });
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

