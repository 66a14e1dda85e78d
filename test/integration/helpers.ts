import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestHooks } from '../../src/extension';
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
