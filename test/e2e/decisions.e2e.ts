/**
 * Review decisions taken after a run has ended survive Reload Window: the chat view and the run
 * panel show exactly the states the user left, and the open decisions stay open.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { e2e } from './session';
import { changeUserSettings, findRunPanel, findWebviewFrame, runCommand, screenshot } from './workbench';

/** The states of the last run's edit rows, in order. */
async function editStates(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const runs = document.querySelectorAll('[data-testid="run"]');
    const last = runs[runs.length - 1];
    return [...(last?.querySelectorAll<HTMLElement>('[data-testid="edit"]') ?? [])].map((e) => e.dataset.state ?? '');
  });
}

async function waitForStates(frame: Frame, wanted: string[], what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = await editStates(frame).catch(() => []);
    if (JSON.stringify(seen) === JSON.stringify(wanted)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: expected ${JSON.stringify(wanted)}, the view shows ${JSON.stringify(seen)}`);
}

const panelFrame = (page: Page) => findRunPanel(page, '[data-testid="edit"]', 'decisions-panel-missing');

describe('review decisions across a reload (e2e)', function () {
  this.timeout(240_000);

  it('accept and reject after the run: the chat and the run panel keep them through Reload Window', async () => {
    const { page, settingsFile, workspace } = e2e();
    await changeUserSettings(page, settingsFile, { 'runtools.applyEdits': 'review' });
    try {
      await runCommand(page, 'RunTools: Run Agent with Prompt...');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill('Build a reading list');
      await page.keyboard.press('Enter');

      const chat = await findWebviewFrame(page, '[data-testid="composer-input"]');
      await waitForStates(chat, ['pending', 'pending', 'pending', 'pending'], 'four edits wait for review');
      assert.equal(fs.existsSync(path.join(workspace, 'reading-list', 'index.html')), false, 'nothing is written before review');
      await chat.waitForFunction(() => {
        const runs = document.querySelectorAll<HTMLElement>('[data-testid="run"]');
        return runs[runs.length - 1]?.dataset.status === 'completed';
      }, undefined, { timeout: 60_000 });

      const rows = chat.locator('[data-testid="run"]').last().locator('[data-testid="edit"]');
      await rows.nth(0).locator('[data-action="accept"]').click();
      await rows.nth(1).locator('[data-action="reject"]').click();
      const decided = ['accepted', 'rejected', 'pending', 'pending'];
      await waitForStates(chat, decided, 'after accept and reject');
      assert.ok(fs.existsSync(path.join(workspace, 'reading-list', 'index.html')), 'the accepted file is written');
      assert.match(await chat.locator('[data-testid="run"]').last().locator('[data-testid="edits-line"]').innerText(), /1 edit applied · 2 edits waiting for review/);

      await runCommand(page, 'RunTools: Open Run in Editor');
      await waitForStates(await panelFrame(page), decided, 'the run panel');
      await screenshot(page, 'decisions-before-reload');

      await page.waitForTimeout(3_000); // the web workbench stores its editors in IndexedDB
      const reloaded = page.waitForEvent('load', { timeout: 60_000 });
      await runCommand(page, 'Developer: Reload Window');
      await reloaded;
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

      await waitForStates(await panelFrame(page), decided, 'the run panel after the reload');
      await runCommand(page, 'RunTools: Open Chat');
      const chatAfter = await findWebviewFrame(page, '[data-testid="composer-input"]');
      await waitForStates(chatAfter, decided, 'the chat after the reload');
      await screenshot(page, 'decisions-after-reload');

      // The open decisions are still open: accept one more, reject the last.
      const after = chatAfter.locator('[data-testid="run"]').last().locator('[data-testid="edit"]');
      await after.nth(2).locator('[data-action="accept"]').click();
      await after.nth(3).locator('[data-action="reject"]').click();
      await waitForStates(chatAfter, ['accepted', 'rejected', 'accepted', 'rejected'], 'decisions after the reload');
    } finally {
      await runCommand(page, 'View: Close All Editors');
      await changeUserSettings(page, settingsFile, { 'runtools.applyEdits': undefined });
    }
  });
});
