import { randomBytes } from 'node:crypto';
import type { RunListener, TransportFrame } from './listeners';
import type { RunRequest } from './request';
import type { LoggedEvent, ThreadLog } from './threadLog';

export type ServerRunStatus = 'running' | 'completed' | 'failed' | 'cancelled';
export const runStatuses: readonly ServerRunStatus[] = ['running', 'completed', 'failed', 'cancelled'];

/** What a run has produced so far, as `GET /v1/run/{id}` reports it. */
export interface RunSummary {
  id: string;
  agent: string;
  threadId: string;
  status: ServerRunStatus;
  output?: string;
  result?: unknown;
  files?: string[];
  devUrl?: string;
  usage?: Record<string, number>;
  error?: { code?: string; message?: string };
  metadata?: unknown;
  eventCount: number;
  /** The sequence of the run's latest event in its thread's log. */
  lastSequence?: number;
  paused?: boolean;
  /** Set while the agent waits for an `input` command. */
  waitingForInput?: { question: string };
  createdAt: string;
  completedAt?: string;
}

/** The event a run emits when it waits for an answer, and the one when the answer came. */
export const inputRequiredEvent = 'input_required';
export const inputReceivedEvent = 'input_received';

/**
 * One run. Its events go into its thread's log (for replays) and to every connection following it
 * now; the run does not care whether anyone listens, so a client that disconnects leaves it running.
 * `cancel()` aborts `signal`, which every agent step and every pause listens to.
 */
export class Run {
  readonly id = `run_${randomBytes(8).toString('hex')}`;
  readonly agent: string;
  status: ServerRunStatus = 'running';
  private readonly controller = new AbortController();
  private readonly createdAt = new Date();
  private readonly listeners = new Set<RunListener>();
  private completedAt: Date | undefined;
  private eventCount = 0;
  private lastSequence: number | undefined;
  private outcome: Partial<Pick<RunSummary, 'output' | 'result' | 'files' | 'devUrl' | 'usage' | 'error'>> = {};
  private streamsEnded = false;
  private pausedBy: { promise: Promise<void>; resume: () => void } | undefined;
  private waiting: { question: string; answer: (text: string) => void } | undefined;
  /** Settles when the agent's work has stopped (set by the run executor). */
  done: Promise<void> = Promise.resolve();

  constructor(readonly request: RunRequest, readonly thread: ThreadLog, private readonly onLogged: (entry: LoggedEvent) => void) {
    this.agent = request.agent;
  }

