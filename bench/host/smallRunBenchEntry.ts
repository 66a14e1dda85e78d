/**
 * Runs inside the VS Code extension host for bench/smallRunInHost.bench.ts. Each round plays the
 * small-run scenario (bench/corpus/smallRun.ts) into its own folder of the workspace, the way the
 * run controller does: one EditSession.handle() per file_edit as it arrives (each on its own
 * task, as SSE chunks arrive), none awaited before the next. Beside it, in the same round, the
 * baseline: the same engine plans written with plain fs into a copy outside the workspace. Then it
 * checks the bytes, and that the editor's undo (the `undo` command in an editor, Ctrl+Z) takes
 * every file of the run back. Writes its figures as JSON to RUNTOOLS_BENCH_RESULT.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { nullLogger } from '../../src/core/logger';
import { RunPlanner } from '../../src/core/patch';
import { EditSession } from '../../src/vscode/edits';
import { smallRunScenario, WARM_UP_LANGUAGES, type SmallRunFile, type SmallRunScenario } from '../corpus/smallRun';

export interface SmallRunRound {
  hostMs: number;
  baselineMs: number;
  notApplied: string[];
  mismatches: string[];
  /** Files the editor's undo gave back, of those the run wrote, and the undo commands it took. */
  undoRestored: number;
  undoFiles: number;
  undoSteps: number;
  undoProblems: string[];
  /** The write batches (file changes in each), and the debug log of the round. */
  batches: number[];
  trace: string[];
}

export async function run(): Promise<void> {
  const resultFile = process.env.RUNTOOLS_BENCH_RESULT!;
  try {
    const baselineRoot = process.env.RUNTOOLS_BENCH_BASELINE_DIR!;
    const rounds = Number(process.env.RUNTOOLS_BENCH_ROUNDS ?? 5);
    const folder = vscode.workspace.workspaceFolders![0]!;
    await warmUp(folder);
    const results: SmallRunRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const prefix = `round-${round}`;
      const scenario = smallRunScenario(prefix);
      const userTyping = await openEditors(folder, prefix, scenario);
      // The baseline goes first in odd rounds and second in even ones, so drift hits both alike.
      let baselineMs = 0;
      if (round % 2 === 1) baselineMs = await baseline(scenario, prefix, baselineRoot);
      const host = await playRun(folder, prefix, scenario, round);
      if (round % 2 === 0) baselineMs = await baseline(scenario, prefix, baselineRoot);
      const mismatches = checkBytes(folder, prefix, scenario);
      const undo = await undoWithEditor(folder, prefix, scenario);
      await closeEditors(userTyping);
      host.session.dispose();
      results.push({ hostMs: host.ms, baselineMs, notApplied: host.notApplied, mismatches, ...undo, batches: host.batches, trace: host.trace });
      await new Promise((resolve) => setTimeout(resolve, 3000)); // language servers finish with this round, as between a user's runs
    }
    fs.writeFileSync(resultFile, JSON.stringify({ vscode: vscode.version, files: smallRunScenario('x').events.length, rounds: results }));
  } catch (error) {
    fs.writeFileSync(resultFile, JSON.stringify({ error: (error as Error).stack ?? String(error) }));
    throw error;
  }
}

/**
 * A user working in a web project has its language features running already: each language of
 * the scenario gets a document opened first, so no round pays for starting a language server.
 */
async function warmUp(folder: vscode.WorkspaceFolder): Promise<void> {
  for (const ext of WARM_UP_LANGUAGES) {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, `warmup.${ext}`)), { preview: false });
  }
  await new Promise((resolve) => setTimeout(resolve, 4000));
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Opens the scenario's open files; types into the dirty ones. Returns the dirty documents. */
async function openEditors(folder: vscode.WorkspaceFolder, prefix: string, scenario: SmallRunScenario): Promise<vscode.TextDocument[]> {
  const dirty: vscode.TextDocument[] = [];
  for (const file of scenario.files.filter((f) => f.open)) {
    const doc = await vscode.workspace.openTextDocument(uriOf(folder, prefix, file));
    await vscode.window.showTextDocument(doc, { preview: false });
    if (file.open !== 'dirty') continue;
    const typing = new vscode.WorkspaceEdit();
    typing.insert(doc.uri, new vscode.Position(0, 0), scenario.typed);
    if (!(await vscode.workspace.applyEdit(typing))) throw new Error(`could not type into ${file.relPath}`);
    dirty.push(doc);
  }
  return dirty;
}

