/**
 * The webview bundle in the browser harness (harness/harness.ts): the composer, a whole run with
 * every kind of event, hostile HTML, a 10,000-event run, keyboard use of the blocks.
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { EditView, HostMessage, LoggedEvent } from '../../src/core/viewProtocol';
import {
  LOCAL_ID, NONCE, STARTED_AT, Stamper, diff, host, posted, runView, settled, shot, snapshot, takePosted, testid, useHarness,
} from './harness/harness';

const HOSTILE_OUTPUT = [
  '# Todo app ready',
  '',
  'Run it with `npm run dev`, then open [the app](http://localhost:5173/).',
  '',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '',
  '[click me](javascript:window.__pwned=\'link\')',
  '',
  '<script>window.__pwned = "script"</script>',
  '',
  '| file | change |',
  '|------|--------|',
  '| src/App.tsx | new |',
  '',
  '```ts',
  'export const answer = 42;',
  '```',
].join('\n');

describe('webview bundle in a browser harness (e2e)', function () {
  const harness = useHarness();
  const stamps = new Stamper();
  let page: Page;
  const open = harness.open;

  it('explains the API key when there is none, and its buttons run the commands', async () => {
    page = await open('dark');
    await host(page, { type: 'reset', snapshot: snapshot({ auth: 'none' }) });
    await page.locator(testid('set-api-key')).waitFor();
    await page.locator(testid('set-api-key')).click();
    await page.locator(testid('try-local-server')).click();
    assert.deepEqual(await takePosted(page), [
      { type: 'runCommand', command: 'runtools.setApiKey' },
      { type: 'runCommand', command: 'runtools.tryLocalServer' },
    ]);
    assert.match(await page.locator(testid('composer-target')).innerText(), /api\.runtools\.ai · agent app-builder · folder sample-workspace/);
    await shot(page, 'webview-no-key-dark');

    await host(page, { type: 'reset', snapshot: snapshot({ auth: 'secret' }) });
    await page.locator(testid('empty-hint')).waitFor();
    assert.equal(await page.locator(testid('set-api-key')).count(), 0);
  });

  it('sends prompts from the composer with the keyboard, and keeps the draft across a reload', async () => {
    page = await open('dark');
    await host(page, { type: 'reset', snapshot: snapshot() });
    const input = page.locator(testid('composer-input'));
    await input.waitFor();
    assert.equal(await page.locator(testid('composer-send')).isDisabled(), true, 'Send is enabled with nothing to send');

    await input.focus();
    await page.keyboard.type('Add a dark mode');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('to the settings page');
    assert.equal(await input.inputValue(), 'Add a dark mode\nto the settings page');
    await page.keyboard.press('Enter');
    assert.deepEqual(await takePosted(page), [{ type: 'submitPrompt', text: 'Add a dark mode\nto the settings page' }]);
    assert.equal(await input.inputValue(), '');

    // Send by button, reached with Tab.
    await input.focus();
    await page.keyboard.type('Second prompt');
    await page.keyboard.press('Tab');
    const focused = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? document.activeElement?.textContent);
    for (let step = 0; step < 4 && (await focused()) !== 'composer-send'; step++) await page.keyboard.press('Tab');
    assert.equal(await focused(), 'composer-send');
    await page.keyboard.press('Enter');
    assert.deepEqual(await takePosted(page), [{ type: 'submitPrompt', text: 'Second prompt' }]);

    // New chat.
    await page.locator(testid('new-chat')).click();
    assert.deepEqual(await takePosted(page), [{ type: 'newChat' }]);

    // A draft survives the view being hidden and shown (the page reloaded, state restored).
    await input.fill('half-written idea');
    await page.waitForTimeout(400); // the state is saved on a short debounce
    await page.reload();
    await host(page, { type: 'reset', snapshot: snapshot() });
    await page.locator(testid('composer-input')).waitFor();
    assert.equal(await page.locator(testid('composer-input')).inputValue(), 'half-written idea');
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`renders a whole run: every event type, edit states and actions, sanitised output (${theme})`, async () => {
      page = await open(theme);
      stamps.reset();
      await host(page, { type: 'reset', snapshot: snapshot() });
      await host(page,
        { type: 'runStarted', run: runView({ selection: { path: 'src/App.tsx', startLine: 3, endLine: 9 } }) },
        { type: 'busy', busy: true },
      );
      await settled(page);
      const run = page.locator(testid('run'));
      assert.equal(await run.getAttribute('data-status'), 'starting');
      assert.equal(await page.locator(testid('run-status')).innerText(), 'Starting…');
      assert.match(await run.locator('.prompt-selection').innerText(), /^src\/App\.tsx:3-9$/);
      assert.equal(await page.locator(testid('composer-send')).isVisible(), false);
      await page.locator(testid('composer-cancel')).click();
      assert.deepEqual(await takePosted(page), [{ type: 'cancelRun', localId: LOCAL_ID }]);

      const longOutput = Array.from({ length: 120 }, (_, index) => `test ${index} passed`).join('\n');
      const batch1 = stamps.stamp([
        { type: 'thinking', content: 'Let me look at the project layout.\n' },
        { type: 'thinking', content: 'There is a package.json; ' },
        { type: 'thinking', content: 'I will scaffold a Vite app.' },
        { type: 'tool_call', tool: 'bash', input: { command: 'ls -la && cat package.json' } },
        { type: 'tool_call', tool: 'read_file', input: { path: 'src/App.tsx' } },
        { type: 'tool_result', output: 'export default function App() {}' },
        { type: 'tool_result', output: longOutput },
      ]);
      await host(page, { type: 'runUpdated', localId: LOCAL_ID, header: { status: 'running', serverRunId: 'srv-42' } }, { type: 'events', localId: LOCAL_ID, events: batch1 });
      const batch2 = stamps.stamp([
        { type: 'tool_call', tool: 'bash', input: { command: 'npm install' } },
        { type: 'thinking', content: 'Installing.' },
        { type: 'tool_result', output: 'added 1 package… (cut)' },
      ]);
      batch2[2].truncated = { field: 'output', fullLength: 25_000 };
      const cutSeq = batch2[2].seq;
      const edits: [string, EditView['state'], string?][] = [
        ['src/App.tsx', 'applied'],
        ['src/main.tsx', 'pending'],
        ['README.md', 'conflict', 'hunk 1 does not match line 12'],
        ['../etc/passwd', 'refused', 'path outside the workspace'],
        ['src/broken.ts', 'unreadable', 'not a diff in any known dialect'],
        ['src/old.ts', 'rejected'],
        ['src/undone.ts', 'reverted'],
        ['src/shown.ts', 'shown'],
      ];
      const editEvents = stamps.stamp(edits.map(([file]) => ({ type: 'file_edit', path: `/workspace/${file}`, diff: diff(file, 3, 1), action: 'modify' })));
      const batch3 = stamps.stamp([
        { type: 'dev_url', url: 'http://localhost:5173/', port: 5173 },
        { type: 'error', message: 'npm WARN deprecated inflight', code: 'TOOL_WARNING' },
        { type: 'unknown', event: 'sandbox_metrics', data: { cpu: 0.4, memoryMb: 512 } },
        { type: 'complete', status: 'completed', files: edits.map(([file]) => file) },
      ]);
      await host(page,
        { type: 'events', localId: LOCAL_ID, events: batch2 },
        { type: 'events', localId: LOCAL_ID, events: editEvents },
        ...editEvents.map((logged, index): HostMessage => ({
          type: 'editUpdated', localId: LOCAL_ID,
          edit: { seq: logged.seq, paths: [edits[index][0]], added: 3, removed: 1, state: edits[index][1], reason: edits[index][2] },
        })),
        { type: 'events', localId: LOCAL_ID, events: batch3 },
      );
      await settled(page);

      // Rows: one merged thinking block, three calls each paired with a result, thinking, then the rest.
      const types = await page.locator(testid('event')).evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.type));
      assert.deepEqual(types, [
        'thinking', 'tool_call', 'tool_call', 'tool_call', 'thinking',
        ...edits.map(() => 'file_edit'), 'dev_url', 'error', 'unknown', 'complete',
      ]);
      const tools = page.locator('[data-testid="event"][data-type="tool_call"]');
      assert.match(await tools.nth(0).innerText(), /^\$\s*ls -la && cat package.json/);
      assert.equal(await tools.nth(1).locator('.tool-verb').innerText(), 'Read');
      assert.equal(await tools.nth(1).locator('.path').textContent(), 'src/App.tsx');
      // The latest open call (read_file) got the first result, bash the long one.
      assert.match(await tools.nth(1).locator('.tool-output').innerText(), /export default function App/);
      assert.match(await tools.nth(0).locator('summary').innerText(), /120 lines/);
      assert.equal(await tools.locator('.tool-state.open').count(), 0, 'a call is left without its result');
      assert.equal(await run.getAttribute('data-status'), 'running');
      assert.match(await run.locator('.ev-thinking').first().innerText(), /Thinking · 3 parts/);
      assert.equal(await page.locator(testid('dev-url')).count(), 1);
      assert.match(await page.locator('[data-type="error"]').innerText(), /npm WARN deprecated inflight[\s\S]*TOOL_WARNING/);
      assert.match(await page.locator('[data-type="unknown"]').innerText(), /sandbox_metrics[\s\S]*"memoryMb":512/);

      // Long output: the view shows its head, "Show all" shows the rest locally.
      const longResult = tools.nth(0).locator('details.tool-result');
      await longResult.locator('summary').click();
      assert.equal((await longResult.locator('.tool-output').innerText()).split('\n').length, 24);
      await longResult.locator('[data-action="show-all"]').click();
      assert.equal((await longResult.locator('.tool-output').innerText()).split('\n').length, 120);
      // Cut by the host: "Show all" asks for it, and the answer replaces it.
      const cut = tools.nth(2).locator('details.tool-result');
      if ((await cut.getAttribute('open')) === null) await cut.locator('summary').click();
      await takePosted(page);
      await cut.locator('[data-action="show-all"]').click();
      assert.deepEqual(await takePosted(page), [{ type: 'showFullOutput', localId: LOCAL_ID, seq: cutSeq }]);
      await host(page, { type: 'fullOutput', localId: LOCAL_ID, seq: cutSeq, text: `added 1 package\n${'x'.repeat(100)}\nall done` });
      await settled(page);
      await page.locator('[data-type="tool_call"] details.tool-result[open] .tool-output', { hasText: 'all done' }).waitFor();

      // Edit rows: every state, distinct labels, reasons, and the right actions.
      const states = await page.locator(testid('edit')).evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.state));
      assert.deepEqual(states, edits.map(([, state]) => state));
      const labels = await page.locator('.edit-state').allInnerTexts();
      assert.equal(new Set(labels).size, edits.length, `labels are not distinct: ${labels.join(', ')}`);
      assert.match(await page.locator('[data-testid="edit"][data-state="conflict"]').innerText(), /hunk 1 does not match line 12/);
      assert.match(await page.locator('[data-testid="edit"][data-state="applied"]').innerText(), /src\/\s*App\.tsx[\s\S]*\+3[\s\S]*-1/);
      const pending = page.locator('[data-testid="edit"][data-state="pending"]');
      await pending.locator('[data-action="open-diff"]').click();
      await pending.locator('[data-action="open-file"]').click();
      await pending.locator('[data-action="accept"]').click();
      await pending.locator('[data-action="reject"]').click();
      const pendingSeq = editEvents[1].seq;
      assert.deepEqual(await takePosted(page), [
        { type: 'openDiff', localId: LOCAL_ID, seq: pendingSeq, path: 'src/main.tsx' },
        { type: 'openFile', localId: LOCAL_ID, seq: pendingSeq, path: 'src/main.tsx' },
        { type: 'acceptEdit', localId: LOCAL_ID, seq: pendingSeq },
        { type: 'rejectEdit', localId: LOCAL_ID, seq: pendingSeq },
      ]);
      assert.equal(await page.locator('[data-testid="edit"][data-state="applied"] [data-action="accept"]').count(), 0);
      assert.equal(await page.locator('[data-testid="edit"][data-state="unreadable"] [data-action="open-diff"]').count(), 0);
      await host(page, { type: 'editUpdated', localId: LOCAL_ID, edit: { seq: pendingSeq, paths: ['src/main.tsx'], added: 3, removed: 1, state: 'applied' } });
      await settled(page);
      assert.equal(await pending.count(), 0);

      await page.locator(testid('dev-url')).click();
      assert.deepEqual(await takePosted(page), [{ type: 'openDevUrl', localId: LOCAL_ID, url: 'http://localhost:5173/' }]);

      // The run ends: output as markdown, hostile parts inert.
      await host(page,
        { type: 'runUpdated', localId: LOCAL_ID, header: {
          status: 'completed', endedAt: STARTED_AT + 83_400, output: HOSTILE_OUTPUT,
          usage: { inputTokens: 12_345, outputTokens: 2_048 }, devUrl: 'http://localhost:5173/',
        } },
        { type: 'busy', busy: false },
      );
      await settled(page);
      assert.equal(await run.getAttribute('data-status'), 'completed');
      assert.equal(await page.locator(testid('run-status')).innerText(), 'Completed');
      assert.equal(await run.locator('.duration').innerText(), '1m 23s');
      assert.equal(await run.locator('.spinner').isVisible(), false);
      assert.match(await page.locator(testid('usage')).innerText(), /12,345 in · 2,048 out/);
      assert.equal(await page.locator(testid('dev-url')).count(), 1, 'the dev URL is offered twice');
      const output = page.locator(testid('output'));
      assert.equal(await output.locator('h1').innerText(), 'Todo app ready');
      assert.equal(await output.locator('table td').first().innerText(), 'src/App.tsx');
      assert.equal(await output.locator('img, script, iframe, [onerror]').count(), 0);
      assert.equal(await output.locator('a[href^="javascript"]').count(), 0);
      assert.match(await output.innerText(), /<img src=x onerror=/, 'raw HTML is shown as text');
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined);
      // Links never navigate the webview; http(s) ones go to the host as links (link protection), not as the dev URL.
      await output.locator('a', { hasText: 'the app' }).click();
      assert.equal(new URL(page.url()).pathname, '/');
      assert.deepEqual(await takePosted(page), [{ type: 'openLink', url: 'http://localhost:5173/' }]);

      // Per-run actions after the end.
      assert.equal(await run.locator('[data-action="cancel"]').count(), 0);
      await run.locator('[data-action="open-in-editor"]').click();
      await run.locator('[data-action="review-edits"]').click();
      await run.locator('[data-action="undo-run"]').click();
      assert.deepEqual(await takePosted(page), [
        { type: 'openInEditor', localId: LOCAL_ID }, { type: 'reviewEdits', localId: LOCAL_ID }, { type: 'undoRun', localId: LOCAL_ID },
      ]);
      assert.equal(await page.locator(testid('composer-send')).isVisible(), true);
      assert.match(await page.locator(testid('announcer')).innerText(), /Run completed in 1m 23s/);
      await longResult.locator('summary').click();
      await page.setViewportSize({ width: 520, height: 1500 });
      await settled(page);
      await shot(page, `webview-run-${theme}`);

      // Undo Run is offered while any edit is written; once they are all reverted it goes.
      const written = editEvents.filter((_, index) => edits[index][1] === 'applied').map((logged) => logged.seq).concat(pendingSeq);
      await host(page, ...written.map((seq): HostMessage => ({ type: 'editUpdated', localId: LOCAL_ID, edit: { seq, paths: ['x'], added: 3, removed: 1, state: 'reverted' } })));
      await settled(page);
      assert.equal(await run.locator('[data-action="undo-run"]').count(), 0);
    });
  }

  it('passes hostile raw HTML through DOMPurify inert', async () => {
    page = await open('dark');
    // The page's CSP admits only nonce-tagged scripts.
    await page.evaluate((nonce) => new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.nonce = nonce;
      script.src = '/sanitize.js';
      script.onload = () => resolve();
      script.onerror = () => reject(new Error('sanitize.js did not load'));
      document.head.append(script);
    }), NONCE);
    await page.waitForFunction(() => 'RunToolsSanitize' in window);
    const results = await page.evaluate(() => {
      const { sanitizeHtml } = (window as unknown as { RunToolsSanitize: { sanitizeHtml(html: string): string } }).RunToolsSanitize;
      const inputs = [
        '<img src=x onerror=alert(1)>',
        '<a href="javascript:alert(1)">x</a>',
        '<script>alert(1)</script><p>kept</p>',
        '<svg><script>alert(1)</script></svg>',
        '<a href="https://example.com" target="_blank" onclick="alert(1)">ok</a>',
        '<iframe src="https://example.com"></iframe><style>body{display:none}</style>',
        '<p style="position:fixed" class="x">styled</p>',
        '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
        '<pre class="language-ts"><code class="hljs language-ts codicon">x</code></pre><p class="language-js">p</p>',
      ];
      return inputs.map((input) => {
        const container = document.createElement('div');
        container.innerHTML = sanitizeHtml(input);
        return container.innerHTML;
      });
    });
    await settled(page);
    // Parsing the hostile strings makes Chromium report the inline handlers and styles it would block
    // (nothing runs); the real path never gets here, as markdown-it shows raw HTML as text.
    const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations.splice(0));
    assert.ok(violations.every((line) => /^(script|style)-src-(attr|elem) inline$/.test(line)), violations.join(', '));
    const joined = results.join('\n');
    assert.doesNotMatch(joined, /<img|<script|<svg|<iframe|<style|onerror|onclick|javascript:|style=|target=/i, joined);
    assert.match(results[2], /<p>kept<\/p>/);
    assert.match(results[4], /^<a href="https:\/\/example.com" rel="noopener noreferrer">ok<\/a>$/);
    // Of all classes, only a code block's language-* survives (the highlighter reads it).
    assert.equal(results[8], '<pre><code class="language-ts">x</code></pre><p>p</p>');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined);
  });

  it('keeps a 10,000-event run responsive with a bounded number of rows', async function () {
    this.timeout(180_000);
    page = await open('dark');
    await host(page, { type: 'reset', snapshot: snapshot({ busy: true }) }, { type: 'runStarted', run: runView({ status: 'running' }) });
    await settled(page);

    // The page plays the host: 10,000 events in batches of 50, a batch every few milliseconds.
    // (A string, not a function: tsx would wrap named inner functions in a helper the page lacks.)
    await page.evaluate(`(() => {
      const localId = ${JSON.stringify(LOCAL_ID)};
      let next = 1;
      const eventAt = (n) => {
        const kind = n % 10;
        if (kind < 5) return { type: 'thinking', content: 'thought ' + n + ' ' };
        if (kind === 5) return { type: 'tool_call', tool: 'bash', input: { command: 'step ' + n } };
        if (kind === 6) return { type: 'tool_result', output: ('output of ' + (n - 1) + '\\n').repeat(3) };
        if (kind === 7) return { type: 'file_edit', path: '/workspace/src/file' + n + '.ts', diff: '+line ' + n + '\\n' };
        if (kind === 8) return { type: 'unknown', event: 'progress', data: { n } };
        return { type: 'tool_call', tool: 'read_file', input: { path: 'f' + n } };
      };
      const timer = setInterval(() => {
        const events = [];
        for (let i = 0; i < 50 && next <= 10000; i++, next++) events.push({ seq: next, at: next, event: eventAt(next) });
        window.__host({ type: 'events', localId, events });
        if (next > 10000) { clearInterval(timer); window.__streamDone = true; }
      }, 2);
    })()`);

    // While events stream, the page keeps answering (each evaluate is a round trip through its event loop).
    let roundTripsDuringStream = 0;
    for (;;) {
      const state = await page.evaluate(() => ({
        done: Boolean((window as unknown as { __streamDone?: boolean }).__streamDone),
        rows: document.querySelectorAll('[data-testid="event"]').length,
      }));
      assert.ok(state.rows <= 300, `${state.rows} rows in the DOM while streaming`);
      if (state.done) break;
      roundTripsDuringStream++;
      await page.waitForTimeout(20);
    }
    assert.ok(roundTripsDuringStream > 0, 'no round trip completed while the events streamed');
    await settled(page);

    const rows = await page.locator(testid('event')).count();
    assert.ok(rows > 0 && rows <= 300, `${rows} rows rendered`);
    // The newest event is on screen.
    const last = page.locator(testid('event')).last();
    assert.equal(await last.getAttribute('data-type'), 'thinking');
    assert.match(await last.locator('.thinking-tail').innerText(), /thought 10000/);
    const showMore = page.locator('[data-action="show-more"]');
    const hidden = Number(await showMore.getAttribute('data-hidden'));
    assert.ok(hidden > 9000 && hidden < 10_000, `hidden: ${hidden}`);
    assert.match(await showMore.innerText(), /earlier events hidden: show more/);
    await shot(page, 'webview-10k-events');

    // "show more" by keyboard widens the window by one step.
    await showMore.focus();
    await page.keyboard.press('Enter');
    await settled(page);
    const widened = await page.locator(testid('event')).count();
    assert.equal(widened, rows + 300);
    assert.ok(Number(await showMore.getAttribute('data-hidden')) < hidden);

    // A reset rebuilds from the snapshot: the run as the host keeps it.
    const events: LoggedEvent[] = Array.from({ length: 2000 }, (_, index) => ({ seq: index + 1, at: index, event: { type: 'tool_call', tool: 'bash', input: { command: `c${index + 1}` } } }));
    await host(page, { type: 'reset', snapshot: snapshot({ runs: [runView({ status: 'completed', endedAt: STARTED_AT + 5000, events })] }) });
    await settled(page);
    const afterReset = await page.locator(testid('event')).count();
    assert.ok(afterReset <= 600, `${afterReset} rows after reset`);
    assert.match(await page.locator(testid('event')).last().innerText(), /c2000/);
  });

  it('toggles thinking and output blocks from the keyboard, and the panel has no composer', async () => {
    page = await open('light', 'panel', { width: 900, height: 700 });
    stamps.reset();
    const events = stamps.stamp([
      { type: 'thinking', content: 'first line\nsecond line\nthird line\nfourth line' },
      { type: 'tool_call', tool: 'bash', input: { command: 'npm test' } },
      { type: 'tool_result', output: '3 passing' },
      { type: 'thinking', content: 'All green.' },
    ]);
    await host(page, { type: 'reset', snapshot: snapshot({ viewKind: 'panel', runs: [runView({ status: 'running', events })] }) });
    await settled(page);
    assert.equal(await page.locator(testid('composer-input')).count(), 0);
    assert.equal(await page.locator('[data-action="open-in-editor"]').count(), 0);
    // While running, the latest thinking block shows its last lines folded.
    assert.equal(await page.locator('.ev-thinking').last().locator('.thinking-tail').isVisible(), true);
    assert.equal(await page.locator('.ev-thinking').first().locator('.thinking-tail').isVisible(), false);

    const summary = page.locator('.ev-thinking summary').first();
    await summary.focus();
    await page.keyboard.press('Enter');
    await page.locator('.ev-thinking details[open] .thinking-text', { hasText: 'fourth line' }).waitFor();
    const outline = await summary.evaluate((element) => getComputedStyle(element).outlineStyle);
    assert.notEqual(outline, 'none', 'focus is not visible');
    await page.keyboard.press('Space');
    assert.equal(await page.locator('.ev-thinking').first().locator('details').getAttribute('open'), null);

    // Short outputs show open; the cancel button is reachable and posts.
    assert.match(await page.locator('.tool-result[open] .tool-output').innerText(), /3 passing/);
    await page.locator('[data-action="cancel"]').focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await takePosted(page), [{ type: 'cancelRun', localId: LOCAL_ID }]);

    await host(page, { type: 'runUpdated', localId: LOCAL_ID, header: { status: 'failed', endedAt: STARTED_AT + 4200, error: { message: 'The agent stopped: out of credits', code: 'PAYMENT_REQUIRED', requestId: 'req_123', hint: 'Top up your account.' } } });
    await settled(page);
    assert.equal(await page.locator(testid('run')).getAttribute('data-status'), 'failed');
    assert.match(await page.locator('.run-error').innerText(), /out of credits[\s\S]*Top up[\s\S]*PAYMENT_REQUIRED[\s\S]*req_123/);
    assert.equal(await page.locator('.thinking-tail').first().isVisible(), false);
    await shot(page, 'webview-panel-failed-light');
    assert.ok((await posted(page)).every((message) => message.type !== 'ready'));
  });
});
