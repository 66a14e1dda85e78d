import { STATUS_CODES } from 'node:http';
import type { Redactor } from './redact';
import type { RedirectRefused } from './redirects';
import type { RunErrorInfo } from './types';
import { isRecord } from './wireFields';

/** What the client was doing when something failed; it shapes the message and the hint. */
export interface ErrorContext {
  operation: 'start' | 'status' | 'cancel' | 'list' | 'follow';
  /** Origin of the API, for messages (never with credentials). */
  origin: string;
  apiSlug?: string;
  runId?: string;
  hasKey: boolean;
  redact: Redactor;
}

const operationText: Record<ErrorContext['operation'], string> = {
  start: 'Starting the run',
  status: "Fetching the run's status",
  cancel: 'Cancelling the run',
  list: 'Listing runs',
  follow: 'Following the run again',
};

/** Error bodies are read only this far: enough for any envelope, and an HTML page cannot flood us. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
const MAX_MESSAGE_CHARS = 300;

export async function readBoundedText(body: ReadableStream<Uint8Array> | null, limit = MAX_ERROR_BODY_BYTES): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A body cut short still says something; keep what arrived.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return text.slice(0, limit);
}

/** Maps a non-2xx answer to an error, using the envelope when there is one. */
export function httpError(status: number, headers: Headers, body: string, ctx: ErrorContext, now = Date.now()): RunErrorInfo {
  const envelope = parseEnvelope(body);
  const reason = STATUS_CODES[status] ?? 'Error';
  const serverText = envelope?.message ?? plainText(body, headers.get('content-type'));
  const message = serverText
    ? `${operationText[ctx.operation]} failed: HTTP ${status} ${reason}: ${trimSentence(serverText)}.`
    : `${operationText[ctx.operation]} failed: HTTP ${status} ${reason}${body.trim() ? '' : ' (empty answer)'}.`;
  const info: RunErrorInfo = {
    kind: 'http',
    status,
    message: ctx.redact(message),
    code: envelope?.code && ctx.redact(envelope.code),
    requestId: clean(envelope?.requestId ?? headers.get('x-request-id') ?? undefined, ctx.redact),
  };
  if (status === 429) info.retryAfterSeconds = retryAfterSeconds(headers, now);
  const hint = hintForStatus(status, info.retryAfterSeconds, headers, ctx);
  if (hint) info.hint = hint;
  return dropUndefined(info);
}

function hintForStatus(status: number, retryAfter: number | undefined, headers: Headers, ctx: ErrorContext): string | undefined {
  switch (status) {
    case 400:
      return 'The server rejected the request; check the message and parameters sent with the run.';
    case 401:
      return ctx.hasKey
        ? 'The API key was not accepted: check that it is a current RunTools key (it starts with rt_live_ or rt_test_).'
        : 'No API key is set: set a RunTools API key (it starts with rt_live_ or rt_test_).';
    case 403:
      return "The API key is valid but not allowed to do this: it needs the 'agent:run' scope (and access to this deployment). Create a key with that scope in the RunTools dashboard.";
    case 404:
      if (ctx.operation === 'start') {
        return `No deployment '${ctx.redact(ctx.apiSlug ?? '')}' was found at ${ctx.origin}: check the API slug and the base URL.`;
      }
      if (ctx.operation === 'list') return `${ctx.origin} has no run listing: check the base URL.`;
      return `No run '${ctx.redact(ctx.runId ?? '')}' is known at ${ctx.origin}: it may have expired, or it belongs to another key.`;
    case 408:
    case 502:
    case 503:
    case 504:
      return 'The server or a proxy in front of it is unavailable or too slow; try again in a moment.';
    case 429: {
      const limit = headers.get('x-ratelimit-limit');
      const wait = retryAfter !== undefined ? `wait ${retryAfter} s` : 'wait a minute';
      return `Too many requests${limit ? ` (limit ${limit} per minute)` : ''}: ${wait} before trying again.`;
    }
    default:
      return status >= 500
        ? 'The RunTools server failed; try again in a moment, and quote the request id if it keeps happening.'
        : undefined;
  }
}

/** Seconds to wait, from `Retry-After` (seconds or a date), else `X-RateLimit-Reset` (unix seconds). */
export function retryAfterSeconds(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const value = Number(reset);
    // Small values are a delay in seconds (some gateways), large ones a unix time.
    return value < 1e9 ? Math.ceil(value) : Math.max(0, Math.ceil(value - now / 1000));
  }
  return undefined;
}

interface Envelope { message?: string; code?: string; requestId?: string }

