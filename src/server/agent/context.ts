import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../core/logger';
import type { RunRequest } from '../runs/request';
import type { Run } from '../runs/registry';
import type { Sandboxes } from '../sandboxes';

/** Everything an agent (demo or scripted) may touch while it runs. */
export interface AgentContext {
  readonly run: Run;
  readonly request: RunRequest;
  readonly signal: AbortSignal;
  readonly sandboxes: Sandboxes;
  readonly logger: Logger;
  /** Logs an event and sends it to whoever follows the run; waits while paused, throws once cancelled. */
  emit(name: string, data: Record<string, unknown>): Promise<void>;
  /** Waits `ms` times the run's delay scale (but at least `minMs`), and while paused; throws once cancelled. */
  pause(ms: number, minMs?: number): Promise<void>;
  /** Asks the user (an `input_required` event) and waits for the `input` command's text. */
  ask(question: string): Promise<string>;
}

export function createAgentContext(run: Run, sandboxes: Sandboxes, logger: Logger, delayScale: number): AgentContext {
  const signal = run.signal;
  const scale = requestDelayScale(run.request) ?? delayScale;
  return {
    run,
    request: run.request,
    signal,
    sandboxes,
    logger,
    async emit(name, data) {
      await run.whenRunnable();
      await run.emit(name, data);
    },
    async pause(ms, minMs = 0) {
      await run.whenRunnable();
      const scaled = Math.max(ms * scale, minMs);
      // Even with no delay, yield so cancel requests and disconnects get handled mid-run.
      if (scaled <= 0) await nextTurn(undefined, { signal });
      else await sleep(scaled, undefined, { signal });
      await run.whenRunnable();
    },
    async ask(question) {
      await run.whenRunnable();
      return run.ask(question);
    },
  };
}

/** `params.delayScale` lets one request override the server's pacing (0 = as fast as possible). */
function requestDelayScale(request: RunRequest): number | undefined {
  const value = request.params.delayScale;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
