import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { authenticate } from '../auth';
import { faultsOf } from '../runs/faults';
import { SocketListener } from '../runs/listeners';
import type { Run } from '../runs/registry';
import type { ServerDeps } from './deps';
import { HttpError, newRequestId } from './respond';
import { header } from './threadEvents';

/** Commands a client may send on the socket (docs/protocol.md section 7). */
type Command = { action: 'pause' } | { action: 'resume' } | { action: 'cancel' } | { action: 'input'; text: string };

export interface RunStreamServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends every open socket (the HTTP server no longer tracks upgraded connections). */
  close(): void;
}

/**
 * The run-stream socket `/v1/run/{apiSlug}/stream/{runId}`: `X-API-Key` checked on the
 * handshake, then the run's events as JSON messages (`type`, the event's fields, `sequence`,
 * `id`), replayed after `Last-Event-ID` (from the start without it) and then live, and the
 * commands `pause`, `resume`, `cancel` and `input`, each answered with a `control` message.
 */
export function createRunStreamServer(deps: ServerDeps): RunStreamServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  return {
    handleUpgrade(req, socket, head) {
      const requestId = newRequestId();
      try {
        const run = authorisedRun(req, deps);
        wss.handleUpgrade(req, socket, head, (ws) => follow(ws, run, req, deps));
      } catch (error) {
        const httpError = error instanceof HttpError ? error : new HttpError(500, 'internal_error', 'Internal server error');
        deps.logger.debug(`socket ${req.url}: ${httpError.status} ${httpError.code} (${requestId})`);
        refuse(socket, requestId, httpError);
      }
    },
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

function authorisedRun(req: IncomingMessage, deps: ServerDeps): Run {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const match = /^\/v1\/run\/([^/]+)\/stream\/([^/]+)\/?$/.exec(url.pathname);
  if (!match || !deps.resumption.runStream) throw new HttpError(404, 'not_found', `No such endpoint: ${url.pathname}`);
  const identity = authenticate(req.headers['x-api-key'], deps.auth);
  const limit = deps.rateLimiter.take(identity);
  if (!limit.allowed) throw new HttpError(429, 'rate_limited', `Rate limit exceeded: ${deps.rateLimitPerMinute} requests per minute`, limit.headers);
  const [slug, runId] = [safeDecode(match[1]!), safeDecode(match[2]!)];
  const run = deps.runs.get(runId);
  if (!run || run.agent !== slug) throw new HttpError(404, 'not_found', `Run not found: ${runId}`);
  return run;
}

function follow(ws: WebSocket, run: Run, req: IncomingMessage, deps: ServerDeps): void {
  const faults = faultsOf(run.request.params);
  const listener = new SocketListener(ws, faults);
  const lastEventId = header(req, 'last-event-id');
  const after = lastEventId ? run.thread.sequenceOfId(lastEventId) ?? 0 : 0;
  deps.logger.debug(`run ${run.id}: socket attached after event ${after}`);
  ws.on('message', (data, isBinary) => {
    const reply = isBinary ? { ok: false, message: 'Commands are JSON text messages.' } : command(run, data, deps);
    void listener.send({ type: 'control', ...reply });
  });
  ws.on('error', () => listener.drop());
  run.follow(listener, Math.max(0, after - (faults.replayOverlap ?? 0)));
}

function command(run: Run, data: RawData, deps: ServerDeps): Record<string, unknown> {
  let parsed: Partial<Command> & { action?: unknown; text?: unknown };
  try {
    parsed = JSON.parse(data.toString()) as typeof parsed;
  } catch {
    return { ok: false, message: 'A command is a JSON object such as {"action": "pause"}.' };
  }
  const action = parsed?.action;
  const state = (): Record<string, unknown> => ({ status: run.status, paused: run.paused });
  switch (action) {
    case 'pause':
      return { action, ok: run.pause(), ...state() };
    case 'resume':
      return { action, ok: run.resume(), ...state() };
    case 'cancel': {
      const ok = run.cancel();
      if (ok) deps.logger.info(`run ${run.id} cancelled on its socket`);
      return { action, ok, ...state() };
    }
    case 'input': {
      if (typeof parsed.text !== 'string') return { action, ok: false, message: "'input' needs a 'text' string." };
      const ok = run.provideInput(parsed.text);
      return { action, ok, ...state(), ...(ok ? {} : { message: 'The run is not waiting for input.' }) };
    }
    default:
      return { action, ok: false, message: `Unknown action ${JSON.stringify(action)}: use pause, resume, cancel or input.` };
  }
}

function refuse(socket: Duplex, requestId: string, error: HttpError): void {
  const body = JSON.stringify({ error: { code: error.code, message: error.message, requestId } });
  const headers = {
    ...error.headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'X-Request-ID': requestId,
    Connection: 'close',
  };
  const head = `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
  socket.end(head + body);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'invalid_request', `Malformed path segment: ${segment}`);
  }
}
