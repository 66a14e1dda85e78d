/**
 * Bundle sizes of what ships (production build), raw and gzipped, beside the size of the
 * dependencies they bundle as installed (the baseline: what shipping node_modules would cost).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const root = path.resolve(__dirname, '..');
execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: root, stdio: 'ignore' });

function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const rows: [string, number, number][] = [];
for (const file of ['dist/extension.js', 'media/webview.js', 'media/webview.css']) {
  const content = fs.readFileSync(path.join(root, file));
  rows.push([file, content.length, zlib.gzipSync(content).length]);
}
const shipped = rows.reduce((sum, [, bytes]) => sum + bytes, 0);
const dependencies = Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies ?? {});
const baseline = dependencies.reduce((sum, name) => sum + folderBytes(path.join(root, 'node_modules', name)), 0);

for (const [file, bytes, gzipped] of rows) {
  process.stdout.write(`${file.padEnd(22)} ${kb(bytes).padStart(10)}  (gzip ${kb(gzipped)})\n`);
}
process.stdout.write(`shipped bundles total  ${kb(shipped).padStart(10)}\n`);
process.stdout.write(`baseline: runtime dependencies as installed (${dependencies.join(', ')}): ${kb(baseline)}\n`);
process.stdout.write(`ratio shipped / baseline: ${(shipped / baseline).toFixed(3)}\n`);
// Leave a development build behind, as the rest of the tooling expects.
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
