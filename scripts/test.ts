/**
 * `npm test`: every layer, in order of cost, and one closing line with the totals.
 *   typecheck -> unit (plain Node) -> integration (inside VS Code's extension host) -> e2e (browser)
 * A layer that fails does not stop the later ones (one run shows everything that is broken);
 * the exit code is non-zero if any step failed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const resultsDir = path.join(root, 'out/test-results');

interface Step { name: string; script: string; layer?: string }
const steps: Step[] = [
  { name: 'typecheck', script: 'typecheck' },
  { name: 'unit', script: 'test:unit', layer: 'unit' },
  { name: 'integration', script: 'test:integration', layer: 'integration' },
  { name: 'e2e', script: 'test:e2e', layer: 'e2e' },
];

fs.rmSync(resultsDir, { recursive: true, force: true });
const only = process.argv.slice(2);
const failedSteps: string[] = [];
let passed = 0;
let failed = 0;
let skipped = 0;
const started = Date.now();

for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  const stepStarted = Date.now();
  process.stdout.write(`\n=== ${step.name} ===\n`);
  const result = spawnSync('npm', ['run', '--silent', step.script], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TEST_RESULTS_DIR: resultsDir, ...(step.layer ? { TEST_LAYER: step.layer } : {}) },
  });
  const seconds = ((Date.now() - stepStarted) / 1000).toFixed(1);
  if (step.layer) {
    // A layer may write several summaries (integration runs a trusted and an untrusted session).
    const files = fs.existsSync(resultsDir)
      ? fs.readdirSync(resultsDir).filter((f) => f === `${step.layer}.json` || (f.startsWith(`${step.layer}-`) && f.endsWith('.json')))
      : [];
    for (const file of files) {
      const summary = JSON.parse(fs.readFileSync(path.join(resultsDir, file), 'utf8'));
      passed += summary.passed;
      failed += summary.failed;
      skipped += summary.skipped;
    }
    if (files.length === 0) {
      process.stdout.write(`${step.name}: no results were written (the runner did not get to run the tests)\n`);
    }
  }
  if (result.status !== 0) failedSteps.push(step.name);
  process.stdout.write(`=== ${step.name}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${seconds}s ===\n`);
}

const minutes = ((Date.now() - started) / 60_000).toFixed(1);
process.stdout.write(`\n${failedSteps.length ? `Failed steps: ${failedSteps.join(', ')}` : 'All steps passed'} (${minutes} min)\n`);
// The closing line CI reads.
process.stdout.write(`tests: ${passed} passed, ${failed + (failedSteps.length && failed === 0 ? failedSteps.length : 0)} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failedSteps.length ? 1 : 0);
