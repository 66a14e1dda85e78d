import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { authenticate } from '../auth';
import { parseAgentRequest, parseSlugRequest } from '../runs/request';
import type { ServerDeps } from './deps';
import { HttpError, newRequestId, readJsonObject, sendError, sendJson } from './respond';
import { cancelRun, getRun, listRuns } from './runQueries';
import { startRun } from './startRun';
import { threadEvents } from './threadEvents';

type Route =
  | { kind: 'health' }
  | { kind: 'startAgent' }
  | { kind: 'list' }
  | { kind: 'startSlug'; slug: string }
  | { kind: 'get'; id: string }
  | { kind: 'cancel'; id: string }
  | { kind: 'threadEvents'; threadId: string };

/** Maps method and path onto a route; 404 for unknown paths, 405 for known paths with another method. */
export function matchRoute(method: string, pathname: string): Route {
  const parts = pathname.replace(/\/+$/, '').split('/').filter(Boolean).map(decodeSegment);
  const allow = (allowed: string, route: Route): Route => {
    if (method === allowed) return route;
    throw new HttpError(405, 'method_not_allowed', `Use ${allowed} for ${pathname}`, { Allow: allowed });
  };
  if (parts.length === 1 && parts[0] === 'health') return allow('GET', { kind: 'health' });
  if (parts[0] === 'v1' && parts[1] === 'run') {
    if (parts.length === 2) return method === 'GET' ? { kind: 'list' } : allow('POST', { kind: 'startAgent' });
    if (parts.length === 3) return method === 'GET' ? { kind: 'get', id: parts[2]! } : allow('POST', { kind: 'startSlug', slug: parts[2]! });
    if (parts.length === 4 && parts[3] === 'cancel') return allow('POST', { kind: 'cancel', id: parts[2]! });
  }
  if (parts[0] === 'v1' && parts[1] === 'threads' && parts.length === 4 && parts[3] === 'events') {
    return allow('GET', { kind: 'threadEvents', threadId: parts[2]! });
  }
  throw new HttpError(404, 'not_found', `No such endpoint: ${method} ${pathname}`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'invalid_request', `Malformed path segment: ${segment}`);
  }
}

export function createRequestHandler(deps: ServerDeps): RequestListener {
  return (req, res) => {
    void handle(req, res, deps);
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const requestId = newRequestId();
  res.setHeader('X-Request-ID', requestId);
  const method = req.method ?? 'GET';
  try {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    deps.logger.debug(`${method} ${url.pathname}${url.search} (${requestId})`);
    const route = matchRoute(method, url.pathname);
    if (route.kind === 'health') return sendJson(res, 200, { status: 'ok' });

    const identity = authenticate(req.headers['x-api-key'], deps.auth);
    const limit = deps.rateLimiter.take(identity);
    for (const [name, value] of Object.entries(limit.headers)) res.setHeader(name, value);
    if (!limit.allowed) {
      throw new HttpError(429, 'rate_limited', `Rate limit exceeded: ${deps.rateLimitPerMinute} requests per minute`);
    }

    switch (route.kind) {
      case 'startAgent':
        return await startRun(res, parseAgentRequest(await readJsonObject(req)), requestId, deps);
      case 'startSlug':
        return await startRun(res, parseSlugRequest(route.slug, await readJsonObject(req)), requestId, deps);
      case 'list':
        return listRuns(res, url.searchParams, requestId, deps);
      case 'get':
        return getRun(res, route.id, requestId, deps);
      case 'cancel':
        return cancelRun(res, route.id, requestId, deps);
      case 'threadEvents':
        return threadEvents(req, res, route.threadId, url.searchParams, requestId, deps);
      default: {
        const unreachable: never = route;
        throw new Error(`Unhandled route ${JSON.stringify(unreachable)}`);
      }
    }
  } catch (error) {
    const httpError = error instanceof HttpError ? error : new HttpError(500, 'internal_error', 'Internal server error');
    if (!(error instanceof HttpError)) deps.logger.error(error instanceof Error ? error : String(error));
    else deps.logger.debug(`${method} ${req.url}: ${httpError.status} ${httpError.code} (${requestId})`);
    // Drain an unread body so the connection stays usable for the client's next request.
    req.resume();
    if (res.headersSent) res.destroy();
    else sendError(res, requestId, httpError);
  }
}
