/**
 * One VS Code for the whole e2e run: code-server with the packaged extension installed from
 * runtools-agent.vsix (`npm run package`, the way a user gets it), a scratch copy of the sample workspace, and Debian's
 * Chromium driven by playwright-core. Mocha root hooks start it before the first suite and stop
 * everything after the last, also when a test fails.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/host/browser';
import { REPO_ROOT, installVsix, startCodeServer, type RunningCodeServer } from '../../scripts/host/codeServer';
import { workbenchUrl } from '../../scripts/host/workbenchUrl';
import { startLocalServer, type LocalServer } from '../../src/server';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results', 'e2e');

export interface E2eSession {
  page: Page;
  workspace: string;
  scratch: string;
  server: RunningCodeServer;
  /** The local RunTools server the extension is pointed at, as `npm start` does. */
  runtools: LocalServer;
  /** The user settings file: a test may change a setting the way a user does. */
  settingsFile: string;
}

let session: E2eSession | undefined;
let browser: Browser | undefined;

export function e2e(): E2eSession {
  if (!session) throw new Error('the e2e session is not running (root hooks did not start it)');
  return session;
}

const log = (line: string) => process.stdout.write(`      ${line}\n`);

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(5 * 60_000);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runtools-e2e-'));
    const workspace = path.join(scratch, 'workspace');
    fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/sample-workspace'), workspace, { recursive: true });
    const extensionsDir = path.join(scratch, 'extensions');
    const userDataDir = path.join(scratch, 'user-data');
    const vsix = path.join(REPO_ROOT, 'runtools-agent.vsix');
    if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run "npm run package" first`);
    installVsix(vsix, extensionsDir, userDataDir, log);
    // Paced like a real run, a little faster than `npm start`, so the view is seen streaming.
    const runtools = await startLocalServer({ delayScale: 0.5 });
    const server = await startCodeServer({
      workspaceFolder: workspace,
      extensionsDir,
      userDataDir,
      quiet: true,
      log,
      settings: { 'runtools.baseUrl': runtools.baseUrl, 'runtools.apiSlug': 'demo' },
      // As npm start: the key for the configured origin, and RUNTOOLS_API_URL naming the same one.
      env: { RUNTOOLS_API_URL: runtools.baseUrl, ...(runtools.apiKey ? { RUNTOOLS_API_KEY: runtools.apiKey } : {}) },
    });
    browser = await launchChromium(log);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // A user's browser lets VS Code (and its webviews, same origin) use the clipboard once asked;
    // headless Chromium asks nobody, so the permission is given up front.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    await page.goto(workbenchUrl(server.url, workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The workbench shows before installed extensions are scanned; our activity-bar entry
    // appearing means our contributions (commands, views) are registered.
    await page.locator('.activitybar [aria-label^="RunTools"]').first().waitFor({ timeout: 60_000 });
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    session = { page, workspace, scratch, server, runtools, settingsFile: path.join(userDataDir, 'User', 'settings.json') };
  },
  /** A failed test leaves a picture of the workbench as it was, named after the test. */
  async afterEach(this: Mocha.Context) {
    const test = this.currentTest;
    if (!session || test?.state !== 'failed') return;
    const name = `failed-${test.fullTitle().replace(/[^\w]+/g, '-').slice(0, 80)}`;
    await session.page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) }).catch(() => undefined);
  },
  async afterAll() {
    await browser?.close().catch(() => undefined);
    await session?.server.stop();
    await session?.runtools.close();
    if (session && !process.env.RUNTOOLS_KEEP_SCRATCH) fs.rmSync(session.scratch, { recursive: true, force: true });
    session = undefined;
  },
};
