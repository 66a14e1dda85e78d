/** The chat view as a user drives it: open it, send from the composer, wait for a run's end. */
import type { Frame, Page } from 'playwright-core';
import { findWebviewFrame, runCommand } from './workbench';

export async function chatFrame(page: Page): Promise<Frame> {
  await runCommand(page, 'RunTools: Open Chat');
  return findWebviewFrame(page, '[data-testid="composer-input"]');
}

/** Sends a prompt from the composer; returns the new run's locator once it shows. */
export async function runFromComposer(frame: Frame, text: string) {
  const before = await frame.locator('[data-testid="run"]').count();
  const input = frame.locator('[data-testid="composer-input"]');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
  const run = frame.locator('[data-testid="run"]').nth(before);
  await run.waitFor({ timeout: 30_000 });
  return run;
}

/** Waits for the run to end; returns its status. */
export async function waitForEnd(frame: Frame, localId: string, timeoutMs = 90_000): Promise<string> {
  await frame.waitForFunction((id) => {
    const status = document.querySelector<HTMLElement>(`[data-testid="run"][data-local-id="${id}"]`)?.dataset.status;
    return status !== undefined && status !== 'starting' && status !== 'running';
  }, localId, { timeout: timeoutMs });
  return (await frame.locator(`[data-testid="run"][data-local-id="${localId}"]`).getAttribute('data-status')) ?? '';
}
