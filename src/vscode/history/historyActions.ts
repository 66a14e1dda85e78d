/**
 * What the user does with runs kept in the history, beyond reopening them: delete a run or a
 * whole chat (after a confirmation; gone from disk and from every view), and export a run as
 * Markdown to a file or an untitled document. Each takes its answers as arguments, so scripts
 * and tests need no dialog; the confirmation goes through `ask` (answerable in tests).
 */
import * as vscode from 'vscode';
import { groupByChat, type ChatGroup, type HistoryRun } from '../../core/history/historySearch';
import { runMarkdown } from '../../core/history/runMarkdown';
import { ask } from '../questions';
import type { HistoryEntry, RunHistory } from '../runs/runHistory';

/** Every run of the history as search and grouping see it (read back from disk where needed). */
export async function historyRuns(history: RunHistory): Promise<HistoryRun[]> {
  const runs: HistoryRun[] = [];
  for (const localId of history.ids()) {
    const entry = await history.get(localId);
    if (entry) runs.push(historyRunOf(entry));
  }
  return runs;
}

export function historyRunOf({ record }: HistoryEntry): HistoryRun {
  const { header } = record;
  const paths = [...new Set([...(header.selection ? [header.selection.path] : []), ...record.edits.flatMap((edit) => edit.paths)])];
  return {
    localId: header.localId, chatId: header.chatId, threadId: header.threadId, prompt: header.prompt,
    output: header.output, paths, startedAt: header.startedAt, status: header.status,
  };
}

/** `{ localId }` deletes that run; `{ chat }` (a chat's key or the id of one of its runs) the whole chat. */
export interface DeleteArgs { localId?: string; chat?: string }

export interface DeleteResult { removed: string[]; kept: string[]; cancelled?: boolean }

export async function deleteFromHistory(history: RunHistory, rawArgs: unknown): Promise<DeleteResult> {
  const args = deleteArgs(rawArgs);
  const runs = await historyRuns(history);
  let ids: string[];
  let what: string;
  if (args.chat) {
    const chat = chatOf(groupByChat(runs), args.chat);
    if (!chat) return notFound(`There is no chat ${args.chat} in the RunTools history.`);
    ids = chat.runs.map((run) => run.localId);
    what = `the chat "${short(chat.title)}" (${ids.length} ${ids.length === 1 ? 'run' : 'runs'})`;
  } else if (args.localId) {
    const run = runs.find((r) => r.localId === args.localId);
    if (!run) return notFound(`There is no run ${args.localId} in the RunTools history.`);
    ids = [run.localId];
    what = `the run "${short(run.prompt)}"`;
  } else {
    void vscode.window.showInformationMessage('RunTools: say which run or chat to delete (Show Run History... has a delete button on each run).');
    return { removed: [], kept: [], cancelled: true };
  }
  const confirm = 'Delete';
  const answer = await ask({
    kind: 'deleteHistory',
    modal: true,
    severity: 'warning',
    message: `Delete ${what} from the RunTools history?`,
    detail: 'It is removed from this workspace\'s history on disk and from every view. Files the agent changed stay as they are, but the run can no longer be undone or reviewed.',
    choices: [confirm],
  });
  if (answer !== confirm) return { removed: [], kept: [], cancelled: true };
  const result = await history.remove(ids);
  if (result.kept.length) void vscode.window.showWarningMessage('RunTools: a run that is still active was kept; cancel it or let it finish, then delete it.');
  return result;
}

/** `{ localId?, to? }`: `to` is a file path or URI to write, or "untitled"; without it the user picks a file. */
export async function exportRun(history: RunHistory, rawArgs: unknown): Promise<{ uri?: string; markdown?: string }> {
  const raw = rawArgs && typeof rawArgs === 'object' ? rawArgs as Record<string, unknown> : {};
  const localId = typeof rawArgs === 'string' ? rawArgs : typeof raw.localId === 'string' ? raw.localId : undefined;
  const entry = localId ? await history.get(localId) : await history.latest();
  if (!entry) {
    void vscode.window.showInformationMessage(`RunTools: ${localId ? `there is no run ${localId} in the history` : 'there is no run to export yet'}.`);
    return {};
  }
  const { record } = entry;
  const markdown = runMarkdown({ header: record.header, events: record.events, edits: record.edits });
  const to = typeof raw.to === 'string' ? raw.to : undefined;
  if (to === 'untitled') {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
    await vscode.window.showTextDocument(document);
    return { uri: document.uri.toString(), markdown };
  }
  const target = to
    ? (/^[a-z][\w+.-]+:/i.test(to) && !/^[a-z]:[\\/]/i.test(to) ? vscode.Uri.parse(to) : vscode.Uri.file(to))
    : await vscode.window.showSaveDialog({
      title: 'RunTools: Export Run as Markdown',
      defaultUri: defaultExportUri(record.header.prompt, record.header.startedAt),
      filters: { Markdown: ['md'] },
    });
  if (!target) return {};
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(markdown));
  if (!to) void vscode.window.showInformationMessage(`RunTools: the run was exported to ${vscode.workspace.asRelativePath(target)}.`, 'Open').then((open) => open && vscode.window.showTextDocument(target));
  return { uri: target.toString(), markdown };
}

function chatOf(chats: ChatGroup[], key: string): ChatGroup | undefined {
  return chats.find((chat) => chat.key === key) ?? chats.find((chat) => chat.runs.some((run) => run.localId === key));
}

function deleteArgs(value: unknown): DeleteArgs {
  if (typeof value === 'string') return { localId: value };
  if (!value || typeof value !== 'object') return {};
  const raw = value as Record<string, unknown>;
  return { localId: typeof raw.localId === 'string' ? raw.localId : undefined, chat: typeof raw.chat === 'string' ? raw.chat : undefined };
}

function notFound(message: string): DeleteResult {
  void vscode.window.showWarningMessage(`RunTools: ${message}`);
  return { removed: [], kept: [], cancelled: true };
}

function defaultExportUri(prompt: string, startedAt: number): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const slug = prompt.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
  const date = new Date(startedAt).toISOString().slice(0, 10);
  return folder ? vscode.Uri.joinPath(folder.uri, `runtools-${date}-${slug}.md`) : undefined;
}

function short(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
