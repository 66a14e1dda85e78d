import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { demoAgentSlug, startLocalServer, type LocalServer } from '../server';
import type { ApiKeyStore } from './apiKeyStore';
import { ContextKeys } from './ids';

/**
 * "Try Without an Account": the project's local RunTools-compatible server, started inside the
 * extension host on a free loopback port for this window only. Runs go to it while it runs; the
 * user's settings are never rewritten.
 */
export class LocalServerSession implements vscode.Disposable {
  private server: LocalServer | undefined;
  private starting: Promise<LocalServer> | undefined;

  constructor(private readonly keys: ApiKeyStore, private readonly logger: Logger) {}

  public get running(): LocalServer | undefined {
    return this.server;
  }

  public async start(options: { delayScale?: number } = {}): Promise<LocalServer> {
    if (this.server) return this.server;
    this.starting ??= startLocalServer({ logger: this.logger, delayScale: options.delayScale ?? 1 });
    try {
      const server = await this.starting;
      this.server = server;
      this.keys.setSessionOverride({ baseUrl: server.baseUrl, apiSlug: demoAgentSlug, apiKey: server.apiKey });
      void vscode.commands.executeCommand('setContext', ContextKeys.localServerRunning, true);
      this.logger.info(`local server started at ${server.baseUrl}; runs of this window go to its "${demoAgentSlug}" agent`);
      return server;
    } finally {
      this.starting = undefined;
    }
  }

  public async stop(): Promise<boolean> {
    const server = this.server;
    if (!server) return false;
    this.server = undefined;
    this.keys.setSessionOverride(undefined);
    void vscode.commands.executeCommand('setContext', ContextKeys.localServerRunning, false);
    await server.close();
    this.logger.info('local server stopped; runs go to the configured RunTools API again');
    return true;
  }

  public dispose(): void {
    void this.stop();
  }
}

export async function tryLocalServer(session: LocalServerSession, rawArgs: unknown): Promise<{ baseUrl: string } | undefined> {
  const delayScale = rawArgs && typeof rawArgs === 'object' && typeof (rawArgs as { delayScale?: unknown }).delayScale === 'number'
    ? (rawArgs as { delayScale: number }).delayScale
    : undefined;
  try {
    const server = await session.start({ delayScale });
    void vscode.window.showInformationMessage(
      `RunTools: the local demo server is running at ${server.baseUrl} for this window. Runs now go to its demo agent; "RunTools: Stop Local Server" switches back.`,
      'Run Agent with Prompt...',
    ).then((answer) => answer && vscode.commands.executeCommand('runtools.runPrompt'));
    return { baseUrl: server.baseUrl };
  } catch (error) {
    void vscode.window.showErrorMessage(`RunTools: the local server could not start: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

export async function stopLocalServer(session: LocalServerSession): Promise<boolean> {
  const stopped = await session.stop();
  void vscode.window.showInformationMessage(stopped ? 'RunTools: local server stopped. Runs go to the configured RunTools API again.' : 'RunTools: the local server is not running.');
  return stopped;
}
