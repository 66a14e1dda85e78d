import * as assert from 'node:assert/strict';
import { applyPatch, parsePatch } from 'diff';
import { builtInScenarios, type LocalServer } from '../../../src/server';
import { get, readSse, start, startRun, waitForRun, type SseEvent } from './helpers';

function play(server: LocalServer, scenario: string, params: Record<string, unknown> = {}) {
  return startRun(server, 'scripted', { scenario, ...params });
}

const data = (events: SseEvent[]): any[] => events.map((event) => event.data);

describe('local server: scenarios', () => {
  let server: LocalServer;
  before(async () => {
    server = await start();
  });
  after(() => server.close());

  it('ships every scenario the issue asks for', () => {
    for (const name of ['demo', 'slow-drip', 'stream-drop', 'malformed-frames', 'unknown-events', 'huge-tool-output', 'error-then-complete',
      'rate-limited', 'server-error', 'never-complete', 'diff-dialects', 'large-run', 'type-field']) {
      assert.ok(builtInScenarios[name], name);
    }
  });

  // never-complete and ask-question wait (for a cancel, for input) and have their own tests; the HTTP error ones answer before any stream.
  for (const name of Object.keys(builtInScenarios).filter((n) => n !== 'never-complete' && n !== 'ask-question' && !builtInScenarios[n]!.response)) {
    it(`${name}: streams to its end and leaves the run final`, async () => {
      const response = await play(server, name, { events: 50, lines: 10 });
      assert.equal(response.status, 200);
      const id = response.headers.get('x-run-id')!;
      await readSse(response);
      const run = await waitForRun(server, id, (r) => r.status !== 'running');
      assert.ok(['completed', 'failed'].includes(run.status), run.status);
    });
  }

  it('demo: every documented event, and the file_edit recreates the expected file', async () => {
    const { events } = await readSse(await play(server, 'demo'));
    assert.deepEqual([...new Set(events.map((e) => e.event))], ['thinking', 'tool_call', 'tool_result', 'file_edit', 'dev_url', 'complete']);
    const edit = events.find((e) => e.event === 'file_edit')!.data;
    assert.equal(applyPatch('', edit.diff), builtInScenarios.demo!.expectedFiles!['README.md']);
  });

  it('slow-drip: many small thinking pieces that add up to one sentence', async () => {
    const { events } = await readSse(await play(server, 'slow-drip'));
    const pieces = events.filter((e) => e.event === 'thinking').map((e) => e.data.content);
    assert.ok(pieces.length > 10);
    assert.match(pieces.join(''), /^Thinking slowly, one word at a time, .* arrive\. $/);
  });

  it('stream-drop: the socket dies mid-event without complete, and GET shows the run finish later', async () => {
    const response = await play(server, 'stream-drop');
    const id = response.headers.get('x-run-id')!;
    const read = await readSse(response);
    assert.ok(read.error, 'the body ends in a network error, not a clean end');
    assert.ok(read.raw.endsWith('half a fr'));
    assert.equal(read.events.some((e) => e.event === 'complete'), false);
    const run = await waitForRun(server, id, (r) => r.status !== 'running');
    assert.equal(run.status, 'completed');
    assert.equal(run.output, 'Finished after the connection dropped.');
  });

  it('malformed-frames: comments, ids, retry, CRLF, multi-line data, non-JSON and a split frame, then complete', async () => {
    const read = await readSse(await play(server, 'malformed-frames'));
    assert.ok(read.comments.includes('keep-alive'));
    assert.ok(read.retries.includes(3000));
    assert.ok(read.raw.includes('\r\n') && read.raw.includes('thinking\rdata'));
    assert.ok(read.events.some((e) => e.id === '1'));
    const texts = read.events.map((e) => e.text);
    assert.ok(texts.includes('this is not JSON at all'));
    assert.ok(read.events.some((e) => e.data?.content === 'JSON split over two data lines'));
    assert.ok(read.events.some((e) => e.data?.content === 'CRLF line ends'));
    assert.ok(read.events.some((e) => e.data?.content === 'across writes' && e.event === 'thinking'));
    assert.ok(read.events.some((e) => e.event === 'file_edit' && e.data && e.data.diff === undefined));
    assert.deepEqual(read.events.at(-1)?.data, { output: 'Survived malformed frames.', status: 'completed' });
  });

  it('unknown-events: undocumented names with JSON and text data, then complete', async () => {
    const { events } = await readSse(await play(server, 'unknown-events'));
    const names = events.map((e) => e.event);
    for (const name of ['progress', 'usage_update', 'heartbeat', 'sandbox.status', 'message_delta']) assert.ok(names.includes(name), name);
    assert.equal(events.find((e) => e.event === 'heartbeat')!.text, 'plain text, not JSON');
    assert.equal(names.at(-1), 'complete');
  });

  it('huge-tool-output: one tool_result of megabytes, sized by params.lines', async () => {
    const { events } = await readSse(await play(server, 'huge-tool-output'));
    const output: string = events.find((e) => e.event === 'tool_result')!.data.output;
    assert.ok(output.length > 4_000_000, String(output.length));
    assert.equal(output.split('\n').length - 1, 60_000);
    const small = await readSse(await play(server, 'huge-tool-output', { lines: 3 }));
    assert.equal(small.events.find((e) => e.event === 'tool_result')!.data.output.split('\n').length - 1, 3);
  });

  it('error-then-complete: an error event is not the end; the run completes', async () => {
    const response = await play(server, 'error-then-complete');
    const { events } = await readSse(response);
    const names = events.map((e) => e.event);
    assert.ok(names.indexOf('error') < names.indexOf('complete'));
    assert.equal(events.find((e) => e.event === 'error')!.data.code, 'tool_error');
    const run = await waitForRun(server, response.headers.get('x-run-id')!, (r) => r.status !== 'running');
    assert.equal(run.status, 'completed');
    assert.equal(run.error.code, 'tool_error');
  });

  it('run-failed: complete with status failed leaves the run failed', async () => {
    const response = await play(server, 'run-failed');
    await readSse(response);
    const run = await waitForRun(server, response.headers.get('x-run-id')!, (r) => r.status !== 'running');
    assert.equal(run.status, 'failed');
  });

  it('large-run: exactly params.events events (10,000 by default), then complete', async function () {
    this.timeout(120_000);
    const response = await play(server, 'large-run');
    let count = 0;
    let last: SseEvent | undefined;
    await readSse(response, (event) => {
      count++;
      last = event;
    });
    assert.equal(count, 10_001);
    assert.equal(last?.event, 'complete');
    const run = await waitForRun(server, response.headers.get('x-run-id')!, (r) => r.status !== 'running');
    assert.equal(run.eventCount, 10_001);
    const small = await readSse(await play(server, 'large-run', { events: 4 }));
    assert.deepEqual(small.events.map((e) => e.text), [
      '{"content":"Step 1. "}', '{"tool":"bash","input":{"command":"echo 1"}}', '{"tool":"bash","output":"1\\n"}',
      '{"content":"Step 2. "}', '{"status":"completed","output":"Finished a large run."}',
    ]);
  });

  it('type-field: no event: lines; the name is in data.type', async () => {
    const { events, raw } = await readSse(await play(server, 'type-field'));
    assert.equal(raw.includes('event:'), false);
    assert.ok(events.every((e) => e.event === undefined));
    assert.deepEqual(data(events).map((d) => d.type), ['thinking', 'tool_call', 'tool_result', 'file_edit', 'complete']);
  });

  it('diff-dialects: every dialect of docs/protocol.md section 4, and the unified ones apply in order', async () => {
    const { events } = await readSse(await play(server, 'diff-dialects'));
    const edits = events.filter((e) => e.event === 'file_edit').map((e) => e.data);
    assert.equal(edits.length, 8);
    const [plusOnly, plain, git, hunksOnly, multi, envelope, rename, remove] = edits;
    assert.match(plusOnly.diff, /^\+export function greet/);
    assert.equal(plusOnly.action, 'create');
    assert.match(plain.diff, /^--- \/workspace\/src\/greet\.ts\n\+\+\+ \/workspace\/src\/greet\.ts\n@@/);
    assert.match(git.diff, /^diff --git a\/src\/greet\.ts b\/src\/greet\.ts\nindex /);
    assert.match(hunksOnly.diff, /^@@ /);
    assert.match(envelope.diff, /^\*\*\* Begin Patch\n\*\*\* Add File: NOTES\.md\n[^]*\*\*\* Update File: src\/index\.ts\n[^]*\*\*\* End Patch\n$/);
    assert.equal(rename.action, 'rename');
    assert.equal(rename.newPath, '/workspace/docs/NOTES.md');
    assert.match(rename.diff, /rename from NOTES\.md\nrename to docs\/NOTES\.md/);
    assert.equal(remove.action, 'delete');

    let greet = plusOnly.diff.split('\n').filter(Boolean).map((line: string) => `${line.slice(1)}\n`).join('');
    for (const edit of [plain, git, hunksOnly]) greet = applyPatch(greet, edit.diff) as string;
    const parts = parsePatch(multi.diff);
    assert.deepEqual(parts.map((p) => p.newFileName), ['b/src/index.ts', 'b/src/legacy.ts', 'b/src/greet.ts']);
    const legacy = applyPatch('', parts[1]!) as string;
    greet = applyPatch(greet, parts[2]!) as string;
    const expected = builtInScenarios['diff-dialects']!.expectedFiles!;
    assert.equal(greet, expected['src/greet.ts']);
    assert.equal(applyPatch(legacy, remove.diff), '', 'the delete diff removes every line');
    assert.equal(expected['src/legacy.ts'], null);
  });

  it('a scenario runs without streaming too, answering the final run as JSON', async () => {
    const response = await fetch(`${server.baseUrl}/v1/run/demo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': server.apiKey! },
      body: JSON.stringify({ message: 'x', params: { scenario: 'error-then-complete' } }),
    });
    const body = (await response.json()) as any;
    assert.equal(body.data.status, 'completed');
    assert.equal(body.data.output, 'Built after one failed attempt.');
    assert.equal((await get(server, `/v1/run/${body.data.id}`)).status, 200);
  });

  it('accepts extra scenarios through the options, and checks their shape', async () => {
    const custom = await start({ scenarios: { mine: { description: 'one event', frames: [{ event: 'complete', data: { output: 'mine' } }] } } });
    try {
      const { events } = await readSse(await play(custom, 'mine'));
      assert.deepEqual(data(events), [{ output: 'mine' }]);
    } finally {
      await custom.close();
    }
    await assert.rejects(start({ scenarios: { bad: { description: 'x', frames: [{ delay: -1 } as never] } } }), /Scenario 'bad'/);
  });
});
