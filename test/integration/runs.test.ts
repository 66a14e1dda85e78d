import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/ids';
import type { RunSummary } from '../../src/vscode/runs/runSummary';
import { waitFor, workspaceRoot } from './helpers';

describe('runs against the local server', function () {
  this.timeout(120_000);

  before(async () => {
    const started = await vscode.commands.executeCommand<{ baseUrl: string } | undefined>(Commands.tryLocalServer, { delayScale: 0 });
    assert.ok(started?.baseUrl.startsWith('http://127.0.0.1:'), 'the local server did not start');
  });

  after(async () => {
    await vscode.commands.executeCommand(Commands.stopLocalServer);
  });

  it('runPrompt with a message asks nothing, streams the demo app into the workspace and returns the summary', async () => {
    const summary = await vscode.commands.executeCommand<RunSummary>(Commands.runPrompt, { message: 'Build a counter app', params: { subfolder: 'ignored' } });
    assert.equal(summary.status, 'completed', JSON.stringify(summary.error));
    assert.ok(summary.id, 'the server run id is reported');
    assert.ok(summary.localId);
    assert.ok(summary.applied.length >= 3, `applied: ${summary.applied.join(', ')}`);
    assert.deepEqual(summary.conflicts, []);
    assert.deepEqual(summary.refused, []);
    for (const relPath of summary.applied) {
      assert.ok(fs.existsSync(path.join(workspaceRoot(), relPath)), `${relPath} is on disk`);
    }
    assert.match(summary.devUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(summary.usage && typeof summary.usage.outputTokens === 'number');
    assert.ok(summary.output && summary.output.length > 0);
  });

  it('opens the dev URL in the Simple Browser beside the editor', async () => {
    await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some(
      (tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('simpleBrowser.view'),
    ), 'a Simple Browser tab');
  });
});
