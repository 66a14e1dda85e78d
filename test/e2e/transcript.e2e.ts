/**
 * The calmer transcript, in the browser harness (harness/harness.ts), light and dark, in a
 * narrow (300 px) and a wide view: file writes folded into their edit cards, shell and file
 * tools, paths cut in the middle, statuses on one line, code blocks with Copy and Insert, a
 * cancelled run as a note, and only the active run's header sticky.
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { RunEvent } from '../../src/core/run/events';
import type { HostMessage, LoggedEvent } from '../../src/core/viewProtocol';
import { LOCAL_ID, STARTED_AT, Stamper, host, runView, settled, shot, snapshot, takePosted, testid, useHarness } from './harness/harness';

const FOLDER = 'todo-app-for-groceries-and-the-weekly-market';
const FILES = ['index.html', 'style.css', 'app.js'];

/** What the demo agent sends for an app: a mkdir, then per file a write call, its result and the file_edit. */
function appRun(stamps: Stamper): LoggedEvent[] {
  const events: RunEvent[] = [
    { type: 'thinking', content: 'A static page is enough.' },
    { type: 'tool_call', tool: 'bash', input: { command: `mkdir -p ${FOLDER} && cd ${FOLDER} && pwd` } },
    { type: 'tool_result', tool: 'bash', output: `/workspace/${FOLDER}\n` },
  ];
  for (const file of FILES) {
    const path = `/workspace/${FOLDER}/${file}`;
    events.push(
      { type: 'tool_call', tool: 'write_file', input: { path, content: `content of ${file}\n` } },
      { type: 'tool_result', tool: 'write_file', output: `Wrote 587 bytes to ${path}` },
      { type: 'file_edit', path, action: 'create', diff: `--- /dev/null\n+++ b${path}\n@@ -0,0 +1,2 @@\n+one\n+two\n` },
    );
  }
  events.push(
    { type: 'tool_call', tool: 'read_file', input: { path: `/workspace/${FOLDER}/app.js` } },
    { type: 'tool_result', tool: 'read_file', output: 'content of app.js' },
    { type: 'tool_call', tool: 'read_file', input: { path: '/workspace/package.json' } },
    { type: 'tool_result', tool: 'read_file', output: '{}' },
    { type: 'tool_call', tool: 'bash', input: { command: `wc -c ${FILES.join(' ')}` } },
  );
  return stamps.stamp(events);
}

function appliedEdits(events: LoggedEvent[]): HostMessage[] {
  return events.filter((logged) => logged.event.type === 'file_edit').map((logged) => ({
    type: 'editUpdated', localId: LOCAL_ID,
    edit: { seq: logged.seq, paths: [`${FOLDER}/${String((logged.event as { path: string }).path).split('/').pop()}`], added: 2, removed: 0, state: 'applied' },
  }));
}

/** The element's box is as tall as one line of its own text (it did not wrap). */
async function isOneLine(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).first().evaluate((element) => {
    const style = getComputedStyle(element);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.45;
    return element.getBoundingClientRect().height < line * 1.6;
  });
}

