/**
 * Runs the integration suites inside a real VS Code extension host: code-server serves VS Code
 * 1.100 (workbench + Node extension host), Debian's Chromium opens it in extension-test mode, the
 * host loads this extension under development and calls test/integration/index run(). The exit
 * code comes back through window.codeAutomationExit, mocha's report through a file.
 * Two sessions: the trusted multi-root workspace most suites use, then an untrusted folder with
 * workspace trust on for the `*.untrusted.test.ts` suites.
 *
 *   tsx test/integration/runInCodeServer.ts [--grep PATTERN]
 *
 * Everything started here is stopped on the way out, also when a test fails or hangs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchChromium } from '../../scripts/host/browser';
import { REPO_ROOT, startCodeServer } from '../../scripts/host/codeServer';
import { workbenchUrl } from '../../scripts/host/workbenchUrl';

const TIMEOUT_MS = Number(process.env.RUNTOOLS_INTEGRATION_TIMEOUT_MS ?? 15 * 60_000);
const log = (line: string) => process.stdout.write(`${line}\n`);

/** One VS Code session: a workspace, the suites that belong to it, and whether trust is on. */
interface Pass {
  name: string;
  /** Makes the workspace in `scratch`; returns the folder or .code-workspace file to open. */
  workspace(scratch: string): string;
  /** Which suites index.ts loads (RUNTOOLS_TEST_SUITE). */
  suite: 'trusted' | 'untrusted';
  workspaceTrust: boolean;
  /** The reporter's layer name: scripts/test.ts adds up every `integration*` summary. */
  layer: string;
}

const passes: Pass[] = [
  {
    name: 'trusted multi-root workspace',
    suite: 'trusted',
    workspaceTrust: false,
    layer: 'integration',
    workspace(scratch) {
      // A multi-root workspace: the sample project first, a second folder for multi-root tests.
      const workspace = path.join(scratch, 'workspace');
      fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/sample-workspace'), workspace, { recursive: true });
      const second = path.join(scratch, 'second');
      fs.mkdirSync(second);
      fs.writeFileSync(path.join(second, 'notes.txt'), 'The second folder of the integration workspace.\n');
      const workspaceFile = path.join(scratch, 'integration.code-workspace');
      fs.writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: 'workspace' }, { path: 'second' }] }, null, 2));
      return workspaceFile;
    },
  },
  {
    // Workspace trust on, and a cloned repository whose settings try to take over (the suite
    // rewrites them with its own servers' addresses).
    name: 'untrusted folder, workspace trust on',
    suite: 'untrusted',
    workspaceTrust: true,
    layer: 'integration-untrusted',
    workspace(scratch) {
      const workspace = path.join(scratch, 'workspace');
      fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/sample-workspace'), workspace, { recursive: true });
      fs.mkdirSync(path.join(workspace, '.vscode'));
      fs.writeFileSync(path.join(workspace, '.vscode/settings.json'), JSON.stringify({ 'runtools.baseUrl': 'http://127.0.0.1:9', 'runtools.apiSlug': 'repo-agent' }, null, 2));
      return workspace;
    },
  },
];

async function main(): Promise<number> {
  const grepIndex = process.argv.indexOf('--grep');
  const grep = grepIndex > 0 ? process.argv[grepIndex + 1] : undefined;
  const testsEntry = path.join(REPO_ROOT, 'out/test/integration/index.js');
  if (!fs.existsSync(testsEntry)) throw new Error(`${testsEntry} is missing: run "node scripts/build.mjs --tests" first`);
  let worst = 0;
  for (const pass of passes) {
    log(`\n--- ${pass.name} ---`);
    const code = await runPass(pass, testsEntry, grep);
    if (code !== 0) worst = code;
  }
  return worst;
}

async function runPass(pass: Pass, testsEntry: string, grep: string | undefined): Promise<number> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runtools-integration-'));
  const workspace = pass.workspace(scratch);
  const report = path.join(scratch, 'mocha-report.txt');
  fs.writeFileSync(report, '');

  const server = await startCodeServer({
    workspaceFolder: workspace,
    extensionsDir: path.join(scratch, 'extensions'),
    userDataDir: path.join(scratch, 'user-data'),
    quiet: true,
    log,
    workspaceTrust: pass.workspaceTrust,
    env: {
      RUNTOOLS_TEST_REPORT: report,
      RUNTOOLS_TEST_SUITE: pass.suite,
      TEST_LAYER: pass.layer,
      TEST_RESULTS_DIR: process.env.TEST_RESULTS_DIR ?? path.join(REPO_ROOT, 'out/test-results'),
      RUNTOOLS_TEST_SCRATCH: scratch,
      ...(grep ? { RUNTOOLS_TEST_GREP: grep } : {}),
    },
  });
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const tail = startTail(report);
  try {
    browser = await launchChromium(log);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.goto(workbenchUrl(server.url, workspace, { extensionPath: REPO_ROOT, testsPath: testsEntry.replace(/\.js$/, '') }));
    const timeout = new Promise<number>((resolve) => setTimeout(() => {
      log(`Integration tests did not finish within ${TIMEOUT_MS / 1000}s; stopping.`);
      resolve(124);
    }, TIMEOUT_MS).unref());
    return await Promise.race([exitCode, timeout]);
  } finally {
    tail.stop();
    await browser?.close().catch(() => undefined);
    await server.stop();
    if (!process.env.RUNTOOLS_KEEP_SCRATCH) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Streams the report file to our stdout as mocha writes it inside the extension host. */
function startTail(file: string): { stop(): void } {
  let offset = 0;
  const flush = () => {
    const size = fs.statSync(file).size;
    if (size <= offset) return;
    const fd = fs.openSync(file, 'r');
    const buffer = Buffer.alloc(size - offset);
    fs.readSync(fd, buffer, 0, buffer.length, offset);
    fs.closeSync(fd);
    offset = size;
    process.stdout.write(buffer);
  };
  const timer = setInterval(flush, 200);
  return { stop: () => { clearInterval(timer); flush(); } };
}

main().then(
  (code) => {
    log(code === 0 ? 'Integration tests passed.' : `Integration tests failed (exit code ${code}).`);
    process.exit(code);
  },
  (error: unknown) => {
    log(`Integration run could not complete: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(1);
  },
);
