import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startLocalServer, type LocalServer, type Scenario } from '../../src/server';
import { Commands } from '../../src/vscode/ids';
import { closeAllEditors, read, runPrompt, setSetting, setUserSetting, simpleBrowserTabs, waitFor, workspaceRoot } from './helpers';

const SECRET = 'rt_test_integration_S3cr3t_do_not_log_0123456789';

const edit = (filePath: string, diff: string): Scenario['frames'] => [{ event: 'file_edit', data: { path: filePath, diff } }];
const scenarios: Record<string, Scenario> = {
  attacks: {
    description: 'edits that must be refused or conflict, next to one that applies',
    frames: [
      ...edit('/workspace/../outside.txt', '+escaped\n')!,
      ...edit('/workspace/settings-test/ok.txt', '+fine\n')!,
      ...edit('/workspace/src/math.js', '@@ -1,3 +1,3 @@\n-function add(x, y) {\n+function sum(x, y) {\n   return x + y;\n }\n')!,
      { event: 'complete', data: { status: 'completed', output: 'done' } },
    ],
  },
  crlf: {
    description: 'an LF diff against a CRLF file',
    frames: [
      ...edit('/workspace/settings-test/crlf.txt', '@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n')!,
      { event: 'complete', data: { status: 'completed' } },
    ],
  },
  sandbox: {
    description: 'a path under another sandbox root, and an absolute path outside it',
    frames: [
      ...edit('/sandbox/settings-test/rooted.txt', '+rooted\n')!,
      ...edit('/elsewhere/settings-test/absolute.txt', '+absolute\n')!,
      { event: 'complete', data: { status: 'completed' } },
    ],
  },
  app: {
    description: 'one created file and a dev URL',
    frames: [
      ...edit('/workspace/settings-test/app.txt', '+app\n')!,
      { event: 'dev_url', data: { url: 'http://127.0.0.1:9/' } },
      { event: 'complete', data: { status: 'completed', output: 'built' } },
    ],
  },
};

/** Requests the capture server received, for checking what the extension sends. */
interface Captured { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }

