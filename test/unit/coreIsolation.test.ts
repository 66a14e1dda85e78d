import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folders whose code must run in plain Node: the core, and the local server (standalone too). */
const vscodeFreeFolders = ['src/core', 'src/server'];
const repoRoot = path.resolve(__dirname, '../..');

/** Matches `import ... from 'vscode'`, `import 'vscode'`, `require('vscode')`, `import('vscode')`, `export ... from 'vscode'`. */
const vscodeImport = /(?:\bfrom\s*|\bimport\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)['"]vscode['"]/;

function sourceFiles(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('core isolation', () => {
  it('recognises every way of importing vscode', () => {
    for (const line of [
      "import * as vscode from 'vscode';",
      'import { window } from "vscode";',
      "import type { Uri } from 'vscode';",
      "export { Uri } from 'vscode';",
      "const vscode = require('vscode');",
      "const vscode = await import( 'vscode' );",
      "import 'vscode';",
    ]) {
      assert.match(line, vscodeImport, line);
    }
    assert.doesNotMatch("import * as x from 'vscode-uri';", vscodeImport);
    assert.doesNotMatch("const s = 'the vscode host';", vscodeImport);
  });

  for (const folder of vscodeFreeFolders) {
    it(`${folder} never imports vscode`, () => {
      const files = sourceFiles(path.join(repoRoot, folder));
      assert.ok(files.length > 0, `expected source files under ${folder}`);
      const offenders = files.filter((file) => vscodeImport.test(fs.readFileSync(file, 'utf8')));
      assert.deepEqual(offenders.map((file) => path.relative(repoRoot, file)), []);
    });
  }
});
