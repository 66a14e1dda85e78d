import { nullLogger, type Logger } from '../logger';
import { parseRunList, parseRunSnapshot } from './answer';
import { httpError, networkError, readBoundedText, redirectError, type ErrorContext } from './errorMapping';
import { checkApiBaseUrl } from '../trust/apiOrigin';
import { createRedactor, redactingLogger, type Redactor } from './redact';
import {
  buildCancelRequest, buildListRequest, buildStatusRequest, displayOrigin,
  type Endpoint, type HttpRequest,
} from './request';
import { RunError } from './runError';
import { fetchWithoutRedirects, RedirectRefused } from './redirects';
import { readResumeState } from './resumeState';
import { RunSession, type SessionContext } from './runSession';
import type { ApiStyle, ListRunsQuery, RunClientOptions, RunHandle, RunRequest, RunSnapshot } from './types';

const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
const DEFAULT_RESPONSE_TIMEOUT_MS = 15 * 60_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BUFFERED_EVENTS = 1024;
const DEFAULT_RECONNECT = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * The RunTools run API (docs/protocol.md): start runs and follow them (again, after a drop or a
 * reload), fetch, list and cancel runs. `start` and `attach` never throw and their outcome never
 * rejects; the other calls throw a `RunError`. Nothing this client logs, returns or throws
 * contains the API key, and no redirect is followed with it.
 */
export class RunClient {
  private readonly endpoint: Endpoint;
  private readonly style: ApiStyle;
  private readonly origin: string;
  private readonly redact: Redactor;
  private readonly logger: Logger;

  /**
   * Throws a TypeError when `baseUrl` is not an https URL, or plain http to this machine
   * (apiOrigin.ts): the key is never sent where it could be read on the way.
   */
  constructor(private readonly options: RunClientOptions) {
    this.redact = createRedactor([options.apiKey]);
    const checked = checkApiBaseUrl(options.baseUrl);
    if (!checked.ok) throw new TypeError(`${checked.message} ${checked.hint}`);
    const baseUrl = checked.baseUrl;
    this.endpoint = { baseUrl, apiKey: options.apiKey || undefined, userAgent: options.userAgent };
    this.style = options.apiStyle ?? 'slug';
    this.origin = displayOrigin(baseUrl);
    this.logger = redactingLogger(options.logger ?? nullLogger, this.redact);
  }

  start(request: RunRequest): RunHandle {
    return new RunSession({ kind: 'start', request }, this.sessionContext());
  }

  /**
   * Follows a run again from a saved `resumeState` (after a window reload, or a Retry): the same
   * contract as `start`. The state may come from storage, so it is checked first; a state of
   * another origin is refused, so the key never goes where the run does not belong.
   */
  attach(state: unknown): RunHandle {
    const checked = readResumeState(state);
    if (typeof checked === 'string') {
      return RunSession.failedAtOnce({ kind: 'protocol', message: checked, hint: 'The run cannot be followed again; check it in the RunTools dashboard.' }, this.sessionContext());
    }
    return new RunSession({ kind: 'attach', state: checked }, this.sessionContext());
  }

  private sessionContext(): SessionContext {
    const { reconnect } = this.options;
    return {
      endpoint: this.endpoint,
      style: this.style,
      origin: this.origin,
      idleTimeoutMs: this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      responseTimeoutMs: this.options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS,
      requestTimeoutMs: this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      maxBufferedEvents: this.options.maxBufferedEvents ?? DEFAULT_MAX_BUFFERED_EVENTS,
      reconnect: reconnect === false ? undefined : {
        maxAttempts: reconnect?.maxAttempts ?? DEFAULT_RECONNECT.maxAttempts,
        baseDelayMs: reconnect?.baseDelayMs ?? DEFAULT_RECONNECT.baseDelayMs,
        maxDelayMs: reconnect?.maxDelayMs ?? DEFAULT_RECONNECT.maxDelayMs,
      },
      pollIntervalMs: this.options.pollIntervalMs ?? 1000,
      logger: this.logger,
      redact: this.redact,
      getRun: (runId) => this.getRun(runId),
      cancelRun: (runId) => this.cancelRun(runId),
      attach: (state) => this.attach(state),
    };
  }

  /** `GET /v1/run/{id}`. */
  async getRun(runId: string): Promise<RunSnapshot> {
    const ctx = this.errorContext('status', runId);
    const json = await this.call(buildStatusRequest(this.endpoint, runId), ctx);
    const snapshot = parseRunSnapshot(json);
    if (!snapshot) throw this.notUnderstood(ctx, 'a run');
    return snapshot;
  }

  /** `POST /v1/run/{id}/cancel`. */
  async cancelRun(runId: string): Promise<void> {
    await this.call(buildCancelRequest(this.endpoint, runId), this.errorContext('cancel', runId));
  }

  /** `GET /v1/run?agent=&status=&limit=`: recent runs, newest first as the server orders them. */
  async listRuns(query: ListRunsQuery = {}): Promise<RunSnapshot[]> {
    const ctx = this.errorContext('list');
    const runs = parseRunList(await this.call(buildListRequest(this.endpoint, query), ctx));
    if (!runs) throw this.notUnderstood(ctx, 'a list of runs');
    return runs;
  }

  /** One small JSON call; its body is parsed when there is one (a cancel may answer 204). */
  private async call(request: HttpRequest, ctx: ErrorContext): Promise<unknown> {
    this.logger.debug(`${request.method} ${request.url}`);
    let response: Response;
    let text: string;
    try {
      response = await fetchWithoutRedirects(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
      });
      text = response.ok ? await response.text() : await readBoundedText(response.body);
    } catch (err) {
      const info = err instanceof RedirectRefused ? redirectError(err, ctx) : isTimeout(err)
        ? { kind: 'timeout' as const, message: `${request.method} ${new URL(request.url).pathname} got no answer in time.`, hint: 'Check your network and try again.' }
        : networkError(err, ctx);
      this.logger.warn(info.message);
      throw new RunError(info);
    }
    if (!response.ok) {
      const info = httpError(response.status, response.headers, text, ctx);
      this.logger.warn(info.message);
      throw new RunError(info);
    }
    if (!text.trim()) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  private notUnderstood(ctx: ErrorContext, what: string): RunError {
    return new RunError({ kind: 'protocol', message: `The server's answer is not ${what}.`, hint: `Check the base URL (${ctx.origin}): it should point at the RunTools API.` });
  }

  private errorContext(operation: ErrorContext['operation'], runId?: string): ErrorContext {
    return { operation, origin: this.origin, runId, hasKey: !!this.endpoint.apiKey, redact: this.redact };
  }
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && err.name === 'TimeoutError';
}
