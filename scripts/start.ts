/**
 * `npm start`: the extension doing its main job, with no account.
 *   1. the local RunTools-compatible server (demo agent) on a loopback port,
 *   2. code-server (VS Code 1.100 in the browser) with the built extension installed, a sample
 *      workspace open and settings pointing at that server,
 *   3. the one URL to open. Ctrl+C stops everything.
 * Options: --port N (code-server's port, default a free one), --host-only (print and keep running).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startLocalServer } from '../src/server';
import { CACHE_DIR, REPO_ROOT, startCodeServer } from './host/codeServer';
import { installUnpackedExtension } from './host/installExtension';
import { workbenchUrl } from './host/workbenchUrl';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const portIndex = process.argv.indexOf('--port');
  const port = portIndex > 0 ? Number(process.argv[portIndex + 1]) : undefined;
  const home = path.join(CACHE_DIR, 'start');
  const workspace = path.join(home, 'sample-workspace');
  if (!fs.existsSync(workspace)) {
    fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/sample-workspace'), workspace, { recursive: true });
    log(`Sample workspace created at ${path.relative(REPO_ROOT, workspace)} (delete it to start over).`);
  }

  const server = await startLocalServer({ delayScale: 1 });
  log(`Local RunTools server: ${server.baseUrl} (demo agent "demo")`);
  const extensionsDir = path.join(home, 'extensions');
  installUnpackedExtension(extensionsDir);

  let codeServer: Awaited<ReturnType<typeof startCodeServer>> | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('\nStopping...');
    await codeServer?.stop();
    await server.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  codeServer = await startCodeServer({
    workspaceFolder: workspace,
    extensionsDir,
    userDataDir: path.join(home, 'user-data'),
    port,
    quiet: true,
    log,
    // User settings: code-server is a remote window, so these are `window`-scoped settings
    // (a remote window drops machine-scoped user values at the first settings change).
    settings: {
      'runtools.baseUrl': server.baseUrl,
      'runtools.apiSlug': 'demo',
      'workbench.colorTheme': 'Default Dark Modern',
    },
    // The key reaches the extension the way it would in a script or CI: RUNTOOLS_API_KEY, which
    // applies to the configured origin only. RUNTOOLS_API_URL names the same origin, so runs still
    // go to the local server if the user removes runtools.baseUrl from the settings.
    env: { RUNTOOLS_API_URL: server.baseUrl, ...(server.apiKey ? { RUNTOOLS_API_KEY: server.apiKey } : {}) },
  });
  log('');
  log('RunTools is ready. Open this URL in your browser:');
  log('');
  log(`  ${workbenchUrl(codeServer.url, workspace)}`);
  log('');
  log('Then run "RunTools: Run Agent with Prompt..." from the command palette (F1), or open the RunTools view');
  log('in the activity bar and ask for an app. Press Ctrl+C here to stop everything.');
  codeServer.process.once('exit', (code) => {
    if (stopping) return;
    log(`code-server exited on its own (${code ?? 'signal'}).`);
    void stop(code ?? 1);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
