/**
 * The composer as a user works with it in the workbench (code-server): context chips added from
 * the palette and from the composer's button (one cut to 64 KB), the agent picker with its params
 * checked while typing, and the run history searched and a run deleted. Screenshots, dark and
 * light, in a 300 and a 620 px side bar: test-results/e2e/composer-*.png and history-*.png
 * (RUNTOOLS_UPDATE_SCREENSHOTS=1 refreshes the README's two).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { REPO_ROOT } from '../../scripts/host/codeServer';
import { chatFrame, runFromComposer, waitForEnd } from './chat';
import { LOOKS, setSidebarWidth, setTheme } from './looks';
import { e2e } from './session';
import { findWebviewFrame, runCommand, screenshot } from './workbench';

/** Picks a row of the open quick pick by its label. */
async function pickRow(page: Page, label: string | RegExp): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: label }) }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

/** Sends a prompt from the composer and waits for its run to end; returns its status. */
async function sendAndWait(frame: Frame, text: string): Promise<string> {
  const run = await runFromComposer(frame, text);
  return waitForEnd(frame, (await run.getAttribute('data-local-id'))!);
}

async function openFileWithSelection(page: Page, name: string, downs: number): Promise<void> {
  await runCommand(page, 'Go to File...');
  await page.locator('.quick-input-widget input').fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
  await page.locator('.tab.active', { hasText: name }).waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 10_000 });
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < downs; i++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+End');
}

