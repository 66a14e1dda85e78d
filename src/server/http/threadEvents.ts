import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultsOf } from '../runs/faults';
import type { LoggedEvent } from '../runs/threadLog';
import type { ServerDeps } from './deps';
import { HttpError, sendJson } from './respond';

const defaultLimit = 100;
const maxLimit = 1000;

/**
 * `GET /v1/threads/{threadId}/events?cursor=&limit=` (docs/protocol.md section 7): the thread's events
 * in `sequence` order, a page at a time. Without a cursor, `Last-Event-ID` says where to start
 * (after that event); without either, from the beginning. `nextCursor` is always given, so a
 * client can poll from the end for what comes next.
 */
export function threadEvents(req: IncomingMessage, res: ServerResponse, threadId: string, query: URLSearchParams, requestId: string, deps: ServerDeps): void {
  if (!deps.resumption.threadEvents) throw new HttpError(404, 'not_found', `No such endpoint: GET /v1/threads/${threadId}/events`);
  const thread = deps.runs.thread(threadId);
  if (!thread) throw new HttpError(404, 'not_found', `Thread not found: ${threadId}`);
  const limit = limitOf(query.get('limit'));
  const cursor = query.get('cursor');
  const lastEventId = header(req, 'last-event-id');
  let after = cursor ? decodeCursor(cursor) : lastEventId ? thread.sequenceOfId(lastEventId) ?? 0 : 0;
  const overlap = overlapOf(deps, threadId);
  if (overlap && (cursor || lastEventId)) after = Math.max(0, after - overlap);
  if (thread.trimmedAfter(after)) {
    throw new HttpError(410, 'events_expired', `Events of thread ${threadId} from that point are no longer kept: the server keeps a bounded log`);
  }
  const page = thread.after(after, limit);
  const last = page.events.at(-1)?.sequence ?? after;
  const paging = { hasMore: page.hasMore, nextCursor: encodeCursor(last) };
  const data = {
    thread: { id: threadId, runIds: deps.runs.runsOf(threadId).map((run) => run.id), lastSequence: thread.lastSequence },
    events: page.events.map(wireEvent),
  };
  if (deps.resumption.paging === 'meta') sendJson(res, 200, { data, meta: { requestId, ...paging } });
  else sendJson(res, 200, { data, ...paging, meta: { requestId } });
}

function wireEvent(entry: LoggedEvent): Record<string, unknown> {
  return {
    sequence: entry.sequence,
    id: entry.id,
    threadId: entry.threadId,
    runId: entry.runId,
    type: entry.type,
    payload: entry.payload,
    createdAt: entry.createdAt,
  };
}

/** Cursors are opaque to clients; here they name the last sequence a page returned. */
export function encodeCursor(sequence: number): string {
  return Buffer.from(`after:${sequence}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^after:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new HttpError(400, 'invalid_request', "'cursor' is not a cursor this server gave out");
  return Number(match[1]);
}

function limitOf(text: string | null): number {
  if (text === null || text === '') return defaultLimit;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw new HttpError(400, 'invalid_request', `'limit' must be an integer from 1 to ${maxLimit}`);
  }
  return limit;
}

/** The `replayOverlap` fault of the thread's latest run: resend events from before the point asked for. */
function overlapOf(deps: ServerDeps, threadId: string): number {
  const run = deps.runs.runsOf(threadId).at(-1);
  return (run && faultsOf(run.request.params).replayOverlap) ?? 0;
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
}
