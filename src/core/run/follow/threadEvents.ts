import { setTimeout as sleep } from 'node:timers/promises';
import { httpError, networkError, readBoundedText, redirectError } from '../errorMapping';
import { fetchWithoutRedirects, RedirectRefused } from '../redirects';
import { normaliseFrame } from '../normalise';
import { apiHeaders } from '../request';
import type { RunTracker } from '../runTracker';
import { idOf, isRecord, num, str } from '../wireFields';
import { isAbsentStatus, type FollowContext, type StepResult } from './followContext';

interface ThreadEvent { sequence?: number; id?: string; runId?: string; type: string; payload: unknown }
interface ThreadPage { events: ThreadEvent[]; hasMore: boolean; nextCursor?: string }

/**
 * Catches a run up from its thread's durable events (`GET /v1/threads/{threadId}/events`), page
 * by page, skipping other runs of the thread and what was already delivered. With `live`, it
 * then polls for new events until the run completes or stays silent for the idle timeout.
 */
export async function followThreadEvents(tracker: RunTracker, ctx: FollowContext, live: boolean): Promise<StepResult> {
  const runId = tracker.runId!;
  const threadId = tracker.threadId!;
  // Without a cursor or an event id, the replay starts at the thread's beginning: positions count.
  const fromStart = tracker.threadCursor === undefined && tracker.ledger.lastEventId === undefined;
  let position = 0;
  let replayed = 0;
  let quietSince = performance.now();
  for (;;) {
    const cursor = tracker.threadCursor;
    const url = `${ctx.endpoint.baseUrl}/v1/threads/${encodeURIComponent(threadId)}/events?limit=${ctx.pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const headers = apiHeaders(ctx.endpoint, 'application/json');
    if (tracker.ledger.lastEventId !== undefined) headers['Last-Event-ID'] = tracker.ledger.lastEventId;
    let response: Response;
    let text: string;
    try {
      response = await fetchWithoutRedirects(url, { method: 'GET', headers, signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.requestTimeoutMs)]) });
      text = response.ok ? await response.text() : await readBoundedText(response.body);
    } catch (err) {
      if (ctx.signal.aborted) return { kind: 'stopped' };
      if (err instanceof RedirectRefused) {
        const error = redirectError(err, errorContext(ctx, runId));
        ctx.logger.warn(error.message);
        return { kind: 'fatal', error };
      }
      const info = networkError(err, errorContext(ctx, runId));
      return { kind: 'cut', replayed, reason: `Thread events: ${info.message}` };
    }
    if (!response.ok) {
      const info = httpError(response.status, response.headers, text, errorContext(ctx, runId));
      if (isAbsentStatus(response.status) && tracker.transports.threadEvents !== 'offered') return { kind: 'absent', reason: info.message };
      if (response.status === 410) return { kind: 'absent', reason: info.message };
      if (response.status === 401 || response.status === 403) return { kind: 'fatal', error: info };
      return { kind: 'cut', replayed, reason: `Thread events: ${info.message}` };
    }
    const page = readThreadPage(text);
    if (!page) return { kind: 'absent', reason: "The thread events answer is not a page of events; this server's thread events are not used." };
    tracker.transports.threadEvents = 'offered';
    for (const event of page.events) {
      if (event.runId !== undefined && event.runId !== runId) continue;
      const identity = { sequence: event.sequence, id: event.id, position: fromStart ? position : undefined };
      position++;
      const data = typeof event.payload === 'string' ? event.payload : JSON.stringify(event.payload ?? {});
      if (tracker.offer(normaliseFrame({ event: event.type, data }), identity, true)) replayed++;
      if (tracker.complete) return { kind: 'complete' };
    }
    if (page.nextCursor) tracker.threadCursor = page.nextCursor;
    tracker.announceResume();
    if (page.hasMore && page.nextCursor && page.nextCursor !== cursor) continue;
    if (!live) return { kind: 'caughtUp', replayed };
    if (replayed > 0 && tracker.connection.state !== 'live') tracker.setConnection({ state: 'live', transport: 'threadEvents' });
    const now = performance.now();
    if (page.events.length > 0) quietSince = now;
    if (now - quietSince >= ctx.idleTimeoutMs) return { kind: 'cut', replayed, reason: `No new thread events for ${Math.round(ctx.idleTimeoutMs / 1000)} s.` };
    try {
      await sleep(tracker.retryMs ?? ctx.pollIntervalMs, undefined, { signal: ctx.signal });
    } catch {
      return { kind: 'stopped' };
    }
  }
}

/** `{data: {events}, hasMore, nextCursor}`, with the paging fields at the top level or under `meta`. */
export function readThreadPage(text: string): ThreadPage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  const data = isRecord(json.data) ? json.data : json;
  const list = Array.isArray(data.events) ? data.events : Array.isArray(json.data) ? json.data : undefined;
  if (!list) return undefined;
  const meta = isRecord(json.meta) ? json.meta : {};
  const hasMore = json.hasMore ?? meta.hasMore ?? data.hasMore;
  const events = list.filter(isRecord).flatMap((raw): ThreadEvent[] => {
    const type = str(raw.type) ?? str(raw.event);
    if (!type) return [];
    return [{ sequence: num(raw.sequence), id: idOf(raw.id), runId: idOf(raw.runId) ?? idOf(raw.run_id), type, payload: raw.payload ?? raw.data ?? {} }];
  });
  return { events, hasMore: hasMore === true, nextCursor: str(json.nextCursor) ?? str(meta.nextCursor) ?? str(data.nextCursor) };
}

function errorContext(ctx: FollowContext, runId: string) {
  return { operation: 'follow' as const, origin: ctx.origin, runId, hasKey: !!ctx.endpoint.apiKey, redact: ctx.redact };
}
