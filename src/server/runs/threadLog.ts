/**
 * The durable event log of one thread (docs/protocol.md section 7, thread events): every event any of
 * its runs emitted, numbered by one `sequence` per thread. The registry trims the oldest events of
 * the oldest threads once all logs together pass a byte budget, so memory stays bounded.
 */
export interface LoggedEvent {
  sequence: number;
  /** The SSE `id:` written for it: the sequence, unless a scenario scripted its own. */
  id: string;
  threadId: string;
  runId: string;
  /** The event name (`event:` line, or the data's `type`). */
  type: string;
  /** As the agent emitted it. */
  payload: unknown;
  createdAt: string;
  /** False for scenario frames that carry the name only in `data.type` (no `event:` line). */
  named: boolean;
  /** Approximate size, for the budget. */
  bytes: number;
}

export class ThreadLog {
  private readonly entries: LoggedEvent[] = [];
  private nextSequence = 1;
  /** Sequences below this were trimmed. */
  private firstKept = 1;
  bytes = 0;
  lastUsed = Date.now();

  constructor(readonly threadId: string) {}

  append(runId: string, type: string, payload: unknown, named: boolean, id?: string): LoggedEvent {
    const sequence = this.nextSequence++;
    const text = JSON.stringify(payload ?? null) ?? '';
    const entry: LoggedEvent = {
      sequence, id: id ?? String(sequence), threadId: this.threadId, runId, type, payload, named,
      createdAt: new Date().toISOString(), bytes: text.length + 120,
    };
    this.entries.push(entry);
    this.bytes += entry.bytes;
    this.lastUsed = Date.now();
    return entry;
  }

  get lastSequence(): number {
    return this.nextSequence - 1;
  }

  /** True when events after `sequence` are no longer all kept. */
  trimmedAfter(sequence: number): boolean {
    return sequence + 1 < this.firstKept;
  }

  /** Up to `limit` events with a sequence above `after`, optionally of one run only. */
  after(after: number, limit: number, runId?: string): { events: LoggedEvent[]; hasMore: boolean } {
    const events: LoggedEvent[] = [];
    for (let i = this.indexAfter(after); i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (runId !== undefined && entry.runId !== runId) continue;
      if (events.length === limit) return { events, hasMore: true };
      events.push(entry);
    }
    return { events, hasMore: false };
  }

  /** The sequence of the event an SSE id names, if it is still kept. */
  sequenceOfId(id: string): number | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]!.id === id) return this.entries[i]!.sequence;
    return /^\d+$/.test(id) ? Number(id) : undefined;
  }

  /** Drops the oldest events until at least `bytes` are freed (or the log is empty); returns what was freed. */
  trim(bytes: number): number {
    let freed = 0;
    let count = 0;
    while (count < this.entries.length && freed < bytes) freed += this.entries[count++]!.bytes;
    if (count === 0) return 0;
    this.firstKept = this.entries[count - 1]!.sequence + 1;
    this.entries.splice(0, count);
    this.bytes -= freed;
    return freed;
  }

  /** First index whose sequence is above `after` (entries are sorted by sequence). */
  private indexAfter(after: number): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.entries[mid]!.sequence <= after) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
