import * as assert from 'node:assert/strict';
import { fenced, runMarkdown } from '../../../src/core/history/runMarkdown';
import type { LoggedEvent, RunHeader } from '../../../src/core/viewProtocol';

const header: RunHeader = {
  localId: 'l1', prompt: 'Build a todo app\nwith two lines', status: 'completed', startedAt: Date.UTC(2025, 0, 2, 3, 4, 5), endedAt: Date.UTC(2025, 0, 2, 3, 4, 17),
  applyMode: 'auto', folderName: 'sample', serverRunId: 'run_1', threadId: 'thr_1', output: '## Done\n\nThe app is in `todo/`.',
};
const events: LoggedEvent[] = [
  { seq: 0, at: 1, event: { type: 'thinking', content: 'Plan: ' } },
  { seq: 1, at: 2, event: { type: 'thinking', content: 'write files.' } },
  { seq: 2, at: 3, event: { type: 'tool_call', tool: 'bash', input: { command: 'mkdir -p todo' } } },
  { seq: 3, at: 4, event: { type: 'tool_result', output: '', tool: 'bash' } },
  { seq: 4, at: 5, event: { type: 'file_edit', path: '/workspace/todo/index.html', action: 'create', diff: '+<h1>Todo</h1>\n+```\n' } },
  { seq: 5, at: 6, event: { type: 'dev_url', url: 'http://127.0.0.1:5173/' } },
  { seq: 6, at: 7, event: { type: 'tool_result', output: 'x'.repeat(20_000) }, truncated: { field: 'output', fullLength: 50_000 } },
  { seq: 7, at: 8, event: { type: 'complete', output: '## Done' } },
];

describe('a run exported as Markdown', () => {
  const markdown = runMarkdown({ header, events, edits: [{ seq: 4, paths: ['todo/index.html'], added: 2, removed: 0, state: 'applied' }] });

  it('has the prompt, the facts, each step, each diff, the files and the output, in that order', () => {
    const order = ['# Build a todo app', '**Status:** completed', '**Started:** 2025-01-02T03:04:05.000Z', '**Took:** 12.0 s', '**Thread:** `thr_1`',
      '## Prompt', 'with two lines', '## Steps', '**Thinking:** Plan: write files.', '**Tool** `bash`', '"command": "mkdir -p todo"',
      '**File edit** `/workspace/todo/index.html` (create)', '+<h1>Todo</h1>', '**Dev server:** <http://127.0.0.1:5173/>',
      'the output is cut here: 50000 characters in all', '## Files changed', '`todo/index.html`: applied, +2 -0', '## Output', 'The app is in `todo/`.'];
    let at = 0;
    for (const part of order) {
      const found = markdown.indexOf(part, at);
      assert.ok(found >= at, `"${part}" after position ${at}:\n${markdown}`);
      at = found;
    }
  });

  it('fences a diff that holds backticks with a longer fence', () => {
    assert.match(markdown, /  ````diff\n  \+<h1>Todo<\/h1>\n  \+```\n  ````/);
    assert.equal(fenced('a ````` b', 'text'), '``````text\na ````` b\n``````');
  });

  it('cuts long tool output, never the answer', () => {
    assert.match(markdown, /\[\.\.\. 16000 more characters\]/);
    const long = runMarkdown({ header: { ...header, output: 'y'.repeat(30_000) }, events: [], edits: [] });
    assert.ok(long.includes('y'.repeat(30_000)));
  });

  it('keeps markup in the prompt from becoming Markdown in the title', () => {
    const md = runMarkdown({ header: { ...header, prompt: '<img src=x> *bold* [link](x)' }, events: [], edits: [] });
    assert.equal(md.split('\n')[0], '# \\<img src=x\\> \\*bold\\* \\[link\\](x)');
  });

  it('says how a failed run ended', () => {
    const md = runMarkdown({ header: { ...header, status: 'failed', output: undefined, error: { message: 'Deployment not found', code: 'not_found', requestId: 'req_9' } }, events: [], edits: [] });
    assert.match(md, /## Error\n\nDeployment not found \(`not_found`\), request id `req_9`/);
  });
});