describe('chat transcript in a browser harness (e2e)', function () {
  const harness = useHarness();
  const stamps = new Stamper();

  for (const [theme, width] of [['dark', 300], ['light', 300], ['dark', 700], ['light', 700]] as const) {
    it(`shows one card per file change, tools by what matters, paths cut in the middle (${theme}, ${width} px)`, async () => {
      const page = await harness.open(theme, 'chat', { width, height: 900 });
      stamps.reset();
      const events = appRun(stamps);
      await host(page,
        { type: 'reset', snapshot: snapshot({ busy: true, target: { origin: 'https://api.runtools.ai', apiSlug: 'demo', folderName: 'workspace', sandboxRoot: '/workspace' } }) },
        { type: 'runStarted', run: runView({ status: 'running', prompt: 'Build a todo app for groceries' }) },
        { type: 'events', localId: LOCAL_ID, events },
        ...appliedEdits(events),
      );
      await settled(page);

      // One row per file change: no write_file call of its own, and each card names its call.
      const types = await page.locator(testid('event')).evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.type));
      assert.deepEqual(types, ['thinking', 'tool_call', 'file_edit', 'file_edit', 'file_edit', 'tool_call', 'tool_call', 'tool_call']);
      const cards = page.locator('[data-type="file_edit"]');
      assert.equal(await cards.locator('[data-state="applied"]').count(), 3);
      assert.equal(await cards.first().getAttribute('data-folded'), 'true');
      assert.equal(await cards.first().locator(testid('edit-via')).innerText(), `write_file · Wrote 587 bytes to ${FOLDER}/index.html`);
      assert.equal(await page.locator('.tool-name', { hasText: 'write_file' }).count(), 0);

      // Paths: workspace-relative, the whole path in the tooltip; narrow, the folders give way, never the name.
      const path = cards.first().locator('.path');
      assert.equal(await path.textContent(), `${FOLDER}/index.html`);
      assert.equal(await path.getAttribute('title'), `${FOLDER}/index.html`);
      const cut = await path.evaluate((element) => {
        const head = element.querySelector<HTMLElement>('.path-head')!;
        const tail = element.querySelector<HTMLElement>('.path-tail')!;
        return { headCut: head.scrollWidth > head.clientWidth, tailCut: tail.scrollWidth > tail.clientWidth, overflows: element.getBoundingClientRect().right > document.documentElement.clientWidth };
      });
      assert.equal(cut.headCut, width === 300, `the folders are cut only when narrow (${JSON.stringify(cut)})`);
      assert.equal(cut.tailCut, false, 'the file name is whole');
      assert.equal(cut.overflows, false, 'the card fits the view');

      // A shell call is a command line; a running one says so on one line, not a letter per line.
      const shell = page.locator('[data-type="tool_call"]').first();
      assert.match(await shell.locator('.tool-head').innerText(), /^\$\s*mkdir -p/);
      assert.equal(await isOneLine(page, '.tool-state.open'), true, 'running… wraps');
      assert.equal(await isOneLine(page, testid('run-status')), true);

      // A file tool links to this run's change of the file; a file the run did not change is plain text.
      await takePosted(page);
      const links = page.locator('[data-type="tool_call"] [data-action="open-path"]');
      assert.equal(await links.count(), 1);
      await links.first().click();
      assert.equal(await page.evaluate(() => document.activeElement?.querySelector('.path')?.textContent), `${FOLDER}/app.js`, 'the edit card of app.js has focus');
      assert.deepEqual(await takePosted(page), [], 'the card in view is shown, nothing asked of the host');
      const plain = page.locator('[data-type="tool_call"] .tool-file').nth(1).locator('.tool-path');
      assert.equal(await plain.evaluate((element) => element.tagName), 'SPAN');
      assert.equal(await plain.textContent(), 'package.json');
      await shot(page, `transcript-${theme}-${width}`);
    });
  }

  it('keeps a write that no file_edit followed as a file row, its result below', async () => {
    const page = await harness.open('dark', 'chat', { width: 300, height: 600 });
    stamps.reset();
    await host(page,
      { type: 'reset', snapshot: snapshot() },
      { type: 'runStarted', run: runView({ status: 'running' }) },
      { type: 'events', localId: LOCAL_ID, events: stamps.stamp([
        { type: 'tool_call', tool: 'write_file', input: { path: '/workspace/locked.txt', content: 'x' } },
        { type: 'tool_result', tool: 'write_file', output: 'EACCES: permission denied' },
      ]) },
    );
    await settled(page);
    const row = page.locator(testid('event'));
    assert.equal(await row.count(), 1);
    assert.equal(await row.getAttribute('data-type'), 'tool_call');
    assert.equal(await row.locator('.tool-verb').innerText(), 'Wrote');
    assert.match(await row.locator('.tool-output').innerText(), /permission denied/);
  });

  it('turns a read of a file into a link once the run changes that file', async () => {
    const page = await harness.open('dark', 'chat', { width: 300, height: 600 });
    stamps.reset();
    await host(page,
      { type: 'reset', snapshot: snapshot() },
      { type: 'runStarted', run: runView({ status: 'running' }) },
      { type: 'events', localId: LOCAL_ID, events: stamps.stamp([
        { type: 'tool_call', tool: 'read_file', input: { path: '/workspace/src/a.ts' } },
        { type: 'tool_result', tool: 'read_file', output: 'old' },
      ]) },
    );
    await settled(page);
    assert.equal(await page.locator('[data-action="open-path"]').count(), 0);
    const [edit] = stamps.stamp([{ type: 'file_edit', path: '/workspace/src/a.ts', action: 'modify', diff: '@@ -1 +1 @@\n-old\n+new\n' }]);
    await host(page,
      { type: 'events', localId: LOCAL_ID, events: [edit] },
      { type: 'editUpdated', localId: LOCAL_ID, edit: { seq: edit.seq, paths: ['src/a.ts'], added: 1, removed: 1, state: 'applied' } },
    );
    await settled(page);
    assert.equal(await page.locator('[data-action="open-path"]').count(), 1);
    await page.locator('[data-action="open-path"]').click();
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.type), 'file_edit');
  });

  it('gives code blocks highlighting, Copy (to the clipboard) and Insert at Cursor (to the host)', async () => {
    const page = await harness.open('light', 'chat', { width: 420, height: 800 }, { clipboard: true });
    const code = 'export function add(a: number, b: number): number {\n  return a + b; // the sum\n}';
    await host(page,
      { type: 'reset', snapshot: snapshot() },
      { type: 'runStarted', run: runView({ status: 'running' }) },
      { type: 'runUpdated', localId: LOCAL_ID, header: { status: 'completed', endedAt: STARTED_AT + 2_000, output: `Here it is:\n\n\`\`\`ts\n${code}\n\`\`\`\n\n\`\`\`nosuchlanguage\nplain text\n\`\`\`` } },
    );
    await settled(page);
    const blocks = page.locator(testid('code-block'));
    assert.equal(await blocks.count(), 2);
    const first = blocks.first();
    assert.equal(await first.locator('.code-language').innerText(), 'ts');
    assert.ok(await first.locator('.hljs-keyword').count() > 0, 'keywords are highlighted');
    assert.ok(await first.locator('.hljs-comment').count() > 0, 'comments are highlighted');
    assert.equal(await first.locator('code').textContent(), `${code}\n`, 'highlighting keeps the text');
    assert.equal(await blocks.nth(1).locator('.hljs-keyword, .hljs').count(), 0, 'an unknown language stays plain');

    await first.locator('[data-action="copy-code"]').click();
    await first.locator('.code-status', { hasText: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
    await takePosted(page);
    await first.locator('[data-action="insert-code"]').click();
    assert.deepEqual(await takePosted(page), [{ type: 'insertAtCursor', text: code }]);
    await shot(page, 'transcript-code-block-light');
  });

  it('shows a cancelled run as a calm note, and only the active run\'s header stays at the top', async () => {
    const page = await harness.open('dark', 'chat', { width: 300, height: 500 });
    stamps.reset();
    const many = (label: string) => stamps.stamp(Array.from({ length: 30 }, (_, index): RunEvent => ({ type: 'tool_call', tool: 'bash', input: { command: `${label} step ${index}` } })));
    const cancelled = runView({
      localId: 'run-cancelled', prompt: 'Refactor everything', status: 'cancelled', endedAt: STARTED_AT + 9_000, events: many('old'),
      error: { message: 'The run was cancelled.', requestId: 'req_42' },
    });
    const active = runView({ localId: 'run-active', prompt: 'Now just the tests', status: 'running', startedAt: STARTED_AT + 20_000 });
    await host(page,
      { type: 'reset', snapshot: snapshot({ runs: [cancelled], busy: true }) },
      { type: 'runStarted', run: active },
      { type: 'events', localId: 'run-active', events: many('new') },
    );
    await settled(page);

    const old = page.locator('[data-local-id="run-cancelled"]');
    assert.equal(await old.locator(testid('run-status')).innerText(), 'Cancelled');
    assert.equal(await old.locator('.run-error').count(), 0, 'no error box');
    const note = old.locator('.run-cancel-note');
    assert.match(await note.innerText(), /The run was cancelled\.[\s\S]*request req_42/);
    // The harness's dark theme draws errors in #f85149.
    assert.notEqual(await note.evaluate((element) => getComputedStyle(element).borderLeftColor), 'rgb(248, 81, 73)', 'the note is drawn in the error colour');

    // Scrolled into the middle of the finished run: its header has scrolled away, nothing sticks.
    const conversation = page.locator(testid('conversation'));
    const headerAtTop = () => page.evaluate(() => {
      const box = document.querySelector('[data-testid="conversation"]')!.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + 40, box.top + 4);
      return { inHeader: Boolean(hit?.closest('.run-header')), run: (hit?.closest('[data-testid="run"]') as HTMLElement | null)?.dataset.localId };
    });
    await old.locator('[data-testid="event"]').nth(15).scrollIntoViewIfNeeded();
    await conversation.evaluate((element) => { element.scrollTop += 120; });
    await settled(page);
    assert.deepEqual(await headerAtTop(), { inHeader: false, run: 'run-cancelled' }, 'a finished run\'s header sticks');

    // Scrolled into the active run: its header, with Cancel, stays at the top.
    await page.locator('[data-local-id="run-active"] [data-testid="event"]').nth(20).scrollIntoViewIfNeeded();
    await settled(page);
    assert.deepEqual(await headerAtTop(), { inHeader: true, run: 'run-active' });
    await takePosted(page);
    await page.locator('[data-local-id="run-active"] [data-action="cancel"]').click();
    assert.deepEqual(await takePosted(page), [{ type: 'cancelRun', localId: 'run-active' }]);
    await shot(page, 'transcript-cancelled-and-sticky-dark');
  });
});
