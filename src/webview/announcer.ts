/** A polite live region for status changes only (a run started or ended), never for every event. */
import { el } from './dom';

export class Announcer {
  readonly element = el('div', { className: 'sr-only', testid: 'announcer', attrs: { role: 'status', 'aria-live': 'polite' } });

  say(text: string): void {
    this.element.textContent = text;
  }
}
