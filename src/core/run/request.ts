import type { ApiStyle, RunRequest } from './types';

export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface Endpoint {
  /** Origin plus any path prefix, without a trailing slash. */
  baseUrl: string;
  apiKey?: string;
  userAgent?: string;
}

/** Validates and normalises a base URL; throws a TypeError that says what is wrong. */
export function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new TypeError(`The RunTools base URL '${baseUrl}' is not a URL; expected something like https://api.runtools.ai.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`The RunTools base URL must start with http:// or https://, not ${url.protocol}//.`);
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** The origin as shown in messages: no credentials, no path. */
export function displayOrigin(baseUrl: string): string {
  return new URL(baseUrl).origin;
}

export function apiHeaders(endpoint: Endpoint, accept: string): Record<string, string> {
  const headers: Record<string, string> = { Accept: accept };
  if (endpoint.apiKey) headers['X-API-Key'] = endpoint.apiKey;
  if (endpoint.userAgent) headers['User-Agent'] = endpoint.userAgent;
  return headers;
}

/** `POST /v1/run/{apiSlug}` (slug style) or `POST /v1/run` (agent style), docs/protocol.md section 1. */
export function buildStartRequest(endpoint: Endpoint, req: RunRequest, style: ApiStyle): HttpRequest {
  const headers = apiHeaders(endpoint, req.stream ? 'text/event-stream' : 'application/json');
  headers['Content-Type'] = 'application/json';
  if (style === 'agent') {
    // The newer shape has no documented place for mounts or context; they are sent as-is.
    const body = {
      agent: req.apiSlug,
      prompt: req.message,
      stream: req.stream,
      threadId: req.threadId,
      config: req.params,
      metadata: req.metadata,
      mounts: req.mounts,
      context: req.context,
    };
    return { url: `${endpoint.baseUrl}/v1/run`, method: 'POST', headers, body: JSON.stringify(body) };
  }
  const body = { message: req.message, stream: req.stream, params: req.params, mounts: req.mounts, context: req.context };
  return {
    url: `${endpoint.baseUrl}/v1/run/${encodeURIComponent(req.apiSlug)}`,
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  };
}

export function buildStatusRequest(endpoint: Endpoint, runId: string): HttpRequest {
  return { url: `${endpoint.baseUrl}/v1/run/${encodeURIComponent(runId)}`, method: 'GET', headers: apiHeaders(endpoint, 'application/json') };
}

export function buildCancelRequest(endpoint: Endpoint, runId: string): HttpRequest {
  return {
    url: `${endpoint.baseUrl}/v1/run/${encodeURIComponent(runId)}/cancel`,
    method: 'POST',
    headers: apiHeaders(endpoint, 'application/json'),
  };
}

export function buildListRequest(endpoint: Endpoint, query: { agent?: string; status?: string; limit?: number }): HttpRequest {
  const params = new URLSearchParams();
  if (query.agent) params.set('agent', query.agent);
  if (query.status) params.set('status', query.status);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  const search = params.toString();
  return { url: `${endpoint.baseUrl}/v1/run${search ? `?${search}` : ''}`, method: 'GET', headers: apiHeaders(endpoint, 'application/json') };
}
