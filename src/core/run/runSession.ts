import type { Logger } from '../logger';
import { parseRunSnapshot } from './answer';
import { httpError, networkError, readBoundedText, redirectError, type ErrorContext } from './errorMapping';
import { fetchWithoutRedirects, RedirectRefused } from './redirects';
import type { CompleteEvent, RunEvent } from './events';
import { EventQueue } from './eventQueue';
import { IdleTimer } from './idleTimer';
import { normaliseFrame, type SseMessage } from './normalise';
import type { Redactor } from './redact';
import { buildStartRequest, type Endpoint } from './request';
import { RunError } from './runError';
import { outcomeFromComplete, outcomeFromSnapshot, RunObservations, type OutcomeBody } from './runOutcome';
import { readSse } from './sseReader';
import type { ApiStyle, RunErrorInfo, RunHandle, RunOutcome, RunRequest, RunSnapshot } from './types';

/** What a session needs from its client. */
export interface SessionContext {
  endpoint: Endpoint;
  style: ApiStyle;
  origin: string;
  idleTimeoutMs: number;
  responseTimeoutMs: number;
  maxBufferedEvents: number;
  logger: Logger;
  redact: Redactor;
  getRun(runId: string): Promise<RunSnapshot>;
  cancelRun(runId: string): Promise<void>;
}

/** Unread events before the network is paused, once a consumer iterates. */
const HIGH_WATER = 256;

type StopReason = 'complete' | 'cancel' | 'idle' | 'timeout';

/** One run: its request, its stream, its cancel, and the outcome. Created by `RunClient.start`. */
export class RunSession implements RunHandle {
  readonly outcome: Promise<RunOutcome>;
  private readonly queue: EventQueue<RunEvent>;
  private readonly controller = new AbortController();
  private readonly seen = new RunObservations();
  private readonly startedAt = performance.now();
  private readonly runIdListeners = new Set<(runId: string) => void>();
  private stopReason: StopReason | undefined;
  private complete: CompleteEvent | undefined;
  private finished = false;
  private cancelling: Promise<RunErrorInfo | undefined> | undefined;
  private _runId: string | undefined;
  private threadId: string | undefined;
  private requestId: string | undefined;

