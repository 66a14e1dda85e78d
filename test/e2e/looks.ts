/** The side bar's width and the colour theme, set as a user does, for screenshots of each look. */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { changeUserSettings } from './workbench';

export type Look = { theme: 'dark' | 'light'; width: number };

/** Dark and light, in a narrow (300 px) and a wide (620 px) side bar. */
export const LOOKS: Look[] = [{ theme: 'dark', width: 300 }, { theme: 'dark', width: 620 }, { theme: 'light', width: 620 }, { theme: 'light', width: 300 }];

const THEMES = { dark: 'Default Dark Modern', light: 'Default Light Modern' } as const;

/** Drags the sash between the side bar and the editor so the side bar is `width` px wide. */
export async function setSidebarWidth(page: Page, width: number): Promise<void> {
  const sidebar = (await page.locator('.part.sidebar').boundingBox())!;
  const x = sidebar.x + sidebar.width;
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(x - 1, y);
  await page.mouse.down();
  await page.mouse.move(sidebar.x + width, y, { steps: 8 });
  await page.mouse.up();
  const actual = (await page.locator('.part.sidebar').boundingBox())!.width;
  assert.ok(Math.abs(actual - width) < 30, `the side bar is ${actual} px, not ${width}`);
}

/** The colour theme by the user setting; undefined puts the default back. */
export async function setTheme(page: Page, settingsFile: string, theme: Look['theme'] | undefined): Promise<void> {
  await changeUserSettings(page, settingsFile, { 'workbench.colorTheme': theme && THEMES[theme] });
  // Without the setting the workbench follows the browser's preference (light in this Chromium).
  if (!theme) return;
  const dark = theme === 'dark';
  await page.waitForFunction((isDark) => document.querySelector('.monaco-workbench')?.classList.contains(isDark ? 'vs-dark' : 'vs') ?? false, dark, { timeout: 15_000 });
}