/** `{error:{code,message,requestId}}`, `{error:"..."}`, `{message,code}`, `{detail}`, plus `meta.requestId`. */
function parseEnvelope(body: string): Envelope | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  const error = json.error;
  const inner = isRecord(error) ? error : json;
  const meta = isRecord(json.meta) ? json.meta : {};
  return {
    message: str(inner.message) ?? str(error) ?? str(json.detail) ?? str(json.message),
    code: str(inner.code) ?? str(inner.type),
    requestId: str(inner.requestId) ?? str(inner.request_id) ?? str(meta.requestId) ?? str(json.requestId),
  };
}

/** Something readable from a body that is not an envelope: an HTML page's title or text, or plain text. */
function plainText(body: string, contentType: string | null): string | undefined {
  const trimmed = body.trim();
  if (!trimmed) return undefined;
  if (/html/i.test(contentType ?? '') || /^<(!doctype|html|head|body)/i.test(trimmed)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(trimmed)?.[1];
    const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(trimmed)?.[1];
    const text = collapse(stripTags(title || h1 || trimmed.replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')));
    return text ? `${text} (an HTML page, probably from a proxy)` : 'an HTML page, probably from a proxy';
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return undefined;
  return collapse(trimmed);
}

const stripTags = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

function trimSentence(text: string): string {
  const short = text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
  return short.replace(/[.\s]+$/, '');
}

/** A redirect that was not followed (redirects.ts): where the server pointed, and why not there. */
export function redirectError(refused: RedirectRefused, ctx: ErrorContext): RunErrorInfo {
  const head = `${operationText[ctx.operation]} failed: ${ctx.origin} answered with a redirect (HTTP ${refused.status}) to ${refused.to}`;
  const [message, hint] = refused.reason === 'other-origin'
    ? [`${head}. A redirect to another origin is never followed, so your API key and the request were not sent there.`,
      'If the RunTools API has moved there and you trust it, set runtools.baseUrl to it; otherwise check the base URL and any proxy in front of it.']
    : refused.reason === 'not-resent'
      ? [`${head}. A ${refused.method} is never re-sent by a redirect, so the request was not repeated there.`,
        'Set runtools.baseUrl to the address the API answers at directly.']
      : [`${head}, after too many redirects; stopped following them.`, 'Check the base URL and any proxy in front of it.'];
  return { kind: 'http', status: refused.status, code: 'redirect_refused', message: ctx.redact(message), hint };
}

const networkCodes: Record<string, { what: string; hint: string }> = {
  ECONNREFUSED: { what: 'connection refused', hint: 'Check that the server is running and that the base URL (host and port) is right.' },
  ENOTFOUND: { what: 'host not found', hint: 'Check the base URL for typos, and your network or DNS.' },
  EAI_AGAIN: { what: 'DNS lookup failed', hint: 'Check your network or DNS, then try again.' },
  ECONNRESET: { what: 'connection reset', hint: 'The connection dropped; a proxy or firewall may be closing it. Try again.' },
  UND_ERR_SOCKET: { what: 'connection closed by the other side', hint: 'The connection dropped; a proxy or firewall may be closing it. Try again.' },
  ETIMEDOUT: { what: 'connection timed out', hint: 'Check your network, proxy and the base URL.' },
  UND_ERR_CONNECT_TIMEOUT: { what: 'connection timed out', hint: 'Check your network, proxy and the base URL.' },
  EHOSTUNREACH: { what: 'host unreachable', hint: 'Check your network and the base URL.' },
  ENETUNREACH: { what: 'network unreachable', hint: 'Check your network connection.' },
  EPIPE: { what: 'connection closed while sending', hint: 'Try again; a proxy may be closing the connection.' },
};

/** Maps a `fetch` rejection (undici puts the socket error in `cause`) to an error. */
export function networkError(err: unknown, ctx: ErrorContext): RunErrorInfo {
  const code = networkCode(err);
  const known = code ? networkCodes[code] : undefined;
  const tls = code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code);
  const what = known?.what ?? (tls ? 'TLS certificate problem' : code ? `network error ${code}` : errorMessage(err));
  const hint = known?.hint
    ?? (tls ? 'The server certificate was not trusted; check the base URL, or a proxy that intercepts HTTPS.' : 'Check your network connection and the base URL.');
  return dropUndefined({
    kind: 'network',
    message: ctx.redact(`${operationText[ctx.operation]} failed: could not reach ${ctx.origin} (${what}).`),
    code: code && ctx.redact(code),
    hint,
  });
}

/** The error code of a network failure: on the error, its `cause`, or an aggregated error inside. */
export function networkCode(err: unknown): string | undefined {
  for (let current = err, depth = 0; isRecord(current) && depth < 4; current = current.cause, depth++) {
    if (typeof current.code === 'string' && current.code !== 'ABORT_ERR') return current.code;
    if (Array.isArray(current.errors)) {
      const inner = current.errors.map(networkCode).find(Boolean);
      if (inner) return inner;
    }
  }
  return undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function clean(value: string | undefined, redact: Redactor): string | undefined {
  return value === undefined ? undefined : redact(value);
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
