/**
 * One run as a turn of the conversation: the prompt, then the run's status, duration, actions,
 * its events (appended, windowed), errors, final output (markdown) and token usage.
 */
import type { CompleteEvent } from '../core/run/events';
import type { ChangedFile, EditView, LoggedEvent, RunHeader, RunView, ViewMessage } from '../core/viewProtocol';
import { ChangedFilesList } from './changedFilesList';
import { button, el, present } from './dom';
import { RunLog, rowEdit, type Row } from './eventModel';
import { renderRow } from './eventRows';
import { EventWindow, WINDOW_STEP } from './eventWindow';
import { FollowBar } from './followBar';
import { formatDuration, isActive, statusLabels } from './format';
import { renderMarkdownInto } from './markdown';
import { renderRunError } from './runError';
import { renderRunFooter } from './runFooter';
import { workspacePath } from './paths';
import type { RowContext, RowView } from './rowContext';
import { uiState } from './uiState';

export interface TurnOptions {
  viewKind: 'chat' | 'panel';
  post(message: ViewMessage): void;
  /** The sandbox folder event paths live in (from the host's settings). */
  sandboxRoot?: string;
}

export class RunTurn {
  readonly element: HTMLElement;
  private header: RunHeader;
  private readonly log: RunLog;
  private readonly window: EventWindow;
  private readonly edits = new Map<number, EditView>();
  private readonly fullTexts = new Map<number, string>();
  private readonly views = new Map<string, RowView>();
  private readonly devUrlsSeen = new Set<string>();
  private readonly context: RowContext;

  private readonly statusEl = el('span', { className: 'run-status', testid: 'run-status' });
  private readonly spinner = el('span', { className: 'spinner', attrs: { 'aria-hidden': 'true' } });
  private readonly durationEl = el('span', { className: 'duration', attrs: { 'aria-label': 'Duration' } });
  private readonly actionsEl = el('div', { className: 'run-actions' });
  private readonly showMore: HTMLButtonElement;
  private readonly followBar: FollowBar;
  private readonly list = el('ol', { className: 'event-list', attrs: { 'aria-label': 'Run events' } });
  private readonly errorEl = el('div', { className: 'run-error', testid: 'run-error', attrs: { role: 'note' } });
  private readonly outputEl = el('div', { className: 'output markdown-body', testid: 'output' });
  private readonly footerEl = el('div', { className: 'run-footer' });
  private readonly filesList: ChangedFilesList;
  private files: ChangedFile[];
  private actionsKey = '';
  private outputKey: string | undefined;
  private footerKey = '';
  private lastComplete: CompleteEvent | undefined;

  constructor(run: RunView, private readonly options: TurnOptions) {
    const { events, edits, files, ...header } = run;
    this.header = header;
    this.files = files ?? [];
    this.log = new RunLog({ sandboxRoot: options.sandboxRoot });
    this.window = new EventWindow(uiState.limit(run.localId) ?? WINDOW_STEP);
    for (const edit of edits) this.edits.set(edit.seq, edit);
    const localId = run.localId;
    this.context = {
      localId,
      post: options.post,
      edit: (seq) => this.edits.get(seq),
      fullText: (seq) => this.fullTexts.get(seq),
      toggled: (rowId, part) => uiState.toggled(`${localId}/${rowId}/${part}`),
      setToggled: (rowId, part, open) => uiState.setToggled(`${localId}/${rowId}/${part}`, open),
      sandboxRoot: options.sandboxRoot,
      hasEdit: (path) => this.log.editRowFor(path) !== undefined,
      openPath: (path) => this.openPath(path),
    };
    this.followBar = new FollowBar(localId, options.post);
    this.filesList = new ChangedFilesList(localId, options.post);
    this.showMore = button('', () => this.widen(), { variant: 'link', className: 'show-more', data: { action: 'show-more' } });
    this.showMore.hidden = true;

    this.element = el('article', { className: 'turn', testid: 'run', data: { localId } },
      this.renderPrompt(),
      el('section', { className: 'run', attrs: { 'aria-label': 'Agent run' } },
        el('header', { className: 'run-header' }, this.spinner, this.statusEl, this.durationEl, this.actionsEl),
        this.followBar.element,
        el('div', { className: 'events' }, this.showMore, this.list),
        this.errorEl,
        this.outputEl,
        this.filesList.element,
        this.footerEl,
      ),
    );
    this.renderHeader();
    this.addEvents(events);
  }

