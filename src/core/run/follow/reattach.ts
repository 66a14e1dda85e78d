import { setTimeout as sleep } from 'node:timers/promises';
import { RunError } from '../runError';
import type { RunTracker } from '../runTracker';
import type { RunErrorInfo, RunSnapshot } from '../types';
import { finalStatusOf } from '../runOutcome';
import type { FollowContext, StepResult } from './followContext';
import { RunStreamSocket } from './runStream';
import { followThreadEvents } from './threadEvents';

/** How following a run after a cut ended. */
export type FollowEnd =
  | { kind: 'complete' }
  | { kind: 'stopped' }
  /** Only `GET /v1/run/{id}` was possible: the final status, without the steps in between. */
  | { kind: 'statusOnly'; snapshot: RunSnapshot }
  | { kind: 'gaveUp'; reason: string; error?: RunErrorInfo; snapshot?: RunSnapshot; lookupFailure?: string };

/**
 * Follows a run whose stream broke, by the best means the server offers: thread events for a
 * complete replay, then the run-stream socket to go on live (or thread events polled, where no
 * socket exists), and `GET /v1/run/{id}` when neither exists. Bounded: `maxAttempts` in a row
 * without progress, with a growing wait that starts at the server's `retry:`.
 * `onSocket` is told which socket follows the run, so commands can go over it.
 */
export async function followAfterCut(
  tracker: RunTracker,
  ctx: FollowContext,
  firstReason: string,
  onSocket: (socket: RunStreamSocket | undefined) => void,
  /** Re-attaching after a reload: the first attempt need not wait. */
  immediate = false,
): Promise<FollowEnd> {
  const { reconnect } = ctx;
  let reason = firstReason;
  let attempt = 0;
  for (;;) {
    if (ctx.signal.aborted) return { kind: 'stopped' };
    attempt++;
    if (attempt > reconnect.maxAttempts) return { kind: 'gaveUp', reason: `Gave up after ${reconnect.maxAttempts} attempts to follow the run again; the last: ${reason}` };
    // The first try is at once unless the server asked for a `retry:` wait; later ones back off
    // from it (with a floor, so `retry: 0` cannot make this a busy loop).
    const base = tracker.retryMs ?? reconnect.baseDelayMs;
    const delayMs = attempt === 1
      ? (immediate ? 0 : Math.min(reconnect.maxDelayMs, tracker.retryMs ?? 0))
      : Math.max(10, Math.min(reconnect.maxDelayMs, base * 2 ** (attempt - 2)));
    immediate = false;
    tracker.setConnection({ state: 'reconnecting', attempt, delayMs, reason });
    ctx.logger.info(`Run ${tracker.runId}: re-attaching in ${delayMs} ms (attempt ${attempt}): ${reason}`);
    try {
      await sleep(delayMs, undefined, { signal: ctx.signal });
    } catch {
      return { kind: 'stopped' };
    }

    const socketPossible = tracker.apiStyle === 'slug' && tracker.apiSlug !== '' && tracker.transports.runStream !== 'absent';
    const threadPossible = tracker.threadId !== undefined && tracker.transports.threadEvents !== 'absent';
    let progressed = false;

    if (threadPossible) {
      const before = tracker.ledger.delivered;
      // With no socket to go on live, thread events are polled until the run ends.
      const result = await followThreadEvents(tracker, ctx, !socketPossible);
      caughtUpAtEnd(result, tracker, 'threadEvents', before);
      const end = settle(result, tracker, ctx, 'threadEvents');
      if (end) return end;
      if (result.kind === 'caughtUp') tracker.setConnection({ state: 'caughtUp', transport: 'threadEvents', replayed: result.replayed });
      else if (result.kind === 'cut') reason = result.reason;
      if (tracker.ledger.delivered > before) progressed = true;
    }

    if (tracker.apiStyle === 'slug' && tracker.apiSlug !== '' && tracker.transports.runStream !== 'absent') {
      const before = tracker.ledger.delivered;
      const socket = new RunStreamSocket(tracker, ctx, false);
      onSocket(socket);
      const result = await socket.run();
      onSocket(undefined);
      if (result.kind === 'absent') tracker.setControl({ available: false });
      caughtUpAtEnd(result, tracker, 'runStream', before);
      const end = settle(result, tracker, ctx, 'runStream');
      if (end) return end;
      if (result.kind === 'cut') reason = result.reason;
      if (tracker.ledger.delivered > before) progressed = true;
    }

    if (tracker.transports.threadEvents === 'absent' || tracker.threadId === undefined) {
      if (tracker.transports.runStream === 'absent' || tracker.apiStyle !== 'slug') {
        const status = await statusOnly(tracker, ctx);
        if (status.kind !== 'retry') return status;
        reason = status.reason;
      }
    }
    if (progressed) attempt = 0;
  }
}

/** A re-attach that brought the run to its end says how many events it caught up (the view shows it). */
function caughtUpAtEnd(result: StepResult, tracker: RunTracker, transport: 'threadEvents' | 'runStream', before: number): void {
  const replayed = tracker.ledger.delivered - before;
  if (result.kind === 'complete' && replayed > 0) tracker.setConnection({ state: 'caughtUp', transport, replayed });
}

/** Turns a step's result into the end of following, when it is one; notes absent transports. */
function settle(result: StepResult, tracker: RunTracker, ctx: FollowContext, transport: 'threadEvents' | 'runStream'): FollowEnd | undefined {
  switch (result.kind) {
    case 'complete':
      return { kind: 'complete' };
    case 'stopped':
      return { kind: 'stopped' };
    case 'fatal':
      return { kind: 'gaveUp', reason: result.error.message, error: result.error };
    case 'absent':
      tracker.transports[transport] = 'absent';
      ctx.logger.info(`Run ${tracker.runId}: ${transport === 'threadEvents' ? 'thread events are' : 'the run-stream socket is'} not offered: ${result.reason}`);
      tracker.announceResume();
      return undefined;
    default:
      return undefined;
  }
}

/** The last resort: the run's status. Final → the outcome; still running → nothing more can be followed. */
async function statusOnly(tracker: RunTracker, ctx: FollowContext): Promise<FollowEnd | { kind: 'retry'; reason: string }> {
  let snapshot: RunSnapshot;
  try {
    snapshot = await ctx.getRun(tracker.runId!);
  } catch (err) {
    if (ctx.signal.aborted) return { kind: 'stopped' };
    const info = err instanceof RunError ? err.info : { kind: 'network' as const, message: ctx.redact(String(err)) };
    // A missing run or a refused key will not get better by asking again.
    if (info.status !== undefined && info.status < 500 && info.status !== 429 && info.status !== 408) {
      return { kind: 'gaveUp', reason: 'The server offers no way to follow the run again (no thread events, no run-stream socket)', lookupFailure: info.message };
    }
    return { kind: 'retry', reason: `Asking the server for the run's status failed: ${info.message}` };
  }
  if (finalStatusOf(snapshot.status) !== undefined) return { kind: 'statusOnly', snapshot };
  return { kind: 'gaveUp', reason: 'The server offers no way to follow the run again (no thread events, no run-stream socket)', snapshot };
}
