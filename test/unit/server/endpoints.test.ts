import * as assert from 'node:assert/strict';
import type { LocalServer } from '../../../src/server';
import { get, post, readSse, start, testKey } from './helpers';

async function expectError(response: Response, status: number, code: string): Promise<any> {
  assert.equal(response.status, status);
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  const body = (await response.json()) as any;
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.match(body.error.requestId, /^req_/);
  return body;
}

describe('local server: endpoints', () => {
  let server: LocalServer;
  before(async () => {
    server = await start();
  });
  after(() => server.close());

  it('listens on loopback and reports the key it was given', () => {
    assert.match(server.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.apiKey, testKey);
  });

  it('POST /v1/run/{slug} with stream false answers the data envelope with the final run', async () => {
    const response = await post(server, '/v1/run/demo', { message: 'Build a counter app', stream: false });
    assert.equal(response.status, 200);
    const body = (await response.json()) as any;
    assert.equal(body.data.status, 'completed');
    assert.equal(response.headers.get('x-run-id'), body.data.id);
    assert.match(body.data.id, /^run_/);
    assert.match(body.data.output, /Counter app/);
    assert.equal(body.data.files.length, 4);
    for (const file of body.data.files) assert.match(file, /^\/workspace\/[a-z0-9-]+\/(index\.html|style\.css|app\.js|README\.md)$/);
    assert.match(body.data.devUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.ok(body.data.usage.inputTokens > 0 && body.data.usage.outputTokens > 0);
    assert.match(body.meta.requestId, /^req_/);
    for (const header of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
      assert.match(response.headers.get(header) ?? '', /^\d+$/, header);
    }
  });

  it('POST /v1/run/{slug} defaults to a JSON answer when stream is absent', async () => {
    const response = await post(server, '/v1/run/demo', { message: 'hi', params: { scenario: 'demo' } });
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(((await response.json()) as any).data.status, 'completed');
  });

  it('POST /v1/run/{slug} with stream true answers SSE with X-Run-ID', async () => {
    const response = await post(server, '/v1/run/demo', { message: 'x', stream: true, params: { scenario: 'demo' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const id = response.headers.get('x-run-id')!;
    const read = await readSse(response);
    assert.equal(read.events.at(-1)?.event, 'complete');
    const run = ((await (await get(server, `/v1/run/${id}`)).json()) as any).data;
    assert.equal(run.status, 'completed');
    assert.equal(run.eventCount, read.events.length);
  });

  it('POST /v1/run (newer shape) streams by default and sends X-Run-ID and X-Thread-ID', async () => {
    const response = await post(server, '/v1/run', { agent: 'demo', prompt: 'hello', threadId: 'thr_given', config: { params: { scenario: 'demo' } }, metadata: { ticket: 7 } });
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(response.headers.get('x-thread-id'), 'thr_given');
    const id = response.headers.get('x-run-id')!;
    const read = await readSse(response);
    assert.equal(read.events.at(-1)?.event, 'complete');
    const run = ((await (await get(server, `/v1/run/${id}`)).json()) as any).data;
    assert.equal(run.threadId, 'thr_given');
    assert.deepEqual(run.metadata, { ticket: 7 });
  });

  it('POST /v1/run with stream false answers the newer shape without the envelope (runId, result)', async () => {
    const response = await post(server, '/v1/run', { agent: 'demo', messages: [{ role: 'user', content: 'Build a counter' }], stream: false, config: { params: { scenario: 'demo' } } });
    const body = (await response.json()) as any;
    assert.equal(body.data, undefined);
    assert.equal(body.runId, response.headers.get('x-run-id'));
    assert.match(body.threadId, /^thr_/);
    assert.equal(body.status, 'completed');
    assert.match(String(body.result), /README/);
  });

  it('GET /v1/run lists recent runs, newest first, filtered by agent and status', async () => {
    await post(server, '/v1/run/demo', { message: 'x', params: { scenario: 'run-failed' } });
    const failed = (await (await get(server, '/v1/run?agent=demo&status=failed&limit=5')).json()) as any;
    assert.ok(failed.data.length >= 1);
    assert.ok(failed.data.every((run: any) => run.status === 'failed' && run.agent === 'demo'));
    const one = (await (await get(server, '/v1/run?limit=1')).json()) as any;
    assert.equal(one.data.length, 1);
    assert.equal(one.data[0].status, 'failed', 'the newest run comes first');
    const none = (await (await get(server, '/v1/run?agent=other')).json()) as any;
    assert.deepEqual(none.data, []);
  });

  it('GET /v1/run rejects a bad status or limit with 400', async () => {
    await expectError(await get(server, '/v1/run?status=sleeping'), 400, 'invalid_request');
    await expectError(await get(server, '/v1/run?limit=0'), 400, 'invalid_request');
    await expectError(await get(server, '/v1/run?limit=abc'), 400, 'invalid_request');
  });

  it('answers 404 with the envelope for an unknown slug, run or path', async () => {
    const slug = await expectError(await post(server, '/v1/run/no-such-agent', { message: 'x' }), 404, 'not_found');
    assert.match(slug.error.message, /Deployment not found/);
    const unknownAgent = await post(server, '/v1/run', { agent: 'no-such-agent', prompt: 'x' });
    await expectError(unknownAgent, 404, 'not_found');
    await expectError(await get(server, '/v1/run/run_missing'), 404, 'not_found');
    await expectError(await post(server, '/v1/run/run_missing/cancel', {}), 404, 'not_found');
    await expectError(await get(server, '/v2/elsewhere'), 404, 'not_found');
  });

  it('answers 400 for a body that is not JSON, lacks its message, or names an unknown scenario', async () => {
    await expectError(await post(server, '/v1/run/demo', '{not json'), 400, 'invalid_request');
    await expectError(await post(server, '/v1/run/demo', '[1, 2]'), 400, 'invalid_request');
    await expectError(await post(server, '/v1/run/demo', { stream: true }), 400, 'invalid_request');
    await expectError(await post(server, '/v1/run/demo', { message: 'x', stream: 'yes' }), 400, 'invalid_request');
    await expectError(await post(server, '/v1/run', { agent: 'demo' }), 400, 'invalid_request');
    const scenario = await expectError(await post(server, '/v1/run/demo', { message: 'x', params: { scenario: 'nope' } }), 400, 'invalid_request');
    assert.match(scenario.error.message, /never-complete/, 'the message lists the known scenarios');
  });

  it('answers 405 with Allow for a known path and another method', async () => {
    const response = await fetch(`${server.baseUrl}/v1/run/run_x/cancel`, { headers: { 'X-API-Key': testKey } });
    await expectError(response, 405, 'method_not_allowed');
    assert.equal(response.headers.get('allow'), 'POST');
  });
});

describe('local server: auth', () => {
  let server: LocalServer;
  before(async () => {
    server = await start({ scopelessKeys: ['rt_live_configured_scopeless'] });
  });
  after(() => server.close());

  it('answers 401 when the key is missing or wrong', async () => {
    await expectError(await get(server, '/v1/run', null), 401, 'unauthorized');
    await expectError(await get(server, '/v1/run', 'rt_test_wrong'), 401, 'unauthorized');
    await expectError(await post(server, '/v1/run/demo', { message: 'x' }, { key: null }), 401, 'unauthorized');
  });

  it('answers 403 naming the agent:run scope for scopeless keys', async () => {
    for (const key of ['rt_test_noscope_123', 'rt_live_configured_scopeless']) {
      const body = await expectError(await post(server, '/v1/run/demo', { message: 'x' }, { key }), 403, 'forbidden');
      assert.match(body.error.message, /agent:run/);
    }
  });

  it('accepts the configured key', async () => {
    assert.equal((await get(server, '/v1/run', testKey)).status, 200);
  });

  it('generates a key when none is given', async () => {
    const generated = await start({ apiKey: undefined });
    try {
      assert.match(generated.apiKey ?? '', /^rt_test_/);
      assert.equal((await get(generated, '/v1/run', generated.apiKey!)).status, 200);
      assert.equal((await get(generated, '/v1/run', testKey)).status, 401);
    } finally {
      await generated.close();
    }
  });

  it('open mode accepts any key or none, but still refuses noscope keys', async () => {
    const open = await start({ open: true, apiKey: undefined });
    try {
      assert.equal(open.apiKey, undefined);
      assert.equal((await get(open, '/v1/run', null)).status, 200);
      assert.equal((await get(open, '/v1/run', 'anything-at-all')).status, 200);
      assert.equal((await post(open, '/v1/run/demo', { message: 'x', params: { scenario: 'demo' } }, { key: null })).status, 200);
      await expectError(await get(open, '/v1/run', 'rt_test_noscope_x'), 403, 'forbidden');
    } finally {
      await open.close();
    }
  });
});

describe('local server: rate limits and scripted HTTP errors', () => {
  it('answers 429 with Retry-After once the per-minute limit is used up', async () => {
    const server = await start({ rateLimitPerMinute: 2 });
    try {
      const first = await get(server, '/v1/run');
      assert.equal(first.headers.get('x-ratelimit-limit'), '2');
      assert.equal(first.headers.get('x-ratelimit-remaining'), '1');
      assert.equal((await get(server, '/v1/run')).headers.get('x-ratelimit-remaining'), '0');
      const limited = await get(server, '/v1/run');
      await expectError(limited, 429, 'rate_limited');
      assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
      assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
    } finally {
      await server.close();
    }
  });

  it('the rate-limited scenario answers 429 with Retry-After and starts no run', async () => {
    const server = await start();
    try {
      const response = await post(server, '/v1/run/demo', { message: 'x', stream: true, params: { scenario: 'rate-limited' } });
      await expectError(response, 429, 'rate_limited');
      assert.equal(response.headers.get('retry-after'), '2');
      assert.equal(response.headers.get('x-run-id'), null);
      assert.deepEqual(((await (await get(server, '/v1/run')).json()) as any).data, []);
    } finally {
      await server.close();
    }
  });

  it('the server-error scenarios answer 500 as JSON or as an HTML page', async () => {
    const server = await start();
    try {
      await expectError(await post(server, '/v1/run/demo', { message: 'x', params: { scenario: 'server-error' } }), 500, 'internal_error');
      const html = await post(server, '/v1/run/demo', { message: 'x', stream: true, params: { scenario: 'server-error-html' } });
      assert.equal(html.status, 500);
      assert.match(html.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await html.text(), /<h1>500 Internal Server Error<\/h1>/);
    } finally {
      await server.close();
    }
  });
});
