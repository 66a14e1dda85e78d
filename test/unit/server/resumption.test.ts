import * as assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { LocalServer } from '../../../src/server';
import { get, post, readSse, start, startRun, testKey, waitForRun } from './helpers';

/** Opens the run-stream socket; resolves once open, or with the refused handshake's status. */
function openSocket(server: LocalServer, slug: string, runId: string, headers: Record<string, string> = {}): Promise<{ socket?: WebSocket; status?: number; messages: any[]; closed: Promise<void> }> {
  const messages: any[] = [];
  const socket = new WebSocket(`${server.baseUrl.replace('http', 'ws')}/v1/run/${slug}/stream/${runId}`, { headers: { 'X-API-Key': testKey, ...headers } });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  return new Promise((resolve) => {
    socket.on('open', () => resolve({ socket, messages, closed }));
    socket.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode, messages, closed: Promise.resolve() });
      socket.terminate();
    });
    socket.on('error', () => resolve({ messages, closed: Promise.resolve() }));
  });
}

async function events(server: LocalServer, threadId: string, query = '', headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(`${server.baseUrl}/v1/threads/${threadId}/events${query}`, { headers: { 'X-API-Key': testKey, ...headers } });
  return { status: response.status, body: (await response.json()) as any };
}

describe('local server: following a run again', () => {
  let server: LocalServer;
  before(async () => {
    server = await start();
  });
  after(() => server.close());

  it('numbers every SSE event with an id: line and advertises retry: once', async () => {
    const response = await startRun(server, 'Build a todo app');
    const read = await readSse(response);
    assert.deepEqual(read.events.map((e) => e.id), read.events.map((_, i) => String(i + 1)));
    assert.deepEqual(read.retries, [1000]);
  });

  it('thread events: every event in sequence order, paged by cursor, the same as the stream', async () => {
    const response = await startRun(server, 'Build a todo app');
    const threadId = response.headers.get('x-thread-id')!;
    const streamed = (await readSse(response)).events;
    const paged: any[] = [];
    let cursor = '';
    for (let pages = 0; ; pages++) {
      const { status, body } = await events(server, threadId, `?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(status, 200);
      assert.equal(body.data.thread.id, threadId);
      paged.push(...body.data.events);
      assert.ok(typeof body.nextCursor === 'string');
      cursor = body.nextCursor;
      if (!body.hasMore) break;
      assert.ok(pages < 100);
    }
    assert.deepEqual(paged.map((e) => e.sequence), streamed.map((_, i) => i + 1));
    assert.deepEqual(paged.map((e) => [e.type, e.payload]), streamed.map((e) => [e.event, e.data]));
    assert.ok(paged.every((e) => e.runId === response.headers.get('x-run-id') && e.threadId === threadId && e.createdAt));
    // Polling from the end: nothing new, the same cursor back.
    const end = await events(server, threadId, `?cursor=${cursor}`);
    assert.deepEqual(end.body.data.events, []);
    assert.equal(end.body.nextCursor, cursor);
  });

  it('thread events start after Last-Event-ID when no cursor is given', async () => {
    const response = await startRun(server, 'Build a todo app');
    const threadId = response.headers.get('x-thread-id')!;
    const streamed = (await readSse(response)).events;
    const { body } = await events(server, threadId, '?limit=1000', { 'Last-Event-ID': '5' });
    assert.equal(body.data.events[0].sequence, 6);
    assert.equal(body.data.events.length, streamed.length - 5);
  });

  it('a newer-shape run continues its thread: one sequence across both runs', async () => {
    const first = await post(server, '/v1/run', { agent: 'demo', prompt: 'Build a counter' });
    const threadId = first.headers.get('x-thread-id')!;
    const firstCount = (await readSse(first)).events.length;
    const second = await post(server, '/v1/run', { agent: 'demo', prompt: 'Build a todo app', threadId });
    const secondEvents = (await readSse(second)).events;
    assert.equal(secondEvents[0]!.id, String(firstCount + 1));
    const { body } = await events(server, threadId, '?limit=1000');
    assert.equal(body.data.events.length, firstCount + secondEvents.length);
    assert.deepEqual(body.data.thread.runIds, [first.headers.get('x-run-id'), second.headers.get('x-run-id')]);
  });

  it('thread events refuse a foreign cursor, a bad limit and an unknown thread', async () => {
    const response = await startRun(server, 'x', { scenario: 'demo' });
    const threadId = response.headers.get('x-thread-id')!;
    await readSse(response);
    assert.equal((await events(server, threadId, '?cursor=bogus')).status, 400);
    assert.equal((await events(server, threadId, '?limit=0')).status, 400);
    assert.equal((await events(server, 'thr_nope')).status, 404);
    assert.equal((await fetch(`${server.baseUrl}/v1/threads/${threadId}/events`)).status, 401);
  });

  it('the socket replays after Last-Event-ID, then follows live, and closes after complete', async () => {
    const response = await startRun(server, 'Build a todo app', { delayScale: 0.2 });
    const runId = response.headers.get('x-run-id')!;
    const firstFive = (await readSse(response, (_, read) => read.events.length >= 5)).events;
    const { socket, messages, closed } = await openSocket(server, 'demo', runId, { 'Last-Event-ID': firstFive.at(-1)!.id! });
    assert.ok(socket);
    await closed;
    assert.equal(messages[0].sequence, 6);
    assert.deepEqual(messages.map((m) => m.sequence), messages.map((_, i) => i + 6));
    assert.equal(messages.at(-1).type, 'complete');
    const run = await waitForRun(server, runId, (r) => r.status !== 'running');
    assert.equal(messages.length + 5, run.eventCount);
  });

  it('the socket checks the key, the slug and the run', async () => {
    const response = await startRun(server, 'x', { scenario: 'demo' });
    const runId = response.headers.get('x-run-id')!;
    await readSse(response);
    assert.equal((await openSocket(server, 'demo', runId, { 'X-API-Key': 'rt_test_wrong' })).status, 401);
    assert.equal((await openSocket(server, 'other', runId)).status, 404);
    assert.equal((await openSocket(server, 'demo', 'run_nope')).status, 404);
  });

  it('socket commands: pause holds the agent, resume lets it go on, unknown actions are refused', async () => {
    const response = await startRun(server, 'Build a todo app', { delayScale: 0.2 });
    const runId = response.headers.get('x-run-id')!;
    const reading = readSse(response);
    const { socket, messages, closed } = await openSocket(server, 'demo', runId);
    socket!.send(JSON.stringify({ action: 'pause' }));
    const paused = await waitForRun(server, runId, (r) => r.paused === true);
    const countWhilePaused = paused.eventCount;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await waitForRun(server, runId, () => true)).eventCount, countWhilePaused, 'no events while paused');
    socket!.send(JSON.stringify({ action: 'dance' }));
    socket!.send('not json');
    socket!.send(JSON.stringify({ action: 'resume' }));
    await reading;
    await closed;
    const controls = messages.filter((m) => m.type === 'control');
    assert.deepEqual(controls.map((m) => [m.action, m.ok]), [['pause', true], ['dance', false], [undefined, false], ['resume', true]]);
    assert.equal((await waitForRun(server, runId, (r) => r.status !== 'running')).status, 'completed');
  });

  it('ask-question: says input_required, waits, takes the input command, then completes with the answer', async () => {
    const response = await startRun(server, 'x', { scenario: 'ask-question' });
    const runId = response.headers.get('x-run-id')!;
    const read = readSse(response);
    const { socket, messages, closed } = await openSocket(server, 'demo', runId);
    const run = await waitForRun(server, runId, (r) => r.waitingForInput !== undefined);
    assert.match(run.waitingForInput.question, /localStorage or in a JSON file/);
    socket!.send(JSON.stringify({ action: 'input', text: 'localStorage' }));
    const { events: streamed } = await read;
    await closed;
    assert.deepEqual(streamed.map((e) => e.event), ['thinking', 'input_required', 'input_received', 'thinking', 'file_edit', 'complete']);
    assert.equal(streamed[2]!.data.text, 'localStorage');
    assert.equal(streamed.at(-1)!.data.output, 'Stored the decision: localStorage');
    assert.deepEqual(messages.find((m) => m.type === 'control'), { type: 'control', action: 'input', ok: true, status: 'running', paused: false });
    socket?.terminate();
  });

  it('cancel on the socket ends the run as cancelled', async () => {
    const response = await startRun(server, 'x', { scenario: 'never-complete' });
    const runId = response.headers.get('x-run-id')!;
    const reading = readSse(response);
    const { socket, closed } = await openSocket(server, 'demo', runId);
    socket!.send(JSON.stringify({ action: 'cancel' }));
    await closed;
    assert.equal((await reading).events.at(-1)?.data.status, 'cancelled');
    assert.equal((await waitForRun(server, runId, (r) => r.status !== 'running')).status, 'cancelled');
  });

  it('dropEvery cuts each connection after N events; dropMidEvent cuts inside the next one', async () => {
    const cut = await readSse(await startRun(server, 'Build a todo app', { dropEvery: 4 }));
    assert.equal(cut.events.length, 4);
    assert.ok(cut.error, 'a network error, not a clean end');
    const mid = await readSse(await startRun(server, 'Build a todo app', { dropEvery: 4, dropMidEvent: true }));
    assert.equal(mid.events.length, 4);
    assert.ok(!mid.raw.endsWith('\n\n') && mid.raw.length > cut.raw.length, 'ends inside an event');
  });

  it('stallEvery holds the connection silent while the run goes on', async () => {
    const response = await startRun(server, 'Build a todo app', { stallEvery: 3, stallMs: 60_000 });
    const runId = response.headers.get('x-run-id')!;
    const read = await readSse(response, undefined, (r) => r.events.length >= 3);
    assert.equal(read.events.length, 3);
    const run = await waitForRun(server, runId, (r) => r.status !== 'running');
    assert.equal(run.status, 'completed');
    assert.ok(run.eventCount > 3);
  });

  it('thread events and the socket can place paging under meta, or be switched off', async () => {
    const metaServer = await start({ resumption: { paging: 'meta' } });
    const bare = await start({ resumption: { eventIds: false, threadEvents: false, runStream: false } });
    try {
      const response = await startRun(metaServer, 'x', { scenario: 'demo' });
      await readSse(response);
      const { body } = await events(metaServer, response.headers.get('x-thread-id')!, '?limit=2');
      assert.equal(body.hasMore, undefined);
      assert.equal(body.meta.hasMore, true);
      assert.equal(typeof body.meta.nextCursor, 'string');

      const plain = await startRun(bare, 'x', { scenario: 'demo' });
      const read = await readSse(plain);
      assert.ok(read.events.every((e) => e.id === undefined));
      assert.deepEqual(read.retries, []);
      assert.equal((await events(bare, plain.headers.get('x-thread-id')!)).status, 404);
      assert.equal((await openSocket(bare, 'demo', plain.headers.get('x-run-id')!)).status, 404);
      assert.equal((await get(bare, `/v1/run/${plain.headers.get('x-run-id')}`)).status, 200);
    } finally {
      await metaServer.close();
      await bare.close();
    }
  });

  it('keeps its memory bounded: the oldest events go first, and asking for them says so (410)', async () => {
    const small = await start({ maxLoggedBytes: 20_000 });
    try {
      const response = await startRun(small, 'x', { scenario: 'large-run', events: 2000 });
      const threadId = response.headers.get('x-thread-id')!;
      await readSse(response);
      const fromStart = await events(small, threadId);
      assert.equal(fromStart.status, 410);
      assert.equal(fromStart.body.error.code, 'events_expired');
      const tail = await events(small, threadId, '', { 'Last-Event-ID': '1990' });
      assert.equal(tail.status, 200);
      assert.equal(tail.body.data.events.at(-1).type, 'complete');
    } finally {
      await small.close();
    }
  });
});
