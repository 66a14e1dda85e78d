import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Logger } from '../core/logger';

/** A static file server for one sandbox folder: what the demo agent reports as `dev_url`. */
export interface DevServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export async function startDevServer(folder: string, logger: Logger, host = '127.0.0.1'): Promise<DevServer> {
  const root = await realpath(folder);
  const server = createServer((req, res) => {
    void serveFile(root, req.method ?? 'GET', req.url ?? '/').then(
      ({ status, file, type }) => {
        if (!file) {
          res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end(status === 405 ? 'Method not allowed' : 'Not found');
          return;
        }
        res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
        if (req.method === 'HEAD') res.end();
        else createReadStream(file).on('error', () => res.destroy()).pipe(res);
      },
      (error: unknown) => {
        logger.warn(`dev server: ${String(error)}`);
        res.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}/`;
  logger.debug(`dev server for ${root} at ${url}`);
  return { url, port, close: () => closeServer(server) };
}

async function serveFile(root: string, method: string, rawUrl: string): Promise<{ status: number; file?: string; type?: string }> {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405 };
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(rawUrl, 'http://localhost').pathname);
  } catch {
    return { status: 404 };
  }
  let file = path.resolve(root, `.${path.posix.normalize(pathname)}`);
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
    // Resolve symlinks too: nothing outside the sandbox is ever served.
    file = await realpath(file);
    if (file !== root && !file.startsWith(root + path.sep)) return { status: 404 };
    if (!(await stat(file)).isFile()) return { status: 404 };
  } catch {
    return { status: 404 };
  }
  return { status: 200, file, type: contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream' };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open; nothing here needs a graceful goodbye.
    server.closeAllConnections();
  });
}
