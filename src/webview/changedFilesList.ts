/**
 * A run's changed files at the end of its turn: each file with +/−, where it stands, and Keep /
 * Undo while some of it waits for a decision (Merge… for a conflict); Keep All / Undo All above.
 * A click on a file opens it at its first change. The host decides; this only asks
 * (keepChanges / undoChanges / openChange / resolveConflict) and shows what the host says.
 */
import type { ChangedFile, ChangedFileState, ViewMessage } from '../core/viewProtocol';
import { button, el, lineCounts, pathLabel } from './dom';

const STATE_LABELS: Record<ChangedFileState, string> = {
  review: 'To review',
  pending: 'Waiting for review',
  kept: 'Kept',
  undone: 'Undone',
  conflict: 'Conflict',
  refused: 'Not applied',
  failed: 'Failed',
};

const KIND_LETTERS: Record<ChangedFile['kind'], { letter: string; label: string }> = {
  create: { letter: 'A', label: 'Created' },
  modify: { letter: 'M', label: 'Changed' },
  delete: { letter: 'D', label: 'Deleted' },
  rename: { letter: 'R', label: 'Renamed' },
  problem: { letter: '!', label: 'Not applied' },
};

export class ChangedFilesList {
  readonly element = el('section', { className: 'changed-files', testid: 'changed-files', attrs: { 'aria-label': 'Changed files' } });
  private key = '';

  constructor(private readonly localId: string, private readonly post: (message: ViewMessage) => void) {
    this.element.hidden = true;
  }

  render(files: readonly ChangedFile[], runActive: boolean): void {
    const key = JSON.stringify([files, runActive]);
    if (key === this.key) return;
    this.key = key;
    this.element.hidden = files.length === 0;
    if (files.length === 0) {
      this.element.replaceChildren();
      return;
    }
    const open = files.filter((f) => f.open > 0).length;
    const { localId, post } = this;
    const header = el('div', { className: 'changed-files-header' },
      el('span', { className: 'changed-files-title', text: `${files.length} file${files.length === 1 ? '' : 's'} changed${open ? ` · ${open} to review` : ''}` }),
      // While the run goes on, more edits may come: Keep All / Undo All wait for its end.
      open && !runActive ? button('Keep All', () => post({ type: 'keepChanges', localId }), { variant: 'primary', data: { action: 'keep-all' } }) : null,
      open && !runActive ? button('Undo All', () => post({ type: 'undoChanges', localId }), { data: { action: 'undo-all' } }) : null,
    );
    const list = el('ul', { className: 'changed-files-list' }, ...files.map((file) => this.renderFile(file)));
    this.element.replaceChildren(header, list);
  }

  private renderFile(file: ChangedFile): HTMLElement {
    const { localId, post } = this;
    const kind = KIND_LETTERS[file.kind];
    const open = () => post({ type: 'openChange', localId, path: file.path });
    const name = el('button', { className: 'changed-file-open', attrs: { type: 'button', 'aria-label': `Open ${file.path} at its first change` }, data: { action: 'open-change' } }, pathLabel(file.path));
    name.addEventListener('click', open);
    return el('li', { className: `changed-file state-${file.state}`, testid: 'changed-file', data: { path: file.path, state: file.state, open: String(file.open) }, title: file.reason ?? '' },
      el('span', { className: `edit-action action-${kind.letter === '!' ? 'X' : kind.letter}`, text: kind.letter, title: kind.label, attrs: { 'aria-label': kind.label } }),
      name,
      lineCounts(file.added, file.removed),
      el('span', { className: `badge file-state state-${file.state}`, text: STATE_LABELS[file.state] }),
      el('span', { className: 'changed-file-actions' },
        file.open > 0 ? button('Keep', () => post({ type: 'keepChanges', localId, path: file.path }), { variant: 'link', data: { action: 'keep' }, attrs: { 'aria-label': `Keep the changes to ${file.path}` } }) : null,
        file.open > 0 ? button('Undo', () => post({ type: 'undoChanges', localId, path: file.path }), { variant: 'link', data: { action: 'undo' }, attrs: { 'aria-label': `Undo the changes to ${file.path}` } }) : null,
        file.resolvable ? button('Merge…', () => post({ type: 'resolveConflict', localId, path: file.path }), { variant: 'link', data: { action: 'merge' }, attrs: { 'aria-label': `Merge the agent's change of ${file.path} with yours in the editor` } }) : null,
      ),
    );
  }
}
