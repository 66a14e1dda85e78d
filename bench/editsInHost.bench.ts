/**
 * The pace of a large run applied in the real VS Code host: an npm package's diff between two
 * published versions (bench/corpus), replayed one file_edit per file through an EditSession into a
 * copy of the older version inside code-server's extension host; the result must equal the newer
 * version byte for byte. Baseline, in the same host and run: the same engine plans written with
 * plain fs. Then Undo Run, which must give back the older version.
 *
 *   npm run bench -- editsInHost
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchChromium } from '../scripts/host/browser';
import { REPO_ROOT, startCodeServer } from '../scripts/host/codeServer';
import { workbenchUrl } from '../scripts/host/workbenchUrl';
import { ensureNpmCorpus } from './corpus/npmCorpus';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const corpus = ensureNpmCorpus();
  const corpusRoot = path.dirname(corpus.patchFile);
  log(`corpus: ${corpus.name}, ${corpus.files.length} changed text files, ${(corpus.diffBytes / 1e6).toFixed(1)} MB of diff`);

  const entry = path.join(REPO_ROOT, 'out/bench/editsBenchEntry.js');
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'bench/host/editsBenchEntry.ts')], outfile: entry, bundle: true,
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning',
  });
  const extension = path.join(REPO_ROOT, 'dist/extension.js');
  if (!fs.existsSync(extension)) throw new Error('dist/extension.js is missing: run "npm run build" first');

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runtools-edits-bench-'));
  const workspace = path.join(scratch, 'workspace');
  const baselineDir = path.join(scratch, 'baseline');
  fs.cpSync(corpus.oldDir, workspace, { recursive: true });
  fs.cpSync(corpus.oldDir, baselineDir, { recursive: true });
  const resultFile = path.join(scratch, 'result.json');

  const server = await startCodeServer({
    workspaceFolder: workspace,
    extensionsDir: path.join(scratch, 'extensions'),
    userDataDir: path.join(scratch, 'user-data'),
    quiet: true,
    log,
    // Diagnostics only, e.g. '{"files.associations":{"*":"plaintext"}}' to see what language extensions cost.
    settings: process.env.RUNTOOLS_BENCH_SETTINGS ? JSON.parse(process.env.RUNTOOLS_BENCH_SETTINGS) : undefined,
    env: { RUNTOOLS_BENCH_RESULT: resultFile, RUNTOOLS_BENCH_CORPUS: corpusRoot, RUNTOOLS_BENCH_BASELINE_DIR: baselineDir },
  });
  const browser = await launchChromium(log);
  try {
    const page = await browser.newPage();
    const exit = new Promise<number>((resolve) => void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
    await page.goto(workbenchUrl(server.url, workspace, { extensionPath: REPO_ROOT, testsPath: entry.replace(/\.js$/, '') }));
    const code = await Promise.race([exit, new Promise<number>((resolve) => setTimeout(() => resolve(124), 15 * 60_000).unref())]);
    if (!fs.existsSync(resultFile)) throw new Error(`the bench entry wrote no result (exit code ${code})`);
    const r = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    if (r.error) throw new Error(r.error);
    const hostRate = r.files / (r.hostMs / 1000);
    const baseRate = r.files / (r.baselineMs / 1000);
    log(`VS Code ${r.vscode}: ${r.files} file_edit events`);
    log(`  EditSession (WorkspaceEdit): ${(r.hostMs / 1000).toFixed(2)} s = ${hostRate.toFixed(0)} files/s (target >= 100)`);
    log(`  baseline (same plans, plain fs, same host): ${(r.baselineMs / 1000).toFixed(2)} s = ${baseRate.toFixed(0)} files/s`);
    log(`  ratio: ${(r.hostMs / r.baselineMs).toFixed(2)}x the baseline's time`);
    log(`  not applied: ${r.notAppliedCount}${r.notAppliedCount ? ` e.g. ${r.notApplied.slice(0, 3).join('; ')}` : ''}`);
    log(`  byte-for-byte equal to ${corpus.name.split(' -> ')[1] ?? 'the newer version'}: ${r.mismatchCount === 0 ? 'yes' : `NO, ${r.mismatchCount} files differ, e.g. ${r.mismatches.slice(0, 3).join(', ')}`}`);
    log(`  Undo Run: ${r.undoRestored} files in ${(r.undoMs / 1000).toFixed(2)} s; older version restored exactly: ${r.undoMismatchCount === 0 ? 'yes' : `NO, ${r.undoMismatchCount} differ, e.g. ${r.undoMismatches.slice(0, 3).join(', ')}`}`);
    if (process.env.RUNTOOLS_BENCH_TRACE) for (const line of r.trace) log(`    ${line}`);
    return r.mismatchCount === 0 && r.notAppliedCount === 0 && r.undoMismatchCount === 0 && hostRate >= 100 ? 0 : 1;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  log(`editsInHost bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exit(1);
});
