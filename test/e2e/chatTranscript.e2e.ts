/**
 * The chat view in the workbench (code-server), as a user works in it: a run's file writes as
 * edit cards in a narrow and a wide sidebar, dark and light; a code block's Insert at Cursor and
 * Copy landing in the editor; a cancelled run. Screenshots: test-results/e2e/chat-*.png (the
 * README shows one: RUNTOOLS_UPDATE_SCREENSHOTS=1).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../../scripts/host/codeServer';
import { e2e } from './session';
import { chatFrame, runFromComposer, waitForEnd } from './chat';
import { setSidebarWidth } from './looks';
import { changeUserSettings, findWebviewFrame, runCommand, screenshot } from './workbench';


/** Sets (or, with undefined, removes) one user setting through the settings editor. */
async function setUserSetting(page: Page, settingsFile: string, key: string, value: unknown): Promise<void> {
  await changeUserSettings(page, settingsFile, { [key]: value });
}

describe('chat transcript in the workbench (e2e)', function () {
  this.timeout(240_000);

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(e2e().page, `failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  it('folds each file write into its edit card, in a narrow and a wide side bar, dark and light', async () => {
    const { page, settingsFile } = e2e();
    const frame = await chatFrame(page);
    const run = await runFromComposer(frame, 'Build a todo app for the weekly groceries market');
    const localId = (await run.getAttribute('data-local-id'))!;
    assert.equal(await waitForEnd(frame, localId), 'completed');
    await frame.waitForFunction((id) => document.querySelectorAll(`[data-local-id="${id}"] [data-testid="edit"][data-state="applied"]`).length === 4, localId, { timeout: 15_000 });

    // One row per file: four edit cards, each with its write call folded in, and no write_file rows.
    const cards = run.locator('[data-testid="event"][data-type="file_edit"]');
    assert.equal(await cards.count(), 4);
    assert.equal(await run.locator('[data-testid="event"][data-folded="true"]').count(), 4);
    assert.match(await cards.first().locator('[data-testid="edit-via"]').innerText(), /^write_file · Wrote \d+ bytes to todo-app-for-the-weekly-groceries-market\/index\.html$/);
    assert.equal(await run.locator('.tool-name', { hasText: 'write_file' }).count(), 0);
    // Shell calls read as command lines.
    assert.match(await run.locator('.tool-shell').first().innerText(), /^\$\s*mkdir -p todo-app/);

    const shots: [string, number, string][] = [['dark', 300, 'Default Dark Modern'], ['dark', 620, 'Default Dark Modern'], ['light', 620, 'Default Light Modern'], ['light', 300, 'Default Light Modern']];
    try {
      for (const [theme, width, colorTheme] of shots) {
        await setUserSetting(page, settingsFile, 'workbench.colorTheme', colorTheme);
        await page.waitForFunction((dark) => document.querySelector('.monaco-workbench')?.classList.contains(dark ? 'vs-dark' : 'vs') ?? false, theme === 'dark', { timeout: 15_000 });
        await setSidebarWidth(page, width);
        const actual = (await page.locator('.part.sidebar').boundingBox())!.width;
        assert.ok(Math.abs(actual - width) < 30, `the side bar is ${actual} px, not ${width}`);
        await cards.first().scrollIntoViewIfNeeded();
        // Narrow or wide, the cards fit the view: nothing wider than the webview.
        const overflow = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `the view scrolls sideways by ${overflow} px at ${width} px`);
        const file = await screenshot(page, `chat-${theme}-${width}`);
        if (process.env.RUNTOOLS_UPDATE_SCREENSHOTS && theme === 'dark' && width === 300) {
          fs.copyFileSync(file, path.join(REPO_ROOT, 'docs', 'screenshots', 'chat-transcript.png'));
        }
      }
    } finally {
      await setUserSetting(page, settingsFile, 'workbench.colorTheme', undefined);
      await setSidebarWidth(page, 300);
    }
  });

  it('inserts a code block of the answer at the cursor, and copies it for a paste', async () => {
    const { page, workspace } = e2e();
    const file = path.join(workspace, 'src', 'math.js');
    // Open the file, select its first function, and run the agent on the selection.
    await page.keyboard.press('Escape');
    await page.locator('.part.sidebar .composite.title').first().click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('math.js');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'math.js' }).first().click();
    await page.locator('.tab.active', { hasText: 'math.js' }).waitFor();
    // The first function: from the start of line 1 to the end of line 3.
    await focusEditor(page);
    await page.keyboard.press('Control+Home');
    for (const key of ['Shift+ArrowDown', 'Shift+ArrowDown', 'Shift+End']) await page.keyboard.press(key);
    await page.locator('.statusbar', { hasText: /Ln 3, Col 2 \(\d+ selected\)/ }).waitFor({ timeout: 5_000 });
    await runCommand(page, 'RunTools: Run Agent on Selection...', { fromEditor: true });
    const prompt = page.locator('.quick-input-widget input');
    await prompt.waitFor({ state: 'visible' });
    await prompt.fill('Summarise this function');
    await page.keyboard.press('Enter');

    const frame = await findWebviewFrame(page, '[data-testid="composer-input"]');
    const run = frame.locator('[data-testid="run"]').last();
    const localId = (await run.getAttribute('data-local-id'))!;
    assert.equal(await waitForEnd(frame, localId), 'completed');
    const block = run.locator('[data-testid="code-block"]').first();
    await block.waitFor({ timeout: 15_000 });
    assert.ok(await block.locator('.hljs-comment, .hljs-keyword').count() > 0, 'the block is highlighted');
    const code = ((await block.locator('code').textContent()) ?? '').replace(/\n$/, '');
    assert.match(code, /^\/\/ /, `a comment block: ${code}`);

    // The agent's edit (its comment above the function) lands in the file and is saved.
    await waitForFile(file, (text) => text.startsWith('// '));
    // Put the cursor on a new last line and save, then Insert at Cursor from the chat.
    await focusEditor(page);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+S');
    await waitForFile(file, (text) => text.endsWith('\n\n'));
    const before = fs.readFileSync(file, 'utf8');
    await block.locator('[data-action="insert-code"]').click();
    // The host gives the editor the focus back; saving shows what it holds.
    await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Control+S');
    await waitForFile(file, (text) => text.length > before.length);
    const inserted = fs.readFileSync(file, 'utf8');
    assert.equal(inserted, `${before}${code}`, 'the code landed at the cursor');

    // Copy: the webview's clipboard, pasted into the editor by the user.
    await block.locator('[data-action="copy-code"]').click();
    await block.locator('.code-status', { hasText: 'Copied' }).waitFor({ timeout: 5_000 });
    await focusEditor(page);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+V');
    await page.keyboard.press('Control+S');
    await waitForFile(file, (text) => text.length > inserted.length + 1);
    assert.equal(fs.readFileSync(file, 'utf8'), `${inserted}\n${code}`);
    await screenshot(page, 'chat-code-block-inserted');
  });

  it('shows a cancelled run as cancelled, with a calm note instead of an error box', async () => {
    const { page, settingsFile } = e2e();
    await setUserSetting(page, settingsFile, 'runtools.params', { scenario: 'never-complete' });
    try {
      const frame = await chatFrame(page);
      const run = await runFromComposer(frame, 'Take your time');
      const localId = (await run.getAttribute('data-local-id'))!;
      await frame.locator(`[data-local-id="${localId}"][data-status="running"]`).waitFor({ timeout: 30_000 });
      await run.locator('[data-action="cancel"]').click();
      assert.equal(await waitForEnd(frame, localId, 30_000), 'cancelled');
      assert.equal(await run.locator('[data-testid="run-status"]').innerText(), 'Cancelled');
      assert.equal(await run.locator('.run-error').count(), 0, 'a cancel is not shown as an error');
      assert.match(await run.locator('.run-cancel-note').innerText(), /cancelled/i);
      await screenshot(page, 'chat-cancelled');
    } finally {
      await setUserSetting(page, settingsFile, 'runtools.params', undefined);
    }
  });
});

/** Clicks into the open editor and waits until it has the keyboard (keys pressed before are lost). */
async function focusEditor(page: Page): Promise<void> {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 10_000 });
}

async function waitForFile(file: string, ready: (text: string) => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ready(fs.readFileSync(file, 'utf8'))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${file} did not change: ${fs.readFileSync(file, 'utf8')}`);
}
