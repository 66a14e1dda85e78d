import type { RunErrorInfo } from './types';

/**
 * What `getRun`, `cancelRun` and `listRuns` throw. It carries only redacted, plain data: no
 * response, no request, no `cause` that could hold a header.
 */
export class RunError extends Error {
  override readonly name = 'RunError';

  constructor(readonly info: RunErrorInfo) {
    super(info.message);
  }

  toJSON(): RunErrorInfo {
    return { ...this.info };
  }
}

/** One line for a notification: what happened, the code and request id, and what to do. */
export function describeRunError(info: RunErrorInfo): string {
  const details = [
    info.code && `code ${info.code}`,
    info.requestId && `request id ${info.requestId}`,
  ].filter(Boolean);
  const head = details.length ? `${info.message} (${details.join(', ')})` : info.message;
  return info.hint ? `${head} ${info.hint}` : head;
}
