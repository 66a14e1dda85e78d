import * as assert from 'node:assert/strict';
import { RunClient } from '../../../src/core/run/runClient';
import { ScriptedServer } from './scriptedServer';
import { collect } from './helpers';

const apiKey = 'rt_test_requests_key';

describe('RunClient requests and answers', () => {
  let server: ScriptedServer;

  beforeEach(async () => { server = await ScriptedServer.start(); });
  afterEach(() => server.close());

  it('sends the slug-style request: body, key, JSON and SSE headers', async () => {
    server.on('POST', '/v1/run/my%20agent', (ex) => { ex.sseHead(); ex.end('event: complete\ndata: {}\n\n'); });
    const client = new RunClient({ baseUrl: `${server.url}/`, apiKey, userAgent: 'runtools-vscode/0.1.0' });
    await client.start({
      apiSlug: 'my agent', message: 'Explain', stream: true, params: { depth: 2 },
      mounts: [{ workspaceId: 'ws_1', path: '/data' }], context: { file: 'src/a.ts', language: 'typescript' },
    }).outcome;
    const [sent] = server.requests;
    assert.equal(sent.method, 'POST');
    assert.equal(sent.url, '/v1/run/my%20agent');
    assert.equal(sent.headers['x-api-key'], apiKey);
    assert.equal(sent.headers['content-type'], 'application/json');
    assert.equal(sent.headers.accept, 'text/event-stream');
    assert.equal(sent.headers['user-agent'], 'runtools-vscode/0.1.0');
    assert.deepEqual(JSON.parse(sent.body), {
      message: 'Explain', stream: true, params: { depth: 2 },
      mounts: [{ workspaceId: 'ws_1', path: '/data' }], context: { file: 'src/a.ts', language: 'typescript' },
    });
  });

  it('sends the agent-style request and reads X-Run-ID / X-Thread-ID', async () => {
    server.on('POST', '/v1/run', (ex) => { ex.sseHead({ 'X-Run-ID': 'run_new', 'X-Thread-ID': 'thr_1' }); ex.end('event: complete\ndata: {"result":{"ok":true}}\n\n'); });
    const client = new RunClient({ baseUrl: server.url, apiKey, apiStyle: 'agent' });
    const { outcome } = await collect(client.start({ apiSlug: 'coder', message: 'Go', stream: true, threadId: 'thr_1', metadata: { from: 'test' }, params: { model: 'x' } }));
    assert.deepEqual(JSON.parse(server.requests[0].body), { agent: 'coder', prompt: 'Go', stream: true, threadId: 'thr_1', config: { model: 'x' }, metadata: { from: 'test' } });
    assert.equal(outcome.runId, 'run_new');
    assert.equal(outcome.threadId, 'thr_1');
    assert.deepEqual(outcome.result, { ok: true });
  });

  const answers: [string, unknown][] = [
    ['the data envelope and old names', { data: { id: 'run_a', status: 'completed', output: 'Hello', devUrl: 'https://dev', files: ['/src/App.tsx'], usage: { inputTokens: 1, outputTokens: 2 } }, meta: { requestId: 'req_a' } }],
    ['no envelope and new names', { runId: 'run_a', status: 'completed', result: 'Hello', output: 'Hello', devUrl: 'https://dev', files: ['/src/App.tsx'], usage: { input_tokens: 1, output_tokens: 2 }, requestId: 'req_a' }],
  ];
  for (const [name, body] of answers) {
    it(`reads a non-streaming answer with ${name} into one outcome`, async () => {
      server.on('POST', '/v1/run/my-agent', (ex) => ex.json(200, body));
      const client = new RunClient({ baseUrl: server.url, apiKey });
      const { events, outcome } = await collect(client.start({ apiSlug: 'my-agent', message: 'Hi', stream: false }));
      assert.equal(server.requests[0].headers.accept, 'application/json');
      assert.deepEqual(events, []);
      assert.equal(outcome.status, 'completed');
      assert.equal(outcome.runId, 'run_a');
      assert.equal(outcome.output, 'Hello');
      assert.equal(outcome.devUrl, 'https://dev');
      assert.deepEqual(outcome.files, ['/src/App.tsx']);
      assert.deepEqual(outcome.usage, { inputTokens: 1, outputTokens: 2 });
      assert.equal(outcome.requestId, 'req_a');
    });
  }

  it('reports a failed non-streaming run with the server reason', async () => {
    server.on('POST', '/v1/run/my-agent', (ex) => ex.json(200, { data: { id: 'run_f', status: 'failed', error: { message: 'Sandbox crashed', code: 'sandbox_error' } } }));
    const outcome = await new RunClient({ baseUrl: server.url }).start({ apiSlug: 'my-agent', message: 'Hi', stream: false }).outcome;
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.error?.kind, 'agent');
    assert.match(outcome.error?.message ?? '', /Sandbox crashed/);
    assert.equal(outcome.error?.code, 'sandbox_error');
  });

  it('reads a 200 answer that carries only an error as a failure', async () => {
    server.on('POST', '/v1/run/my-agent', (ex) => ex.json(200, { error: 'Quota exhausted' }));
    const outcome = await new RunClient({ baseUrl: server.url }).start({ apiSlug: 'my-agent', message: 'Hi', stream: false }).outcome;
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.error?.message ?? '', /Quota exhausted/);
  });

  it('reports an answer that is not JSON as a protocol failure', async () => {
    server.on('POST', '/v1/run/my-agent', (ex) => { ex.head(200, { 'Content-Type': 'text/plain' }); ex.end('OK'); });
    const outcome = await new RunClient({ baseUrl: server.url }).start({ apiSlug: 'my-agent', message: 'Hi', stream: false }).outcome;
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.error?.kind, 'protocol');
    assert.match(outcome.error?.message ?? '', /not a run: OK/);
  });

  it('getRun reads a run, listRuns sends the filters and reads the list, cancelRun posts', async () => {
    server.on('GET', '/v1/run/run_1', (ex) => ex.json(200, { data: { id: 'run_1', status: 'running', completedAt: null } }));
    server.on('GET', '/v1/run', (ex) => ex.json(200, { data: [{ id: 'run_1', status: 'running', agent: 'coder' }, { runId: 'run_2', status: 'completed' }] }));
    server.on('POST', '/v1/run/run_1/cancel', (ex) => { ex.head(204); ex.end(); });
    const client = new RunClient({ baseUrl: server.url, apiKey });
    assert.deepEqual(await client.getRun('run_1'), { id: 'run_1', status: 'running' });
    const runs = await client.listRuns({ agent: 'coder', status: 'running', limit: 5 });
    assert.deepEqual(runs.map((r) => r.id), ['run_1', 'run_2']);
    assert.equal(server.received('GET', '/v1/run')[0].url, '/v1/run?agent=coder&status=running&limit=5');
    await client.cancelRun('run_1');
    assert.equal(server.received('POST', '/v1/run/run_1/cancel').length, 1);
  });
});
