/**
 * The scrolling conversation: an empty state (with the API-key card when there is no key) or
 * one turn per run, oldest first. Follows new output while the user is at the bottom.
 */
import type { RunView, ViewMessage, ViewSnapshot } from '../core/viewProtocol';
import { button, el } from './dom';
import { RunTurn } from './turn';
import { uiState } from './uiState';

export class Conversation {
  readonly element = el('div', { className: 'conversation', testid: 'conversation', attrs: { role: 'region', 'aria-label': 'Conversation', tabindex: '-1' } });
  private readonly turns = new Map<string, RunTurn>();
  private readonly list = el('div', { className: 'turns' });
  private readonly empty = el('div', { className: 'empty' });
  private viewKind: ViewSnapshot['viewKind'] = 'chat';
  private auth: ViewSnapshot['auth'] = 'none';
  private sandboxRoot: string | undefined;
  private follow = true;

  constructor(private readonly post: (message: ViewMessage) => void) {
    this.element.append(this.empty, this.list);
    this.element.addEventListener('scroll', () => {
      this.follow = this.isAtBottom();
      uiState.setScroll(this.element.scrollTop, this.follow);
    }, { passive: true });
  }

  reset(snapshot: ViewSnapshot): void {
    this.viewKind = snapshot.viewKind;
    this.auth = snapshot.auth;
    this.sandboxRoot = snapshot.target.sandboxRoot;
    this.turns.clear();
    const fragment = document.createDocumentFragment();
    for (const run of snapshot.runs) fragment.append(this.createTurn(run).element);
    this.list.replaceChildren(fragment);
    this.renderEmpty();
    const scroll = uiState.scroll;
    this.follow = scroll.atBottom;
    if (!scroll.atBottom && scroll.top !== undefined) this.element.scrollTop = scroll.top;
  }

  runStarted(run: RunView): void {
    const existing = this.turns.get(run.localId);
    const turn = this.createTurn(run);
    if (existing) existing.element.replaceWith(turn.element);
    else this.list.append(turn.element);
    // A new prompt of the user: follow it.
    this.follow = true;
    this.renderEmpty();
  }

  turn(localId: string): RunTurn | undefined {
    return this.turns.get(localId);
  }

  /** The run Cancel in the composer refers to: the latest active one. */
  activeRunId(): string | undefined {
    let id: string | undefined;
    for (const turn of this.turns.values()) if (turn.active) id = turn.localId;
    return id;
  }

  /** The active run's agent question, while it waits for an answer. */
  activeQuestion(): { localId: string; question: string } | undefined {
    const localId = this.activeRunId();
    const question = localId ? this.turns.get(localId)?.question : undefined;
    return localId && question ? { localId, question } : undefined;
  }

  hasActiveRuns(): boolean {
    return this.activeRunId() !== undefined;
  }

  tick(now: number): void {
    for (const turn of this.turns.values()) if (turn.active) turn.tick(now);
  }

  /** Call after the DOM changed: keeps the newest output in view when the user was following. */
  afterRender(): void {
    if (this.follow) this.element.scrollTop = this.element.scrollHeight;
  }

  private createTurn(run: RunView): RunTurn {
    const turn = new RunTurn(run, { viewKind: this.viewKind, post: this.post, sandboxRoot: this.sandboxRoot });
    this.turns.set(run.localId, turn);
    return turn;
  }

  private isAtBottom(): boolean {
    const { scrollTop, scrollHeight, clientHeight } = this.element;
    return scrollHeight - scrollTop - clientHeight < 32;
  }

  private renderEmpty(): void {
    const children: HTMLElement[] = [];
    if (this.viewKind === 'chat' && this.auth === 'none') children.push(this.authCard());
    if (this.turns.size === 0) {
      if (this.viewKind === 'panel') {
        children.push(el('p', { className: 'hint', text: 'This run is no longer available.' }));
      } else if (this.auth !== 'none') {
        children.push(el('div', { className: 'hint', testid: 'empty-hint' },
          el('p', { className: 'hint-title', text: 'What should the agent do?' }),
          el('p', { text: 'Describe a change in plain words, for example:' }),
          el('ul', {},
            el('li', { text: 'Build a small todo app with a dev server' }),
            el('li', { text: 'Add input validation to the signup form' }),
            el('li', { text: 'Explain and fix the failing test in src/' }),
          ),
          el('p', { text: 'Select code in an editor first to work on just that part. Edits land in your workspace with review and undo.' }),
        ));
      }
    }
    this.empty.replaceChildren(...children);
    this.empty.hidden = children.length === 0;
  }

  private authCard(): HTMLElement {
    return el('div', { className: 'card auth-card', testid: 'auth-card' },
      el('p', { className: 'card-title', text: 'Connect to RunTools' }),
      el('p', { text: 'Runs go to a remote coding agent, which needs a RunTools API key. The key is stored in VS Code\'s secret storage, never in settings.' }),
      el('p', { text: 'No account yet? Try the agent on a local demo server.' }),
      el('div', { className: 'card-actions' },
        button('Set API Key', () => this.post({ type: 'runCommand', command: 'runtools.setApiKey' }), { variant: 'primary', testid: 'set-api-key' }),
        button('Try without an account', () => this.post({ type: 'runCommand', command: 'runtools.tryLocalServer' }), { testid: 'try-local-server', title: 'Start the local demo server and run against it' }),
      ),
    );
  }
}
