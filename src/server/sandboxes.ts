import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../core/logger';
import { startDevServer, type DevServer } from './devServer';

/**
 * The server's only footprint on disk: one temp folder holding a sandbox per app run, plus the
 * dev servers that serve them. `close()` stops the servers and removes the folder.
 */
export class Sandboxes {
  private readonly devServers: DevServer[] = [];
  private closed = false;

  private constructor(
    readonly root: string,
    private readonly logger: Logger,
    private readonly host: string,
    private readonly maxDevServers: number,
  ) {}

  static async create(logger: Logger, host: string, maxDevServers = 8): Promise<Sandboxes> {
    const root = await mkdtemp(path.join(tmpdir(), 'runtools-local-'));
    return new Sandboxes(root, logger, host, maxDevServers);
  }

  async folder(name: string): Promise<string> {
    this.assertOpen();
    const folder = path.join(this.root, name);
    await mkdir(folder, { recursive: true });
    return folder;
  }

  /** Older dev servers are stopped past a small cap so long benchmarks do not pile up ports. */
  async serve(folder: string): Promise<DevServer> {
    this.assertOpen();
    const server = await startDevServer(folder, this.logger, this.host);
    this.devServers.push(server);
    while (this.devServers.length > this.maxDevServers) await this.devServers.shift()?.close();
    return {
      url: server.url,
      port: server.port,
      close: async () => {
        const index = this.devServers.indexOf(server);
        if (index >= 0) this.devServers.splice(index, 1);
        await server.close();
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.devServers.splice(0).map((server) => server.close()));
    await rm(this.root, { recursive: true, force: true, maxRetries: 3 });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The local server is closed');
  }
}