describe('settings, secrets and the request the extension sends', function () {
  this.timeout(60_000);
  let server: LocalServer;
  let capture: http.Server;
  let captureUrl: string;
  const captured: Captured[] = [];
  let captureMode: 'complete' | 'silent' = 'complete';

  before(async () => {
    server = await startLocalServer({ apiKey: SECRET, scenarios, delayScale: 0 });
    capture = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        captured.push({ method: req.method, url: req.url, headers: req.headers, body });
        if (captureMode === 'silent') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.flushHeaders();
          return; // then nothing: the idle timeout must end the run
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'x-run-id': 'run_capture' });
        res.end('event: complete\ndata: {"status":"completed","output":"captured"}\n\n');
      });
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    captureUrl = `http://127.0.0.1:${(capture.address() as AddressInfo).port}`;
    fs.mkdirSync(path.join(workspaceRoot(), 'settings-test'), { recursive: true });
    await setUserSetting('baseUrl', server.baseUrl);
    await setUserSetting('apiSlug', 'demo');
    assert.equal(await vscode.commands.executeCommand(Commands.setApiKey, SECRET), true);
  });

  after(async () => {
    await setUserSetting('baseUrl', undefined);
    await setUserSetting('apiSlug', undefined);
    await vscode.commands.executeCommand(Commands.clearApiKey, { origin: captureUrl });
    for (const key of ['baseUrl', 'apiSlug', 'applyEdits', 'openDevUrl', 'stream', 'apiStyle', 'params', 'context', 'mounts', 'sandboxRoot', 'requestTimeoutSeconds']) {
      await setSetting(key, undefined);
    }
    await vscode.commands.executeCommand(Commands.clearApiKey, { origin: server.baseUrl });
    capture.closeAllConnections();
    capture.close();
    await server.close();
    await closeAllEditors();
  });

  it('setApiKey refuses what is not a RunTools key, and keeps the stored one', async () => {
    assert.equal(await vscode.commands.executeCommand(Commands.setApiKey, 'not a key'), false);
    const summary = await runPrompt({ message: 'x', params: { scenario: 'app' } });
    assert.equal(summary.status, 'completed', JSON.stringify(summary.error));
  });

  it('refuses a path outside the folder, reports a conflict, applies the rest, and never stops the run', async () => {
    const before = read('src/math.js');
    const summary = await runPrompt({ message: 'x', params: { scenario: 'attacks' } });
    assert.equal(summary.status, 'completed');
    assert.deepEqual(summary.applied, ['settings-test/ok.txt']);
    assert.equal(summary.refused.length, 1);
    assert.match(summary.refused[0]!.reason, /outside|\.\./i);
    assert.deepEqual(summary.conflicts.map((c) => c.path), ['src/math.js']);
    assert.ok(summary.conflicts[0]!.reason.length > 10);
    assert.equal(read('src/math.js'), before, 'the conflicting file is untouched');
    assert.equal(fs.existsSync(path.join(workspaceRoot(), '..', 'outside.txt')), false, 'nothing was written outside');
  });

  it('a CRLF file stays CRLF when an LF diff is applied to it', async () => {
    fs.writeFileSync(path.join(workspaceRoot(), 'settings-test/crlf.txt'), 'one\r\ntwo\r\nthree\r\n');
    const summary = await runPrompt({ message: 'x', params: { scenario: 'crlf' } });
    assert.deepEqual(summary.applied, ['settings-test/crlf.txt'], JSON.stringify(summary));
    assert.equal(read('settings-test/crlf.txt'), 'one\r\nTWO\r\nthree\r\n');
  });

  it('applyEdits "review" changes nothing until accepted; "off" only shows', async () => {
    fs.rmSync(path.join(workspaceRoot(), 'settings-test/app.txt'), { force: true });
    await setSetting('applyEdits', 'review');
    const reviewed = await runPrompt({ message: 'x', params: { scenario: 'app' } });
    assert.deepEqual(reviewed.applied, []);
    assert.deepEqual(reviewed.pending, ['settings-test/app.txt']);
    assert.equal(fs.existsSync(path.join(workspaceRoot(), 'settings-test/app.txt')), false);
    await setSetting('applyEdits', 'off');
    const shown = await runPrompt({ message: 'x', params: { scenario: 'app' } });
    assert.deepEqual(shown.applied, []);
    assert.deepEqual(shown.pending ?? [], []);
    assert.equal(fs.existsSync(path.join(workspaceRoot(), 'settings-test/app.txt')), false);
    await setSetting('applyEdits', undefined);
  });

  it('sandboxRoot maps the agent\'s folder onto the workspace; other absolute paths count from the folder', async () => {
    await setSetting('sandboxRoot', '/sandbox');
    try {
      const summary = await runPrompt({ message: 'x', params: { scenario: 'sandbox' } });
      assert.deepEqual(summary.applied.sort(), ['elsewhere/settings-test/absolute.txt', 'settings-test/rooted.txt']);
      assert.equal(read('settings-test/rooted.txt'), 'rooted\n');
    } finally {
      await setSetting('sandboxRoot', undefined);
    }
  });

  it('openDevUrl "off" leaves the Simple Browser closed; the run still reports the URL', async () => {
    await closeAllEditors();
    await setSetting('openDevUrl', 'off');
    fs.rmSync(path.join(workspaceRoot(), 'settings-test/app.txt'), { force: true });
    const summary = await runPrompt({ message: 'x', params: { scenario: 'app' } });
    assert.equal(summary.devUrl, 'http://127.0.0.1:9/');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(simpleBrowserTabs(), 0);
    await setSetting('openDevUrl', undefined);
  });

  it('stream false: waits for the JSON answer, lists the changed files and applies nothing', async () => {
    await setSetting('stream', false);
    const summary = await runPrompt({ message: 'Build a todo app' });
    await setSetting('stream', undefined);
    assert.equal(summary.status, 'completed', JSON.stringify(summary.error));
    assert.equal(summary.files.length, 4);
    assert.deepEqual(summary.applied, []);
    assert.doesNotMatch(summary.output ?? '', /non-streaming/, 'output is exactly the agent\'s answer');
    assert.match(summary.note ?? '', /non-streaming answer carries no diffs/);
  });

  it('apiStyle "agent" runs through POST /v1/run with the same result', async () => {
    await setSetting('apiStyle', 'agent');
    fs.rmSync(path.join(workspaceRoot(), 'settings-test/app.txt'), { force: true });
    const summary = await runPrompt({ message: 'x', params: { scenario: 'app' } });
    await setSetting('apiStyle', undefined);
    assert.equal(summary.status, 'completed', JSON.stringify(summary.error));
    assert.deepEqual(summary.applied, ['settings-test/app.txt']);
  });

  it('sends params, context, mounts and the key as settings and arguments say, arguments winning', async () => {
    await setUserSetting('baseUrl', captureUrl);
    await setUserSetting('apiSlug', 'my-agent');
    // Keys are kept per origin: the capture server is another origin than the local server.
    assert.equal(await vscode.commands.executeCommand(Commands.setApiKey, { key: SECRET, origin: captureUrl }), true);
    await setSetting('params', { model: 'fast', scenario: 'from-settings' });
    await setSetting('context', { team: 'docs' });
    await setSetting('mounts', [{ workspaceId: 'ws_1', path: '/data' }]);
    captured.length = 0;
    const summary = await runPrompt({ message: 'hello', params: { scenario: 'from-args' }, context: { ticket: 42 } });
    assert.equal(summary.status, 'completed', JSON.stringify(summary.error));
    assert.equal(summary.id, 'run_capture');
    const request = captured.find((c) => c.method === 'POST')!;
    assert.equal(request.url, '/v1/run/my-agent');
    assert.equal(request.headers['x-api-key'], SECRET);
    assert.equal(request.headers.accept, 'text/event-stream');
    const body = JSON.parse(request.body);
    assert.equal(body.message, 'hello');
    assert.equal(body.stream, true);
    assert.deepEqual(body.params, { model: 'fast', scenario: 'from-args' });
    assert.equal(body.context.team, 'docs');
    assert.equal(body.context.ticket, 42);
    assert.equal(body.context.workspace, vscode.workspace.workspaceFolders![0]!.name);
    assert.deepEqual(body.mounts, [{ workspaceId: 'ws_1', path: '/data' }]);
    await setSetting('params', undefined);
    await setSetting('context', undefined);
    await setSetting('mounts', undefined);
  });

  it('requestTimeoutSeconds ends a silent stream as interrupted, saying why', async () => {
    await setUserSetting('baseUrl', captureUrl);
    await setSetting('requestTimeoutSeconds', 5);
    captureMode = 'silent';
    try {
      const summary = await runPrompt({ message: 'x' });
      assert.equal(summary.status, 'interrupted');
      assert.match(summary.error?.message ?? '', /5 s|5 seconds|nothing|no data|idle|silent/i);
    } finally {
      captureMode = 'complete';
      await setSetting('requestTimeoutSeconds', undefined);
      await setUserSetting('baseUrl', server.baseUrl);
      await setUserSetting('apiSlug', 'demo');
    }
  });

  it('the key never appears in the log, the settings or the run history', async () => {
    const scratch = process.env.RUNTOOLS_TEST_SCRATCH;
    assert.ok(scratch, 'the runner names its scratch folder');
    await vscode.commands.executeCommand(Commands.showLog);
    const files = fs.readdirSync(path.join(scratch, 'user-data'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name))
      .filter((file) => /\.(log|json|code-workspace)$/.test(file) || file.includes('runs'));
    const logs = files.filter((file) => file.endsWith('RunTools.log'));
    assert.ok(logs.length > 0, 'the RunTools log exists');
    assert.ok(fs.readFileSync(logs[0]!, 'utf8').includes('starting on'), 'the log has the runs');
    for (const file of [...files, path.join(scratch, 'integration.code-workspace')]) {
      assert.ok(!fs.readFileSync(file, 'utf8').includes(SECRET), `${path.relative(scratch, file)} contains the key`);
    }
  });

  it('without any key a run explains how to set one and fails with no_api_key', async () => {
    await vscode.commands.executeCommand(Commands.clearApiKey);
    const summary = await runPrompt({ message: 'x' });
    assert.equal(summary.status, 'failed');
    assert.equal(summary.error?.code, 'no_api_key');
    assert.match(summary.error?.message ?? '', /Set one|RUNTOOLS_API_KEY|local server/);
  });

  it('a wrong key fails with 401 and a hint about the key, which the message never shows', async () => {
    await vscode.commands.executeCommand(Commands.setApiKey, 'rt_test_wrong_key_abcdef');
    const summary = await runPrompt({ message: 'x' });
    assert.equal(summary.status, 'failed');
    assert.match(summary.error?.message ?? '', /key/i);
    assert.ok(!(summary.error?.message ?? '').includes('rt_test_wrong_key_abcdef'));
  });

  it('waits for the edits before settling: the summary matches what is on disk', async () => {
    await vscode.commands.executeCommand(Commands.setApiKey, SECRET);
    fs.rmSync(path.join(workspaceRoot(), 'settings-test/app.txt'), { force: true });
    const summary = await runPrompt({ message: 'x', params: { scenario: 'app' } });
    assert.deepEqual(summary.applied, ['settings-test/app.txt']);
    await waitFor(() => fs.existsSync(path.join(workspaceRoot(), 'settings-test/app.txt')), 'the file', 1);
  });
});
