/**
 * `npm start`: the extension doing its main job, with no account.
 *   1. builds the extension,
 *   2. the local RunTools-compatible server (demo agent) on a loopback port,
 *   3. code-server (VS Code 1.100 in the browser) with the built extension installed, a sample
 *      workspace open and settings pointing at that server,
 *   4. the one URL to open. Ctrl+C stops everything.
 * The console gets one line per step; the details (build, npm, apt-get, code-server's own
 * output) go to a log file whose path it prints. Everything it keeps lives in the user's cache
 * folder, outside the clone, so VS Code never sees the clone's git repository as the sample's parent.
 * Options: --port N (code-server's port, default a free one).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startLocalServer } from '../src/server';
import { CODE_SERVER_VERSION, REPO_ROOT, startCodeServer } from './host/codeServer';
import { installUnpackedExtension } from './host/installExtension';
import { withOutput } from './host/output';
import { startFolder } from './host/startFolder';
import { workbenchUrl } from './host/workbenchUrl';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const portIndex = process.argv.indexOf('--port');
  const port = portIndex > 0 ? Number(process.argv[portIndex + 1]) : undefined;
  const home = startFolder();
  const details = path.join(home, 'start.log');
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(details, `npm start, ${new Date().toISOString()}\n`);
  say(`Starting RunTools with a local demo agent (details in ${details})`);

  const step = async <T>(what: string, task: () => T | Promise<T>): Promise<T> => {
    process.stdout.write(`  ${what}...`);
    const started = Date.now();
    fs.appendFileSync(details, `\n== ${what}\n`);
    try {
      const result = await task();
      process.stdout.write(` done (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
      return result;
    } catch (error) {
      process.stdout.write(' failed\n');
      throw error;
    }
  };

  await step('Building the extension', () => withOutput(details, (stdio) => execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio })));
  const workspace = path.join(home, 'sample-workspace');
  if (!fs.existsSync(workspace)) {
    await step(`Creating the sample workspace in ${workspace}`, () => fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/sample-workspace'), workspace, { recursive: true }));
  }
  const server = await step('Starting the local RunTools server', () => startLocalServer({ delayScale: 1 }));
  fs.appendFileSync(details, `local RunTools server: ${server.baseUrl} (demo agent "demo")\n`);
  const extensionsDir = path.join(home, 'extensions');
  await step('Installing the extension', () => installUnpackedExtension(extensionsDir));

  let codeServer: Awaited<ReturnType<typeof startCodeServer>> | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nStopping...');
    await codeServer?.stop();
    await server.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  codeServer = await step(`Starting VS Code (code-server ${CODE_SERVER_VERSION})`, () => startCodeServer({
    workspaceFolder: workspace,
    extensionsDir,
    userDataDir: path.join(home, 'user-data'),
    port,
    quiet: true,
    details,
    // The first run installs code-server: say so, on a line of its own, with how long it takes.
    log: (line) => { process.stdout.write(`\n    ${line}\n   `); fs.appendFileSync(details, `${line}\n`); },
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
  }));
  say('');
  say('Ready. Open this URL in your browser:');
  say('');
  say(`  ${workbenchUrl(codeServer.url, workspace)}`);
  say('');
  say('Then run "RunTools: Run Agent with Prompt..." from the command palette (F1), or open the RunTools view');
  say('in the activity bar and ask for an app. Press Ctrl+C here to stop everything.');
  codeServer.process.once('exit', (code) => {
    if (stopping) return;
    say(`code-server exited on its own (${code ?? 'signal'}); its output is in ${details}.`);
    void stop(code ?? 1);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