async function playRun(folder: vscode.WorkspaceFolder, prefix: string, scenario: SmallRunScenario, round: number) {
  const trace: string[] = [];
  const batches: number[] = [];
  const t0 = performance.now();
  const logger = {
    ...nullLogger,
    debug: (message: string) => {
      trace.push(`${(performance.now() - t0).toFixed(0)} ms: ${message}`);
      const wrote = /wrote (\d+) file change/.exec(message);
      if (wrote) batches.push(Number(wrote[1]));
    },
    info: (message: string) => { trace.push(`${(performance.now() - t0).toFixed(0)} ms: [info] ${message}`); },
    warn: (message: string) => { trace.push(`${(performance.now() - t0).toFixed(0)} ms: [warn] ${message}`); },
  };
  const session = new EditSession({ runId: `small-${round}`, folder, mode: 'auto', sandboxRoot: '/workspace', logger });
  const started = performance.now();
  const work = [];
  for (const [i, event] of scenario.events.entries()) {
    work.push(session.handle(i + 1, { type: 'file_edit', path: `/workspace/${prefix}/${event.relPath}`, diff: event.diff }));
    await new Promise((resolve) => setImmediate(resolve));
  }
  const views = await Promise.all(work);
  await session.settled();
  const ms = performance.now() - started;
  const notApplied = views.filter((v) => v.state !== 'applied').map((v) => `${v.paths.join(', ')}: ${v.state} ${v.reason ?? ''}`);
  return { session, ms, notApplied, batches, trace };
}

/** The same engine plans, written with plain fs into a copy outside the workspace: the least any extension could spend. */
async function baseline(scenario: SmallRunScenario, prefix: string, root: string): Promise<number> {
  const started = performance.now();
  const planner = new RunPlanner({
    sandboxRoot: '/workspace',
    readFile: async (relPath) => fs.promises.readFile(path.join(root, relPath), 'utf8').catch(() => undefined),
  });
  for (const event of scenario.events) {
    const plan = await planner.planEvent({ path: `/workspace/${prefix}/${event.relPath}`, diff: event.diff });
    if (!plan.ok) throw new Error(`baseline: ${event.relPath}: ${plan.message}`);
    for (const change of plan.changes) {
      const target = path.join(root, change.relPath);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.writeFile(target, change.after ?? '');
    }
    planner.accept(plan.id);
  }
  return performance.now() - started;
}

function checkBytes(folder: vscode.WorkspaceFolder, prefix: string, scenario: SmallRunScenario): string[] {
  const bad: string[] = [];
  for (const file of scenario.files) {
    const actual = fs.existsSync(uriOf(folder, prefix, file).fsPath) ? fs.readFileSync(uriOf(folder, prefix, file).fsPath) : undefined;
    if (!actual) { bad.push(`${file.relPath} is missing`); continue; }
    if (!actual.equals(file.expected)) bad.push(`${file.relPath} on disk: ${JSON.stringify(actual.toString().slice(0, 60))}... instead of ${JSON.stringify(file.expected.toString().slice(0, 60))}...`);
    if (file.open !== 'dirty') continue;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uriOf(folder, prefix, file).fsPath);
    if (doc?.getText() !== inDocument(doc, scenario.typed + file.after) || !doc.isDirty) bad.push(`${file.relPath}: the buffer does not hold the user's typing and the edit, unsaved (dirty: ${doc?.isDirty})`);
  }
  return bad;
}

/**
 * Ctrl+Z in an editor of each file the run wrote, newest first, until every one is back: created
 * files gone, changed ones holding their old text (a dirty buffer: the user's typing on the old
 * text). One undo takes back a whole write batch (one WorkspaceEdit), so it takes fewer steps than
 * files. The undone closed files are then saved and must equal their original bytes.
 */
async function undoWithEditor(folder: vscode.WorkspaceFolder, prefix: string, scenario: SmallRunScenario) {
  const restored = async (file: SmallRunFile): Promise<boolean> => {
    const uri = uriOf(folder, prefix, file);
    if (file.before === undefined) return !fs.existsSync(uri.fsPath);
    const doc = await vscode.workspace.openTextDocument(uri);
    return doc.getText() === inDocument(doc, (file.open === 'dirty' ? scenario.typed : '') + file.before);
  };
  let undoSteps = 0;
  const problems: string[] = [];
  for (const file of [...scenario.files].reverse()) {
    if (await restored(file)) continue;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uriOf(folder, prefix, file)), { preview: false });
    await vscode.commands.executeCommand('undo');
    undoSteps++;
    for (let i = 0; i < 60 && !(await restored(file)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  let undoRestored = 0;
  for (const file of scenario.files) {
    if (!(await restored(file))) { problems.push(`${file.relPath} not taken back by the editor's undo`); continue; }
    if (file.before !== undefined && file.open !== 'dirty') {
      const doc = await vscode.workspace.openTextDocument(uriOf(folder, prefix, file));
      if (doc.isDirty && !(await doc.save())) problems.push(`${file.relPath}: could not save after undo`);
      if (!fs.readFileSync(doc.uri.fsPath).equals(file.original!)) { problems.push(`${file.relPath}: bytes after undo and save differ from the original`); continue; }
    }
    undoRestored++;
  }
  return { undoRestored, undoFiles: scenario.files.length, undoSteps, undoProblems: problems };
}

/** Closes every editor; the user's dirty buffers are reverted first (closing them would ask). */
async function closeEditors(userTyping: vscode.TextDocument[]): Promise<void> {
  for (const doc of userTyping) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

function uriOf(folder: vscode.WorkspaceFolder, prefix: string, file: SmallRunFile): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, prefix, ...file.relPath.split('/'));
}

/** A text as a document holds it: the document's line breaks, no BOM. */
function inDocument(doc: vscode.TextDocument | undefined, text: string): string {
  return doc?.eol === vscode.EndOfLine.CRLF ? text.replace(/\n/g, '\r\n') : text;
}
