import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { changedFiles } from '../../core/review/changedFiles';
import { parseViewMessage, type HostMessage, type LoggedEvent, type ViewMessage, type ViewSnapshot } from '../../core/viewProtocol';
import { Disposable } from '../disposable';
import type { RunController } from '../runs/runController';
import type { RunHistory } from '../runs/runHistory';
import { MessageRefused } from './viewActions';

/** Events reach a webview at most this often, in one message per run: a 10,000-event run never floods it. */
const EVENT_FLUSH_MS = 50;
/** A run's changed files after a burst of edit changes. */
const FILES_FLUSH_MS = 100;

export interface ViewConnectionOptions {
  webview: vscode.Webview;
  controller: RunController;
  /** Announces every change of a run's header and edits, during the run and after it. */
  history: RunHistory;
  /** Whether this view shows the run (chat: the conversation's runs; panel: its one run). */
  shows(localId: string): boolean;
  snapshot(): Promise<ViewSnapshot>;
  /** Messages the view sends other than `ready`. */
  onMessage(message: Exclude<ViewMessage, { type: 'ready' }>): Promise<HostMessage | void>;
  onError(error: unknown, message: ViewMessage): void;
  /** Where dropped messages are logged, tagged with `name` (chat, panel). */
  logger: Logger;
  name: string;
}

/** What became of a message from the webview. */
/** What became of a message (for the extension's tests): handled (with the reply posted back, if any), or dropped and why. */
export type Received = { handled: true; reply?: HostMessage } | { handled: false; reason: string };

/**
 * Keeps one webview in step with the host: a `reset` snapshot whenever the page (re)loads, then
 * incremental messages for the runs it shows, events batched per run. Nothing is posted once
 * the webview is gone.
 */
export class ViewConnection extends Disposable {
  private readonly pendingEvents = new Map<string, LoggedEvent[]>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly filesDue = new Set<string>();
  private filesTimer: NodeJS.Timeout | undefined;
  private ready = false;
  /** Messages raised while a reset snapshot is being built: posted after it, never before. */
  private held: HostMessage[] | undefined;

  constructor(private readonly options: ViewConnectionOptions) {
    super();
    const { webview, controller, history } = options;
    this._register(webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
    this._register(controller.onDidStartRun((record) => {
      if (options.shows(record.localId)) this.post({ type: 'runStarted', run: record.toView() });
      this.post({ type: 'busy', busy: true });
    }));
    this._register(controller.onDidAppendEvents(({ localId, events }) => {
      if (!options.shows(localId)) return;
      const queue = this.pendingEvents.get(localId) ?? [];
      queue.push(...events);
      this.pendingEvents.set(localId, queue);
      this.flushTimer ??= setTimeout(() => this.flush(), EVENT_FLUSH_MS);
    }));
    this._register(history.onDidUpdateRun(({ localId, header }) => {
      if (!options.shows(localId)) return;
      this.flush(); // keep order: events before the status change they led to
      this.post({ type: 'runUpdated', localId, header });
    }));
    this._register(history.onDidUpdateEdit(({ localId, edit }) => {
      if (!options.shows(localId)) return;
      this.flush();
      this.post({ type: 'editUpdated', localId, edit });
      this.filesChanged(localId);
    }));
    this._register(controller.onDidEndRun(() => this.post({ type: 'busy', busy: false })));
    this._register({ dispose: () => { clearTimeout(this.flushTimer); clearTimeout(this.filesTimer); } });
  }

  /**
   * Rebuilds the view from the host's state. Building the snapshot awaits, and a run may go on
   * meanwhile: what it raises then is held and posted after the reset (the view drops whatever
   * comes before a reset, and ignores events it already has).
   */
  public async reset(): Promise<void> {
    this.pendingEvents.clear();
    this.held ??= [];
    try {
      const snapshot = await this.options.snapshot();
      this.send({ type: 'reset', snapshot });
    } finally {
      const held = this.held ?? [];
      this.held = undefined;
      for (const message of held) this.send(message);
    }
  }

  /**
   * One message from the webview, trusted for nothing: its shape is checked (viewProtocol.ts),
   * the run it names must be one this view shows, and the actions check it against that run.
   * What fails is dropped and logged.
   */
  public async receive(raw: unknown): Promise<Received> {
    const parsed = parseViewMessage(raw);
    if (!parsed.ok) return this.drop(parsed.reason);
    const { message } = parsed;
    if ('localId' in message && !this.options.shows(message.localId)) {
      return this.drop(`a ${message.type} message for run ${message.localId}, which this view does not show`);
    }
    try {
      if (message.type === 'ready') {
        this.ready = true;
        await this.reset();
        return { handled: true };
      }
      const reply = await this.options.onMessage(message);
      if (reply) this.post(reply);
      return reply ? { handled: true, reply } : { handled: true };
    } catch (error) {
      if (error instanceof MessageRefused) return this.drop(error.message);
      this.options.onError(error, message);
      return { handled: true };
    }
  }

  private drop(reason: string): Received {
    this.options.logger.warn(`[${this.options.name}] dropped a message from the webview: ${reason}`);
    return { handled: false, reason };
  }

  /**
   * The run's changed files go out at once (a command that decided something resolves after its
   * views have heard), then at most every FILES_FLUSH_MS while a burst of edit changes goes on.
   */
  private filesChanged(localId: string): void {
    if (this.filesTimer) {
      this.filesDue.add(localId);
      return;
    }
    this.postFiles(localId);
    this.filesTimer = setTimeout(() => {
      this.filesTimer = undefined;
      const due = [...this.filesDue];
      this.filesDue.clear();
      for (const id of due) this.filesChanged(id);
    }, FILES_FLUSH_MS);
  }

  private postFiles(localId: string): void {
    void this.options.history.get(localId).then((entry) => {
      // The files alone: a whole run view would copy every event of the run each time.
      if (entry?.edits) this.post({ type: 'filesUpdated', localId, files: changedFiles(entry.edits.records()) });
    });
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const [localId, events] of this.pendingEvents) this.post({ type: 'events', localId, events });
    this.pendingEvents.clear();
  }

  /** Posts a message of the host's own (not a run's change) to the page, once it is ready. */
  public notify(message: HostMessage): void {
    this.post(message);
  }

  private post(message: HostMessage): void {
    // Before `ready` the page has no listener yet; it gets everything in the reset snapshot.
    if (this.isDisposed || !this.ready) return;
    if (this.held) this.held.push(message);
    else this.send(message);
  }

  private send(message: HostMessage): void {
    if (this.isDisposed) return;
    void this.options.webview.postMessage(message).then(undefined, () => undefined);
  }
}
