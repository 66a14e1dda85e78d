/**
 * The composer after the Simple Browser had focus: one click into the composer, then typing,
 * puts the text in the composer (the issue seen was a first click that was lost, and keys that
 * went nowhere). Clicks go through the mouse at the composer's position, as a user's do.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame, Page } from 'playwright-core';
import { e2e } from './session';
import { findWebviewFrame, runCommand, screenshot } from './workbench';

async function clickAt(page: Page, frame: Frame, selector: string): Promise<void> {
  const box = await frame.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is not on screen`);
  await page.mouse.click(box.x + Math.min(20, box.width / 2), box.y + Math.min(10, box.height / 2), { delay: 60 });
}

describe('composer focus (e2e)', function () {
  this.timeout(120_000);
  let server: http.Server;
  let pageUrl: string;

  before(async () => {
    // A page with a text field of its own, served the way a dev server is: code-server's proxy.
    server = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!DOCTYPE html><html><body><h1>App</h1><input id="field" aria-label="field"></body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    pageUrl = `${e2e().server.url}proxy/${(server.address() as AddressInfo).port}/`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('takes the first click after the Simple Browser had focus, and the typed text lands in it', async () => {
    const { page } = e2e();
    await runCommand(page, 'RunTools: Open Chat');
    const chat = await findWebviewFrame(page, '[data-testid="composer-input"]');
    await runCommand(page, 'Simple Browser: Show');
    const urlInput = page.locator('.quick-input-widget input');
    await urlInput.waitFor({ state: 'visible' });
    await urlInput.fill(pageUrl);
    await page.keyboard.press('Enter');
    let app: Frame | undefined;
    const deadline = Date.now() + 30_000;
    while (!app && Date.now() < deadline) {
      app = page.frames().find((frame) => frame.url().startsWith(pageUrl));
      if (!app) await page.waitForTimeout(250);
    }
    assert.ok(app, 'the Simple Browser shows the page');
    await app.locator('#field').waitFor();

    for (const target of ['#field', 'h1']) {
      // Focus in the Simple Browser's page: typing goes there.
      await clickAt(page, app, target);
      if (target === '#field') {
        await page.keyboard.type('abc');
        assert.equal(await app.locator('#field').inputValue(), 'abc');
      }
      await chat.locator('[data-testid="composer-input"]').evaluate((input) => { (input as HTMLTextAreaElement).value = ''; });
      // One click into the composer, a moment as a person takes, then typing.
      await clickAt(page, chat, '[data-testid="composer-input"]');
      await page.waitForTimeout(400);
      await page.keyboard.type('hello');
      assert.equal(await chat.locator('[data-testid="composer-input"]').inputValue(), 'hello', `after a click on ${target} in the Simple Browser`);
      assert.equal(await app.locator('#field').inputValue(), 'abc', 'the keys went to the Simple Browser');
    }
    await chat.locator('[data-testid="composer-input"]').evaluate((input) => { (input as HTMLTextAreaElement).value = ''; input.dispatchEvent(new Event('input')); });
    await screenshot(page, 'composer-after-simple-browser');
    await runCommand(page, 'View: Close All Editors');
  });
});
