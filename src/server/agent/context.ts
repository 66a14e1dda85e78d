import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../core/logger';
import type { RunRequest } from '../runs/request';
import type { Run } from '../runs/registry';
import type { RunSink } from '../runs/sink';
import type { Sandboxes } from '../sandboxes';

/** Everything an agent (demo or scripted) may touch while it runs. */
export interface AgentContext {
  readonly run: Run;
  readonly request: RunRequest;
  readonly signal: AbortSignal;
  readonly sink: RunSink;
  readonly sandboxes: Sandboxes;
  readonly logger: Logger;
  /** Sends an event and records it on the run; throws once the run is cancelled. */
  emit(name: string, data: Record<string, unknown>): Promise<void>;
  /** Waits `ms` times the run's delay scale (but at least `minMs`); throws once the run is cancelled. */
  pause(ms: number, minMs?: number): Promise<void>;
}

export function createAgentContext(
  run: Run,
  sink: RunSink,
  sandboxes: Sandboxes,
  logger: Logger,
  delayScale: number,
): AgentContext {
  const signal = run.signal;
  const scale = requestDelayScale(run.request) ?? delayScale;
  return {
    run,
    request: run.request,
    signal,
    sink,
    sandboxes,
    logger,
    async emit(name, data) {
      signal.throwIfAborted();
      run.observe(name, data);
      await sink.event(name, data);
    },
    async pause(ms, minMs = 0) {
      signal.throwIfAborted();
      const scaled = Math.max(ms * scale, minMs);
      // Even with no delay, yield so cancel requests and disconnects get handled mid-run.
      if (scaled <= 0) await nextTurn(undefined, { signal });
      else await sleep(scaled, undefined, { signal });
    },
  };
}

/** `params.delayScale` lets one request override the server's pacing (0 = as fast as possible). */
function requestDelayScale(request: RunRequest): number | undefined {
  const value = request.params.delayScale;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
