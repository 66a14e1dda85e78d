import type { RunEvent } from './events';
import { asText, idOf, isRecord, num, str, stringList, usageOf } from './wireFields';

/** One SSE message as eventsource-parser hands it over. */
export interface SseMessage {
  event?: string;
  data: string;
  id?: string;
}

export interface NormalisedFrame {
  event: RunEvent;
  /** Ids some servers put into event data; the client keeps the first it sees. */
  runId?: string;
  threadId?: string;
}

const knownTypes = new Set(['thinking', 'tool_call', 'tool_result', 'file_edit', 'dev_url', 'error', 'complete']);

/**
 * Turns one SSE message into a normalised event (docs/protocol.md 3). The name comes from `event:`,
 * else from a `type` field of the data; data that is not JSON is kept as text. A frame this
 * cannot read becomes `unknown` with its raw data: it never throws.
 */
export function normaliseFrame(message: SseMessage): NormalisedFrame {
  const data = parseData(message.data);
  const record = isRecord(data) ? data : undefined;
  const typeField = record ? str(record.type) : undefined;
  const name = message.event && message.event !== 'message' ? message.event : typeField ?? message.event ?? 'message';
  // Some servers nest the payload: `{"type":"thinking","data":{"content":"..."}}`.
  const fields = record && isRecord(record.data) ? { ...record.data, ...withoutData(record) } : record;
  const event = (knownTypes.has(name) && toKnownEvent(name, fields, data)) || { type: 'unknown' as const, event: name, data };
  const frame: NormalisedFrame = { event };
  if (fields) {
    const runId = idOf(fields.runId) ?? idOf(fields.run_id);
    const threadId = idOf(fields.threadId) ?? idOf(fields.thread_id);
    if (runId) frame.runId = runId;
    if (threadId) frame.threadId = threadId;
  }
  return frame;
}

function parseData(text: string): unknown {
  const first = text.charCodeAt(0);
  // Only `{`, `[` and `"` start the JSON we expect; anything else is text (cheaper than a failed parse).
  if (first !== 0x7b && first !== 0x5b && first !== 0x22) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function withoutData(record: Record<string, unknown>): Record<string, unknown> {
  const { data: _data, ...rest } = record;
  return rest;
}

/** The known event, or undefined when its essential field is missing (it is then shown as unknown). */
function toKnownEvent(name: string, f: Record<string, unknown> | undefined, data: unknown): RunEvent | undefined {
  const text = typeof data === 'string' ? data : undefined;
  switch (name) {
    case 'thinking': {
      const content = f ? str(f.content) ?? str(f.text) ?? str(f.delta) : text;
      return content === undefined ? undefined : { type: 'thinking', content };
    }
    case 'tool_call': {
      const tool = f && (str(f.tool) ?? str(f.name) ?? str(f.tool_name));
      return tool === undefined ? undefined : { type: 'tool_call', tool, input: f?.input ?? f?.args ?? f?.arguments ?? {} };
    }
    case 'tool_result': {
      if (!f) return text === undefined ? undefined : { type: 'tool_result', output: text };
      const event: RunEvent = { type: 'tool_result', output: asText(f.output ?? f.result ?? f.content) };
      const tool = str(f.tool) ?? str(f.name);
      if (tool !== undefined) event.tool = tool;
      return event;
    }
    case 'file_edit': {
      if (!f) return undefined;
      const path = str(f.path) ?? str(f.file) ?? str(f.filePath) ?? str(f.file_path);
      const diff = str(f.diff) ?? str(f.patch) ?? str(f.content);
      if (path === undefined && diff === undefined) return undefined;
      const event: RunEvent = { type: 'file_edit', path: path ?? '', diff: diff ?? '' };
      const action = str(f.action);
      if (action !== undefined) event.action = action;
      // Renames come in two conventions: `path` is the old name and `newPath`/`to` the new one, or
      // `path` is the new name and `from`/`oldPath` the old one. Both become path (old) + newPath (new).
      const newPath = str(f.newPath) ?? str(f.to) ?? str(f.new_path);
      const oldPath = str(f.from) ?? str(f.oldPath) ?? str(f.old_path);
      if (newPath !== undefined) event.newPath = newPath;
      else if (oldPath !== undefined && path !== undefined) {
        event.path = oldPath;
        event.newPath = path;
      }
      return event;
    }
    case 'dev_url': {
      const url = f ? str(f.url) ?? str(f.devUrl) ?? str(f.dev_url) : text;
      if (!url) return undefined;
      const port = f && num(f.port);
      return port === undefined ? { type: 'dev_url', url } : { type: 'dev_url', url, port };
    }
    case 'error': {
      if (!f) return { type: 'error', message: text || 'The agent reported an error without a message.' };
      const nested = isRecord(f.error) ? f.error : undefined;
      const code = str(f.code) ?? (nested && str(nested.code));
      const message = str(f.message) ?? str(f.error) ?? (nested && str(nested.message)) ?? code ?? 'The agent reported an error without a message.';
      return code === undefined ? { type: 'error', message } : { type: 'error', message, code };
    }
    case 'complete':
      return completeEvent(f, text);
    default:
      return undefined;
  }
}

function completeEvent(f: Record<string, unknown> | undefined, text: string | undefined): RunEvent {
  if (!f) return text ? { type: 'complete', output: text } : { type: 'complete' };
  const event: RunEvent = { type: 'complete' };
  const output = f.output;
  if (typeof output === 'string') event.output = output;
  const result = f.result ?? (output !== undefined && typeof output !== 'string' ? output : undefined);
  if (result !== undefined) event.result = result;
  const files = stringList(f.files);
  if (files) event.files = files;
  const devUrl = str(f.devUrl) ?? str(f.dev_url);
  if (devUrl) event.devUrl = devUrl;
  const usage = usageOf(f.usage);
  if (usage) event.usage = usage;
  const status = str(f.status);
  if (status) event.status = status;
  const error = isRecord(f.error) ? str(f.error.message) ?? str(f.error.code) : str(f.error);
  if (error) event.error = isRecord(f.error) && str(f.error.code) ? { message: error, code: str(f.error.code) } : { message: error };
  return event;
}