  get threadId(): string {
    return this.thread.threadId;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get paused(): boolean {
    return this.pausedBy !== undefined;
  }

  /**
   * Logs an event and writes it to every connection following the run; resolves once they took
   * it. `name` undefined: the name is in `data.type` and no `event:` line is written.
   */
  async emit(name: string | undefined, data: unknown, id?: string): Promise<void> {
    const type = name ?? typeField(data) ?? 'message';
    this.observe(type, data);
    const entry = this.thread.append(this.id, type, data, name !== undefined, id);
    this.lastSequence = entry.sequence;
    this.onLogged(entry);
    await Promise.all([...this.listeners].map((listener) => listener.event(entry)));
  }

  /** Scripted bytes, comments and drops go to the connections open now; they are not logged. */
  async broadcast(frame: TransportFrame): Promise<void> {
    await Promise.all([...this.listeners].map((listener) => listener.frame(frame)));
  }

  /**
   * Follows the run on a new connection: first its logged events after `afterSequence`, then
   * live ones, then the end. Events already trimmed from the log are not replayed.
   */
  follow(listener: RunListener, afterSequence: number): void {
    for (const entry of this.thread.after(afterSequence, Number.MAX_SAFE_INTEGER, this.id).events) void listener.event(entry);
    if (this.streamsEnded) {
      void listener.end();
      return;
    }
    this.listeners.add(listener);
    void listener.whenClosed().then(() => this.listeners.delete(listener));
  }

  /** The agent's work is over: every connection finishes once it has written what it queued. */
  endStreams(): void {
    this.streamsEnded = true;
    for (const listener of this.listeners) void listener.end();
    this.listeners.clear();
  }

  get followers(): number {
    return this.listeners.size;
  }

  /** Records what an emitted event says about the run's outcome. */
  observe(type: string, data: unknown): void {
    this.eventCount++;
    const fields = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    if (type === 'error') {
      this.outcome.error = { code: stringOr(fields.code), message: stringOr(fields.message) };
    } else if (type === 'dev_url' && typeof fields.url === 'string') {
      this.outcome.devUrl = fields.url;
    } else if (type === 'complete') {
      if (typeof fields.output === 'string') this.outcome.output = fields.output;
      if (fields.result !== undefined) this.outcome.result = fields.result;
      if (Array.isArray(fields.files)) this.outcome.files = fields.files.filter((f): f is string => typeof f === 'string');
      if (typeof fields.devUrl === 'string') this.outcome.devUrl = fields.devUrl;
      if (typeof fields.usage === 'object' && fields.usage !== null) this.outcome.usage = fields.usage as Record<string, number>;
      const status = fields.status === 'failed' || fields.status === 'cancelled' ? fields.status : 'completed';
      this.finish(status);
    }
  }

  finish(status: Exclude<ServerRunStatus, 'running'>, output?: string): void {
    if (this.status !== 'running') return;
    this.status = status;
    this.completedAt = new Date();
    this.resume();
    if (output !== undefined && this.outcome.output === undefined) this.outcome.output = output;
  }

  /** Stops the run's work. A no-op once the run is final. */
  cancel(): boolean {
    if (this.status !== 'running') return false;
    this.finish('cancelled');
    this.controller.abort(new Error('Run cancelled'));
    return true;
  }

  /** Ends a run that outlived the server's limit, as failed. */
  expire(message: string): boolean {
    if (this.status !== 'running') return false;
    this.outcome.error = { code: 'run_expired', message };
    this.finish('failed', message);
    this.controller.abort(new Error(message));
    return true;
  }

  pause(): boolean {
    if (this.status !== 'running' || this.pausedBy) return false;
    let resume!: () => void;
    const promise = new Promise<void>((resolve) => (resume = resolve));
    this.pausedBy = { promise, resume };
    return true;
  }

  resume(): boolean {
    const paused = this.pausedBy;
    if (!paused) return false;
    this.pausedBy = undefined;
    paused.resume();
    return true;
  }

  /** Waits while the run is paused; throws once it is cancelled. */
  async whenRunnable(): Promise<void> {
    while (this.pausedBy) {
      this.signal.throwIfAborted();
      await abortable(this.pausedBy.promise, this.signal);
    }
    this.signal.throwIfAborted();
  }

  /** Emits `input_required` and waits for `provideInput`; then emits `input_received`. */
  async ask(question: string): Promise<string> {
    await this.emit(inputRequiredEvent, { question });
    const text = await abortable(new Promise<string>((answer) => (this.waiting = { question, answer })), this.signal);
    await this.emit(inputReceivedEvent, { text });
    return text;
  }

  /** False when the run is not waiting for input. */
  provideInput(text: string): boolean {
    const waiting = this.waiting;
    if (!waiting || this.status !== 'running') return false;
    this.waiting = undefined;
    waiting.answer(text);
    return true;
  }

  summary(): RunSummary {
    return {
      id: this.id,
      agent: this.agent,
      threadId: this.threadId,
      status: this.status,
      ...this.outcome,
      ...(this.request.metadata !== undefined ? { metadata: this.request.metadata } : {}),
      eventCount: this.eventCount,
      ...(this.lastSequence !== undefined ? { lastSequence: this.lastSequence } : {}),
      ...(this.paused ? { paused: true } : {}),
      ...(this.waiting && this.status === 'running' ? { waitingForInput: { question: this.waiting.question } } : {}),
      createdAt: this.createdAt.toISOString(),
      ...(this.completedAt ? { completedAt: this.completedAt.toISOString() } : {}),
    };
  }
}

function typeField(data: unknown): string | undefined {
  return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string' ? (data as { type: string }).type : undefined;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}
