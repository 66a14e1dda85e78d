/**
 * The built webview bundle (media/webview.js + media/webview.css) in a real Chromium, outside VS
 * Code: a loopback server serves a page with the same strict CSP as the extension's, a stub of
 * `acquireVsCodeApi` records what the page posts, and a test plays the host by posting
 * HostMessages. `useHarness()` sets it up for a describe block (it ignores the code-server
 * session the e2e root hooks start).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunEvent } from '../../../src/core/run/events';
import type { HostMessage, LoggedEvent, RunView, ViewMessage, ViewSnapshot } from '../../../src/core/viewProtocol';
import { webviewCsp } from '../../../src/core/webviewCsp';
import { launchChromium } from '../../../scripts/host/browser';
import { SCREENSHOT_DIR } from '../session';

const ROOT = path.resolve(__dirname, '../../..');
const HARNESS = path.join(ROOT, 'test/e2e/harness');
export const NONCE = 'harness0nonce0for0tests';

export type Theme = 'dark' | 'light';

function pageHtml(theme: Theme, view: 'chat' | 'panel'): string {
  // The extension's own CSP, with 'self' standing for webview.cspSource.
  const csp = webviewCsp("'self'", NONCE);
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <link rel="stylesheet" href="/harness/theme-${theme}.css">
  <link rel="stylesheet" href="/media/webview.css">
  <title>RunTools harness</title>
</head>
<body data-view="${view}">
  <div id="app" role="main"></div>
  <script nonce="${NONCE}" src="/harness/stub.js"></script>
  <script nonce="${NONCE}" src="/media/webview.js"></script>
</body>
</html>`;
}

async function startServer(sanitizeBundle: string): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const send = (status: number, type: string, body: string | Buffer) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (url.pathname === '/' ) {
      return send(200, 'text/html', pageHtml(url.searchParams.get('theme') === 'light' ? 'light' : 'dark', url.searchParams.get('view') === 'panel' ? 'panel' : 'chat'));
    }
    if (url.pathname === '/sanitize.js') return send(200, 'text/javascript', sanitizeBundle);
    const match = /^\/(media|harness)\/([\w.-]+\.(js|css))$/.exec(url.pathname);
    if (!match) return send(404, 'text/plain', 'not found');
    const file = path.join(match[1] === 'media' ? path.join(ROOT, 'media') : HARNESS, match[2]);
    if (!fs.existsSync(file)) return send(404, 'text/plain', 'not found');
    send(200, match[3] === 'js' ? 'text/javascript' : 'text/css', fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

// ---- building what the host would send ----

export const LOCAL_ID = 'run-1';
export const STARTED_AT = Date.UTC(2025, 0, 1, 12, 0, 0);

export function snapshot(overrides: Partial<ViewSnapshot> = {}): ViewSnapshot {
  return {
    viewKind: 'chat', version: '0.1.0', runs: [], busy: false, auth: 'secret',
    target: { origin: 'https://api.runtools.ai', apiSlug: 'app-builder', folderName: 'sample-workspace' },
    ...overrides,
  };
}

export function runView(overrides: Partial<RunView> = {}): RunView {
  return {
    localId: LOCAL_ID, prompt: 'Build a todo app with a dev server', status: 'starting', startedAt: STARTED_AT,
    applyMode: 'auto', events: [], edits: [], ...overrides,
  };
}

/** Stamps events with consecutive seqs, as the host's run record does. */
export class Stamper {
  private seq = 0;
  reset(): void { this.seq = 0; }
  stamp(events: RunEvent[]): LoggedEvent[] {
    return events.map((event) => ({ seq: ++this.seq, at: this.seq * 50, event }));
  }
}

export const diff = (path: string, added: number, removed: number) =>
  `--- a/${path}\n+++ b/${path}\n@@ -1,${removed} +1,${added} @@\n${'-old\n'.repeat(removed)}${'+new\n'.repeat(added)}`;



// ---- talking to the page ----

export async function host(page: Page, ...messages: HostMessage[]): Promise<void> {
  await page.evaluate((all) => { for (const message of all) (window as unknown as { __host(m: unknown): void }).__host(message); }, messages);
}

/** Resolves once the page has applied everything posted so far (the view renders once per frame). */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0)))));
}

export async function posted(page: Page): Promise<ViewMessage[]> {
  return page.evaluate(() => (window as unknown as { __posted: ViewMessage[] }).__posted);
}

export async function takePosted(page: Page): Promise<ViewMessage[]> {
  return page.evaluate(() => {
    const record = window as unknown as { __posted: ViewMessage[] };
    const all = record.__posted;
    record.__posted = [];
    return all;
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export const testid = (id: string) => `[data-testid="${id}"]`;


export interface Harness {
  /** A new page with the bundle, in a theme and view kind, at a size; closed after the test. */
  open(theme?: Theme, view?: 'chat' | 'panel', size?: { width: number; height: number }, options?: { clipboard?: boolean }): Promise<Page>;
}

/**
 * Starts the page server and Chromium for the enclosing describe block; after each passing test,
 * checks that its page threw nothing, broke no CSP rule and opened no dialog.
 */
export function useHarness(): Harness {
  let browser: Browser;
  let server: http.Server;
  let baseUrl: string;
  let page: Page | undefined;
  let context: BrowserContext | undefined;
  let pageErrors: string[] = [];
  let dialogs: string[] = [];

  before(async function () {
    this.timeout(120_000);
    for (const file of ['media/webview.js', 'media/webview.css']) {
      if (!fs.existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing: run "node scripts/build.mjs" first`);
    }
    // The sanitiser on its own, to feed it raw hostile HTML that markdown-it would never produce.
    const sanitize = await esbuild.build({
      entryPoints: [path.join(ROOT, 'src/webview/sanitize.ts')], bundle: true, write: false, format: 'iife',
      globalName: 'RunToolsSanitize', platform: 'browser', target: 'es2022',
    });
    ({ server, url: baseUrl } = await startServer(sanitize.outputFiles[0].text));
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchChromium((line) => process.stdout.write(`      ${line}\n`));
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await new Promise((resolve) => server?.close(resolve));
  });

  afterEach(async function () {
    if (!page) return;
    const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations).catch(() => []);
    await page.close().catch(() => undefined);
    await context?.close().catch(() => undefined);
    page = undefined;
    context = undefined;
    if (this.currentTest?.state === 'passed') {
      assert.deepEqual(pageErrors, [], 'the page threw');
      assert.deepEqual(violations, [], 'the page broke its Content-Security-Policy');
      assert.deepEqual(dialogs, [], 'a dialog opened (script from the network ran)');
    }
  });

  return {
    async open(theme = 'dark', view = 'chat', size = { width: 520, height: 900 }, options = {}) {
      if (page) await page.close().catch(() => undefined);
      await context?.close().catch(() => undefined);
      context = await browser.newContext({ viewport: size });
      // The clipboard of a page on 127.0.0.1 is its own; a test that copies is allowed to read it back.
      if (options.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
      const next = await context.newPage();
      pageErrors = [];
      dialogs = [];
      next.on('pageerror', (error) => pageErrors.push(error.message));
      next.on('dialog', (dialog) => { dialogs.push(dialog.message()); void dialog.dismiss(); });
      await next.goto(`${baseUrl}/?theme=${theme}&view=${view}`);
      await next.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
      await takePosted(next);
      page = next;
      return next;
    },
  };
}
