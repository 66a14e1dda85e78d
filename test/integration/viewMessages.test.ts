/**
 * What the host does with messages a webview posts, in the real host: the chat view's own
 * handler gets them through the test hook, exactly as from its page, and trusts none of them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestHooks } from '../../src/extension';
import { Commands } from '../../src/vscode/ids';
import type { RunSummary } from '../../src/vscode/runs/runSummary';
import {
  closeAllEditors, runPrompt, setUserSetting, simpleBrowserTabs, startRecorder, testHooks, waitFor, workspaceRoot, type Recorder,
} from './helpers';

const KEY = 'rt_test_view_messages_0123456789abcdef';
const DEV_URL = 'http://127.0.0.1:9/app/';

describe('webview messages: the host trusts nothing a webview posts', function () {
  this.timeout(60_000);
  let api: Recorder;
  let hooks: TestHooks;
  let run: RunSummary;
  const dir = `view-messages-${Date.now()}`;

  before(async () => {
    api = await startRecorder('api');
    api.setRoute((req, res) => {
      if (req.method !== 'POST') return false;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-run-id': 'run_view' });
      res.write(`event: file_edit\ndata: ${JSON.stringify({ path: `/workspace/${dir}/a.txt`, action: 'create', diff: '+hello\n' })}\n\n`);
      res.write(`event: dev_url\ndata: ${JSON.stringify({ url: DEV_URL })}\n\n`);
      res.end('event: complete\ndata: {"status":"completed","output":"[docs](http://127.0.0.1:9/docs)"}\n\n');
      return true;
    });
    await setUserSetting('baseUrl', api.url);
    await setUserSetting('apiSlug', 'agent-v');
    await setUserSetting('openDevUrl', 'off');
    await vscode.commands.executeCommand(Commands.setApiKey, { key: KEY, origin: api.url });
    hooks = await testHooks();
    await vscode.commands.executeCommand(Commands.openChat);
    await waitFor(async () => (await hooks.receiveViewMessage({ type: 'ready' })).handled, 'the chat view');
    run = await runPrompt({ message: 'make a file' });
    assert.deepEqual(run.applied, [`${dir}/a.txt`], JSON.stringify(run));
  });

  after(async () => {
    for (const key of ['baseUrl', 'apiSlug', 'openDevUrl']) await setUserSetting(key, undefined);
    await vscode.commands.executeCommand(Commands.clearApiKey, { origin: api.url });
    await api.close();
    await closeAllEditors();
  });

  const send = (raw: unknown) => hooks.receiveViewMessage(raw);

  it('drops unknown and malformed messages', async () => {
    for (const raw of [{ type: 'evalScript', code: '1' }, { type: 'openFile', path: 'x' }, { type: 'acceptEdit', localId: run.localId, seq: '0' }, 'ready', null]) {
      const result = await send(raw);
      assert.equal(result.handled, false, JSON.stringify(raw));
    }
  });

  it('runs only allow-listed commands', async () => {
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(workspaceRoot(), 'README.md')));
    const result = await send({ type: 'runCommand', command: 'workbench.action.closeAllEditors' });
    assert.equal(result.handled, false);
    if (!result.handled) assert.match(result.reason, /malformed "runCommand"/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(vscode.window.activeTextEditor, 'the editor is still open');
  });

  it('opens a file only for a path of the edit the message names', async () => {
    await closeAllEditors();
    for (const [raw, why] of [
      [{ type: 'openFile', localId: run.localId, seq: 0, path: '../../etc/passwd' }, /not a path of edit #0/],
      [{ type: 'openFile', localId: run.localId, seq: 99, path: `${dir}/a.txt` }, /not a path of edit #99/],
      [{ type: 'openDiff', localId: run.localId, seq: 0, path: 'README.md' }, /not a path of edit/],
      [{ type: 'openFile', localId: 'someone-else', seq: 0, path: `${dir}/a.txt` }, /does not show/],
    ] as const) {
      const result = await send(raw);
      assert.equal(result.handled, false, JSON.stringify(raw));
      if (!result.handled) assert.match(result.reason, why);
    }
    assert.equal(vscode.window.activeTextEditor, undefined, 'nothing was opened');
    assert.equal((await send({ type: 'openFile', localId: run.localId, seq: 0, path: `${dir}/a.txt` })).handled, true);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath.endsWith(path.join(dir, 'a.txt')) ?? false, 'the edited file open');
  });

  it('opens only the run\'s own dev URL, as runtools.openDevUrl says; off still lets a click open it', async () => {
    await closeAllEditors();
    const forged = await send({ type: 'openDevUrl', localId: run.localId, url: 'http://127.0.0.1:9/phish/' });
    assert.equal(forged.handled, false);
    assert.equal(run.devUrl, DEV_URL);
    await setUserSetting('openDevUrl', 'external');
    assert.equal((await send({ type: 'openDevUrl', localId: run.localId, url: DEV_URL })).handled, true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(simpleBrowserTabs(), 0, '"external" opens no Simple Browser');
    await setUserSetting('openDevUrl', 'off');
    assert.equal((await send({ type: 'openDevUrl', localId: run.localId, url: DEV_URL })).handled, true);
    await waitFor(() => simpleBrowserTabs() === 1, 'the Simple Browser');
  });

  it('links in the output open through openExternal, never in the Simple Browser; other schemes are dropped', async () => {
    await closeAllEditors();
    assert.equal((await send({ type: 'openLink', url: 'http://127.0.0.1:9/docs' })).handled, true);
    for (const url of ['command:workbench.action.terminal.new', 'file:///etc/passwd', 'javascript:alert(1)']) {
      assert.equal((await send({ type: 'openLink', url })).handled, false, url);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(simpleBrowserTabs(), 0);
  });

  it('logs every dropped message', async () => {
    const scratch = process.env.RUNTOOLS_TEST_SCRATCH;
    assert.ok(scratch, 'the runner names its scratch folder');
    const logs = fs.readdirSync(path.join(scratch, 'user-data'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name === 'RunTools.log')
      .map((entry) => path.join(entry.parentPath, entry.name));
    await waitFor(() => logs.some((file) => /\[chat\] dropped a message from the webview: an unknown message type "evalScript"/.test(fs.readFileSync(file, 'utf8'))), 'the log line');
  });
});