  get localId(): string { return this.header.localId; }
  get status(): RunHeader['status'] { return this.header.status; }
  get active(): boolean { return isActive(this.header.status); }

  addEvents(events: readonly LoggedEvent[]): void {
    if (events.length === 0) return;
    const { appended, updated } = this.log.add(events);
    for (const logged of events) {
      if (logged.event.type === 'dev_url') this.devUrlsSeen.add(String(logged.event.url));
      if (logged.event.type === 'complete') this.lastComplete = logged.event;
    }
    for (const row of updated) this.views.get(row.id)?.update();
    if (appended.length) {
      const oldFirst = this.window.first;
      const plan = this.window.append(appended.length);
      const rows = this.log.rows;
      for (let index = oldFirst; index < oldFirst + plan.dropFront; index++) this.unrender(rows[index]);
      const fragment = document.createDocumentFragment();
      for (let index = plan.renderFrom; index < rows.length; index++) fragment.append(this.render(rows[index]));
      this.list.append(fragment);
    }
    this.renderShowMore();
    // Output may come from a complete event; dev URL buttons may now be duplicates.
    this.renderOutput();
    this.renderFooter();
  }

  updateHeader(patch: Partial<RunHeader>): void {
    const { localId: _ignored, ...rest } = patch;
    this.header = { ...this.header, ...rest };
    this.renderHeader();
  }

  updateEdit(edit: EditView): void {
    this.edits.set(edit.seq, edit);
    const row = this.log.findRow(edit.seq);
    if (row) this.views.get(row.id)?.update();
    this.renderActions();
    this.renderFooter();
  }

  updateFiles(files: ChangedFile[]): void {
    this.files = files;
    this.filesList.render(files, this.active);
  }

  fullOutput(seq: number, text: string): void {
    this.fullTexts.set(seq, text);
    const row = this.log.findRow(seq);
    if (row) this.views.get(row.id)?.update();
  }

  /** From start to end, or to `now` while active; undefined when unknown. */
  durationMs(now = Date.now()): number | undefined {
    const end = this.header.endedAt ?? (this.active ? now : undefined);
    return end !== undefined && this.header.startedAt ? end - this.header.startedAt : undefined;
  }

  /** Updates the live duration; called about once a second while the run is active. */
  tick(now: number): void {
    const duration = this.durationMs(now);
    this.durationEl.textContent = duration !== undefined ? formatDuration(duration) : '';
  }

  /** Hidden events for the "show more" control (also read by tests through the DOM). */
  private hiddenEvents(): number {
    let shown = 0;
    for (let index = this.window.first; index < this.log.rows.length; index++) shown += this.log.rows[index].eventCount;
    return this.log.eventCount - shown;
  }

  private render(row: Row): HTMLElement {
    const view = renderRow(row, this.context);
    view.element.dataset.rowId = row.id;
    this.views.set(row.id, view);
    return view.element;
  }

  private unrender(row: Row | undefined): void {
    if (!row) return;
    this.views.get(row.id)?.element.remove();
    this.views.delete(row.id);
  }

  private widen(): void {
    const { from, to } = this.window.showMore();
    uiState.setLimit(this.localId, this.window.limit);
    const fragment = document.createDocumentFragment();
    for (let index = from; index < to; index++) fragment.append(this.render(this.log.rows[index]));
    this.list.prepend(fragment);
    this.renderShowMore();
    if (this.showMore.hidden) (this.list.querySelector('button, summary') as HTMLElement | null)?.focus();
  }

  private renderShowMore(): void {
    const hidden = this.window.first > 0 ? this.hiddenEvents() : 0;
    this.showMore.hidden = hidden === 0;
    this.showMore.dataset.hidden = String(hidden);
    if (hidden) this.showMore.textContent = `${hidden.toLocaleString('en-US')} earlier event${hidden === 1 ? '' : 's'} hidden: show more`;
  }

