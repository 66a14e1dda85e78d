/**
 * What went wrong with a run, with its code and request id; for a cancelled run a calm note
 * instead (a cancel is what the user asked for, or the server's decision, not a failure), still
 * with its hint (say, that the server could not be told).
 */
import type { RunHeader, ViewMessage } from '../core/viewProtocol';
import { button, el, present } from './dom';

export function renderRunError(element: HTMLElement, header: RunHeader, post: (message: ViewMessage) => void): void {
  const error = header.error;
  element.hidden = !error;
  if (!error) { element.replaceChildren(); return; }
  const calm = header.status === 'cancelled';
  element.className = calm ? 'run-cancel-note' : 'run-error';
  element.dataset.kind = calm ? 'note' : 'error';
  element.replaceChildren(...present(
    el('div', { className: calm ? 'note-message' : 'error-message', text: error.message }),
    error.hint ? el('div', { className: 'error-hint', text: error.hint }) : null,
    error.code || error.requestId
      ? el('div', { className: 'error-meta', text: [error.code && `code ${error.code}`, error.requestId && `request ${error.requestId}`].filter(Boolean).join(' · ') })
      : null,
    calm ? null : button('Show Log', () => post({ type: 'runCommand', command: 'runtools.showLog' }), { variant: 'link' }),
  ));
}
