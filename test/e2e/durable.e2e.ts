/**
 * A run outlives the window: Reload Window in the middle of a long run, and the chat and the run
 * panel come back following it live until it completes, with every edit once. And a run that ends
 * while its view is hidden says so in a notification.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { chatFrame, runFromComposer } from './chat';
import { e2e } from './session';
import { changeUserSettings, findRunPanel, findWebviewFrame, runCommand, screenshot } from './workbench';

async function lastRun(frame: Frame): Promise<{ status: string; edits: string[]; follow: string }> {
  return frame.evaluate(() => {
    const runs = document.querySelectorAll<HTMLElement>('[data-testid="run"]');
    const run = runs[runs.length - 1];
    return {
      status: run?.dataset.status ?? '',
      edits: [...(run?.querySelectorAll<HTMLElement>('[data-testid="edit"]') ?? [])].map((e) => e.dataset.state ?? ''),
      follow: run?.querySelector('[data-testid="follow-bar"]')?.textContent ?? '',
    };
  });
}

async function waitUntil(frame: Frame, what: string, check: (run: Awaited<ReturnType<typeof lastRun>>) => boolean, timeoutMs = 60_000): Promise<Awaited<ReturnType<typeof lastRun>>> {
  const deadline = Date.now() + timeoutMs;
  let seen = await lastRun(frame).catch(() => undefined);
  while (Date.now() < deadline) {
    seen = await lastRun(frame).catch(() => undefined);
    if (seen && check(seen)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: the view shows ${JSON.stringify(seen)}`);
}

async function reload(page: Page): Promise<void> {
  await page.waitForTimeout(2_000); // the web workbench stores its editors in IndexedDB
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
}

describe('runs that outlive the window (e2e)', function () {
  this.timeout(240_000);

  it('Reload Window in the middle of a run: the panel and the chat come back live, and the run completes with each edit once', async () => {
    const { page, settingsFile, workspace } = e2e();
    await changeUserSettings(page, settingsFile, { 'runtools.params': { scenario: 'long-drip', delayScale: 1 } });
    try {
      const chat = await chatFrame(page);
      await runFromComposer(chat, 'A long task that outlives the window');
      await waitUntil(chat, 'the first edit lands', (run) => run.status === 'running' && run.edits[0] === 'applied');
      await runCommand(page, 'RunTools: Open Run in Editor');
      await findRunPanel(page, '[data-testid="edit"]');

      await reload(page);

      const panel = await findRunPanel(page, '[data-testid="edit"]', 'durable-panel-missing');
      const live = await waitUntil(panel, 'the panel follows the run again', (run) => run.status === 'running');
      await screenshot(page, 'durable-after-reload');
      assert.equal(live.edits[0], 'applied', 'the edit from before the reload is still applied');
      const done = await waitUntil(panel, 'the run completes in the panel', (run) => run.status === 'completed', 90_000);
      assert.deepEqual(done.edits, ['applied', 'applied'], 'each edit once, the late one applied too');
      assert.equal(fs.readFileSync(path.join(workspace, 'long-run', 'second.txt'), 'utf8'), 'written near the end\n');
      assert.equal(fs.readFileSync(path.join(workspace, 'long-run', 'first.txt'), 'utf8'), 'written before the halfway mark\n');

      await runCommand(page, 'RunTools: Open Chat');
      const chatAfter = await findWebviewFrame(page, '[data-testid="composer-input"]');
      const inChat = await waitUntil(chatAfter, 'the chat shows the completed run', (run) => run.status === 'completed');
      assert.deepEqual(inChat.edits, ['applied', 'applied']);
      const copies = await chatAfter.evaluate(() => {
        const ids = [...document.querySelectorAll<HTMLElement>('[data-testid="run"]')].map((r) => r.dataset.localId);
        return ids.length - new Set(ids).size;
      });
      assert.equal(copies, 0, 'the run followed again is in the chat once');
      await screenshot(page, 'durable-completed');
    } finally {
      await runCommand(page, 'View: Close All Editors');
      await changeUserSettings(page, settingsFile, { 'runtools.params': undefined });
    }
  });

  it('Cancel works on a run followed again after a reload, and the server is told', async () => {
    const { page, settingsFile, runtools } = e2e();
    await changeUserSettings(page, settingsFile, { 'runtools.params': { scenario: 'long-drip', delayScale: 1 } });
    try {
      const chat = await chatFrame(page);
      await runFromComposer(chat, 'A long task to cancel after a reload');
      await waitUntil(chat, 'the run is going', (run) => run.status === 'running');
      await reload(page);
      await runCommand(page, 'RunTools: Open Chat');
      const after = await findWebviewFrame(page, '[data-testid="composer-input"]');
      await waitUntil(after, 'the run is followed again', (run) => run.status === 'running' && /caught up|following/i.test(run.follow));
      const serverRunId = await after.evaluate(() => {
        const runs = document.querySelectorAll<HTMLElement>('[data-testid="run"]');
        return runs[runs.length - 1]?.dataset.localId ?? '';
      });
      assert.ok(serverRunId);
      await after.locator('[data-testid="run"]').last().locator('[data-action="cancel"]').first().click();
      await waitUntil(after, 'the run is cancelled', (run) => run.status === 'cancelled', 30_000);
      // The server was told: its newest run is cancelled too.
      const listed = await fetch(`${runtools.baseUrl}/v1/run?limit=1`, { headers: runtools.apiKey ? { 'X-API-Key': runtools.apiKey } : {} }).then((r) => r.json()) as { data?: { status?: string }[] } | { status?: string }[];
      const runs = Array.isArray(listed) ? listed : listed.data ?? [];
      assert.equal(runs[0]?.status, 'cancelled', JSON.stringify(listed).slice(0, 300));
    } finally {
      await changeUserSettings(page, settingsFile, { 'runtools.params': undefined });
    }
  });

  it('a run that ends while its view is hidden says how it ended in a notification', async () => {
    const { page, settingsFile } = e2e();
    await changeUserSettings(page, settingsFile, { 'runtools.params': { scenario: 'slow-drip', delayScale: 1 } });
    try {
      await runCommand(page, 'RunTools: Run Agent with Prompt...');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill('A run nobody watches');
      await page.keyboard.press('Enter');
      await page.waitForTimeout(1_000);
      await runCommand(page, 'View: Show Explorer'); // the chat view is hidden while the run goes on
      const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'A run nobody watches' });
      await toast.first().waitFor({ timeout: 30_000 });
      const text = (await toast.first().innerText()).replace(/\s+/g, ' ');
      assert.match(text, /finished/);
      assert.match(text, /Show Run/);
      await screenshot(page, 'durable-notification');
      await toast.first().locator('.monaco-button', { hasText: 'Show Run' }).click();
      await findRunPanel(page);
    } finally {
      await runCommand(page, 'View: Close All Editors');
      await changeUserSettings(page, settingsFile, { 'runtools.params': undefined });
      await runCommand(page, 'RunTools: Open Chat'); // as the other suites expect to find it
    }
  });
});
