import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { REPO_ROOT } from '../../scripts/host/codeServer';
import { e2e } from './session';
import { changeUserSettings, findRunPanel, findWebviewFrame, runCommand, screenshot } from './workbench';

async function chatFrame(page: Page): Promise<Frame> {
  return findWebviewFrame(page, '[data-testid="composer-input"]');
}

async function runCount(frame: Frame): Promise<number> {
  return frame.locator('[data-testid="run"]').count();
}

/** Waits until the n-th run (1-based) of the conversation has ended, and returns its status. */
async function waitForRunEnd(frame: Frame, n: number, timeoutMs = 90_000): Promise<string> {
  const run = frame.locator('[data-testid="run"]').nth(n - 1);
  await run.waitFor({ timeout: timeoutMs });
  await frame.waitForFunction(
    (index) => {
      const status = document.querySelectorAll<HTMLElement>('[data-testid="run"]')[index]?.dataset.status;
      return status !== undefined && status !== 'starting' && status !== 'running';
    },
    n - 1,
    { timeout: timeoutMs },
  );
  return (await run.getAttribute('data-status')) ?? '';
}

async function sendFromComposer(frame: Frame, text: string): Promise<void> {
  const input = frame.locator('[data-testid="composer-input"]');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}

describe('running the agent (e2e)', function () {
  this.timeout(240_000);
  let paced = false;
  afterEach(async () => {
    if (!paced) return;
    paced = false;
    const { page, settingsFile } = e2e();
    await changeUserSettings(page, settingsFile, { 'runtools.params': undefined });
  });

  it('palette run: the prompt streams into the chat view, the files land in the workspace, the app opens in the Simple Browser', async () => {
    const { page, workspace, settingsFile } = e2e();
    // At the e2e pace the demo takes under a second: too short to be sure of seeing it stream
    // when the chat view has to be built first (after another suite showed the Explorer).
    await changeUserSettings(page, settingsFile, { 'runtools.params': { delayScale: 5 } });
    paced = true;
    await runCommand(page, 'RunTools: Run Agent with Prompt...');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('Build a todo app for groceries');
    await page.keyboard.press('Enter');

    // The palette run reveals the chat view, which shows it streaming. (A view that was hidden
    // gets a new page: the frame to read is the one that shows the running run, not an old one.)
    const frame = await findWebviewFrame(page, '[data-testid="run"][data-status="running"]');
    assert.equal(await waitForRunEnd(frame, await runCount(frame)), 'completed');
    const appFolder = path.join(workspace, 'todo-app-for-groceries');
    for (const file of ['index.html', 'style.css', 'app.js', 'README.md']) {
      assert.ok(fs.existsSync(path.join(appFolder, file)), `${file} is in the workspace`);
    }
    // Each file's row turns "applied" as its edit lands (this run's: earlier suites ran others).
    await frame.waitForFunction(() => [...document.querySelectorAll('[data-testid="run"]')].pop()?.querySelectorAll('[data-testid="edit"][data-state="applied"]').length === 4, undefined, { timeout: 15_000 });
    await screenshot(page, 'palette-run-ended');
    const types = await frame.evaluate(() => [...document.querySelectorAll<HTMLElement>('[data-testid="event"]')].map((e) => e.dataset.type).join(','));
    // This run's button: earlier runs of the conversation have their own dev URLs.
    const thisRun = frame.locator('[data-testid="run"]').last();
    assert.ok((await thisRun.locator('[data-testid="dev-url"]').count()) > 0, `a dev URL button (event rows: ${types})`);
    const devUrl = await thisRun.locator('[data-testid="dev-url"]').first().getAttribute('title');
    const url = /http:\/\/127\.0\.0\.1:\d+\/?/.exec(devUrl ?? '')?.[0];
    assert.ok(url, `the dev URL button names the URL (${devUrl})`);

    // The Simple Browser shows the running app: its page is an iframe at the dev URL, or at
    // code-server's proxy for that port (the extension passes the URL through asExternalUri).
    const port = new URL(url).port;
    const deadline = Date.now() + 30_000;
    let appFrame: Frame | undefined;
    while (!appFrame && Date.now() < deadline) {
      appFrame = page.frames().find((f) => f.url().startsWith(url!) || f.url().includes(`/proxy/${port}/`));
      if (!appFrame) await page.waitForTimeout(250);
    }
    assert.ok(appFrame, `the Simple Browser loaded the dev URL ${url}; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
    await appFrame.locator('h1').waitFor({ timeout: 15_000 });
    assert.match((await appFrame.locator('h1').textContent()) ?? '', /Todo app for groceries/);
    await page.waitForTimeout(500);
    const shot = await screenshot(page, 'palette-run');
    // The README shows exactly this picture: RUNTOOLS_UPDATE_SCREENSHOTS=1 npm run test:e2e refreshes it.
    if (process.env.RUNTOOLS_UPDATE_SCREENSHOTS) fs.mkdirSync(path.join(REPO_ROOT, 'docs', 'screenshots'), { recursive: true });
    if (process.env.RUNTOOLS_UPDATE_SCREENSHOTS) fs.copyFileSync(shot, path.join(REPO_ROOT, 'docs', 'screenshots', 'palette-run.png'));
  });

  it('chat: a prompt from the composer runs, and a follow-up carries the conversation', async () => {
    const { page } = e2e();
    await runCommand(page, 'RunTools: Open Chat');
    const frame = await chatFrame(page);
    const before = await runCount(frame);
    await sendFromComposer(frame, 'Build a counter app');
    assert.equal(await waitForRunEnd(frame, before + 1), 'completed');
    await sendFromComposer(frame, 'Make the counter app count by two');
    assert.equal(await waitForRunEnd(frame, before + 2), 'completed');
    const followUp = frame.locator('[data-testid="run"]').nth(before + 1);
    const text = (await followUp.textContent()) ?? '';
    assert.match(text, new RegExp(`Continuing the conversation \\(${before + 1} earlier turns?; last request: "Build a counter app"\\)`));
    await screenshot(page, 'chat-follow-up');
  });

  it('New chat empties the conversation, and the next prompt starts without history', async () => {
    const { page } = e2e();
    const frame = await chatFrame(page);
    await frame.locator('[data-testid="new-chat"]').click();
    await frame.waitForFunction(() => document.querySelectorAll('[data-testid="run"]').length === 0, undefined, { timeout: 15_000 });
    await sendFromComposer(frame, 'Build a counter app');
    assert.equal(await waitForRunEnd(frame, 1), 'completed');
    assert.doesNotMatch((await frame.locator('[data-testid="run"]').first().textContent()) ?? '', /Continuing the conversation/);
  });

  it('a 10,000-event run streams without freezing the view, and the DOM stays bounded', async () => {
    const { page, settingsFile } = e2e();
    await changeUserSettings(page, settingsFile, { 'runtools.params': { scenario: 'large-run', events: 10_000 } });
    try {
      const frame = await chatFrame(page);
      const before = await runCount(frame);
      await sendFromComposer(frame, 'A very long run');
      await frame.locator('[data-testid="run"]').nth(before).waitFor();
      // While events pour in, the page keeps answering: each round trip must come back.
      let roundTrips = 0;
      let maxRows = 0;
      while ((await frame.locator('[data-testid="run"]').nth(before).getAttribute('data-status')) === 'running' || roundTrips === 0) {
        const rows = await frame.evaluate(() => document.querySelectorAll('[data-testid="event"]').length);
        maxRows = Math.max(maxRows, rows);
        await page.mouse.move(100 + (roundTrips % 50), 300);
        roundTrips += 1;
        if (roundTrips > 2_000) break;
      }
      assert.equal(await waitForRunEnd(frame, before + 1), 'completed');
      assert.ok(roundTrips >= 1, 'the page answered while the run streamed');
      const hidden = Number(await frame.locator('[data-testid="run"]').nth(before).locator('[data-action="show-more"]').getAttribute('data-hidden'));
      assert.ok(hidden >= 9_000, `the run really had 10,000 events (${hidden} hidden behind "show more")`);
      const rows = await frame.locator('[data-testid="run"]').nth(before).locator('[data-testid="event"]').count();
      assert.ok(rows > 0 && rows <= 1_000, `rendered event rows are bounded (${rows})`);
      assert.ok(maxRows <= 1_000 + 4 * 20, `never more than a bounded number of rows (${maxRows})`);
      await screenshot(page, 'large-run');
    } finally {
      await changeUserSettings(page, settingsFile, { 'runtools.params': undefined });
    }
  });
});

describe('run panel (e2e)', function () {
  this.timeout(180_000);

  it('opens a run in the editor area and brings it back after the window reloads', async () => {
    const { page } = e2e();
    await runCommand(page, 'RunTools: Open Run in Editor');
    const panelFrame = () => findRunPanel(page);
    const before = await panelFrame();
    const prompt = await before.locator('[data-testid="run"]').first().getAttribute('data-local-id');
    assert.ok(prompt, 'the panel shows a run');
    // Reload the way a user does, so the workbench saves its editors first. The web workbench
    // writes its state to IndexedDB, which a page unload can cut short: give the write of the
    // just-opened editor a moment to land first.
    await page.waitForTimeout(3_000);
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const after = await panelFrame();
    assert.equal(await after.locator('[data-testid="run"]').first().getAttribute('data-local-id'), prompt);
    await screenshot(page, 'run-panel-restored');
  });
});
