import * as assert from 'node:assert/strict';
import { normaliseFrame } from '../../../src/core/run/normalise';
import { EventQueue } from '../../../src/core/run/eventQueue';
import { redact, REDACTED } from '../../../src/core/run/redact';

describe('normaliseFrame', () => {
  const cases: [string, { event?: string; data: string }, unknown][] = [
    ['thinking from text data', { event: 'thinking', data: 'raw words' }, { type: 'thinking', content: 'raw words' }],
    ['the name from `type` when `event:` is absent', { data: '{"type":"dev_url","url":"http://x","port":"5173"}' }, { type: 'dev_url', url: 'http://x', port: 5173 }],
    ['the name from `type` under `event: message`', { event: 'message', data: '{"type":"tool_call","tool":"read","input":{"path":"/a"}}' }, { type: 'tool_call', tool: 'read', input: { path: '/a' } }],
    ['a nested data payload', { data: '{"type":"thinking","data":{"content":"nested"}}' }, { type: 'thinking', content: 'nested' }],
    ['tool_result with JSON output kept as JSON text', { event: 'tool_result', data: '{"output":{"exit":0}}' }, { type: 'tool_result', output: '{"exit":0}' }],
    ['file_edit with rename', { event: 'file_edit', data: '{"path":"/a","action":"rename","to":"/b"}' }, { type: 'file_edit', path: '/a', diff: '', action: 'rename', newPath: '/b' }],
    ['file_edit with rename, path as the new name', { event: 'file_edit', data: '{"path":"/b","action":"rename","from":"/a"}' }, { type: 'file_edit', path: '/a', diff: '', action: 'rename', newPath: '/b' }],
    ['file_edit with rename, oldPath', { event: 'file_edit', data: '{"path":"/b","action":"rename","oldPath":"/a"}' }, { type: 'file_edit', path: '/a', diff: '', action: 'rename', newPath: '/b' }],
    ['file_edit with rename, newPath', { event: 'file_edit', data: '{"path":"/a","action":"rename","newPath":"/b"}' }, { type: 'file_edit', path: '/a', diff: '', action: 'rename', newPath: '/b' }],
    ['error with only a code', { event: 'error', data: '{"code":"tool_error"}' }, { type: 'error', message: 'tool_error', code: 'tool_error' }],
    ['error with text data', { event: 'error', data: 'boom' }, { type: 'error', message: 'boom' }],
    ['complete with a failure', { event: 'complete', data: '{"status":"failed","error":{"message":"OOM","code":"oom"}}' }, { type: 'complete', status: 'failed', error: { message: 'OOM', code: 'oom' } }],
    ['an unknown event, raw', { event: 'heartbeat', data: '{"t":1}' }, { type: 'unknown', event: 'heartbeat', data: { t: 1 } }],
    ['a known name missing its essential field', { event: 'tool_call', data: '{"input":{}}' }, { type: 'unknown', event: 'tool_call', data: { input: {} } }],
    ['broken JSON, kept as text', { event: 'status', data: '{"half":' }, { type: 'unknown', event: 'status', data: '{"half":' }],
    ['no name at all', { data: 'hello' }, { type: 'unknown', event: 'message', data: 'hello' }],
  ];
  for (const [name, message, expected] of cases) {
    it(name, () => assert.deepEqual(normaliseFrame(message).event, expected));
  }

  it('picks up run and thread ids from event data', () => {
    const frame = normaliseFrame({ event: 'thinking', data: '{"content":"x","run_id":"run_7","thread_id":"thr_7"}' });
    assert.equal(frame.runId, 'run_7');
    assert.equal(frame.threadId, 'thr_7');
  });
});

describe('EventQueue', () => {
  it('asks the producer to wait once high water is reached by a reader, and frees it as the reader drains', async () => {
    const queue = new EventQueue<number>(4, 100);
    const iterator = queue[Symbol.asyncIterator]();
    for (let i = 0; i < 4; i++) queue.push(i);
    const room = queue.room();
    assert.ok(room, 'should wait at high water');
    let freed = false;
    void room.then(() => (freed = true));
    await iterator.next();
    await iterator.next();
    await iterator.next();
    await Promise.resolve();
    assert.equal(freed, true);
  });

  it('keeps at most maxUnread events while nobody reads, and never blocks then', () => {
    let drops = 0;
    const queue = new EventQueue<number>(4, 10, () => drops++);
    for (let i = 0; i < 50; i++) queue.push(i);
    assert.equal(queue.size, 10);
    assert.equal(queue.droppedCount, 40);
    assert.equal(drops, 1);
    assert.equal(queue.room(), undefined);
  });

  it('drops everything once the reader leaves the loop', async () => {
    const queue = new EventQueue<number>(4, 10);
    queue.push(1);
    for await (const item of queue) { assert.equal(item, 1); break; }
    queue.push(2);
    assert.equal(queue.size, 0);
    assert.equal(queue.room(), undefined);
  });
});

describe('redact', () => {
  it('removes the key, its encoded spellings, and anything shaped like a RunTools key', () => {
    const key = 'rt_live_abc+/=def';
    const text = `k=${key} u=${encodeURIComponent(key)} other=rt_test_ZZZ999 plain`;
    const out = redact(text, [key]);
    assert.equal(out, `k=${REDACTED} u=${REDACTED} other=${REDACTED} plain`);
  });

  it('removes a key that does not look like one', () => {
    assert.equal(redact('token hunter2secret here', ['hunter2secret']), `token ${REDACTED} here`);
  });
});
