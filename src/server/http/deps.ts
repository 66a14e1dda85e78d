import type { Logger } from '../../core/logger';
import type { AuthConfig } from '../auth';
import type { RateLimiter } from '../rateLimit';
import type { RunRegistry } from '../runs/registry';
import type { Sandboxes } from '../sandboxes';
import type { Scenario } from '../scenarios';

/** Which ways of following a run after its stream is gone the server offers (all by default). */
export interface Resumption {
  /** `id:` lines on SSE events (and `Last-Event-ID` understood). */
  eventIds: boolean;
  /** `GET /v1/threads/{threadId}/events`. */
  threadEvents: boolean;
  /** Where the thread events answer puts `hasMore`/`nextCursor`: at the top level or under `meta`. */
  paging: 'top' | 'meta';
  /** The run-stream socket `/v1/run/{apiSlug}/stream/{runId}`. */
  runStream: boolean;
}

/** The long-lived parts every request handler may use; built once by startLocalServer. */
export interface ServerDeps {
  readonly runs: RunRegistry;
  readonly sandboxes: Sandboxes;
  readonly logger: Logger;
  readonly auth: AuthConfig;
  readonly rateLimiter: RateLimiter;
  readonly rateLimitPerMinute: number;
  readonly scenarios: Readonly<Record<string, Scenario>>;
  readonly delayScale: number;
  readonly resumption: Resumption;
  /** A run still going after this long is ended as failed, listened to or not. */
  readonly maxRunLifetimeMs: number;
  /** Sent as `retry:` on each SSE connection. */
  readonly retryMs: number;
}
