/** What a user does in the workbench, as Playwright steps. */
import type { Frame, Page } from 'playwright-core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCREENSHOT_DIR } from './session';

/** F1, type the command's title, Enter: the way a user runs a command from the palette. */
export async function runCommand(page: Page, title: string, options: { fromEditor?: boolean } = {}): Promise<void> {
  // Keys go to whatever has focus, which may be a webview's iframe: take focus back to the
  // workbench first by clicking a neutral spot (the side bar's title). From an editor that has
  // the focus, not: Escape would drop its selection.
  if (!options.fromEditor) {
    await page.keyboard.press('Escape');
    await page.locator('.part.sidebar .composite.title').first().click({ position: { x: 5, y: 5 } }).catch(() => undefined);
  }
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // The row whose label is exactly the title: "Reload Window" must not pick a longer look-alike.
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const match = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  await match.waitFor({ state: 'visible', timeout: 15_000 });
  await match.click();
}

/**
 * Webviews are iframes inside iframes: the outer one is VS Code's host page, the inner one holds
 * our document. Returns the inner frame whose document has an element matching `selector`.
 */
export async function findWebviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (!frame.url().includes('/webview/')) continue;
      const found = await frame.locator(selector).count().catch(() => 0);
      if (found > 0) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview frame shows ${selector} within ${timeoutMs / 1000}s`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Changes user settings the way a user does while VS Code runs: Preferences: Open User Settings
 * (JSON), the new text, Ctrl+S. (Writing the file behind VS Code's back is not seen by code-server's
 * workbench in time, or at all.) `undefined` removes a key. Resolves once the file is saved.
 */
export async function changeUserSettings(page: Page, settingsFile: string, patch: Record<string, unknown>): Promise<void> {
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete settings[key];
    else settings[key] = value;
  }
  // One line: no auto-indent between keys; whatever auto-closing adds after it is cut off.
  const text = JSON.stringify(settings);
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.waitFor({ state: 'visible', timeout: 15_000 });
  await editor.click({ position: { x: 200, y: 20 } });
  // Keys pressed before the editor has the focus go elsewhere (a webview that had it, say).
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 10_000 });
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await page.keyboard.press('Control+Shift+End');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Control+S');
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      if (JSON.stringify(JSON.parse(fs.readFileSync(settingsFile, 'utf8'))) === JSON.stringify(settings)) break;
    } catch { /* being written */ }
    await page.waitForTimeout(200);
  }
  if (JSON.stringify(JSON.parse(fs.readFileSync(settingsFile, 'utf8'))) !== JSON.stringify(settings)) throw new Error('the user settings were not saved');
  await runCommand(page, 'View: Close Editor');
}

/** The run panel (a webview panel in the editor area) whose page shows `selector`; a screenshot names the miss. */
export async function findRunPanel(page: Page, selector = '[data-testid="run"]', missing = 'run-panel-missing'): Promise<Frame> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (!frame.url().includes('/webview/')) continue;
      const isPanel = await frame.evaluate((sel) => document.body?.dataset.view === 'panel' && document.querySelector(sel) !== null, selector).catch(() => false);
      if (isPanel) return frame;
    }
    await page.waitForTimeout(250);
  }
  await screenshot(page, missing);
  throw new Error(`no run panel shows ${selector} (see ${missing}.png)`);
}
