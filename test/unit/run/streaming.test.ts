import * as assert from 'node:assert/strict';
import { RunClient } from '../../../src/core/run/runClient';
import { readSse } from '../../../src/core/run/sseReader';
import { normaliseFrame } from '../../../src/core/run/normalise';
import { nullLogger } from '../../../src/core/logger';
import type { RunEvent } from '../../../src/core/run/events';
import { ScriptedServer, type Exchange } from './scriptedServer';
import { collect, splitPoints } from './helpers';
import { sampleEvents, sampleStreamCr, sampleStreamCrlf, sampleStreamLf } from './sampleStream';

const slugPath = '/v1/run/my-agent';
const request = { apiSlug: 'my-agent', message: 'Fix the tests', stream: true };

describe('RunClient streaming', () => {
  let server: ScriptedServer;
  let client: RunClient;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    client = new RunClient({ baseUrl: server.url, apiKey: 'rt_test_streaming_key', idleTimeoutMs: 5000 });
  });
  afterEach(() => server.close());

  function serve(script: (ex: Exchange) => Promise<void> | void) {
    server.on('POST', slugPath, script);
  }

  it('reads every event type from one chunk into typed events and a completed outcome', async () => {
    serve((ex) => { ex.sseHead({ 'X-Run-ID': 'run_1' }); ex.end(sampleStreamLf); });
    const { events, outcome } = await collect(client.start(request));
    assert.deepEqual(events, sampleEvents);
    assert.equal(outcome.status, 'completed');
    assert.equal(outcome.runId, 'run_1');
    assert.equal(outcome.output, 'Done: changed App.tsx');
    assert.equal(outcome.devUrl, 'https://sandbox-xyz.sandboxes.runtools.ai');
    assert.deepEqual(outcome.files, ['/src/App.tsx']);
    assert.deepEqual(outcome.usage, { inputTokens: 1234, outputTokens: 5678 });
    assert.equal(outcome.error, undefined);
  });

  for (const [name, stream] of [['CRLF', sampleStreamCrlf], ['CR', sampleStreamCr]] as const) {
    it(`reads ${name} line ends the same as LF`, async () => {
      serve((ex) => { ex.sseHead(); ex.end(stream); });
      const { events, outcome } = await collect(client.start(request));
      assert.deepEqual(events, sampleEvents);
      assert.equal(outcome.status, 'completed');
    });
  }

  it('reads the stream delivered byte by byte', async () => {
    const bytes = Buffer.from(sampleStreamCrlf);
    serve(async (ex) => {
      ex.sseHead();
      await ex.writeChunks([...bytes].map((b) => Buffer.from([b])));
      ex.end();
    });
    const { events, outcome } = await collect(client.start(request));
    assert.deepEqual(events, sampleEvents);
    assert.equal(outcome.status, 'completed');
  });

  it('reads the stream split in two at every byte offset, over HTTP', async function () {
    this.timeout(120_000);
    const bytes = Buffer.from(sampleStreamLf);
    for (const [first, rest] of splitPoints(bytes)) {
      server.on('POST', slugPath, async (ex) => {
        ex.sseHead();
        await ex.writeChunks([first], 1);
        ex.end(rest);
      });
      const { events, outcome } = await collect(client.start(request));
      assert.deepEqual(events, sampleEvents, `split at ${first.length}`);
      assert.equal(outcome.status, 'completed', `split at ${first.length}`);
    }
  });

  it('decodes every two-chunk split exactly, including inside multi-byte characters (no network)', async () => {
    for (const stream of [sampleStreamLf, sampleStreamCrlf, sampleStreamCr]) {
      const bytes = Buffer.from(stream);
      for (const chunks of splitPoints(bytes)) {
        const events: RunEvent[] = [];
        const result = await readSse(bodyOf(chunks), { onMessage: (m) => events.push(normaliseFrame(m).event), isDone: () => false, logger: nullLogger });
        assert.equal(result, 'ended');
        assert.deepEqual(events, sampleEvents, `split at ${chunks[0].length}`);
      }
    }
  });

  it('keeps a 5 MB event whole', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024 - 7) + 'ünïcode';
    const diff = `+${big}`;
    const frame = `event: file_edit\ndata: ${JSON.stringify({ path: '/src/big.txt', action: 'create', diff })}\n\n`;
    serve(async (ex) => {
      ex.sseHead();
      await ex.write(frame);
      ex.end('event: complete\ndata: {"output":"ok"}\n\n');
    });
    const { events, outcome } = await collect(client.start(request));
    assert.equal(events.length, 2);
    assert.equal(events[0].type, 'file_edit');
    assert.equal(events[0].type === 'file_edit' && events[0].diff, diff);
    assert.equal(outcome.status, 'completed');
    assert.deepEqual(outcome.files, ['/src/big.txt']);
  });

  it('takes the run id from an event when no header names it, and tells onRunId listeners', async () => {
    serve((ex) => {
      ex.sseHead();
      ex.end('event: thinking\ndata: {"content":"hi","runId":"run_from_event","threadId":"thr_9"}\n\nevent: complete\ndata: {"runId":"run_other"}\n\n');
    });
    const handle = client.start(request);
    const told: string[] = [];
    handle.onRunId((id) => told.push(id));
    const { outcome } = await collect(handle);
    assert.deepEqual(told, ['run_from_event']);
    assert.equal(handle.runId, 'run_from_event');
    assert.equal(outcome.runId, 'run_from_event');
    assert.equal(outcome.threadId, 'thr_9');
  });

  it('stops at complete and drops anything after it', async () => {
    serve((ex) => {
      ex.sseHead();
      ex.end('event: complete\ndata: {"output":"first"}\n\nevent: thinking\ndata: {"content":"late"}\n\nevent: complete\ndata: {"output":"second"}\n\n');
    });
    const { events, outcome } = await collect(client.start(request));
    assert.deepEqual(events, [{ type: 'complete', output: 'first' }]);
    assert.equal(outcome.output, 'first');
  });

  it('treats error events as not terminal', async () => {
    serve((ex) => {
      ex.sseHead();
      ex.end('event: error\ndata: {"message":"tool broke","code":"tool_error"}\n\nevent: thinking\ndata: {"content":"retrying"}\n\nevent: complete\ndata: {"output":"fine"}\n\n');
    });
    const { events, outcome } = await collect(client.start(request));
    assert.deepEqual(events.map((e) => e.type), ['error', 'thinking', 'complete']);
    assert.equal(outcome.status, 'completed');
  });

  for (const [status, expected] of [['failed', 'failed'], ['error', 'failed'], ['cancelled', 'cancelled'], ['canceled', 'cancelled'], ['completed', 'completed']] as const) {
    it(`maps complete.status '${status}' to ${expected}`, async () => {
      serve((ex) => {
        ex.sseHead();
        ex.end(`event: error\ndata: {"message":"build failed","code":"tool_error"}\n\nevent: complete\ndata: {"status":"${status}"}\n\n`);
      });
      const { outcome } = await collect(client.start(request));
      assert.equal(outcome.status, expected);
      if (expected === 'failed') {
        assert.equal(outcome.error?.kind, 'agent');
        assert.match(outcome.error?.message ?? '', /build failed/);
        assert.equal(outcome.error?.code, 'tool_error');
      } else if (expected === 'cancelled') {
        assert.equal(outcome.error?.kind, 'cancelled');
      } else {
        assert.equal(outcome.error, undefined);
      }
    });
  }

  it('reads a JSON answer to a streaming request as a non-streaming answer', async () => {
    serve((ex) => ex.json(200, { data: { id: 'run_j', status: 'completed', output: 'as JSON' } }));
    const { events, outcome } = await collect(client.start(request));
    assert.deepEqual(events, []);
    assert.equal(outcome.status, 'completed');
    assert.equal(outcome.output, 'as JSON');
    assert.equal(outcome.runId, 'run_j');
  });

  it('slows the server down while the consumer does not read, and keeps memory bounded', async function () {
    this.timeout(60_000);
    const frame = Buffer.from(`event: tool_result\ndata: ${JSON.stringify({ tool: 'bash', output: 'y'.repeat(4000) })}\n\n`);
    const total = 20_000; // about 80 MB if nothing pushed back
    let written = 0;
    let finished = false;
    serve(async (ex) => {
      ex.sseHead();
      for (; written < total; written++) await ex.write(frame);
      finished = true;
      ex.end('event: complete\ndata: {}\n\n');
    });
    const handle = client.start(request);
    const iterator = handle.events[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).done, false);
    // The consumer stops reading; give the server ample time to push everything it could.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const writtenWhilePaused = written;
    assert.equal(finished, false, 'the server should be held back by the unread events');
    assert.ok(writtenWhilePaused < total / 4, `server wrote ${writtenWhilePaused} of ${total} events while the consumer paused`);
    let count = 1;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) count++;
    const outcome = await handle.outcome;
    assert.equal(outcome.status, 'completed');
    assert.equal(count, total + 1);
  });

  it('does not stall a caller that only awaits the outcome', async () => {
    const frame = 'event: thinking\ndata: {"content":"..."}\n\n';
    serve((ex) => { ex.sseHead(); ex.end(frame.repeat(5000) + 'event: complete\ndata: {"output":"end"}\n\n'); });
    const noisy = new RunClient({ baseUrl: server.url, maxBufferedEvents: 100 });
    const outcome = await noisy.start(request).outcome;
    assert.equal(outcome.status, 'completed');
    assert.equal(outcome.output, 'end');
  });

  it('can be iterated once only', async () => {
    serve((ex) => { ex.sseHead(); ex.end(sampleStreamLf); });
    const handle = client.start(request);
    const { events } = await collect(handle);
    assert.equal(events.length, sampleEvents.length);
    assert.throws(() => handle.events[Symbol.asyncIterator](), /only once/);
  });
});

function bodyOf(chunks: Buffer[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new Uint8Array(chunk));
      controller.close();
    },
  });
}
