/**
 * Under a run's header while the extension follows it on the server: how the connection stands
 * ("reconnecting…", "caught up 37 events", "stopped following: … [Retry]"), the agent's question
 * when it waits for an answer, and Pause / Resume where the server lets the run be steered.
 */
import type { RunHeader, ViewMessage } from '../core/viewProtocol';
import { button, el, present } from './dom';

export class FollowBar {
  readonly element = el('div', { className: 'follow-bar', testid: 'follow-bar', attrs: { role: 'status', 'aria-live': 'polite' } });
  private key = '';

  constructor(private readonly localId: string, private readonly post: (message: ViewMessage) => void) {
    this.element.hidden = true;
  }

  render(header: RunHeader, active: boolean): void {
    const { connection, control } = header;
    const question = active ? control?.question : undefined;
    const steerable = active && control?.available === true;
    const key = JSON.stringify([connection, question, steerable, control?.paused]);
    if (key === this.key) return;
    this.key = key;
    const { localId, post } = this;
    this.element.dataset.state = connection?.state ?? (question ? 'question' : 'live');
    this.element.replaceChildren(...present(
      connection ? el('span', { className: 'follow-text', testid: 'connection', text: connection.text }) : null,
      connection?.canRetry && !active ? button('Retry', () => post({ type: 'retryRun', localId }), { variant: 'link', data: { action: 'retry' } }) : null,
      question ? el('div', { className: 'follow-question', testid: 'agent-question' },
        el('span', { className: 'label', text: 'The agent asks:' }), el('span', { text: ` ${question}` }),
        el('span', { className: 'hint', text: ' Answer in the box below.' })) : null,
      steerable && !control.paused ? button('Pause', () => post({ type: 'pauseRun', localId }), { variant: 'link', data: { action: 'pause' } }) : null,
      steerable && control.paused ? button('Resume', () => post({ type: 'resumeRun', localId }), { variant: 'link', data: { action: 'resume' } }) : null,
      steerable && control.paused ? el('span', { className: 'follow-text', text: 'Paused.' }) : null,
    ));
    this.element.hidden = this.element.childElementCount === 0;
  }
}
