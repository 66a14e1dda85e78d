import type { Logger } from '../logger';
import type { IdleTimer } from './idleTimer';
import { normaliseFrame } from './normalise';
import type { RunTracker } from './runTracker';
import { readSse } from './sseReader';

/**
 * Reads the run's first stream into the tracker: each message with its `id:` (kept for
 * `Last-Event-ID`), the `retry:` the server asks for, the consumer's back-pressure (the idle timer
 * pauses meanwhile, so a slow consumer never looks like a silent server). `error` is the read
 * error when the stream broke rather than ended.
 */
export async function readFirstStream(
  response: Response,
  tracker: RunTracker,
  idle: IdleTimer,
  cancelled: () => boolean,
  logger: Logger,
): Promise<{ error?: unknown }> {
  if (!response.body) return {};
  try {
    await readSse(response.body, {
      onMessage: (message) => {
        if (cancelled()) return;
        tracker.offer(normaliseFrame(message), { id: message.id }, false);
      },
      onRetry: (ms) => {
        tracker.retryMs = ms;
      },
      onBytes: () => idle.touch(),
      afterChunk: () => {
        const room = tracker.queue.room();
        if (!room) return undefined;
        idle.pause();
        return room.then(() => idle.resume());
      },
      isDone: () => cancelled() || tracker.complete !== undefined,
      logger,
    });
    return {};
  } catch (error) {
    return { error };
  }
}