describe('the chat composer: context chips, the agent picker, history (e2e)', function () {
  this.timeout(300_000);

  it('adds context chips (one cut to 64 KB) and picks an agent with checked params, narrow and wide, dark and light', async () => {
    const { page, workspace, settingsFile } = e2e();
    fs.writeFileSync(path.join(workspace, 'src', 'fixtures.json'), `${JSON.stringify({ rows: Array.from({ length: 3000 }, (_, i) => ({ id: i, name: `row ${i}` })) })}\n`);
    let frame = await chatFrame(page);
    await frame.locator('[data-testid="new-chat"]').click();
    await frame.waitForFunction(() => document.querySelectorAll('[data-testid="run"]').length === 0);

    // From the editor, by the palette: the selection.
    await openFileWithSelection(page, 'math.js', 2);
    await runCommand(page, 'RunTools: Add Context to Prompt...', { fromEditor: true });
    await pickRow(page, 'Selection');
    frame = await findWebviewFrame(page, '[data-testid="context-chip"]');
    const chips = frame.locator('[data-testid="context-chip"]');
    await chips.first().waitFor();
    assert.equal(await chips.first().locator('.chip-label').innerText(), 'math.js:1-3');

    // From the composer's button: a file picked from the workspace, larger than 64 KB.
    await frame.locator('[data-testid="add-context"]').click();
    await pickRow(page, 'File from Workspace...');
    await page.locator('.quick-input-widget input').fill('fixtures.json');
    await pickRow(page, 'fixtures.json');
    await frame.locator('[data-testid="context-chip"][data-kind="file"]').waitFor();
    assert.equal(await frame.locator('[data-kind="file"] [data-testid="chip-size"]').innerText(), 'cut to 64 KB');
    // And the open editors.
    await frame.locator('[data-testid="add-context"]').click();
    await pickRow(page, 'Open Editors');
    await frame.locator('[data-testid="context-chip"][data-kind="openEditors"]').waitFor();
    assert.equal(await chips.count(), 3);
    assert.match(await frame.locator('[data-testid="context-total"]').innerText(), /^\d+(\.\d)? KB of 256 KB$/);

    // The agent picker: invalid params are said at once and cannot be used.
    await frame.locator('[data-testid="agent-toggle"]').click();
    const params = frame.locator('[data-testid="agent-params"]');
    await params.fill('{"delayScale": 0,');
    assert.match(await frame.locator('[data-testid="agent-error"]').innerText(), /^Params are not valid JSON/);
    assert.equal(await frame.locator('[data-testid="agent-save"]').isDisabled(), true);

    try {
      for (const look of LOOKS) {
        await setTheme(page, settingsFile, look.theme);
        await setSidebarWidth(page, look.width);
        frame = await findWebviewFrame(page, '[data-testid="agent-picker"]:not([hidden])');
        const overflow = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `the composer scrolls sideways by ${overflow} px at ${look.width} px`);
        const file = await screenshot(page, `composer-${look.theme}-${look.width}`);
        if (process.env.RUNTOOLS_UPDATE_SCREENSHOTS && look.theme === 'dark' && look.width === 300) {
          fs.copyFileSync(file, path.join(REPO_ROOT, 'docs', 'screenshots', 'chat-composer.png'));
        }
      }
    } finally {
      await setTheme(page, settingsFile, undefined);
      await setSidebarWidth(page, 300);
    }

    // Valid params: the pick is kept, and the run goes to it with the chips in its context.
    frame = await findWebviewFrame(page, '[data-testid="agent-picker"]');
    await frame.locator('[data-testid="agent-params"]').fill('{"delayScale": 0}');
    assert.equal(await frame.locator('[data-testid="agent-error"]').innerText(), '');
    await frame.locator('[data-testid="agent-save"]').click();
    await frame.locator('[data-testid="agent-picker"][hidden]').waitFor({ state: 'attached' });
    assert.equal(await frame.locator('[data-testid="agent-toggle"]').innerText(), 'Agent: demo ▾');
    assert.equal(await sendAndWait(frame, 'Summarise the attached files'), 'completed');
    assert.equal(await chips.count(), 0, 'the chips went with the prompt');
    // (What the request carried is checked in the extension host: test/integration/chat.test.ts.)
    assert.match(await frame.locator('[data-testid="composer-target"]').innerText(), /agent demo/);
    // Back to the settings' agent for the suites after this one.
    await frame.locator('[data-testid="agent-toggle"]').click();
    await frame.locator('[data-testid="agent-reset"]').click();
  });

  it('searches the history by prompt, answer and file path, and deletes a run after a confirmation', async () => {
    const { page, settingsFile } = e2e();
    const frame = await chatFrame(page);
    await frame.locator('[data-testid="new-chat"]').click();
    await frame.waitForFunction(() => document.querySelectorAll('[data-testid="run"]').length === 0);
    assert.equal(await sendAndWait(frame, 'Build a todo app for the weekly groceries'), 'completed');
    await frame.locator('[data-testid="new-chat"]').click();
    await frame.waitForFunction(() => document.querySelectorAll('[data-testid="run"]').length === 0);
    assert.equal(await sendAndWait(frame, 'Build a notes app'), 'completed');

    await runCommand(page, 'RunTools: Show Run History...');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    const rows = page.locator('.quick-input-list .monaco-list-row');
    // Grouped by chat: each chat's first prompt heads its runs.
    await rows.first().waitFor();
    await screenshot(page, 'history-chats');
    const separators = await page.locator('.quick-input-list .quick-input-list-separator').allInnerTexts();
    assert.ok(separators.some((text) => text.includes('Build a notes app')) && separators.some((text) => text.includes('Build a todo app for the weekly groceries')), separators.join(' | '));
    // A word of a file path the todo run wrote (not in its prompt).
    await input.fill('groceries index.html');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'found in' }).first().waitFor();
    const found = await rows.allInnerTexts();
    assert.ok(found.some((text) => /Build a todo app for the weekly groceries/.test(text)), found.join('\n---\n'));
    assert.ok(!found.some((text) => /Build a notes app/.test(text)), 'the notes run does not match');
    try {
      for (const theme of ['dark', 'light'] as const) {
        await page.keyboard.press('Escape');
        await setTheme(page, settingsFile, theme);
        await runCommand(page, 'RunTools: Show Run History...');
        await input.fill('groceries index.html');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'found in' }).first().waitFor();
        await page.mouse.move(700, 600); // no tooltip over the list
        const file = await screenshot(page, `history-search-${theme}`);
        if (process.env.RUNTOOLS_UPDATE_SCREENSHOTS && theme === 'dark') fs.copyFileSync(file, path.join(REPO_ROOT, 'docs', 'screenshots', 'history-search.png'));
      }
    } finally {
      await page.keyboard.press('Escape');
      await setTheme(page, settingsFile, undefined);
    }

    // Delete the notes run: its row's trash button, then the confirmation.
    await runCommand(page, 'RunTools: Show Run History...');
    await input.fill('notes app');
    const row = rows.filter({ hasText: 'Build a notes app' }).first();
    await row.waitFor();
    await row.hover();
    await row.locator('.action-label[aria-label="Delete this run"], .action-label[title="Delete this run"]').first().click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 10_000 });
    assert.match(await dialog.innerText(), /Delete the run "Build a notes app" from the RunTools history\?/);
    await screenshot(page, 'history-delete-confirm');
    await dialog.locator('.monaco-button', { hasText: 'Delete' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Gone from the list and from the chat view.
    await page.waitForFunction(() => ![...document.querySelectorAll('.quick-input-list .monaco-list-row')].some((r) => r.textContent?.includes('Build a notes app')), undefined, { timeout: 10_000 });
    await page.keyboard.press('Escape');
    await frame.waitForFunction(() => ![...document.querySelectorAll('[data-testid="run"]')].some((r) => r.textContent?.includes('Build a notes app')), undefined, { timeout: 10_000 });
    await screenshot(page, 'history-after-delete');
  });
});
