import { createParser } from 'eventsource-parser';
import { startLocalServer, type LocalServer, type LocalServerOptions } from '../../../src/server';

export const testKey = 'rt_test_server_suite_key';

/** Every suite runs the server without pacing; nothing here asserts on timing. */
export function start(options: LocalServerOptions = {}): Promise<LocalServer> {
  return startLocalServer({ apiKey: testKey, delayScale: 0, ...options });
}

export interface SseEvent {
  event: string | undefined;
  id: string | undefined;
  /** The raw data text. */
  text: string;
  /** The data parsed as JSON, or undefined when it is not JSON. */
  data: any;
}

export interface SseRead {
  events: SseEvent[];
  comments: string[];
  retries: number[];
  /** Every byte received, decoded. */
  raw: string;
  /** Set when the body ended in a network error instead of a clean end. */
  error?: unknown;
}

export async function post(server: LocalServer, path: string, body: unknown, init: { key?: string | null; signal?: AbortSignal } = {}): Promise<Response> {
  const key = init.key === undefined ? server.apiKey ?? testKey : init.key;
  return fetch(server.baseUrl + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key === null ? {} : { 'X-API-Key': key }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

export async function get(server: LocalServer, path: string, key: string | null = server.apiKey ?? testKey): Promise<Response> {
  return fetch(server.baseUrl + path, { headers: key === null ? {} : { 'X-API-Key': key } });
}

/**
 * Reads an SSE body to its end. `onEvent` may return true to stop reading early; so may `until`,
 * checked after every chunk (for comments, which carry no event).
 */
export async function readSse(
  response: Response,
  onEvent?: (event: SseEvent, read: SseRead) => boolean | void | Promise<boolean | void>,
  until?: (read: SseRead) => boolean,
): Promise<SseRead> {
  const read: SseRead = { events: [], comments: [], retries: [], raw: '' };
  const pending: SseEvent[] = [];
  const parser = createParser({
    onEvent(message) {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        data = undefined;
      }
      pending.push({ event: message.event, id: message.id, text: message.data, data });
    },
    onComment: (comment) => read.comments.push(comment),
    onRetry: (retry) => read.retries.push(retry),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      read.raw += text;
      parser.feed(text);
      let stop = false;
      for (const event of pending.splice(0)) {
        read.events.push(event);
        if (onEvent && (await onEvent(event, read))) stop = true;
      }
      if (stop || until?.(read)) {
        await reader.cancel();
        break;
      }
    }
  } catch (error) {
    read.error = error;
  }
  return read;
}

/** Polls a run until `until` holds; loops on the run's state, never on a clock. */
export async function waitForRun(server: LocalServer, id: string, until: (run: any) => boolean): Promise<any> {
  for (;;) {
    const response = await get(server, `/v1/run/${id}`);
    const body = (await response.json()) as any;
    if (until(body.data)) return body.data;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function startRun(server: LocalServer, message: string, params: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, signal?: AbortSignal): Promise<Response> {
  return post(server, '/v1/run/demo', { message, stream: true, params, ...extra }, { signal });
}
