import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { inspect } from 'node:util';
import { RunClient } from '../../../src/core/run/runClient';
import { RunError, describeRunError } from '../../../src/core/run/runError';
import { retryAfterSeconds } from '../../../src/core/run/errorMapping';
import { ScriptedServer } from './scriptedServer';
import { RecordingLogger } from './helpers';

const slugPath = '/v1/run/my-agent';
const request = { apiSlug: 'my-agent', message: 'Fix the tests', stream: true };
const apiKey = 'rt_live_SECRET0123456789abcdef';

const statuses: [number, RegExp][] = [
  [400, /check the message and parameters/],
  [401, /API key was not accepted/],
  [403, /agent:run/],
  [404, /No deployment 'my-agent'.*check the API slug/],
  [429, /wait 17 s/],
  [500, /server failed; try again/],
  [502, /unavailable or too slow/],
  [503, /unavailable or too slow/],
];

describe('RunClient errors', () => {
  let server: ScriptedServer;
  let client: RunClient;
  let log: RecordingLogger;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    log = new RecordingLogger();
    client = new RunClient({ baseUrl: server.url, apiKey, logger: log, idleTimeoutMs: 5000 });
  });
  afterEach(() => server.close());

  for (const [status, hint] of statuses) {
    const limitHeaders: Record<string, string> = status === 429 ? { 'Retry-After': '17', 'X-RateLimit-Limit': '60' } : {};

    it(`${status} with the error envelope: status, code, message, request id and a hint`, async () => {
      server.on('POST', slugPath, (ex) => ex.json(status, { error: { code: `code_${status}`, message: `Server says ${status}`, requestId: `req_${status}` } }, limitHeaders));
      const outcome = await client.start(request).outcome;
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.error?.kind, 'http');
      assert.equal(outcome.error?.status, status);
      assert.equal(outcome.error?.code, `code_${status}`);
      assert.equal(outcome.error?.requestId, `req_${status}`);
      assert.equal(outcome.requestId, `req_${status}`);
      assert.match(outcome.error?.message ?? '', new RegExp(`HTTP ${status} .*Server says ${status}`));
      assert.match(outcome.error?.hint ?? '', hint);
      if (status === 429) assert.equal(outcome.error?.retryAfterSeconds, 17);
    });

    it(`${status} with an empty body still reads well`, async () => {
      server.on('POST', slugPath, (ex) => { ex.head(status, limitHeaders); ex.end(); });
      const outcome = await client.start(request).outcome;
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.error?.status, status);
      assert.match(outcome.error?.message ?? '', new RegExp(`^Starting the run failed: HTTP ${status} [A-Z][\\w ]+ \\(empty answer\\)\\.$`));
      assert.match(outcome.error?.hint ?? '', hint);
    });

    it(`${status} with an HTML page gives the page's title, not its markup`, async () => {
      server.on('POST', slugPath, (ex) => {
        ex.head(status, { 'Content-Type': 'text/html', ...limitHeaders });
        ex.end(`<!DOCTYPE html><html><head><title>${status} Gateway Trouble</title><style>p{}</style></head><body><p>x</p></body></html>`);
      });
      const outcome = await client.start(request).outcome;
      assert.equal(outcome.error?.status, status);
      assert.match(outcome.error?.message ?? '', new RegExp(`${status} Gateway Trouble \\(an HTML page`));
      assert.doesNotMatch(outcome.error?.message ?? '', /<|style/);
    });
  }

  it('401 without a key says that no key is set', async () => {
    const keyless = new RunClient({ baseUrl: server.url });
    server.on('POST', slugPath, (ex) => ex.json(401, { error: { code: 'unauthorized', message: 'Missing API key' } }));
    const outcome = await keyless.start(request).outcome;
    assert.match(outcome.error?.hint ?? '', /No API key is set/);
    assert.equal(server.requests[0].headers['x-api-key'], undefined);
  });

  it('429 without Retry-After takes the wait from X-RateLimit-Reset', async () => {
    const reset = Math.floor(Date.now() / 1000) + 42;
    server.on('POST', slugPath, (ex) => ex.json(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'X-RateLimit-Reset': String(reset) }));
    const outcome = await client.start(request).outcome;
    const wait = outcome.error?.retryAfterSeconds ?? -1;
    assert.ok(wait >= 40 && wait <= 43, `waited ${wait}`);
  });

  it('reads Retry-After as a date and X-RateLimit-Reset as unix seconds', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    assert.equal(retryAfterSeconds(new Headers({ 'Retry-After': 'Thu, 01 Jan 2026 12:00:30 GMT' }), now), 30);
    assert.equal(retryAfterSeconds(new Headers({ 'X-RateLimit-Reset': String(now / 1000 + 9) }), now), 9);
    assert.equal(retryAfterSeconds(new Headers({}), now), undefined);
  });

  it('never lets the API key into errors or logs, even when the server echoes it back', async () => {
    const encoded = encodeURIComponent(apiKey);
    server.on('POST', slugPath, (ex) => ex.json(401, { error: { code: `bad_key_${apiKey}`, message: `Invalid key ${apiKey} (${encoded})`, requestId: `req_${apiKey}` } }));
    server.on('GET', '/v1/run/run_x', (ex) => { ex.head(403, { 'Content-Type': 'text/plain' }); ex.end(`key ${apiKey} lacks scope`); });
    server.on('POST', '/v1/run/html', (ex) => { ex.head(500, { 'Content-Type': 'text/html' }); ex.end(`<title>Error for ${apiKey}</title>`); });
    const outcome = await client.start(request).outcome;
    const html = await client.start({ ...request, apiSlug: 'html' }).outcome;
    const thrown = await client.getRun('run_x').then(() => undefined, (err: unknown) => err);
    assert.ok(thrown instanceof RunError);
    assert.equal(outcome.error?.status, 401);
    assert.match(outcome.error?.message ?? '', /Invalid key \[redacted\]/);
    for (const text of [JSON.stringify(outcome), JSON.stringify(html), inspect(thrown, { depth: 10, showHidden: true }), JSON.stringify(thrown), (thrown as Error).stack ?? '', log.text]) {
      assert.ok(!text.includes(apiKey), `key leaked into: ${text.slice(0, 300)}`);
      assert.ok(!text.includes(encoded), 'encoded key leaked');
    }
    assert.ok(log.lines.length > 0, 'the client logged something');
  });

  it('distinguishes a refused connection', async () => {
    const port = await closedPort();
    const outcome = await new RunClient({ baseUrl: `http://127.0.0.1:${port}` }).start(request).outcome;
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.error?.kind, 'network');
    assert.equal(outcome.error?.code, 'ECONNREFUSED');
    assert.match(outcome.error?.message ?? '', /could not reach http:\/\/127\.0\.0\.1:\d+ \(connection refused\)/);
    assert.match(outcome.error?.hint ?? '', /server is running.*base URL/);
  });

  it('distinguishes a host that does not resolve', async function () {
    this.timeout(20_000);
    const outcome = await new RunClient({ baseUrl: 'https://no-such-host.invalid' }).start(request).outcome;
    assert.equal(outcome.error?.kind, 'network');
    assert.ok(['ENOTFOUND', 'EAI_AGAIN'].includes(outcome.error?.code ?? ''), outcome.error?.code);
    assert.match(outcome.error?.message ?? '', /no-such-host\.invalid/);
  });

  it('distinguishes a connection reset before the answer', async () => {
    server.on('POST', slugPath, (ex) => ex.reset());
    const outcome = await client.start(request).outcome;
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.error?.kind, 'network');
    assert.ok(['ECONNRESET', 'UND_ERR_SOCKET'].includes(outcome.error?.code ?? ''), outcome.error?.code);
    assert.match(outcome.error?.message ?? '', /connection (reset|closed)/);
  });

  it('reports an HTML page served with 200 as a wrong base URL, not as a run', async () => {
    server.on('POST', slugPath, (ex) => { ex.head(200, { 'Content-Type': 'text/html' }); ex.end('<html><title>Sign in to Wi-Fi</title></html>'); });
    const outcome = await client.start(request).outcome;
    assert.equal(outcome.error?.kind, 'protocol');
    assert.match(outcome.error?.message ?? '', /HTML page \('Sign in to Wi-Fi'\)/);
  });

  it('getRun, cancelRun and listRuns throw a RunError with the same details', async () => {
    server.on('GET', '/v1/run/run_missing', (ex) => ex.json(404, { error: { code: 'not_found', message: 'Run not found' }, meta: { requestId: 'req_9' } }));
    const err = await client.getRun('run_missing').then(() => assert.fail('should throw'), (e: unknown) => e);
    assert.ok(err instanceof RunError);
    assert.equal(err.info.status, 404);
    assert.equal(err.info.requestId, 'req_9');
    assert.match(err.info.hint ?? '', /No run 'run_missing'/);
    assert.equal(describeRunError(err.info), `${err.info.message} (code not_found, request id req_9) ${err.info.hint}`);
    await assert.rejects(client.cancelRun('run_missing'), (e: unknown) => e instanceof RunError && e.info.status === 404);
  });

  it('rejects a base URL that is not http(s) when the client is made', () => {
    assert.throws(() => new RunClient({ baseUrl: 'api.runtools.ai' }), /not a URL/);
    assert.throws(() => new RunClient({ baseUrl: 'ftp://api.runtools.ai' }), /http:\/\/ or https:\/\//);
  });
});

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
