/**
 * Runs a bench entry inside VS Code's extension host (code-server + Chromium, the same machinery
 * as the integration tests): the entry is bundled with esbuild, loaded as extensionTestsPath with
 * this extension under development, and writes its figures as JSON to RUNTOOLS_BENCH_RESULT.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchChromium } from '../../scripts/host/browser';
import { REPO_ROOT, startCodeServer } from '../../scripts/host/codeServer';
import { workbenchUrl } from '../../scripts/host/workbenchUrl';

export interface HostBenchOptions {
  /** bench/host/<name>.ts, exporting run(). */
  entry: string;
  /** Prepares the workspace folder (a fresh empty folder) and returns extra environment for the entry. */
  prepare(scratch: string, workspace: string): Record<string, string>;
  settings?: Record<string, unknown>;
  timeoutMs?: number;
  log(line: string): void;
}

export async function runInHost<T>(options: HostBenchOptions): Promise<T> {
  const name = path.basename(options.entry, '.ts');
  const entry = path.join(REPO_ROOT, 'out/bench', `${name}.js`);
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, options.entry)], outfile: entry, bundle: true,
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning',
  });
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run "npm run build" first');

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `runtools-${name}-`));
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  const resultFile = path.join(scratch, 'result.json');
  const env = { ...options.prepare(scratch, workspace), RUNTOOLS_BENCH_RESULT: resultFile };
  const server = await startCodeServer({
    workspaceFolder: workspace,
    extensionsDir: path.join(scratch, 'extensions'),
    userDataDir: path.join(scratch, 'user-data'),
    quiet: true,
    log: options.log,
    settings: options.settings,
    env,
  });
  const browser = await launchChromium(options.log);
  try {
    const page = await browser.newPage();
    const exit = new Promise<number>((resolve) => void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
    await page.goto(workbenchUrl(server.url, workspace, { extensionPath: REPO_ROOT, testsPath: entry.replace(/\.js$/, '') }));
    const code = await Promise.race([exit, new Promise<number>((resolve) => setTimeout(() => resolve(124), options.timeoutMs ?? 15 * 60_000).unref())]);
    if (!fs.existsSync(resultFile)) throw new Error(`the bench entry wrote no result (exit code ${code})`);
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    if (result.error) throw new Error(result.error);
    return result as T;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
