import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestHooks } from '../../src/extension';
import { startLocalServer, type LocalServer, type LocalServerOptions } from '../../src/server';
import { Commands, EXTENSION_ID, SETTINGS_SECTION } from '../../src/vscode/ids';
import type { Answerer, Question } from '../../src/vscode/questions';
import type { RunSummary } from '../../src/vscode/runs/runSummary';

/** The sample project: the first folder of the integration workspace. */
export function workspaceRoot(): string {
  return folderRoot(0);
}

export function folderRoot(index: number): string {
  const folder = vscode.workspace.workspaceFolders?.[index];
  if (!folder) throw new Error(`the integration workspace has no folder #${index}`);
  return folder.uri.fsPath;
}

export function folderName(index: number): string {
  return vscode.workspace.workspaceFolders![index]!.name;
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function runPrompt(args: Record<string, unknown>): Thenable<RunSummary> {
  return vscode.commands.executeCommand<RunSummary>(Commands.runPrompt, { folder: folderName(0), ...args });
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(key, value, vscode.ConfigurationTarget.Workspace);
}

export function read(relPath: string, root = workspaceRoot()): string {
  return fs.readFileSync(path.join(root, relPath), 'utf8');
}

export function simpleBrowserTabs(): number {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(
    (tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('simpleBrowser.view'),
  ).length;
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

let scratchCounter = 0;

/**
 * A fresh subfolder of the sample project for one test, with helpers in workspace-relative
 * paths. The counter and the time keep names unique across suites (each bundles this file).
 */
export function scratchFolder(name: string) {
  const rel = `edits-${name}-${++scratchCounter}-${Date.now()}`;
  const dir = path.join(workspaceRoot(), rel);
  fs.mkdirSync(dir, { recursive: true });
  const abs = (p: string) => path.join(dir, p);
  return {
    rel: (p: string) => `${rel}/${p}`,
    abs,
    uri: (p: string) => vscode.Uri.file(abs(p)),
    write(p: string, content: string | Buffer) {
      fs.mkdirSync(path.dirname(abs(p)), { recursive: true });
      fs.writeFileSync(abs(p), content);
    },
    read: (p: string) => fs.readFileSync(abs(p), 'utf8'),
    bytes: (p: string) => fs.readFileSync(abs(p)),
    exists: (p: string) => fs.existsSync(abs(p)),
  };
}

export type ScratchFolder = ReturnType<typeof scratchFolder>;

/** The extension's test hooks (activate() returns them in extension-test mode only). */
export async function testHooks(): Promise<TestHooks> {
  const extension = vscode.extensions.getExtension<{ testHooks?: TestHooks }>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  if (!api?.testHooks) throw new Error('the extension returned no test hooks: is the host in extension-test mode?');
  return api.testHooks;
}

/**
 * Answers the extension's questions for the rest of a test (modal dialogs are refused in
 * extension-test mode); returns the questions asked, in order. Call `stop()` in afterEach.
 */
export async function answerQuestions(answerer: Answerer): Promise<{ asked: Question[]; stop(): Promise<void> }> {
  const hooks = await testHooks();
  const asked: Question[] = [];
  hooks.setAnswerer((question) => {
    asked.push(question);
    return answerer(question);
  });
  return { asked, stop: async () => hooks.setAnswerer(undefined) };
}

/** A user (Global) setting, the way a user sets it in the Settings UI: the layer a repository cannot write. */
export async function setUserSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}

/** One request a recorder received. */
export interface Recorded { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

export type RecorderRoute = (req: Recorded, res: http.ServerResponse) => boolean | void;

/**
 * A loopback HTTP server that records every request. By default it answers a run with a short
 * event stream that completes; `route` may answer first (return true when it did).
 */
export async function startRecorder(name: string) {
  const requests: Recorded[] = [];
  let route: RecorderRoute | undefined;
  const server = http.createServer((req, res) => {
    let body = '';
    // Decoded as a stream: a character split between two chunks stays one character.
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { body += chunk; });
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      if (route?.(recorded, res)) return;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-run-id': `run_${name}` });
      res.end(`event: complete\ndata: {"status":"completed","output":"answered by ${name}"}\n\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    /** Every API key this server was ever sent. */
    keysSeen: () => requests.map((r) => r.headers['x-api-key']).filter((k): k is string => typeof k === 'string'),
    setRoute(next: RecorderRoute | undefined) { route = next; },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Recorder = Awaited<ReturnType<typeof startRecorder>>;

/**
 * For the suite it is called in: a local server, made the user's origin and agent (`demo`) with
 * its key stored, as a user sets them; all of it undone after the suite. Returns the server.
 */
export function useLocalServer(options: LocalServerOptions & { apiKey: string }): () => LocalServer {
  let server: LocalServer | undefined;
  before(async () => {
    server = await startLocalServer(options);
    await setUserSetting('baseUrl', server.baseUrl);
    await setUserSetting('apiSlug', 'demo');
    if (await vscode.commands.executeCommand(Commands.setApiKey, options.apiKey) !== true) throw new Error('the test key was not stored');
  });
  after(async () => {
    await setUserSetting('baseUrl', undefined);
    await setUserSetting('apiSlug', undefined);
    if (!server) return;
    await vscode.commands.executeCommand(Commands.clearApiKey, { origin: server.baseUrl });
    await server.close();
  });
  return () => {
    if (!server) throw new Error('the local server is not running (called outside the suite?)');
    return server;
  };
}