  constructor(private readonly request: RunRequest, private readonly ctx: SessionContext) {
    this.queue = new EventQueue<RunEvent>(HIGH_WATER, ctx.maxBufferedEvents, () =>
      ctx.logger.warn(`Run events are not being read; events beyond ${ctx.maxBufferedEvents} are dropped (the outcome is still reported).`),
    );
    this.outcome = this.run().catch((err: unknown) => {
      // A bug in the client must still end in an outcome, not a rejection.
      ctx.logger.error(`Run client failed unexpectedly: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return this.finish({ status: 'failed', files: [], error: { kind: 'protocol', message: ctx.redact(`The run client failed unexpectedly: ${String(err)}`) } });
    });
  }

  get runId(): string | undefined {
    return this._runId;
  }

  get events(): AsyncIterable<RunEvent> {
    return this.queue;
  }

  onRunId(listener: (runId: string) => void): { dispose(): void } {
    if (this._runId !== undefined) {
      listener(this._runId);
      return { dispose: () => undefined };
    }
    this.runIdListeners.add(listener);
    return { dispose: () => this.runIdListeners.delete(listener) };
  }

  async cancel(): Promise<void> {
    if (this.finished || (this.stopReason && this.stopReason !== 'cancel')) return;
    if (!this.cancelling) {
      this.stopReason = 'cancel';
      this.controller.abort();
      this.queue.end();
      this.cancelling = this.tellServerToCancel();
    }
    await this.cancelling;
  }

  private async tellServerToCancel(): Promise<RunErrorInfo | undefined> {
    const runId = this._runId;
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

  private async run(): Promise<RunOutcome> {
    const { request, ctx } = this;
    const http = buildStartRequest(ctx.endpoint, request, ctx.style);
    ctx.logger.info(`Starting run: POST ${http.url} (${request.stream ? 'streaming' : 'waiting for the answer'})`);
    // Streams go quiet only when something is wrong; a non-streaming answer takes the whole run.
    const idle = request.stream ? new IdleTimer(ctx.idleTimeoutMs, () => this.stop('idle')) : undefined;
    const deadline = request.stream ? undefined : setTimeout(() => this.stop('timeout'), ctx.responseTimeoutMs);
    try {
      let response: Response;
      try {
        response = await fetchWithoutRedirects(http.url, { method: http.method, headers: http.headers, body: http.body, signal: this.controller.signal });
      } catch (err) {
        const error = err instanceof RedirectRefused ? redirectError(err, this.errorContext()) : networkError(err, this.errorContext());
        if (err instanceof RedirectRefused) ctx.logger.warn(error.message);
        return this.stopped() ?? this.finish({ status: 'failed', files: [], error });
      }
      this.learnFromHeaders(response.headers);
      if (!response.ok) {
        const body = await readBoundedText(response.body);
        return this.stopped() ?? this.finish({ status: 'failed', files: [], error: httpError(response.status, response.headers, body, this.errorContext()) });
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (/html/i.test(contentType)) return this.finish(await this.htmlInsteadOfAnswer(response));
      if (request.stream && !/json/i.test(contentType)) return await this.readStream(response, idle!);
      return await this.readAnswer(response);
    } finally {
      idle?.dispose();
      clearTimeout(deadline);
      this.queue.end();
    }
  }

  private async readStream(response: Response, idle: IdleTimer): Promise<RunOutcome> {
    let readError: unknown;
    if (response.body) {
      try {
        await readSse(response.body, {
          onMessage: (message) => this.onMessage(message),
          onBytes: () => idle.touch(),
          afterChunk: () => {
            const room = this.queue.room();
            if (!room) return undefined;
            idle.pause();
            return room.then(() => idle.resume());
          },
          isDone: () => this.stopReason !== undefined,
          logger: this.ctx.logger,
        });
      } catch (err) {
        readError = err;
      }
    }
    const stopped = this.stopped();
    if (stopped) return stopped;
    const cut = readError !== undefined ? networkError(readError, this.errorContext()) : undefined;
    return this.interrupted({
      kind: readError !== undefined ? 'network' : 'protocol',
      code: cut?.code,
      message: cut
        ? `The event stream broke off before the run finished (${cut.code ?? 'connection lost'}).`
        : 'The event stream ended before the run finished (no complete event).',
    });
  }

  private onMessage(message: SseMessage): void {
    // After a complete or a cancel, anything else is late: drop it.
    if (this.stopReason) return;
    const frame = normaliseFrame(message);
    if (frame.runId) this.setRunId(frame.runId);
    if (frame.threadId) this.threadId ??= frame.threadId;
    const event = frame.event;
    this.seen.observe(event);
    if (event.type === 'complete') {
      this.complete = event;
      this.stopReason = 'complete';
    }
    this.queue.push(event);
  }

  private async readAnswer(response: Response): Promise<RunOutcome> {
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      return this.stopped() ?? this.interrupted({ ...networkError(err, this.errorContext()), message: 'The answer broke off before it was complete.' });
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
    if (snapshot.id) this.setRunId(snapshot.id);
    this.threadId ??= snapshot.threadId;
    return this.finish(outcomeFromSnapshot(snapshot, this.seen, this.notFinal(snapshot.status)));
  }

  private async htmlInsteadOfAnswer(response: Response): Promise<OutcomeBody> {
    const body = await readBoundedText(response.body);
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1]?.trim();
    return {
      status: 'failed',
      files: [],
      error: {
        kind: 'protocol',
        message: this.ctx.redact(`The server answered with an HTML page${title ? ` ('${title.slice(0, 100)}')` : ''} instead of a run.`),
        hint: 'A proxy, captive portal or wrong base URL is in the way: check the base URL.',
      },
    };
  }

  /** The stream is over without a `complete`: ask the server once how the run really ended. */
  private async interrupted(error: RunErrorInfo): Promise<RunOutcome> {
    const runId = this._runId;
    if (runId === undefined) {
      return this.finish({ status: 'interrupted', files: this.seen.files, devUrl: this.seen.devUrl, error: { ...error, hint: 'No run id was received, so its final status cannot be checked; it may still be running on the server.' } });
    }
    let snapshot: RunSnapshot | undefined;
    let lookupFailure: string | undefined;
    try {
      snapshot = await this.ctx.getRun(runId);
    } catch (err) {
      lookupFailure = err instanceof RunError ? err.info.message : this.ctx.redact(String(err));
    }
    const stopped = this.stopped();
    if (stopped) return stopped;
    if (snapshot) {
      this.ctx.logger.info(`Run ${runId}: stream ended early; the server says '${snapshot.status ?? 'no status'}'.`);
      return this.finish(outcomeFromSnapshot(snapshot, this.seen, { ...error, hint: this.notFinal(snapshot.status).hint }));
    }
    return this.finish({
      status: 'interrupted',
      files: this.seen.files,
      devUrl: this.seen.devUrl,
      error: { ...error, hint: `Asking the server for the run's status failed too (${lookupFailure}); check run ${runId} later.` },
    });
  }

  private notFinal(status: string | undefined): RunErrorInfo {
    const id = this._runId ? ` Check run ${this._runId} later.` : '';
    return {
      kind: 'protocol',
      message: `The server answered before the run finished (status '${status ?? 'unknown'}').`,
      hint: `The server reports it as '${status ?? 'unknown'}', so it may still be running there.${id}`,
    };
  }

  /** The outcome for a run stopped on purpose (cancel, idle, timeout), else undefined. */
  private stopped(): Promise<RunOutcome> | undefined {
    switch (this.stopReason) {
      case 'cancel':
        return this.cancelledOutcome();
      case 'idle':
        return Promise.resolve(this.finish({
          status: 'interrupted',
          files: this.seen.files,
          devUrl: this.seen.devUrl,
          error: {
            kind: 'timeout',
            message: `No data from the server for ${seconds(this.ctx.idleTimeoutMs)}; stopped waiting for the run.`,
            hint: this._runId
              ? `The run may still be going on the server (run ${this._runId}); check it later, or raise the idle timeout.`
              : 'The run may still be going on the server; check your network, or raise the idle timeout.',
          },
        }));
      case 'timeout':
        return Promise.resolve(this.finish({
          status: 'interrupted',
          files: [],
          error: {
            kind: 'timeout',
            message: `The server did not answer within ${seconds(this.ctx.responseTimeoutMs)}; stopped waiting for the run.`,
            hint: 'Use a streaming run for long tasks, or check the run later.',
          },
        }));
      case 'complete':
        return Promise.resolve(this.finish(outcomeFromComplete(this.complete!, this.seen)));
      default:
        return undefined;
    }
  }

  private async cancelledOutcome(): Promise<RunOutcome> {
    const serverFailure = await this.cancelling;
    const hint = this._runId === undefined
      ? 'The server had not named the run yet, so it could not be told; the run may go on there.'
      : serverFailure
        ? `The server could not be told (${serverFailure.message}); the run may go on there.`
        : undefined;
    return this.finish({
      status: 'cancelled',
      files: this.seen.files,
      devUrl: this.seen.devUrl,
      error: hint ? { kind: 'cancelled', message: 'The run was cancelled.', hint } : { kind: 'cancelled', message: 'The run was cancelled.' },
    });
  }

  private stop(reason: StopReason): void {
    if (this.stopReason || this.finished) return;
    this.stopReason = reason;
    this.controller.abort();
  }

  private learnFromHeaders(headers: Headers): void {
    const runId = headers.get('x-run-id');
    if (runId) this.setRunId(runId);
    this.threadId ??= headers.get('x-thread-id') ?? undefined;
    this.requestId ??= headers.get('x-request-id') ?? undefined;
  }

  private setRunId(runId: string): void {
    if (this._runId !== undefined) return;
    this._runId = runId;
    this.ctx.logger.info(`Run id: ${runId}`);
    for (const listener of this.runIdListeners) {
      try {
        listener(runId);
      } catch (err) {
        this.ctx.logger.error(`A run id listener failed: ${String(err)}`);
      }
    }
    this.runIdListeners.clear();
  }

  private errorContext(): ErrorContext {
    return {
      operation: 'start',
      origin: this.ctx.origin,
      apiSlug: this.request.apiSlug,
      hasKey: !!this.ctx.endpoint.apiKey,
      redact: this.ctx.redact,
    };
  }

  private finish(body: OutcomeBody): RunOutcome {
    this.finished = true;
    const outcome: RunOutcome = {
      ...body,
      runId: this._runId,
      threadId: this.threadId,
      requestId: body.requestId ?? body.error?.requestId ?? this.requestId,
      durationMs: Math.round(performance.now() - this.startedAt),
    };
    for (const key of Object.keys(outcome) as (keyof RunOutcome)[]) if (outcome[key] === undefined) delete outcome[key];
    this.ctx.logger.info(`Run ${this._runId ?? '(no id)'} ${outcome.status} after ${outcome.durationMs} ms, ${this.seen.eventCount} events${outcome.error ? `: ${outcome.error.message}` : ''}`);
    return outcome;
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
