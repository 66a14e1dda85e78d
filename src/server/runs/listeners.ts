import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WebSocket } from 'ws';
import type { Faults } from './faults';
import type { LoggedEvent } from './threadLog';

/** Frames that belong to one connection, not to the run's log: scripted bytes, comments, drops. */
export type TransportFrame = { raw: string } | { comment: string } | { drop: true };

/**
 * One connection following a run (an SSE answer or a run-stream socket). Writes happen in order
 * on one chain; `event()` resolves once the bytes were taken, so a slow client slows the agent as
 * a real stream would, except while a scripted stall holds the connection.
 */
export abstract class RunListener {
  private chain: Promise<void> = Promise.resolve();
  private written = 0;
  /** While set, a scripted stall holds the connection: writes wait, the run does not. */
  private hold: Promise<void> | undefined;
  private readonly closing = new AbortController();
  private isClosed = false;
  private readonly closeWaiters: (() => void)[] = [];

  constructor(private readonly faults: Faults) {}

  get closed(): boolean {
    return this.isClosed;
  }

  /** Resolves when the connection is over (ended, dropped or gone). */
  whenClosed(): Promise<void> {
    return this.isClosed ? Promise.resolve() : new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  event(entry: LoggedEvent): Promise<void> {
    const stalled = this.hold !== undefined;
    const written = this.enqueue(() => this.deliver(entry));
    return stalled ? Promise.resolve() : written;
  }

  frame(frame: TransportFrame): Promise<void> {
    return this.enqueue(async () => {
      if ('drop' in frame) this.drop();
      else if ('raw' in frame) await this.writeRaw(frame.raw);
      else await this.writeComment(frame.comment);
    });
  }

  /** The run is over: finish after everything queued. */
  end(): Promise<void> {
    return this.enqueue(async () => {
      this.finishConnection();
      this.markClosed();
    });
  }

  /** Destroys the connection at once, like a network failure. */
  drop(): void {
    this.destroyConnection();
    this.markClosed();
  }

  /** Called by the subclass when the peer went away. */
  protected markClosed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closing.abort();
    for (const waiter of this.closeWaiters.splice(0)) waiter();
  }

  protected abstract writeEvent(entry: LoggedEvent, first: boolean, half: boolean): Promise<void>;
  protected abstract writeRaw(text: string): Promise<void>;
  protected abstract writeComment(text: string): Promise<void>;
  protected abstract finishConnection(): void;
  protected abstract destroyConnection(): void;

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(() => (this.isClosed ? undefined : step())).catch(() => this.drop());
    return this.chain;
  }

  private async deliver(entry: LoggedEvent): Promise<void> {
    if (this.hold) await this.hold;
    if (this.isClosed) return;
    const { dropEvery, dropMidEvent, stallEvery, stallMs } = this.faults;
    const count = ++this.written;
    if (dropEvery && dropMidEvent && count === dropEvery + 1) {
      await this.writeEvent(entry, count === 1, true);
      this.drop();
      return;
    }
    await this.writeEvent(entry, count === 1, false);
    if (dropEvery && !dropMidEvent && count === dropEvery) this.drop();
    else if (stallEvery && count % stallEvery === 0) {
      this.hold = sleep(stallMs ?? 5_000, undefined, { signal: this.closing.signal })
        .catch(() => undefined)
        .then(() => (this.hold = undefined));
    }
  }
}

export function formatEvent(name: string | undefined, data: unknown, extra: { id?: string; retry?: number } = {}): string {
  let frame = '';
  if (extra.id !== undefined) frame += `id: ${extra.id}\n`;
  if (extra.retry !== undefined) frame += `retry: ${extra.retry}\n`;
  if (name !== undefined) frame += `event: ${name}\n`;
  const text = typeof data === 'string' ? data : JSON.stringify(data ?? {});
  // A data value with line breaks must span several `data:` lines to survive SSE framing.
  for (const line of text.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

export interface SseOptions {
  /** Write `id:` lines. */
  eventIds: boolean;
  /** Advertised once per connection with its first event. */
  retryMs: number | undefined;
}

/** Writes a run as Server-Sent Events onto one HTTP response. */
export class SseListener extends RunListener {
  constructor(private readonly res: ServerResponse, faults: Faults, private readonly options: SseOptions) {
    super(faults);
    res.on('close', () => this.markClosed());
  }

  protected writeEvent(entry: LoggedEvent, first: boolean, half: boolean): Promise<void> {
    const text = formatEvent(entry.named ? entry.type : undefined, entry.payload, {
      id: this.options.eventIds ? entry.id : undefined,
      retry: first ? this.options.retryMs : undefined,
    });
    return this.write(half ? text.slice(0, Math.max(1, text.length >> 1)) : text);
  }

  protected writeRaw(text: string): Promise<void> {
    return this.write(text);
  }

  protected writeComment(text: string): Promise<void> {
    return this.write(`: ${text}\n\n`);
  }

  protected finishConnection(): void {
    if (!this.res.destroyed) this.res.end();
  }

  protected destroyConnection(): void {
    this.res.socket?.destroy();
    this.res.destroy();
  }

  /** Resolves once the bytes reached the socket (so a scripted drop right after cannot lose them). */
  private async write(text: string): Promise<void> {
    const res = this.res;
    if (this.closed || res.destroyed || res.writableEnded) return;
    // Honour backpressure (huge tool outputs), but never wait on a connection that has gone.
    await new Promise<void>((resolve) => {
      const done = (): void => {
        res.off('close', done);
        resolve();
      };
      res.on('close', done);
      res.write(text, done);
    });
  }
}

/** The run-stream socket: JSON messages with `type`, the event's fields, `sequence` and `id`. */
export class SocketListener extends RunListener {
  constructor(private readonly socket: WebSocket, faults: Faults) {
    super(faults);
    socket.on('close', () => this.markClosed());
  }

  protected writeEvent(entry: LoggedEvent): Promise<void> {
    // A socket message is whole or absent: a mid-event cut is a plain drop here.
    return this.send(socketMessage(entry));
  }

  protected async writeRaw(): Promise<void> {}
  protected async writeComment(): Promise<void> {}

  protected finishConnection(): void {
    this.socket.close(1000, 'run ended');
  }

  protected destroyConnection(): void {
    this.socket.terminate();
  }

  send(message: unknown): Promise<void> {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return Promise.resolve();
    return new Promise((resolve) => this.socket.send(JSON.stringify(message), () => resolve()));
  }
}

export function socketMessage(entry: LoggedEvent): Record<string, unknown> {
  const fields = typeof entry.payload === 'object' && entry.payload !== null && !Array.isArray(entry.payload)
    ? (entry.payload as Record<string, unknown>)
    : { data: entry.payload };
  return { ...fields, type: entry.type, sequence: entry.sequence, id: entry.id };
}
