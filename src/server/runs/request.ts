import { HttpError } from '../http/respond';

/** The editor context the extension sends with a selection (see the issue brief). */
export interface SelectionContext {
  file?: { path?: string; language?: string };
  selection?: { text?: string; startLine?: number; endLine?: number; linesText?: string };
  workspace?: string;
  history?: { role?: string; content?: string }[];
}

/** One run request, whichever of the two documented body shapes it arrived in. */
export interface RunRequest {
  /** `slug`: POST /v1/run/{apiSlug}; `agent`: the newer POST /v1/run. */
  shape: 'slug' | 'agent';
  agent: string;
  message: string;
  stream: boolean;
  params: Record<string, unknown>;
  context: SelectionContext | undefined;
  threadId: string | undefined;
  metadata: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalBoolean(body: Record<string, unknown>, field: string, fallback: boolean): boolean {
  const value = body[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new HttpError(400, 'invalid_request', `'${field}' must be a boolean`);
  return value;
}

function optionalObject(body: Record<string, unknown>, field: string): Record<string, unknown> | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new HttpError(400, 'invalid_request', `'${field}' must be an object`);
  return value;
}

/** `POST /v1/run/{apiSlug}` with `{message, stream = false, params, mounts, context}`. */
export function parseSlugRequest(agent: string, body: Record<string, unknown>): RunRequest {
  if (typeof body.message !== 'string' || body.message.trim() === '') {
    throw new HttpError(400, 'invalid_request', "'message' is required and must be a non-empty string");
  }
  if (body.mounts !== undefined && !Array.isArray(body.mounts)) {
    throw new HttpError(400, 'invalid_request', "'mounts' must be an array");
  }
  return {
    shape: 'slug',
    agent,
    message: body.message,
    stream: optionalBoolean(body, 'stream', false),
    params: optionalObject(body, 'params') ?? {},
    context: optionalObject(body, 'context') as SelectionContext | undefined,
    threadId: undefined,
    metadata: undefined,
  };
}

/**
 * `POST /v1/run` with `{agent, prompt | messages, threadId, stream = true, config, metadata}`.
 * The newer shape has no documented `params`/`context`; `config.params`, `config.context` (or a
 * top-level `context`) carry them here so the same scenarios and selection edits work.
 */
export function parseAgentRequest(body: Record<string, unknown>): RunRequest {
  if (typeof body.agent !== 'string' || body.agent.trim() === '') {
    throw new HttpError(400, 'invalid_request', "'agent' is required and must be a non-empty string");
  }
  const message = promptOf(body);
  const config = optionalObject(body, 'config') ?? {};
  const params = isObject(config.params) ? config.params : typeof config.scenario === 'string' ? { scenario: config.scenario } : {};
  const context = optionalObject(body, 'context') ?? (isObject(config.context) ? config.context : undefined);
  if (body.threadId !== undefined && typeof body.threadId !== 'string') {
    throw new HttpError(400, 'invalid_request', "'threadId' must be a string");
  }
  return {
    shape: 'agent',
    agent: body.agent,
    message,
    stream: optionalBoolean(body, 'stream', true),
    params,
    context: context as SelectionContext | undefined,
    threadId: body.threadId as string | undefined,
    metadata: body.metadata,
  };
}

function promptOf(body: Record<string, unknown>): string {
  if (typeof body.prompt === 'string' && body.prompt.trim() !== '') return body.prompt;
  if (Array.isArray(body.messages)) {
    // The task is the latest user message; earlier ones are history.
    for (let i = body.messages.length - 1; i >= 0; i--) {
      const entry: unknown = body.messages[i];
      if (isObject(entry) && (entry.role === undefined || entry.role === 'user') && typeof entry.content === 'string') {
        return entry.content;
      }
    }
  }
  throw new HttpError(400, 'invalid_request', "'prompt' or 'messages' (with a user message) is required");
}
