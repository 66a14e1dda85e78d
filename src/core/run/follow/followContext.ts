import type { Logger } from '../../logger';
import type { Redactor } from '../redact';
import type { Endpoint } from '../request';
import type { RunErrorInfo, RunSnapshot } from '../types';

export interface ReconnectPolicy {
  /** Re-attach attempts in a row without progress before giving up. */
  maxAttempts: number;
  /** First wait, unless the server's `retry:` says otherwise; doubles each attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** What the re-attach strategies need from the client. */
export interface FollowContext {
  endpoint: Endpoint;
  origin: string;
  idleTimeoutMs: number;
  requestTimeoutMs: number;
  /** Thread events are read this many at a time. */
  pageSize: number;
  /** How often thread events are polled once caught up, when no socket follows the run live. */
  pollIntervalMs: number;
  reconnect: ReconnectPolicy;
  logger: Logger;
  redact: Redactor;
  getRun(runId: string): Promise<RunSnapshot>;
  /** Aborted when the run is cancelled. */
  signal: AbortSignal;
}

/** How one re-attach step ended. */
export type StepResult =
  /** The run's `complete` was delivered. */
  | { kind: 'complete' }
  /** The server has no such transport (404, 405, 501, 410): do not ask again. */
  | { kind: 'absent'; reason: string }
  /** Thread events: everything up to now was delivered; the run goes on. */
  | { kind: 'caughtUp'; replayed: number }
  /** A transient failure after `replayed` new events: try again later. */
  | { kind: 'cut'; replayed: number; reason: string }
  /** No point in trying again (401, 403, a refused redirect). */
  | { kind: 'fatal'; error: RunErrorInfo }
  /** The run was cancelled meanwhile. */
  | { kind: 'stopped' };

/** Statuses by which a server says it has no such endpoint. */
export function isAbsentStatus(status: number): boolean {
  return status === 404 || status === 405 || status === 410 || status === 426 || status === 501;
}
