/** The run client's public surface: import from here. */
export * from './events';
export type {
  ApiStyle, ListRunsQuery, RunClientOptions, RunErrorInfo, RunErrorKind, RunHandle, RunOutcome, RunRequest, RunSnapshot,
} from './types';
export { RunClient } from './runClient';
export { RunError, describeRunError } from './runError';
export { redact, REDACTED } from './redact';
export { normaliseFrame, type SseMessage } from './normalise';
