import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/ids';
import type { RunSummary } from '../../src/vscode/runs/runSummary';
import { closeAllEditors, folderName, folderRoot, read, runPrompt, simpleBrowserTabs, waitFor, workspaceRoot } from './helpers';

/** Runs through the palette commands against the local server that "Try Without an Account" starts. */
describe('runs against the local server', function () {
  this.timeout(120_000);

  before(async () => {
    const started = await vscode.commands.executeCommand<{ baseUrl: string } | undefined>(Commands.tryLocalServer, { delayScale: 0 });
    assert.ok(started?.baseUrl.startsWith('http://127.0.0.1:'), 'the local server did not start');
  });

  after(async () => {
    await vscode.commands.executeCommand(Commands.stopLocalServer);
    await closeAllEditors();
  });

  let demo: RunSummary;

  it('runPrompt with a message asks nothing, streams the demo app into the workspace and returns the summary', async () => {
    demo = await runPrompt({ message: 'Build a counter app' });
    assert.equal(demo.status, 'completed', JSON.stringify(demo.error));
    assert.ok(demo.id, 'the server run id is reported');
    assert.ok(demo.localId);
    assert.deepEqual(demo.applied.sort(), ['counter-app/README.md', 'counter-app/app.js', 'counter-app/index.html', 'counter-app/style.css']);
    assert.deepEqual(demo.conflicts, []);
    assert.deepEqual(demo.refused, []);
    assert.deepEqual(demo.files.sort(), demo.applied.map((p) => `/workspace/${p}`).sort());
    const served = await (await fetch(`${demo.devUrl}index.html`)).text();
    assert.equal(read('counter-app/index.html'), served, 'the applied file is what the agent built');
    assert.match(demo.devUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.ok(demo.usage && typeof demo.usage.outputTokens === 'number');
    assert.match(demo.output ?? '', /counter-app/);
    assert.equal(demo.error, undefined);
  });

  it('opens the dev URL in the Simple Browser beside the editor, and again from runtools.openDevUrl', async () => {
    await waitFor(() => simpleBrowserTabs() > 0, 'a Simple Browser tab');
    await closeAllEditors();
    assert.equal(await vscode.commands.executeCommand(Commands.openDevUrl), true);
    await waitFor(() => simpleBrowserTabs() > 0, 'a Simple Browser tab from the command');
  });

  it('undoRun reverts every file the run created', async () => {
    const result = await vscode.commands.executeCommand<{ restored: string[] }>(Commands.undoRun, { localId: demo.localId, overwriteChanged: 'skip' });
    assert.equal(result.restored.length, 4);
    for (const relPath of demo.applied) assert.equal(fs.existsSync(path.join(workspaceRoot(), relPath)), false, `${relPath} is gone`);
  });

  it('runSelection sends the selection with its file context and applies the agent\'s edit to that file, saved', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'src/math.js'));
    const before = read('src/math.js');
    const editor = await vscode.window.showTextDocument(uri);
    editor.selection = new vscode.Selection(4, 0, 7, 1); // function mean(...) { ... }
    const summary = await vscode.commands.executeCommand<RunSummary>(Commands.runSelection, { message: 'Document this function' });
    assert.equal(summary.status, 'completed', JSON.stringify(summary.error));
    assert.deepEqual(summary.applied, ['src/math.js']);
    const after = read('src/math.js');
    assert.notEqual(after, before);
    assert.equal(editor.document.isDirty, false, 'a clean file is saved after the edit');
    // Only the selected lines' region changed: the lines before them are as they were.
    assert.deepEqual(after.split('\n').slice(0, 4), before.split('\n').slice(0, 4));
    assert.ok(after.includes(before.split('\n').slice(4, 8).join('\n')), 'the selected code is still there');
    await vscode.commands.executeCommand(Commands.undoRun, { localId: summary.localId, overwriteChanged: 'skip' });
    assert.equal(read('src/math.js'), before);
  });

  it('runSelection into an unsaved buffer: the edit lands in the buffer, which stays unsaved, and the disk is untouched', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'src/math.js'));
    const onDisk = read('src/math.js');
    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((edit) => edit.insert(new vscode.Position(editor.document.lineCount - 1, 0), '// my unsaved note\n'));
    assert.equal(editor.document.isDirty, true);
    editor.selection = new vscode.Selection(0, 0, 0, 0); // nothing selected: the current line
    const summary = await vscode.commands.executeCommand<RunSummary>(Commands.runSelection, { message: 'Explain this line' });
    assert.equal(summary.status, 'completed', JSON.stringify(summary.error));
    assert.deepEqual(summary.applied, ['src/math.js']);
    assert.equal(editor.document.isDirty, true, 'the buffer stays unsaved');
    assert.ok(editor.document.getText().includes('// my unsaved note'), 'the user\'s unsaved text is kept');
    assert.notEqual(editor.document.getText().split('\n')[0], onDisk.split('\n')[0], 'the agent\'s edit is in the buffer');
    assert.equal(read('src/math.js'), onDisk, 'nothing was written to disk');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('cancelRun cancels an active run: the command settles with status cancelled', async () => {
    const pending = runPrompt({ message: 'wait forever', params: { scenario: 'never-complete' } });
    await waitFor(async () => (await vscode.commands.executeCommand<boolean>(Commands.cancelRun)) === true, 'an active run to cancel');
    const summary = await pending;
    assert.equal(summary.status, 'cancelled');
    assert.equal(await vscode.commands.executeCommand(Commands.cancelRun), false, 'nothing is active afterwards');
  });

  it('a rate-limited answer fails with the server\'s code, message and request id, and the wait', async () => {
    const summary = await runPrompt({ message: 'x', params: { scenario: 'rate-limited' } });
    assert.equal(summary.status, 'failed');
    assert.equal(summary.error?.code, 'rate_limited');
    assert.match(summary.error?.message ?? '', /2 s|2 seconds|wait/i);
    assert.ok(summary.error?.requestId, 'the request id is reported');
  });

  it('a 500 with an HTML page still fails with a readable message', async () => {
    const summary = await runPrompt({ message: 'x', params: { scenario: 'server-error-html' } });
    assert.equal(summary.status, 'failed');
    assert.doesNotMatch(summary.error?.message ?? '', /<html|<body|<\/h1>/i);
    assert.match(summary.error?.message ?? '', /500/);
  });

  it('a stream that drops without complete ends as interrupted or with the status the server reports afterwards', async () => {
    const summary = await runPrompt({ message: 'x', params: { scenario: 'stream-drop' } });
    assert.ok(['interrupted', 'completed'].includes(summary.status), summary.status);
    if (summary.status === 'interrupted') assert.ok(summary.error?.message);
  });

  it('every diff dialect applies, in order, into the second folder of a multi-root workspace', async () => {
    const summary = await vscode.commands.executeCommand<RunSummary>(Commands.runPrompt, { message: 'dialects', folder: folderName(1), params: { scenario: 'diff-dialects' } });
    assert.equal(summary.status, 'completed', JSON.stringify(summary.error));
    assert.deepEqual(summary.conflicts, []);
    assert.deepEqual(summary.refused, []);
    const root = folderRoot(1);
    assert.ok(fs.existsSync(path.join(root, 'src/greet.ts')));
    assert.ok(fs.existsSync(path.join(root, 'docs/NOTES.md')));
    assert.equal(fs.existsSync(path.join(root, 'NOTES.md')), false, 'renamed away');
    assert.equal(fs.existsSync(path.join(workspaceRoot(), 'src/greet.ts')), false, 'nothing landed in the first folder');
  });

  it('unknown events, malformed frames and the type-field style never break a run', async () => {
    for (const scenario of ['unknown-events', 'malformed-frames', 'type-field', 'error-then-complete']) {
      const summary = await runPrompt({ message: 'x', params: { scenario } });
      assert.equal(summary.status, 'completed', `${scenario}: ${JSON.stringify(summary.error)}`);
    }
  });

  it('a run the agent reports as failed is failed, with its message', async () => {
    const summary = await runPrompt({ message: 'x', params: { scenario: 'run-failed' } });
    assert.equal(summary.status, 'failed');
    assert.ok(summary.error?.message);
  });

  it('openRunInEditor opens the run in a webview panel in the editor area', async () => {
    assert.equal(await vscode.commands.executeCommand(Commands.openRunInEditor, demo.localId), true);
    await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some(
      (tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('runtools.runPanel'),
    ), 'a run panel tab');
  });
});
