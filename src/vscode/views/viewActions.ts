import * as vscode from 'vscode';
import { changedFiles } from '../../core/review/changedFiles';
import { checkDevUrl } from '../../core/trust/devUrl';
import type { ViewMessage } from '../../core/viewProtocol';
import { openDevUrlOnRequest } from '../devUrl';
import { rejectEdit, reviewEdits } from '../edits';
import { Commands } from '../ids';
import type { RunController } from '../runs/runController';
import type { HistoryEntry, RunHistory } from '../runs/runHistory';

type SharedMessage = Exclude<ViewMessage, { type: 'ready' } | { type: 'submitPrompt' } | { type: 'newChat' } | ComposerMessage>;
/** The composer's context chips and agent picker: the chat view's own (composerActions.ts). */
export type ComposerMessage = Extract<ViewMessage, { type: 'addContext' | 'removeContext' | 'setAgent' | 'resetAgent' }>;

export function isComposerMessage(message: ViewMessage): message is ComposerMessage {
  return message.type === 'addContext' || message.type === 'removeContext' || message.type === 'setAgent' || message.type === 'resetAgent';
}

/** A well-formed message that asks for something its run does not have: dropped and logged, not shown. */
export class MessageRefused extends Error {
  override readonly name = 'MessageRefused';
}

/**
 * What a button in either webview does. The chat view and the run panel share these; only the
 * composer's messages (submitPrompt, newChat) belong to the chat view.
 * The message's shape was checked already (viewProtocol.ts); here it is checked against the run
 * it names: a file action only for a path of the edit it names, a dev URL only if the run
 * reported it. Returns text to post back for `showFullOutput`.
 */
export class ViewActions {
  constructor(private readonly controller: RunController, private readonly history: RunHistory) {}

  public async handle(message: SharedMessage): Promise<{ fullOutput?: { localId: string; seq: number; text: string } } | void> {
    switch (message.type) {
      case 'cancelRun':
        if (this.controller.activeRun?.localId === message.localId) await this.controller.cancelActive();
        return;
      case 'pauseRun':
      case 'resumeRun':
      case 'answerRun': {
        if (this.controller.activeRun?.localId !== message.localId) throw new MessageRefused(`${message.type}: run ${message.localId} is not the active run`);
        const result = message.type === 'pauseRun' ? await this.controller.pauseActive()
          : message.type === 'resumeRun' ? await this.controller.resumeActive()
            : await this.controller.answerActive(message.text);
        if (!result.ok) void vscode.window.showWarningMessage(`RunTools: ${result.message}`);
        return;
      }
      case 'retryRun':
        await this.entry(message.localId);
        await this.controller.followAgain(message.localId, 'retry');
        return;
      case 'openInEditor':
        await vscode.commands.executeCommand(Commands.openRunInEditor, (await this.entry(message.localId)).record.localId);
        return;
      case 'openDiff':
      case 'openFile': {
        const entry = await this.entry(message.localId);
        const edit = entry.record.edits.find((e) => e.seq === message.seq);
        if (!edit?.paths.includes(message.path)) throw new MessageRefused(`${message.type}: "${message.path.slice(0, 200)}" is not a path of edit #${message.seq} of run ${message.localId}`);
        if (!entry.edits) return void vscode.window.showWarningMessage('RunTools: this run\'s edits are no longer available (the run left the history, or its folder is not open).');
        if (message.type === 'openDiff') await entry.edits.openDiff(message.seq, message.path);
        else await entry.edits.openFile(message.path);
        return;
      }
      case 'acceptEdit':
      case 'rejectEdit': {
        const entry = await this.entry(message.localId);
        if (!entry.record.edits.some((e) => e.seq === message.seq)) throw new MessageRefused(`${message.type}: run ${message.localId} has no edit #${message.seq}`);
        if (!entry.edits) return;
        if (message.type === 'acceptEdit') await entry.edits.accept(message.seq);
        else await rejectEdit(entry.edits, message.seq);
        return;
      }
      case 'undoRun':
        await vscode.commands.executeCommand(Commands.undoRun, { localId: (await this.entry(message.localId)).record.localId });
        return;
      case 'keepChanges':
      case 'undoChanges': {
        const entry = await this.entry(message.localId);
        if (message.path !== undefined) this.refuseUnlessChanged(entry, message.type, message.path);
        const command = message.type === 'keepChanges' ? Commands.keepChanges : Commands.undoChanges;
        await vscode.commands.executeCommand(command, { run: entry.record.localId, ...(message.path !== undefined ? { path: message.path } : {}) });
        return;
      }
      case 'openChange': {
        const entry = await this.entry(message.localId);
        this.refuseUnlessChanged(entry, message.type, message.path);
        await openAtFirstChange(entry, message.path);
        return;
      }
      case 'resolveConflict': {
        const entry = await this.entry(message.localId);
        this.refuseUnlessChanged(entry, message.type, message.path);
        await vscode.commands.executeCommand(Commands.resolveConflict, { run: entry.record.localId, path: message.path });
        return;
      }
      case 'reviewEdits': {
        const entry = await this.entry(message.localId);
        if (entry.edits) await reviewEdits(entry.edits);
        return;
      }
      case 'openDevUrl': {
        const entry = await this.entry(message.localId);
        if (!runDevUrls(entry).includes(message.url)) throw new MessageRefused(`openDevUrl: run ${message.localId} reported no dev URL "${message.url.slice(0, 200)}"`);
        const result = await openDevUrlOnRequest(message.url);
        if (!result.opened && result.reason) void vscode.window.showWarningMessage(`RunTools: the dev URL was not opened: ${result.reason}.`);
        return;
      }
      case 'openLink': {
        if (!/^(https?|mailto):/i.test(message.url.trim())) throw new MessageRefused(`openLink: only http, https and mailto links open, not "${message.url.slice(0, 40)}"`);
        // Through openExternal, so VS Code's link protection (trusted domains) asks first.
        await vscode.env.openExternal(vscode.Uri.parse(message.url.trim()));
        return;
      }
      case 'showFullOutput': {
        const text = (await this.entry(message.localId)).record.fullText(message.seq);
        if (text === undefined) return;
        return { fullOutput: { localId: message.localId, seq: message.seq, text } };
      }
      case 'runCommand':
        // The schema allows only VIEW_COMMANDS, and no arguments.
        await vscode.commands.executeCommand(message.command);
        return;
      case 'insertAtCursor':
        await insertAtCursor(message.text);
        return;
      default: {
        const unexpected: never = message;
        throw new Error(`unknown view message ${JSON.stringify(unexpected)}`);
      }
    }
  }

