/**
 * The same integration suites in desktop VS Code, through @vscode/test-electron. It downloads
 * VS Code from Microsoft, so it is for contributors with the internet (`npm run
 * test:integration:electron`); `npm test` uses the code-server runner, which needs no download.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runtools-electron-'));
  const workspace = path.join(scratch, 'workspace');
  fs.cpSync(path.join(root, 'test/fixtures/sample-workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out/test/integration/index'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(scratch, 'user-data')],
      extensionTestsEnv: { TEST_LAYER: 'integration', RUNTOOLS_TEST_SCRATCH: scratch },
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Integration tests failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
