import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { LocalServer } from '../../../src/server';
import { get, post, readSse, start, startRun, waitForRun } from './helpers';

/** Listening sockets of this process, as Node counts them. */
function listeners(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'TCPServerWrap').length;
}

describe('local server: cancel, disconnect and lifetime', () => {
  let server: LocalServer;
  before(async () => {
    server = await start();
  });
  after(() => server.close());

  it('cancel stops a run that never completes: the stream ends and the status is cancelled', async () => {
    const response = await startRun(server, 'x', { scenario: 'never-complete' });
    const id = response.headers.get('x-run-id')!;
    // The run is alive: its first event, then keep-alive comments.
    const alive = await readSse(response, undefined, (read) => read.comments.length >= 3);
    assert.equal(alive.events[0]?.event, 'thinking');

    const second = await startRun(server, 'x', { scenario: 'never-complete' });
    const secondId = second.headers.get('x-run-id')!;
    const reading = readSse(second);
    const cancelAnswer = (await (await post(server, `/v1/run/${secondId}/cancel`, {})).json()) as any;
    const read = await reading;
    assert.equal(read.error, undefined, 'the stream ends cleanly');
    assert.equal(cancelAnswer.data.status, 'cancelled');
    assert.deepEqual(read.events.at(-1)?.data, { status: 'cancelled', output: 'Run cancelled.' });
    const run = (await (await get(server, `/v1/run/${secondId}`)).json()) as any;
    assert.equal(run.data.status, 'cancelled');
    assert.ok(run.data.completedAt);
    // The first run was only left by its reader: it goes on until it is cancelled.
    assert.equal((await waitForRun(server, id, () => true)).status, 'running');
    await post(server, `/v1/run/${id}/cancel`, {});
    assert.equal((await waitForRun(server, id, (r) => r.status !== 'running')).status, 'cancelled');
  });

  it('cancel stops the demo agent mid-build: no dev server, no complete', async () => {
    const response = await startRun(server, 'Build a todo app', { delayScale: 1 });
    const id = response.headers.get('x-run-id')!;
    const read = await readSse(response, async (event) => {
      if (event.event === 'file_edit') await post(server, `/v1/run/${id}/cancel`, {});
    });
    const types = read.events.map((e) => e.event);
    assert.equal(types.includes('dev_url'), false);
    assert.equal(read.events.at(-1)?.data.status, 'cancelled');
    assert.equal(types.filter((t) => t === 'complete').length, 1);
    assert.equal((await waitForRun(server, id, (r) => r.status !== 'running')).status, 'cancelled');
  });

  it('cancelling a final run changes nothing', async () => {
    const done = (await (await post(server, '/v1/run/demo', { message: 'x', params: { scenario: 'demo' } })).json()) as any;
    const again = (await (await post(server, `/v1/run/${done.data.id}/cancel`, {})).json()) as any;
    assert.equal(again.data.status, 'completed');
  });

  it('a client that disconnects leaves its run running: it finishes on its own and its events stay in the thread', async () => {
    const controller = new AbortController();
    const response = await startRun(server, 'Build a todo app', { delayScale: 0.2 }, {}, controller.signal);
    const id = response.headers.get('x-run-id')!;
    const threadId = response.headers.get('x-thread-id')!;
    await readSse(response, (event) => event.event === 'thinking');
    controller.abort();
    const run = await waitForRun(server, id, (r) => r.status !== 'running');
    assert.equal(run.status, 'completed');
    const page = (await (await get(server, `/v1/threads/${threadId}/events?limit=1000`)).json()) as any;
    assert.equal(page.data.events.at(-1).type, 'complete');
    assert.equal(page.data.events.length, run.eventCount);
  });

  it('a client that disconnects from a non-streaming request leaves its run running too', async () => {
    const known = new Set<string>(((await (await get(server, '/v1/run?limit=100')).json()) as any).data.map((run: any) => run.id));
    const controller = new AbortController();
    const pending = post(server, '/v1/run/demo', { message: 'x', stream: false, params: { scenario: 'never-complete' } }, { signal: controller.signal });
    const id = await newRunningRun(server, known);
    controller.abort();
    await assert.rejects(pending);
    // Still running after the server saw the disconnect (a later request on the same server is answered after it).
    await get(server, '/v1/run?limit=1');
    assert.equal((await waitForRun(server, id, () => true)).status, 'running');
    await post(server, `/v1/run/${id}/cancel`, {});
    assert.equal((await waitForRun(server, id, (r) => r.status !== 'running')).status, 'cancelled');
  });

  it('a run that outlives the server\'s lifetime limit is stopped as failed, and says why', async () => {
    const short = await start({ maxRunLifetimeMs: 300 });
    try {
      const response = await startRun(short, 'x', { scenario: 'never-complete' });
      const read = await readSse(response);
      assert.equal(read.events.at(-2)?.data.code, 'run_expired');
      assert.equal(read.events.at(-1)?.data.status, 'failed');
      const run = await waitForRun(short, response.headers.get('x-run-id')!, (r) => r.status !== 'running');
      assert.equal(run.status, 'failed');
      assert.equal(run.error.code, 'run_expired');
    } finally {
      await short.close();
    }
  });
});

/** The id of the first running run not in `known`, once there is one. */
async function newRunningRun(server: LocalServer, known: Set<string>): Promise<string> {
  for (;;) {
    const list = (await (await get(server, '/v1/run?status=running&limit=100')).json()) as any;
    const fresh = list.data.find((run: any) => !known.has(run.id));
    if (fresh) return fresh.id;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('local server: close()', () => {
  it('stops runs, dev servers and the listener, and removes its temp folder', async () => {
    const before = listeners();
    const server = await start();
    const built = (await (await post(server, '/v1/run/demo', { message: 'Build a todo app' })).json()) as any;
    const devUrl: string = built.data.devUrl;
    assert.equal((await fetch(devUrl)).status, 200);
    assert.ok(existsSync(server.tempDir));
    assert.ok(listeners() >= before + 2, 'the API and one dev server listen');

    const endless = await startRun(server, 'x', { scenario: 'never-complete' });
    const reading = readSse(endless);
    await server.close();
    const read = await reading;
    assert.equal(read.events.some((e) => e.event === 'complete' && e.data.status !== 'cancelled'), false);

    assert.equal(existsSync(server.tempDir), false);
    assert.equal(listeners(), before);
    await assert.rejects(fetch(`${server.baseUrl}/v1/run`));
    await assert.rejects(fetch(devUrl));
    await server.close(); // idempotent
  });

  it('a server that failed to listen leaves nothing behind', async () => {
    const first = await start();
    const tempFolders = (): number => readdirSync(tmpdir()).filter((name) => name.startsWith('runtools-local-')).length;
    try {
      const port = Number(new URL(first.baseUrl).port);
      const before = tempFolders();
      await assert.rejects(start({ port }), /EADDRINUSE/);
      assert.equal(tempFolders(), before);
    } finally {
      await first.close();
    }
  });
});
