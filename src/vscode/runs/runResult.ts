/** Turning a run's outcome and its edits into what the views show and what the run commands return. */
import type { EditSummary } from '../../core/edits';
import { describeRunError, type RunOutcome } from '../../core/run';
import type { RunHeader } from '../../core/viewProtocol';
import type { RunSummary } from './runSummary';

/** Exactly the agent's answer: `output`, or the newer API's `result` (a string as it is, anything else as JSON). */
export function outputOf(outcome: RunOutcome): string | undefined {
  if (outcome.output !== undefined) return outcome.output;
  if (outcome.result === undefined) return undefined;
  return typeof outcome.result === 'string' ? outcome.result : JSON.stringify(outcome.result, null, 2);
}

/** What the extension has to tell the user about the run beside the agent's answer (never put into `output`). */
export function runNote(outcome: RunOutcome, streamed: boolean): string | undefined {
  if (streamed || outcome.files.length === 0) return undefined;
  return `A non-streaming answer carries no diffs, so nothing was applied; turn on runtools.stream to get the edits. Files the agent changed in its sandbox: ${outcome.files.join(', ')}`;
}

export function errorOf(outcome: RunOutcome): RunHeader['error'] {
  if (!outcome.error) return undefined;
  return {
    message: describeRunError(outcome.error),
    code: outcome.error.code,
    requestId: outcome.error.requestId ?? outcome.requestId,
    hint: outcome.error.hint,
  };
}

export function summaryOf(localId: string, outcome: RunOutcome, header: RunHeader, edits: EditSummary | undefined): RunSummary {
  const error = header.error;
  return {
    id: outcome.runId ?? header.serverRunId,
    localId,
    status: outcome.status,
    output: header.output,
    note: header.note,
    devUrl: header.devUrl,
    files: outcome.files,
    applied: edits?.applied ?? [],
    conflicts: edits?.conflicts ?? [],
    refused: edits?.refused ?? [],
    failed: edits?.failed ?? [],
    pending: edits?.pending ?? [],
    usage: outcome.usage,
    error: error ? { code: error.code, message: error.message, requestId: error.requestId } : undefined,
  };
}

/** One line about a run's edits, for the status bar and the log: what changed, what waits, what did not apply. */
export function editsLine(summary: Pick<RunSummary, 'applied' | 'pending' | 'conflicts' | 'refused' | 'failed'>): string {
  const parts: string[] = [];
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (summary.applied.length) parts.push(count(summary.applied.length, 'file changed', 'files changed'));
  if (summary.pending?.length) parts.push(count(summary.pending.length, 'edit waiting for review', 'edits waiting for review'));
  const notApplied = summary.conflicts.length + summary.refused.length + (summary.failed?.length ?? 0);
  if (notApplied) parts.push(count(notApplied, 'edit not applied', 'edits not applied'));
  return parts.join(', ');
}
