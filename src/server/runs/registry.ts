import { randomBytes } from 'node:crypto';
import type { RunRequest } from './request';

export type ServerRunStatus = 'running' | 'completed' | 'failed' | 'cancelled';
export const runStatuses: readonly ServerRunStatus[] = ['running', 'completed', 'failed', 'cancelled'];

/** What a run has produced so far, as `GET /v1/run/{id}` reports it. */
export interface RunSummary {
  id: string;
  agent: string;
  threadId: string;
  status: ServerRunStatus;
  output?: string;
  result?: unknown;
  files?: string[];
  devUrl?: string;
  usage?: Record<string, number>;
  error?: { code?: string; message?: string };
  metadata?: unknown;
  eventCount: number;
  createdAt: string;
  completedAt?: string;
}

/**
 * One run. Keeps a summary, never the event log, so runs of 10,000+ events stay cheap.
 * `cancel()` aborts `signal`, which every agent step and every pause listens to.
 */
export class Run {
  readonly id = `run_${randomBytes(8).toString('hex')}`;
  readonly threadId: string;
  readonly agent: string;
  status: ServerRunStatus = 'running';
  private readonly controller = new AbortController();
  private readonly createdAt = new Date();
  private completedAt: Date | undefined;
  private eventCount = 0;
  private outcome: Partial<Pick<RunSummary, 'output' | 'result' | 'files' | 'devUrl' | 'usage' | 'error'>> = {};
  /** Settles when the agent's work has stopped (set by the run executor). */
  done: Promise<void> = Promise.resolve();

  constructor(readonly request: RunRequest) {
    this.agent = request.agent;
    this.threadId = request.threadId ?? `thr_${randomBytes(8).toString('hex')}`;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Records what an emitted event says about the run's outcome. */
  observe(name: string | undefined, data: unknown): void {
    this.eventCount++;
    const fields = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    const type = name ?? (typeof fields.type === 'string' ? fields.type : undefined);
    if (type === 'error') {
      this.outcome.error = { code: stringOr(fields.code), message: stringOr(fields.message) };
    } else if (type === 'dev_url' && typeof fields.url === 'string') {
      this.outcome.devUrl = fields.url;
    } else if (type === 'complete') {
      if (typeof fields.output === 'string') this.outcome.output = fields.output;
      if (fields.result !== undefined) this.outcome.result = fields.result;
      if (Array.isArray(fields.files)) this.outcome.files = fields.files.filter((f): f is string => typeof f === 'string');
      if (typeof fields.devUrl === 'string') this.outcome.devUrl = fields.devUrl;
      if (typeof fields.usage === 'object' && fields.usage !== null) this.outcome.usage = fields.usage as Record<string, number>;
      const status = fields.status === 'failed' || fields.status === 'cancelled' ? fields.status : 'completed';
      this.finish(status);
    }
  }

  finish(status: Exclude<ServerRunStatus, 'running'>, output?: string): void {
    if (this.status !== 'running') return;
    this.status = status;
    this.completedAt = new Date();
    if (output !== undefined && this.outcome.output === undefined) this.outcome.output = output;
  }

  /** Stops the run's work and event stream. A no-op once the run is final. */
  cancel(): boolean {
    if (this.status !== 'running') return false;
    this.finish('cancelled');
    this.controller.abort(new Error('Run cancelled'));
    return true;
  }

  summary(): RunSummary {
    return {
      id: this.id,
      agent: this.agent,
      threadId: this.threadId,
      status: this.status,
      ...this.outcome,
      ...(this.request.metadata !== undefined ? { metadata: this.request.metadata } : {}),
      eventCount: this.eventCount,
      createdAt: this.createdAt.toISOString(),
      ...(this.completedAt ? { completedAt: this.completedAt.toISOString() } : {}),
    };
  }
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Recent runs, newest last; old finished runs are forgotten so a long benchmark stays bounded. */
export class RunRegistry {
  private readonly runs = new Map<string, Run>();

  constructor(private readonly capacity = 500) {}

  create(request: RunRequest): Run {
    const run = new Run(request);
    this.runs.set(run.id, run);
    this.evict();
    return run;
  }

  get(id: string): Run | undefined {
    return this.runs.get(id);
  }

  list(filter: { agent?: string; status?: ServerRunStatus; limit: number }): Run[] {
    const matches: Run[] = [];
    for (const run of [...this.runs.values()].reverse()) {
      if (filter.agent !== undefined && run.agent !== filter.agent) continue;
      if (filter.status !== undefined && run.status !== filter.status) continue;
      matches.push(run);
      if (matches.length >= filter.limit) break;
    }
    return matches;
  }

  /** Cancels every running run and waits until their work has stopped. */
  async cancelAll(): Promise<void> {
    const all = [...this.runs.values()];
    for (const run of all) run.cancel();
    await Promise.allSettled(all.map((run) => run.done));
  }

  private evict(): void {
    if (this.runs.size <= this.capacity) return;
    for (const [id, run] of this.runs) {
      if (this.runs.size <= this.capacity) break;
      if (run.status !== 'running') this.runs.delete(id);
    }
  }
}
