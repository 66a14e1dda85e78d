/**
 * A file change as one card: what happened to which file (workspace-relative, cut in the middle
 * when narrow), +added/-removed, the edit's state and reason, its actions, and, when the change
 * came from a write call, that call folded in as one muted line.
 */
import type { LoggedEvent } from '../core/viewProtocol';
import { basename, button, el, lineCounts, pathLabel } from './dom';
import type { FileEditLogged, ToolRow } from './eventModel';
import { countDiffLines, editStateLabels, type EditRowState } from './format';
import { relativiseText, workspacePath } from './paths';
import type { RowContext, RowView } from './rowContext';

/** A file_edit no write call claimed: a row of its own. */
export function renderEditRow(logged: FileEditLogged, context: RowContext): RowView {
  const element = el('li', { className: 'event ev-edit', testid: 'event', data: { type: 'file_edit' } });
  const update = fillEditCard(element, logged, context);
  // Filled at once: a run rebuilt from a snapshot (a reload, a reopened panel) gets no later edit update.
  update();
  return { element, update };
}

/**
 * Turns `element` into the card of this edit (also an element that showed the write call until
 * now) and returns its update function.
 */
export function fillEditCard(element: HTMLElement, logged: FileEditLogged, context: RowContext, folded?: ToolRow): () => void {
  element.className = 'event ev-edit';
  element.dataset.type = 'file_edit';
  if (folded) element.dataset.folded = 'true';
  let lastKey = '';

  return () => {
    const edit = context.edit(logged.seq);
    const event = logged.event;
    const paths = edit?.paths.length
      ? edit.paths
      : [event.path, ...(event.newPath ? [event.newPath] : [])].map((path) => workspacePath(String(path), context.sandboxRoot));
    const counts = edit ?? countDiffLines(event.diff ?? '');
    const state: EditRowState = edit?.state ?? 'received';
    const via = folded ? foldedCallText(folded, context) : '';
    const key = JSON.stringify([paths, counts.added, counts.removed, state, edit?.reason, edit?.note, edit?.resolvable, via]);
    if (key === lastKey) return;
    lastKey = key;

    const rename = event.action === 'rename' && paths.length === 2;
    const action = actionBadge(event.action);
    const row = el('div', { className: `edit state-${state}`, testid: 'edit', data: { state } },
      el('div', { className: 'edit-main' },
        el('span', { className: `edit-action action-${action.letter}`, text: action.letter, title: action.label, attrs: { 'aria-label': action.label } }),
        el('span', { className: 'edit-paths' },
          ...(rename ? [pathLabel(paths[0]), el('span', { className: 'edit-arrow', text: '→' }), pathLabel(paths[1])] : paths.map((path) => pathLabel(path))),
        ),
        lineCounts(counts.added, counts.removed),
        el('span', { className: `badge edit-state state-${state}`, text: editStateLabels[state] }),
      ),
      via ? el('div', { className: 'edit-via', testid: 'edit-via', text: via, title: via }) : null,
      edit?.reason ? el('div', { className: 'edit-reason', text: edit.reason }) : null,
      edit?.note && !edit.reason ? el('div', { className: 'edit-note', testid: 'edit-note', text: edit.note }) : null,
      renderActions(logged.seq, paths, state, context, edit?.resolvable === true),
    );
    element.replaceChildren(row);
  };
}

/** "write_file · Wrote 587 bytes to app/index.html": the call and the first line of its result. */
function foldedCallText(row: ToolRow, context: RowContext): string {
  const tool = row.call?.event.tool || row.result?.event.tool || 'tool';
  const output = row.result ? firstLine(String(row.result.event.output ?? '')) : '';
  return [tool, output && relativiseText(output, context.sandboxRoot)].filter(Boolean).join(' · ');
}

function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** One letter as in VS Code's source control view (A, M, D, R), the action in words for the tooltip. */
function actionBadge(action: string | undefined): { letter: string; label: string } {
  switch ((action ?? '').toLowerCase()) {
    case 'create': case 'add': return { letter: 'A', label: 'Created' };
    case 'delete': case 'remove': return { letter: 'D', label: 'Deleted' };
    case 'rename': case 'move': return { letter: 'R', label: 'Renamed' };
    default: return { letter: 'M', label: action ? `Changed (${action})` : 'Changed' };
  }
}

function renderActions(seq: LoggedEvent['seq'], paths: string[], state: EditRowState, context: RowContext, resolvable: boolean): HTMLElement {
  const actions = el('div', { className: 'edit-actions' });
  const { localId } = context;
  const several = paths.length > 1;
  for (const path of paths.slice(0, 4)) {
    const suffix = several ? ` ${basename(path)}` : '';
    if (state !== 'unreadable') {
      actions.append(button(`Open Diff${suffix}`, () => context.post({ type: 'openDiff', localId, seq, path }),
        { variant: 'link', attrs: { 'aria-label': `Open diff of ${path}` }, data: { action: 'open-diff' } }));
    }
    if (state !== 'refused' && state !== 'unreadable') {
      actions.append(button(`Open File${suffix}`, () => context.post({ type: 'openFile', localId, seq, path }),
        { variant: 'link', attrs: { 'aria-label': `Open ${path}` }, data: { action: 'open-file' } }));
    }
  }
  if (resolvable) {
    for (const path of paths.slice(0, 4)) {
      actions.append(button(`Merge…${several ? ` ${basename(path)}` : ''}`, () => context.post({ type: 'resolveConflict', localId, path }),
        { variant: 'primary', data: { action: 'merge' }, attrs: { 'aria-label': `Merge the agent's change of ${path} with yours in the editor` } }));
    }
  }
  if (state === 'pending') {
    actions.append(
      button('Accept', () => context.post({ type: 'acceptEdit', localId, seq }), { variant: 'primary', data: { action: 'accept' } }),
      button('Reject', () => context.post({ type: 'rejectEdit', localId, seq }), { data: { action: 'reject' } }),
    );
  } else if (state === 'applied' || state === 'accepted') {
    // Rejecting a written edit reverts it (and only it), as safely as Undo Run.
    actions.append(button('Revert', () => context.post({ type: 'rejectEdit', localId, seq }), { variant: 'link', data: { action: 'revert' }, attrs: { 'aria-label': `Revert edit #${seq}` } }));
  }
  return actions;
}
