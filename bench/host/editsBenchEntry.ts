/**
 * Runs inside the VS Code extension host (as extensionTestsPath) for bench/editsInHost.bench.ts:
 * replays a corpus one file_edit per file through an EditSession into the workspace folder (a copy
 * of the older package version), then the same plans written with plain fs into another copy as
 * the baseline. Writes its figures as JSON to RUNTOOLS_BENCH_RESULT.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { nullLogger } from '../../src/core/logger';
import { RunPlanner } from '../../src/core/patch';
import { EditSession } from '../../src/vscode/edits';
import { splitNoIndexDiff } from '../corpus/gitDiff';
import type { CorpusFileDiff } from '../corpus/gitDiff';

export async function run(): Promise<void> {
  const resultFile = process.env.RUNTOOLS_BENCH_RESULT!;
  try {
    const corpusRoot = process.env.RUNTOOLS_BENCH_CORPUS!;
    const baselineDir = process.env.RUNTOOLS_BENCH_BASELINE_DIR!;
    const files = splitNoIndexDiff(fs.readFileSync(path.join(corpusRoot, 'corpus.diff'), 'utf8'), 'old', 'new');
    const folder = vscode.workspace.workspaceFolders![0];

    const baselineMs = await baseline(files, baselineDir);
    const trace: string[] = [];
    const t0 = performance.now();
    const info: string[] = [];
    const logger = {
      ...nullLogger,
      debug: (message: string) => trace.push(`${(performance.now() - t0).toFixed(0)} ms: ${message}`),
      info: (message: string) => { info.push(message); trace.push(`${(performance.now() - t0).toFixed(0)} ms: [info] ${message}`); },
    };
    // Diagnostics: RUNTOOLS_BENCH_LARGE_RUN_FILES=1e9 measures the editor-undo path for every file.
    const largeRunFiles = process.env.RUNTOOLS_BENCH_LARGE_RUN_FILES ? Number(process.env.RUNTOOLS_BENCH_LARGE_RUN_FILES) : undefined;
    const session = new EditSession({ runId: 'bench', folder, mode: 'auto', sandboxRoot: '/workspace', logger, largeRunFiles });
    const started = performance.now();
    const views = await Promise.all(files.map((file, i) => session.handle(i + 1, { type: 'file_edit', path: `/workspace/${file.relPath}`, diff: file.diff })));
    const hostMs = performance.now() - started;
    const notApplied = views.filter((view) => view.state !== 'applied').map((view) => `${view.paths.join(', ')}: ${view.state} ${view.reason ?? ''}`);

    const mismatches = [
      ...compare(files, folder.uri.fsPath, path.join(corpusRoot, 'new')).map((p) => `host: ${p}`),
      ...compare(files, baselineDir, path.join(corpusRoot, 'new')).map((p) => `baseline: ${p}`),
    ];
    const undoStarted = performance.now();
    const undo = await session.undo({ overwriteChanged: 'skip' });
    const undoMs = performance.now() - undoStarted;
    const undoMismatches = compareUndo(files, folder.uri.fsPath, path.join(corpusRoot, 'old'));
    session.dispose();
    fs.writeFileSync(resultFile, JSON.stringify({ files: files.length, hostMs, baselineMs, notApplied: notApplied.slice(0, 20), notAppliedCount: notApplied.length, mismatches: mismatches.slice(0, 20), mismatchCount: mismatches.length, undoMs, undoRestored: undo.restored.length, undoMismatches: undoMismatches.slice(0, 20), undoMismatchCount: undoMismatches.length, vscode: vscode.version, trace, info }));
  } catch (error) {
    fs.writeFileSync(resultFile, JSON.stringify({ error: (error as Error).stack ?? String(error) }));
    throw error;
  }
}

/** The same engine plans, written with plain fs: what VS Code's WorkspaceEdit path costs on top. */
async function baseline(files: CorpusFileDiff[], dir: string): Promise<number> {
  const started = performance.now();
  const planner = new RunPlanner({
    sandboxRoot: '/workspace',
    readFile: async (relPath) => fs.promises.readFile(path.join(dir, relPath), 'utf8').catch(() => undefined),
  });
  for (const file of files) {
    const plan = await planner.planEvent({ path: `/workspace/${file.relPath}`, diff: file.diff });
    if (!plan.ok) throw new Error(`baseline: ${plan.message}`);
    for (const change of plan.changes) {
      const target = path.join(dir, change.relPath);
      if (change.after === null) await fs.promises.rm(target);
      else {
        await fs.promises.mkdir(path.dirname(target), { recursive: true });
        await fs.promises.writeFile(target, change.after);
      }
    }
    planner.accept(plan.id);
  }
  return performance.now() - started;
}

function compare(files: CorpusFileDiff[], actualDir: string, expectedDir: string): string[] {
  const bad: string[] = [];
  for (const file of files) {
    const actual = path.join(actualDir, file.relPath);
    if (file.kind === 'delete') { if (fs.existsSync(actual)) bad.push(`${file.relPath} still exists`); continue; }
    if (!fs.existsSync(actual) || !fs.readFileSync(actual).equals(fs.readFileSync(path.join(expectedDir, file.relPath)))) bad.push(file.relPath);
  }
  return bad;
}

function compareUndo(files: CorpusFileDiff[], actualDir: string, oldDir: string): string[] {
  const bad: string[] = [];
  for (const file of files) {
    const actual = path.join(actualDir, file.relPath);
    if (file.kind === 'create') { if (fs.existsSync(actual)) bad.push(`${file.relPath} still exists`); continue; }
    if (!fs.existsSync(actual) || !fs.readFileSync(actual).equals(fs.readFileSync(path.join(oldDir, file.relPath)))) bad.push(file.relPath);
  }
  return bad;
}
