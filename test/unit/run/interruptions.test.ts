import * as assert from 'node:assert/strict';
import { RunClient } from '../../../src/core/run/runClient';
import { ScriptedServer, pause } from './scriptedServer';
import { collect, dispatchedCount } from './helpers';
import { sampleEvents, sampleStreamCrlf, sampleStreamLf } from './sampleStream';

const slugPath = '/v1/run/my-agent';
const request = { apiSlug: 'my-agent', message: 'Fix the tests', stream: true };

describe('RunClient interrupted streams', () => {
  let server: ScriptedServer;
  let client: RunClient;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    // The sample asks for `retry: 3000`; these cuts are many, and waiting is not what they test.
    client = new RunClient({ baseUrl: server.url, apiKey: 'rt_test_interrupt_key', idleTimeoutMs: 300, reconnect: { maxDelayMs: 1 } });
  });
  afterEach(() => server.close());

  for (const [name, stream, lineEnd] of [['LF', sampleStreamLf, '\n'], ['CRLF', sampleStreamCrlf, '\r\n']] as const) {
    it(`ends as interrupted, with one status follow-up, when the ${name} stream is cut at any byte offset`, async function () {
      this.timeout(120_000);
      const bytes = Buffer.from(stream);
      server.on('GET', /^\/v1\/run\/run_cut_\d+$/, (ex) => ex.json(200, { data: { id: ex.request.url.split('/').pop(), status: 'running' } }));
      for (let cut = 0; cut <= bytes.length; cut++) {
        const runId = `run_cut_${cut}`;
        server.on('POST', slugPath, (ex) => {
          ex.sseHead({ 'X-Run-ID': runId });
          ex.end(bytes.subarray(0, cut));
        });
        const { events, outcome } = await collect(client.start(request));
        const dispatched = dispatchedCount(bytes.subarray(0, cut), lineEnd);
        assert.deepEqual(events, sampleEvents.slice(0, dispatched), `cut at ${cut}`);
        if (dispatched === sampleEvents.length) {
          assert.equal(outcome.status, 'completed');
          assert.equal(server.received('GET', `/v1/run/${runId}`).length, 0);
        } else {
          assert.equal(outcome.status, 'interrupted', `cut at ${cut}`);
          assert.equal(outcome.error?.kind, 'protocol');
          assert.match(outcome.error?.message ?? '', /ended before the run finished/);
          assert.match(outcome.error?.hint ?? '', new RegExp(`'running'.*${runId}`));
          assert.equal(server.received('GET', `/v1/run/${runId}`).length, 1, `one follow-up at cut ${cut}`);
        }
      }
    });
  }

  it('ends as interrupted (network) when the connection is reset mid-stream at any event boundary and inside events', async function () {
    this.timeout(120_000);
    const bytes = Buffer.from(sampleStreamLf);
    server.on('GET', /^\/v1\/run\//, (ex) => ex.json(200, { status: 'running' }));
    for (let cut = 1; cut < bytes.length; cut += 13) {
      server.on('POST', slugPath, async (ex) => {
        ex.sseHead({ 'X-Run-ID': 'run_reset' });
        await ex.write(bytes.subarray(0, cut));
        await pause(5);
        ex.reset();
      });
      const { events, outcome } = await collect(client.start(request));
      assert.deepEqual(events, sampleEvents.slice(0, dispatchedCount(bytes.subarray(0, cut), '\n')), `reset at ${cut}`);
      assert.equal(outcome.status, 'interrupted', `reset at ${cut}`);
      assert.equal(outcome.error?.kind, 'network');
      assert.match(outcome.error?.message ?? '', /broke off/);
    }
  });

  it('a server without resumption: interrupted, with the final status fetched and the missing steps named as unknown', async () => {
    server.on('POST', slugPath, (ex) => { ex.sseHead({ 'X-Run-ID': 'run_done' }); ex.end('event: thinking\ndata: {"content":"almost"}\n\n'); });
    server.on('GET', '/v1/run/run_done', (ex) => ex.json(200, { data: { id: 'run_done', status: 'completed', output: 'Finished anyway', files: ['/a.ts'] } }));
    const { events, outcome } = await collect(client.start(request));
    assert.equal(events.length, 1);
    assert.equal(outcome.status, 'interrupted');
    assert.equal(outcome.serverStatus, 'completed');
    assert.match(outcome.error?.hint ?? '', /'completed', but what it did after event 1 is unknown/);
    assert.equal(outcome.output, 'Finished anyway');
    assert.deepEqual(outcome.files, ['/a.ts']);
  });

  it('says so when the follow-up fails as well', async () => {
    server.on('POST', slugPath, (ex) => { ex.sseHead({ 'X-Run-ID': 'run_gone' }); ex.end(); });
    server.on('GET', '/v1/run/run_gone', (ex) => ex.json(404, { error: { code: 'not_found', message: 'Run not found' } }));
    const { outcome } = await collect(client.start(request));
    assert.equal(outcome.status, 'interrupted');
    assert.match(outcome.error?.hint ?? '', /status failed too.*404.*run_gone/);
  });

  it('does not ask for the status when no run id is known', async () => {
    server.on('POST', slugPath, (ex) => { ex.sseHead(); ex.end('event: thinking\ndata: {"content":"..."}\n\n'); });
    const { outcome } = await collect(client.start(request));
    assert.equal(outcome.status, 'interrupted');
    assert.equal(outcome.runId, undefined);
    assert.match(outcome.error?.hint ?? '', /No run id/);
    assert.equal(server.received('GET', /^\/v1\/run/).length, 0);
  });

  it('ends as interrupted with a timeout when the server stops sending', async () => {
    server.on('POST', slugPath, async (ex) => {
      ex.sseHead({ 'X-Run-ID': 'run_quiet' });
      await ex.write('event: thinking\ndata: {"content":"thinking hard"}\n\n');
      await ex.stall();
    });
    const { events, outcome } = await collect(client.start(request));
    assert.deepEqual(events, [{ type: 'thinking', content: 'thinking hard' }]);
    assert.equal(outcome.status, 'interrupted');
    assert.equal(outcome.error?.kind, 'timeout');
    assert.match(outcome.error?.message ?? '', /No data from the server for 300 ms/);
    assert.match(outcome.error?.hint ?? '', /run_quiet/);
  });

  it('times out when the server never sends its headers', async () => {
    server.on('POST', slugPath, (ex) => ex.stall());
    const { outcome } = await collect(client.start(request));
    assert.equal(outcome.status, 'interrupted');
    assert.equal(outcome.error?.kind, 'timeout');
  });

  it('does not mistake a slow consumer for a silent server', async function () {
    this.timeout(20_000);
    const frame = 'event: thinking\ndata: {"content":"step"}\n\n';
    server.on('POST', slugPath, (ex) => { ex.sseHead(); ex.end(frame.repeat(3000) + 'event: complete\ndata: {"output":"ok"}\n\n'); });
    const handle = client.start(request);
    const iterator = handle.events[Symbol.asyncIterator]();
    await iterator.next();
    await pause(1000); // over three idle timeouts without reading
    let count = 1;
    while (!(await iterator.next()).done) count++;
    const outcome = await handle.outcome;
    assert.equal(outcome.status, 'completed');
    assert.equal(count, 3001);
  });
});
