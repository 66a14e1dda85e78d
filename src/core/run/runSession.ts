import type { Logger } from '../logger';
import { parseRunSnapshot } from './answer';
import type { ConnectionStatus, ControlResult, ControlState } from './connection';
import { httpError, networkError, readBoundedText, redirectError, type ErrorContext } from './errorMapping';
import type { RunEvent } from './events';
import type { FollowContext, ReconnectPolicy } from './follow/followContext';
import { followAfterCut } from './follow/reattach';
import { IdleTimer } from './idleTimer';
import { fetchWithoutRedirects, RedirectRefused } from './redirects';
import type { Redactor } from './redact';
import { buildStartRequest, type Endpoint } from './request';
import type { ResumeState } from './resumeState';
import { RunError } from './runError';
import { gaveUpOutcome, htmlInsteadOfAnswer, idleError, notFinal, responseTimeout, statusOnlyOutcome, withoutRunId } from './runEnding';
import { outcomeFromComplete, outcomeFromSnapshot, type OutcomeBody } from './runOutcome';
import { RunCommands } from './runCommands';
import { eventsOf, RunTracker, type Delivery } from './runTracker';
import { readFirstStream } from './sseAttempt';
import type { ApiStyle, RunErrorInfo, RunHandle, RunOutcome, RunRequest, RunSnapshot } from './types';

/** What a session needs from its client. */
export interface SessionContext {
  endpoint: Endpoint;
  style: ApiStyle;
  origin: string;
  idleTimeoutMs: number;
  responseTimeoutMs: number;
  requestTimeoutMs: number;
  maxBufferedEvents: number;
  /** Undefined: a broken stream is not followed again. */
  reconnect: ReconnectPolicy | undefined;
  pollIntervalMs: number;
  logger: Logger;
  redact: Redactor;
  getRun(runId: string): Promise<RunSnapshot>;
  cancelRun(runId: string): Promise<void>;
  attach(state: ResumeState): RunHandle;
}

/** How the session came to be: a new run, or one followed again from a saved state. */
export type SessionStart = { kind: 'start'; request: RunRequest } | { kind: 'attach'; state: ResumeState } | { kind: 'failed'; error: RunErrorInfo };

/**
 * One run: its request and first stream, the re-attach when that breaks (follow/), its cancel and
 * commands, and the outcome. Created by `RunClient.start` and `RunClient.attach`.
 */
export class RunSession implements RunHandle {
  readonly outcome: Promise<RunOutcome>;
  private readonly tracker: RunTracker;
  private readonly controller = new AbortController();
  private readonly startedAt = performance.now();
  private readonly followContext: FollowContext;
  private cancelling: Promise<RunErrorInfo | undefined> | undefined;
  private finished = false;
  private gaveUp = false;
  private readonly commands: RunCommands;

