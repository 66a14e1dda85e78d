/**
 * In the real VS Code host (code-server): the extension's activation time beside the built-in
 * Simple Browser's, and the time from a file_edit leaving the server to the file changed on disk
 * (median and 95th percentile over many edits) beside a bare fetch + eventsource-parser + fs
 * consumer of the same frames, both measured in the same run.
 *
 *   npm run bench -- extensionInHost      (RUNTOOLS_BENCH_EDITS=N for more edits; default 200)
 */
import { runInHost } from './host/runInHost';

interface Stats { median: number; p95: number; count: number }
interface Result { vscode: string; activationMs: number; baselineActivationMs?: number; extension: Stats; baseline: Stats }

const log = (line: string) => process.stdout.write(`${line}\n`);
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function main(): Promise<void> {
  const r = await runInHost<Result>({ entry: 'bench/host/extensionBenchEntry.ts', log, prepare: () => ({}) });
  log(`VS Code ${r.vscode}`);
  log(`activation: ${ms(r.activationMs)}${r.baselineActivationMs !== undefined ? `; baseline (built-in Simple Browser): ${ms(r.baselineActivationMs)}; ratio ${(r.activationMs / r.baselineActivationMs).toFixed(2)}` : ''}`);
  log(`file_edit -> file on disk, ${r.extension.count} edits (half creates, half modifications):`);
  log(`  extension (runtools.runPrompt, EditSession, WorkspaceEdit): median ${ms(r.extension.median)}, p95 ${ms(r.extension.p95)}`);
  log(`  baseline (fetch + eventsource-parser + fs.writeFile):        median ${ms(r.baseline.median)}, p95 ${ms(r.baseline.p95)}`);
  log(`  ratio: median ${(r.extension.median / r.baseline.median).toFixed(1)}x, p95 ${(r.extension.p95 / r.baseline.p95).toFixed(1)}x`);
}

main().catch((error: unknown) => {
  log(`extensionInHost bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exit(1);
});
