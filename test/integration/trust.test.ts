/**
 * Where the key goes, in the real host: the user's API server and a second loopback server on
 * another port (another origin) that records whether the key, or anything, ever reached it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { nullLogger } from '../../src/core/logger';
import { ApiKeyStore } from '../../src/vscode/apiKeyStore';
import { Commands, ENV_API_KEY, LEGACY_SECRET_API_KEY, SETTINGS_SECTION } from '../../src/vscode/ids';
import type { Question } from '../../src/vscode/questions';
import {
  answerQuestions, runPrompt, setSetting, setUserSetting, startRecorder, testHooks, waitFor, type Recorder,
} from './helpers';

const KEY_USER = 'rt_test_trust_user_0123456789abcdef';
const KEY_OTHER = 'rt_test_trust_other_0123456789abcdef';
const KEY_ENV = 'rt_test_trust_env_0123456789abcdef';

/** Writes an event stream: each frame, then `complete` unless told not to (then the stream just ends). */
function sse(res: http.ServerResponse, frames: [string, unknown][], options: { runId?: string; complete?: boolean } = {}): true {
  res.writeHead(200, { 'content-type': 'text/event-stream', ...(options.runId ? { 'x-run-id': options.runId } : {}) });
  for (const [event, data] of frames) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  if (options.complete !== false) res.write('event: complete\ndata: {"status":"completed","output":"done"}\n\n');
  res.end();
  return true;
}

function redirect(res: http.ServerResponse, status: number, location: string): true {
  res.writeHead(status, { location });
  res.end();
  return true;
}

