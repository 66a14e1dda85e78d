import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nullLogger, type Logger } from '../core/logger';
import { generateApiKey } from './auth';
import { closeServer } from './devServer';
import type { Resumption, ServerDeps } from './http/deps';
import { createRunStreamServer } from './http/runStream';
import { createRequestHandler } from './http/router';
import { RateLimiter } from './rateLimit';
import { RunRegistry } from './runs/registry';
import { Sandboxes } from './sandboxes';
import { builtInScenarios, checkScenario, type Scenario } from './scenarios';

export type { Frame, Scenario } from './scenarios';
export type { Resumption } from './http/deps';
export { inputReceivedEvent, inputRequiredEvent } from './runs/run';
export { builtInScenarios } from './scenarios';
export { demoAgentSlug } from './agent/demoAgent';
export { planSelectionEdit, type SelectionEdit } from './agent/selectionEdit';

export interface LocalServerOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** The key clients must send; when absent one is generated, unless `open`. */
  apiKey?: string;
  /** Accept any key, or none (keys starting `rt_test_noscope` still get 403). */
  open?: boolean;
  /** More keys that authenticate but lack the `agent:run` scope, answered 403. */
  scopelessKeys?: string[];
  logger?: Logger;
  /** Extra or replacement scenarios, by the name `params.scenario` selects. */
  scenarios?: Record<string, Scenario>;
  /** Multiplies every pause of the demo agent and the scenarios: 1 = watchable, 0 = as fast as possible. */
  delayScale?: number;
  /** Requests per minute per key before 429 (default 1000, the largest documented plan). */
  rateLimitPerMinute?: number;
  /** Where demo dev servers listen; loopback only. */
  devServerHost?: '127.0.0.1';
  /**
   * Which ways of following a run again the server offers (all by default). `{ eventIds: false,
   * threadEvents: false, runStream: false }` is a server with no resumption: only GET /v1/run/{id}.
   * `paging` places `hasMore`/`nextCursor` of thread events at the top level (default) or under `meta`.
   */
  resumption?: Partial<Resumption>;
  /** A run still going after this long is stopped as failed (default 30 minutes). */
  maxRunLifetimeMs?: number;
  /** The `retry:` each SSE connection advertises, in ms (default 1000). */
  retryMs?: number;
  /** Runs kept (default 500) and bytes of logged events kept (default 64 MB). */
  maxRuns?: number;
  maxLoggedBytes?: number;
}

export interface LocalServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  baseUrl: string;
  /** The key to send as `X-API-Key`; undefined in open mode. */
  apiKey: string | undefined;
  /** The server's temp folder (sandboxes); removed by close(). */
  readonly tempDir: string;
  /** Stops in-flight runs, dev servers and the listener, and removes the temp folder. Idempotent. */
  close(): Promise<void>;
}

const host = '127.0.0.1';

export async function startLocalServer(opts: LocalServerOptions = {}): Promise<LocalServer> {
  const logger = opts.logger ?? nullLogger;
  const open = opts.open ?? false;
  const apiKey = open ? undefined : (opts.apiKey ?? generateApiKey());
  const rateLimitPerMinute = opts.rateLimitPerMinute ?? 1000;
  const scenarios = { ...builtInScenarios };
  for (const [name, scenario] of Object.entries(opts.scenarios ?? {})) scenarios[name] = checkScenario(name, scenario);

  const sandboxes = await Sandboxes.create(logger, opts.devServerHost ?? host);
  const deps: ServerDeps = {
    runs: new RunRegistry(opts.maxRuns, opts.maxLoggedBytes),
    sandboxes,
    logger,
    auth: { apiKey, open, scopelessKeys: opts.scopelessKeys ?? [] },
    rateLimiter: new RateLimiter(rateLimitPerMinute),
    rateLimitPerMinute,
    scenarios,
    delayScale: opts.delayScale ?? 1,
    resumption: { eventIds: true, threadEvents: true, runStream: true, paging: 'top', ...opts.resumption },
    maxRunLifetimeMs: opts.maxRunLifetimeMs ?? 30 * 60_000,
    retryMs: opts.retryMs ?? 1000,
  };

  const server = createServer(createRequestHandler(deps));
  const runStream = createRunStreamServer(deps);
  server.on('upgrade', (req, socket, head) => runStream.handleUpgrade(req, socket, head));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await sandboxes.close();
    throw error;
  }
  server.on('error', (error) => logger.error(error));
  const baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
  logger.info(`local RunTools server at ${baseUrl} (${open ? 'open: any key accepted' : 'API key required'})`);

  let closing: Promise<void> | undefined;
  return {
    baseUrl,
    apiKey,
    tempDir: sandboxes.root,
    close() {
      closing ??= (async () => {
        // Stop new work first, then end the runs (their streams end with them), then the rest.
        const listenerClosed = closeServer(server);
        runStream.close();
        await deps.runs.cancelAll();
        await listenerClosed;
        await sandboxes.close();
        logger.info(`local RunTools server at ${baseUrl} stopped`);
      })();
      return closing;
    },
  };
}
