/**
 * The pace of a large run applied in the real VS Code host: an npm package's diff between two
 * published versions (bench/corpus), replayed one file_edit per file through an EditSession into a
 * copy of the older version inside code-server's extension host; the result must equal the newer
 * version byte for byte. Baseline, in the same host and run: the same engine plans written with
 * plain fs. Then Undo Run, which must give back the older version.
 *
 *   npm run bench -- editsInHost
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureNpmCorpus } from './corpus/npmCorpus';
import { runInHost } from './host/runInHost';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const corpus = ensureNpmCorpus();
  const corpusRoot = path.dirname(corpus.patchFile);
  log(`corpus: ${corpus.name}, ${corpus.files.length} changed text files, ${(corpus.diffBytes / 1e6).toFixed(1)} MB of diff`);
  const r = await runInHost<EditsBenchResult>({
    entry: 'bench/host/editsBenchEntry.ts',
    log,
    // Diagnostics only, e.g. '{"files.associations":{"*":"plaintext"}}' to see what language extensions cost.
    settings: process.env.RUNTOOLS_BENCH_SETTINGS ? JSON.parse(process.env.RUNTOOLS_BENCH_SETTINGS) : undefined,
    prepare: (scratch, workspace) => {
      const baselineDir = path.join(scratch, 'baseline');
      fs.cpSync(corpus.oldDir, workspace, { recursive: true });
      fs.cpSync(corpus.oldDir, baselineDir, { recursive: true });
      return { RUNTOOLS_BENCH_CORPUS: corpusRoot, RUNTOOLS_BENCH_BASELINE_DIR: baselineDir };
    },
  });
  const hostRate = r.files / (r.hostMs / 1000);
  const baseRate = r.files / (r.baselineMs / 1000);
  log(`VS Code ${r.vscode}: ${r.files} file_edit events`);
  log(`  EditSession: ${(r.hostMs / 1000).toFixed(2)} s = ${hostRate.toFixed(0)} files/s (target >= 100)`);
  log(`  baseline (same plans, plain fs, same host): ${(r.baselineMs / 1000).toFixed(2)} s = ${baseRate.toFixed(0)} files/s`);
  log(`  ratio: ${(r.hostMs / r.baselineMs).toFixed(2)}x the baseline's time`);
  for (const line of r.info) log(`  log: ${line}`);
  log(`  not applied: ${r.notAppliedCount}${r.notAppliedCount ? ` e.g. ${r.notApplied.slice(0, 3).join('; ')}` : ''}`);
  log(`  byte-for-byte equal to ${corpus.name.split(' -> ')[1] ?? 'the newer version'}: ${r.mismatchCount === 0 ? 'yes' : `NO, ${r.mismatchCount} files differ, e.g. ${r.mismatches.slice(0, 3).join(', ')}`}`);
  log(`  Undo Run: ${r.undoRestored} files in ${(r.undoMs / 1000).toFixed(2)} s; older version restored exactly: ${r.undoMismatchCount === 0 ? 'yes' : `NO, ${r.undoMismatchCount} differ, e.g. ${r.undoMismatches.slice(0, 3).join(', ')}`}`);
  if (process.env.RUNTOOLS_BENCH_TRACE) for (const line of r.trace) log(`    ${line}`);
  return r.mismatchCount === 0 && r.notAppliedCount === 0 && r.undoMismatchCount === 0 ? 0 : 1;
}

interface EditsBenchResult {
  files: number; hostMs: number; baselineMs: number; vscode: string;
  notApplied: string[]; notAppliedCount: number; mismatches: string[]; mismatchCount: number;
  undoMs: number; undoRestored: number; undoMismatches: string[]; undoMismatchCount: number; trace: string[]; info: string[];
}

main().then((code) => process.exit(code), (error: unknown) => {
  log(`editsInHost bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exit(1);
});
