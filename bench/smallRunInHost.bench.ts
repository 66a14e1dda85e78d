/**
 * The pace of a small run in the real VS Code host, where the editor's undo must keep working:
 * 50 file_edit events (half new files, half changes to existing ones, three of them open in
 * editors, two with the user's unsaved typing) handed to an EditSession one by one as the run
 * controller hands them, inside code-server's extension host. Baseline, in the same host and the
 * same round: the same engine plans written with plain fs. Several rounds, each in a fresh folder;
 * medians and ratios, since the machine is shared. Each round also checks the bytes and that
 * Ctrl+Z in the editor takes every file of the run back.
 *
 *   npm run bench -- smallRun         (RUNTOOLS_BENCH_ROUNDS=N, default 5; RUNTOOLS_BENCH_TRACE=1 for the write log)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { smallRunScenario, WARM_UP_LANGUAGES } from './corpus/smallRun';
import type { SmallRunRound } from './host/smallRunBenchEntry';
import { runInHost } from './host/runInHost';

const log = (line: string) => process.stdout.write(`${line}\n`);
const rounds = Number(process.env.RUNTOOLS_BENCH_ROUNDS ?? 5);

async function main(): Promise<number> {
  const r = await runInHost<{ vscode: string; files: number; rounds: SmallRunRound[] }>({
    entry: 'bench/host/smallRunBenchEntry.ts',
    log,
    // Desktop VS Code's default. code-server's own is afterDelay, which saves the user's dirty
    // buffers by itself a second after they change: no dirty buffer would stay to be checked.
    settings: { 'files.autoSave': 'off', ...(process.env.RUNTOOLS_BENCH_SETTINGS ? JSON.parse(process.env.RUNTOOLS_BENCH_SETTINGS) : {}) },
    prepare: (scratch, workspace) => {
      const baselineDir = path.join(scratch, 'baseline');
      for (const ext of WARM_UP_LANGUAGES) fs.writeFileSync(path.join(workspace, `warmup.${ext}`), ext === 'json' ? '{}\n' : '\n');
      for (let round = 1; round <= rounds; round++) {
        for (const root of [workspace, baselineDir]) {
          for (const file of smallRunScenario(`round-${round}`).files) {
            if (!file.original) continue;
            const target = path.join(root, `round-${round}`, file.relPath);
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.writeFileSync(target, file.original);
          }
        }
      }
      return { RUNTOOLS_BENCH_BASELINE_DIR: baselineDir, RUNTOOLS_BENCH_ROUNDS: String(rounds) };
    },
  });
  const rate = (ms: number) => r.files / (ms / 1000);
  log(`VS Code ${r.vscode}: a small run of ${r.files} file_edit events (25 new files, 25 changed: 22 closed, 1 open, 2 open with unsaved typing), ${r.rounds.length} rounds`);
  for (const [i, round] of r.rounds.entries()) {
    log(`  round ${i + 1}: EditSession ${round.hostMs.toFixed(0)} ms = ${rate(round.hostMs).toFixed(0)} files/s; baseline ${round.baselineMs.toFixed(0)} ms = ${rate(round.baselineMs).toFixed(0)} files/s; ratio ${(round.hostMs / round.baselineMs).toFixed(1)}x; batches ${round.batches.join('+')}; editor's undo ${round.undoRestored}/${round.undoFiles} files in ${round.undoSteps} undo(s)`);
  }
  for (const [i, round] of r.rounds.entries()) {
    for (const problem of [...round.notApplied, ...round.mismatches, ...round.undoProblems].slice(0, 8)) log(`  round ${i + 1}: ${problem}`);
  }
  const hostMs = median(r.rounds.map((x) => x.hostMs));
  const baselineMs = median(r.rounds.map((x) => x.baselineMs));
  log(`  median EditSession: ${hostMs.toFixed(0)} ms = ${rate(hostMs).toFixed(0)} files/s (target >= 100)`);
  log(`  median baseline (same plans, plain fs, same host): ${baselineMs.toFixed(0)} ms = ${rate(baselineMs).toFixed(0)} files/s`);
  log(`  median ratio: ${median(r.rounds.map((x) => x.hostMs / x.baselineMs)).toFixed(1)}x the baseline's time`);
  const notApplied = r.rounds.flatMap((x) => x.notApplied);
  const mismatches = r.rounds.flatMap((x) => x.mismatches);
  const undoProblems = r.rounds.flatMap((x) => x.undoProblems);
  log(`  not applied: ${notApplied.length}${notApplied.length ? ` e.g. ${notApplied.slice(0, 3).join('; ')}` : ''}`);
  log(`  bytes as expected (CRLF, BOM, no final newline kept; dirty buffers unsaved): ${mismatches.length === 0 ? 'yes' : `NO: ${mismatches.slice(0, 3).join('; ')}`}`);
  log(`  editor's undo (Ctrl+Z) takes every file back, bytes exact after saving: ${undoProblems.length === 0 ? 'yes' : `NO: ${undoProblems.slice(0, 3).join('; ')}`}`);
  if (process.env.RUNTOOLS_BENCH_TRACE) for (const [i, round] of r.rounds.entries()) for (const line of round.trace) log(`    round ${i + 1}: ${line}`);
  return notApplied.length === 0 && mismatches.length === 0 && undoProblems.length === 0 ? 0 : 1;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

main().then((code) => process.exit(code), (error: unknown) => {
  log(`smallRunInHost bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exit(1);
});
