/**
 * Review in the editor, as a user does it in the workbench: a run that changes a file in three
 * places, each change shown in place with Keep / Undo above it, one undone from its CodeLens; the
 * run's changed files at the end of its turn in the chat; and an edit that overlaps what the user
 * typed meanwhile, merged in the editor with VS Code's own conflict actions.
 * Screenshots: test-results/e2e/review-*.png (RUNTOOLS_UPDATE_SCREENSHOTS=1 copies them to docs/).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { REPO_ROOT } from '../../scripts/host/codeServer';
import { chatFrame, runFromComposer, waitForEnd } from './chat';
import { e2e } from './session';
import { changeUserSettings, runCommand, screenshot } from './workbench';

const CART = 'review-demo/cart.js';
/** A change's own Undo (not the file's Undo All). */
const UNDO = /^\s*Undo\s*$/;

/** Ctrl+G, the line, Enter: the cursor at the start of that line of the active editor. */
async function goToLine(page: Page, line: number): Promise<void> {
  await page.locator('.editor-instance .monaco-editor').first().click({ position: { x: 300, y: 10 } });
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

function codeLens(page: Page, text: string | RegExp) {
  return page.locator('.monaco-editor .codelens-decoration a', { hasText: text });
}

async function keepScreenshot(page: Page, name: string): Promise<void> {
  const shot = await screenshot(page, name);
  if (!process.env.RUNTOOLS_UPDATE_SCREENSHOTS) return;
  fs.mkdirSync(path.join(REPO_ROOT, 'docs', 'screenshots'), { recursive: true });
  fs.copyFileSync(shot, path.join(REPO_ROOT, 'docs', 'screenshots', `${name}.png`));
}

async function fileRow(frame: Frame, localId: string, relPath: string) {
  return frame.locator(`[data-testid="run"][data-local-id="${localId}"] [data-testid="changed-file"][data-path="${relPath}"]`);
}

describe('review in the editor (e2e)', function () {
  this.timeout(240_000);

  afterEach(async () => {
    const { page, settingsFile } = e2e();
    // Editors first: the settings are typed into the one editor left, the settings file.
    await runCommand(page, 'View: Close All Editors');
    await changeUserSettings(page, settingsFile, { 'runtools.params': undefined });
  });

  it('three changes shown in place, one undone from its CodeLens; the chat lists the run\'s changed files', async () => {
    const { page, settingsFile, workspace } = e2e();
    await changeUserSettings(page, settingsFile, { 'runtools.params': { scenario: 'review-demo', delayScale: 0 } });
    const frame = await chatFrame(page);
    const run = await runFromComposer(frame, 'Tidy up the cart module');
    const localId = (await run.getAttribute('data-local-id'))!;
    assert.equal(await waitForEnd(frame, localId), 'completed');

    // The changed-files list at the end of the turn: the file, its counts, Keep and Undo.
    const row = await fileRow(frame, localId, CART);
    // The list follows the edits a moment after each change.
    await frame.waitForFunction(({ id, file }) => document.querySelector(`[data-local-id="${id}"] [data-testid="changed-file"][data-path="${file}"]`)?.getAttribute('data-open') === '4', { id: localId, file: CART }, { timeout: 15_000 });
    assert.equal(await row.getAttribute('data-state'), 'review', 'the create and three changes to review');
    await keepScreenshot(page, 'review-changed-files');

    // A click on the file opens it at its first change, with the changes in place.
    await row.locator('[data-action="open-change"]').click();
    await codeLens(page, 'Change 3 of 3').waitFor({ timeout: 20_000 });
    assert.equal(await codeLens(page, UNDO).count(), 3);
    assert.equal(await codeLens(page, 'Undo All').count(), 1, 'and one for the whole file');
    await page.waitForTimeout(500);
    await keepScreenshot(page, 'review-inline');

    // Undo the second change: its lines go back on disk, the others stay.
    const before = fs.readFileSync(path.join(workspace, CART), 'utf8');
    assert.match(before, /return items\.reduce\(\(sum, item\) => sum \+ itemTotal\(item\), 0\);/);
    await codeLens(page, UNDO).nth(1).click();
    await page.waitForFunction(() => document.querySelectorAll('.monaco-editor .codelens-decoration a').length > 0);
    const deadline = Date.now() + 15_000;
    // Wait for what should be there (a file read while VS Code saves it can be empty for a moment).
    while (Date.now() < deadline && !/for \(const item of items\) sum \+= itemTotal\(item\);/.test(fs.readFileSync(path.join(workspace, CART), 'utf8'))) await page.waitForTimeout(200);
    const after = fs.readFileSync(path.join(workspace, CART), 'utf8');
    const dirty = await page.locator('.tabs-container .tab.dirty').count();
    assert.match(after, /for \(const item of items\) sum \+= itemTotal\(item\);/, `the second change is undone on disk (dirty tabs: ${dirty}): ${after}`);
    assert.match(after, /const CURRENCY = 'EUR';/, 'the first change stays');
    assert.match(after, /Total: \$\{money\(total\(items\)\)\}/, 'the third change stays');
    await page.waitForFunction(() => [...document.querySelectorAll('.monaco-editor .codelens-decoration a')].filter((a) => /^\s*Undo\s*$/.test(a.textContent ?? '')).length === 2, undefined, { timeout: 15_000 });
    assert.equal(await codeLens(page, 'Change 2 of 3').count(), 0, 'the undone change has no CodeLens any more');
    await keepScreenshot(page, 'review-one-undone');

    // Keep All in the chat ends the review: the file is kept, nothing is written.
    const chat = await chatFrame(page);
    await chat.locator(`[data-testid="run"][data-local-id="${localId}"] [data-action="keep-all"]`).click();
    await chat.waitForFunction(({ id, file }) => document.querySelector(`[data-local-id="${id}"] [data-testid="changed-file"][data-path="${file}"]`)?.getAttribute('data-state') === 'kept', { id: localId, file: CART }, { timeout: 15_000 });
    assert.equal(fs.readFileSync(path.join(workspace, CART), 'utf8'), after);
  });

  it('an edit that overlaps what the user typed meanwhile: merged beside the file with VS Code\'s conflict actions, then used', async () => {
    const { page, settingsFile, workspace } = e2e();
    fs.rmSync(path.join(workspace, 'review-demo'), { recursive: true, force: true });
    // Time between the create and the three changes for the user to type.
    await changeUserSettings(page, settingsFile, { 'runtools.params': { scenario: 'review-demo', delayScale: 3 } });
    const frame = await chatFrame(page);
    const run = await runFromComposer(frame, 'Tidy up the cart module again');
    const localId = (await run.getAttribute('data-local-id'))!;
    // The create lands: the user opens the file from the changed-files list and types into it.
    const created = await fileRow(frame, localId, CART);
    await created.waitFor({ timeout: 30_000 });
    await created.locator('[data-action="open-change"]').click();
    await page.locator('.tabs-container .tab.active', { hasText: 'cart.js' }).waitFor({ timeout: 15_000 });
    // Line 18 is in the agent's next change (subtotal's loop): the user changes it first, unsaved.
    await goToLine(page, 18);
    await page.keyboard.press('End');
    await page.keyboard.type(' // counted by hand');
    assert.equal(await waitForEnd(frame, localId), 'completed');

    const chat = await chatFrame(page);
    const row = await fileRow(chat, localId, CART);
    await chat.waitForFunction(({ id, file }) => document.querySelector(`[data-local-id="${id}"] [data-testid="changed-file"][data-path="${file}"]`)?.getAttribute('data-state') === 'conflict', { id: localId, file: CART }, { timeout: 15_000 });
    // The agent's edit is not written (VS Code's auto save, on by default in the browser, may
    // have saved what the user typed: that is their text).
    assert.ok(!fs.readFileSync(path.join(workspace, CART), 'utf8').includes('CURRENCY'), 'nothing of the conflicting edit is written');
    await row.locator('[data-action="merge"]').click();

    // The merge opens beside the file, with VS Code's own conflict actions over the markers.
    await codeLens(page, 'Accept Both Changes').first().waitFor({ timeout: 20_000 });
    assert.ok(!fs.readFileSync(path.join(workspace, CART), 'utf8').includes('<<<<<<<'), 'no marker ever reaches the file');
    await page.waitForTimeout(500);
    await keepScreenshot(page, 'review-conflict');
    await codeLens(page, 'Accept Current Change').first().click();
    await codeLens(page, /Use This Merge/).first().click();
    const saved = Date.now() + 15_000;
    while (Date.now() < saved && !/CURRENCY[^]*counted by hand/.test(fs.readFileSync(path.join(workspace, CART), 'utf8'))) await page.waitForTimeout(200);
    const text = fs.readFileSync(path.join(workspace, CART), 'utf8');
    assert.ok(text.includes('counted by hand') && !text.includes('<<<<<<<'), `the user's choice, without markers: ${text}`);
    assert.match(text, /const CURRENCY = 'EUR';/, 'the agent\'s changes that did not overlap are merged in');
    await chat.waitForFunction((id) => [...document.querySelectorAll<HTMLElement>(`[data-local-id="${id}"] [data-testid="edit"]`)].some((e) => e.dataset.state === 'accepted'), localId, { timeout: 15_000 });
  });
});
