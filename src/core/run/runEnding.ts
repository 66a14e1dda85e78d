import { readBoundedText } from './errorMapping';
import type { Redactor } from './redact';
import type { RunTracker } from './runTracker';
import { outcomeFromSnapshot, type OutcomeBody } from './runOutcome';
import type { RunErrorInfo, RunSnapshot } from './types';

/** The outcomes of a run that did not end with its `complete`: what happened, and what is known. */

export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

export function idleError(idleTimeoutMs: number, runId: string | undefined): RunErrorInfo {
  return {
    kind: 'timeout',
    message: `No data from the server for ${seconds(idleTimeoutMs)}; stopped waiting for the run.`,
    hint: runId
      ? `The run may still be going on the server (run ${runId}); check it later, or raise the idle timeout.`
      : 'The run may still be going on the server; check your network, or raise the idle timeout.',
  };
}

export function notFinal(status: string | undefined, runId: string | undefined): RunErrorInfo {
  const id = runId ? ` Check run ${runId} later.` : '';
  return {
    kind: 'protocol',
    message: `The server answered before the run finished (status '${status ?? 'unknown'}').`,
    hint: `The server reports it as '${status ?? 'unknown'}', so it may still be running there.${id}`,
  };
}

export function withoutRunId(tracker: RunTracker, cause: RunErrorInfo): OutcomeBody {
  return {
    status: 'interrupted',
    files: tracker.seen.files,
    devUrl: tracker.seen.devUrl,
    error: { ...cause, hint: 'No run id was received, so its final status cannot be checked; it may still be running on the server.' },
  };
}

/**
 * Only the final status could be learned: the run is `interrupted` for the extension whatever the
 * server says, because the events after the cut (and their edits) never arrived.
 */
export function statusOnlyOutcome(tracker: RunTracker, snapshot: RunSnapshot, cause: RunErrorInfo): OutcomeBody {
  const known = outcomeFromSnapshot(snapshot, tracker.seen, notFinal(snapshot.status, tracker.runId));
  const status = snapshot.status ?? 'unknown';
  return {
    ...known,
    status: 'interrupted',
    serverStatus: status,
    error: {
      ...cause,
      hint: `The server says the run is '${status}', but what it did after event ${tracker.ledger.delivered} is unknown: this server offers no way to replay a run's events, so later steps and edits were not received.`,
    },
  };
}

/** Following the run again failed; `snapshot` is the server's word on it, when it could be had. */
export function gaveUpOutcome(tracker: RunTracker, cause: RunErrorInfo, reason: string, snapshot: RunSnapshot | undefined, lookupFailure: string | undefined): OutcomeBody {
  const base: OutcomeBody = snapshot
    ? { ...outcomeFromSnapshot(snapshot, tracker.seen, notFinal(snapshot.status, tracker.runId)), status: 'interrupted', serverStatus: snapshot.status ?? 'unknown' }
    : { status: 'interrupted', files: tracker.seen.files, devUrl: tracker.seen.devUrl };
  const status = snapshot
    ? ` The server reports the run as '${snapshot.status ?? 'unknown'}'${snapshot.status && /run|queue|pend/i.test(snapshot.status) ? ', so it may still be running there' : ''}; check run ${tracker.runId} later.`
    : lookupFailure ? ` Asking the server for the run's status failed too (${lookupFailure}); check run ${tracker.runId} later.` : '';
  return { ...base, error: { ...cause, hint: `${reason}.${status}`.replace(/\.\./g, '.') } };
}

export async function htmlInsteadOfAnswer(response: Response, redact: Redactor): Promise<OutcomeBody> {
  const body = await readBoundedText(response.body);
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1]?.trim();
  return {
    status: 'failed',
    files: [],
    error: {
      kind: 'protocol',
      message: redact(`The server answered with an HTML page${title ? ` ('${title.slice(0, 100)}')` : ''} instead of a run.`),
      hint: 'A proxy, captive portal or wrong base URL is in the way: check the base URL.',
    },
  };
}

export function responseTimeout(responseTimeoutMs: number): OutcomeBody {
  return {
    status: 'interrupted',
    files: [],
    error: {
      kind: 'timeout',
      message: `The server did not answer within ${seconds(responseTimeoutMs)}; stopped waiting for the run.`,
      hint: 'Use a streaming run for long tasks, or check the run later.',
    },
  };
}
