import { randomBytes } from 'node:crypto';
import type { RunRequest } from './request';
import { Run, type ServerRunStatus } from './run';
import { ThreadLog, type LoggedEvent } from './threadLog';

export { Run, runStatuses, type RunSummary, type ServerRunStatus } from './run';

/**
 * Recent runs, newest last, and their threads' event logs. Bounded twice: at most `capacity`
 * runs (old finished ones are forgotten, with their threads once no run of them is left) and
 * at most `maxLoggedBytes` of logged events (the oldest events of the oldest threads go first).
 */
export class RunRegistry {
  private readonly runs = new Map<string, Run>();
  private readonly threads = new Map<string, ThreadLog>();
  private loggedBytes = 0;

  constructor(private readonly capacity = 500, private readonly maxLoggedBytes = 64 * 1024 * 1024) {}

  create(request: RunRequest): Run {
    const threadId = request.threadId ?? `thr_${randomBytes(8).toString('hex')}`;
    let thread = this.threads.get(threadId);
    if (!thread) {
      thread = new ThreadLog(threadId);
      this.threads.set(threadId, thread);
    }
    const run = new Run(request, thread, (entry) => this.logged(entry));
    this.runs.set(run.id, run);
    this.evict();
    return run;
  }

  get(id: string): Run | undefined {
    return this.runs.get(id);
  }

  thread(id: string): ThreadLog | undefined {
    return this.threads.get(id);
  }

  runsOf(threadId: string): Run[] {
    return [...this.runs.values()].filter((run) => run.threadId === threadId);
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

  private logged(entry: LoggedEvent): void {
    this.loggedBytes += entry.bytes;
    if (this.loggedBytes <= this.maxLoggedBytes) return;
    // Free a tenth of the budget at once, so trimming is rare even in a 60,000-event run.
    let toFree = this.loggedBytes - this.maxLoggedBytes * 0.9;
    for (const thread of [...this.threads.values()].sort((a, b) => a.lastUsed - b.lastUsed)) {
      if (toFree <= 0) break;
      const freed = thread.trim(toFree);
      this.loggedBytes -= freed;
      toFree -= freed;
    }
  }

  private evict(): void {
    if (this.runs.size <= this.capacity) return;
    for (const [id, run] of this.runs) {
      if (this.runs.size <= this.capacity) break;
      if (run.status !== 'running') this.runs.delete(id);
    }
    const live = new Set([...this.runs.values()].map((run) => run.threadId));
    for (const [threadId, thread] of this.threads) {
      if (live.has(threadId)) continue;
      this.loggedBytes -= thread.bytes;
      this.threads.delete(threadId);
    }
  }
}
