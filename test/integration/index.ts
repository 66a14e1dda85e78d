/**
 * Entry point that VS Code's extension host calls in extension-test mode (`extensionTestsPath`):
 * the same contract as @vscode/test-electron, so one suite serves both runners.
 * Mocha's output goes to the file named by RUNTOOLS_TEST_REPORT when the runner sets it (the
 * extension host's stdout is not ours to read over code-server), else to the console.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import * as vscode from 'vscode';
import Mocha = require('mocha');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SummaryReporter = require('../support/summaryReporter.cjs');

export async function run(): Promise<void> {
  const reportFile = process.env.RUNTOOLS_TEST_REPORT;
  if (reportFile) {
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => fs.appendFileSync(reportFile, util.format(...args) + '\n');
  }
  Mocha.reporters.Base.consoleLog(`VS Code ${vscode.version} (${vscode.env.appHost}), extension host on Node ${process.version}`);

  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: SummaryReporter });
  const grep = process.env.RUNTOOLS_TEST_GREP;
  if (grep) mocha.grep(grep);
  // The runner opens an untrusted folder for the *.untrusted suites, the trusted workspace for the rest.
  const untrusted = process.env.RUNTOOLS_TEST_SUITE === 'untrusted';
  const suites = fs.readdirSync(__dirname)
    .filter((file) => file.endsWith('.test.js') && file.endsWith('.untrusted.test.js') === untrusted)
    .sort();
  for (const file of suites) mocha.addFile(path.join(__dirname, file));

  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
