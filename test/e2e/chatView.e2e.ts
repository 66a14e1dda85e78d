import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { e2e } from './session';
import { findWebviewFrame, runCommand, screenshot } from './workbench';

describe('chat view (e2e)', () => {
  it('opens from the command palette and renders inside its webview, with the composer ready', async () => {
    const { page } = e2e();
    await runCommand(page, 'RunTools: Open Chat');
    const frame = await findWebviewFrame(page, '[data-testid="composer-input"]');
    // The page shows its shell at once and the host's snapshot a moment later.
    await frame.waitForFunction(() => document.querySelector('[data-testid="composer-target"]')?.textContent?.includes('127.0.0.1'), undefined, { timeout: 15_000 })
      .catch(() => undefined);
    const target = await frame.locator('[data-testid="composer-target"]').textContent();
    assert.match(target ?? '', /127\.0\.0\.1/, `the composer says where runs go: "${target}"`);
    assert.equal(await frame.locator('[data-testid="auth-card"]').count(), 0, 'the key from RUNTOOLS_API_KEY is found');
    assert.match(target ?? '', /demo/);
    // The activity-bar entry of our view container is there and selected.
    const container = page.locator('.activitybar .action-item.checked [aria-label^="RunTools"], .activitybar .action-item.checked[aria-label^="RunTools"]');
    assert.ok((await container.count()) > 0, 'the RunTools view container is not the selected one');
    const file = await screenshot(page, 'chat-view-open');
    assert.ok(fs.statSync(file).size > 10_000, 'screenshot is empty');
  });

  it('shows the log from the command palette', async () => {
    const { page } = e2e();
    await runCommand(page, 'RunTools: Show Log');
    const output = page.locator('.part.panel .monaco-editor .view-lines');
    await output.first().waitFor({ state: 'visible', timeout: 15_000 });
    // The first line says the extension activated; after earlier suites' runs it is scrolled out
    // of view (Monaco renders only the visible lines), so go to the top.
    const box = (await output.first().boundingBox())!;
    await page.mouse.click(box.x + 20, box.y + box.height - 10);
    await page.keyboard.press('Control+Home');
    // Monaco renders spaces as no-break spaces.
    await page.waitForFunction(
      () => (document.querySelector('.part.panel') as HTMLElement | null)?.innerText.replace(/\u00a0/g, ' ').includes('activated in VS Code'),
      undefined,
      { timeout: 15_000 },
    );
    await screenshot(page, 'log-open');
    await page.keyboard.press('Control+J'); // hide the panel again
  });
});
