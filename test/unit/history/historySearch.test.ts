import * as assert from 'node:assert/strict';
import { groupByChat, queryTerms, searchRuns, type HistoryRun } from '../../../src/core/history/historySearch';

const run = (localId: string, startedAt: number, fields: Partial<HistoryRun> = {}): HistoryRun => ({
  localId, startedAt, prompt: `prompt of ${localId}`, paths: [], status: 'completed', ...fields,
});

const runs: HistoryRun[] = [
  run('r1', 100, { chatId: 'c1', prompt: 'Build a todo app for groceries', output: 'I built a todo app with local storage.', paths: ['todo/index.html', 'todo/app.js'] }),
  run('r2', 200, { chatId: 'c1', prompt: 'Add a dark mode', output: 'Dark mode toggles a CSS class.', paths: ['todo/style.css'] }),
  run('r3', 300, { chatId: 'c2', prompt: 'Explain the failing test', output: 'The test in src/math.test.js expects 3.' }),
  run('r4', 400, { prompt: 'Summarise this function', paths: ['src/math.js'] }),
  // Before chats were recorded: joins its chat by thread.
  run('r5', 50, { threadId: 't9', prompt: 'first of a thread' }),
  run('r6', 500, { chatId: 'c3', threadId: 't9', prompt: 'second of the thread' }),
];

describe('run history: grouped by chat, searched by prompt, output and path', () => {
  it('groups runs by chat id, or thread, the chat with the latest run first, its runs oldest first', () => {
    const chats = groupByChat(runs);
    assert.deepEqual(chats.map((c) => [c.key, c.runs.map((r) => r.localId)]), [
      ['thread:t9', ['r5', 'r6']],
      ['run:r4', ['r4']],
      ['chat:c2', ['r3']],
      ['chat:c1', ['r1', 'r2']],
    ]);
    assert.equal(chats[3]!.title, 'Build a todo app for groceries');
    assert.equal(chats[0]!.lastAt, 500);
  });

  it('an empty query finds every run, newest first', () => {
    assert.deepEqual(searchRuns(runs, '  ').map((m) => m.run.localId), ['r6', 'r4', 'r3', 'r2', 'r1', 'r5']);
  });

  it('finds a word in the prompt, the output or a path, case-insensitively, and says where', () => {
    assert.deepEqual(searchRuns(runs, 'TODO').map((m) => [m.run.localId, m.fields]), [
      ['r2', ['path']],
      ['r1', ['prompt', 'output', 'path']],
    ]);
    const [output] = searchRuns(runs, 'expects');
    assert.equal(output!.run.localId, 'r3');
    assert.deepEqual(output!.fields, ['output']);
    assert.equal(output!.snippet, 'The test in src/math.test.js expects 3.');
    const [path] = searchRuns(runs, 'style.css');
    assert.deepEqual([path!.run.localId, path!.fields, path!.snippet], ['r2', ['path'], 'todo/style.css']);
  });

  it('needs every word, each anywhere; a quoted phrase is one term', () => {
    assert.deepEqual(searchRuns(runs, 'todo storage').map((m) => m.run.localId), ['r1']);
    assert.deepEqual(searchRuns(runs, 'dark app.js').map((m) => m.run.localId), []);
    assert.deepEqual(searchRuns(runs, '"dark mode"').map((m) => m.run.localId), ['r2']);
    assert.deepEqual(searchRuns(runs, '"mode dark"').map((m) => m.run.localId), []);
    assert.deepEqual(queryTerms(' "A b"  c "" d'), ['a b', 'c', 'd']);
  });

  it('cuts a long output snippet around the match', () => {
    const long = run('long', 1, { output: `${'a '.repeat(200)}needle${' b'.repeat(200)}` });
    const [match] = searchRuns([long], 'needle');
    assert.match(match!.snippet!, /^….{30,45}needle.{30,45}…$/);
  });
});
