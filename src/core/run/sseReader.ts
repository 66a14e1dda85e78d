import { createParser } from 'eventsource-parser';
import type { Logger } from '../logger';
import type { SseMessage } from './normalise';

export interface SseReadOptions {
  onMessage(message: SseMessage): void;
  /** Called for every chunk of bytes (the idle timer listens). */
  onBytes?(): void;
  /** Awaited between chunks when it returns a promise: the consumer's back-pressure. */
  afterChunk?(): Promise<void> | undefined;
  /** The stream's `retry:` value, in ms. */
  onRetry?(ms: number): void;
  /** True once nothing more should be read (a terminal event, a cancel). */
  isDone(): boolean;
  logger: Logger;
}

export type SseReadResult = 'ended' | 'stopped';

/**
 * Reads a Server-Sent Events body with eventsource-parser: UTF-8 decoded across chunk edges,
 * any line ends, comments and `id:`/`retry:` handled by the parser. Resolves `ended` when the
 * body ends, `stopped` when `isDone()` says so; rejects with the read error (reset, abort).
 * An event still incomplete when the body ends is dropped, as the SSE standard says.
 */
export async function readSse(body: ReadableStream<Uint8Array>, options: SseReadOptions): Promise<SseReadResult> {
  const { logger } = options;
  const parser = createParser({
    onEvent: options.onMessage,
    onComment: (comment) => logger.trace(`SSE comment: ${comment.slice(0, 200)}`),
    onRetry: (retry) => {
      logger.debug(`SSE retry: ${retry} ms`);
      options.onRetry?.(retry);
    },
    onError: (error) => logger.debug(`SSE: ${error.message}`),
  });
  const decoder = new TextDecoder('utf-8');
  const reader = body.getReader();
  let endsWithCr = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      options.onBytes?.();
      const text = decoder.decode(value, { stream: true });
      if (text) endsWithCr = text.charCodeAt(text.length - 1) === 0x0d;
      parser.feed(text);
      if (options.isDone()) return 'stopped';
      const wait = options.afterChunk?.();
      if (wait) await wait;
      if (options.isDone()) return 'stopped';
    }
    parser.feed(decoder.decode());
    // The parser waits for a possible LF after a CR; at the end of the body none can come.
    if (endsWithCr) parser.feed('\n');
    return options.isDone() ? 'stopped' : 'ended';
  } finally {
    // Frees the connection when we stop early; a no-op on a finished body.
    reader.cancel().catch(() => undefined);
  }
}
