/**
 * The review list of a run's file changes (runtools.reviewEdits): a QuickPick with one item per
 * changed file; Enter opens its diff, the item's buttons accept or reject, and two items at the
 * top accept or reject everything pending. The list follows the session's state as it changes.
 */
import * as vscode from 'vscode';
import { EDIT_STATE_LABELS } from '../../core/edits';
import type { EditSession } from './editSession';

export interface ReviewItem extends vscode.QuickPickItem {
  action: 'diff' | 'acceptAll' | 'rejectAll';
  seq?: number;
  path?: string;
}

const acceptButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('check'), tooltip: 'Accept' };
const rejectButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('close'), tooltip: 'Reject' };
const diffButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('diff'), tooltip: 'Open Diff' };
const fileButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('go-to-file'), tooltip: 'Open File' };


/** The items the list shows for a session, in event order. */
export function reviewItems(session: EditSession): ReviewItem[] {
  const edits = session.edits();
  const pending = edits.filter((edit) => edit.state === 'pending').length;
  const items: ReviewItem[] = [];
  if (pending > 0) {
    items.push(
      { label: '$(check-all) Accept All', description: `${pending} pending`, action: 'acceptAll' },
      { label: '$(close-all) Reject All', description: `${pending} pending`, action: 'rejectAll' },
      { label: '', kind: vscode.QuickPickItemKind.Separator, action: 'diff' },
    );
  }
  for (const edit of edits) {
    for (const path of edit.paths) {
      items.push({
        label: path,
        description: `#${edit.seq} · ${EDIT_STATE_LABELS[edit.state].toLowerCase()} · +${edit.added} −${edit.removed}`,
        detail: edit.reason,
        action: 'diff',
        seq: edit.seq,
        path,
        buttons: edit.state === 'pending' ? [diffButton, acceptButton, rejectButton] : [diffButton, fileButton],
      });
    }
  }
  return items;
}

/** Carries out what an item (or one of its buttons) asks for. */
export async function runReviewAction(session: EditSession, item: ReviewItem, button?: vscode.QuickInputButton): Promise<void> {
  if (item.action === 'acceptAll') { await session.acceptAll(); return; }
  if (item.action === 'rejectAll') { await session.rejectAll(); return; }
  if (item.seq === undefined || item.path === undefined) return;
  if (button === acceptButton) await session.accept(item.seq);
  else if (button === rejectButton) await session.reject(item.seq);
  else if (button === fileButton) await session.openFile(item.path);
  else await session.openDiff(item.seq, item.path);
}

/** Shows the review list; resolves when it is closed. */
export function reviewEdits(session: EditSession): Promise<void> {
  const pick = vscode.window.createQuickPick<ReviewItem>();
  pick.title = `Review the run's file changes (${session.folder.name})`;
  pick.placeholder = 'Enter opens the diff; the buttons accept or reject';
  pick.matchOnDescription = true;
  const refresh = () => {
    const active = pick.activeItems[0];
    pick.items = reviewItems(session);
    const again = pick.items.find((item) => item.seq === active?.seq && item.path === active?.path && item.action === active?.action);
    if (again) pick.activeItems = [again];
  };
  const act = async (item: ReviewItem, button?: vscode.QuickInputButton) => {
    pick.busy = true;
    try {
      await runReviewAction(session, item, button);
    } catch (error) {
      void vscode.window.showErrorMessage(`RunTools: ${(error as Error).message}`);
    } finally {
      pick.busy = false;
      refresh();
    }
  };
  const subscriptions = [
    session.onDidChangeEdit(refresh),
    pick.onDidAccept(() => { const item = pick.selectedItems[0]; if (item) void act(item); }),
    pick.onDidTriggerItemButton((event) => void act(event.item, event.button)),
  ];
  refresh();
  pick.show();
  return new Promise((resolve) => {
    subscriptions.push(pick.onDidHide(() => {
      for (const subscription of subscriptions) subscription.dispose();
      pick.dispose();
      resolve();
    }));
  });
}
