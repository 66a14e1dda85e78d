import * as path from 'node:path';
import * as vscode from 'vscode';
import { selectionContext, selectionMessage, type SelectionInput } from '../../core/selectionContext';
import type { RunController } from '../runs/runController';
import { parseRunCommandArgs, type RunSummary } from '../runs/runSummary';
import { chooseTargetFolder } from '../targetFolder';
import type { ChatSession } from '../views/chatSession';
import type { AgentChoices } from '../agents/agentChoices';
import { ComposerContext } from '../context/composerContext';

const cancelled = (message: string): RunSummary => ({ status: 'cancelled', files: [], applied: [], conflicts: [], refused: [], error: { code: 'cancelled_by_user', message } });

/** runtools.runPrompt: asks for a prompt (unless given one) and runs it, with a progress notification. */
export async function runPrompt(controller: RunController, agents: AgentChoices, rawArgs: unknown): Promise<RunSummary> {
  // The agent picked in the chat view, unless the arguments name one.
  const args = agents.applyTo(parseRunCommandArgs(rawArgs));
  // Say so before asking for a prompt the run could not take.
  if (controller.isBusy) return controller.refuseBusy();
  const prompt = args.message ?? await vscode.window.showInputBox({
    title: 'RunTools: Run Agent',
    prompt: 'What should the agent do?',
    placeHolder: 'e.g. Build a small todo app with local storage',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Describe the task for the agent.'),
  });
  if (prompt === undefined || !prompt.trim()) return cancelled('No prompt was entered.');
  const folder = await chooseTargetFolder(args.folder);
  return controller.start({ args, prompt, message: prompt, context: workspaceContext(folder), folder, showProgress: true });
}

/**
 * runtools.runSelection: the active editor's selection (or the current line) with its file path,
 * language and line range, plus the user's prompt.
 */
export async function runSelection(controller: RunController, agents: AgentChoices, rawArgs: unknown): Promise<RunSummary> {
  const args = agents.applyTo(parseRunCommandArgs(rawArgs));
  if (controller.isBusy) return controller.refuseBusy();
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('RunTools: open a file and select some code first (or use "Run Agent with Prompt...").');
    return { status: 'failed', files: [], applied: [], conflicts: [], refused: [], error: { code: 'no_editor', message: 'No active editor.' } };
  }
  const folder = vscode.workspace.getWorkspaceFolder(editor.document.uri) ?? await chooseTargetFolder(args.folder);
  const input = selectionInput(editor, folder);
  const prompt = args.message ?? await vscode.window.showInputBox({
    title: `RunTools: Run Agent on ${input.path}:${input.startLine}${input.endLine !== input.startLine ? `-${input.endLine}` : ''}`,
    prompt: 'What should the agent do with the selection?',
    placeHolder: 'e.g. Add a documentation comment',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Describe what to do with the selected code.'),
  });
  if (prompt === undefined || !prompt.trim()) return cancelled('No prompt was entered.');
  return controller.start({
    args,
    prompt,
    message: selectionMessage(prompt, input),
    context: selectionContext(input),
    selection: { path: input.path, startLine: input.startLine, endLine: input.endLine },
    folder,
    showProgress: true,
  });
}

/** The chat composer beside the prompt box: its context chips and the picked agent. */
export interface ChatComposer { context: ComposerContext; agents: AgentChoices }

/**
 * A chat turn: the composer's prompt, its context chips, and the conversation so far as
 * context.history. The chips leave the composer as the run starts and come back if it is refused.
 */
export async function runChatPrompt(controller: RunController, chat: ChatSession, composer: ChatComposer, text: string): Promise<RunSummary> {
  const folder = await chooseTargetFolder();
  const history = await chat.turns();
  // A chat is a thread: its follow-ups continue the thread its first run was given.
  const threadId = await chat.threadId();
  const chips = composer.context.take();
  const summary = await controller.start({
    args: composer.agents.applyTo(threadId ? { threadId } : {}),
    prompt: text,
    message: text,
    context: { ...workspaceContext(folder), ...(history.length ? { history } : {}), ...ComposerContext.fields(chips) },
    folder,
    showProgress: false,
  });
  if (!summary.localId) composer.context.restore(chips);
  return summary;
}

function workspaceContext(folder: vscode.WorkspaceFolder | undefined): Record<string, unknown> {
  return folder ? { workspace: folder.name } : {};
}

function selectionInput(editor: vscode.TextEditor, folder: vscode.WorkspaceFolder | undefined): SelectionInput {
  const { document, selection } = editor;
  const startLine = selection.start.line;
  // A selection ending at column 0 of a line does not include that line.
  const endLine = selection.isEmpty ? startLine : Math.max(startLine, selection.end.character === 0 && selection.end.line > startLine ? selection.end.line - 1 : selection.end.line);
  const linesRange = new vscode.Range(startLine, 0, endLine, document.lineAt(endLine).text.length);
  const text = selection.isEmpty ? document.lineAt(startLine).text : document.getText(selection);
  const relPath = folder
    ? path.posix.normalize(path.relative(folder.uri.fsPath, document.uri.fsPath).split(path.sep).join('/'))
    : path.basename(document.uri.fsPath);
  return {
    path: relPath,
    languageId: document.languageId,
    text,
    startLine: startLine + 1,
    endLine: endLine + 1,
    linesText: document.getText(linesRange),
    workspaceName: folder?.name,
  };
}
