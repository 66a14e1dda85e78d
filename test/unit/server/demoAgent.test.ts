import * as assert from 'node:assert/strict';
import { applyPatch } from 'diff';
import { planSelectionEdit, startLocalServer, type LocalServer } from '../../../src/server';
import { post, readSse, start, startRun, type SseEvent } from './helpers';

function byType(events: SseEvent[], type: string): any[] {
  return events.filter((event) => event.event === type).map((event) => event.data);
}

describe('local server: demo agent builds an app', () => {
  let server: LocalServer;
  let events: SseEvent[];
  before(async () => {
    server = await start();
    events = (await readSse(await startRun(server, 'Build a todo app for groceries'))).events;
  });
  after(() => server.close());

  it('streams thinking in pieces, tool calls paired with results, then dev_url and complete', () => {
    const types = events.map((event) => event.event);
    assert.ok(byType(events, 'thinking').length >= 3);
    assert.equal(types.at(-1), 'complete');
    assert.ok(types.indexOf('dev_url') < types.indexOf('complete'));
    let open = 0;
    for (const type of types) {
      if (type === 'tool_call') open++;
      if (type === 'tool_result') open--;
      assert.ok(open === 0 || open === 1, 'every tool_call is answered before the next one');
    }
    assert.equal(open, 0);
    assert.ok(byType(events, 'tool_call').some((call) => call.tool === 'bash' && typeof call.input.command === 'string'));
    assert.ok(byType(events, 'tool_call').some((call) => call.tool === 'write_file'));
  });

  it('sends one file_edit per file, whose diff recreates the file the dev server serves, byte for byte', async () => {
    const edits = byType(events, 'file_edit');
    const complete = byType(events, 'complete')[0];
    assert.deepEqual(edits.map((edit) => edit.path), complete.files);
    // The app goes in a folder named after it, never on top of the workspace's own files.
    assert.deepEqual(edits.map((edit) => edit.path), ['index.html', 'style.css', 'app.js', 'README.md'].map((f) => `/workspace/todo-app-for-groceries/${f}`));
    for (const edit of edits) {
      assert.equal(edit.action, 'create');
      assert.match(edit.diff, /^--- \/dev\/null\n\+\+\+ b\/workspace\//);
      const content = applyPatch('', edit.diff);
      assert.equal(typeof content, 'string', `${edit.path} applies`);
      const served = await fetch(complete.devUrl + edit.path.slice('/workspace/todo-app-for-groceries/'.length));
      assert.equal(served.status, 200);
      assert.equal(await served.text(), content, edit.path);
    }
  });

  it('reports real tool output from the sandbox', async () => {
    const results = byType(events, 'tool_result');
    const complete = byType(events, 'complete')[0];
    const readme = await (await fetch(`${complete.devUrl}README.md`)).text();
    assert.ok(results.some((result) => result.output === readme), 'cat README.md shows the real file');
    const wc = results.find((result) => /total\n$/.test(result.output));
    const total = Number(/(\d+) total/.exec(wc.output)![1]);
    let bytes = 0;
    for (const file of complete.files) bytes += (await (await fetch(complete.devUrl + file.slice('/workspace/todo-app-for-groceries/'.length))).arrayBuffer()).byteLength;
    assert.equal(total, bytes);
  });

  it('titles the app after the prompt and serves index.html at the dev URL', async () => {
    const devUrl = byType(events, 'dev_url')[0];
    assert.match(devUrl.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(devUrl.url, `http://127.0.0.1:${devUrl.port}/`);
    const page = await fetch(devUrl.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /<title>Todo app for groceries<\/title>/);
    assert.equal((await fetch(`${devUrl.url}../../etc/passwd`)).status, 404);
    assert.equal((await fetch(`${devUrl.url}%2e%2e/%2e%2e/etc/passwd`)).status, 404);
  });

  it('completes with a markdown summary, the files, the dev URL and usage', async () => {
    const complete = byType(events, 'complete')[0];
    assert.equal(complete.devUrl, byType(events, 'dev_url')[0].url);
    assert.match(complete.output, /^## Todo app for groceries/);
    assert.ok(complete.usage.inputTokens > 0 && complete.usage.outputTokens > 0);
  });

  it('is deterministic: the same prompt gives the same events, apart from the dev URL', async () => {
    const again = (await readSse(await startRun(server, 'Build a todo app for groceries'))).events;
    const strip = (list: SseEvent[]): string[] => list.map((event) => event.text.replace(/127\.0\.0\.1:\d+/g, 'HOST').replace(/"port":\d+/g, 'PORT'));
    assert.deepEqual(strip(again), strip(events));
  });

  it('builds a counter app when asked for one', async () => {
    const read = await readSse(await startRun(server, 'Make a counter'));
    const html = applyPatch('', byType(read.events, 'file_edit')[0].diff) as string;
    assert.match(html, /<title>Counter<\/title>/);
    assert.match(html, /id="inc"/);
  });
});

const sampleTs = [
  "import { readFile } from 'node:fs/promises';",
  '',
  'export async function loadConfig(path: string) {',
  "  const text = await readFile(path, 'utf8');",
  '  return JSON.parse(text);',
  '}',
  '',
  'export const version = 1;',
  '',
].join('\n');

function selectionOf(text: string, startLine: number, endLine: number) {
  const linesText = text.split('\n').slice(startLine - 1, endLine).join('\n');
  return { text: linesText, startLine, endLine, linesText };
}

describe('local server: demo agent edits a selection', () => {
  let server: LocalServer;
  before(async () => {
    server = await start();
  });
  after(() => server.close());

  it('sends a file_edit whose hunk applies to the user file at the selected lines', async () => {
    const context = { file: { path: 'src/config.ts', language: 'typescript' }, selection: selectionOf(sampleTs, 3, 6), workspace: 'sample' };
    const read = await readSse(await startRun(server, 'Document this function', {}, { context }));
    assert.equal(read.events.at(-1)?.event, 'complete');
    assert.equal(byType(read.events, 'dev_url').length, 0);
    const [edit] = byType(read.events, 'file_edit');
    assert.equal(edit.path, '/workspace/src/config.ts');
    assert.match(edit.diff, /^--- a\/src\/config\.ts\n\+\+\+ b\/src\/config\.ts\n@@ -3,4 \+3,6 @@\n/);
    const patched = applyPatch(sampleTs, edit.diff);
    assert.equal(typeof patched, 'string');
    const lines = (patched as string).split('\n');
    assert.equal(lines[2], '// Summary: lines 3-6 define `loadConfig` (function, 4 lines).');
    assert.equal(lines[3], '// Request: Document this function');
    assert.deepEqual([...lines.slice(0, 2), ...lines.slice(4)], sampleTs.split('\n'), 'nothing else changes');
    assert.deepEqual(byType(read.events, 'complete')[0].files, ['/workspace/src/config.ts']);
    assert.equal(byType(read.events, 'tool_result')[0].output, `${selectionOf(sampleTs, 3, 6).linesText}\n`);
  });

  it('works through the newer request shape too (context in config)', async () => {
    const context = { file: { path: 'src/config.ts', language: 'typescript' }, selection: selectionOf(sampleTs, 8, 8) };
    const response = await post(server, '/v1/run', { agent: 'demo', prompt: 'Explain', config: { context } });
    const [edit] = byType((await readSse(response)).events, 'file_edit');
    const patched = applyPatch(sampleTs, edit.diff) as string;
    assert.equal(patched.split('\n')[7], '// Summary: line 8 defines `version` (const, 1 line).');
  });

  for (const [language, file, text, expected] of [
    ['python', 'tool.py', 'import os\n\ndef main():\n    print(os.getcwd())\n', '    # Summary: lines 4-4, 1 line of python.'],
    ['html', 'index.html', '<ul>\n  <li>One</li>\n  <li>Two</li>\n</ul>\n', '  <!-- Summary: lines 2-3, 2 lines of html. -->'],
    ['css', 'a.css', 'body {\n  margin: 0;\n}\n', '/* Summary: lines 1-3, 3 lines of css. */'],
    ['sql', 'q.sql', 'select 1;\nselect 2;\n', '-- Summary: lines 2-2, 1 line of sql.'],
    ['plaintext', 'notes.txt', 'alpha\nbeta\n', 'Summary: lines 1-2, 2 lines of plaintext.'],
  ] as const) {
    it(`uses ${language} comment syntax and applies to the file`, () => {
      const all = text.split('\n');
      const start = language === 'python' ? 4 : language === 'html' ? 2 : language === 'sql' ? 2 : 1;
      const end = language === 'html' ? 3 : language === 'css' ? 3 : language === 'plaintext' ? 2 : start;
      const edit = planSelectionEdit({ file: { path: file, language }, selection: selectionOf(text, start, end) }, '');
      const patched = applyPatch(text, edit.diff);
      assert.equal(typeof patched, 'string', edit.diff);
      const lines = (patched as string).split('\n');
      assert.equal(lines[start - 1], expected.replace('lines 4-4', 'line 4').replace('lines 2-2', 'line 2'));
      assert.deepEqual([...lines.slice(0, start - 1), ...lines.slice(start)], all);
    });
  }

  it('keeps CRLF line ends and never lets the text close an HTML comment early', () => {
    const text = '<p>a</p>\r\n<p>b</p>\r\n';
    const edit = planSelectionEdit({ file: { path: 'x.html', language: 'html' }, selection: { linesText: '<p>b</p>', startLine: 2, endLine: 2 } }, 'wrap --> this');
    const patched = applyPatch(text, edit.diff) as string;
    assert.equal(typeof patched, 'string');
    assert.ok(patched.includes('<!-- Request: wrap - - > this -->\r\n<p>b</p>\r\n'), JSON.stringify(patched));
  });
});

describe('local server: demo agent follow-ups', () => {
  it('acknowledges the earlier turns of a chat sent as context.history', async () => {
    const server = await startLocalServer({ open: true, delayScale: 0 });
    try {
      const response = await fetch(`${server.baseUrl}/v1/run/demo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          message: 'Now make it blue', stream: false,
          context: { history: [{ role: 'user', content: 'Build a counter app' }, { role: 'assistant', content: 'Done.' }] },
        }),
      });
      assert.equal(response.status, 200);
      const runId = ((await response.json()) as { data: { id: string } }).data.id;
      const run = (await (await fetch(`${server.baseUrl}/v1/run/${runId}`)).json()) as { data: { status: string } };
      assert.equal(run.data.status, 'completed');
      const stream = await fetch(`${server.baseUrl}/v1/run/demo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ message: 'Now make it blue', stream: true, context: { history: [{ role: 'user', content: 'Build a counter app' }] } }),
      });
      const text = await stream.text();
      assert.match(text, /Continuing the conversation \(1 earlier turn; last request: \\"Build a counter app\\"\)/);
    } finally {
      await server.close();
    }
  });
});
