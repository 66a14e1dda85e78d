/** The line under a run: a note from the extension, the edits in a few words, the dev URL, tokens, folder. */
import type { EditView, RunHeader, ViewMessage } from '../core/viewProtocol';
import { el, present } from './dom';
import { devUrlButton } from './eventRows';
import { editsLine, formatUsage } from './format';

/** Renders the footer unless nothing changed since `lastKey`; returns the new key. */
export function renderRunFooter(
  footer: HTMLElement, header: RunHeader, edits: readonly EditView[], devUrl: string, post: (message: ViewMessage) => void, lastKey: string,
): string {
  const usage = formatUsage(header.usage);
  const folder = header.folderName ?? '';
  const editsText = editsLine(edits);
  const note = header.note ?? '';
  const key = JSON.stringify([usage, devUrl, folder, editsText, note]);
  if (key === lastKey) return key;
  footer.replaceChildren(...present(
    note ? el('div', { className: 'run-note', testid: 'run-note', attrs: { role: 'note' }, text: note }) : null,
    editsText ? el('span', { className: 'edits-line', testid: 'edits-line', text: editsText }) : null,
    devUrl ? devUrlButton(header.localId, devUrl, post) : null,
    usage ? el('span', { className: 'usage', testid: 'usage', text: usage }) : null,
    folder ? el('span', { className: 'folder', text: `Folder: ${folder}` }) : null,
  ));
  footer.hidden = !usage && !devUrl && !folder && !editsText && !note;
  return key;
}
