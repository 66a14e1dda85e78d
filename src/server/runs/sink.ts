import type { ServerResponse } from 'node:http';

/** Where a run's frames go: an SSE response, or nowhere (non-streaming answers). */
export interface RunSink {
  /** One SSE event; `name` undefined writes data only (servers that put the name in `type`). */
  event(name: string | undefined, data: unknown, extra?: { id?: string; retry?: number }): Promise<void>;
  /** Bytes exactly as given, for malformed-frame scenarios. */
  raw(text: string): Promise<void>;
  comment(text: string): Promise<void>;
  /** Destroys the connection without ending the response, like a dropped network link. */
  drop(): void;
  readonly dropped: boolean;
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

export class SseSink implements RunSink {
  private isDropped = false;

  constructor(private readonly res: ServerResponse) {}

  get dropped(): boolean {
    return this.isDropped;
  }

  event(name: string | undefined, data: unknown, extra?: { id?: string; retry?: number }): Promise<void> {
    return this.write(formatEvent(name, data, extra));
  }

  raw(text: string): Promise<void> {
    return this.write(text);
  }

  comment(text: string): Promise<void> {
    return this.write(`: ${text}\n\n`);
  }

  drop(): void {
    this.isDropped = true;
    this.res.socket?.destroy();
    this.res.destroy();
  }

  private async write(text: string): Promise<void> {
    const res = this.res;
    if (this.isDropped || res.destroyed || res.writableEnded) return;
    if (res.write(text)) return;
    // Honour backpressure (huge tool outputs), but never wait on a connection that has gone.
    await new Promise<void>((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }
}

/** For `stream: false`: frames are only recorded on the run, but a scripted drop still drops. */
export class SilentSink implements RunSink {
  private isDropped = false;

  constructor(private readonly res: ServerResponse) {}

  get dropped(): boolean {
    return this.isDropped;
  }

  async event(): Promise<void> {}
  async raw(): Promise<void> {}
  async comment(): Promise<void> {}

  drop(): void {
    this.isDropped = true;
    this.res.socket?.destroy();
    this.res.destroy();
  }
}
