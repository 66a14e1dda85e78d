/**
 * runtools.showHistory: the runs of this workspace grouped by chat, searched as you type (prompt,
 * answer, file paths), each with buttons to export it or delete it or its whole chat; Enter opens
 * the run in the editor area. `{ query }` opens it with a search typed in.
 */
import * as vscode from 'vscode';
import { groupByChat, searchRuns, type HistoryRun, type MatchField } from '../../core/history/historySearch';
import type { RunHistory } from '../runs/runHistory';
import type { RunPanels } from '../views/runPanels';
import { deleteFromHistory, exportRun, historyRuns } from './historyActions';

interface RunItem extends vscode.QuickPickItem { localId?: string }

const EXPORT: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('markdown'), tooltip: 'Export as Markdown' };
const DELETE_RUN: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete this run' };
const DELETE_CHAT: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('clear-all'), tooltip: 'Delete this run\'s whole chat' };

export async function showHistory(panels: RunPanels, history: RunHistory, rawArgs?: unknown): Promise<void> {
  const query = rawArgs && typeof rawArgs === 'object' && typeof (rawArgs as { query?: unknown }).query === 'string' ? (rawArgs as { query: string }).query : '';
  let runs = await historyRuns(history);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('RunTools: no runs yet.');
    return;
  }
  const picker = vscode.window.createQuickPick<RunItem>();
  picker.title = 'RunTools: Run History';
  picker.placeholder = 'Search prompts, answers and file paths; Enter opens the run';
  // Our own search decides what shows (it reads answers and paths, which the list does not show).
  picker.matchOnDescription = false;
  picker.matchOnDetail = false;
  const render = () => {
    picker.items = historyItems(runs, picker.value);
  };
  picker.value = query;
  render();
  picker.onDidChangeValue(render);
  picker.onDidAccept(() => {
    const localId = picker.selectedItems[0]?.localId;
    picker.hide();
    if (localId) void panels.open(localId);
  });
  picker.onDidTriggerItemButton(async ({ item, button }) => {
    if (!item.localId) return;
    if (button === EXPORT) {
      picker.hide();
      const to = await vscode.window.showQuickPick(['Save as File...', 'Open as Untitled Document'], { title: 'RunTools: Export Run as Markdown' });
      if (to) await exportRun(history, { localId: item.localId, ...(to.startsWith('Open') ? { to: 'untitled' } : {}) });
      return;
    }
    // The confirmation takes the focus; the list stays open behind it and shows what is left.
    picker.ignoreFocusOut = true;
    const result = await deleteFromHistory(history, button === DELETE_CHAT ? { chat: item.localId } : { localId: item.localId });
    picker.ignoreFocusOut = false;
    if (!result.removed.length) return picker.show();
    runs = await historyRuns(history);
    if (!runs.length) return picker.hide();
    render();
    picker.show();
  });
  picker.onDidHide(() => picker.dispose());
  picker.show();
}

/** The list: one separator per chat (newest chat first), its runs under it, newest first. */
export function historyItems(runs: readonly HistoryRun[], query: string): RunItem[] {
  const matches = searchRuns(runs, query);
  const byRun = new Map(matches.map((match) => [match.run.localId, match]));
  const items: RunItem[] = [];
  for (const chat of groupByChat(matches.map((match) => match.run))) {
    items.push({ kind: vscode.QuickPickItemKind.Separator, label: `${chat.title.slice(0, 60)}${chat.runs.length > 1 ? ` (${chat.runs.length} runs)` : ''}` });
    for (const run of [...chat.runs].reverse()) {
      const match = byRun.get(run.localId);
      items.push({
        localId: run.localId,
        label: run.prompt.replace(/\s+/g, ' ').slice(0, 80) || '(empty prompt)',
        description: `${run.status} · ${new Date(run.startedAt).toLocaleString()}`,
        detail: query.trim() && match ? `found in ${describeFields(match.fields)}${match.snippet ? `: ${match.snippet}` : ''}` : run.paths.length ? `${run.paths.length} ${run.paths.length === 1 ? 'file' : 'files'}: ${run.paths.slice(0, 3).join(', ')}${run.paths.length > 3 ? ', …' : ''}` : undefined,
        // Shown whatever the list's own filter thinks: the search above already chose.
        alwaysShow: true,
        buttons: [EXPORT, DELETE_RUN, DELETE_CHAT],
      });
    }
  }
  return items;
}

function describeFields(fields: readonly MatchField[]): string {
  const names: Record<MatchField, string> = { prompt: 'the prompt', output: 'the answer', path: 'a file path' };
  return fields.map((field) => names[field]).join(', ');
}