  private renderPrompt(): HTMLElement {
    const { prompt, selection } = this.header;
    return el('div', { className: 'prompt' },
      el('div', { className: 'prompt-text', text: prompt }),
      selection ? el('div', { className: 'prompt-selection', text: `${selection.path}:${selection.startLine}-${selection.endLine}` }) : null,
    );
  }

  private renderHeader(): void {
    const { status } = this.header;
    this.element.dataset.status = status;
    this.element.classList.toggle('is-active', this.active);
    this.statusEl.textContent = statusLabels[status] ?? status;
    this.statusEl.className = `run-status status-${status}`;
    this.spinner.hidden = !this.active;
    this.tick(Date.now());
    this.renderActions();
    this.followBar.render(this.header, this.active);
    renderRunError(this.errorEl, this.header, this.options.post);
    this.renderOutput();
    this.filesList.render(this.files, this.active);
    this.renderFooter();
  }

  /** The agent's question while this run waits for an answer. */
  get question(): string | undefined {
    return this.active ? this.header.control?.question : undefined;
  }

  private renderActions(): void {
    const { localId } = this;
    const edits = [...this.edits.values()];
    const written = edits.some((edit) => edit.state === 'applied' || edit.state === 'accepted');
    const wanted = {
      cancel: this.active,
      openInEditor: this.options.viewKind === 'chat',
      review: edits.length > 0,
      undo: written && !this.active,
    };
    const key = JSON.stringify(wanted);
    if (key === this.actionsKey) return;
    this.actionsKey = key;
    const post = this.options.post;
    this.actionsEl.replaceChildren(...present(
      wanted.cancel ? button('Cancel', () => post({ type: 'cancelRun', localId }), { data: { action: 'cancel' } }) : null,
      wanted.openInEditor ? button('Open in Editor', () => post({ type: 'openInEditor', localId }), { variant: 'link', data: { action: 'open-in-editor' } }) : null,
      wanted.review ? button('Review Edits', () => post({ type: 'reviewEdits', localId }), { variant: 'link', data: { action: 'review-edits' } }) : null,
      wanted.undo ? button('Undo Run', () => post({ type: 'undoRun', localId }), { variant: 'link', data: { action: 'undo-run' } }) : null,
    ));
  }

  /** A file a tool named: its edit card in view, else the edit's diff. */
  private openPath(path: string): void {
    const row = this.log.editRowFor(path);
    const element = row ? this.views.get(row.id)?.element : undefined;
    if (element) {
      element.tabIndex = -1;
      element.scrollIntoView({ block: 'nearest' });
      element.focus({ preventScroll: true });
      element.classList.remove('flash');
      void element.offsetWidth; // restart the animation
      element.classList.add('flash');
      return;
    }
    const edit = row ? rowEdit(row) : undefined;
    const relative = workspacePath(path, this.options.sandboxRoot);
    if (!edit) return;
    const paths = this.edits.get(edit.seq)?.paths ?? [];
    this.options.post({ type: 'openDiff', localId: this.localId, seq: edit.seq, path: paths.includes(relative) ? relative : paths[0] ?? relative });
  }

  private renderOutput(): void {
    const output = this.header.output ?? this.completeOutput();
    if (output === this.outputKey) return;
    this.outputKey = output;
    this.outputEl.hidden = !output;
    if (output) renderMarkdownInto(this.outputEl, output, { insert: (text) => this.options.post({ type: 'insertAtCursor', text }) });
    else this.outputEl.replaceChildren();
  }

  /** The last complete event's output (or its JSON result) when the header has none. */
  private completeOutput(): string | undefined {
    const event = this.lastComplete;
    if (!event) return undefined;
    if (event.output) return String(event.output);
    if (event.result !== undefined) return '```json\n' + JSON.stringify(event.result, null, 2) + '\n```';
    return undefined;
  }

  private renderFooter(): void {
    const devUrl = this.header.devUrl && !this.devUrlsSeen.has(this.header.devUrl) ? this.header.devUrl : '';
    this.footerKey = renderRunFooter(this.footerEl, this.header, [...this.edits.values()], devUrl, this.options.post, this.footerKey);
  }
}