describe('trust: the key goes only where the user sent it', function () {
  this.timeout(60_000);
  let api: Recorder;
  let other: Recorder;
  let questions: { asked: Question[]; stop(): Promise<void> } | undefined;
  const answer = async (answerer: (q: Question) => string | undefined) => {
    await questions?.stop();
    questions = await answerQuestions(answerer);
    return questions.asked;
  };

  before(async () => {
    api = await startRecorder('api');
    other = await startRecorder('other');
    await setUserSetting('baseUrl', api.url);
    await setUserSetting('apiSlug', 'agent-x');
    assert.equal(await vscode.commands.executeCommand(Commands.setApiKey, { key: KEY_USER, origin: api.url }), true);
  });

  afterEach(async () => {
    await questions?.stop();
    questions = undefined;
    await setSetting('baseUrl', undefined);
    await setUserSetting('baseUrl', api.url);
    api.setRoute(undefined);
    other.setRoute(undefined);
    api.requests.length = 0;
    other.requests.length = 0;
    delete process.env[ENV_API_KEY];
  });

  after(async () => {
    for (const key of ['baseUrl', 'apiSlug', 'params', 'openDevUrl']) await setUserSetting(key, undefined);
    await setSetting('requestTimeoutSeconds', undefined);
    for (const origin of [api.url, other.url]) await vscode.commands.executeCommand(Commands.clearApiKey, { origin });
    await (await testHooks()).forgetOrigin(other.url);
    await api.close();
    await other.close();
  });

  it('user settings hold through later changes of ours and others\' settings (a remote window drops machine-scoped ones)', async () => {
    // Written into the user settings file, as `npm start` does and as a user does in settings.json:
    // update() in a remote window would put machine-scoped values in the remote settings instead.
    await setUserSetting('baseUrl', undefined);
    const file = path.join(process.env.RUNTOOLS_TEST_SCRATCH!, 'user-data', 'User', 'settings.json');
    const userSettings = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...userSettings, 'runtools.baseUrl': api.url, 'runtools.apiSlug': 'agent-file', 'runtools.params': { model: 'fast' } }, null, 2));
    const config = () => vscode.workspace.getConfiguration(SETTINGS_SECTION);
    await waitFor(() => config().get('apiSlug') === 'agent-file', 'the settings file to be read');

    const editor = vscode.workspace.getConfiguration('editor');
    await editor.update('fontSize', 15, vscode.ConfigurationTarget.Global);
    await setUserSetting('openDevUrl', 'off');
    await setSetting('requestTimeoutSeconds', 90);
    await editor.update('fontSize', undefined, vscode.ConfigurationTarget.Global);
    assert.equal(config().get('baseUrl'), api.url, 'the user value still applies');

    const summary = await runPrompt({ message: 'hello' });
    assert.equal(summary.status, 'completed', JSON.stringify(summary.error));
    assert.equal(summary.output, 'answered by api');
    const posted = api.requests.find((r) => r.method === 'POST')!;
    assert.equal(posted.url, '/v1/run/agent-file');
    assert.equal(posted.headers['x-api-key'], KEY_USER);
    assert.deepEqual(JSON.parse(posted.body).params, { model: 'fast' });
    assert.equal(other.requests.length, 0);
    await setUserSetting('apiSlug', 'agent-x');
  });

  it('a repository\'s baseUrl naming another origin with no key stored for it: not started, the user\'s key stays home', async () => {
    await answer(() => undefined);
    await setSetting('baseUrl', other.url);
    const summary = await runPrompt({ message: 'x' });
    assert.equal(summary.status, 'failed');
    assert.equal(summary.error?.code, 'no_api_key');
    assert.ok(summary.error?.message.includes(other.url), summary.error?.message);
    assert.match(summary.error?.message ?? '', /workspace's settings/);
    assert.equal(summary.localId, undefined, 'a refused run leaves no record');
    assert.equal(other.requests.length + api.requests.length, 0);
  });

  it('declining a repository\'s origin leaves the run not started, says why and how to change it; a webview cannot approve', async () => {
    assert.equal(await vscode.commands.executeCommand(Commands.setApiKey, { key: KEY_OTHER, origin: other.url }), true);
    await setSetting('baseUrl', other.url);
    const forged = await (await testHooks()).receiveViewMessage({ type: 'approveOrigin', origin: other.url });
    assert.equal(forged.handled, false);
    const asked = await answer(() => undefined);
    const summary = await runPrompt({ message: 'x' });
    assert.equal(summary.error?.code, 'origin_not_approved');
    assert.equal(summary.localId, undefined);
    const approval = asked.find((q) => q.kind === 'approveOrigin');
    assert.ok(approval, `asked: ${asked.map((q) => q.kind).join(', ')}`);
    assert.ok(approval.message.includes(other.url) && approval.modal, approval.message);
    assert.match(summary.error?.message ?? '', /not approved.*nothing was sent.*remove runtools\.baseUrl/);
    assert.ok(asked.some((q) => q.kind === 'runRefused' && q.message.includes(other.url)));
    assert.equal(other.requests.length, 0, 'nothing reached the other origin');
  });

  it('an approved origin gets runs with its own key only, and is asked about once', async () => {
    await vscode.commands.executeCommand(Commands.setApiKey, { key: KEY_OTHER, origin: other.url });
    await setSetting('baseUrl', other.url);
    const asked = await answer((q) => (q.kind === 'approveOrigin' ? q.choices[0] : undefined));
    const first = await runPrompt({ message: 'x' });
    const second = await runPrompt({ message: 'y' });
    assert.equal(first.status, 'completed', JSON.stringify(first.error));
    assert.equal(second.output, 'answered by other');
    assert.equal(asked.filter((q) => q.kind === 'approveOrigin').length, 1);
    assert.deepEqual(other.keysSeen(), [KEY_OTHER, KEY_OTHER]);
    assert.equal(api.requests.length, 0);
    await (await testHooks()).forgetOrigin(other.url);
  });

  it('a key goes only to the origin it was stored for; RUNTOOLS_API_KEY only to the configured origin', async () => {
    await vscode.commands.executeCommand(Commands.clearApiKey, { origin: other.url });
    await setUserSetting('baseUrl', other.url);
    const none = await runPrompt({ message: 'x' });
    assert.equal(none.error?.code, 'no_api_key', 'the key stored for the first origin is not used for the second');
    assert.equal(other.requests.length, 0);

    process.env[ENV_API_KEY] = KEY_ENV;
    const fromEnv = await runPrompt({ message: 'x' });
    assert.equal(fromEnv.status, 'completed', JSON.stringify(fromEnv.error));
    assert.deepEqual(other.keysSeen(), [KEY_ENV], 'the user-configured origin gets the environment key');

    // The same origin named by the repository instead: the environment key is not for it.
    other.requests.length = 0;
    await setUserSetting('baseUrl', api.url);
    await setSetting('baseUrl', other.url);
    await answer((q) => (q.kind === 'approveOrigin' ? q.choices[0] : undefined));
    const repository = await runPrompt({ message: 'x' });
    assert.equal(repository.error?.code, 'no_api_key');
    assert.equal(other.requests.length, 0);

    await setSetting('baseUrl', undefined);
    const home = await runPrompt({ message: 'x' });
    assert.equal(home.status, 'completed');
    assert.deepEqual(api.keysSeen(), [KEY_USER], 'the stored key comes before the environment one');
    await (await testHooks()).forgetOrigin(other.url);
  });

  it('the single key of an earlier version moves to the configured origin, once, and to no other', async () => {
    const stored = new Map<string, string>([[LEGACY_SECRET_API_KEY, KEY_USER]]);
    const secrets: vscode.SecretStorage = {
      get: async (key) => stored.get(key),
      store: async (key, value) => { stored.set(key, value); },
      delete: async (key) => { stored.delete(key); },
      onDidChange: new vscode.EventEmitter<vscode.SecretStorageChangeEvent>().event,
    };
    const keys = new ApiKeyStore(secrets, () => api.url, nullLogger);
    assert.deepEqual(await keys.keyFor(other.url), { key: undefined, source: 'none' }, 'another origin does not get it');
    assert.deepEqual(await keys.keyFor(api.url), { key: KEY_USER, source: 'secret' });
    assert.deepEqual([...stored.keys()], [`runtools.apiKey:${api.url}`]);
    keys.dispose();
  });

  it('plain http to another host is refused before anything is sent', async () => {
    await setUserSetting('baseUrl', 'http://api.runtools.example');
    const summary = await runPrompt({ message: 'x' });
    assert.equal(summary.error?.code, 'invalid_base_url');
    assert.match(summary.error?.message ?? '', /plain http.*localhost, 127\.0\.0\.1/);
  });

  for (const status of [307, 308]) {
    it(`a ${status} from the start request to another origin fails the run, names the target, and sends nothing there`, async () => {
      api.setRoute((req, res) => req.method === 'POST' && redirect(res, status, `${other.url}/v1/run/agent-x`));
      const summary = await runPrompt({ message: 'x' });
      assert.equal(summary.status, 'failed');
      assert.equal(summary.error?.code, 'redirect_refused');
      assert.ok(summary.error?.message.includes(`${other.url}/v1/run/agent-x`), summary.error?.message);
      assert.equal(other.requests.length, 0);
    });
  }

  it('a redirect of the status call to another origin is not followed either', async () => {
    api.setRoute((req, res) => (req.method === 'POST' ? sse(res, [['thinking', { content: 'hm' }]], { runId: 'run_cut', complete: false })
      : req.url === '/v1/run/run_cut' && redirect(res, 307, `${other.url}/v1/run/run_cut`)));
    const summary = await runPrompt({ message: 'x' });
    assert.equal(summary.status, 'interrupted');
    assert.ok(api.requests.some((r) => r.method === 'GET' && r.url === '/v1/run/run_cut'), 'the status was asked');
    assert.equal(other.requests.length, 0);
  });

  it('same origin: a run is never re-posted by a redirect; a status call follows one', async () => {
    api.setRoute((req, res) => req.url === '/v1/run/agent-x' && redirect(res, 307, '/v1/run/moved'));
    const refused = await runPrompt({ message: 'x' });
    assert.equal(refused.error?.code, 'redirect_refused');
    assert.equal(api.requests.filter((r) => r.url === '/v1/run/moved').length, 0);

    api.setRoute((req, res) => {
      if (req.method === 'POST') return sse(res, [], { runId: 'run_s', complete: false });
      if (req.url === '/v1/run/run_s') return redirect(res, 302, '/v1/run/run_s/final');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { id: 'run_s', status: 'completed', output: 'followed' } }));
      return true;
    });
    const followed = await runPrompt({ message: 'x' });
    // This server offers no replay, so the run stays interrupted; the status it fetched (through the redirect) is named.
    assert.equal(followed.status, 'interrupted', JSON.stringify(followed.error));
    assert.match(JSON.stringify(followed.error), /'completed', but what it did after event 0 is unknown/);
    assert.equal(api.requests.find((r) => r.url === '/v1/run/run_s/final')?.headers['x-api-key'], KEY_USER);
  });

  it('a dev URL that is not http(s) never becomes the run\'s dev URL', async () => {
    api.setRoute((req, res) => {
      if (req.method !== 'POST') return false;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: dev_url\ndata: {"url":"javascript:alert(1)"}\n\n');
      res.end('event: complete\ndata: {"status":"completed","devUrl":"file:///etc/passwd"}\n\n');
      return true;
    });
    const summary = await runPrompt({ message: 'x' });
    assert.equal(summary.status, 'completed');
    assert.equal(summary.devUrl, undefined);
  });
});