  /** A file action names a path the run changed, or nothing happens: the page could name any path. */
  private refuseUnlessChanged(entry: HistoryEntry, type: string, path: string): void {
    if (!entry.record.edits.some((e) => e.paths.includes(path))) throw new MessageRefused(`${type}: run ${entry.record.localId} changed no file ${path.slice(0, 200)}`);
  }

  private async entry(localId: string): Promise<HistoryEntry> {
    const entry = await this.history.get(localId);
    if (!entry) throw new MessageRefused(`no run ${localId} in the history`);
    return entry;
  }
}

/** The dev URLs a run reported (dev_url events and its header), http(s) only. */
function runDevUrls(entry: HistoryEntry): string[] {
  const urls = entry.record.events.flatMap(({ event }) => (event.type === 'dev_url' ? [event.url] : []));
  if (entry.record.header.devUrl) urls.push(entry.record.header.devUrl);
  return urls.filter((url) => checkDevUrl(url).ok);
}

/**
 * A code block's text into the active editor, replacing each selection (an empty one is the
 * cursor). The editor's own undo takes it back. With no text editor to insert into, says so.
 * (The message's schema bounds the text: a string of at most 1,000,000 characters.)
 */
async function insertAtCursor(text: string): Promise<void> {
  // A run panel in the editor area is not a text editor: then the one editor beside it, if only one.
  const visible = vscode.window.visibleTextEditors;
  const editor = vscode.window.activeTextEditor ?? (visible.length === 1 ? visible[0] : undefined);
  if (!editor) {
    void vscode.window.showWarningMessage('RunTools: there is no text editor to insert the code into. Open a file, place the cursor where the code goes, and choose Insert at Cursor again.');
    return;
  }
  const done = await editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, text);
  });
  if (!done) {
    void vscode.window.showWarningMessage(`RunTools: the code could not be inserted into ${vscode.workspace.asRelativePath(editor.document.uri)} (is it read-only?).`);
    return;
  }
  await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
}

/** A changed file of the run, opened at its first change (the top for a file without hunks). */
async function openAtFirstChange(entry: HistoryEntry, path: string): Promise<void> {
  const session = entry.edits;
  if (!session) return;
  const file = changedFiles(session.records()).find((f) => f.path === path);
  if (file?.kind === 'delete') {
    void vscode.window.showInformationMessage(`RunTools: ${path} was deleted by the agent; Open Diff shows what it held.`);
    return;
  }
  const line = Math.max(0, (file?.firstLine ?? 1) - 1);
  try {
    await vscode.window.showTextDocument(session.uriOf(path), { preview: false, selection: new vscode.Range(line, 0, line, 0) });
  } catch (error) {
    void vscode.window.showWarningMessage(`RunTools: ${path} cannot be opened: ${(error as Error).message}`);
  }
}
