/**
 * `npm run bench`: runs every bench/*.bench.ts in its own Node process, one after another (the
 * machine has two cores; benchmarks side by side would measure each other). Each prints its own
 * figures next to a baseline measured in the same run. `npm run bench -- patch` runs those whose
 * file name contains "patch".
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const benchDir = __dirname;
const filters = process.argv.slice(2);
const files = fs.readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

if (files.length === 0) {
  process.stderr.write(`No benchmark matches ${filters.join(', ')}\n`);
  process.exit(1);
}

const failures: string[] = [];
for (const file of files) {
  process.stdout.write(`\n### ${file}\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(benchDir, file)], { stdio: 'inherit' });
  if (result.status !== 0) failures.push(file);
}
if (failures.length) {
  process.stderr.write(`\nBenchmarks that failed: ${failures.join(', ')}\n`);
  process.exit(1);
}
