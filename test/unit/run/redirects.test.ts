import * as assert from 'node:assert/strict';
import { RunClient } from '../../../src/core/run';
import { collect, RecordingLogger } from './helpers';
import { ScriptedServer, type Exchange } from './scriptedServer';

const KEY = 'rt_test_redirect_S3cr3t_0123456789';
/** A route that answers with a redirect and an empty body. */
const redirectTo = (status: number, location: string) => (ex: Exchange) => {
  ex.head(status, { Location: location });
  ex.end();
};
const request = { apiSlug: 'demo', message: 'build it', stream: true, context: { file: 'secret.ts' } };

/**
 * The API server and a second loopback server on another port (another origin) that records
 * everything it receives: the key must never reach it, nor a re-posted run.
 */
describe('run client: redirects never carry the key elsewhere', () => {
  let api: ScriptedServer;
  let other: ScriptedServer;
  let logger: RecordingLogger;
  let client: RunClient;

  beforeEach(async () => {
    api = await ScriptedServer.start();
    other = await ScriptedServer.start();
    other.on('POST', /.*/, (ex) => ex.json(200, { data: { id: 'run_other', status: 'completed', output: 'stolen' } }));
    other.on('GET', /.*/, (ex) => ex.json(200, { data: { id: 'run_other', status: 'completed' } }));
    logger = new RecordingLogger();
    client = new RunClient({ baseUrl: api.url, apiKey: KEY, logger });
  });
  afterEach(async () => {
    await api.close();
    await other.close();
  });

  for (const status of [307, 308]) {
    it(`start: a ${status} to another origin fails the run, names the target, and sends nothing there`, async () => {
      api.on('POST', '/v1/run/demo', redirectTo(status, `${other.url}/v1/run/demo?token=abc`));
      const { outcome } = await collect(client.start(request));
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.error?.code, 'redirect_refused');
      assert.equal(outcome.error?.status, status);
      assert.ok(outcome.error?.message.includes(`${other.url}/v1/run/demo`), outcome.error?.message);
      assert.ok(!outcome.error?.message.includes('token=abc'), 'the query is not shown');
      assert.match(outcome.error?.message ?? '', /never followed/);
      assert.equal(other.requests.length, 0, 'nothing reached the other origin');
      assert.equal(api.received('POST', '/v1/run/demo').length, 1, 'the run was posted once');
      assert.ok(!logger.text.includes(KEY));
    });

    it(`status: a ${status} to another origin throws, and the key never reaches it`, async () => {
      api.on('GET', '/v1/run/run_1', redirectTo(status, `${other.url}/v1/run/run_1`));
      await assert.rejects(client.getRun('run_1'), (error: Error & { info?: { code?: string; message: string } }) => {
        assert.equal(error.info?.code, 'redirect_refused');
        assert.ok(error.info?.message.includes(other.url), error.info?.message);
        return true;
      });
      assert.equal(other.requests.length, 0);
    });
  }

  it('an interrupted stream asks for the status; a redirect of that call to another origin is not followed', async () => {
    api.on('POST', '/v1/run/demo', async (ex) => {
      ex.sseHead({ 'X-Run-ID': 'run_cut' });
      await ex.write('event: thinking\ndata: {"content":"hm"}\n\n');
      ex.end();
    });
    api.on('GET', '/v1/run/run_cut', redirectTo(307, `${other.url}/v1/run/run_cut`));
    const { outcome } = await collect(client.start(request));
    assert.equal(outcome.status, 'interrupted');
    assert.match(outcome.error?.hint ?? '', /redirect/);
    assert.equal(other.requests.length, 0);
  });

  it('cancel (a POST) is never re-sent by a redirect, not even on the same origin', async () => {
    api.on('POST', '/v1/run/run_2/cancel', redirectTo(307, '/v1/run/run_2/cancel-here'));
    api.on('POST', '/v1/run/run_2/cancel-here', (ex) => ex.json(200, {}));
    await assert.rejects(client.cancelRun('run_2'), (error: Error & { info?: { code?: string; message: string } }) => {
      assert.equal(error.info?.code, 'redirect_refused');
      assert.match(error.info?.message ?? '', /POST is never re-sent/);
      return true;
    });
    assert.equal(api.received('POST', '/v1/run/run_2/cancel-here').length, 0);
  });

  it('start: a same-origin redirect is not re-posted either', async () => {
    api.on('POST', '/v1/run/demo', redirectTo(308, '/v2/run/demo'));
    const { outcome } = await collect(client.start(request));
    assert.equal(outcome.error?.code, 'redirect_refused');
    assert.equal(api.received('POST', '/v2/run/demo').length, 0);
  });

  it('status and list follow a redirect within the same origin, with the key', async () => {
    api.on('GET', '/v1/run/run_3', redirectTo(301, '/v1/run/run_3/'));
    api.on('GET', '/v1/run/run_3/', (ex) => ex.json(200, { data: { id: 'run_3', status: 'completed', output: 'ok' } }));
    api.on('GET', '/v1/run', redirectTo(302, `${api.url}/v1/runs?limit=1`));
    api.on('GET', '/v1/runs', (ex) => ex.json(200, { data: [{ id: 'run_3', status: 'completed' }] }));
    const snapshot = await client.getRun('run_3');
    assert.equal(snapshot.status, 'completed');
    assert.equal(api.received('GET', '/v1/run/run_3/')[0]?.headers['x-api-key'], KEY);
    assert.equal((await client.listRuns({ limit: 1 })).length, 1);
  });

  it('a redirect loop on the same origin stops after a few hops', async () => {
    api.on('GET', '/v1/run/loop', redirectTo(302, '/v1/run/loop'));
    await assert.rejects(client.getRun('loop'), /too many redirects/);
    assert.ok(api.received('GET', '/v1/run/loop').length <= 5);
  });

  it('a redirect to another scheme on the same host and port is another origin', async () => {
    // The scheme is part of the origin: refused before connecting anywhere.
    api.on('GET', '/v1/run/run_4', redirectTo(307, api.url.replace('http://', 'https://') + '/v1/run/run_4'));
    await assert.rejects(client.getRun('run_4'), /another origin/);
  });
});
