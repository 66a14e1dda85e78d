import * as assert from 'node:assert/strict';
import { RunClient } from '../../../src/core/run/runClient';
import type { RunEvent } from '../../../src/core/run/events';
import { ScriptedServer } from './scriptedServer';
import { collect } from './helpers';

const slugPath = '/v1/run/my-agent';
const request = { apiSlug: 'my-agent', message: 'Fix the tests', stream: true };

describe('RunClient cancel', () => {
  let server: ScriptedServer;
  let client: RunClient;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    client = new RunClient({ baseUrl: server.url, apiKey: 'rt_test_cancel_key', idleTimeoutMs: 10_000 });
    server.on('POST', /^\/v1\/run\/[^/]+\/cancel$/, (ex) => ex.json(200, { data: { status: 'cancelled' } }));
  });
  afterEach(() => server.close());

  it('before the first byte: stops, and tells the server with the id from the header', async () => {
    server.on('POST', slugPath, (ex) => { ex.sseHead({ 'X-Run-ID': 'run_c1' }); return ex.stall(); });
    const handle = client.start(request);
    await new Promise<string>((resolve) => handle.onRunId(resolve));
    await handle.cancel();
    const { events, outcome } = await collect(handle);
    assert.deepEqual(events, []);
    assert.equal(outcome.status, 'cancelled');
    assert.equal(outcome.error?.kind, 'cancelled');
    assert.equal(outcome.error?.hint, undefined);
    const cancels = server.received('POST', '/v1/run/run_c1/cancel');
    assert.equal(cancels.length, 1);
    assert.equal(cancels[0].headers['x-api-key'], 'rt_test_cancel_key');
  });

  it('before the server answered at all: stops, and says the server could not be told', async () => {
    server.on('POST', slugPath, (ex) => ex.stall());
    const handle = client.start(request);
    await server.waitFor('POST', slugPath);
    await handle.cancel();
    const outcome = await handle.outcome;
    assert.equal(outcome.status, 'cancelled');
    assert.match(outcome.error?.hint ?? '', /could not be told/);
    assert.equal(server.received('POST', /\/cancel$/).length, 0);
  });

  it('mid-stream: delivers what came before, drops what comes after, and tells the server', async () => {
    let cancelSeen!: () => void;
    const cancelled = new Promise<void>((resolve) => (cancelSeen = resolve));
    server.on('POST', '/v1/run/run_c2/cancel', (ex) => { cancelSeen(); ex.json(200, {}); });
    server.on('POST', slugPath, async (ex) => {
      ex.sseHead();
      await ex.write('event: thinking\ndata: {"content":"one","runId":"run_c2"}\n\nevent: thinking\ndata: {"content":"two"}\n\n');
      await cancelled;
      // Too late: the client has stopped reading.
      await ex.write('event: thinking\ndata: {"content":"late"}\n\nevent: complete\ndata: {"output":"late"}\n\n');
      ex.end();
    });
    const handle = client.start(request);
    const events: RunEvent[] = [];
    for await (const event of handle.events) {
      events.push(event);
      if (events.length === 2) await handle.cancel();
    }
    const outcome = await handle.outcome;
    assert.deepEqual(events.map((e) => e.type === 'thinking' && e.content), ['one', 'two']);
    assert.equal(outcome.status, 'cancelled');
    assert.equal(outcome.runId, 'run_c2');
    assert.equal(server.received('POST', '/v1/run/run_c2/cancel').length, 1);
  });

  it('after completion: changes nothing and sends no cancel', async () => {
    server.on('POST', slugPath, (ex) => { ex.sseHead({ 'X-Run-ID': 'run_c3' }); ex.end('event: complete\ndata: {"output":"done"}\n\n'); });
    const handle = client.start(request);
    const { outcome } = await collect(handle);
    await handle.cancel();
    assert.equal(outcome.status, 'completed');
    assert.equal((await handle.outcome).status, 'completed');
    assert.equal(server.received('POST', /\/cancel$/).length, 0);
  });

  it('sends one cancel however often it is asked', async () => {
    server.on('POST', slugPath, (ex) => { ex.sseHead({ 'X-Run-ID': 'run_c4' }); return ex.stall(); });
    const handle = client.start(request);
    await new Promise<string>((resolve) => handle.onRunId(resolve));
    await Promise.all([handle.cancel(), handle.cancel(), handle.cancel()]);
    assert.equal((await handle.outcome).status, 'cancelled');
    assert.equal(server.received('POST', '/v1/run/run_c4/cancel').length, 1);
  });

  it('is still cancelled locally when the server refuses the cancel, and says so', async () => {
    server.on('POST', '/v1/run/run_c5/cancel', (ex) => ex.json(500, { error: { code: 'internal', message: 'Cancel failed' } }));
    server.on('POST', slugPath, (ex) => { ex.sseHead({ 'X-Run-ID': 'run_c5' }); return ex.stall(); });
    const handle = client.start(request);
    await new Promise<string>((resolve) => handle.onRunId(resolve));
    await handle.cancel();
    const outcome = await handle.outcome;
    assert.equal(outcome.status, 'cancelled');
    assert.match(outcome.error?.hint ?? '', /could not be told.*500.*Cancel failed/);
  });

  it('cancels a non-streaming run that is waiting for its answer', async () => {
    server.on('POST', slugPath, (ex) => ex.stall());
    const handle = client.start({ ...request, stream: false });
    await server.waitFor('POST', slugPath);
    await handle.cancel();
    const { events, outcome } = await collect(handle);
    assert.deepEqual(events, []);
    assert.equal(outcome.status, 'cancelled');
  });
});
