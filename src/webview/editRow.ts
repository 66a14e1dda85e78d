/** A file_edit row: paths, +added/-removed, the edit's state and reason, and its actions. */
import type { FileEditEvent } from '../core/run/events';
import type { LoggedEvent } from '../core/viewProtocol';
import { basename, button, el } from './dom';
import { countDiffLines, editStateLabels, type EditRowState } from './format';
import type { RowContext, RowView } from './rowContext';

export function renderEditRow(logged: LoggedEvent & { event: FileEditEvent }, context: RowContext): RowView {
  const element = el('li', { className: 'event ev-edit', testid: 'event', data: { type: 'file_edit' } });
  let lastKey = '';

  const update = () => {
    const edit = context.edit(logged.seq);
    const event = logged.event;
    const paths = edit?.paths.length ? edit.paths : [event.path, ...(event.newPath ? [event.newPath] : [])];
    const counts = edit ?? countDiffLines(event.diff ?? '');
    const state: EditRowState = edit?.state ?? 'received';
    const key = JSON.stringify([paths, counts.added, counts.removed, state, edit?.reason]);
    if (key === lastKey) return;
    lastKey = key;

    const rename = event.action === 'rename' && paths.length === 2;
    const row = el('div', { className: `edit state-${state}`, testid: 'edit', data: { state } },
      el('div', { className: 'edit-main' },
        el('span', { className: 'edit-action', text: event.action ?? 'edit' }),
        el('span', { className: 'edit-paths', text: rename ? `${paths[0]} → ${paths[1]}` : paths.join(', '), title: paths.join('\n') }),
        el('span', { className: 'edit-counts' },
          el('span', { className: 'added', text: `+${counts.added}`, attrs: { 'aria-label': `${counts.added} lines added` } }),
          el('span', { className: 'removed', text: `-${counts.removed}`, attrs: { 'aria-label': `${counts.removed} lines removed` } }),
        ),
        el('span', { className: `badge edit-state state-${state}`, text: editStateLabels[state] }),
        renderActions(logged.seq, paths, state, context),
      ),
      edit?.reason ? el('div', { className: 'edit-reason', text: edit.reason }) : null,
    );
    element.replaceChildren(row);
  };
  update();
  return { element, update };
}

function renderActions(seq: number, paths: string[], state: EditRowState, context: RowContext): HTMLElement {
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