  constructor(start: SessionStart, private readonly ctx: SessionContext) {
    const state = start.kind === 'attach' ? start.state : undefined;
    const apiSlug = start.kind === 'start' ? start.request.apiSlug : state?.apiSlug ?? '';
    this.tracker = new RunTracker(ctx.origin, state?.apiStyle ?? ctx.style, apiSlug, ctx.logger, ctx.maxBufferedEvents, state);
    this.followContext = {
      endpoint: ctx.endpoint,
      origin: ctx.origin,
      idleTimeoutMs: ctx.idleTimeoutMs,
      requestTimeoutMs: ctx.requestTimeoutMs,
      pageSize: 500,
      pollIntervalMs: ctx.pollIntervalMs,
      reconnect: ctx.reconnect ?? { maxAttempts: 0, baseDelayMs: 0, maxDelayMs: 0 },
      logger: ctx.logger,
      redact: ctx.redact,
      getRun: ctx.getRun,
      signal: this.controller.signal,
    };
    this.commands = new RunCommands(this.tracker, this.followContext, () => this.finished || this.cancelling !== undefined);
    this.tracker.runIdListeners.add(() => this.tracker.setControl({ available: this.commands.possible }));
    if (this.tracker.runId) this.tracker.control.available = this.commands.possible;
    const work = start.kind === 'start'
      ? this.start(start.request)
      : start.kind === 'attach' ? this.attach(start.state) : Promise.resolve(this.finish({ status: 'failed', files: [], error: start.error }));
    this.outcome = work.catch((err: unknown) => {
      // A bug in the client must still end in an outcome, not a rejection.
      ctx.logger.error(`Run client failed unexpectedly: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return this.finish({ status: 'failed', files: [], error: { kind: 'protocol', message: ctx.redact(`The run client failed unexpectedly: ${String(err)}`) } });
    }).finally(() => {
      this.tracker.queue.end();
      this.commands.close();
      if (!this.gaveUp) this.tracker.setConnection({ state: 'closed' });
    });
  }

  /** A handle whose outcome is this failure, for an `attach` that cannot even begin. */
  static failedAtOnce(error: RunErrorInfo, ctx: SessionContext): RunSession {
    return new RunSession({ kind: 'failed', error }, ctx);
  }

  get runId(): string | undefined {
    return this.tracker.runId;
  }

  get deliveries(): AsyncIterable<Delivery> {
    return this.tracker.queue;
  }

  get events(): AsyncIterable<RunEvent> {
    return eventsOf(this.tracker.queue);
  }

  get resumeState(): ResumeState | undefined {
    return this.tracker.resumeState();
  }

  get connection(): ConnectionStatus {
    return this.tracker.connection;
  }

  get control(): ControlState {
    return this.tracker.control;
  }

  onRunId(listener: (runId: string) => void): { dispose(): void } {
    if (this.tracker.runId !== undefined) {
      listener(this.tracker.runId);
      return { dispose: () => undefined };
    }
    return this.tracker.runIdListeners.add(listener);
  }

  onResumeState(listener: (state: ResumeState) => void): { dispose(): void } {
    return this.tracker.resumeListeners.add(listener);
  }

  onConnection(listener: (status: ConnectionStatus) => void): { dispose(): void } {
    return this.tracker.connectionListeners.add(listener);
  }

  onControl(listener: (state: ControlState) => void): { dispose(): void } {
    return this.tracker.controlListeners.add(listener);
  }

  pause(): Promise<ControlResult> {
    return this.commands.send({ action: 'pause' });
  }

  resume(): Promise<ControlResult> {
    return this.commands.send({ action: 'resume' });
  }

  input(text: string): Promise<ControlResult> {
    return this.commands.send({ action: 'input', text });
  }

  retry(): RunHandle | undefined {
    const state = this.tracker.resumeState();
    return this.gaveUp && state ? this.ctx.attach(state) : undefined;
  }

  async cancel(): Promise<void> {
    if (this.finished) return;
    if (!this.cancelling) {
      this.controller.abort();
      this.tracker.queue.end();
      this.cancelling = this.tellServerToCancel();
    }
    await this.cancelling;
  }

  private async start(request: RunRequest): Promise<RunOutcome> {
    const { ctx } = this;
    const http = buildStartRequest(ctx.endpoint, request, ctx.style);
    ctx.logger.info(`Starting run: POST ${http.url} (${request.stream ? 'streaming' : 'waiting for the answer'})`);
    // The first request has its own abort: an idle stream ends it, not the run.
    const attempt = new AbortController();
    let idled = false;
    let timedOut = false;
    const idle = request.stream ? new IdleTimer(ctx.idleTimeoutMs, () => { idled = true; attempt.abort(); }) : undefined;
    const deadline = request.stream ? undefined : setTimeout(() => { timedOut = true; attempt.abort(); }, ctx.responseTimeoutMs);
    try {
      let response: Response;
      try {
        response = await fetchWithoutRedirects(http.url, { method: http.method, headers: http.headers, body: http.body, signal: AbortSignal.any([this.controller.signal, attempt.signal]) });
      } catch (err) {
        if (this.cancelling) return this.cancelledOutcome();
        if (err instanceof RedirectRefused) {
          const error = redirectError(err, this.errorContext(request));
          ctx.logger.warn(error.message);
          return this.finish({ status: 'failed', files: [], error });
        }
        if (idled) return this.afterCut(idleError(ctx.idleTimeoutMs, this.tracker.runId));
        if (timedOut) return this.finish(responseTimeout(this.ctx.responseTimeoutMs));
        return this.finish({ status: 'failed', files: [], error: networkError(err, this.errorContext(request)) });
      }
      this.learnFromHeaders(response.headers);
      if (!response.ok) {
        const body = await readBoundedText(response.body);
        if (this.cancelling) return this.cancelledOutcome();
        return this.finish({ status: 'failed', files: [], error: httpError(response.status, response.headers, body, this.errorContext(request)) });
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (/html/i.test(contentType)) return this.finish(await htmlInsteadOfAnswer(response, this.ctx.redact));
      if (request.stream && !/json/i.test(contentType)) {
        this.tracker.setConnection({ state: 'live', transport: 'sse' });
        const read = await readFirstStream(response, this.tracker, idle!, () => this.cancelling !== undefined, ctx.logger);
        if (this.cancelling) return this.cancelledOutcome();
        if (this.tracker.complete) return this.finish(outcomeFromComplete(this.tracker.complete, this.tracker.seen));
        if (idled) return this.afterCut(idleError(ctx.idleTimeoutMs, this.tracker.runId));
        const cut = read.error !== undefined ? networkError(read.error, this.errorContext(request)) : undefined;
        return this.afterCut({
          kind: cut ? 'network' : 'protocol',
          code: cut?.code,
          message: cut
            ? `The event stream broke off before the run finished (${cut.code ?? 'connection lost'}).`
            : 'The event stream ended before the run finished (no complete event).',
        });
      }
      return await this.readAnswer(response, request, () => timedOut);
    } finally {
      idle?.dispose();
      clearTimeout(deadline);
    }
  }

  private async attach(state: ResumeState): Promise<RunOutcome> {
    if (state.origin !== this.ctx.origin) {
      return this.finish({
        status: 'failed',
        files: [],
        error: {
          kind: 'protocol',
          message: `Run ${state.runId} belongs to ${state.origin}, but this client talks to ${this.ctx.origin}; it was not followed there, so the API key stays where it belongs.`,
          hint: 'Set the base URL back to the origin the run was started on to follow it again.',
        },
      });
    }
    this.ctx.logger.info(`Run ${state.runId}: following it again after ${state.delivered} events.`);
    return this.afterCut({ kind: 'network', message: 'The run was being followed when the window closed or reloaded.' }, true);
  }

  /** The stream is over without a `complete`: follow the run by other means, or say what is known. */
  private async afterCut(cause: RunErrorInfo, immediate = false): Promise<RunOutcome> {
    const { tracker } = this;
    if (tracker.runId === undefined) return this.finish(withoutRunId(tracker, cause));
    if (!this.ctx.reconnect) return this.interrupted(cause, 'The client is set not to follow runs again');
    const end = await followAfterCut(tracker, this.followContext, cause.message, (socket) => (this.commands.following = socket), immediate);
    switch (end.kind) {
      case 'complete':
        return this.finish(outcomeFromComplete(tracker.complete!, tracker.seen));
      case 'stopped':
        return this.cancelledOutcome();
      case 'statusOnly':
        this.ctx.logger.info(`Run ${tracker.runId}: only its final status could be had ('${end.snapshot.status ?? 'unknown'}').`);
        return this.finish(statusOnlyOutcome(tracker, end.snapshot, cause));
      case 'gaveUp':
        this.gaveUp = true;
        tracker.setConnection({ state: 'gaveUp', reason: end.reason, hint: end.error?.hint });
        return this.interrupted(cause, end.reason, end.snapshot, end.lookupFailure);
    }
  }

  /** Following is over without the run's end: ask the server once how the run stands. */
  private async interrupted(cause: RunErrorInfo, reason: string, known?: RunSnapshot, knownFailure?: string): Promise<RunOutcome> {
    const runId = this.tracker.runId!;
    let snapshot = known;
    let lookupFailure = knownFailure;
    if (!snapshot && !lookupFailure) {
      try {
        snapshot = await this.ctx.getRun(runId);
      } catch (err) {
        lookupFailure = err instanceof RunError ? err.info.message : this.ctx.redact(String(err));
      }
    }
    if (this.cancelling) return this.cancelledOutcome();
    if (snapshot) this.ctx.logger.info(`Run ${runId}: stream ended early; the server says '${snapshot.status ?? 'no status'}'.`);
    return this.finish(gaveUpOutcome(this.tracker, cause, reason, snapshot, lookupFailure));
  }

  private async readAnswer(response: Response, request: RunRequest, timedOut: () => boolean): Promise<RunOutcome> {
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      if (this.cancelling) return this.cancelledOutcome();
      if (timedOut()) return this.finish(responseTimeout(this.ctx.responseTimeoutMs));
      const info = { ...networkError(err, this.errorContext(request)), message: 'The answer broke off before it was complete.' };
      return this.tracker.runId ? this.interrupted(info, 'The answer broke off') : this.finish(withoutRunId(this.tracker, info));
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const snapshot = parseRunSnapshot(json);
    if (!snapshot) {
      const sample = this.ctx.redact(text.trim().slice(0, 120));
      return this.finish({
        status: 'failed',
        files: [],
        error: {
          kind: 'protocol',
          message: sample ? `The server's answer is not a run: ${sample}` : 'The server answered with an empty body instead of a run.',
          hint: 'Check the base URL: it should point at the RunTools API.',
        },
      });
    }
    if (snapshot.id) this.tracker.setRunId(snapshot.id);
    this.tracker.threadId ??= snapshot.threadId;
    return this.finish(outcomeFromSnapshot(snapshot, this.tracker.seen, notFinal(snapshot.status, this.tracker.runId)));
  }

  private async tellServerToCancel(): Promise<RunErrorInfo | undefined> {
    const runId = this.tracker.runId;
    if (runId === undefined) {
      this.ctx.logger.warn('Run cancelled before the server named it; the server could not be told to cancel.');
      return undefined;
    }
    try {
      await this.ctx.cancelRun(runId);
      this.ctx.logger.info(`Run ${runId}: cancel sent.`);
      return undefined;
    } catch (err) {
      const info = err instanceof RunError ? err.info : { kind: 'network' as const, message: this.ctx.redact(String(err)) };
      this.ctx.logger.warn(`Run ${runId}: the server could not be told to cancel: ${info.message}`);
      return info;
    }
  }

  private async cancelledOutcome(): Promise<RunOutcome> {
    const serverFailure = await this.cancelling;
    const hint = this.tracker.runId === undefined
      ? 'The server had not named the run yet, so it could not be told; the run may go on there.'
      : serverFailure
        ? `The server could not be told (${serverFailure.message}); the run may go on there.`
        : undefined;
    return this.finish({
      status: 'cancelled',
      files: this.tracker.seen.files,
      devUrl: this.tracker.seen.devUrl,
      error: hint ? { kind: 'cancelled', message: 'The run was cancelled.', hint } : { kind: 'cancelled', message: 'The run was cancelled.' },
    });
  }

  private learnFromHeaders(headers: Headers): void {
    const runId = headers.get('x-run-id');
    if (runId) this.tracker.setRunId(runId);
    this.tracker.threadId ??= headers.get('x-thread-id') ?? undefined;
    this.tracker.requestId ??= headers.get('x-request-id') ?? undefined;
  }

  private errorContext(request: RunRequest): ErrorContext {
    return { operation: 'start', origin: this.ctx.origin, apiSlug: request.apiSlug, hasKey: !!this.ctx.endpoint.apiKey, redact: this.ctx.redact };
  }

  private finish(body: OutcomeBody): RunOutcome {
    this.finished = true;
    const { tracker } = this;
    const outcome: RunOutcome = {
      ...body,
      runId: tracker.runId,
      threadId: tracker.threadId,
      requestId: body.requestId ?? body.error?.requestId ?? tracker.requestId,
      durationMs: Math.round(performance.now() - this.startedAt),
    };
    for (const key of Object.keys(outcome) as (keyof RunOutcome)[]) if (outcome[key] === undefined) delete outcome[key];
    this.ctx.logger.info(`Run ${tracker.runId ?? '(no id)'} ${outcome.status} after ${outcome.durationMs} ms, ${tracker.seen.eventCount} events${outcome.error ? `: ${outcome.error.message}` : ''}`);
    return outcome;
  }
}
