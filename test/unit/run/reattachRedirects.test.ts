import * as assert from 'node:assert/strict';
import { RunClient } from '../../../src/core/run/runClient';
import { ScriptedServer } from './scriptedServer';
import { collect, RecordingLogger } from './helpers';

const key = 'rt_test_redirect_secret_key';
const request = { apiSlug: 'my-agent', message: 'x', stream: true };

/** Redirects must never carry the key: each one here points at a second server that must see nothing. */
describe('RunClient refuses redirects on every re-attach request too', () => {
  let server: ScriptedServer;
  let elsewhere: ScriptedServer;
  let logger: RecordingLogger;
  let client: RunClient;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    elsewhere = await ScriptedServer.start();
    logger = new RecordingLogger();
    client = new RunClient({ baseUrl: server.url, apiKey: key, logger, idleTimeoutMs: 2000, reconnect: { maxDelayMs: 1 } });
    // The first stream names the run and its thread, then breaks off.
    server.on('POST', '/v1/run/my-agent', (ex) => {
      ex.sseHead({ 'X-Run-ID': 'run_r', 'X-Thread-ID': 'thr_r' });
      ex.end('id: 1\nevent: thinking\ndata: {"content":"a"}\n\n');
    });
  });
  afterEach(async () => {
    assert.equal(elsewhere.requests.length, 0, 'nothing reached the other origin');
    assert.doesNotMatch(logger.text, new RegExp(key));
    await server.close();
    await elsewhere.close();
  });

  it('the start request', async () => {
    server.on('POST', '/v1/run/my-agent', (ex) => { ex.res.writeHead(307, { Location: `${elsewhere.url}/v1/run/my-agent` }); ex.end(); });
    const { outcome } = await collect(client.start(request));
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.error?.code, 'redirect_refused');
    assert.match(outcome.error?.message ?? '', new RegExp(`redirect \\(HTTP 307\\) to ${elsewhere.url}/v1/run/my-agent\\. A redirect to another origin is never followed`));
    assert.doesNotMatch(JSON.stringify(outcome), new RegExp(key));
  });

  it('thread events', async () => {
    server.on('GET', /^\/v1\/threads\/thr_r\/events/, (ex) => { ex.res.writeHead(302, { Location: `${elsewhere.url}/steal?key=x` }); ex.end(); });
    const { outcome } = await collect(client.start(request));
    assert.equal(outcome.status, 'interrupted');
    assert.match(outcome.error?.hint ?? '', new RegExp(`Following the run again failed: .* redirect \\(HTTP 302\\) to ${elsewhere.url}/steal\\. A redirect to another origin is never followed`));
    assert.doesNotMatch(outcome.error?.hint ?? '', /key=x/, 'the query is not repeated');
  });

  it('the run-stream socket handshake', async () => {
    server.on('GET', /^\/v1\/run\/my-agent\/stream\/run_r/, (ex) => { ex.res.writeHead(301, { Location: `${elsewhere.url.replace('http', 'ws')}/stream` }); ex.end(); });
    const { outcome } = await collect(client.start(request));
    assert.equal(outcome.status, 'interrupted');
    assert.match(outcome.error?.hint ?? '', /redirect \(HTTP 301\) to ws:\/\/127\.0\.0\.1:\d+\/stream\. A redirect to another origin is never followed/);
    assert.equal(server.received('GET', /^\/v1\/threads\//).length, 1, 'thread events were tried first');
  });

  it('the status check', async () => {
    server.on('GET', '/v1/run/run_r', (ex) => { ex.res.writeHead(308, { Location: `${elsewhere.url}/v1/run/run_r` }); ex.end(); });
    await assert.rejects(client.getRun('run_r'), /redirect \(HTTP 308\) to .* never followed/);
    const { outcome } = await collect(client.start(request));
    assert.equal(outcome.status, 'interrupted');
    assert.match(outcome.error?.hint ?? '', /never followed/);
  });
});
