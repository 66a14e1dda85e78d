import type { CompleteEvent, ErrorEvent, RunEvent, RunStatus } from './events';
import type { RunErrorInfo, RunOutcome, RunSnapshot } from './types';

/** An outcome before its timing and ids are filled in by the session. */
export type OutcomeBody = Omit<RunOutcome, 'durationMs' | 'runId' | 'threadId' | 'requestId'> & { requestId?: string };

/** What a run's events said along the way, for the outcome. Small: no event is kept. */
export class RunObservations {
  devUrl: string | undefined;
  lastError: ErrorEvent | undefined;
  eventCount = 0;
  private readonly editedFiles = new Set<string>();

  observe(event: RunEvent): void {
    this.eventCount++;
    if (event.type === 'dev_url') this.devUrl = event.url;
    else if (event.type === 'error') this.lastError = event;
    else if (event.type === 'file_edit' && event.path) this.editedFiles.add(event.path);
  }

  get files(): string[] {
    return [...this.editedFiles];
  }
}

/** The final status a server's status string stands for; undefined while the run is not over. */
export function finalStatusOf(status: string | undefined): Exclude<RunStatus, 'interrupted'> | undefined {
  switch (status?.toLowerCase()) {
    case 'completed': case 'complete': case 'succeeded': case 'success': case 'done': case 'finished':
      return 'completed';
    case 'failed': case 'error': case 'errored': case 'timeout': case 'timed_out':
      return 'failed';
    case 'cancelled': case 'canceled':
      return 'cancelled';
    default:
      return undefined;
  }
}

/** `complete` is terminal; its `status` may still say the run failed or was cancelled. */
export function outcomeFromComplete(event: CompleteEvent, seen: RunObservations): OutcomeBody {
  const status = event.status === undefined ? 'completed' : finalStatusOf(event.status) ?? 'completed';
  return {
    status,
    output: event.output,
    result: event.result,
    devUrl: event.devUrl ?? seen.devUrl,
    files: event.files ?? seen.files,
    usage: event.usage,
    error: errorForStatus(status, event.error ?? seen.lastError),
  };
}

/**
 * From a non-streaming answer or a status follow-up. A missing status on a successful answer
 * means completed (failed when it carries an error); a status that is not final leaves the run `interrupted`.
 */
export function outcomeFromSnapshot(snapshot: RunSnapshot, seen: RunObservations, notFinal: RunErrorInfo): OutcomeBody {
  // No status but an error (some servers answer 200 with an error object) is a failure.
  const status = snapshot.status === undefined ? (snapshot.error ? 'failed' : 'completed') : finalStatusOf(snapshot.status) ?? 'interrupted';
  return {
    status,
    output: snapshot.output,
    result: snapshot.result,
    devUrl: snapshot.devUrl ?? seen.devUrl,
    files: snapshot.files ?? seen.files,
    usage: snapshot.usage,
    requestId: snapshot.requestId,
    error: status === 'interrupted' ? notFinal : errorForStatus(status, snapshot.error ?? seen.lastError),
  };
}

function errorForStatus(status: RunStatus, reported: { message: string; code?: string } | undefined): RunErrorInfo | undefined {
  if (status === 'failed') {
    return withCode({ kind: 'agent', message: `The run failed: ${reported?.message ?? 'the server gave no reason'}.`.replace(/\.\.$/, '.') }, reported?.code);
  }
  if (status === 'cancelled') return { kind: 'cancelled', message: 'The run was cancelled on the server.' };
  return undefined;
}

function withCode(info: RunErrorInfo, code: string | undefined): RunErrorInfo {
  return code ? { ...info, code } : info;
}
