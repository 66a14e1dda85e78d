/** The run client's public surface: import from here. */
export * from './events';
export type {
  ApiStyle, ListRunsQuery, RunClientOptions, RunErrorInfo, RunErrorKind, RunHandle, RunOutcome, RunRequest, RunSnapshot,
} from './types';
export { RunClient } from './runClient';
export type { ConnectionStatus, ControlResult, ControlState, Transport } from './connection';
export { readResumeState, type ResumeState } from './resumeState';
export { inputReceived, inputRequired, type Delivery } from './runTracker';
export { RunError, describeRunError } from './runError';
export { redact, REDACTED } from './redact';
export { normaliseFrame, type SseMessage } from './normalise';
