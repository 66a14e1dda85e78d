import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 whose answers tests script byte by byte: exact chunks,
 * pauses, clean ends, socket resets, stalls. Every request is recorded.
 */

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (exchange: Exchange) => void | Promise<void>;

export class Exchange {
  constructor(readonly request: RecordedRequest, readonly res: http.ServerResponse) {}

  /** Sends the status line and headers now, before any body. */
  head(status: number, headers: Record<string, string> = {}): void {
    this.res.writeHead(status, headers);
    this.res.flushHeaders();
  }

  sseHead(headers: Record<string, string> = {}): void {
    this.head(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', ...headers });
  }

  /** Writes one chunk and waits until the socket took it (or until `drain`). */
  async write(chunk: string | Buffer): Promise<void> {
    if (chunk.length === 0) return;
    if (!this.res.write(chunk)) await new Promise<void>((resolve) => this.res.once('drain', resolve));
  }

  /** Writes chunks with a pause between them, so the client tends to read them one by one. */
  async writeChunks(chunks: (string | Buffer)[], gapMs = 0): Promise<void> {
    for (const chunk of chunks) {
      await this.write(chunk);
      await pause(gapMs);
    }
  }

  end(chunk?: string | Buffer): void {
    this.res.end(chunk);
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    this.res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    this.res.end(text);
  }

  /** Drops the connection with a TCP RST, mid-answer or before any. */
  reset(): void {
    const socket = this.res.socket as Socket | null;
    if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket?.destroy();
  }

  /** Never answers more; the server's close() ends the connection. */
  stall(): Promise<void> {
    return new Promise(() => undefined);
  }
}

interface Route { method: string; path: string | RegExp; handler: Handler }

export class ScriptedServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly waiters: { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];

  private constructor(private readonly server: http.Server, readonly url: string) {}

  static async start(): Promise<ScriptedServer> {
    const server = http.createServer();
    server.keepAliveTimeout = 1;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const scripted = new ScriptedServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => void scripted.handle(req, res));
    server.on('connection', (socket) => socket.setNoDelay(true));
    return scripted;
  }

  /** Later routes win, so a test can override a default set in `beforeEach`. */
  on(method: string, path: string | RegExp, handler: Handler): this {
    this.routes.unshift({ method, path, handler });
    return this;
  }

  /** Resolves with the first request (already received or to come) that matches. */
  waitFor(method: string, path: string | RegExp): Promise<RecordedRequest> {
    const match = (r: RecordedRequest) => r.method === method && matches(path, r.url);
    const seen = this.requests.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  received(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && matches(path, r.url));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const request: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(parts).toString('utf8') };
    this.requests.push(request);
    for (const waiter of this.waiters.filter((w) => w.match(request))) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(request);
    }
    const route = this.routes.find((r) => r.method === request.method && matches(r.path, request.url));
    const exchange = new Exchange(request, res);
    if (!route) return exchange.json(404, { error: { code: 'no_route', message: `No scripted route for ${request.method} ${request.url}` } });
    try {
      await route.handler(exchange);
    } catch {
      // The client went away mid-script (a cancel, a timeout): expected in these tests.
      res.destroy();
    }
  }
}

function matches(path: string | RegExp, url: string): boolean {
  return typeof path === 'string' ? url.split('?')[0] === path : path.test(url);
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}
