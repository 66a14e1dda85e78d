/** The chat view's composer: the prompt box, Send / Cancel, New chat, and where runs go. */
import type { ComposerState, ViewSnapshot } from '../core/viewProtocol';
import { AgentPicker, type AgentPickerActions } from './agentPicker';
import { ContextChips, type ContextChipActions } from './contextChips';
import { button, el } from './dom';
import { uiState } from './uiState';

export interface ComposerActions {
  submit(text: string): void;
  /** While the active run's agent waits for an answer, Send answers it. */
  answer(text: string): void;
  cancel(): void;
  newChat(): void;
  /** Context chips and the agent picker (the host keeps both). */
  context: ContextChipActions;
  agent: AgentPickerActions;
}

export class Composer {
  readonly element: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly send: HTMLButtonElement;
  private readonly cancel: HTMLButtonElement;
  private readonly target = el('div', { className: 'composer-target', testid: 'composer-target' });
  private readonly chips: ContextChips;
  private readonly agent: AgentPicker;
  private busy = false;
  /** The agent's question, while the active run waits for an answer. */
  private question: string | undefined;
  private readonly placeholder = 'Ask the agent… (Enter to send, Shift+Enter for a new line)';

  constructor(private readonly actions: ComposerActions) {
    this.input = el('textarea', {
      className: 'composer-input',
      testid: 'composer-input',
      attrs: { rows: '3', placeholder: 'Ask the agent… (Enter to send, Shift+Enter for a new line)', 'aria-label': 'Prompt for the agent' },
    });
    this.input.value = uiState.draft;
    this.input.addEventListener('input', () => {
      uiState.setDraft(this.input.value);
      this.updateSend();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        this.submit();
      }
    });
    this.send = button('Send', () => this.submit(), { variant: 'primary', testid: 'composer-send' });
    this.cancel = button('Cancel', () => this.actions.cancel(), { testid: 'composer-cancel' });
    const newChat = button('New chat', () => this.actions.newChat(), { variant: 'link', testid: 'new-chat', title: 'Start a new conversation' });
    this.chips = new ContextChips(actions.context);
    this.agent = new AgentPicker(actions.agent);
    this.element = el('form', { className: 'composer', attrs: { 'aria-label': 'Composer' } },
      el('div', { className: 'composer-context' }, this.chips.element, this.chips.addButton),
      this.chips.noteElement,
      this.input,
      el('div', { className: 'composer-bar' }, newChat, this.agent.toggle, el('span', { className: 'spacer' }), this.cancel, this.send),
      this.agent.element,
      this.target,
    );
    this.element.addEventListener('submit', (event) => { event.preventDefault(); this.submit(); });
    this.setBusy(false);
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    const hadFocus = document.activeElement === this.send || document.activeElement === this.cancel;
    this.cancel.hidden = !busy;
    this.send.hidden = busy && !this.question;
    this.updateSend();
    if (hadFocus) (busy ? this.cancel : this.input).focus();
  }

  /** The composer answers the agent while it waits (`question`), and asks new things otherwise. */
  setQuestion(question: string | undefined): void {
    if (question === this.question) return;
    this.question = question;
    this.send.textContent = question ? 'Answer' : 'Send';
    this.input.placeholder = question ? `Answer the agent: ${question}` : this.placeholder;
    this.setBusy(this.busy);
  }

  setTarget(target: ViewSnapshot['target']): void {
    const parts = [target.origin, target.apiSlug && `agent ${target.apiSlug}`, target.folderName && `folder ${target.folderName}`].filter(Boolean);
    this.target.textContent = parts.length ? `→ ${parts.join(' · ')}` : '';
    this.target.title = this.target.textContent;
  }

  /** The chips and the agent, as the host keeps them. */
  setComposerState(state: ComposerState | undefined): void {
    if (!state) return;
    this.chips.update(state);
    this.agent.update(state.agent);
  }

  /** A chip or an agent the host did not take: said where the user looks. */
  composerRefused(reason: string): void {
    if (!this.agent.refused(reason)) this.chips.say(reason);
  }

  focus(): void {
    this.input.focus();
  }

  /** A prompt the host did not start comes back into the box, unless the user is typing a new one. */
  restore(text: string): void {
    if (this.input.value.trim()) return;
    this.input.value = text;
    uiState.setDraft(text);
    this.updateSend();
  }

  private updateSend(): void {
    this.send.disabled = (this.busy && !this.question) || this.input.value.trim().length === 0;
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!text || (this.busy && !this.question)) return;
    if (this.question) this.actions.answer(text);
    else this.actions.submit(text);
    this.input.value = '';
    uiState.setDraft('');
    this.updateSend();
  }
}
